"""The sentences slides compute (demos.slide_text, demos.facts) against hand calculations from
the CSV rows, read here with csv."""
from __future__ import annotations

import csv
import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import pytest

from demos import facts, market, slide_text as st
from demos.sourced_data import CutoffError, data_dir


def _csv(name):
    with (data_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _fact(key):
    return float(next(r for r in _csv("facts") if r["key"] == key)["value"])


def test_token_ratio_is_computed_not_claimed():
    cost = pd.DataFrame({"model": ["Gemma", "Gemma", "SmolLM2", "SmolLM2"],
                         "label": ["português", "inglês"] * 2, "tokens": [14, 13, 22, 14]})
    assert st.token_ratio_text(cost) == "Gemma: 14 × 13 tokens (1,08×); SmolLM2: 22 × 14 tokens (1,57×)"


def test_gpt3_optimizer_steps_are_tokens_over_batch():
    steps = _fact("gpt3_tokens") / _fact("gpt3_batch_tokens")
    assert steps == 93_750 and st.training_steps() == steps
    assert st.training_steps_text() == "94 mil"          # thousands of steps, not billions


def test_weights_need_five_h100s():
    params = _fact("gpt3_params")
    memory = next(float(r["value"]) for r in _csv("chip_specs") if r["chip"] == "H100 SXM" and r["metric"] == "memory")
    assert st.gpus_for_weights(params, memory) == math.ceil(params * 2 / 1e9 / memory) == 5
    assert st.weights_text() == "350 GB: pelo menos 5 GPUs H100 SXM de 80 GB só para os pesos"


def test_milestone_gaps_and_the_slowest_step():
    rows = sorted(_csv("nvidia_milestones"), key=lambda r: r["date"])
    days = [(dt.date.fromisoformat(b["date"]) - dt.date.fromisoformat(a["date"])).days for a, b in zip(rows, rows[1:])]
    later = market.nvidia_milestones(cutoff=dt.date(2026, 12, 1))
    text = st.milestone_gaps_text(later)
    assert all(f"{d} dias" in text for d in days)
    slowest = days.index(max(days))                     # 3 → 4 tri: 399 days, not the shortest
    assert st.longest_gap_text(later) == f"de US$ {slowest + 1} tri a US$ {slowest + 2} tri ({max(days)} dias)"
    june = market.nvidia_milestones()
    assert st.milestone_gaps_text(june).count("dias") == 2


def test_market_value_against_revenue():
    ms, rev = market.nvidia_milestones(), market.nvidia_revenue()
    ratio = 3e12 / float(next(r for r in _csv("nvidia_revenue") if r["fiscal_year"] == "FY2025")["revenue_usd"])
    assert st.value_to_revenue_text(ms, rev).startswith(f"US$ 3 tri ≈ {round(ratio)} vezes a receita anual")
    assert "ano fiscal 2025" in st.value_to_revenue_text(ms, rev)


def test_nine_of_ten_original_lines_were_wrong():
    df = st.original_arithmetic()
    redone = []
    for r in _csv("original_arithmetic"):
        a, b = Decimal(r["a"]), Decimal(r["b"])
        exact = round(a + b if r["op"] == "+" else a * b, 3)
        redone.append(r["shown"].count(".") == 1 and Decimal(r["shown"].replace(",", "")) == exact)
    assert df["correct"].tolist() == redone and redone.count(False) == 9
    assert st.arithmetic_errors_text(df) == "9 das 10 contas estavam erradas"
    assert st.arithmetic_line(df, 9).startswith("5.174,100 × 8.144,609 = 42.141.021,427")


def test_credits_name_the_engine_that_built_the_deck(monkeypatch):
    monkeypatch.setenv("DECK_ENGINE", "builtin")
    assert "deckbuild" in st.build_credit() and "pandoc" in st.build_credit() and "Quarto" not in st.build_credit()
    monkeypatch.setenv("DECK_ENGINE", "quarto")
    assert st.build_credit().startswith("Slides gerados com Quarto") and "deckbuild" not in st.build_credit()


def test_reference_parts_split_without_loss_or_overlap():
    whole = st.references_list("dados").splitlines()
    parts = [st.references_list("dados", part=i, of=2).splitlines() for i in (1, 2)]
    assert parts[0] + parts[1] == whole and not set(parts[0]) & set(parts[1])


def test_facts_read_with_their_formats_and_the_cutoff():
    assert facts.fact_text("gpt3_d_model") == "12.288"
    assert facts.fact_text("gpt3_params") == "175 bilhões"
    assert facts.fact_text("gpt3_cost_epoch") == "US$ 2,06 milhões"
    assert facts.fact_text("palm_mfu") == "46,2%"
    assert facts.fact_date("laion_withdrawn", day=True) == "20 dez. 2023"
    assert facts.fact_text("gemma_vocab") == "262.144"    # the demo model: exempt, though dated ago. 2025
    with pytest.raises(CutoffError, match="data/facts.csv line"):
        facts.fact("gpt3_layers", cutoff=dt.date(2019, 1, 1))
    with pytest.raises(CutoffError, match="data/nvidia_revenue.csv line 5"):
        facts.row_value("nvidia_revenue", "fiscal_year", "FY2026", "revenue_usd")
    assert facts.row_value("nvidia_revenue", "fiscal_year", "FY2026", "revenue_usd",
                           cutoff=dt.date(2026, 12, 1)) == 215.9e9
