"""Which earlier chunks a cell (or inline expression) needs, read from the code itself.

The cell cache keys each chunk by what it depends on (deckbuild.cell_cache), and a partial run
re-executes only the chunks a changed one needs (deckbuild.execute). A chunk depends on:
- the last earlier chunk that binds each free name it uses (assignments, imports, defs, for and
  with targets, walrus; `global` names count as bound). A store into an attribute or item
  (`cfg["k"] = 2`, `pd.options.display.precision = 2`) both uses and rebinds its root name;
- every earlier *side-effect* chunk: one with a top-level call whose value is not displayed (a
  call statement before the last one, or the last one when the cell shows no output), such as
  `init_deck()` in the deck's setup cell;
- everything before it when its code cannot be parsed (e.g. IPython magics), conservatively.
Builtins and names bound earlier in the same chunk are not dependencies."""
from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

BUILTINS = frozenset(dir(builtins)) | {"display", "get_ipython", "__name__"}


@dataclass
class CodeFacts:
    binds: set[str] = field(default_factory=set)      # names the chunk leaves bound
    uses: set[str] = field(default_factory=set)       # free names it reads
    side_effects: bool = False                        # a call whose value nobody sees
    parsed: bool = True


def _params(args: ast.arguments) -> list[ast.arg]:
    extra = [a for a in (args.vararg, args.kwarg) if a is not None]      # *args, **kw
    return [*args.posonlyargs, *args.args, *args.kwonlyargs, *extra]


def _arg_names(args: ast.arguments) -> set[str]:
    return {a.arg for a in _params(args)}


def _root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _Names(ast.NodeVisitor):
    """Free names read and names bound by a scope; `mutated`: roots of attribute/item stores
    (they rebind at this level but, unlike a binding, do not make the name local)."""

    def __init__(self, in_class: bool = False):
        self.binds, self.uses, self.mutated = set(), set(), set()
        self.in_class = in_class          # a class body's names are not seen by its methods

    def visit_Name(self, node: ast.Name):
        if isinstance(node.ctx, ast.Load):
            if node.id not in self.binds:
                self.uses.add(node.id)
        else:
            self.binds.add(node.id)

    def visit_Attribute(self, node):
        self.generic_visit(node)           # the root and any index are read
        root = _root(node)
        if root and not isinstance(node.ctx, ast.Load):
            self.mutated.add(root)

    visit_Subscript = visit_Attribute

    def _inner(self, inner: _Names, exclude: set[str] = frozenset()):
        """Take the free names of a nested scope."""
        shadow = set() if self.in_class else self.binds
        self.uses |= {n for n in inner.uses - exclude if n not in shadow}

    # values are read before their targets are bound: `x = x + 1` uses the earlier x
    def visit_Assign(self, node):
        self.visit(node.value)
        for t in node.targets:
            self.visit(t)

    def visit_AugAssign(self, node):
        if isinstance(node.target, ast.Name) and node.target.id not in self.binds:
            self.uses.add(node.target.id)
        self.visit(node.value)
        self.visit(node.target)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.annotation)
        self.visit(node.target)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        self.visit(node.target)

    def visit_For(self, node):
        self.visit(node.iter)
        self.visit(node.target)
        for stmt in [*node.body, *node.orelse]:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.visit(item.optional_vars)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def _bind(self, name: str | None):
        if name:
            self.binds.add(name.split(".")[0])

    def visit_Import(self, node):
        for a in node.names:
            self._bind(a.asname or a.name)

    def visit_ImportFrom(self, node):
        for a in node.names:
            self._bind("*" if a.name == "*" else (a.asname or a.name))

    def _signature(self, args: ast.arguments, returns: ast.expr | None = None):
        """What a def or lambda evaluates when defined: defaults and annotations."""
        for d in [*args.defaults, *args.kw_defaults]:
            if d is not None:
                self.visit(d)
        for a in _params(args):
            if a.annotation is not None:
                self.visit(a.annotation)
        if returns is not None:
            self.visit(returns)

    def visit_FunctionDef(self, node):
        for d in node.decorator_list:
            self.visit(d)
        self._signature(node.args, node.returns)
        self._bind(node.name)     # bodies run later: their free names are read at call time
        inner = _Names()
        for stmt in node.body:
            inner.visit(stmt)
        self._inner(inner, _arg_names(node.args) | inner.binds)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        inner = _Names(in_class=True)      # a class body runs when the class is defined
        for stmt in node.body:
            inner.visit(stmt)
        self._inner(inner)
        self._bind(node.name)

    def visit_Lambda(self, node):
        self._signature(node.args)
        inner = _Names()
        inner.visit(node.body)
        self._inner(inner, _arg_names(node.args))

    def visit_comprehension_scope(self, node, parts):
        inner = _Names()
        for gen in node.generators:
            inner.visit(gen.iter)
            inner.visit(gen.target)
            for cond in gen.ifs:
                inner.visit(cond)
        for part in parts:
            inner.visit(part)
        self._inner(inner)

    def visit_ListComp(self, node):
        self.visit_comprehension_scope(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self.visit_comprehension_scope(node, [node.key, node.value])

    def visit_Global(self, node):
        self.binds |= set(node.names)


def code_facts(source: str, shows_output: bool = True) -> CodeFacts:
    """What one chunk's code binds, reads and whether it has unseen side effects."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return CodeFacts(parsed=False)
    names = _Names()
    for stmt in tree.body:
        names.visit(stmt)
    calls = [i for i, s in enumerate(tree.body) if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)]
    last = len(tree.body) - 1
    side = any(i != last or not shows_output for i in calls)
    return CodeFacts(binds=names.binds | names.mutated, uses=names.uses - BUILTINS, side_effects=side)


def dependencies(facts: list[CodeFacts]) -> list[set[int]]:
    """For each chunk (in document order), the indices of the earlier chunks it depends on."""
    binder: dict[str, int] = {}
    side_effects: list[int] = []
    out = []
    for i, f in enumerate(facts):
        if not f.parsed:
            deps = set(range(i))
        else:
            deps = {binder[n] for n in f.uses if n in binder} | set(side_effects)
            if "*" in binder:                      # a star import may have bound anything
                deps.add(binder["*"])
        out.append(deps)
        for n in f.binds:
            binder[n] = i
        if f.side_effects or not f.parsed:
            side_effects.append(i)
    return out


def closure(wanted: set[int], deps: list[set[int]]) -> set[int]:
    """`wanted` plus everything it needs, transitively."""
    todo, seen = list(wanted), set(wanted)
    while todo:
        for d in deps[todo.pop()]:
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen
