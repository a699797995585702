"""Market/hardware tables against the CSV rows read independently, and the charts' content."""
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from demos import market, market_charts
from demos.sourced_data import data_dir


def rows(name):
    with (data_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def by(name, key):
    return {r[key]: r for r in rows(name)}


# ---------- tables ----------

def test_revenue_growth_fy2024_to_fy2025_matches_hand_calculation():
    raw = by("nvidia_revenue", "fiscal_year")
    expected = float(raw["FY2025"]["revenue_usd"]) / float(raw["FY2024"]["revenue_usd"]) - 1
    df = market.nvidia_revenue().set_index("fiscal_year")
    assert df.loc["FY2025", "growth"] == pytest.approx(expected, rel=1e-12)
    assert 1.0 < expected < 1.3   # the press release says "up 114%"
    share = float(raw["FY2025"]["data_center_usd"]) / float(raw["FY2025"]["revenue_usd"])
    assert df.loc["FY2025", "data_center_share"] == pytest.approx(share)
    assert df["fiscal_year_end"].is_monotonic_increasing
    assert df["growth"].isna().sum() == 1      # only the first year has no previous one


def test_gpu_estimates_keep_every_row_and_mark_the_original_table():
    raw = rows("gpu_estimates")
    df = market.gpu_estimates()
    assert len(df) == len(raw)
    original = [r for r in raw if r["estimate_kind"] == market.ORIGINAL_DECK_KIND]
    assert int(df["is_original_deck"].sum()) == len(original) == 15   # 5 companies x 3 columns
    assert all("[11]" in r["source"] and "deck original" in r["source"] for r in original)
    others = {r["estimate_kind"] for r in raw} - {market.ORIGINAL_DECK_KIND}
    assert any("Epoch" in k for k in others) and any("Omdia" in k for k in others)
    for r, (_, row) in zip(raw, df.iterrows()):
        lo, hi = float(r["low"]), float(r["high"])
        assert lo <= hi and row["mid"] == pytest.approx((lo + hi) / 2)
    msft = df[(df.company == "Microsoft") & df.is_original_deck & (df.year == 2024)].iloc[0]
    assert (msft.low, msft.high) == (750000, 900000)


def test_chip_prices_and_ratio_from_the_csv():
    raw = by("chip_prices", "item")
    df = market.chip_prices().set_index("item")
    truck = [k for k in raw if k.startswith("RAM 3500")][0]
    assert df.loc[truck, "price_low"] == float(raw[truck]["price_low"]) == 46570
    assert not df.loc[truck, "is_chip"] and df.loc["NVIDIA H100", "is_chip"]
    specs = {(r["chip"], r["metric"]): float(r["value"]) for r in rows("chip_specs")}
    assert market.chip_ratio("memory") == pytest.approx(specs[("B200", "memory")] / specs[("H100 SXM", "memory")])
    assert market.chip_ratio("bf16_dense") == pytest.approx(2250 / 989)
    with pytest.raises(KeyError, match="fp4_dense"):
        market.chip_ratio("fp4_dense")          # the H100 has no FP4 row: no invented value


def test_chip_comparison_ratios_by_hand():
    specs = {(r["chip"], r["metric"]): float(r["value"]) for r in rows("chip_specs")}
    both = [m for (c, m) in specs if c == "B200" and ("H100 SXM", m) in specs]
    df = market.chip_comparison().set_index("metric")
    assert sorted(df.index) == sorted(both) and "fp4_dense" not in df.index
    for m in both:
        assert df.loc[m, "ratio"] == pytest.approx(specs[("B200", m)] / specs[("H100 SXM", m)])


def test_milestones_sorted_with_day_gaps_by_hand():
    raw = sorted(rows("nvidia_milestones"), key=lambda r: r["date"])
    dates = [dt.date.fromisoformat(r["date"]) for r in raw]
    df = market.nvidia_milestones()
    assert [v / 1e12 for v in df["market_value_usd"]] == [1, 2, 3, 4, 5]
    gaps = [(b - a).days for a, b in zip(dates, dates[1:])]
    assert df["days_since_previous"].iloc[1:].tolist() == gaps
    assert set(df["kind"]) <= {"intraday", "close"}


def test_model_energy_values_and_order():
    raw = {r["model"]: r for r in rows("model_energy")}
    gpt3 = [k for k in raw if k.startswith("GPT-3")][0]
    assert float(raw[gpt3]["energy_mwh"]) == 1287 and float(raw[gpt3]["co2e_t"]) == pytest.approx(552.1)
    df = market.model_energy()
    assert df["energy_mwh"].is_monotonic_decreasing
    assert df.iloc[0]["model"] == gpt3
    assert all("Patterson" in raw[m]["source"] or "Luccioni" in raw[m]["source"] for m in raw)


def _seed_dataset_slide():
    text = Path("/work/shared/seed/como-as-llms-funcionam.txt")
    if not text.exists():
        pytest.skip("the original deck text (/work/shared/seed) is not on this machine")
    body = text.read_text(encoding="utf-8")
    start = body.index("Datasets: Entra Porco")
    return body[start:body.index("LLMDataHub", start)]


def test_every_dataset_of_the_original_slide_is_covered():
    slide = _seed_dataset_slide()
    named = re.findall(r"- \*\*(.+?)\*\*:", slide)
    assert len(named) == 14
    # how the original names map onto our rows (corrections noted in the CSV)
    alias = {"CCAW (Common Crawl Archive Web)": ["Common Crawl"], "PubMed Abstracts": ["PubMed"],
             "WebText (The Pile)": ["WebText", "The Pile"], "JavaBert": ["JavaBERT"],
             "Starcoder": ["StarCoderData"]}
    ours = set(market.training_datasets()["dataset"])
    for name in named:
        for d in alias.get(name, [name]):
            assert d in ours, f"{d} (from the slide's {name}) is missing"


def test_original_claims_are_quoted_from_the_slide():
    slide = _seed_dataset_slide()
    df = market.training_datasets()
    corrected = df[df["corrected"]]
    assert {"LAION-2B-en", "Common Crawl", "WikiText-103", "DailyDialog", "JavaBERT"} <= set(corrected["dataset"])
    plain = slide.replace("**", "")
    for claim in corrected["original_claim"]:
        assert claim in plain, claim
    assert set(df["category"]) <= {"Corpora gerais", "Domínio específico", "Conversação", "Código"}


def test_datacenter_aspects_and_references():
    assert market.datacenter_comparison()["aspect"].tolist() == [
        "Hardware", "Rede", "Armazenamento", "Energia e Resfriamento", "Escalabilidade", "Uso"]
    refs = market.references()
    assert refs["key"].is_unique and refs["url"].str.startswith("http").all()
    for key in ("vaswani2017", "brown2020", "kaplan2020", "hoffmann2022", "mikolov2013", "pennington2014",
                "patterson2021", "epoch2024", "schuhmann2022", "gemma3", "smollm2", "alammar2018",
                "3b1b2017", "llmdatahub"):
        assert key in set(refs["key"])


# ---------- charts ----------

@pytest.fixture(scope="module")
def charts():
    from demos.style import apply_altair_theme
    apply_altair_theme()
    return {
        "gpu": market_charts.gpu_estimates_chart(market.gpu_estimates()),
        "gpu_sources": market_charts.gpu_sources_chart(market.gpu_estimates()),
        "price": market_charts.price_vs_truck_chart(market.chip_prices()),
        "revenue": market_charts.revenue_chart(market.nvidia_revenue()),
        "milestones": market_charts.milestones_chart(market.nvidia_milestones()),
        "energy": market_charts.energy_chart(market.model_energy()),
        "chips": market_charts.chip_comparison_chart(market.chip_comparison()),
    }


def spec_text(chart):
    return json.dumps(chart.to_dict(), ensure_ascii=False)


def test_revenue_labels_are_pt_br(charts):
    raw = by("nvidia_revenue", "fiscal_year")
    text = spec_text(charts["revenue"])
    for fy, r in raw.items():
        label = "US$ " + f"{float(r['revenue_usd']) / 1e9:.1f}".replace(".", ",").removesuffix(",0") + " bi"
        assert label in text, label
    assert "US$ 130,5 bi" in text and "130.5 bi" not in text


def test_chart_data_and_labels(charts):
    gpu = spec_text(charts["gpu"])
    assert "Estimativa" in gpu and "[11]" in gpu
    for r in rows("gpu_estimates"):
        assert r["company"] in gpu
    assert "750 mil – 900 mil" in gpu                  # Microsoft, end of 2024, original table
    assert "US$ 46.570" in spec_text(charts["price"])
    ms = spec_text(charts["milestones"])
    assert all(f"US$ {n} tri" in ms for n in range(1, 6))
    energy = spec_text(charts["energy"])
    assert "1.287 MWh" in energy and "552,1 t CO₂e" in energy and "85,7 MWh" in energy
    chips = spec_text(charts["chips"])
    assert "2,4×" in chips and "2.250 TFLOPS" in chips and "989 TFLOPS" in chips


def _big(n: float) -> str:
    """Independent pt-BR short form: 750000 -> '750 mil', 2500000 -> '2,5 mi'."""
    return f"{n / 1e3:g} mil" if n < 1e6 else f"{n / 1e6:g}".replace(".", ",") + " mi"


def _data_values(chart) -> list[dict]:
    spec = chart.to_dict()
    return [v for ds in spec.get("datasets", {}).values() for v in ds]


def test_gpu_charts_show_year_end_ranges_and_the_other_estimates(charts):
    original = [r for r in rows("gpu_estimates") if "deck original" in r["estimate_kind"]]
    year_end = [r for r in original if "H100" in r["period"]]
    shown = {(v["company"], v["period"], v["faixa"]) for v in _data_values(charts["gpu"])}
    want = {(r["company"], r["period"],
             _big(float(r["low"])) if r["low"] == r["high"] else f"{_big(float(r['low']))} – {_big(float(r['high']))}")
            for r in year_end}
    assert shown == want                                   # only the year-end H100-equivalent rows
    others = [r for r in rows("gpu_estimates") if "deck original" not in r["estimate_kind"]]
    values = _data_values(charts["gpu_sources"])
    assert {(v["company"], v["faixa"]) for v in values if "Deck" not in v["serie"]} == \
        {(r["company"], _big(float(r["low"]))) for r in others}
    assert {v["year"] for v in values} == {2024}


@pytest.mark.parametrize("name", ["gpu", "gpu_sources", "price", "revenue", "milestones", "energy", "chips"])
def test_every_chart_has_a_source_line_and_fits_the_slide(charts, name):
    import vl_convert as vlc
    from PIL import Image
    from demos.ptbr import VEGA_NUMBER_LOCALE
    spec = charts[name].to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Fonte:" in subtitle
    png = vlc.vegalite_to_png(spec, scale=1, format_locale=VEGA_NUMBER_LOCALE)
    width, height = Image.open(io.BytesIO(png)).size
    assert width <= 900 and height <= 450, (width, height)     # a 1050×700 slide under its title
