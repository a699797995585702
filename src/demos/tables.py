"""HTML blocks that cells show on slides: DataFrames as pt-BR slide tables, labelled inline SVG.

`slide_table(df, columns={"dataset": "Conjunto"})` picks and renames columns, formats numbers
the pt-BR way (demos.ptbr.fmt_num), escapes every cell and returns an IPython `HTML` object
with the `slide-table` class that assets/theme.scss styles (large text, calm rules)."""
from __future__ import annotations

import html
from numbers import Number

import pandas as pd

from demos.display import RawHtml
from demos.ptbr import fmt_auto, fmt_num


def _cell(value, decimals: int | None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, Number) and not isinstance(value, bool):
        return fmt_auto(value) if decimals is None else fmt_num(value, decimals)
    return html.escape(str(value))


def slide_table(df: pd.DataFrame, columns: dict[str, str] | list[str] | None = None, *,
                decimals: int | None = None, classes: str = "", caption: str | None = None):
    """`df` as an HTML table for a slide; `columns` maps names to pt-BR headers (or lists them)."""
    if columns is None:
        columns = {c: c for c in df.columns}
    elif not isinstance(columns, dict):
        columns = {c: c for c in columns}
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"slide_table: no column {', '.join(missing)} (has: {', '.join(map(str, df.columns))})")
    numeric = {c for c in columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])}
    align = {c: ' class="num"' if c in numeric else "" for c in columns}
    head = "".join(f"<th{align[c]}>{html.escape(str(label))}</th>" for c, label in columns.items())
    rows = "\n".join("<tr>" + "".join(f"<td{align[c]}>{_cell(row[c], decimals)}</td>" for c in columns) + "</tr>"
                     for _, row in df.iterrows())
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    cls = " ".join(["slide-table", classes]).strip()
    return RawHtml(f'<table class="{cls}">{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>')


def labelled_svg(svg: str, alt: str, cls: str = ""):
    """An inline `<svg>` string given role="img", an aria-label (its alt text) and a class."""
    if not alt.strip():
        raise ValueError("labelled_svg: empty alt text; describe what the image shows")
    start = svg.find("<svg")
    if start < 0:
        raise ValueError("labelled_svg: no <svg> element in the given markup")
    attrs = f' role="img" aria-label="{html.escape(alt, quote=True)}"'
    tail = svg[start + 4:]
    if cls and 'class="' in tail.split(">", 1)[0]:
        tail = tail.replace('class="', f'class="{cls} ', 1)
    elif cls:
        attrs += f' class="{cls}"'
    return RawHtml(svg[:start] + "<svg" + attrs + tail)
