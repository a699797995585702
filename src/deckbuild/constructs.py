"""Quarto Markdown the built-in engine does not render: each is refused with file:line and its name.

The built-in engine renders what pandoc's revealjs writer renders plus what
templates/quarto_compat.lua adds (callouts, `.absolute`, auto-stretch, `fig-alt`). Anything else
that Quarto turns into different HTML would come out silently wrong, so the reader calls
`check_line` on every Markdown line outside code blocks and raises a DeckError naming the
construct and what to do. A remote image is refused under both engines: the deck must work
offline (Quarto would leave the URL in the page)."""
from __future__ import annotations

import re

from deckbuild.document import DeckError

# Quarto cross-reference kinds (quarto-cli src/resources/filters/crossref/, crossref categories).
CROSSREF = ("fig", "tbl", "lst", "eq", "sec", "thm", "lem", "cor", "prp", "cnj", "def", "exm",
            "exr", "sol", "rem", "alg", "nte", "tip", "wrn", "imp", "cau")
_KINDS = "|".join(CROSSREF)
_DIV = re.compile(r"^\s*:{3,}\s*\{(?P<attrs>[^}]*)\}|^\s*:{3,}\s*(?P<name>[\w-]+)\s*$")
_CROSSREF_ID = re.compile(rf"\{{[^}}]*#(?:{_KINDS})-[\w-]+")
_CROSSREF_USE = re.compile(rf"(?<![\w@.])@(?:{_KINDS})-[\w-]+")
_REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)|<img\b[^>]*\bsrc=[\"']((?:https?:)?//[^\"']+)",
                           re.I)
_BACKGROUND = re.compile(r"background-(?:image|video|iframe)=[\"']?((?:https?:)?//[^\"'\s}]+)", re.I)
UNSUPPORTED_DIVS = {
    "panel-tabset": "tabsets (`.panel-tabset`)",
    "panel-sidebar": "sidebar panels (`.panel-sidebar`)",
    "panel-fill": "panel layouts (`.panel-fill`)",
    "panel-center": "panel layouts (`.panel-center`)",
    "panel-input": "panel layouts (`.panel-input`)",
    "aside": "asides (`::: aside`)",
    "column-margin": "margin content (`.column-margin`)",
}
_LAYOUT_ATTR = re.compile(r"\blayout(?:-ncol|-nrow|-valign)?\s*=")


def _fail(what: str, file: str, line: int, hint: str = "render with Quarto, or rewrite it") -> None:
    raise DeckError(f"{what} is not supported by the built-in engine: {hint}", file, line)


def check_line(text: str, file: str, line: int, builtin: bool = True) -> None:
    """Raise a DeckError for a remote image on this Markdown line (either engine) or, when the
    built-in engine renders (`builtin`), a Quarto construct it would drop or mangle."""
    for rx in (_REMOTE_IMAGE, _BACKGROUND):
        m = rx.search(text)
        if m:
            url = next(g for g in m.groups() if g)
            raise DeckError(f"remote image {url}: the deck must work offline; save the file into "
                            "assets/ and refer to it by its path", file, line)
    if not builtin:
        return
    div = _DIV.match(text)
    if div:
        attrs = div.group("attrs") or ""
        classes = set(re.findall(r"\.([\w-]+)", attrs)) | ({div.group("name")} if div.group("name") else set())
        for cls in classes & set(UNSUPPORTED_DIVS):
            _fail(UNSUPPORTED_DIVS[cls], file, line)
        if _LAYOUT_ATTR.search(attrs):
            _fail("figure layouts (`layout-ncol`, `layout-nrow`, `layout=`)", file, line,
                  "use `::: {.columns}` with `::: {.column}`")
    if _CROSSREF_ID.search(text) or _CROSSREF_USE.search(text):
        ref = (_CROSSREF_ID.search(text) or _CROSSREF_USE.search(text)).group(0)
        _fail(f"cross-references (`{ref.lstrip('{')}`)", file, line,
              "write the reference as text (\"a figura abaixo\") or render with Quarto")


def check_cell_label(label: str | None, file: str, line: int) -> None:
    """A cell `label` with a cross-reference prefix (fig-, tbl-…) makes Quarto number a float."""
    if label and re.match(rf"^(?:{_KINDS})-", str(label)):
        _fail(f"cross-reference labels (`#| label: {label}`)", file, line,
              "use a label without a fig-/tbl- prefix, or render with Quarto")
