"""The market and hardware facts of the deck as tidy DataFrames, read from `data/`.

GPU counts per company (estimates, projections and company statements, each with its
origin), chip prices and specs, NVIDIA revenue and market-value milestones, training energy
per model, training datasets, the cloud vs. AI data-center comparison, regulation status and
the reference list. Numbers come only from the CSV files, each row with its `source`; this
module adds derived columns (growth, ratios). Every function takes `cutoff` (default: the
active event's start, see sourced_data): rows dated after it are left out, and the frame's
attrs["cutoff"] carries the date for the charts' "dados até" line."""
from __future__ import annotations

import re

import pandas as pd

from demos.ptbr import fmt_num
from demos.sourced_data import EVENT, load_table

TABLE_ORIGIN = "LessWrong"        # the GPU table of the talk: LessWrong post, nov. 2024


def _keep(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = df[columns].copy()
    out.attrs.update(df.attrs)
    return out


def gpu_estimates(cutoff=EVENT) -> pd.DataFrame:
    """company, year, period, low, high, mid, prefix, kind, origin, is_table, date, _as_of
    (the date as a datetime.date), source, note."""
    df = load_table("gpu_estimates", cutoff=cutoff)
    df["year"] = df["year"].astype(int)
    df["mid"] = (df["low"] + df["high"]) / 2
    df["is_table"] = df["origin"] == TABLE_ORIGIN
    return _keep(df, ["company", "year", "period", "low", "high", "mid", "prefix", "kind", "origin",
                      "is_table", "date", "_as_of", "source", "note"])


def latest_estimates(origin: str, cutoff=EVENT) -> pd.DataFrame:
    """The newest rows of one origin known at the cutoff (e.g. Epoch AI's latest stock estimate)."""
    df = load_table("gpu_estimates", cutoff=cutoff)
    df = df[df["origin"] == origin]
    if df.empty:
        raise KeyError(f"data/gpu_estimates.csv: no rows from {origin!r} at this cutoff")
    newest = df["_as_of"].max()
    out = df[df["_as_of"] == newest].sort_values("high", ascending=False).reset_index(drop=True)
    out.attrs.update(df.attrs)
    return out


def chip_prices(cutoff=EVENT) -> pd.DataFrame:
    """item, price_low, price_high, price_mid (US$), is_chip, date, source, note."""
    df = load_table("chip_prices", cutoff=cutoff)
    df["price_mid"] = (df["price_low"] + df["price_high"]) / 2
    df["is_chip"] = df["item"].str.startswith("NVIDIA")
    return _keep(df, ["item", "price_low", "price_high", "price_mid", "is_chip", "date", "source", "note"])


def chip_specs(cutoff=EVENT) -> pd.DataFrame:
    """chip, metric, label, value, unit, source (one row per chip and metric)."""
    return _keep(load_table("chip_specs", cutoff=cutoff), ["chip", "metric", "label", "value", "unit", "source"])


def chip_ratio(metric: str, numerator: str = "B200", denominator: str = "H100 SXM") -> float:
    """How many times `numerator` beats `denominator` on one metric: chip_ratio('bf16_dense') = 2.28."""
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


def nvidia_revenue(cutoff=EVENT) -> pd.DataFrame:
    """fiscal_year, fiscal_year_end (datetime), revenue_usd, data_center_usd, other_usd,
    data_center_share, growth (vs. the previous fiscal year, 1.14 = +114%), date (published), source, note."""
    df = load_table("nvidia_revenue", cutoff=cutoff)
    df["fiscal_year_end"] = pd.to_datetime(df["fiscal_year_end"])
    df = df.sort_values("fiscal_year_end").reset_index(drop=True)
    df["other_usd"] = df["revenue_usd"] - df["data_center_usd"]
    df["data_center_share"] = df["data_center_usd"] / df["revenue_usd"]
    df["growth"] = df["revenue_usd"].pct_change()
    return _keep(df, ["fiscal_year", "fiscal_year_end", "revenue_usd", "data_center_usd", "other_usd",
                      "data_center_share", "growth", "date", "source", "note"])


def nvidia_milestones(cutoff=EVENT) -> pd.DataFrame:
    """date (datetime), market_value_usd, kind (intraday/close), days_since_previous, source, note."""
    df = load_table("nvidia_milestones", cutoff=cutoff)
    df["date"] = pd.to_datetime(df["date"])
    df = df.sort_values("date").reset_index(drop=True)
    df["days_since_previous"] = df["date"].diff().dt.days
    return _keep(df, ["date", "market_value_usd", "kind", "days_since_previous", "source", "note"])


def model_energy(cutoff=EVENT) -> pd.DataFrame:
    """model, year, energy_mwh, co2e_t, source, note, sorted by energy (largest first)."""
    df = load_table("model_energy", cutoff=cutoff)
    df["year"] = df["year"].astype(int)
    df = df.sort_values("energy_mwh", ascending=False).reset_index(drop=True)
    return _keep(df, ["model", "year", "energy_mwh", "co2e_t", "source", "note"])


def training_datasets(cutoff=EVENT) -> pd.DataFrame:
    """dataset, group (slide), category, what_it_is, size, llm_text (bool: text for LLMs),
    original_claim, corrected (bool), date, source."""
    df = load_table("training_datasets", cutoff=cutoff)
    df["corrected"] = df["original_claim"].str.strip() != ""
    df["llm_text"] = df["llm_text"] == "sim"
    return _keep(df, ["dataset", "group", "category", "what_it_is", "size", "llm_text", "original_claim",
                      "corrected", "date", "source"])


def dataset_rows(group: str, llm_text: bool = True, cutoff=EVENT) -> pd.DataFrame:
    """The datasets of one slide (`group`): the LLM text sets, or (llm_text=False) the ones
    named on the original slide that are not text for LLMs (images, a model, a source)."""
    df = training_datasets(cutoff)
    out = df[(df["group"] == group) & (df["llm_text"] == llm_text)].reset_index(drop=True)
    out.attrs.update(df.attrs)
    return out


_SPEC = re.compile(r"\{([^:{}]+):([^{}]+)\}")


def datacenter_comparison(cutoff=EVENT) -> pd.DataFrame:
    """aspect, kind (nuvem / ia), text, source; `{chip:metric}` in a text is the value in
    data/chip_specs.csv (so the watts on the slide are the datasheet's)."""
    df = load_table("datacenter_comparison", cutoff=cutoff)
    specs = chip_specs(cutoff).set_index(["chip", "metric"])["value"]
    df["text"] = [_SPEC.sub(lambda m: fmt_num(specs[(m[1], m[2])]), t) for t in df["text"]]
    return _keep(df, ["aspect", "kind", "text", "source"])


def datacenter_text(aspect: str, kind: str) -> str:
    """One bullet of the data-center slides: datacenter_text('Rede', 'ia')."""
    df = datacenter_comparison()
    hit = df[(df["aspect"] == aspect) & (df["kind"] == kind)]
    if hit.empty:
        raise KeyError(f"data/datacenter_comparison.csv: no {kind!r} row for {aspect!r}")
    return hit["text"].iloc[0]


def regulation_status(law: str, cutoff=EVENT) -> str:
    """The newest status of a law known at the cutoff: regulation_status('PL 2338/2023')."""
    df = load_table("regulation", cutoff=cutoff)
    df = df[df["law"] == law]
    if df.empty:
        raise KeyError(f"data/regulation.csv: no status of {law!r} at this cutoff")
    return df.sort_values("_as_of")["status"].iloc[-1]


def references(cutoff=EVENT) -> pd.DataFrame:
    """key, cite (as written in the notes), citation, url, topic, date, exempt, source."""
    return _keep(load_table("references", cutoff=cutoff),
                 ["key", "cite", "citation", "url", "topic", "date", "exempt", "source"])
