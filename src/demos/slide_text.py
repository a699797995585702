"""Sentences and list items that slides compute instead of typing: ratios, gaps between
milestones, training steps, GPUs for a model's weights, the latest estimate of an origin,
the rungs of the operations ladder, GPT-3's parameters from its architecture, vector widths,
the build credit line and the reference lists. Each takes plain data (from `demos.market`,
`demos.facts`, a demo's DataFrame) and returns pt-BR text. Revenue, energy and chip specs:
`demos.market_text`."""
from __future__ import annotations

import math
import os
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from demos.facts import fact, model_flops, row_value
from demos.ptbr import fmt_big, fmt_count, fmt_duration, fmt_num, fmt_pct, fmt_usd

BYTES_PER_PARAM_16BIT = 2          # BF16/FP16 weights: 16 bits = 2 bytes


def times(x: float) -> str:
    """A ratio as '1,08×'."""
    return f"{fmt_num(x, 2)}×"


def token_ratio_text(cost: pd.DataFrame, more: str = "português", less: str = "inglês") -> str:
    """Per model, tokens of the same sentence in two languages and their ratio, from
    tokenization.token_cost(): 'Gemma 3 270M: 14 × 13 tokens (1,08×); …'."""
    wide = cost.pivot(index="model", columns="label", values="tokens").reindex(cost["model"].unique())
    return "; ".join(f"{m}: {fmt_num(r[more])} × {fmt_num(r[less])} tokens ({times(r[more] / r[less])})"
                     for m, r in wide.iterrows())


def _tri(v: float) -> str:
    return f"US$ {fmt_num(v / 1e12)} tri"


def milestone_gaps_text(ms: pd.DataFrame) -> str:
    """Days between market-value milestones: 'de US$ 1 tri a US$ 2 tri: 269 dias; …'."""
    rows = list(ms.itertuples())
    return "; ".join(f"de {_tri(a.market_value_usd)} a {_tri(b.market_value_usd)}: {fmt_num(b.days_since_previous)} dias"
                     for a, b in zip(rows, rows[1:]))


def longest_gap_text(ms: pd.DataFrame) -> str:
    """The slowest step between milestones: 'de US$ 1 tri a US$ 2 tri (269 dias)'."""
    i = int(ms["days_since_previous"].idxmax())
    return (f"de {_tri(ms['market_value_usd'].iloc[i - 1])} a {_tri(ms['market_value_usd'].iloc[i])} "
            f"({fmt_num(ms['days_since_previous'].iloc[i])} dias)")


def milestone_span_text(ms: pd.DataFrame) -> str:
    """First to last market-value milestone and the days between: 'De US$ 1 tri a US$ 3 tri em
    372 dias'."""
    days = (ms["date"].iloc[-1] - ms["date"].iloc[0]).days
    return f"De {_tri(ms['market_value_usd'].iloc[0])} a {_tri(ms['market_value_usd'].iloc[-1])} em {fmt_num(days)} dias"


def value_to_revenue_text(ms: pd.DataFrame, revenue: pd.DataFrame) -> str:
    """The last milestone against the last fiscal year's revenue: 'US$ 3 tri ≈ 23 vezes a
    receita anual (US$ 130,5 bi no ano fiscal 2025)'."""
    value, rev = ms["market_value_usd"].iloc[-1], revenue["revenue_usd"].iloc[-1]
    year = revenue["fiscal_year"].iloc[-1].replace("FY", "")
    return (f"{_tri(value)} ≈ {fmt_num(value / rev)} vezes a receita anual "
            f"({fmt_usd(rev)} no ano fiscal {year})")


def training_steps() -> float:
    """GPT-3's optimizer steps: training tokens ÷ tokens per batch (Brown et al. 2020)."""
    return fact("gpt3_tokens") / fact("gpt3_batch_tokens")


def training_steps_text() -> str:
    """'94 mil' (≈ 93.750 passos)."""
    return fmt_count(training_steps(), 2)


def weights_gb(params: float) -> float:
    """Gigabytes to hold `params` weights in 16 bits."""
    return params * BYTES_PER_PARAM_16BIT / 1e9


def gpus_for_weights(params: float, gpu_gb: float) -> int:
    """How many GPUs of `gpu_gb` it takes just to hold the weights (no activations, no optimizer)."""
    return math.ceil(weights_gb(params) / gpu_gb)


def weights_text(params_key: str = "gpt3_params", chip: str = "H100 SXM") -> str:
    """'350 GB: pelo menos 5 GPUs H100 SXM de 80 GB só para os pesos' (16-bit weights)."""
    from demos.market import chip_specs
    memory = chip_specs().set_index(["chip", "metric"])["value"][(chip, "memory")]
    params = fact(params_key)
    return (f"{fmt_num(weights_gb(params))} GB: pelo menos {gpus_for_weights(params, memory)} GPUs "
            f"{chip} de {fmt_num(memory)} GB só para os pesos")


def rate_time_text(rate: float, base: float = 1e9) -> str:
    """How long `base` operations per second take to do one second of `rate`: '11,4 dias'."""
    return fmt_duration(rate / base)


def compute_ratio_text(model: str = "GPT-4", base: str = "GPT-3.5") -> str:
    """How many times `base`'s training compute `model` took (data/model_compute.csv): '8'."""
    return fmt_num(model_flops(model) / model_flops(base))


def _ladder_row(ladder: pd.DataFrame, hit: pd.Series, what: str) -> pd.Series:
    if int(hit.sum()) != 1:
        raise KeyError(f"ops_ladder(): {int(hit.sum())} rows for {what}, expected 1 "
                       f"(periods: {', '.join(ladder['period'])})")
    return ladder[hit].iloc[0]


def ladder_ops_text(ladder: pd.DataFrame, period: str) -> str:
    """Operations done in one period of compute_scale.ops_ladder(), chosen by its name:
    ladder_ops_text(ladder, '1 ano') -> '31,6 quatrilhões de operações'."""
    return _ladder_row(ladder, ladder["period"] == period, repr(period))["ops_label"]


def ladder_train_time_text(ladder: pd.DataFrame) -> str:
    """How long the ladder's rate takes to train its model (the 'treinar o …' row):
    '81,7 milhões de anos'."""
    return _ladder_row(ladder, ladder["period"].str.startswith("treinar o "), "training")["time_label"]


def architecture_params(model: str = "gpt3") -> int:
    """A transformer's parameters from its architecture facts (`<model>_layers`, `_d_model`,
    `_vocab`, `_context` in data/facts.csv), by compute_scale.transformer_params: ≈ 174,6 bi."""
    from demos.compute_scale import transformer_params
    return transformer_params(**{k: int(fact(f"{model}_{k}")) for k in ("layers", "d_model", "vocab", "context")})


def params_gap_text(model: str = "gpt3") -> str:
    """How far the architecture count is from the paper's `<model>_params`: '0,2%'."""
    return fmt_pct(abs(1 - architecture_params(model) / fact(f"{model}_params")), 1)


def model_width_text(model: str) -> str:
    """A model's vector width from data/model_widths.csv: 'GPT-2 Large' -> '1.280'."""
    return fmt_num(row_value("model_widths", "model", model, "dims"))


def gpt3_width_ratio_text(model: str = "GPT-2 Large") -> str:
    """GPT-3's d_model over another model's width (data/model_widths.csv): '9,6'."""
    return fmt_num(fact("gpt3_d_model") / row_value("model_widths", "model", model, "dims"), 1)


def glove_dims_text() -> str:
    """Dimensions of the GloVe vectors of the embedding slides: '50'."""
    from demos.embeddings import glove
    return fmt_num(glove().dims)


def estimates_text(df: pd.DataFrame) -> str:
    """'Google mais de 1 mi, Microsoft ~500 mil (out. 2024)' from demos.market.latest_estimates()."""
    from demos.ptbr import fmt_month
    values = ", ".join(f"{c} {p} {fmt_big(v)}".replace("~ ", "~").replace("  ", " ")
                       for c, p, v in zip(df["company"], df["prefix"], df["low"]))
    return f"{values} ({fmt_month(df['_as_of'].max())})" if "_as_of" in df else values


def original_arithmetic() -> pd.DataFrame:
    """The ten sums and products of an earlier version of the talk (data/original_arithmetic.csv),
    redone exactly: DataFrame[line, a, op, b, shown, exact, correct]. `shown` is as it was
    written (US separators); a result with two decimal points is wrong by construction."""
    from demos.sourced_data import load_table
    df = load_table("original_arithmetic")
    exact, correct = [], []
    for a, op, b, shown in zip(df["a"], df["op"], df["b"], df["shown"]):
        x, y = Decimal(a), Decimal(b)
        value = (x + y if op == "+" else x * y).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        plain = shown.replace(",", "")
        exact.append(float(value))
        correct.append(plain.count(".") <= 1 and Decimal(plain) == value)
    return df.assign(exact=exact, correct=correct)[["line", "a", "op", "b", "shown", "exact", "correct"]]


def arithmetic_errors_text(df: pd.DataFrame) -> str:
    """'9 das 10 contas estavam erradas'."""
    wrong = int((~df["correct"]).sum())
    return f"{fmt_num(wrong)} das {fmt_num(len(df))} contas estavam erradas"


def arithmetic_line(df: pd.DataFrame, line: int) -> str:
    """One redone line, pt-BR: '5.174,100 × 8.144,609 = 42.141.021,427 (estava "41,587.248.189")'."""
    r = df[df["line"].astype(int) == line].iloc[0]
    return (f"{fmt_num(float(r['a']), 3)} {r['op']} {fmt_num(float(r['b']), 3)} = "
            f"{fmt_num(r['exact'], 3)} (estava \"{r['shown']}\")")


def excluded_text(datasets: pd.DataFrame) -> str:
    """'LAION-2B-en (imagem e texto)' for the sets a slide leaves out, with what they are."""
    return ", ".join(f"{d} ({c.lower()})" for d, c in zip(datasets["dataset"], datasets["category"]))


def build_credit() -> str:
    """What built these slides: Quarto, or the project's built-in engine (env DECK_ENGINE)."""
    if os.environ.get("DECK_ENGINE", "") == "builtin":
        tool = ("deckbuild, o gerador deste projeto (pandoc, GPL-2.0+, e reveal.js, MIT; ícones "
                "Font Awesome, CC BY 4.0, do plugin de menu)")
    else:
        tool = "Quarto (MIT) e reveal.js (MIT)"
    return (f"Slides gerados com {tool}; gráficos Vega-Lite/Altair (BSD-3); fontes Inter e "
            "JetBrains Mono (SIL OFL 1.1).")


def references_list(*topics: str, part: int = 1, of: int = 1) -> str:
    """The references of some topics as a Markdown list (linked), split in `of` parts."""
    from demos.market import references
    refs = references()
    refs = refs[refs["topic"].isin(topics)]
    size = math.ceil(len(refs) / of)
    chunk = refs.iloc[(part - 1) * size: part * size]
    return "\n".join(f"- [{r.citation}]({r.url})" for r in chunk.itertuples())
