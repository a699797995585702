"""The active deck configuration for Python cells: the project's `_quarto.yml` merged with
the active event profile (`QUARTO_PROFILE`, else `profile: default:`), as Quarto merges them.

Cells read event data, the language model and the demo prompts from here, so another
event changes one YAML file, never code. `DECK_MODEL` in the environment overrides the model."""
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


def deck_config() -> dict:
    """Merged project + profile metadata (a fresh copy); `deck.model` honours DECK_MODEL."""
    import copy
    cfg = copy.deepcopy(_load(str(project_root()), os.environ.get("QUARTO_PROFILE") or None))
    if os.environ.get("DECK_MODEL"):
        cfg.setdefault("deck", {})["model"] = os.environ["DECK_MODEL"]
    return cfg


def demo_setting(key: str, default=None):
    """One value of the profile's `deck:` block, e.g. demo_setting('model')."""
    return (deck_config().get("deck") or {}).get(key, default)


def prompt(key: str, i: int | None = None) -> str:
    """A demo prompt from the profile's `deck.prompts` block: prompt('next-token', 0)."""
    prompts = demo_setting("prompts") or {}
    if key not in prompts:
        raise KeyError(f"_quarto.yml / profile: deck.prompts has no '{key}' (known: {', '.join(prompts)})")
    value = prompts[key]
    if isinstance(value, list):
        return value[0 if i is None else i]
    return value
