"""Shared parts of the market and hardware charts (demos.market_charts, demos.gpu_charts): the
title with its grey "Fonte: … · dados até jun. 2025" subtitle (wrapped so it never widens the
chart), pt-BR axis label expressions, axis ends that grow with the data, and US$ labels."""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from demos.facts import as_of_text
from demos.ptbr import VEGA_TIME_LOCALE, fmt_num
from demos.style import NOTE, NOTE_COLOR, TEXT_DENSE, TITLE

FONT_LABEL = TEXT_DENSE
MONTHS = VEGA_TIME_LOCALE["shortMonths"]
SUBTITLE = {"subtitleFontSize": NOTE, "subtitlePadding": 6,
            "fontSize": TITLE - 4, "anchor": "start", "offset": 10}


SUBTITLE_CHARS = 80     # a subtitle line at NOTE px that stays inside a CHART_WIDTH chart


def chart_title(text: str, *subtitle: str) -> alt.Title:
    """A chart title with grey subtitle lines (the origin / "Fonte: …" line), each wrapped so
    the title never makes the chart wider than the slide (which would shrink all its text)."""
    lines = [w for line in subtitle for w in textwrap.wrap(line, SUBTITLE_CHARS)]
    return alt.Title(text, subtitle=lines, subtitleColor=NOTE_COLOR, **SUBTITLE)


def source_line(text: str, df: pd.DataFrame) -> str:
    """'Fonte: … · dados até jun. 2025' (the cutoff the frame was read with)."""
    until = as_of_text(df.attrs.get("cutoff"))
    return f"Fonte: {text}" + (f" · {until}." if until else ".")


def axis_expr(divisor: float, suffix: str = "", decimals: int = 1) -> str:
    """A Vega labelExpr printing `value / divisor` with a decimal comma, e.g. '2,5 mi'."""
    shown = (f"replace(format(datum.value / {divisor}, '.{decimals}~f'), '.', ',')"
             + (f" + ' {suffix}'" if suffix else ""))
    return f"datum.value == 0 ? '0' : {shown}"


# Integers with a dot for thousands in any locale (en "1,600" -> "1.600"; pt-BR is unchanged).
INT_AXIS_EXPR = "replace(format(datum.value, ',.0f'), regexp(',', 'g'), '.')"


def axis_max(values, at_least: float, room: float = 1.15) -> float:
    """The axis end: `at_least` (chosen for the current data and its labels), or more when
    the data grow, so a new row in data/ never draws past the axis."""
    return max(float(at_least), room * float(pd.Series(values).max()))


def trim_zero(num: str) -> str:
    """'27,0' -> '27' (a trailing zero decimal says nothing on a slide)."""
    return num[:-2] if num.endswith(",0") else num


def usd_bi(x: float) -> str:
    """US dollars in billions: 130.5e9 -> 'US$ 130,5 bi', 26.97e9 -> 'US$ 27 bi'."""
    return f"US$ {trim_zero(fmt_num(x / 1e9, 1))} bi"
