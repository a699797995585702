"""The active deck configuration for Python cells: the project's `_quarto.yml` merged with
the active event profile (`QUARTO_PROFILE`, else `profile: default:`), as Quarto merges them.

Cells read event data, the language model and the demo prompts from here, so another
event changes one YAML file, never code. `DECK_MODEL` in the environment overrides the model.

Every read is recorded (`take_reads()`): the build's cell cache keys a cell by the values it
actually read ("config:deck.prompts.english", "config:event.colors", "file:data/x.csv"), so switching event profiles re-runs only the cells whose
inputs changed. `setting("event.handout-url")` reads one dotted value."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def project_root() -> Path:
    """The folder holding `_quarto.yml` (DECK_ROOT, else searched upwards from the cwd)."""
    if os.environ.get("DECK_ROOT"):
        return Path(os.environ["DECK_ROOT"]).resolve()
    for d in [Path.cwd(), *Path.cwd().parents]:
        if (d / "_quarto.yml").exists():
            return d
    return Path(__file__).resolve().parents[2]


@lru_cache(maxsize=None)
def _load(root: str, profile: str | None) -> dict:
    from deckbuild.config import load_project_config
    return load_project_config(Path(root), profile).metadata


_READS: set[str] = set()


def record_read(what: str) -> None:
    """Note an input a cell used (see the module docstring)."""
    _READS.add(what)


def take_reads() -> list[str]:
    """The inputs read since the last call (the build asks after every cell), sorted."""
    out = sorted(_READS)
    _READS.clear()
    return out


def with_overrides(cfg: dict) -> dict:
    """The merged metadata as cells see it: `deck.model` replaced by DECK_MODEL when set."""
    if os.environ.get("DECK_MODEL"):
        cfg.setdefault("deck", {})["model"] = os.environ["DECK_MODEL"]
    return cfg


def _merged() -> dict:
    """The merged metadata, cached per project and profile (shared: copy what you hand out)."""
    return _load(str(project_root()), os.environ.get("QUARTO_PROFILE") or None)


def lookup(cfg: dict, path: str, default=None):
    """The value at a dotted `path` of a metadata mapping (default when absent)."""
    node = cfg
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def setting(path: str, default=None):
    """One dotted value of the merged config, e.g. setting('event.handout-url'); `deck.model`
    honours DECK_MODEL. Only that value is recorded as read (the cell cache keys on it)."""
    import copy
    record_read(f"config:{path}")
    cfg = _merged()
    if path in ("deck", "deck.model") and os.environ.get("DECK_MODEL"):
        cfg = with_overrides(copy.deepcopy(cfg))
    return copy.deepcopy(lookup(cfg, path, default))


def demo_setting(key: str, default=None):
    """One value of the profile's `deck:` block, e.g. demo_setting('model')."""
    return setting(f"deck.{key}", default)


def prompt(key: str, i: int | None = None) -> str:
    """A demo prompt from the profile's `deck.prompts` block: prompt('next-token', 0)."""
    value = setting(f"deck.prompts.{key}")
    if value is None:
        known = ", ".join(lookup(_merged(), "deck.prompts", {}) or {})
        raise KeyError(f"_quarto.yml / profile: deck.prompts has no '{key}' (known: {known})")
    if isinstance(value, list):
        return value[0 if i is None else i]
    return value
