"""Dates the way Quarto shows them: `date:` parsed as a date and written with `date-format`.

Quarto (src/core/date.ts, src/command/render/pandoc.ts) parses `date` before any shortcode runs
and formats it with dayjs in the document's `lang` locale ("iso" → YYYY-MM-DD by default; "full",
"long", "medium", "short" through Intl.DateTimeFormat). Free text in `date` becomes "Invalid Date"
there, so the built-in engine refuses it with a one-line error instead of showing it. Quarto's
special values of `date` are accepted (src/core/date.ts:22-24, 94-125; src/command/render/
pandoc.ts:1181-1193 resolves `date` and `date-modified` against `options.source`): `today` and
`now` are today's date, `last-modified` the main .qmd's modification time (local time, as there).
parse_date is the one date parser: deckbuild.config_check checks every date through it. This module
implements the dayjs format tokens a deck uses (YYYY YY MMMM MMM MM M DD D dddd ddd, [literal])
with dayjs' pt-br (and en) month and day names; tests compare it with dayjs itself."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from deckbuild.document import DeckError

NAMES = {
    "pt": {"months": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
                      "setembro", "outubro", "novembro", "dezembro"],
           "months_short": ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out",
                            "nov", "dez"],
           "days": ["domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira",
                    "sexta-feira", "sábado"],
           "days_short": ["dom", "seg", "ter", "qua", "qui", "sex", "sáb"],
           "long": "D [de] MMMM [de] YYYY"},
    "en": {"months": ["January", "February", "March", "April", "May", "June", "July", "August",
                      "September", "October", "November", "December"],
           "months_short": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                            "Nov", "Dec"],
           "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
           "days_short": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
           "long": "MMMM D, YYYY"},
}
_TOKEN = re.compile(r"\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|d")


QUARTO_DATE_KEYS = ("date", "date-modified")         # pandoc.ts:1183: the keys Quarto resolves
SPECIAL_DATES = ("today", "now", "last-modified")    # date.ts:22-24 (kToday, kNow, kLastModified)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_special(value) -> bool:
    """One of Quarto's special dates: compared exactly, as date.ts:94-97 (`===`) does."""
    return isinstance(value, str) and value in SPECIAL_DATES


def _today() -> dt.date:
    return dt.date.today()


def special_date(value: str, source: str | Path | None) -> dt.date:
    """date.ts:99-125: `today`/`now` → today; `last-modified` → the mtime of `source`."""
    if value != "last-modified":
        return _today()
    if not source or not Path(source).is_file():
        raise DeckError("`date: last-modified` needs the document's file to read its modification "
                        "time", str(source) if source else None)
    return dt.datetime.fromtimestamp(Path(source).stat().st_mtime).date()


def parse_date(value, where: str = "", key: str = "date", source: str | Path | None = None) -> dt.date:
    """`value` of `key` as a date: a YAML date or 'YYYY-MM-DD' text, and for Quarto's own date
    keys also today/now/last-modified (resolved against `source`, the main .qmd). Anything else
    is a one-line DeckError (naming `where`)."""
    quarto = key in QUARTO_DATE_KEYS
    if quarto and is_special(value):
        return special_date(value, source)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    if not quarto:
        raise DeckError(f"'{key}' must be a real date written YYYY-MM-DD (got {value!r})", where or None)
    raise DeckError(f"`{key}: {text}` is not a date: Quarto parses `{key}` as a date before any "
                    "shortcode runs and would show 'Invalid Date'; give YYYY-MM-DD (or today, now, "
                    "last-modified) and `date-format`, and put event text elsewhere", where or None)


def _names(lang: str) -> dict:
    return NAMES.get(str(lang or "en").lower().split("-")[0], NAMES["en"])


def format_date(day: dt.date, date_format: str | None = None, lang: str = "en") -> str:
    """`day` written like Quarto's formatDate (dayjs tokens; Quarto's default is "iso")."""
    fmt = date_format or "iso"
    names = _names(lang)
    if fmt == "iso":
        fmt = "YYYY-MM-DD"
    elif fmt in ("full", "long", "medium", "short"):
        fmt = {"full": "dddd, " + names["long"], "long": names["long"],
               "medium": "D [de] MMM[.] [de] YYYY" if names is NAMES["pt"] else "MMM D, YYYY",
               "short": "DD/MM/YYYY" if names is NAMES["pt"] else "M/D/YY"}[fmt]
    weekday = (day.weekday() + 1) % 7                     # dayjs: 0 = Sunday

    def token(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        return {"YYYY": f"{day.year:04d}", "YY": f"{day.year % 100:02d}",
                "MMMM": names["months"][day.month - 1], "MMM": names["months_short"][day.month - 1],
                "MM": f"{day.month:02d}", "M": str(day.month), "DD": f"{day.day:02d}",
                "D": str(day.day), "dddd": names["days"][weekday], "ddd": names["days_short"][weekday],
                "d": str(weekday)}[m.group(0)]
    return _TOKEN.sub(token, fmt)


def document_date(metadata: dict, where: str = "", source: str | Path | None = None) -> str | None:
    """The title slide's date text of a document's metadata (None when it has no `date`);
    `source`: the main .qmd, for `last-modified` (default: `where`, the document's path)."""
    if metadata.get("date") in (None, ""):
        return None
    return format_date(parse_date(metadata["date"], where, source=source or where),
                       metadata.get("date-format"), metadata.get("lang", "en"))
