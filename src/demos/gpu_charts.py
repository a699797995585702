"""GPU estimate charts for the market slides: each company's range of GPUs (H100-equivalents) per
year from the LessWrong table, and for one year that table next to Epoch AI's stock, Omdia's
purchases and what the companies said themselves. Labels collide nowhere: close estimates in
adjacent rows are nudged apart."""
from __future__ import annotations

import altair as alt
import pandas as pd

from demos.market_chart_parts import FONT_LABEL, axis_expr, axis_max, chart_title, source_line
from demos.ptbr import fmt_big, fmt_month
from demos.style import TEXT, TEXT_DENSE, described, listing, palette


def _range_label(low: float, high: float, prefix: str = "") -> str:
    """'750 mil – 900 mil', or one value when low == high ('mais de 1 mi', '~500 mil')."""
    text = fmt_big(low) if low == high else f"{fmt_big(low)} – {fmt_big(high)}"
    return f"{prefix} {text}".strip().replace("~ ", "~")


TABLE_SUBTITLE = "Tabela de um post do LessWrong (nov. 2024): estimativas de um autor; o fim de 2025 é projeção."


def _range_marks(base: alt.Chart, x: alt.X, color: str | alt.Color, label_size: int = FONT_LABEL,
                 stroke: int = 16):
    """A thick rounded low–high rule (a dot when low == high) with its pt-BR label after it; rows
    with a `nudge` of -1/+1 (see _nudges) get their label moved up/down by NUDGE_PX."""
    rule = base.mark_rule(strokeWidth=stroke, strokeCap="round").encode(x=x, x2="high:Q", color=color)
    texts = [base.mark_text(align="left", dx=14, dy=n * NUDGE_PX, fontSize=label_size, color=palette()["ink"])
             .encode(x="high:Q", text="faixa:N").transform_filter(f"(datum.nudge || 0) == {n}")
             for n in (-1, 0, 1)]
    return alt.layer(rule, *texts)


NUDGE_PX = 5


def _nudges(d: pd.DataFrame, slot: str, near: float) -> list[int]:
    """-1/+1 for labels in adjacent slots of one company that start within `near` of each other
    on the x axis (they would touch), 0 elsewhere."""
    nudge = {i: 0 for i in d.index}
    for _, rows in d.groupby("company", sort=False):
        rows = rows.sort_values(slot)
        for (i, a), (j, b) in zip(rows.iterrows(), list(rows.iterrows())[1:]):
            if b[slot] - a[slot] == 1 and abs(a["high"] - b["high"]) < near:
                nudge[i] = nudge[i] or -1       # up, unless already moved down by the pair before
                nudge[j] = 1
    return [nudge[i] for i in d.index]


def _ranges(df: pd.DataFrame) -> pd.DataFrame:
    d = df.drop(columns=["_as_of"], errors="ignore").copy()   # dates stay out of the chart JSON
    d["faixa"] = [_range_label(lo, hi, p) for lo, hi, p in zip(d["low"], d["high"], d["prefix"])]
    return d


def _gpu_x(domain_max: float, title: str = "GPUs (em H100-equivalentes)") -> alt.X:
    return alt.X("low:Q", title=title, scale=alt.Scale(domain=[0, domain_max]),
                 axis=alt.Axis(labelExpr=axis_expr(1e6, "mi"), tickCount=5, grid=True))


def gpu_estimates_chart(df: pd.DataFrame, title: str = "GPUs por empresa: estimativa e projeção"):
    """The LessWrong table's year-end ranges (H100-equivalents) per company: the end-2024
    estimate above the end-2025 projection (both made in Nov. 2024)."""
    d = _ranges(df[df["is_table"] & df["period"].str.contains("H100")])
    d["ano"] = [f"Fim de {y} ({k})" for y, k in zip(d["year"], d["kind"])]
    companies = list(d[d["year"] == d["year"].max()].sort_values("high", ascending=False)["company"])
    years = sorted(d["ano"].unique())
    p = palette()
    color = alt.Color("ano:N", title=None, scale=alt.Scale(domain=years, range=[p["ink"], p["accent"]]),
                      legend=alt.Legend(orient="top", labelFontSize=TEXT_DENSE, symbolSize=300, labelLimit=400,
                                        symbolType="stroke", symbolStrokeWidth=10))
    base = alt.Chart(d).encode(
        y=alt.Y("company:N", sort=companies, title=None, axis=alt.Axis(labelFontSize=TEXT)),
        yOffset=alt.YOffset("ano:N", sort=years),
        tooltip=[alt.Tooltip("company:N", title="Empresa"), alt.Tooltip("period:N", title="Período"),
                 alt.Tooltip("faixa:N", title="Faixa"), alt.Tooltip("note:N", title="Nota"),
                 alt.Tooltip("source:N", title="Fonte")])
    chart = _range_marks(base, _gpu_x(axis_max(d["high"], 5.2e6)), color).properties(width=760, height=300, title=chart_title(
        title, TABLE_SUBTITLE, source_line("LessWrong (nov. 2024), faixa mínima–máxima; outras estimativas no slide seguinte", df)))
    return described(chart, "Faixas estimadas de GPUs, em H100-equivalentes, por empresa, num post do LessWrong de "
                            "nov. 2024: " + listing((f"{r.company}, {r.ano.lower()}: {r.faixa}" for r in d.itertuples()),
                                                    limit=10) + ".")


def _series(origin: str, kind: str, is_table: bool) -> str:
    """The legend entry of a row: 'LessWrong', 'Epoch AI (estoque)', 'Omdia (compras no ano)'…"""
    if kind == "declarado pela empresa":
        return "A própria empresa"
    if kind == "compras no ano":
        return f"{origin} (compras no ano)"
    return origin if is_table else f"{origin} (estoque)"


def gpu_sources_chart(df: pd.DataFrame, year: int = 2024,
                      title: str = "2024: a mesma pergunta, várias respostas"):
    """For one year, the LessWrong range next to Epoch AI's stock, Omdia's purchases and what
    Meta and xAI said themselves."""
    rows = df[(df["year"] == year) & (~df["is_table"] | df["period"].str.contains("H100"))]
    when = "; ".join(f"{o} ({fmt_month(t)})" for o, t in rows.groupby("origin", sort=False)["_as_of"].max().items())
    d = _ranges(rows)
    d["serie"] = [_series(o, k, t) for o, k, t in zip(d["origin"], d["kind"], d["is_table"])]
    # one row per kind of answer: the table, purchases, and stock or own statement (never both)
    d["slot"] = [0 if t else 1 if k == "compras no ano" else 2 for t, k in zip(d["is_table"], d["kind"])]
    d["nudge"] = _nudges(d, "slot", near=0.15 * d["high"].max())
    series = list(dict.fromkeys(d.sort_values("is_table", ascending=False)["serie"]))
    companies = list(d[d["is_table"]].sort_values("high", ascending=False)["company"])
    p = palette()
    color = alt.Color("serie:N", title=None, scale=alt.Scale(
        domain=series, range=[p["ink"], p["teal"], p["magenta"], p["accent"], p["gray"]][:len(series)]),
        legend=alt.Legend(orient="top", columns=4, labelFontSize=TEXT_DENSE, symbolSize=300, labelLimit=300,
                          symbolType="stroke", symbolStrokeWidth=10))
    base = alt.Chart(d).encode(
        y=alt.Y("company:N", sort=companies, title=None, axis=alt.Axis(labelFontSize=TEXT)),
        yOffset=alt.YOffset("slot:O"),
        tooltip=[alt.Tooltip("company:N", title="Empresa"), alt.Tooltip("serie:N", title="Estimativa"),
                 alt.Tooltip("period:N", title="Período"), alt.Tooltip("faixa:N", title="Valor"),
                 alt.Tooltip("note:N", title="Nota"), alt.Tooltip("source:N", title="Fonte")])
    x = _gpu_x(axis_max(d["high"], 1.9e6), "GPUs (H100-equivalentes; Omdia: unidades compradas)")
    chart = _range_marks(base, x, color, TEXT_DENSE, stroke=12).properties(width=760, height=320, title=chart_title(
        title, "Omdia conta GPUs Hopper compradas no ano, não o total instalado.",
        source_line(when, df)))
    return described(chart, f"Para {year}, quantas GPUs cada empresa tem segundo cada fonte: " +
                     listing((f"{r.company}, {r.serie}: {r.faixa}" for r in d.itertuples()), limit=14) + ".")
