"""Runs a Document's cells and inline expressions in one Jupyter kernel, with a freeze cache.

One ipykernel per deck (cwd = project root; env QUARTO_PROFILE, DECK_ROOT, DECK_ENGINE=builtin,
HF_HUB_OFFLINE=1), driven by nbclient. Each executable chunk is cached in `.deck-cache/<stem>/`
under a key hashing every earlier source, its own source, the profile, the merged config and the
content of `src/demos/` and `data/`. A deck whose keys all hit is rendered without a kernel; a
single miss re-runs the deck from the first cell (kernel state is sequential), like Quarto's freeze."""
from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from deckbuild.config import rel
from deckbuild.document import Cell, Chunk, DeckError, Document, Inline
from deckbuild.outputs import strip_ansi

CACHE_VERSION = "1"
HASHED_DIRS = ("src/demos", "data")
Log = Callable[[str], None]


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
    cached: bool = False


def _inline_code(expr: str) -> str:
    return f"print(str({expr.strip()}), end='')"


def _runs(doc: Document, cell: Chunk) -> bool:
    return isinstance(cell, Inline) or doc.cell_option(cell, "eval", True) not in (False, "false")


def tree_digest(root: Path, dirs=HASHED_DIRS) -> str:
    """Hash of every file's path and content under the given project folders."""
    h = hashlib.sha256()
    for d in dirs:
        base = root / d
        if not base.exists():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def chunk_keys(doc: Document, runnable: list[Chunk]) -> list[str]:
    """One cache key per runnable chunk (chained: a change re-keys everything after it)."""
    base = hashlib.sha256()
    base.update(f"v{CACHE_VERSION}\0{doc.profile}\0".encode())
    base.update(json.dumps(doc.metadata, sort_keys=True, default=str).encode())
    for f in sorted(set(map(str, doc.files_read))):
        p = Path(f)
        if p.is_file():
            base.update(p.read_bytes())
    base.update(tree_digest(doc.root).encode())
    keys, h = [], base
    for ch in runnable:
        h = h.copy()
        source = ch.source if isinstance(ch, Cell) else "inline:" + ch.expr
        h.update(source.encode() + b"\0")
        keys.append(h.hexdigest()[:32])
    return keys


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
    """The chunk's file relative to the project root (chunk files usually already are)."""
    return rel(doc.root / ch.file, doc.root)


def _error(doc: Document, ch: Chunk, outputs: list[dict]) -> CellError | None:
    for out in outputs:
        if out.get("output_type") == "error":
            what = "inline expression" if isinstance(ch, Inline) else f"cell {ch.index + 1}"
            trace = strip_ansi("\n".join(out.get("traceback", [])))
            return CellError(f'{what} on slide "{ch.slide_title}" raised {out.get("ename")}: '
                             f'{out.get("evalue")}', _where(doc, ch), ch.line, trace)
    return None


def _run_kernel(doc: Document, runnable: list[Chunk], log: Log, timeout: int | None,
                kernel_log: Path) -> list[list[dict]]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(ch.source if isinstance(ch, Cell) else _inline_code(ch.expr))
                for ch in runnable]
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(doc.root)}})
    results, total = [], len(runnable)
    log(f"starting kernel for {doc.path.name} ({total} cells)")
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    with open(kernel_log, "w") as klog, _environ(kernel_env(doc)), \
            client.setup_kernel(cwd=str(doc.root), stderr=klog, stdout=klog):
        for i, (ch, nb_cell) in enumerate(zip(runnable, nb.cells)):
            kind = "inline" if isinstance(ch, Inline) else "cell"
            log(f"{kind} {i + 1}/{total} · {ch.slide_title or '(sem título)'} ({_where(doc, ch)}:{ch.line})")
            try:
                client.execute_cell(nb_cell, i)
            except CellExecutionError:
                pass  # the error output is in nb_cell.outputs; judged below
            outputs = [dict(o) for o in nb_cell.outputs]
            err = _error(doc, ch, outputs)
            allowed = isinstance(ch, Cell) and doc.cell_option(ch, "error", False) is True
            if err and not allowed:
                raise err
            results.append(json.loads(json.dumps(outputs)))   # plain dicts
    return results


def run_document(doc: Document, cache_dir: Path, fresh: bool = False, log: Log = print,
                 timeout: int | None = 1800) -> list[ExecutedChunk]:
    """Execute (or load from cache) every chunk; Markdown chunks pass through with no outputs."""
    runnable = [ch for ch in doc.chunks if isinstance(ch, (Cell, Inline)) and _runs(doc, ch)]
    keys = chunk_keys(doc, runnable)
    store = Path(cache_dir) / doc.path.stem
    cached = None if fresh else _load_all(store, keys)
    if cached is None:
        results = _run_kernel(doc, runnable, log, timeout, store / "kernel.log") if runnable else []
        _save_all(store, keys, results)
    else:
        log(f"cache: {len(keys)} chunks unchanged, no kernel started")
        results = cached
    by_id = {id(ch): out for ch, out in zip(runnable, results)}
    executed = []
    for ch in doc.chunks:
        outs = by_id.get(id(ch), [])
        text = "".join("".join(o.get("text", "")) for o in outs if o.get("output_type") == "stream"
                       and o.get("name") == "stdout") if isinstance(ch, Inline) else ""
        executed.append(ExecutedChunk(ch, outs, text, cached is not None))
    return executed


def _load_all(store: Path, keys: list[str]) -> list[list[dict]] | None:
    out = []
    for k in keys:
        f = store / f"{k}.json"
        if not f.exists():
            return None
        try:
            out.append(json.loads(f.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None
    return out


def _save_all(store: Path, keys: list[str], results: list[list[dict]]) -> None:
    store.mkdir(parents=True, exist_ok=True)
    for k, outs in zip(keys, results):
        tmp = store / f".{k}.tmp"
        tmp.write_text(json.dumps(outs, ensure_ascii=False), encoding="utf-8")
        tmp.replace(store / f"{k}.json")
    keep = {f"{k}.json" for k in keys}
    for old in store.glob("*.json"):          # drop entries of earlier versions of this deck
        if old.name not in keep:
            old.unlink(missing_ok=True)
