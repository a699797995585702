"""`#|` option lines of a ```{python} cell: parsed as YAML (multi-line values too) and checked
against what the built-in engine honours. Quarto cell options that change nothing here are
ignored; the ones that would change the output but are not implemented, and unknown names,
are DeckErrors naming file:line."""
from __future__ import annotations

import re

from .config import read_yaml
from .config_check import did_you_mean
from .document import DeckError
from .quarto_keys import CELL_KEYS

_OPTION_LINE = re.compile(r"^#\|[ ]?(?P<yaml>.*)$")
# option -> (check, what the value must be)
_BOOL = (lambda v: isinstance(v, bool), "true or false")
_TEXT = (lambda v: isinstance(v, str), "a text")
_NUMBER = (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0,
           "a number > 0")
_TEXTS = (lambda v: isinstance(v, str) or (isinstance(v, list) and v
                                           and all(isinstance(x, str) for x in v)),
          "a text or a list of texts")
SUPPORTED = {
    "echo": (lambda v: isinstance(v, bool) or v == "fenced", "true, false or fenced"),
    "eval": _BOOL, "include": _BOOL, "warning": _BOOL, "error": _BOOL,
    "output": (lambda v: isinstance(v, bool) or v == "asis", "true, false or asis"),
    "code-fold": (lambda v: isinstance(v, bool) or v == "show", "true, false or show"),
    "code-summary": _TEXT, "fig-cap": _TEXTS, "fig-alt": _TEXTS,
    "label": (lambda v: isinstance(v, str) and re.match(r"^[A-Za-z][\w:.-]*$", v) is not None,
              "an identifier (letters, digits, '-', '_')"),
    "fig-width": _NUMBER, "fig-height": _NUMBER, "classes": _TEXTS,
}
# Known Quarto cell options with no effect on this deck's output (knitr-only or bookkeeping).
IGNORED = {"tags", "cache", "message", "collapse", "prompt", "tidy", "tidy-opts", "comment",
           "purl", "dependson", "autodep"}


def _check(key: str, value, file: str, line: int) -> None:
    if key in SUPPORTED:
        ok, what = SUPPORTED[key]
        if not ok(value):
            raise DeckError(f"cell option '{key}' must be {what} (got {value!r})", file, line)
    elif key in CELL_KEYS and key not in IGNORED:
        raise DeckError(f"cell option '{key}' is not supported by the built-in engine "
                        f"(supported: {', '.join(sorted(SUPPORTED))})", file, line)
    elif key not in IGNORED:
        raise DeckError(f"unknown cell option '{key}'{did_you_mean(key, SUPPORTED)}", file, line)


def parse_cell_options(lines: list[str], file: str, fence_line: int, strict: bool = True) -> tuple[dict, str]:
    """(options, source without the option lines) for the body `lines` of a cell whose
    opening fence is at `fence_line`. Option lines are the leading `#|` lines. `strict`: refuse
    options the built-in engine does not honour (off when Quarto renders the deck)."""
    yaml_lines = []
    for text in lines:
        m = _OPTION_LINE.match(text)
        if not m:
            break
        yaml_lines.append(m.group("yaml"))
    options = read_yaml("\n".join(yaml_lines), file, first_line=fence_line + 1,
                        what="cell option") if yaml_lines else {}
    keys_at = {}
    for i, text in enumerate(yaml_lines):
        m = re.match(r"^(?P<key>[\w-]+)\s*:", text)
        if m:
            keys_at.setdefault(m.group("key"), fence_line + 1 + i)
    for key, value in options.items():
        if strict:
            _check(key, value, file, keys_at.get(key, fence_line))
    source = "\n".join(lines[len(yaml_lines):]).strip("\n")
    return options, source
