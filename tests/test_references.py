"""Every work the deck cites is in the reference list (data/references.csv), which feeds the
reference slides and the handout.

Convention: slide text and speaker notes cite a work as "Autor AAAA", "Autor e Autor AAAA",
"Autor et al. AAAA" or "Organização AAAA" (a letter after the year tells apart two works of one
author and year), exactly as the work's `cite` column says. Data rows name their works by key in
a `ref` column (tests/test_sourced_data.py checks those keys). Here: every such citation in the
slide sources matches a `cite`; a cited work is not dated after the event unless it is the demo
model (exempt); every topic of the list has a reference slide; every fact in data/facts.csv has a
reference key that exists."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from data_utils import EVENT_START, data_rows
from demos import market
from demos.sourced_data import data_dir, parse_date

ROOT = Path(__file__).resolve().parents[1]
SLIDES = sorted((ROOT / "slides").glob("_*.qmd"))
EVENT = EVENT_START

# A capitalised name (or "et al.") right before a year: the end of a citation.
NAME = r"(?:[a-z]?[A-ZÀ-Ý][\wÀ-ÿ'’-]*|et al\.)"
CANDIDATE = re.compile(rf"({NAME})\s+\(?(?:19|20)\d\d[a-z]?(?![\w/])")
# Capitalised Portuguese words that start a sentence before a year, never an author: "Em 2024, …".
NOT_NAMES = {"Em", "Para", "De", "Desde", "Até", "No", "Na", "Entre", "Fim", "Antes", "Depois"}


def _plain(text: str) -> str:
    """Whitespace squeezed, parentheses and inline-code ticks dropped: 'Cottier et al.\n2024' ->
    'Cottier et al. 2024'."""
    return " ".join(re.sub(r"[()`]", " ", text).split())


def uncited(text: str, cites: list[str]) -> list[str]:
    """The citations in `text` ("Name 2020", "Name et al. 2020") that match no `cite`."""
    plain = _plain(text)
    missing = []
    for m in CANDIDATE.finditer(plain):
        if m[1] in NOT_NAMES:
            continue
        before = plain[: m.end()]
        if not any(before.endswith(c) for c in cites):
            missing.append(before[-60:])
    return missing


def cited(text: str, cites: list[str]) -> set[str]:
    """The `cite`s that `text` uses."""
    plain = _plain(text)
    return {c for c in cites if re.search(rf"(?<![\w]){re.escape(c)}(?![\w])", plain)}


def test_the_scanner_finds_a_missing_citation_and_accepts_a_listed_one():
    cites = ["Brown et al. 2020", "NVIDIA 2024b", "Gu e Dao 2023"]
    text = ("como mostram Brown et al.\n2020 e Gu e Dao 2023 (NVIDIA 2024b), mas também Fulano et al. 2021 "
            "e Sicrano 2019; no ano fiscal 2025, em jun. 2025, PL 2338/2023, Regulamento (UE) 2024/1689. "
            "Em 2024, AF 2023")
    found = uncited(text, cites)
    assert len(found) == 3 and found[0].endswith("Fulano et al. 2021") and found[1].endswith("Sicrano 2019")
    assert found[2].endswith("AF 2023")                  # write "ano fiscal 2023" in running text
    assert cited(text, cites) == set(cites)


def test_reference_keys_and_cites_are_unique():
    refs = data_rows("references")
    assert len({r["key"] for r in refs}) == len(refs)
    assert len({r["cite"] for r in refs}) == len(refs)
    assert all(r["url"].startswith("http") and r["citation"].strip() for r in refs)


@pytest.mark.parametrize("path", SLIDES, ids=lambda p: p.name)
def test_every_citation_in_slides_and_notes_is_in_the_references(path):
    cites = [r["cite"] for r in data_rows("references")]
    assert uncited(path.read_text(encoding="utf-8"), cites) == []


def test_no_cited_work_postdates_the_event():
    refs = {r["cite"]: r for r in data_rows("references")}
    text = "\n".join(p.read_text(encoding="utf-8") for p in SLIDES)
    late = [c for c in cited(text, list(refs)) if not refs[c]["exempt"] and parse_date(refs[c]["date"]) > EVENT]
    assert late == []


def test_the_reference_slides_list_every_topic():
    text = (ROOT / "slides" / "_referencias.qmd").read_text(encoding="utf-8")
    calls = re.findall(r"references_list\(([^)]*)\)", text)
    topics, parts = set(), {}
    for args in calls:
        names = re.findall(r'"([^"]+)"', args)
        topics |= set(names)
        part = re.search(r"part=(\d+), of=(\d+)", args)
        if part:
            parts.setdefault(names[0], set()).add((int(part[1]), int(part[2])))
    assert {r["topic"] for r in data_rows("references")} <= topics
    for topic, got in parts.items():                       # a split topic shows all its parts
        n = next(iter(got))[1]
        assert got == {(i, n) for i in range(1, n + 1)}, topic


def test_reference_lists_hold_every_reference_known_at_the_event():
    from demos.slide_text import references_list
    topics = sorted({r["topic"] for r in data_rows("references")})
    listed = "\n".join(references_list(t) for t in topics)
    shown = market.references()
    assert len(shown) == listed.count("\n- [") + 1
    for r in shown.itertuples():
        assert f"[{r.citation}]({r.url})" in listed
    assert "Epoch AI (2026)" not in listed                 # dated 15 abr. 2026: after the event


def test_every_fact_names_a_listed_work():
    keys = {r["key"] for r in data_rows("references")}
    with (data_dir() / "facts.csv").open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            assert r["ref"] and all(k in keys for k in r["ref"].split(";")), f"data/facts.csv line {i}"
