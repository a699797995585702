"""Brazilian Portuguese number formatting for slides, tables and chart labels (1.234,5)."""
from __future__ import annotations

import math

# d3-format locale for Vega/Vega-Lite (`config.locale.number`) and vl-convert's `format_locale`.
VEGA_NUMBER_LOCALE = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["R$ ", ""],
}
VEGA_TIME_LOCALE = {
    "dateTime": "%A, %e de %B de %Y. %X",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["domingo", "segunda", "terça", "quarta", "quinta", "sexta", "sábado"],
    "shortDays": ["dom", "seg", "ter", "qua", "qui", "sex", "sáb"],
    "months": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
               "agosto", "setembro", "outubro", "novembro", "dezembro"],
    "shortMonths": ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set",
                    "out", "nov", "dez"],
}


def fmt_num(x: float, decimals: int = 0) -> str:
    """Format a number the pt-BR way: fmt_num(1234.5, 1) -> '1.234,5'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"  # 1,234.5 (en)
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_pct(p: float, decimals: int = 1) -> str:
    """A probability (0..1) as a pt-BR percentage: 0.0952 -> '9,5%'."""
    return fmt_num(100 * p, decimals) + "%"


_SCALES = [(1e12, "tri"), (1e9, "bi"), (1e6, "mi"), (1e3, "mil")]


def fmt_big(x: float, decimals: int = 1) -> str:
    """Large numbers with pt-BR words: 175e9 -> '175 bi', 2.06e6 -> '2,1 mi'."""
    for factor, word in _SCALES:
        if abs(x) >= factor:
            v = x / factor
            d = 0 if float(v).is_integer() else decimals
            return f"{fmt_num(v, d)} {word}"
    return fmt_num(x, 0 if float(x).is_integer() else decimals)


def fmt_usd(x: float, decimals: int = 0) -> str:
    """US dollars: 46570 -> 'US$ 46.570'; 130.5e9 -> 'US$ 130,5 bi' (via fmt_big)."""
    if abs(x) >= 1e6:
        return "US$ " + fmt_big(x)
    return "US$ " + fmt_num(x, decimals)


def fmt_sci(x: float, decimals: int = 2) -> str:
    """Scientific notation for slides: 3.14e23 -> '3,14 × 10²³'."""
    if x == 0:
        return "0"
    exp = int(math.floor(math.log10(abs(x))))
    mant = x / 10**exp
    sup = str(exp).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{fmt_num(mant, decimals)} × 10{sup}"
