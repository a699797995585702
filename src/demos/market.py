"""The market and hardware facts of the deck as tidy DataFrames, read from `data/`.

GPU counts per company (estimates, each with its origin), chip prices and specs, NVIDIA
revenue and market-value milestones, training energy per model, training datasets, the
cloud vs. AI datacenter comparison and the reference list. Numbers come only from the
CSV files, each row with its `source`; this module adds derived columns (growth, ratios)."""
from __future__ import annotations

import pandas as pd

from demos.sourced_data import load_table

ORIGINAL_DECK_KIND = "estimativa (tabela do deck original)"


def gpu_estimates() -> pd.DataFrame:
    """company, year, period, low, high, mid, estimate_kind, is_original_deck, source, note."""
    df = load_table("gpu_estimates")
    df["year"] = df["year"].astype(int)
    df["mid"] = (df["low"] + df["high"]) / 2
    df["is_original_deck"] = df["estimate_kind"] == ORIGINAL_DECK_KIND
    return df[["company", "year", "period", "low", "high", "mid", "estimate_kind",
               "is_original_deck", "source", "note"]]


def chip_prices() -> pd.DataFrame:
    """item, price_low, price_high, price_mid (US$), is_chip, source, note."""
    df = load_table("chip_prices")
    df["price_mid"] = (df["price_low"] + df["price_high"]) / 2
    df["is_chip"] = df["item"].str.startswith("NVIDIA")
    return df[["item", "price_low", "price_high", "price_mid", "is_chip", "source", "note"]]


def chip_specs() -> pd.DataFrame:
    """chip, metric, label, value, unit, source (one row per chip and metric)."""
    return load_table("chip_specs")[["chip", "metric", "label", "value", "unit", "source"]]


def chip_ratio(metric: str, numerator: str = "B200", denominator: str = "H100 SXM") -> float:
    """How many times `numerator` beats `denominator` on one metric: chip_ratio('memory') = 2.4."""
    specs = chip_specs().set_index(["chip", "metric"])["value"]
    try:
        return float(specs[(numerator, metric)] / specs[(denominator, metric)])
    except KeyError:
        raise KeyError(f"data/chip_specs.csv has no '{metric}' for both {numerator} and "
                       f"{denominator}") from None


def chip_comparison(new: str = "B200", old: str = "H100 SXM") -> pd.DataFrame:
    """One row per metric both chips have: metric, label, unit, old, new, ratio (new / old)."""
    specs = chip_specs()
    wide = specs.pivot(index="metric", columns="chip", values="value").dropna(subset=[old, new])
    meta = specs.drop_duplicates("metric").set_index("metric")[["label", "unit"]]
    out = meta.loc[wide.index].assign(old=wide[old], new=wide[new])
    out["ratio"] = out["new"] / out["old"]
    order = list(dict.fromkeys(specs["metric"]))
    out = out.reindex([m for m in order if m in out.index]).reset_index()
    return out[["metric", "label", "unit", "old", "new", "ratio"]]


def nvidia_revenue() -> pd.DataFrame:
    """fiscal_year, fiscal_year_end (datetime), revenue_usd, data_center_usd, other_usd,
    data_center_share, growth (vs. the previous fiscal year, 1.14 = +114%), source, note."""
    df = load_table("nvidia_revenue")
    df["fiscal_year_end"] = pd.to_datetime(df["fiscal_year_end"])
    df = df.sort_values("fiscal_year_end").reset_index(drop=True)
    df["other_usd"] = df["revenue_usd"] - df["data_center_usd"]
    df["data_center_share"] = df["data_center_usd"] / df["revenue_usd"]
    df["growth"] = df["revenue_usd"].pct_change()
    return df[["fiscal_year", "fiscal_year_end", "revenue_usd", "data_center_usd", "other_usd",
               "data_center_share", "growth", "source", "note"]]


def nvidia_milestones() -> pd.DataFrame:
    """date (datetime), market_value_usd, kind (intraday/close), days_since_previous, source, note."""
    df = load_table("nvidia_milestones")
    df["date"] = pd.to_datetime(df["date"])
    df = df.sort_values("date").reset_index(drop=True)
    df["days_since_previous"] = df["date"].diff().dt.days
    return df[["date", "market_value_usd", "kind", "days_since_previous", "source", "note"]]


def model_energy() -> pd.DataFrame:
    """model, year, energy_mwh, co2e_t, source, note, sorted by energy (largest first)."""
    df = load_table("model_energy")
    df["year"] = df["year"].astype(int)
    df = df.sort_values("energy_mwh", ascending=False).reset_index(drop=True)
    return df[["model", "year", "energy_mwh", "co2e_t", "source", "note"]]


def training_datasets() -> pd.DataFrame:
    """dataset, category, what_it_is, size, original_claim, corrected (bool), source."""
    df = load_table("training_datasets")
    df["corrected"] = df["original_claim"].str.strip() != ""
    return df[["dataset", "category", "what_it_is", "size", "original_claim", "corrected", "source"]]


def datacenter_comparison() -> pd.DataFrame:
    """aspect, cloud_comum, ia, source (one row per aspect, in the slide's order)."""
    return load_table("datacenter_comparison")[["aspect", "cloud_comum", "ia", "source"]]


def references() -> pd.DataFrame:
    """key, citation, url, topic, source (where the citation was checked)."""
    return load_table("references")[["key", "citation", "url", "topic", "source"]]
