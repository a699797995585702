"""Quarto's freeze and executed notebook, keyed by the deck's content (used by quarto_engine).

Quarto's own freeze hashes only the main .qmd's text (quarto-cli src/command/render/freeze.ts),
and this deck's main file is only include lines, so `--use-freezer` alone would reuse stale
outputs after any edit to a partial, the profile, `data/` or `src/demos/`. Instead:
- `deck_key(doc)` hashes everything the built-in cell cache covers (the text of every file the
  reader read, the merged metadata, and cell_cache.salt(): the deck's Python code, library
  versions and `data/`);
- per key, `.deck-cache/quarto/<stem>/<key>/` keeps a copy of Quarto's freeze folder for the deck
  (`_freeze/<dir>/<stem>/`) and the notebook Quarto executed (kept with `keep-ipynb`);
- a known key restores that freeze, so `quarto render --use-freezer` thaws it without running
  Python; an unknown one clears the freeze, so Quarto executes, and stores the result;
- `executed_chunks(doc, notebook)` turns the executed notebook into the built-in engine's
  ExecutedChunks, so the handout shows exactly the outputs the deck shows (one execution).
At most KEEP keys are kept per deck (the oldest go first)."""
from __future__ import annotations

import hashlib
import json
import posixpath
import shutil
from pathlib import Path

from deckbuild.cell_cache import CACHE_VERSION, salt
from deckbuild.document import Cell, DeckError, Document, Inline
from deckbuild.execute import executed_chunk

KEEP = 4
NOTEBOOK = "notebook.ipynb"


def deck_key(doc: Document) -> str:
    """Everything a Quarto execution of this deck depends on."""
    h = hashlib.sha256(f"quarto-v{CACHE_VERSION}\0{doc.profile}\0".encode())
    h.update(json.dumps(doc.metadata, sort_keys=True, default=str).encode())
    for f in sorted({str(p) for p in doc.files_read}):
        if Path(f).is_file():
            h.update(f.encode() + b"\0" + Path(f).read_bytes())
    h.update(salt(doc.root).encode())        # src/demos, library versions and data/ (cell_cache)
    return h.hexdigest()[:32]


def freeze_dir(root: Path, deck: str) -> Path:
    """Quarto's freeze folder of one deck: _freeze/<its folder>/<its stem>."""
    return Path(root) / "_freeze" / posixpath.dirname(deck) / Path(deck).stem


def transient_notebooks(root: Path, deck: str) -> list[Path]:
    """The `<stem>.quarto_ipynb[_N]` files Quarto writes next to the deck."""
    d = Path(root) / posixpath.dirname(deck)
    return sorted(d.glob(f"{Path(deck).stem}.quarto_ipynb*"))


class FreezeStore:
    def __init__(self, cache_dir: Path, deck: str):
        self.folder = Path(cache_dir) / "quarto" / Path(deck).stem

    def entry(self, key: str) -> Path:
        return self.folder / key

    def has(self, key: str) -> bool:
        return (self.entry(key) / NOTEBOOK).is_file()

    def restore(self, key: str, target: Path) -> None:
        """Put the stored freeze of `key` in Quarto's place (or none, when it had none)."""
        shutil.rmtree(target, ignore_errors=True)
        saved = self.entry(key) / "freeze"
        if saved.is_dir():
            shutil.copytree(saved, target)
        (self.entry(key) / NOTEBOOK).touch()           # recently used

    def save(self, key: str, freeze: Path, notebook: Path) -> Path:
        """Keep what Quarto just made for `key`; returns the stored notebook."""
        entry = self.entry(key)
        shutil.rmtree(entry, ignore_errors=True)
        entry.mkdir(parents=True)
        if freeze.is_dir():
            shutil.copytree(freeze, entry / "freeze")
        shutil.move(str(notebook), entry / NOTEBOOK)
        self.prune()
        return entry / NOTEBOOK

    def prune(self) -> None:
        entries = sorted((e for e in self.folder.iterdir() if (e / NOTEBOOK).is_file()),
                         key=lambda e: (e / NOTEBOOK).stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)


def _code_source(cell: dict) -> str:
    src = "".join(cell.get("source", [])) if isinstance(cell.get("source"), list) else cell.get("source", "")
    lines = src.split("\n")
    while lines and lines[0].startswith("#|"):
        lines.pop(0)
    return "\n".join(lines).strip()


def executed_chunks(doc: Document, notebook: Path) -> list:
    """The deck's chunks with the outputs of Quarto's executed notebook, in order; a notebook
    that does not match the reader's cells is a DeckError (never a silently wrong handout)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    inline = [e for c in nb.get("cells", []) if c.get("cell_type") == "markdown"
              for e in (c.get("metadata", {}).get("user_expressions") or [])]
    cells = [ch for ch in doc.chunks if isinstance(ch, Cell)]
    if len(code) != len(cells):
        raise DeckError(f"Quarto's executed notebook has {len(code)} code cells, the deck {len(cells)}: "
                        "rebuild with --fresh", doc.path)
    outputs = {}
    for ch, c in zip(cells, code):
        if _code_source(c) != ch.source.strip():
            raise DeckError("Quarto's executed notebook does not match this cell: rebuild with --fresh",
                            ch.file, ch.line)
        outputs[id(ch)] = c.get("outputs", [])
    results = iter(inline)
    for ch in (c for c in doc.chunks if isinstance(c, Inline)):
        found = next((r for r in results if str(r.get("expression", "")).strip() == ch.expr.strip()), None)
        if found is None:
            raise DeckError(f"Quarto's executed notebook has no value for `{{python}} {ch.expr.strip()}`",
                            ch.file, ch.line)
        outputs[id(ch)] = [{"output_type": "inline_result", "data": found.get("result", {}).get("data", {})}]
    return [executed_chunk(ch, outputs.get(id(ch), [])) for ch in doc.chunks]
