"""Executed cells → pandoc Markdown with raw HTML blocks, the way Quarto lays them out.

Two targets share one code path: "html" (the reveal.js deck) and "handout" (typst). Each
display output is turned into Markdown from one representation, chosen as Quarto chooses it
(quarto-cli src/core/jupyter/display-data.ts): for the deck text/markdown, then SVG, PNG, JPEG,
text/plain; for the static handout the images first. The deck's rich outputs (charts, tables,
chips) are text/markdown raw-HTML blocks (demos.display) and pass through unchanged, so both
engines show the same HTML. A text/html output is refused (DeckError naming file:line): under
Quarto it would make the page load require.js and jQuery from a CDN. Images are written to
`figure_dir` and referred to by `figure_url` (a path relative to the page); `fig-alt`/`fig-cap`
apply to images, as in Quarto, and are refused on other outputs (a chart's alt text is its own)."""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path

from deckbuild.document import Cell, DeckError, Document, Inline, Markdown
from demos.display import HANDOUT_MIME, fence

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
DECK_ORDER = ("text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain")
HANDOUT_ORDER = (HANDOUT_MIME, "image/png", "image/svg+xml", "image/jpeg", "text/markdown", "text/plain")
REFUSED = ("text/html", "application/javascript")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


@dataclass
class FigureSink:
    """Where figure files go: `dir` on disk, referenced in the page as `url_prefix/<name>`."""
    dir: Path
    url_prefix: str

    def write(self, name: str, data: bytes) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / name).write_bytes(data)
        return f"{self.url_prefix}/{name}"


def raw_html(snippet: str) -> str:
    return fence(snippet, "{=html}")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _attr(value) -> str:
    return html.escape(str(value), quote=True)


def _slug(cell: Cell) -> str:
    return f"cell-{cell.index + 1}"


def _figure_name(cell: Cell, n: int, ext: str) -> str:
    return f"{_slug(cell)}-output-{n + 1}.{ext}"


def code_markdown(doc: Document, cell: Cell, target: str) -> str:
    """The cell's source as a Python code block, folded in a <details> when `code-fold` is set."""
    block = fence(cell.source, " {.python .cell-code}")
    fold = doc.cell_option(cell, "code-fold", False)
    if target != "html" or fold in (False, None, "false"):
        return block
    default = "Código" if str(doc.metadata.get("lang", "")).startswith("pt") else "Code"
    summary = _attr(doc.cell_option(cell, "code-summary", default))
    opened = " open" if fold == "show" else ""
    return "\n\n".join([raw_html(f'<details class="code-fold"{opened}><summary>{summary}</summary>'),
                        block, raw_html("</details>")])


def _fig_text(doc: Document, cell: Cell, key: str, n: int) -> str | None:
    """`fig-cap` / `fig-alt` of the cell's n-th figure (a list gives one text per figure)."""
    value = doc.cell_option(cell, key)
    if isinstance(value, list):
        value = value[n] if n < len(value) else None
    return str(value) if value else None


def _figure(doc: Document, cell: Cell, url: str, target: str, n: int) -> str:
    cap = _fig_text(doc, cell, "fig-cap", n)
    alt = _fig_text(doc, cell, "fig-alt", n) or cap or ""
    if target != "html":
        caption = str(cap or "").replace("[", r"\[").replace("]", r"\]")
        return f"![{caption}]({url}){{width=80%}}"
    label = doc.cell_option(cell, "label")
    ident = f' id="{_attr(label)}"' if label and n == 0 else ""
    capt = f"\n<figcaption>{html.escape(cap)}</figcaption>" if cap else ""
    return raw_html(f'<div{ident} class="quarto-figure quarto-figure-center">\n<figure>\n'
                    f'<p><img src="{_attr(url)}" alt="{_attr(alt)}" class="cell-figure"></p>{capt}\n'
                    f'</figure>\n</div>')


def _where(cell: Cell) -> tuple[str, int]:
    return cell.file, cell.line


def _display(doc: Document, cell: Cell, data: dict, sink: FigureSink, target: str, n: int,
             asis: bool) -> str:
    """One display_data / execute_result bundle, in the representation Quarto would pick."""
    refused = [m for m in REFUSED if m in data]
    if refused:
        raise DeckError(f"cell output is {refused[0]}: under Quarto any text/html output makes the "
                        "page load require.js and jQuery from a CDN; show HTML with "
                        "demos.display.RawHtml (a raw-HTML Markdown block) instead", *_where(cell))
    order = DECK_ORDER if target == "html" else HANDOUT_ORDER
    mime = next((m for m in order if m in data), None)
    if mime in ("image/png", "image/jpeg"):
        ext = "png" if mime == "image/png" else "jpg"
        url = sink.write(_figure_name(cell, n, ext), base64.b64decode(_text(data[mime])))
        return _figure(doc, cell, url, target, n)
    if mime == "image/svg+xml":
        return _figure(doc, cell, sink.write(_figure_name(cell, n, "svg"), _text(data[mime]).encode()),
                       target, n)
    for key in ("fig-alt", "fig-cap"):
        if target == "html" and mime == "text/markdown" and _fig_text(doc, cell, key, n):
            raise DeckError(f"`{key}` applies to image outputs only (Quarto ignores it on this cell's "
                            "HTML output): give the chart or table its own description instead",
                            *_where(cell))
    if mime in ("text/markdown", HANDOUT_MIME):
        return _text(data[mime])
    if mime == "text/plain":
        text = _text(data[mime])
        return text if asis else fence(text)
    return ""


def outputs_markdown(doc: Document, cell: Cell, outputs: list[dict], sink: FigureSink,
                     target: str = "html") -> list[str]:
    """Markdown pieces for a cell's outputs, honouring output/warning/error options."""
    asis = doc.cell_option(cell, "output", True) == "asis"
    show_warnings = doc.cell_option(cell, "warning", True) not in (False, "false")
    pieces, n = [], 0
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            text = strip_ansi(_text(out.get("text", "")))
            if out.get("name") == "stderr" and not show_warnings:
                continue
            if asis and out.get("name") == "stdout":
                pieces.append(text)
            elif text.strip():
                pieces.append(_enclose(fence(text), f"cell-output-{out.get('name', 'stdout')}"))
        elif kind in ("display_data", "execute_result"):
            data = out.get("data", {})
            piece = _display(doc, cell, data, sink, target, n, asis)
            if piece:
                markdown = target == "html" and "text/markdown" in data
                pieces.append(piece if asis else _enclose(
                    piece, "cell-output-display" + (" .cell-output-markdown" if markdown else "")))
                n += 1
        elif kind == "error":
            trace = strip_ansi("\n".join(out.get("traceback", []))) or f"{out.get('ename')}: {out.get('evalue')}"
            pieces.append(_enclose(fence(trace), "cell-output-error"))
    return pieces


def _enclose(piece: str, kind: str) -> str:
    """One output in its div, as Quarto writes it (`::: {.cell-output .cell-output-display}`)."""
    return f"::: {{.cell-output .{kind}}}\n\n{piece}\n\n:::"


def cell_markdown(doc: Document, cell: Cell, outputs: list[dict], sink: FigureSink,
                  target: str = "html") -> str:
    """The whole cell (code + outputs) as Markdown, or '' when `include: false`."""
    if doc.cell_option(cell, "include", True) in (False, "false"):
        return ""
    pieces = []
    if doc.cell_option(cell, "echo", True) not in (False, "false"):
        pieces.append(code_markdown(doc, cell, target))
    if doc.cell_option(cell, "output", True) not in (False, "false"):
        pieces += outputs_markdown(doc, cell, outputs, sink, target)
    if not pieces:
        return ""
    body = "\n\n".join(pieces)
    if doc.cell_option(cell, "output", True) == "asis":
        return f"\n\n{body}\n\n"
    return f"\n\n::: {{.cell}}\n\n{body}\n\n:::\n\n"


def document_markdown(doc: Document, executed: list, sink: FigureSink, target: str = "html") -> str:
    """The whole deck as pandoc Markdown: text chunks verbatim, cells rendered, inline values
    inserted as Markdown (like Quarto does)."""
    parts = []
    for ex in executed:
        ch = ex.chunk
        if isinstance(ch, Markdown):
            parts.append(ch.text)
        elif isinstance(ch, Inline):
            parts.append(ex.text)
        else:
            parts.append(cell_markdown(doc, ch, ex.outputs, sink, target))
    return "".join(parts)
