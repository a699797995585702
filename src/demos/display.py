"""What a cell shows, emitted the same way for both engines: HTML inside a raw-HTML Markdown block.

A cell's rich output (a chart, a table, token chips, a QR code) is a `text/markdown` bundle that
holds one ```` ```{=html} ```` fence. Quarto inserts text/markdown verbatim and pandoc passes the raw
block through untouched, so the page gets exactly this HTML under Quarto and under the built-in
engine. A `text/html` output would not do: any text/html in a notebook makes Quarto add require.js
and jQuery from a CDN (quarto-cli src/core/jupyter/widgets.ts), and Quarto rewrites raw HTML tables
unless the block carries `<!--| quarto-html-table-processing: none -->` (filters/modules/patterns.lua),
which every block here does. An optional `image/png` is the static picture the handout prints.
"""
from __future__ import annotations

import base64
import re

TABLE_PROCESSING_OFF = "<!--| quarto-html-table-processing: none -->"
PLAIN_TEXT = "<deck output>"


def fence(text: str, attrs: str = "") -> str:
    """A fenced code block long enough never to be closed by the content."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{attrs}\n{text.rstrip(chr(10))}\n{ticks}"


def raw_html_block(html: str) -> str:
    """Markdown for HTML that must reach the page verbatim (both engines, Quarto's table pass off)."""
    return fence(f"{TABLE_PROCESSING_OFF}\n{html}", "{=html}")


def markdown_bundle(html: str, png: bytes | None = None, plain: str = PLAIN_TEXT) -> dict:
    """The mimebundle of a rich output: the raw-HTML Markdown block, plus a PNG for static outputs."""
    bundle = {"text/markdown": raw_html_block(html), "text/plain": plain}
    if png is not None:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    return bundle


class RawHtml:
    """HTML a cell displays (IPython calls `_repr_mimebundle_`). `html` is trusted markup built by
    demos code, in which every piece of model or user text has already been escaped."""

    def __init__(self, html: str, png: bytes | None = None):
        self.html, self.png = html, png

    def _repr_mimebundle_(self, include=None, exclude=None):
        return markdown_bundle(self.html, self.png)

    def __repr__(self) -> str:
        return f"RawHtml({len(self.html)} characters)"
