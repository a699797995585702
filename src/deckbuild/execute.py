"""Runs a Document's cells and inline expressions in one Jupyter kernel, through the cell cache.

One ipykernel per deck (cwd = project root; env QUARTO_PROFILE, DECK_ROOT, DECK_ENGINE=builtin,
HF_HUB_OFFLINE=1), driven by nbclient. Inline expressions are Jupyter user expressions, as in
Quarto (deckbuild.inline). Each chunk is cached by content (deckbuild.cell_cache): a deck whose
chunks all hit is rendered without a kernel; otherwise the chunks that missed and the earlier
chunks they need for their state (deckbuild.cell_deps) run once each, in document order, and
whatever a chunk read (demos.config records it) becomes part of its key. `fresh` runs every
chunk again."""
from __future__ import annotations

import ast
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from deckbuild.cell_cache import CellStore, Keys, ReadValues, salt
from deckbuild.cell_deps import closure, code_facts, dependencies
from deckbuild.config import load_project_config, rel
from deckbuild.document import Cell, Chunk, DeckError, Document, Inline
from deckbuild.inline import inline_markdown
from deckbuild.outputs import strip_ansi

Log = Callable[[str], None]
UNKNOWN_READS = ["config:*", "tree:data"]       # when the kernel cannot say what a chunk read
TAKE_READS = "__import__('demos.config', fromlist=['take_reads']).take_reads()"


class CellError(DeckError):
    """A cell raised: the message is one line (slide, file:line, exception); `traceback` has the rest."""

    def __init__(self, message: str, file: str, line: int, traceback: str):
        super().__init__(message, file, line)
        self.traceback = traceback


@dataclass
class ExecutedChunk:
    """A chunk and what running it produced: nbformat outputs for cells, `text` for inline values."""
    chunk: Chunk
    outputs: list[dict] = field(default_factory=list)
    text: str = ""


def _runs(doc: Document, ch: Chunk) -> bool:
    return isinstance(ch, Inline) or doc.cell_option(ch, "eval", True) not in (False, "false")


def deck_env(root: Path, profile: str, engine: str) -> dict:
    """What the cells find in their environment, whichever engine runs them."""
    return {"QUARTO_PROFILE": profile or "", "DECK_ROOT": str(root), "DECK_ENGINE": engine,
            "HF_HUB_OFFLINE": "1"}


def kernel_env(doc: Document) -> dict:
    return {**deck_env(doc.root, doc.profile, "builtin"), "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


@contextmanager
def _environ(extra: dict):
    old = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _where(doc: Document, ch: Chunk) -> str:
    return rel(doc.root / ch.file, doc.root)


def _source(ch: Chunk) -> str:
    return ch.source if isinstance(ch, Cell) else ch.expr


def _shows_output(doc: Document, ch: Chunk) -> bool:
    return isinstance(ch, Inline) or (doc.cell_option(ch, "include", True) not in (False, "false")
                                      and doc.cell_option(ch, "output", True) not in (False, "false"))


def plan(doc: Document, runnable: list[Chunk], store: CellStore) -> Keys:
    """Identities, dependencies and (where known) keys of the runnable chunks."""
    facts = [code_facts(_source(ch), _shows_output(doc, ch)) if isinstance(ch, Cell)
             else code_facts(ch.expr.strip()) for ch in runnable]
    deps = dependencies(facts)
    values = ReadValues(doc.root, _config_as_cells_see_it(doc))
    keys = Keys([("cell:" if isinstance(ch, Cell) else "inline:") + _source(ch) for ch in runnable],
                deps, store, values, salt(doc.root))
    for i in range(len(runnable)):
        keys.compute(i)
    return keys


def _config_as_cells_see_it(doc: Document) -> dict:
    from demos.config import with_overrides
    return with_overrides(load_project_config(doc.root, doc.profile or None).metadata)


def _error(doc: Document, ch: Chunk, err: dict) -> CellError:
    what = "inline expression" if isinstance(ch, Inline) else f"cell {ch.index + 1}"
    trace = strip_ansi("\n".join(err.get("traceback", [])))
    return CellError(f'{what} on slide "{ch.slide_title}" raised {err.get("ename")}: {err.get("evalue")}',
                     _where(doc, ch), ch.line, trace)


class _Kernel:
    """One nbclient kernel session: runs cells and user expressions, reports what they read."""

    def __init__(self, doc: Document, log: Log, timeout: int | None, kernel_log: Path):
        import nbformat
        from nbclient import NotebookClient
        self.doc, self.log, self.nb = doc, log, nbformat.v4.new_notebook()
        self.client = NotebookClient(self.nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(doc.root)}})
        self.kernel_log = kernel_log
        self._stack = None

    def __enter__(self):
        from contextlib import ExitStack
        self._stack = ExitStack()
        self.kernel_log.parent.mkdir(parents=True, exist_ok=True)
        klog = self._stack.enter_context(open(self.kernel_log, "w"))
        self._stack.enter_context(_environ(kernel_env(self.doc)))
        self._stack.enter_context(self.client.setup_kernel(cwd=str(self.doc.root), stderr=klog, stdout=klog))
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def cell(self, source: str) -> list[dict]:
        import nbformat
        from nbclient.exceptions import CellExecutionError
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        try:
            self.client.execute_cell(cell, len(self.nb.cells) - 1)
        except CellExecutionError:
            pass          # the error output is in cell.outputs; judged by the caller
        return json.loads(json.dumps([dict(o) for o in cell.outputs]))

    def expression(self, expr: str) -> dict:
        """A user expression's result: {"status": "ok", "data": {...}} or the error fields."""
        msg_id = self.client.kc.execute("", silent=False, store_history=False, user_expressions={"x": expr})
        reply = self.client.wait_for_reply(msg_id)
        content = (reply or {}).get("content", {})
        if content.get("status") != "ok":
            return {"status": "error", **{k: content.get(k) for k in ("ename", "evalue", "traceback")}}
        return json.loads(json.dumps(content["user_expressions"]["x"]))

    def reads(self) -> list[str]:
        result = self.expression(TAKE_READS)
        try:
            return list(ast.literal_eval(result["data"]["text/plain"])) if result.get("status") == "ok" \
                else list(UNKNOWN_READS)
        except (KeyError, ValueError, SyntaxError):
            return list(UNKNOWN_READS)


def _run_chunk(kernel: _Kernel, doc: Document, ch: Chunk) -> list[dict]:
    """Run one chunk; its outputs (a user expression's result as one `inline_result`)."""
    if isinstance(ch, Inline):
        result = kernel.expression(ch.expr.strip())
        if result.get("status") != "ok":
            raise _error(doc, ch, result)
        return [{"output_type": "inline_result", "data": result.get("data", {})}]
    outputs = kernel.cell(ch.source)
    err = next((o for o in outputs if o.get("output_type") == "error"), None)
    if err and doc.cell_option(ch, "error", False) is not True:
        raise _error(doc, ch, err)
    return outputs


def to_run(results: list, deps: list[set[int]]) -> set[int]:
    """The chunks a run executes: each one with no cached outputs, and every chunk it needs."""
    missing = {i for i, r in enumerate(results) if r is None}
    return closure(missing, deps)


def run_document(doc: Document, cache_dir: Path, fresh: bool = False, log: Log = print,
                 timeout: int | None = 1800) -> list[ExecutedChunk]:
    """Execute (or load from the cache) every chunk; Markdown chunks pass through with no outputs.
    The chunks that run do so once each, in document order, so each sees the state it had."""
    runnable = [ch for ch in doc.chunks if isinstance(ch, (Cell, Inline)) and _runs(doc, ch)]
    store = CellStore(Path(cache_dir) / "cells")
    keys = plan(doc, runnable, store)
    results: list[list[dict] | None] = [None if fresh else store.outputs(k) for k in keys.key]
    if any(r is None for r in results):
        total, todo = len(runnable), to_run(results, keys.deps)
        log(f"cache: {sum(r is not None for r in results)} of {total} chunks unchanged; "
            f"starting a kernel for {doc.path.name}")
        with _Kernel(doc, log, timeout, Path(cache_dir) / "kernels" / f"{doc.path.stem}.log") as kernel:
            for i in sorted(todo):
                ch = runnable[i]
                if results[i] is not None:           # cached: run only for the state it leaves
                    _run_chunk(kernel, doc, ch)
                    kernel.reads()
                    continue
                kind = "inline" if isinstance(ch, Inline) else "cell"
                log(f"{kind} {i + 1}/{total} · {ch.slide_title or '(sem título)'} ({_where(doc, ch)}:{ch.line})")
                outputs = _run_chunk(kernel, doc, ch)
                reads = kernel.reads()
                store.put_reads(keys.identity[i], reads)
                store.put_outputs(keys.compute(i, reads), outputs)
                results[i] = outputs
        store.prune()
    else:
        log(f"cache: {len(runnable)} chunks unchanged, no kernel started")
    by_index = {id(ch): i for i, ch in enumerate(runnable)}
    return [executed_chunk(ch, results[by_index[id(ch)]] if id(ch) in by_index else [])
            for ch in doc.chunks]


def executed_chunk(ch: Chunk, outputs: list[dict]) -> ExecutedChunk:
    """An ExecutedChunk; an inline expression's text is its value as Quarto writes it."""
    text = ""
    if isinstance(ch, Inline):
        text = "".join(inline_markdown(o.get("data", {})) for o in outputs
                       if o.get("output_type") == "inline_result")
    return ExecutedChunk(ch, outputs, text)
