"""How much computing training takes: 6·N·D, a transformer's parameter count, this
machine's measured FLOP/s, years to train GPT-3/3.5/4 at several rates, the slide's
"1 billion operations per second" arithmetic and its ladder of time periods.

Sourced numbers come from data/model_compute.csv and data/hardware_rates.csv."""
from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from demos.ptbr import SECONDS_PER_YEAR, fmt_duration, fmt_num, fmt_pct, fmt_quantity

SECONDS_PER_MONTH = 30 * 24 * 3600      # "1 mês" on the slide = 30 days


def training_flops(params: float, tokens: float) -> float:
    """Training compute ≈ 6·N·D FLOP (2 forward + 4 backward per parameter per token)."""
    return 6.0 * params * tokens


def transformer_params(layers: int, d_model: int, vocab: int, context: int) -> int:
    """Decoder-only transformer ≈ 12·L·d² (attention 4d², MLP 8d² per layer) plus the token
    and position embeddings (vocab + context)·d. GPT-3: (96, 12288, 50257, 2048) → ≈ 175 bi."""
    return 12 * layers * d_model**2 + (vocab + context) * d_model


def measure_flops(seconds: float = 1.0, n: int = 512) -> float:
    """This machine's float32 matrix-multiply speed in FLOP/s (2·n³ per n×n matmul),
    timed for about `seconds` with torch on CPU after one warm-up."""
    import torch
    g = torch.Generator().manual_seed(0)
    a, b = torch.rand(n, n, generator=g), torch.rand(n, n, generator=g)
    out = torch.empty(n, n)
    torch.matmul(a, b, out=out)  # warm-up (thread pool, caches)
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        torch.matmul(a, b, out=out)
        count += 1
    return 2.0 * n**3 * count / elapsed


# ---- sourced tables ---------------------------------------------------------------------

def model_compute() -> pd.DataFrame:
    """data/model_compute.csv: DataFrame[model, flops, params, tokens, source, note]."""
    from demos.sourced_data import load_table
    return load_table("model_compute")


def hardware_rates() -> pd.DataFrame:
    """data/hardware_rates.csv plus `rate` = count × rate_per_unit × utilization (FLOP/s)."""
    from demos.sourced_data import load_table
    df = load_table("hardware_rates")
    df["rate"] = df["count"] * df["rate_per_unit"] * df["utilization"]
    df["rate_label"] = [lbl if u == 1 else f"{lbl} ({fmt_pct(u, 0)} de aproveitamento)"
                        for lbl, u in zip(df["label"], df["utilization"])]
    return df


def default_rates(measured: float | None = None) -> dict[str, float]:
    """Rates for years_to_train: 1 billion ops/s, this machine (when `measured` is given),
    one H100 and 10,000 H100s at the assumed utilisation. {label: FLOP/s}."""
    hw = hardware_rates().set_index("key")
    rates = {hw.at["billion", "rate_label"]: hw.at["billion", "rate"]}
    if measured:
        rates[f"este computador (medido: {fmt_num(measured / 1e9, 0)} bi/s)"] = float(measured)
    for key in ("h100", "h100_10k"):
        rates[hw.at[key, "rate_label"]] = hw.at[key, "rate"]
    return rates


def years_to_train(rates: dict[str, float] | None = None) -> pd.DataFrame:
    """Years to compute each model's training FLOP at each rate (FLOP ÷ rate ÷ 31,557,600).
    `rates` = {label: FLOP/s}; None → default_rates(measure_flops()).
    DataFrame[model, flops, rate_label, rate, years, seconds, time_label]."""
    rates = rates if rates is not None else default_rates(measure_flops())
    rows = []
    for model, flops in model_compute()[["model", "flops"]].itertuples(index=False):
        for label, rate in rates.items():
            if not rate > 0:
                raise ValueError(f"years_to_train: rate for '{label}' must be > 0, got {rate}")
            seconds = flops / rate
            rows.append((model, flops, label, float(rate), seconds / SECONDS_PER_YEAR, seconds,
                         fmt_duration(seconds)))
    return pd.DataFrame(rows, columns=["model", "flops", "rate_label", "rate", "years",
                                       "seconds", "time_label"])


# ---- the slide's "1 bilhão de operações por segundo" ------------------------------------

def _round3(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def arithmetic_lines(n: int = 10, seed: int = 0) -> pd.DataFrame:
    """Random sums and products like the slide's (thousands with 3 decimals), computed
    exactly (Decimal) and written pt-BR: '4.449,890 + 5.962,869 = 10.412,759'.
    DataFrame[a, op, b, result, line]."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        a, b = (Decimal(int(v)) / 1000 for v in rng.integers(100_000, 10_000_000, size=2))
        op = "+" if rng.random() < 0.5 else "×"
        result = _round3(a + b if op == "+" else a * b)
        line = f"{fmt_num(float(a), 3)} {op} {fmt_num(float(b), 3)} = {fmt_num(float(result), 3)}"
        rows.append((float(a), op, float(b), float(result), line))
    return pd.DataFrame(rows, columns=["a", "op", "b", "result", "line"])


def ops_ladder(rate: float = 1e9, train_model: str = "GPT-3.5") -> pd.DataFrame:
    """Operations done at `rate` per second in 1 minute, hour, day, month (30 days) and
    year (365,25 days), then the time to train `train_model` at that rate.
    DataFrame[period, seconds, ops, ops_label, time_label]."""
    periods = [("1 minuto", 60), ("1 hora", 3600), ("1 dia", 86400),
               ("1 mês (30 dias)", SECONDS_PER_MONTH), ("1 ano", SECONDS_PER_YEAR)]
    flops = model_compute().set_index("model").at[train_model, "flops"]
    rows = [(label, float(s), rate * s) for label, s in periods]
    rows.append((f"treinar o {train_model}", flops / rate, float(flops)))
    df = pd.DataFrame(rows, columns=["period", "seconds", "ops"])
    df["ops_label"] = [fmt_quantity(x, "operação", "operações") for x in df["ops"]]
    df["time_label"] = [fmt_duration(s) for s in df["seconds"]]
    return df
