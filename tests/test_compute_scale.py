"""Compute-scale numbers against arithmetic done by hand in the test."""
import re

import pytest

from demos import compute_scale as cs


def test_training_flops_is_6nd():
    assert cs.training_flops(175e9, 300e9) == 6 * 175e9 * 300e9
    assert cs.training_flops(2, 3) == 36
    # GPT-3's published 3.14e23 FLOP agrees with 6·N·D within 1%
    gpt3 = cs.model_compute().set_index("model").loc["GPT-3"]
    assert cs.training_flops(gpt3["params"], gpt3["tokens"]) == pytest.approx(gpt3["flops"], rel=0.01)


def test_transformer_params_by_hand():
    L, d, V, T = 96, 12288, 50257, 2048
    per_layer = 4 * d * d + 2 * (d * 4 * d)              # Q,K,V,O + MLP up and down
    assert cs.transformer_params(L, d, V, T) == L * per_layer + V * d + T * d
    assert cs.transformer_params(L, d, V, T) == 174_588_899_328
    assert 170e9 < cs.transformer_params(L, d, V, T) < 180e9  # "175B"
    assert cs.transformer_params(1, 2, 3, 4) == 12 * 4 + 7 * 2


def test_measure_flops_is_plausible():
    rate = cs.measure_flops(0.2)
    assert 1e8 < rate < 1e14  # between a very old CPU and a big GPU


def test_tables_have_sources_and_numbers():
    mc = cs.model_compute()
    assert set(mc["model"]) >= {"GPT-3", "GPT-3.5", "GPT-4"}
    assert mc["source"].str.strip().ne("").all()
    assert dict(zip(mc["model"], mc["flops"]))["GPT-3.5"] == 2.578e24
    hw = cs.hardware_rates().set_index("key")
    assert hw.at["h100_10k", "rate"] == pytest.approx(10_000 * 989e12 * hw.at["h100", "utilization"])
    assert "aproveitamento" in hw.at["h100", "rate_label"]


def test_years_to_train_by_hand():
    df = cs.years_to_train({"a": 1e9, "b": 2e15})
    assert list(df.columns[:5]) == ["model", "flops", "rate_label", "rate", "years"]
    assert len(df) == 2 * len(cs.model_compute())
    row = df[(df.model == "GPT-3") & (df.rate_label == "a")].iloc[0]
    assert row["years"] == pytest.approx(3.14e23 / 1e9 / (365.25 * 86400))
    assert 9.9e6 < row["years"] < 10.0e6                  # facts.md: ≈ 9.95 million years
    assert row["time_label"] == "9,95 milhões de anos"
    row = df[(df.model == "GPT-4") & (df.rate_label == "b")].iloc[0]
    assert row["seconds"] == pytest.approx(2.1e25 / 2e15)
    with pytest.raises(ValueError, match="must be > 0"):
        cs.years_to_train({"zero": 0})


def test_default_rates_include_measured_and_h100():
    rates = cs.default_rates(measured=5e10)
    assert list(rates.values())[0] == 1e9
    assert 5e10 in rates.values()
    assert max(rates.values()) == pytest.approx(10_000 * 989e12 * 0.4)


@pytest.mark.parametrize("seconds,text", [
    (1, "1 segundo"), (90, "1,5 minutos"), (2.1 * 86400, "2,1 dias"), (3600, "1 hora"),
    (1000 * 365.25 * 86400, "mil anos"), (95_400 * 365.25 * 86400, "95,4 mil anos"),
    (665e6 * 365.25 * 86400, "665 milhões de anos"), (1e6 * 365.25 * 86400, "1 milhão de anos"),
])
def test_fmt_duration(seconds, text):
    assert cs.fmt_duration(seconds) == text


def _parse_ptbr(s: str) -> float:
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{3}", s), s   # 1.234,567: dots group, comma decimals
    return float(s.replace(".", "").replace(",", "."))


def test_arithmetic_lines_parse_back():
    df = cs.arithmetic_lines(n=40, seed=3)
    assert list(df.columns) == ["a", "op", "b", "result", "line"]
    assert set(df["op"]) == {"+", "×"}
    for line in df["line"]:
        left, right = line.split(" = ")
        a_txt, op, b_txt = left.split(" ")
        a, b, result = _parse_ptbr(a_txt), _parse_ptbr(b_txt), _parse_ptbr(right)
        assert 100 <= a < 10_000 and 100 <= b < 10_000
        exact = a + b if op == "+" else a * b
        assert abs(result - exact) <= 0.0005 + 1e-9 * exact   # rounded to 3 decimals


def test_arithmetic_lines_seeded():
    assert cs.arithmetic_lines(5, seed=1).equals(cs.arithmetic_lines(5, seed=1))
    assert not cs.arithmetic_lines(5, seed=1).equals(cs.arithmetic_lines(5, seed=2))


def test_ops_ladder_by_hand():
    df = cs.ops_ladder(rate=1e9)
    ops = dict(zip(df["period"], df["ops"]))
    assert ops["1 minuto"] == 60e9
    assert ops["1 dia"] == 86_400e9
    assert ops["1 mês (30 dias)"] == 30 * 86_400e9
    assert ops["1 ano"] == 31_557_600e9
    last = df.iloc[-1]
    assert last["ops"] == 2.578e24
    assert last["seconds"] / 31_557_600 == pytest.approx(81.69e6, rel=1e-3)   # ≈ 81,7 milhões de anos
    assert last["time_label"] == "81,7 milhões de anos"
    assert df.iloc[0]["ops_label"] == "60 bilhões de operações"
    assert last["ops_label"] == "2,58 × 10²⁴ operações"      # past quintilhões: powers of ten


def test_charts_build():
    from demos import compute_charts as cc
    df = cs.years_to_train({"1 bilhão de operações/s": 1e9, "x (y)": 1e15})
    assert "layer" in cc.years_chart(df).to_dict()
    assert "layer" in cc.years_chart(df, "GPT-3.5").to_dict()
    with pytest.raises(ValueError, match="no rows"):
        cc.years_chart(df, "GPT-9")
    assert "layer" in cc.ladder_chart(cs.ops_ladder()).to_dict()


def test_counted_nouns_and_superscripts():
    from demos import ptbr
    assert ptbr.fmt_quantity(1, "operação", "operações") == "1 operação"
    assert ptbr.fmt_quantity(60e9, "operação", "operações") == "60 bilhões de operações"
    assert ptbr.fmt_quantity(95_400, "ano", "anos") == "95,4 mil anos"
    assert ptbr.superscript(-23) == "⁻²³" and ptbr.superscript(40) == "⁴⁰"
    assert ptbr.fmt_auto(1287.0) == "1.287" and ptbr.fmt_auto(85.75, 2) == "85,75"
    ladder = cs.ops_ladder(rate=1e9)
    assert ladder["ops_label"].iloc[0] == "60 bilhões de operações"   # 1e9/s × 60 s
