"""Declared parameters of the live demos and their validation: what the audience may type.

Each live demo (demos.live_demos) declares its parameters with the small classes here: `Text`
(capped in characters; the token cap is checked by the demo, which has the tokenizer), `Int`,
`Float` and `Choice`, each with a default or required. `parse_params(declared, body)` turns a
decoded JSON object into checked Python values or raises `LiveInputError` carrying a one-line
pt-BR message for the slide and the offending field. `describe()` gives the declaration as JSON
so the front end (and /api/live/status) can state the caps."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from demos.ptbr import fmt_auto, fmt_num

REQUIRED = object()   # no default: the request must carry the parameter


class LiveInputError(ValueError):
    """A bad input to a live demo; `str(err)` is one pt-BR line the slide shows."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _declared(p, kind: str, **extra) -> dict:
    out = {"type": kind, "label": p.label, **extra}
    if p.default is not REQUIRED:
        out["default"] = p.default
    return out


@dataclass(frozen=True)
class Text:
    """A string of 1..max_chars characters (whitespace-only counts as empty); `max_tokens` is
    stated for the slide and enforced by the demo; `word=True` forbids inner whitespace."""
    max_chars: int
    label: str
    max_tokens: int | None = None
    word: bool = False
    default: Any = REQUIRED

    def describe(self) -> dict:
        extra = {"max_tokens": self.max_tokens} if self.max_tokens else {}
        return _declared(self, "text", max_chars=self.max_chars, **extra)

    def parse(self, value, name: str) -> str:
        if not isinstance(value, str):
            raise LiveInputError(f"{self.label}: esperava um texto", name)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:   # a lone surrogate such as "\ud800" in the JSON
            raise LiveInputError(f"{self.label}: o texto tem caracteres inválidos", name) from None
        if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
            raise LiveInputError(f"{self.label}: o texto tem caracteres de controle", name)
        text = value.strip() if self.word else value
        if not text.strip():
            raise LiveInputError(f"{self.label}: escreva algum texto", name)
        if len(text) > self.max_chars:
            raise LiveInputError(f"{self.label}: texto longo demais ({fmt_num(len(text))} caracteres; "
                                 f"o máximo é {fmt_num(self.max_chars)})", name)
        if self.word and any(ch.isspace() for ch in text):
            raise LiveInputError(f"{self.label}: use uma palavra só, sem espaços", name)
        return text


@dataclass(frozen=True)
class _Range:
    """A number in [minimum, maximum]; subclasses check the type and name it in messages."""
    minimum: float
    maximum: float
    label: str
    default: Any = REQUIRED
    kind: ClassVar[str]
    noun: ClassVar[str]                      # "um número de 1 a 10" / "um valor de 0,1 a 2"

    def describe(self) -> dict:
        return _declared(self, self.kind, min=self.minimum, max=self.maximum)

    def _bounded(self, value, name: str, fmt):
        if not self.minimum <= value <= self.maximum:
            raise LiveInputError(f"{self.label}: use {self.noun} de {fmt(self.minimum)} a "
                                 f"{fmt(self.maximum)}", name)
        return value


@dataclass(frozen=True)
class Int(_Range):
    """A whole number in [minimum, maximum] (JSON true/false and 2.5 are refused)."""
    kind: ClassVar[str] = "int"
    noun: ClassVar[str] = "um número"

    def parse(self, value, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise LiveInputError(f"{self.label}: esperava um número inteiro", name)
        return self._bounded(value, name, fmt_num)


@dataclass(frozen=True)
class Float(_Range):
    """A finite number in [minimum, maximum]."""
    kind: ClassVar[str] = "float"
    noun: ClassVar[str] = "um valor"

    def parse(self, value, name: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise LiveInputError(f"{self.label}: esperava um número", name)
        return float(self._bounded(value, name, fmt_auto))


@dataclass(frozen=True)
class Choice:
    """One of a few fixed strings."""
    options: tuple[str, ...]
    label: str
    default: Any = REQUIRED

    def describe(self) -> dict:
        return _declared(self, "choice", options=list(self.options))

    def parse(self, value, name: str) -> str:
        if not isinstance(value, str) or value not in self.options:
            raise LiveInputError(f"{self.label}: escolha {' ou '.join(self.options)}", name)
        return value


def parse_params(declared: dict, body: Any) -> dict:
    """Checked keyword arguments from a decoded JSON body: an object with only declared keys,
    each valid; missing ones take their default. Raises LiveInputError."""
    if not isinstance(body, dict):
        raise LiveInputError("o corpo da requisição deve ser um objeto JSON")
    unknown = [k for k in body if k not in declared]
    if unknown:
        raise LiveInputError(f"parâmetro desconhecido: {unknown[0]!r}"[:120], unknown[0][:40])
    out = {}
    for name, param in declared.items():
        if name in body and param.default is None and body[name] in (None, ""):
            out[name] = None                     # an optional field left empty
        elif name in body:
            out[name] = param.parse(body[name], name)
        elif param.default is REQUIRED:
            raise LiveInputError(f"{param.label}: faltou este campo", name)
        else:
            out[name] = param.default
    return out
