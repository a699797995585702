"""Altair charts for the market and hardware slides (prices, NVIDIA, energy, chips; the GPU
estimates are demos.gpu_charts).

Each function takes a DataFrame from `demos.market` and returns a chart that fits a
1050×700 slide under its title (at most ≈ 1000×540 px with titles and legends). Labels are pre-formatted the pt-BR
way with `demos.ptbr` (so they read right with or without the deck theme) and every chart
carries a short "Fonte: … · dados até jun. 2025" line as its subtitle: the cutoff is the one
the `demos.market` frame was read with (df.attrs["cutoff"], the event's start)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from demos.market_chart_parts import (FONT_LABEL, INT_AXIS_EXPR, MONTHS, axis_expr, axis_max, chart_title,
                                      source_line, usd_bi)
from demos.ptbr import fmt_auto, fmt_num, fmt_pct, fmt_usd
from demos.style import TEXT_DENSE, described, listing, palette

# ---------- prices ----------

def price_vs_truck_chart(df: pd.DataFrame, title: str = "Uma GPU de IA × uma picape"):
    """H100/B200 price ranges next to the RAM 3500 pickup's starting price (US$)."""
    d = df.copy()
    d["faixa"] = [fmt_usd(lo) if lo == hi else f"{fmt_usd(lo)} – {fmt_num(hi)}"
                  for lo, hi in zip(d["price_low"], d["price_high"])]
    d["tipo"] = ["GPU" if c else "Picape" for c in d["is_chip"]]
    # The pickup's full name stays in the tooltip; the axis gets a short one.
    d["rotulo"] = [i if c else "Picape " + " ".join(i.split()[:2]) for i, c in zip(d["item"], d["is_chip"])]
    order = list(d["rotulo"])
    p = palette()
    color = alt.Color("tipo:N", legend=None,
                      scale=alt.Scale(domain=["GPU", "Picape"], range=[p["ink"], p["accent"]]))
    base = alt.Chart(d).encode(
        y=alt.Y("rotulo:N", sort=order, title=None,
                axis=alt.Axis(labelFontSize=FONT_LABEL, labelLimit=260)),
        color=color,
        tooltip=[alt.Tooltip("item:N", title="Item"), alt.Tooltip("faixa:N", title="Preço"),
                 alt.Tooltip("source:N", title="Fonte")])
    top = axis_max(d["price_high"], 60000)
    x = alt.X("price_low:Q", title="Preço (US$ mil)", scale=alt.Scale(domain=[0, top]),
              axis=alt.Axis(labelExpr=axis_expr(1e3, "", 0), tickCount=6))
    solid = base.mark_bar(height=34).encode(
        x=alt.X("zero:Q", title="Preço (US$ mil)", scale=alt.Scale(domain=[0, top])),
        x2="price_low:Q").transform_calculate(zero="0")
    spread = base.mark_bar(height=34, opacity=0.45).encode(x=x, x2="price_high:Q")
    text = base.mark_text(align="left", dx=8, fontSize=FONT_LABEL).encode(
        x="price_high:Q", text="faixa:N", color=alt.value(p["ink"]))   # ink text: AA on white
    chart = alt.layer(spread, solid, text).properties(width=600, height=220, title=chart_title(
        title, "Faixa clara: incerteza do preço relatado. Picape: preço de entrada.",
        source_line("Raymond James (H100); Jensen Huang à CNBC (B200); Ram Trucks", df)))
    return described(chart, "Barras de preço em dólares: " +
                     listing(f"{i}, {f.replace('US$ ', '').replace(' – ', ' a ')} dólares"
                             for i, f in zip(d["item"], d["faixa"])) + ".")


# ---------- NVIDIA ----------

def revenue_chart(df: pd.DataFrame, title: str = "NVIDIA: receita por ano fiscal"):
    """Revenue bars per fiscal year, data center stacked under the rest, 'US$ 130,5 bi' on top."""
    d = df.copy()
    d["ano"] = "AF " + d["fiscal_year"].str.replace("FY", "", regex=False)
    d["total"] = [usd_bi(x) for x in d["revenue_usd"]]
    d["dc"] = [usd_bi(x) for x in d["data_center_usd"]]
    d["dc_pct"] = [fmt_pct(x) for x in d["data_center_share"]]
    d["cresc"] = ["–" if pd.isna(g) else "+" + fmt_pct(g) for g in d["growth"]]
    d["revenue_bi"] = d["revenue_usd"] / 1e9
    long = pd.concat([
        d.assign(parte="Data center", valor=d["data_center_usd"] / 1e9, ordem=0),
        d.assign(parte="Outros segmentos", valor=d["other_usd"] / 1e9, ordem=1)])
    p = palette()
    tooltip = [alt.Tooltip("ano:N", title="Ano fiscal"), alt.Tooltip("total:N", title="Receita"),
               alt.Tooltip("dc:N", title="Data center"), alt.Tooltip("dc_pct:N", title="Parte do data center"),
               alt.Tooltip("cresc:N", title="Crescimento no ano")]
    x = alt.X("ano:N", title=None, sort=list(d["ano"]), axis=alt.Axis(labelAngle=0, labelFontSize=FONT_LABEL))
    bars = alt.Chart(long).mark_bar(width=90).encode(
        x=x, y=alt.Y("valor:Q", stack="zero", title="US$ bilhões",
                     scale=alt.Scale(domain=[0, axis_max(d["revenue_bi"], 250)]), axis=alt.Axis(tickCount=5)),
        color=alt.Color("parte:N", title=None, scale=alt.Scale(
            domain=["Data center", "Outros segmentos"], range=[p["ink"], p["bolt"]]),
            legend=alt.Legend(orient="top-left", labelFontSize=TEXT_DENSE, labelLimit=300)),
        order=alt.Order("ordem:Q"), tooltip=tooltip)
    labels = alt.Chart(d).mark_text(dy=-14, fontSize=FONT_LABEL, fontWeight=700, color=p["ink"]).encode(
        x=x, y="revenue_bi:Q", text="total:N", tooltip=tooltip)
    years = f"{d['ano'].iloc[0]} a {d['ano'].iloc[-1]}"
    chart = alt.layer(bars, labels).properties(width=760, height=300, title=chart_title(
        title, "O ano fiscal (AF) da NVIDIA termina no fim de janeiro: AF 2025 = fev. 2024 a jan. 2025.",
        source_line(f"comunicados de resultados anuais da NVIDIA ({years})", df)))
    return described(chart, "Barras da receita anual da NVIDIA por ano fiscal, com a parte do data center: " +
                     listing(f"ano fiscal {a[3:]}, {t} ({p} de data center)"
                             for a, t, p in zip(d["ano"], d["total"], d["dc_pct"])) + ".")


def milestones_chart(df: pd.DataFrame, title: str = "NVIDIA: valor de mercado"):
    """Market-value milestones (US$ 1–5 tri) on a time axis, each labelled 'US$ 1 tri'."""
    d = df.copy()
    d["marco"] = [fmt_usd(v) for v in d["market_value_usd"]]
    d["data"] = d["date"].dt.strftime("%d/%m/%Y")
    d["tipo"] = d["kind"].map({"intraday": "durante o pregão", "close": "no fechamento"}).fillna(d["kind"])
    d["tri"] = d["market_value_usd"] / 1e12
    d["rotulo"] = [f"{v}\n{MONTHS[t.month - 1]}/{t.year}" for v, t in zip(d["marco"], d["date"])]
    p = palette()
    tooltip = [alt.Tooltip("marco:N", title="Marco"), alt.Tooltip("data:N", title="Data"),
               alt.Tooltip("tipo:N", title="Atingido"), alt.Tooltip("note:N", title="Nota"),
               alt.Tooltip("source:N", title="Fonte")]
    first, last = d["date"].min(), d["date"].max()
    domain = [f"{first.year}-01-01", (last + pd.DateOffset(months=5)).strftime("%Y-%m-%d")]
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=domain),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1},
                            labelFontSize=FONT_LABEL, grid=False))
    top = axis_max(d["tri"], d["tri"].max() + 1.3, room=1.26)
    y = alt.Y("tri:Q", title="US$ trilhões", scale=alt.Scale(domain=[0, top]),
              axis=alt.Axis(values=list(range(int(top) + 1)), labelExpr=axis_expr(1, "", 0)))
    base = alt.Chart(d).encode(x=x, y=y, tooltip=tooltip)
    line = base.mark_line(interpolate="step-after", strokeWidth=3, color=p["gray"], opacity=0.6)
    points = base.mark_point(filled=True, size=220, color=p["accent"], opacity=1)
    text = base.mark_text(align="center", baseline="bottom", dy=-44, fontSize=TEXT_DENSE, lineBreak="\n",
                          color=p["ink"], fontWeight=600).encode(text="rotulo:N")
    outlets = "; ".join(dict.fromkeys(s.split(",")[0].split(" (")[0] for s in d["source"]))
    chart = alt.layer(line, points, text).properties(width=780, height=300, title=chart_title(
        title, "Primeira vez que a empresa atingiu cada valor (a maioria durante o pregão).",
        source_line(outlets, df)))
    return described(chart, "Linha do tempo do valor de mercado da NVIDIA, com a data de cada marco: " +
                     listing(f"{m} em {t}" for m, t in zip(d["marco"], d["data"])) + ".")


# ---------- energy ----------

def energy_chart(df: pd.DataFrame, title: str = "Energia para treinar um modelo"):
    """MWh per model as horizontal bars with pt-BR labels; CO2e in the tooltip."""
    d = df.copy()
    d["mwh"] = [fmt_auto(x) + " MWh" for x in d["energy_mwh"]]
    d["co2"] = [fmt_auto(x) + " t CO₂e" for x in d["co2e_t"]]
    d["rotulo"] = d["mwh"] + " · " + d["co2"]
    d["destaque"] = d["energy_mwh"] == d["energy_mwh"].max()
    order = list(d.sort_values("energy_mwh", ascending=False)["model"])
    p = palette()
    tooltip = [alt.Tooltip("model:N", title="Modelo"), alt.Tooltip("year:O", title="Ano do treino"),
               alt.Tooltip("mwh:N", title="Energia"), alt.Tooltip("co2:N", title="Emissões"),
               alt.Tooltip("note:N", title="Nota"), alt.Tooltip("source:N", title="Fonte")]
    base = alt.Chart(d).encode(
        y=alt.Y("model:N", sort=order, title=None, axis=alt.Axis(labelFontSize=TEXT_DENSE, labelLimit=300)),
        tooltip=tooltip)
    bars = base.mark_bar(height=26).encode(
        x=alt.X("energy_mwh:Q", title="MWh", scale=alt.Scale(domain=[0, axis_max(d["energy_mwh"], 2100)]),
                axis=alt.Axis(labelExpr=INT_AXIS_EXPR, tickCount=4)),
        color=alt.condition("datum.destaque", alt.value(p["accent"]), alt.value(p["ink"])))
    text = base.mark_text(align="left", dx=6, fontSize=TEXT_DENSE, color=p["ink"]).encode(
        x="energy_mwh:Q", text="rotulo:N")
    chart = alt.layer(bars, text).properties(width=620, height=360, title=chart_title(
        title, "Treino final de cada modelo: energia (MWh) e emissões estimadas (t CO₂e).",
        source_line("Patterson et al. 2021, Tabela 4 (estimativas dos autores); Luccioni et al. 2022 (BLOOM)", df)))
    return described(chart, "Barras horizontais da energia usada para treinar cada modelo: " +
                     listing(f"{m}, {r}" for m, r in zip(d["model"], d["rotulo"])) + ".")


# ---------- chips ----------

def chip_comparison_chart(df: pd.DataFrame, title: str = "B200 × H100: quantas vezes mais"):
    """How many times the newer chip beats the older one per metric ('2,4×'), values in tooltips."""
    d = df.copy()
    d["vezes"] = [fmt_num(r, 1) + "×" for r in d["ratio"]]
    d["antes"] = [f"{fmt_auto(v)} {u}" for v, u in zip(d["old"], d["unit"])]
    d["depois"] = [f"{fmt_auto(v)} {u}" for v, u in zip(d["new"], d["unit"])]
    p = palette()
    base = alt.Chart(d).encode(
        y=alt.Y("label:N", sort=list(d["label"]), title=None, axis=alt.Axis(labelFontSize=TEXT_DENSE, labelLimit=260)),
        tooltip=[alt.Tooltip("label:N", title="Métrica"), alt.Tooltip("antes:N", title="H100 SXM"),
                 alt.Tooltip("depois:N", title="B200"), alt.Tooltip("vezes:N", title="B200 ÷ H100")])
    bars = base.mark_bar(height=24, color=p["ink"]).encode(
        x=alt.X("ratio:Q", title="vezes o H100", scale=alt.Scale(domain=[0, axis_max(d["ratio"], 3)]),
                axis=alt.Axis(values=[0, 1, 2, 3], labelExpr=axis_expr(1, "×", 0))))
    one = alt.Chart(pd.DataFrame({"x": [1]})).mark_rule(color=p["accent"], strokeDash=[6, 4],
                                                         strokeWidth=2).encode(x="x:Q")
    text = base.mark_text(align="left", dx=6, fontSize=TEXT_DENSE, color=p["ink"]).encode(x="ratio:Q", text="vezes:N")
    chart = alt.layer(bars, one, text).properties(width=520, height=250, title=chart_title(
        title, "Linha laranja: igual ao H100.",
        "Fonte: datasheets da NVIDIA (H100 SXM, 2022; B200/DGX B200, 2024)."))
    return described(chart, "Quantas vezes a B200 supera a H100 em cada métrica: " +
                     listing((f"{lbl}, {v}" for lbl, v in zip(d["label"], d["vezes"])), limit=8) + ".")
