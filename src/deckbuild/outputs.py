"""Executed cells → pandoc Markdown with raw HTML blocks, the way Quarto lays them out.

Two targets share one code path: "html" (the reveal.js deck: interactive Vega-Lite
charts, raw HTML tables, <details> code folding) and "handout" (typst: the static PNG
fallback of each chart, no scripts). Images are written to `figure_dir`; the Markdown
refers to them by `figure_url` (a path relative to the page). A Vega-Lite chart with a static
print alternative (demos.print_alternative) becomes, in "html", the interactive div (screen only)
plus an <img> of the bundle's PNG, which the renderer drew from the static spec (print only)."""
from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from deckbuild.document import Cell, Document, Inline, Markdown
from demos.print_alternative import SCREEN_CLASS, print_img, screen_spec, static_spec
from demos.render_setup import PNG_SCALE

VEGALITE_MIMES = ("application/vnd.vegalite.v6+json", "application/vnd.vegalite.v5+json")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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


def fence(text: str, attrs: str = "") -> str:
    """A fenced code block long enough never to be closed by the content."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{attrs}\n{text.rstrip(chr(10))}\n{ticks}"


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


def _vega(doc: Document, cell: Cell, spec: dict, n: int, sink: FigureSink, png: bytes | None) -> str:
    """A div drawn by vega-embed from the JSON next to it; fig-alt → the SVG's aria-label. With a
    print alternative (`png`: its PNG, else None) also the print-only <img>, alt text alike."""
    ident = f"vega-{_slug(cell)}-{n + 1}"
    cap = _fig_text(doc, cell, "fig-cap", n)
    alt = _fig_text(doc, cell, "fig-alt", n) or cap or ""
    spec = screen_spec(spec)
    if alt:
        spec = {**spec, "description": alt}
    alt = alt or str(spec.get("description", ""))
    payload = json.dumps(spec, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    capt = f'\n<p class="vega-caption">{html.escape(cap)}</p>' if cap else ""
    img = screen = ""
    if png is not None:
        img = "\n" + print_img(sink.write(_figure_name(cell, n, "png"), png), png, alt, PNG_SCALE)
        screen = f" {SCREEN_CLASS}"
    return raw_html(f'<div class="vega-figure" role="figure" aria-label="{_attr(alt)}">\n'
                    f'<div id="{ident}" class="vega-chart{screen}"></div>\n'
                    f'<script type="application/json" class="vega-spec" data-target="{ident}">'
                    f'{payload}</script>{img}{capt}\n</div>')


def _display(doc: Document, cell: Cell, data: dict, sink: FigureSink, target: str, n: int,
             asis: bool) -> str:
    """One display_data / execute_result bundle, richest representation first."""
    vl = next((m for m in VEGALITE_MIMES if m in data), None)
    if vl and target == "html":
        spec = data[vl] if isinstance(data[vl], dict) else json.loads(_text(data[vl]))
        has_png = "image/png" in data and static_spec(spec) is not None
        png = base64.b64decode(_text(data["image/png"])) if has_png else None
        return _vega(doc, cell, spec, n, sink, png)
    if "image/png" in data:
        png = base64.b64decode(_text(data["image/png"]))
        return _figure(doc, cell, sink.write(_figure_name(cell, n, "png"), png), target, n)
    if "image/svg+xml" in data:
        svg = _text(data["image/svg+xml"]).encode()
        return _figure(doc, cell, sink.write(_figure_name(cell, n, "svg"), svg), target, n)
    if "text/markdown" in data:
        return _text(data["text/markdown"])
    if "text/html" in data:
        body = _text(data["text/html"])
        return body if asis and target == "html" else raw_html(f'<div class="cell-output-display">\n{body}\n</div>')
    if "text/plain" in data:
        text = _text(data["text/plain"])
        return text if asis else fence(text, " {.cell-output .cell-output-display}")
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
                pieces.append(fence(text, f" {{.cell-output .cell-output-{out.get('name', 'stdout')}}}"))
        elif kind in ("display_data", "execute_result"):
            piece = _display(doc, cell, out.get("data", {}), sink, target, n, asis)
            if piece:
                pieces.append(piece)
                n += 1
        elif kind == "error":
            trace = strip_ansi("\n".join(out.get("traceback", []))) or f"{out.get('ename')}: {out.get('evalue')}"
            pieces.append(fence(trace, " {.cell-output .cell-output-error}"))
    return pieces


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
