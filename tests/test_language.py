"""The deck's language, read in its sources as a Brazilian audience would (issue 11, fact-check §3):
sentence-case titles in Portuguese, no meta-references the audience cannot resolve, no "ao vivo"
or "agora" for what was computed when the slides were generated, and no dated fact typed as a
number where it must come from data/ (so the cutoff can apply)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SLIDES = sorted((ROOT / "slides").glob("_*.qmd"))

# Words a title may capitalise after its first word: names, acronyms and the model's name.
PROPER = {"LLMs", "LLM", "IA", "NVIDIA", "H100", "B200", "Transformer", "LLMDataHub", "N", "D", "GPT-3"}
# English left in titles, and the Portuguese the talk uses instead (§3.6).
ENGLISH = {"Top Players": "Principais empresas", "Machine Learning": "Aprendizado de máquina",
           "Deep Learning": "Aprendizado profundo", "Datasets": "Conjuntos de dados",
           "Self-attention": "Autoatenção", "Produtos AI": "produtos de IA", "loop": "ciclo",
           "Datacenter": "Data center", "Cloud": "nuvem"}
# What the audience never saw: the earlier deck, its reference numbers, "corrected" labels.
META = re.compile(r"deck original|slide original|ref\. \[|\[\d+\]|\(corrigid[oa]\)|tamanho corrigido", re.I)
# "Computed now / live" said of what the build computed (the live-demo service decides that).
NOW = re.compile(r"\bao vivo\b|\b(?:medid|calculad|feit|treinad|carregad|gerad|contad|rodad)[oa]s? agora\b"
                 r"|\brodou agora\b|\bIsto rodou\b", re.I)


def _titles(path: Path) -> list[str]:
    return [re.sub(r"\s*\{[^}]*\}\s*$", "", l[3:]).strip()
            for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("## ")]


def sentence_case_problems(title: str) -> list[str]:
    """Capitalised words after the first one that are not names, acronyms or after a colon."""
    words = re.findall(r"[\wÀ-ÿ'’-]+|[:?]", title)
    bad, start = [], True
    for w in words:
        if w in (":", "?"):
            start = True
            continue
        if not start and w[0].isupper() and w not in PROPER:
            bad.append(w)
        start = False
    return bad


def test_the_checks_can_fail():
    assert sentence_case_problems("Tendências: o Que Esperar?") == ["Que", "Esperar"]
    assert sentence_case_problems("Relações N-Dimensionais") == ["N-Dimensionais"]
    assert sentence_case_problems("NVIDIA: em ascensão") == []
    assert META.search("Tabela do deck original, atribuída à ref. [11]")
    assert NOW.search("Isto rodou agora, no Gemma") and NOW.search("Alucinação, ao vivo")
    assert not NOW.search("Agora imaginem um bilhão delas")


@pytest.mark.parametrize("path", SLIDES, ids=lambda p: p.name)
def test_titles_are_sentence_case_portuguese(path):
    for title in _titles(path):
        assert sentence_case_problems(title) == [], title
        assert not [e for e in ENGLISH if re.search(rf"\b{re.escape(e)}\b", title)], title


@pytest.mark.parametrize("path", SLIDES, ids=lambda p: p.name)
def test_no_meta_references_and_no_false_live_claims(path):
    text = _prose(path.read_text(encoding="utf-8"))
    assert META.findall(text) == []
    assert NOW.findall(text) == []


@pytest.mark.parametrize("path", SLIDES, ids=lambda p: p.name)
def test_watts_are_power_and_comparisons_use_vs_with_a_period(path):
    text = _prose(path.read_text(encoding="utf-8"))
    assert not re.search(r"Energia:\s*\*{0,2}[^\n]*\bW\b", text)
    assert not re.search(r"(?<![\w-])vs(?![\w.-])", text)            # not in file names: cloud-vs-ai.svg


# Dated facts that must come through data/ (facts, market tables), never typed in the prose:
# market-value milestones, fiscal years, GPU counts, prices, the B200's memory, the bill's status.
TYPED = re.compile(r"US\$\s?\d|\d+\s?tri\b|\b(?:AF|FY)\s?20\d\d|ano fiscal 20\d\d|\b\d{2,3} mil (?:GPUs|H100)"
                   r"|\b192 GB|\b180 GB|tramita no Congresso|aprovado no Senado")


def _prose(text: str) -> str:
    """The text without code cells and inline `{python} …` expressions."""
    text = re.sub(r"```\{python\}.*?```", "", text, flags=re.S)
    return re.sub(r"`\{python\}[^`]*`", "", text)


def test_typed_dated_facts_are_caught():
    assert TYPED.search(_prose("De US$ 27 bi (AF 2023) para US$ 5 tri; o PL tramita no Congresso"))
    assert not TYPED.search(_prose("De `{python} fmt_usd(REV.revenue_usd.iloc[0])` (ano fiscal `{python} fy`)"))


@pytest.mark.parametrize("path", SLIDES, ids=lambda p: p.name)
def test_dated_facts_come_from_data_not_from_typed_numbers(path):
    assert TYPED.findall(_prose(path.read_text(encoding="utf-8"))) == []
