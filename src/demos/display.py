"""What a cell shows, emitted the same way for both engines: HTML inside a raw-HTML Markdown block.

A cell's rich output (a chart, a table, token chips, a QR code) is a `text/markdown` bundle that
holds one ```` ```{=html} ```` fence. Quarto inserts text/markdown verbatim and pandoc passes the raw
block through untouched, so the page gets exactly this HTML under Quarto and under the built-in
engine. A `text/html` output would not do: any text/html in a notebook makes Quarto add require.js
and jQuery from a CDN (quarto-cli src/core/jupyter/widgets.ts), and Quarto rewrites raw HTML tables
unless the block carries `<!--| quarto-html-table-processing: none -->` (filters/modules/patterns.lua),
which every block here does. An optional `image/png` is the static picture the handout prints,
and an optional HANDOUT_MIME part is the handout's own rendering (a raw typst block), for
outputs that HTML-to-typst would flatten (token chips). Quarto ignores both.
"""
from __future__ import annotations

import base64
import re

TABLE_PROCESSING_OFF = "<!--| quarto-html-table-processing: none -->"
PLAIN_TEXT = "<deck output>"
HANDOUT_MIME = "text/x-deck-handout"     # Markdown for the handout only (deckbuild.outputs)


def fence(text: str, attrs: str = "") -> str:
    """A fenced code block long enough never to be closed by the content."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{attrs}\n{text.rstrip(chr(10))}\n{ticks}"


def raw_html_block(html: str) -> str:
    """Markdown for HTML that must reach the page verbatim (both engines, Quarto's table pass off)."""
    return fence(f"{TABLE_PROCESSING_OFF}\n{html}", "{=html}")


def markdown_bundle(html: str, png: bytes | None = None, plain: str = PLAIN_TEXT,
                    handout: str | None = None) -> dict:
    """The mimebundle of a rich output: the raw-HTML Markdown block, plus a PNG for static
    outputs and the handout's own Markdown when given."""
    bundle = {"text/markdown": raw_html_block(html), "text/plain": plain}
    if png is not None:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    if handout is not None:
        bundle[HANDOUT_MIME] = handout
    return bundle


def typst_string(text: str) -> str:
    """A typst string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def raw_typst_block(code: str) -> str:
    return fence(code, "{=typst}")


class RawHtml:
    """HTML a cell displays (IPython calls `_repr_mimebundle_`). `html` is trusted markup built by
    demos code, in which every piece of model or user text has already been escaped."""

    def __init__(self, html: str, png: bytes | None = None, handout: str | None = None):
        self.html, self.png, self.handout = html, png, handout

    def _repr_mimebundle_(self, include=None, exclude=None):
        return markdown_bundle(self.html, self.png, handout=self.handout)

    def __repr__(self) -> str:
        return f"RawHtml({len(self.html)} characters)"
