"""Inline `` `{python} expr` `` values as Quarto writes them into the Markdown.

Quarto evaluates each inline expression as a Jupyter *user expression* after the cells above it
(quarto-cli src/resources/jupyter/notebook.py, cell_execute_inline) and inserts the result's
representation (src/core/jupyter/jupyter-inline.ts): text/html as a raw inline, text/markdown
as is, otherwise text/plain — a quoted string repr loses its quotes and gets Markdown punctuation
backslash-escaped, so `'1.287'` is written `1\\.287` and shows as 1.287. Both engines use this."""
from __future__ import annotations

import re

# Quarto's class is /([\\`*_{}\[\]()>#+-.!])/: `+-.` there is a range, so the comma is escaped too.
_MARKDOWN_PUNCT = re.compile(r"([\\`*_{}\[\]()>#+,\-.!])")


def escaped_plain(text: str) -> str:
    """Quarto's asEscapedMarkdown: only a quoted repr is unquoted and escaped."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        inner = text[1:-1].replace("\\", "\\\\")
        return _MARKDOWN_PUNCT.sub(r"\\\1", inner)
    return text


def _text(value) -> str:
    return "".join(map(str, value)) if isinstance(value, list) else str(value)


def inline_markdown(data: dict) -> str:
    """The Markdown Quarto inserts for a user-expression result's mimebundle `data`."""
    if "text/html" in data:
        return f"`{_text(data['text/html'])}`{{=html}}"
    if "text/markdown" in data:
        return _text(data["text/markdown"])
    if "text/plain" in data:
        return escaped_plain(_text(data["text/plain"]))
    return ""
