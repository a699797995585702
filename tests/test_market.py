"""Market/hardware tables against the CSV rows read independently, and the charts' content.

The deck's tables are read at the default event's cutoff (event.start 2025-06-10), so rows
dated later (NVIDIA fiscal 2026, US$ 4 and 5 tri) are not here; tests/test_cutoff.py covers
other cutoffs."""
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from data_utils import EVENT_START, data_rows, end_of_period
from demos import gpu_charts, market, market_charts


CUTOFF = EVENT_START                     # the default profile's event.start


def rows(name, cutoff=CUTOFF):
    """The CSV rows known at `cutoff` (all rows of a table without dates), read with csv."""
    return [r for r in data_rows(name) if cutoff is None or not r.get("date") or r.get("exempt")
            or end_of_period(r["date"]) <= cutoff]


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


def test_gpu_estimates_keep_every_row_and_mark_the_lesswrong_table():
    raw = rows("gpu_estimates")
    df = market.gpu_estimates()
    assert len(df) == len(raw) < len(rows("gpu_estimates", None))   # Epoch AI 2026 rows come later
    table = [r for r in raw if r["origin"] == market.TABLE_ORIGIN]
    assert int(df["is_table"].sum()) == len(table) == 15   # 5 companies x 3 columns
    assert all("lesswrong.com/posts/bdQhzQsHjNrQp7cNS" in r["source"] and r["date"] == "2024-11" for r in table)
    assert {r["kind"] for r in table if r["year"] == "2025"} == {"projeção"}      # 2025: projections of nov. 2024
    assert {r["origin"] for r in raw} == {"LessWrong", "Epoch AI", "Omdia", "Meta", "xAI"}
    for r, (_, row) in zip(raw, df.iterrows()):
        lo, hi = float(r["low"]), float(r["high"])
        assert lo <= hi and row["mid"] == pytest.approx((lo + hi) / 2)
    msft = df[(df.company == "Microsoft") & df.is_table & (df.year == 2024)].iloc[0]
    assert (msft.low, msft.high) == (750000, 900000)
    latest = market.latest_estimates("Epoch AI")
    assert set(latest["company"]) == {"Microsoft", "Google"} and set(latest["date"]) == {"2024-10-09"}


def test_chip_prices_and_ratio_from_the_csv():
    raw = by("chip_prices", "item")
    df = market.chip_prices().set_index("item")
    truck = [k for k in raw if k.startswith("RAM 3500")][0]
    assert df.loc[truck, "price_low"] == float(raw[truck]["price_low"]) == 46570
    assert "entrada" in truck and "Limited" not in truck       # the starting price is the entry trim's
    assert not df.loc[truck, "is_chip"] and df.loc["NVIDIA H100", "is_chip"]
    specs = {(r["chip"], r["metric"]): float(r["value"]) for r in rows("chip_specs")}
    assert market.chip_ratio("memory") == pytest.approx(specs[("B200", "memory")] / specs[("H100 SXM", "memory")])
    assert market.chip_ratio("bf16_dense") == pytest.approx(2250 / 989)
    # the DGX B200 datasheet gives 1.440 GB for 8 GPUs: 180 GB each (192 GB is the physical HBM3e)
    assert specs[("B200", "memory")] == 1440 / 8 and specs[("B200", "memory_physical")] == 192
    with pytest.raises(KeyError, match="fp4_dense"):
        market.chip_ratio("fp4_dense")          # the H100 has no FP4 row: no invented value


def test_chip_comparison_ratios_by_hand():
    specs = {(r["chip"], r["metric"]): float(r["value"]) for r in rows("chip_specs")}
    both = [m for (c, m) in specs if c == "B200" and ("H100 SXM", m) in specs]
    df = market.chip_comparison().set_index("metric")
    assert sorted(df.index) == sorted(both) and "fp4_dense" not in df.index
    assert "memory_physical" not in df.index
    for m in both:
        assert df.loc[m, "ratio"] == pytest.approx(specs[("B200", m)] / specs[("H100 SXM", m)])


def test_milestones_sorted_with_day_gaps_by_hand():
    raw = sorted(rows("nvidia_milestones"), key=lambda r: r["date"])
    dates = [dt.date.fromisoformat(r["date"]) for r in raw]
    df = market.nvidia_milestones()
    assert [v / 1e12 for v in df["market_value_usd"]] == [1, 2, 3]          # US$ 4 and 5 tri: jul./out. 2025
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


def test_slide_tables_hold_only_llm_text_datasets():
    df = market.training_datasets()
    text = {"Corpora gerais", "Domínio específico", "Perguntas e respostas", "Conversação", "Código"}
    assert set(df[df["llm_text"]]["category"]) <= text
    not_text = set(df[~df["llm_text"]]["dataset"])
    assert {"LAION-2B-en", "CheXpert", "JavaBERT", "GitHub"} == not_text       # images, a model, a source
    shown = set(market.dataset_rows("gerais")["dataset"]) | set(market.dataset_rows("específicos")["dataset"])
    assert not shown & not_text and {"The Stack", "CodeSearchNet", "StarCoderData"} <= shown
    assert set(market.dataset_rows("gerais", llm_text=False)["dataset"]) == {"LAION-2B-en"}


def test_datacenter_aspects_and_references():
    dc = market.datacenter_comparison()
    aspects = ["Hardware", "Rede", "Armazenamento", "Energia e resfriamento", "Escalabilidade", "Uso"]
    for kind in ("nuvem", "ia"):
        assert dc[dc.kind == kind]["aspect"].tolist() == aspects
    power = market.datacenter_text("Energia e resfriamento", "ia")
    specs = {(r["chip"], r["metric"]): float(r["value"]) for r in rows("chip_specs")}
    assert f"{specs[('H100 SXM', 'power')]:.0f} W" in power and "1.000 W" in power and "{" not in power
    assert "ar" in power and "líquido" in power and "GB200" in power       # air for 8-GPU servers
    assert "MI250" not in market.datacenter_text("Hardware", "ia")
    refs = market.references()
    assert refs["key"].is_unique and refs["cite"].is_unique and refs["url"].str.startswith("http").all()
    for key in ("vaswani2017", "brown2020", "kaplan2020", "hoffmann2022", "mikolov2013", "pennington2014",
                "patterson2021", "you2024", "schuhmann2022", "google2025", "benallal2025", "alammar2018",
                "sanderson2017", "llmdatahub", "lesswrong2024"):
        assert key in set(refs["key"])
    assert "gemma3" not in set(refs["key"])           # the Gemma 3 report does not cover the 270M model
    assert "epochchips2026" not in set(refs["key"])   # published after the event (15 abr. 2026)


def test_regulation_status_at_the_event():
    assert "Senado" in market.regulation_status("PL 2338/2023")
    assert "Câmara" in market.regulation_status("PL 2338/2023")
    assert "propósito geral" not in market.regulation_status("AI Act")          # that is ago. 2025
    assert "proibições" in market.regulation_status("AI Act")


# ---------- charts ----------

@pytest.fixture(scope="module")
def charts():
    from demos.render_setup import init_deck
    init_deck()                     # the deck's theme and fonts, so sizes are the slide's
    return {
        "gpu": gpu_charts.gpu_estimates_chart(market.gpu_estimates()),
        "gpu_sources": gpu_charts.gpu_sources_chart(market.gpu_estimates()),
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
    assert "estimativa" in gpu and "projeção" in gpu and "LessWrong" in gpu
    assert "[11]" not in gpu and "deck original" not in gpu
    for r in rows("gpu_estimates"):
        if r["origin"] == "LessWrong":
            assert r["company"] in gpu
    assert "750 mil – 900 mil" in gpu                  # Microsoft, end of 2024, LessWrong table
    assert "US$ 46.570" in spec_text(charts["price"])
    ms = spec_text(charts["milestones"])
    assert all(f"US$ {n} tri" in ms for n in range(1, 4)) and "US$ 4 tri" not in ms
    energy = spec_text(charts["energy"])
    assert "1.287 MWh" in energy and "552,1 t CO₂e" in energy and "85,7 MWh" in energy
    chips = spec_text(charts["chips"])
    ratio = f"{180 / 80:.1f}".replace(".", ",") + "×"                     # memory, 180 GB vs 80 GB
    assert ratio in chips and "2.250 TFLOPS" in chips and "989 TFLOPS" in chips
    sources = market.gpu_estimates()
    assert "mais de 1 mi" in spec_text(charts["gpu_sources"])             # Epoch: ">1M" for Google
    assert len(sources[sources["origin"].isin(["Meta", "xAI"])]) == 2


def _big(n: float) -> str:
    """Independent pt-BR short form: 750000 -> '750 mil', 2500000 -> '2,5 mi'."""
    return f"{n / 1e3:g} mil" if n < 1e6 else f"{n / 1e6:g}".replace(".", ",") + " mi"


def _data_values(chart) -> list[dict]:
    spec = chart.to_dict()
    return [v for ds in spec.get("datasets", {}).values() for v in ds]


def _label(r) -> str:
    text = _big(float(r["low"])) if r["low"] == r["high"] else f"{_big(float(r['low']))} – {_big(float(r['high']))}"
    return (r["prefix"] + ("" if r["prefix"] in ("", "~") else " ") + text) if r["prefix"] else text


def test_gpu_charts_show_year_end_ranges_and_the_other_estimates(charts):
    table = [r for r in rows("gpu_estimates") if r["origin"] == "LessWrong"]
    year_end = [r for r in table if "H100" in r["period"]]
    shown = {(v["company"], v["period"], v["faixa"]) for v in _data_values(charts["gpu"])}
    want = {(r["company"], r["period"], _label(r)) for r in year_end}
    assert shown == want                                   # only the year-end H100-equivalent rows
    others = [r for r in rows("gpu_estimates") if r["origin"] != "LessWrong"]
    values = _data_values(charts["gpu_sources"])
    assert {(v["company"], v["faixa"]) for v in values if v["serie"] != "LessWrong"} == \
        {(r["company"], _label(r)) for r in others}
    assert {v["year"] for v in values} == {2024}


@pytest.mark.parametrize("name", ["gpu", "gpu_sources", "price", "revenue", "milestones", "energy", "chips"])
def test_every_chart_has_a_source_line_and_fits_the_slide(charts, name):
    import vl_convert as vlc
    from PIL import Image
    from demos.ptbr import VEGA_NUMBER_LOCALE
    spec = charts[name].to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Fonte:" in subtitle
    if name != "chips":
        assert "dados até jun. 2025" in subtitle
    png = vlc.vegalite_to_png(spec, scale=1, format_locale=VEGA_NUMBER_LOCALE)
    width, height = Image.open(io.BytesIO(png)).size
    assert width <= 1000 and height <= 540, (width, height)    # a 1050×700 slide under its title
