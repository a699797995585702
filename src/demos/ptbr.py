"""Brazilian Portuguese number formatting for slides, tables and chart labels: 1.234,5;
'175 bi'; 'US$ 46.570'; '3,14 × 10²³'; counts and durations in words ('9,95 milhões de anos',
'1,07 milhão de anos'); months for "dados até jun. 2025"."""
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


def fmt_auto(x: float, decimals: int = 1) -> str:
    """No decimals for a whole number, else `decimals`: 1287 -> '1.287', 85.7 -> '85,7'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return fmt_num(x)
    return fmt_num(x, 0 if float(x).is_integer() else decimals)


def _drop_zero_decimals(text: str) -> str:
    """'27,0' -> '27', '2,50' -> '2,5' (zeros after the comma say nothing on a slide)."""
    return text.rstrip("0").rstrip(",") if "," in text else text


def fmt_big(x: float, decimals: int = 1) -> str:
    """Large numbers with pt-BR abbreviations: 175e9 -> '175 bi', 2.06e6 -> '2,1 mi',
    26.97e9 -> '27 bi' (a rounded-away decimal is dropped)."""
    for factor, word in _SCALES:
        if abs(x) >= factor:
            return f"{_drop_zero_decimals(fmt_auto(x / factor, decimals))} {word}"
    return fmt_auto(x, decimals)


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
    return f"{fmt_num(mant, decimals)} × 10{superscript(exp)}"


def superscript(n: int) -> str:
    """An integer as superscript digits, for powers of ten: -3 -> '⁻³'."""
    return str(int(n)).translate(_SUPERSCRIPT)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


# ---- counts and durations in words ------------------------------------------------------

SECONDS_PER_YEAR = 365.25 * 24 * 3600   # Julian year: 31,557,600 s
_UNITS = [(SECONDS_PER_YEAR, "ano", "anos"), (86400, "dia", "dias"), (3600, "hora", "horas"),
          (60, "minuto", "minutos"), (1, "segundo", "segundos")]
_WORDS = [(1e18, "quintilhão", "quintilhões"), (1e15, "quatrilhão", "quatrilhões"),
          (1e12, "trilhão", "trilhões"), (1e9, "bilhão", "bilhões"), (1e6, "milhão", "milhões"),
          (1e3, "mil", "mil")]


def _sig_decimals(v: float, digits: int) -> int:
    """Decimals that show `digits` significant digits of v (at least 0)."""
    return max(0, digits - 1 - int(math.floor(math.log10(abs(v))))) if v else 0


def _sig(v: float, digits: int) -> str:
    """fmt_num with `digits` significant digits, trailing zeros dropped: 2.1 → '2,1'."""
    return _drop_zero_decimals(fmt_num(v, _sig_decimals(v, digits)))


def takes_singular(v: float) -> bool:
    """pt-BR agreement of milhão, bilhão…: singular when the integer part is 1
    (1 milhão, 1,07 milhão, 1,5 bilhão), plural from 2 on (2 milhões)."""
    return 1 <= abs(v) < 2


def fmt_count(x: float, digits: int = 3) -> str:
    """A big count in words, `digits` significant: 9.95e6 → '9,95 milhões', 1e9 → '1 bilhão',
    1.07e6 → '1,07 milhão' (singular while the integer part is 1), 60e9 → '60 bilhões',
    1000 → 'mil'."""
    x = float(f"{x:.{digits}g}")  # round first, so 999.96 becomes 'mil', not '1.000'
    if abs(x) >= 1e21:  # beyond quintilhões the words mean nothing to an audience
        return fmt_sci(x, digits - 1)
    for factor, one, many in _WORDS:
        if abs(x) >= factor:
            v = x / factor
            v = round(v, _sig_decimals(v, digits))
            if v == 1 and one == "mil":
                return "mil"
            return f"{_sig(v, digits)} {one if takes_singular(v) else many}"
    return _sig(round(x, _sig_decimals(x, digits)), digits)


def fmt_quantity(x: float, one: str, many: str, digits: int = 3) -> str:
    """fmt_count() with its noun: '1 ano', '95,4 mil anos', '9,95 milhões de anos'."""
    text = fmt_count(x, digits)
    big = text.endswith(("ão", "ões"))  # "milhões de anos", but "95,4 mil anos"
    return f"{text} {'de ' if big else ''}{one if text == '1' else many}"


def fmt_duration(seconds: float, digits: int = 3) -> str:
    """A duration in the largest fitting unit, pt-BR: '9,95 milhões de anos', '2,1 dias'."""
    size, one, many = next(u for u in _UNITS if seconds >= u[0] or u[0] == 1)
    return fmt_quantity(seconds / size, one, many, digits)


# ---- dates ------------------------------------------------------------------------------

# Abbreviated months as pt-BR writes them in running text (ABL): "maio" has no abbreviation.
MONTH_ABBR = ["jan.", "fev.", "mar.", "abr.", "maio", "jun.", "jul.", "ago.", "set.", "out.",
              "nov.", "dez."]


def fmt_month(d) -> str:
    """A date's month and year, abbreviated: date(2025, 6, 10) -> 'jun. 2025', May -> 'maio 2025'."""
    return f"{MONTH_ABBR[d.month - 1]} {d.year}"


def fmt_day(d) -> str:
    """A date as pt-BR running text: date(2024, 12, 10) -> '10 dez. 2024' (1º for the first)."""
    day = "1º" if d.day == 1 else str(d.day)
    return f"{day} {fmt_month(d)}"
