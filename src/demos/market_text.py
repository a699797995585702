"""Sentences and values of the market and hardware slides: NVIDIA's revenue over its fiscal
years, a model's training footprint, chip specs in the unit a slide speaks (GB/s, FLOP/s, a
launch year) and the GPU rates of the compute slide. Each reads `demos.market` or
`demos.facts` data and returns pt-BR text (the slide sentences computed elsewhere are in
`demos.slide_text`)."""
from __future__ import annotations

import pandas as pd

from demos.facts import row_value
from demos.market import chip_specs
from demos.ptbr import fmt_big, fmt_count, fmt_num, fmt_pct, fmt_usd
from demos.slide_text import rate_time_text

_PREFIX = {"G": 1e9, "T": 1e12}     # unit prefixes of data/chip_specs.csv: TFLOPS, TB/s, GB


# ---- NVIDIA revenue -----------------------------------------------------------------------

def fiscal_year_text(label: str) -> str:
    """A fiscal year as the slides write it: 'FY2025' -> '2025'."""
    return label.removeprefix("FY")


def revenue_span_text(revenue: pd.DataFrame) -> str:
    """First and last fiscal year of demos.market.nvidia_revenue() and the data-center share
    of the last: 'De US$ 27 bi (ano fiscal 2023) para US$ 130,5 bi (ano fiscal 2025); data
    center: 88% do total'."""
    first, last = revenue.iloc[0], revenue.iloc[-1]
    return (f"De {fmt_usd(first['revenue_usd'])} (ano fiscal {fiscal_year_text(first['fiscal_year'])}) "
            f"para {fmt_usd(last['revenue_usd'])} (ano fiscal {fiscal_year_text(last['fiscal_year'])}); "
            f"data center: {fmt_pct(last['data_center_share'], 0)} do total")


def revenue_growth_text(revenue: pd.DataFrame) -> str:
    """How many times revenue grew from the first to the last fiscal year, and in how many
    years: '4,8 em 2 anos fiscais'."""
    times = revenue["revenue_usd"].iloc[-1] / revenue["revenue_usd"].iloc[0]
    return f"{fmt_num(times, 1)} em {len(revenue) - 1} anos fiscais"


def fiscal_calendar_text(revenue: pd.DataFrame) -> str:
    """The last fiscal year against the calendar (NVIDIA's ends in late January, so it is
    mostly the year before): '2025 é praticamente o ano de 2024'."""
    last = revenue.iloc[-1]
    return f"{fiscal_year_text(last['fiscal_year'])} é praticamente o ano de {last['fiscal_year_end'].year - 1}"


# ---- training energy ----------------------------------------------------------------------

def footprint_text(energy: pd.DataFrame, model: str, column: str) -> str:
    """One column of a model's row in demos.market.model_energy(), the model named without
    the size in its label ('GPT-3' for 'GPT-3 (175 bi)'): footprint_text(e, 'GPT-3',
    'energy_mwh') -> '1.287'."""
    names = energy["model"].str.split(" (", n=1, regex=False).str[0]
    hit = energy[names == model]
    if len(hit) != 1:
        raise KeyError(f"data/model_energy.csv: {len(hit)} rows for {model!r}, expected 1 "
                       f"(models: {', '.join(names)})")
    return fmt_num(hit[column].iloc[0])


# ---- chip specs ---------------------------------------------------------------------------

def _split_unit(unit: str) -> tuple[float, str]:
    """'TFLOPS' -> (1e12, 'FLOPS'), 'GB/s' -> (1e9, 'B/s'), 'W' -> (1, 'W')."""
    if len(unit) > 1 and unit[0] in _PREFIX:
        return _PREFIX[unit[0]], unit[1:]
    return 1.0, unit


def chip_spec(chip: str, metric: str, unit: str | None = None) -> float:
    """One value of data/chip_specs.csv, in its own unit or converted to `unit` (same base,
    another prefix): chip_spec('H100 SXM', 'nvlink', 'GB/s') -> 900.0 (the row is 0,9 TB/s)."""
    specs = chip_specs()
    hit = specs[(specs["chip"] == chip) & (specs["metric"] == metric)]
    if hit.empty:
        raise KeyError(f"data/chip_specs.csv: no {metric!r} for {chip!r}")
    value, have = float(hit["value"].iloc[0]), hit["unit"].iloc[0]
    if unit is None or unit == have:
        return value
    (scale_have, base_have), (scale_want, base_want) = _split_unit(have), _split_unit(unit)
    if base_have != base_want:
        raise ValueError(f"data/chip_specs.csv: {chip} {metric} is in {have}, not convertible to {unit}")
    return value * scale_have / scale_want


def spec_text(chip: str, metric: str, unit: str | None = None) -> str:
    """A chip spec as slide text, rounded: spec_text('B200', 'memory') -> '180',
    spec_text('H100 SXM', 'nvlink', 'GB/s') -> '900'."""
    return fmt_num(chip_spec(chip, metric, unit))


def times_billion_text(chip: str = "H100 SXM", metric: str = "bf16_dense") -> str:
    """How many times the talk's '1 bilhão por segundo' a chip's peak is (its GFLOPS):
    989 TFLOPS -> '989 mil'."""
    return fmt_big(chip_spec(chip, metric, "GFLOPS"))


def chip_second_text(chip: str = "H100 SXM", metric: str = "bf16_dense") -> str:
    """How long 1 billion operations per second take to do one second of the chip's peak:
    '11,4 dias'."""
    return rate_time_text(chip_spec(chip, metric, "FLOPS"))


def chip_year(chip: str) -> str:
    """The year of a chip's specs in data/chip_specs.csv (dated like a fact): 'H100 SXM' -> '2022'."""
    return str(row_value("chip_specs", "chip", chip, "_as_of").year)


# ---- GPU rates of the compute slide (data/hardware_rates.csv) ----------------------------------

def peak_tflops_text(key: str = "h100") -> str:
    """The per-GPU peak of a data/hardware_rates.csv row in TFLOPS: '989'."""
    return fmt_num(row_value("hardware_rates", "key", key, "rate_per_unit") / 1e12)


def utilization_text(key: str = "h100") -> str:
    """The assumed share of the peak a row uses: '40%'."""
    return fmt_pct(row_value("hardware_rates", "key", key, "utilization"), 0)


def gpu_count_text(key: str = "h100_10k") -> str:
    """How many GPUs a row has, in words: '10 mil'."""
    return fmt_count(row_value("hardware_rates", "key", key, "count"))
