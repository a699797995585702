"""Which earlier chunks a chunk needs (deckbuild.cell_deps): item and attribute stores, what a
def or class evaluates when defined, and a signature's *args / **kw."""
from __future__ import annotations

import pytest

from deckbuild.cell_deps import closure, code_facts, dependencies


def deps_of(*sources: str) -> list[set[int]]:
    return dependencies([code_facts(s) for s in sources])


@pytest.mark.parametrize("store", ['cfg["k"] = 2', "cfg.k = 2", 'cfg["k"] += 2', "cfg.a.b[0] = 2",
                                   'del cfg["k"]'])
def test_an_item_or_attribute_store_uses_and_rebinds_its_root(store):
    facts = code_facts(store)
    assert facts.binds == {"cfg"} and facts.uses == {"cfg"}
    deps = deps_of("cfg = make()", store, "print(cfg)")
    assert deps[1] == {0} and deps[2] == {1}, "the reader needs the chunk that changed cfg"
    assert closure(deps[2], deps) == {0, 1}


def test_a_module_option_set_is_a_dependency_of_later_users():
    deps = deps_of("import pandas as pd", "pd.options.display.precision = 2", "pd.DataFrame({'a': [1.5]})")
    assert code_facts("pd.options.display.precision = 2").uses == {"pd"}
    assert deps[2] == {1} and closure(deps[2], deps) == {0, 1}
    assert code_facts("d[key] = value").uses == {"d", "key", "value"}, "the index and value are read"


def test_a_store_inside_a_function_rebinds_at_call_time_only():
    facts = code_facts('def f():\n    cfg["k"] = 2')
    assert facts.binds == {"f"} and facts.uses == {"cfg"}


@pytest.mark.parametrize("source", ["def f(x=LIMIT):\n    return x", "def f(*, x=LIMIT):\n    return x",
                                    "def f(x: LIMIT) -> None:\n    return x", "def f() -> LIMIT:\n    pass",
                                    "@LIMIT\ndef f():\n    pass", "f = lambda x=LIMIT: x",
                                    "class A(LIMIT):\n    pass", "class A(metaclass=LIMIT):\n    pass",
                                    "@LIMIT\nclass A:\n    pass", "class A:\n    size = LIMIT * 2",
                                    "class A:\n    def m(self):\n        return LIMIT"])
def test_what_a_definition_evaluates_is_used(source):
    assert code_facts(source).uses == {"LIMIT"}
    assert deps_of("LIMIT = 3", source)[1] == {0}


def test_a_class_body_binds_its_own_names_only():
    facts = code_facts("class A:\n    n = 2\n    m = n + 1\n    def get(self):\n        return n")
    assert facts.binds == {"A"} and facts.uses == {"n"}, "a method does not see the class's n"


def test_star_args_are_not_free_names():
    assert code_facts("def f(*args, **kw):\n    return g(args, kw)").uses == {"g"}
    assert code_facts("h = lambda *a, **k: (a, k, z)").uses == {"z"}
    assert code_facts("def f(a, /, b, *, c):\n    return a + b + c").uses == set()
