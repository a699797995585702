"""The cell cache by content (deckbuild.cell_cache, cell_deps, execute) and the no-op build
(deckbuild.manifest): switching profiles or prompts runs only the cells whose inputs changed,
switching back runs nothing, an unchanged build touches no file, and the store stays bounded."""
from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from deckbuild.build import Progress, build
from deckbuild.cell_cache import CellStore
from deckbuild.cell_deps import code_facts, dependencies

CONFIG = textwrap.dedent("""\
    project:
      type: default
      output-dir: _output
      render: [slides/deck.qmd]
    profile:
      default: um
    title: "Cache"
    lang: pt-BR
    execute:
      echo: false
    format:
      revealjs:
        theme: [default]
    deck:
      prompts:
        english: "I like"
    """)
PROFILE = 'event:\n  name: "{name}"\n  start: 2025-06-10\n  end: 2025-06-11\n'
DECK = textwrap.dedent("""\
    ## Um

    ```{python}
    #| include: false
    from demos.config import prompt, setting
    ```

    ```{python}
    #| include: false
    A = prompt("english")
    ```

    ```{python}
    print(A.upper())
    ```

    ## Dois

    ```{python}
    print("evento:", setting("event.name"))
    ```

    ```{python}
    import math
    print(round(math.pi, 4))
    ```

    Valor `{python} len(A)`.
    """)


class Lines(Progress):
    def __init__(self):
        super().__init__(quiet=True)
        self.lines = []

    def __call__(self, message):
        self.lines.append(message)

    def ran(self) -> list[int]:
        return [int(m.split()[1].split("/")[0]) for m in self.lines if m.startswith(("cell ", "inline "))]


@pytest.fixture
def deck(tmp_path) -> Path:
    root = tmp_path / "p"
    (root / "slides").mkdir(parents=True)
    (root / "_quarto.yml").write_text(CONFIG)
    for name, title in (("um", "Evento Um"), ("dois", "Evento Dois")):
        (root / f"_quarto-{name}.yml").write_text(PROFILE.format(name=title))
    (root / "slides" / "deck.qmd").write_text(DECK)
    return root


def run(root: Path, profile: str | None = None, **kw) -> Lines:
    lines = Lines()
    build(root, profile, engine="builtin", pdf=False, progress=lines, **kw)
    return lines


def test_dependencies_follow_names_and_side_effects():
    srcs = ["from demos.render_setup import init_deck; init_deck()", "from x import f\nV = f(1)",
            "g = 2", "print(V + g)", "import math\nmath.pi", "x = 1\nx = x + y"]
    facts = [code_facts(srcs[0], shows_output=False)] + [code_facts(s) for s in srcs[1:]]
    assert facts[0].side_effects and not facts[1].side_effects
    assert facts[5].binds == {"x"} and facts[5].uses == {"y"}, "a value is read before it is bound"
    deps = dependencies(facts)
    assert deps[3] == {0, 1, 2} and deps[4] == {0}
    assert dependencies([code_facts("%time x"), code_facts("1")])[1] == {0}, "unparsable: depends on all"


def test_profile_switch_runs_only_what_read_the_profile(deck):
    first = run(deck, "um")
    assert first.ran() == [1, 2, 3, 4, 5, 6]
    other = run(deck, "dois")
    assert other.ran() == [4], "only the cell that read event.name runs (its imports run silently)"
    back = run(deck, "um")
    assert back.ran() == [] and any("no kernel started" in m for m in back.lines)
    html = (deck / "_output" / "deck.html").read_text()
    assert "evento: Evento Um" in html and "I LIKE" in html and "Valor 6." in html
    assert "evento: Evento Dois" in (deck / "_output-dois" / "deck.html").read_text()


def test_prompt_change_runs_its_readers_and_back_again_runs_nothing(deck):
    run(deck, "um")
    config = deck / "_quarto.yml"
    config.write_text(config.read_text().replace('"I like"', '"You like"'))
    changed = run(deck, "um")
    assert changed.ran() == [2, 3, 6], "the prompt's reader and the chunks that use A"
    assert "YOU LIKE" in (deck / "_output" / "deck.html").read_text()
    config.write_text(config.read_text().replace('"You like"', '"I like"'))
    assert run(deck, "um").ran() == []


def test_fresh_runs_everything(deck):
    run(deck, "um")
    assert run(deck, "um", fresh=True).ran() == [1, 2, 3, 4, 5, 6]


def test_unchanged_build_does_nothing_and_touches_no_file(deck):
    run(deck, "um")
    out = deck / "_output"
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    t0 = time.monotonic()
    again = run(deck, "um")
    assert any("nothing changed" in m for m in again.lines)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    assert time.monotonic() - t0 < 30                      # generous: a no-op never renders


def test_products_are_carried_over_when_unchanged(deck, monkeypatch):
    run(deck, "um")
    printed = []
    from deckbuild import pdf

    def print_slides(html, out, notes=False):
        printed.append(out)
        Path(out).write_bytes(b"%PDF")
        return Path(out)
    monkeypatch.setattr(pdf, "print_slides", print_slides)
    lines = Lines()
    build(deck, "um", engine="builtin", pdf=True, handout=False, progress=lines)
    assert any(m.startswith("unchanged · html, standalone") for m in lines.lines)
    assert [Path(p).name for p in printed] == ["deck.pdf"]


def test_store_is_pruned_least_recently_used_first(tmp_path):
    store = CellStore(tmp_path / "cells", max_bytes=3000)
    for i in range(6):
        store.put_outputs(f"k{i}", [{"text": "x" * 900}])
        time.sleep(0.01)
    assert store.outputs("k0") is not None                 # a hit makes k0 the most recent
    store.prune()
    left = {p.stem for p in (tmp_path / "cells" / "out").glob("*.json")}
    assert "k0" in left and "k1" not in left and store.size() <= 3000


ORDER_DECK = textwrap.dedent("""\
    ## Ordem

    ```{python}
    x = 1
    print("zero", x)
    ```

    ```{python}
    #| include: false
    y = x * 10
    ```

    ```{python}
    #| include: false
    x = 2
    ```

    ```{python}
    print("y is", y)
    ```

    ```{python}
    print("x is", x)
    ```
    """)


def test_chunks_run_in_document_order_when_a_name_is_rebound_later(deck):
    qmd, html = deck / "slides" / "deck.qmd", deck / "_output" / "deck.html"
    qmd.write_text(ORDER_DECK)
    assert run(deck, "um").ran() == [1, 2, 3, 4, 5] and "y is 10" in html.read_text()
    # chunk 1's outputs are gone (pruned), chunk 2 hits, chunks 3-5 changed
    for out in (deck / ".deck-cache" / "cells" / "out").glob("*.json"):
        if "zero" in out.read_text():
            out.unlink()
    qmd.write_text(ORDER_DECK.replace("x = 2", "x = 2  # two").replace("y is", "y now"))
    assert run(deck, "um").ran() == [1, 3, 4, 5], "chunk 2 runs silently, for its state"
    assert "y now 10" in html.read_text() and "x is 2" in html.read_text()
    # chunks 1 and 2 hit, chunks 3-5 changed: 1 and 2 run before 3, not after
    qmd.write_text(ORDER_DECK.replace("x = 2", "x = 2  # again").replace(" is", " again"))
    assert run(deck, "um").ran() == [3, 4, 5]
    assert "y again 10" in html.read_text() and "x again 2" in html.read_text()
    assert run(deck, "um").ran() == [] and "x again 2" in html.read_text(), "the right outputs were cached"

