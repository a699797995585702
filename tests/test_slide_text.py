"""The sentences slides compute (demos.slide_text, demos.market_text, demos.facts) against hand
calculations from the CSV rows, read here with csv."""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import pytest

from data_utils import data_rows
from demos import facts, market, market_text as mt, slide_text as st
from demos.compute_scale import ops_ladder
from demos.ptbr import fmt_big, fmt_count, fmt_duration, fmt_num, fmt_pct, fmt_quantity, fmt_usd
from demos.sourced_data import CutoffError


def _fact(key):
    return float(next(r for r in data_rows("facts") if r["key"] == key)["value"])


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
    memory = next(float(r["value"]) for r in data_rows("chip_specs") if r["chip"] == "H100 SXM" and r["metric"] == "memory")
    assert st.gpus_for_weights(params, memory) == math.ceil(params * 2 / 1e9 / memory) == 5
    assert st.weights_text() == "350 GB: pelo menos 5 GPUs H100 SXM de 80 GB só para os pesos"


def test_milestone_gaps_and_the_slowest_step():
    rows = sorted(data_rows("nvidia_milestones"), key=lambda r: r["date"])
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
    ratio = 3e12 / float(next(r for r in data_rows("nvidia_revenue") if r["fiscal_year"] == "FY2025")["revenue_usd"])
    assert st.value_to_revenue_text(ms, rev).startswith(f"US$ 3 tri ≈ {round(ratio)} vezes a receita anual")
    assert "ano fiscal 2025" in st.value_to_revenue_text(ms, rev)


LATER = dt.date(2026, 12, 1)        # an event after every row of the market tables


@pytest.mark.parametrize("cutoff", [None, LATER])
def test_revenue_span_growth_and_fiscal_calendar(cutoff):
    rev = market.nvidia_revenue() if cutoff is None else market.nvidia_revenue(cutoff=cutoff)
    rows = sorted((r for r in data_rows("nvidia_revenue") if r["fiscal_year"] in set(rev["fiscal_year"])),
                  key=lambda r: r["fiscal_year_end"])
    first, last = rows[0], rows[-1]
    assert mt.fiscal_year_text(last["fiscal_year"]) == last["fiscal_year"][2:]
    share = float(last["data_center_usd"]) / float(last["revenue_usd"])
    assert mt.revenue_span_text(rev) == (
        f"De {fmt_usd(float(first['revenue_usd']))} (ano fiscal {first['fiscal_year'][2:]}) para "
        f"{fmt_usd(float(last['revenue_usd']))} (ano fiscal {last['fiscal_year'][2:]}); "
        f"data center: {round(share * 100)}% do total")
    growth = float(last["revenue_usd"]) / float(first["revenue_usd"])
    assert mt.revenue_growth_text(rev) == f"{fmt_num(growth, 1)} em {len(rows) - 1} anos fiscais"
    ends_in = dt.date.fromisoformat(last["fiscal_year_end"]).year        # FY ends in late January
    assert mt.fiscal_calendar_text(rev) == f"{last['fiscal_year'][2:]} é praticamente o ano de {ends_in - 1}"
    assert (len(rows), last["fiscal_year"]) == ((3, "FY2025") if cutoff is None else (4, "FY2026"))


@pytest.mark.parametrize("cutoff", [None, LATER])
def test_milestone_span_counts_the_days_from_first_to_last(cutoff):
    ms = market.nvidia_milestones() if cutoff is None else market.nvidia_milestones(cutoff=cutoff)
    rows = sorted(data_rows("nvidia_milestones"), key=lambda r: r["date"])[:len(ms)]
    days = (dt.date.fromisoformat(rows[-1]["date"]) - dt.date.fromisoformat(rows[0]["date"])).days
    tri = [round(float(r["market_value_usd"]) / 1e12) for r in (rows[0], rows[-1])]
    assert st.milestone_span_text(ms) == f"De US$ {tri[0]} tri a US$ {tri[1]} tri em {fmt_num(days)} dias"


def test_footprint_finds_the_model_by_name_not_by_its_label():
    row = next(r for r in data_rows("model_energy") if r["model"].startswith("GPT-3 ("))
    energy = market.model_energy()
    assert mt.footprint_text(energy, "GPT-3", "energy_mwh") == fmt_num(float(row["energy_mwh"])) == "1.287"
    assert mt.footprint_text(energy, "GPT-3", "co2e_t") == fmt_num(float(row["co2e_t"]))
    assert mt.footprint_text(energy.iloc[::-1], "GPT-3", "co2e_t") == fmt_num(float(row["co2e_t"]))
    with pytest.raises(KeyError, match="GPT-3 .175 bi."):
        mt.footprint_text(energy, "GPT-3 (175 bi)", "energy_mwh")   # the display label is not the name


def _spec(chip, metric):
    return next(r for r in data_rows("chip_specs") if r["chip"] == chip and r["metric"] == metric)


def test_chip_specs_in_the_unit_the_slide_speaks():
    nvlink, bf16 = _spec("H100 SXM", "nvlink"), _spec("H100 SXM", "bf16_dense")
    assert (nvlink["unit"], bf16["unit"]) == ("TB/s", "TFLOPS")
    assert mt.spec_text("H100 SXM", "nvlink", "GB/s") == fmt_num(float(nvlink["value"]) * 1000) == "900"
    assert mt.spec_text("B200", "power") == fmt_num(float(_spec("B200", "power")["value"]))
    flops = float(bf16["value"]) * 1e12
    assert mt.chip_spec("H100 SXM", "bf16_dense", "FLOPS") == pytest.approx(flops)
    assert mt.times_billion_text("H100 SXM") == fmt_big(flops / 1e9)
    assert mt.chip_second_text("H100 SXM") == fmt_duration(flops / 1e9)        # 1 s of H100 at 1 bi/s
    assert mt.chip_year("H100 SXM") == bf16["date"][:4] and mt.chip_year("B200") == _spec("B200", "memory")["date"][:4]
    with pytest.raises(ValueError, match="TB/s"):
        mt.chip_spec("H100 SXM", "nvlink", "W")
    with pytest.raises(KeyError, match="chip_specs"):
        mt.chip_spec("H100 SXM", "fp4_dense")


def test_gpu_rates_of_the_compute_slide():
    rate = {r["key"]: r for r in data_rows("hardware_rates")}
    assert mt.peak_tflops_text("h100") == fmt_num(float(rate["h100"]["rate_per_unit"]) / 1e12)
    assert mt.utilization_text("h100") == f"{round(float(rate['h100']['utilization']) * 100)}%"
    assert mt.gpu_count_text("h100_10k") == fmt_count(float(rate["h100_10k"]["count"]))


def test_compute_ratio_and_the_ladder_by_period_name():
    flops = {r["model"]: float(r["flops"]) for r in data_rows("model_compute")}
    assert st.compute_ratio_text("GPT-4", "GPT-3.5") == fmt_num(flops["GPT-4"] / flops["GPT-3.5"])
    ladder = ops_ladder(rate=1e9, train_model="GPT-3.5")
    for lad in (ladder, ladder.iloc[::-1].reset_index(drop=True)):     # row order does not matter
        assert st.ladder_ops_text(lad, "1 minuto") == fmt_quantity(60 * 1e9, "operação", "operações")
        assert st.ladder_ops_text(lad, "1 ano") == fmt_quantity(365.25 * 86400 * 1e9, "operação", "operações")
        assert st.ladder_train_time_text(lad) == fmt_duration(flops["GPT-3.5"] / 1e9)
    with pytest.raises(KeyError, match="1 século"):
        st.ladder_ops_text(ladder, "1 século")


def test_gpt3_parameters_from_its_architecture():
    L, d, V, C = (int(_fact(f"gpt3_{k}")) for k in ("layers", "d_model", "vocab", "context"))
    params = 12 * L * d * d + (V + C) * d
    assert st.architecture_params("gpt3") == params
    assert st.params_gap_text("gpt3") == fmt_pct(abs(params - _fact("gpt3_params")) / _fact("gpt3_params"), 1)
    assert abs(params / _fact("gpt3_params") - 1) < 0.01


def test_vector_widths_and_glove_dims():
    from demos.embeddings import word_vector
    dims = float(next(r for r in data_rows("model_widths") if r["model"] == "GPT-2 Large")["dims"])
    assert st.model_width_text("GPT-2 Large") == fmt_num(dims) == "1.280"
    assert st.gpt3_width_ratio_text("GPT-2 Large") == fmt_num(_fact("gpt3_d_model") / dims, 1)
    assert st.glove_dims_text() == fmt_num(len(word_vector("queen")))


def test_nine_of_ten_original_lines_were_wrong():
    df = st.original_arithmetic()
    redone = []
    for r in data_rows("original_arithmetic"):
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
