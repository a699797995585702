"""Checks on deck metadata (a _quarto*.yml file or a front matter) before any cell runs.

Top-level keys must be Quarto's (document + project keys, from deckbuild.quarto_keys) or ours
(`event:`, `deck:`); `format: revealjs:` and `execute:` keys must be Quarto's too. Our blocks are
checked key by key: real dates with end >= start, #RRGGBB colours, logo files that exist; a
file that sets both `date` (the talk's day, on the title slide) and `event:` has it within the
event (event.start is the data cutoff).
`date` takes what Quarto takes (deckbuild.dates.parse_date, the one date parser: YYYY-MM-DD or
Quarto's today / now / last-modified, resolved when the deck renders).
Every problem is one DeckError naming the file, the dotted key and, when known, the line."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import yaml

from . import dates
from .document import DeckError
from .quarto_keys import DOCUMENT_KEYS, EXECUTE_KEYS, FORMAT_NAMES, PROJECT_KEYS, REVEALJS_KEYS

EVENT_KEYS = {"name", "tagline", "start", "end", "dates", "city", "venue", "logo", "handout-url", "colors"}
COLOR_KEYS = {"ink", "accent", "bolt", "teal", "magenta", "gray", "light"}
DECK_KEYS = {"model", "tokenizer-contrast-model", "prompts", "temperature", "seed"}
PROMPT_KEYS = {"english", "next-token", "generation", "attention", "tokenization", "token-cost",
               "hallucination"}
OWN_KEYS = {"event", "deck"}
TOP_KEYS = frozenset(DOCUMENT_KEYS | PROJECT_KEYS | OWN_KEYS)

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _is_format(name: str) -> bool:
    """Quarto's pattern: an optional `<extension>-` prefix and `+ext`/`-ext` suffixes."""
    return any(re.match(rf"^(.+-)?{re.escape(f)}([-+].+)?$", name) for f in FORMAT_NAMES)


def did_you_mean(word, choices) -> str:
    """"; did you mean 'x'?" for the closest of `choices`, or '' when none is close."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def key_lines(text: str, first_line: int = 1) -> dict[str, int]:
    """Dotted key path -> line number of that key in a YAML text (best effort, {} on error)."""
    out: dict[str, int] = {}

    def walk(node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    path = f"{prefix}{k.value}"
                    out.setdefault(path, first_line + k.start_mark.line)
                    walk(v, path + ".")
    try:
        walk(yaml.compose(text, Loader=yaml.SafeLoader), "")
    except yaml.YAMLError:
        pass
    return out


class _Checker:
    def __init__(self, file: str, root: Path, base_dir: Path, lines: dict[str, int]):
        self.file, self.root, self.base_dir, self.lines = file, root, base_dir, lines

    def fail(self, key: str, message: str):
        line = self.lines.get(key)
        while line is None and "." in key:          # fall back to the enclosing key's line
            key = key.rsplit(".", 1)[0]
            line = self.lines.get(key)
        raise DeckError(message, self.file, line)

    def keys(self, block: dict, allowed, prefix: str, what: str) -> None:
        for key in block:
            if key not in allowed:
                self.fail(f"{prefix}{key}",
                          f"unknown {what} '{prefix}{key}'{did_you_mean(key, allowed)}")

    def mapping(self, value, key: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, f"'{key}' must be a mapping of `key: value` lines")
        return value

    def text(self, value, key: str) -> None:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"'{key}' must be a non-empty text (got {value!r})")

    def date(self, value, key: str) -> dt.date | None:
        """`value` through dates.parse_date; None for Quarto's special `date` values (today,
        now, last-modified: valid, resolved when the deck renders)."""
        if key in dates.QUARTO_DATE_KEYS and dates.is_special(value):
            return None
        try:
            return dates.parse_date(value, key=key)
        except DeckError as e:
            self.fail(key, e.message)

    def path(self, value, key: str) -> None:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"'{key}' must be a file path (got {value!r})")
        target = (self.root / value.lstrip("/")) if value.startswith("/") \
            else (self.base_dir / value)
        if not target.is_file():
            self.fail(key, f"'{key}': file '{value}' does not exist "
                           f"(paths are relative to {self.base_dir})")


def _check_event(c: _Checker, event) -> dict:
    """Check the `event:` block; returns its dates ({"start": date, "end": date}, those given)."""
    event = c.mapping(event, "event")
    c.keys(event, EVENT_KEYS, "event.", "event key")
    for key in ("name", "tagline", "dates", "city", "venue"):
        if key in event:
            c.text(event[key], f"event.{key}")
    if "handout-url" in event:
        url = event["handout-url"]
        if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
            c.fail("event.handout-url", f"'event.handout-url' must be an http(s) URL (got {url!r})")
    days = {k: c.date(event[k], f"event.{k}") for k in ("start", "end") if k in event}
    if len(days) == 2 and days["end"] < days["start"]:
        c.fail("event.end", f"'event.end' ({days['end']}) is before 'event.start' "
                            f"({days['start']})")
    if "logo" in event:
        c.path(event["logo"], "event.logo")
    if "colors" in event:
        colors = c.mapping(event["colors"], "event.colors")
        c.keys(colors, COLOR_KEYS, "event.colors.", "colour")
        for key, value in colors.items():
            if not isinstance(value, str) or not _COLOR.match(value):
                c.fail(f"event.colors.{key}",
                       f"'event.colors.{key}' must be a colour written #RRGGBB (got {value!r})")
    return days


def _check_deck(c: _Checker, deck) -> None:
    deck = c.mapping(deck, "deck")
    c.keys(deck, DECK_KEYS, "deck.", "deck key")
    for key in ("model", "tokenizer-contrast-model"):
        if key in deck:
            c.text(deck[key], f"deck.{key}")
    if "prompts" in deck:
        prompts = c.mapping(deck["prompts"], "deck.prompts")
        c.keys(prompts, PROMPT_KEYS, "deck.prompts.", "prompt")
        for key, value in prompts.items():
            for item in (value if isinstance(value, list) and value else [value]):
                c.text(item, f"deck.prompts.{key}")
    if "temperature" in deck:
        t = deck["temperature"]
        if isinstance(t, bool) or not isinstance(t, (int, float)) or t <= 0:
            c.fail("deck.temperature", f"'deck.temperature' must be a number > 0 (got {t!r})")
    if "seed" in deck:
        s = deck["seed"]
        if isinstance(s, bool) or not isinstance(s, int) or s < 0:
            c.fail("deck.seed", f"'deck.seed' must be a whole number >= 0 (got {s!r})")


def validate_metadata(meta: dict, file: str, root: Path, base_dir: Path | None = None,
                      allow_profile: bool = False, lines: dict[str, int] | None = None) -> None:
    """Raise DeckError(file[:line]) for the first problem in `meta`.
    `base_dir`: folder that relative paths in `meta` start from (default: `root`)."""
    root = Path(root)
    c = _Checker(file, root, Path(base_dir) if base_dir else root, lines or {})
    allowed = TOP_KEYS if allow_profile else TOP_KEYS - {"profile"}
    if "profile" in meta and not allow_profile:
        c.fail("profile", "'profile' belongs in _quarto.yml only")
    c.keys(meta, allowed, "", "top-level key")
    if "profile" in meta:
        c.keys(c.mapping(meta["profile"], "profile"), {"default", "group"}, "profile.",
               "profile key")
    day = None
    if "date" in meta and meta["date"] not in (None, ""):
        # Quarto parses `date` before shortcodes run: free text shows as "Invalid Date".
        day = c.date(meta["date"], "date")
    days = _check_event(c, meta["event"]) if "event" in meta else {}
    start, end = days.get("start"), days.get("end", days.get("start"))
    if day is not None and start is not None and not start <= day <= end:
        c.fail("date", f"'date' ({day}, the talk's day on the title slide) is outside the event "
                       f"({start} to {end}, 'event.start' is the data cutoff): write a day of the event")
    if "deck" in meta:
        _check_deck(c, meta["deck"])
    execute = meta.get("execute")
    if isinstance(execute, dict):
        c.keys(execute, EXECUTE_KEYS, "execute.", "execute option")
    if isinstance(meta.get("logo"), str):
        c.path(meta["logo"], "logo")
    fmt = meta.get("format")
    for name in (fmt if isinstance(fmt, dict) else [fmt] if isinstance(fmt, str) else []):
        if not _is_format(str(name)):
            c.fail(f"format.{name}" if isinstance(fmt, dict) else "format",
                   f"'format: {name}' is not an output format Quarto knows"
                   f"{did_you_mean(name, FORMAT_NAMES)}")
    reveal = fmt.get("revealjs") if isinstance(fmt, dict) else None
    if isinstance(reveal, dict):
        c.keys(reveal, REVEALJS_KEYS, "format.revealjs.", "revealjs option")
        if isinstance(reveal.get("execute"), dict):
            c.keys(reveal["execute"], EXECUTE_KEYS, "format.revealjs.execute.", "execute option")
        if "logo" in reveal and isinstance(reveal["logo"], str):
            c.path(reveal["logo"], "format.revealjs.logo")
