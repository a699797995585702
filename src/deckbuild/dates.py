"""Dates the way Quarto shows them: `date:` parsed as a date and written with `date-format`.

Quarto (src/core/date.ts, src/command/render/pandoc.ts) parses `date` before any shortcode runs
and formats it with dayjs in the document's `lang` locale ("iso" → YYYY-MM-DD by default; "full",
"long", "medium", "short" through Intl.DateTimeFormat). Free text in `date` becomes "Invalid Date"
there, so the built-in engine refuses it with a one-line error instead of showing it. This module
implements the dayjs format tokens a deck uses (YYYY YY MMMM MMM MM M DD D dddd ddd, [literal])
with dayjs' pt-br (and en) month and day names; tests compare it with dayjs itself."""
from __future__ import annotations

import datetime as dt
import re

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


def parse_date(value, where: str = "", key: str = "date") -> dt.date:
    """A `date:` value (YAML date or 'YYYY-MM-DD' text) as a date; anything else is a DeckError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise DeckError(f"`{key}: {text}` is not a date: Quarto parses `{key}` as a date before any "
                    "shortcode runs and would show 'Invalid Date'; give YYYY-MM-DD (and "
                    "`date-format`), and put event text elsewhere", where or None)


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


def document_date(metadata: dict, where: str = "") -> str | None:
    """The title slide's date text of a document's metadata (None when it has no `date`)."""
    if metadata.get("date") in (None, ""):
        return None
    return format_date(parse_date(metadata["date"], where), metadata.get("date-format"),
                       metadata.get("lang", "en"))
