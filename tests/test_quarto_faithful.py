"""Quarto-faithfulness of the real deck: every key of _quarto.yml, of each event profile and of
the deck's front matter is a Quarto option or one of our own blocks (`event:`, `deck:`), and
every `#|` cell option used in slides/*.qmd is a Quarto cell option. The checks are the
reader's own (deckbuild.config_check.validate_metadata, deckbuild.cell_options, with the names
of deckbuild.quarto_keys taken from Quarto's schema); these tests run them on the real files
and prove that they do reject a non-Quarto key."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from deckbuild.cell_options import parse_cell_options
from deckbuild.config import load_project_config, read_yaml, validate_metadata
from deckbuild.config_check import OWN_KEYS
from deckbuild.document import DeckError
from deckbuild.qmd import read_document, split_front_matter
from deckbuild.quarto_keys import CELL_KEYS, DOCUMENT_KEYS, EXECUTE_KEYS, PROJECT_KEYS, REVEALJS_KEYS

ROOT = Path(__file__).resolve().parents[1]
PROFILES = sorted(p.name[len("_quarto-"):-len(".yml")] for p in ROOT.glob("_quarto-*.yml"))
DECKS = sorted(p for p in (ROOT / "slides").glob("[!_]*.qmd"))
QMDS = sorted((ROOT / "slides").glob("*.qmd"))
_PYTHON_FENCE = re.compile(r"^\s{0,3}`{3,}\s*\{python[^}]*\}\s*$")


def config_files() -> list[Path]:
    return [ROOT / "_quarto.yml", *(ROOT / f"_quarto-{p}.yml" for p in PROFILES)]


def test_there_is_something_to_check():
    assert PROFILES and DECKS, "expected at least one event profile and one deck"


@pytest.mark.parametrize("path", config_files(), ids=lambda p: p.name)
def test_config_keys_are_quarto_or_ours(path):
    data = read_yaml(path.read_text(encoding="utf-8"), path.name)
    validate_metadata(data, path.name, ROOT, allow_profile=path.name == "_quarto.yml")
    # the same verdict, spelled out on the key sets the reader uses
    allowed = DOCUMENT_KEYS | PROJECT_KEYS | OWN_KEYS
    assert set(data) <= allowed, set(data) - allowed
    assert set(data.get("execute") or {}) <= EXECUTE_KEYS
    assert set((data.get("format") or {}).get("revealjs") or {}) <= REVEALJS_KEYS


@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_merges_cleanly(profile):
    cfg = load_project_config(ROOT, profile)
    assert profile in cfg.profiles
    assert set(cfg.metadata) <= DOCUMENT_KEYS | PROJECT_KEYS | OWN_KEYS


@pytest.mark.parametrize("qmd", QMDS, ids=lambda p: p.name)
def test_front_matter_keys_are_quarto_or_ours(qmd):
    meta, _, _ = split_front_matter(qmd.read_text(encoding="utf-8"), qmd.name)
    validate_metadata(meta, qmd.name, ROOT, base_dir=qmd.parent)
    assert set(meta) <= DOCUMENT_KEYS | OWN_KEYS


def test_the_key_check_rejects_non_quarto_keys(tmp_path):
    data = read_yaml((ROOT / "_quarto.yml").read_text(encoding="utf-8"), "_quarto.yml")
    for bad in ({"slide-numbers": True}, {"execute": {"frezee": "auto"}},
                {"format": {"revealjs": {"chalk-board": True}}}):
        with pytest.raises(DeckError):
            validate_metadata({**data, **bad}, "_quarto.yml", ROOT, allow_profile=True)


def _cells(qmd: Path) -> list[tuple[int, list[str]]]:
    """(fence line, body lines) of every ```{python} cell of one file, read independently of
    the reader (which only sees the partials a deck includes)."""
    lines = qmd.read_text(encoding="utf-8").split("\n")
    cells, i = [], 0
    while i < len(lines):
        if _PYTHON_FENCE.match(lines[i]):
            ticks = lines[i].strip().split("{")[0]
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == ticks)
            cells.append((i + 1, lines[i + 1:end]))
            i = end
        i += 1
    return cells


@pytest.mark.parametrize("qmd", QMDS, ids=lambda p: p.name)
def test_cell_options_are_quarto_cell_options(qmd):
    for fence_line, body in _cells(qmd):
        options, _ = parse_cell_options(body, qmd.name, fence_line)
        assert set(options) <= CELL_KEYS, (qmd.name, fence_line, set(options) - CELL_KEYS)


def test_every_python_partial_is_part_of_a_deck():
    with_cells = {q.resolve() for q in QMDS if _cells(q)}
    assert with_cells, "the deck has Python cells"
    included = set()
    for deck in DECKS:
        doc = read_document(deck, ROOT)
        included |= {(ROOT / c.file).resolve() for c in doc.cells}
        assert all(set(c.options) <= CELL_KEYS for c in doc.cells)
    assert with_cells <= included, sorted(p.name for p in with_cells - included)


def test_the_cell_check_rejects_non_quarto_options():
    with pytest.raises(DeckError):
        parse_cell_options(["#| fig-caption: x", "1 + 1"], "x.qmd", 1)


_META_PATH = re.compile(r"\(\.\./\{\{<\s*meta\s+([\w.-]+)\s*>\}\}")


def _dotted(meta: dict, key: str):
    for part in key.split("."):
        meta = meta.get(part) if isinstance(meta, dict) else None
    return meta


@pytest.mark.parametrize("profile", PROFILES)
def test_meta_paths_are_not_prefixed_with_parent_dir(profile):
    cfg = load_project_config(ROOT, profile).metadata
    bad = []
    for qmd in QMDS:
        for key in _META_PATH.findall(qmd.read_text(encoding="utf-8")):
            value = _dotted(cfg, key)
            if isinstance(value, str) and (ROOT / value).is_file():
                bad.append(f"{qmd.name}: ../{{{{< meta {key} >}}}}")
    assert not bad, bad
