"""The parsed deck: what the .qmd reader hands to the executor and the renderers.

A Document is the merged metadata plus an ordered list of chunks: Markdown text,
executable cells and inline expressions, each remembering the file and line it came
from so that every error can name them."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class DeckError(Exception):
    """A problem in the deck's input, reported as one line: 'file:line: what to fix'."""

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None):
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(where + message)


@dataclass
class Markdown:
    """Plain Quarto/pandoc Markdown with shortcodes and includes already resolved."""
    text: str
    file: str
    line: int


@dataclass
class Cell:
    """A ```{python} cell. `options` are the parsed `#|` lines (YAML values), with
    document/project `execute:` defaults NOT merged in (see Document.cell_option)."""
    source: str                  # the code without its `#|` lines
    options: dict
    file: str
    line: int                    # line of the opening fence
    slide_title: str = ""        # nearest heading above, for progress and errors
    index: int = 0               # position among the document's cells


@dataclass
class Inline:
    """An inline expression `` `{python} expr` ``; rendered as str(value)."""
    expr: str
    file: str
    line: int
    slide_title: str = ""


Chunk = Markdown | Cell | Inline


@dataclass
class Document:
    path: Path                    # the .qmd that was rendered
    root: Path                    # project root (holds _quarto.yml)
    profile: str                  # active profile name
    metadata: dict                # _quarto.yml < _quarto-<profile>.yml < front matter, merged
    chunks: list[Chunk] = field(default_factory=list)
    files_read: list[Path] = field(default_factory=list)   # includes, configs (for the cache key)

    @property
    def cells(self) -> list[Cell]:
        return [c for c in self.chunks if isinstance(c, Cell)]

    def format_options(self, fmt: str = "revealjs") -> dict:
        """`format: <fmt>:` options of the merged metadata."""
        f = self.metadata.get("format") or {}
        return dict(f.get(fmt) or {}) if isinstance(f, dict) else {}

    def cell_option(self, cell: Cell, key: str, default=None):
        """A cell option, falling back to the format's then the document's `execute:` defaults."""
        if key in cell.options:
            return cell.options[key]
        for scope in (self.format_options().get("execute") or {}, self.metadata.get("execute") or {}):
            if key in scope:
                return scope[key]
        return default
