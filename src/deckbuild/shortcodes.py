"""Quarto shortcodes for the built-in engine: `{{< var key.sub >}}` (from `_variables.yml`) and
`{{< meta key.sub >}}` (from the merged metadata). `{{< include >}}` is handled by the reader.

Like Quarto, shortcodes are resolved in Markdown text, inline code and plain code blocks (the
reader skips blocks marked `shortcodes=false` and executable cells); the escaped forms
`{{{< var x >}}}` and `{{</* var x */>}}` print the shortcode itself. Anything else is an error
naming the file and line."""
from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field

from .document import DeckError

# escaped {{{< ... >}}}, escaped {{</* ... */>}}, then a real {{< ... >}}
_SHORTCODE = re.compile(r"\{\{\{<(?P<esc1>.*?)>\}\}\}|\{\{</\*(?P<esc2>.*?)\*/>\}\}"
                        r"|\{\{<(?P<body>.*?)>\}\}")
INCLUDE_LINE = re.compile(r"^\s*\{\{<\s*include\s+(?P<arg>.+?)\s*>\}\}\s*$")
QUARTO_BUILTINS = {"env", "pagebreak", "video", "kbd", "lipsum", "placeholder", "brand",
                   "contents", "version"}


@dataclass
class ShortcodeContext:
    variables: dict = field(default_factory=dict)     # _variables.yml
    metadata: dict = field(default_factory=dict)      # merged metadata


def _args(body: str, file: str, line: int) -> list[str]:
    try:
        return shlex.split(body)
    except ValueError as exc:
        raise DeckError(f"cannot read shortcode '{{{{<{body}>}}}}': {exc}", file, line) from None


def lookup(data: dict, dotted: str):
    """data['a']['b'] for 'a.b'; KeyError if any part is missing."""
    value = data
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(dotted)
        value = value[part]
    return value


def as_text(value) -> str | None:
    """A scalar as Quarto prints it (dates ISO, booleans lower-case); None for lists/maps."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _resolve(name: str, args: list[str], ctx: ShortcodeContext, file: str, line: int) -> str:
    if name == "include":
        raise DeckError("{{< include >}} must stand alone on its line", file, line)
    if name not in ("var", "meta"):
        why = "is not supported by the built-in engine" if name in QUARTO_BUILTINS \
            else "is not a known shortcode (use var, meta or include)"
        raise DeckError(f"shortcode '{name}' {why}", file, line)
    if len(args) != 1:
        raise DeckError(f"{{{{< {name} >}}}} takes one key, e.g. {{{{< {name} a.b >}}}}",
                        file, line)
    source = ctx.variables if name == "var" else ctx.metadata
    where = "_variables.yml" if name == "var" else "the document metadata"
    try:
        value = lookup(source, args[0])
    except KeyError:
        raise DeckError(f"{{{{< {name} {args[0]} >}}}}: no key '{args[0]}' in {where}",
                        file, line) from None
    text = as_text(value)
    if text is None:
        raise DeckError(f"{{{{< {name} {args[0]} >}}}}: '{args[0]}' is a "
                        f"{type(value).__name__}, not a single value", file, line)
    return text


def expand_shortcodes(text: str, ctx: ShortcodeContext, file: str, line: int) -> str:
    """Replace the var/meta shortcodes of one line (or short text) and unescape escaped ones."""
    if "{{<" not in text and "{{{<" not in text:
        return text

    def replace(m: re.Match) -> str:
        if m.group("esc1") is not None:
            return "{{<" + m.group("esc1") + ">}}"
        if m.group("esc2") is not None:
            return "{{<" + m.group("esc2") + ">}}"
        args = _args(m.group("body"), file, line)
        if not args:
            raise DeckError("empty shortcode '{{< >}}'", file, line)
        return _resolve(args[0], args[1:], ctx, file, line)

    return _SHORTCODE.sub(replace, text)


def include_target(text: str, file: str, line: int) -> str | None:
    """The path of a `{{< include path >}}` line, else None."""
    m = INCLUDE_LINE.match(text)
    if not m:
        return None
    args = _args(m.group("arg"), file, line)
    if len(args) != 1:
        raise DeckError("{{< include >}} takes one path", file, line)
    return args[0]
