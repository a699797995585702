"""Drawings for the compute-scale slides: years to train a model at several speeds and the
"1 bilhão de operações por segundo" ladder, both on log scales with pt-BR labels."""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

from demos.ptbr import superscript
from demos.style import CHART_HEIGHT, CHART_WIDTH, TEXT, TEXT_DENSE, described, listing, palette

# Tick marks on a log "years" axis, at durations people can picture.
_YEAR_TICKS = [(1 / 365.25, "1 dia"), (1.0, "1 ano"), (1e3, "mil anos"),
               (1e6, "1 milhão"), (1e9, "1 bilhão")]
_OPS_TICKS = [(10.0**e, "10" + superscript(e)) for e in range(0, 40, 5)]
# Long category labels break before " (", e.g. "1 GPU H100" / "(40% de aproveitamento)".
_TWO_LINES = "split(replace(datum.label, ' (', '|('), '|')"


def _tick_label_expr(ticks: list[tuple[float, str]]) -> str:
    """A Vega labelExpr naming each tick value (values in between never get a tick)."""
    expr = "''"
    for value, label in reversed(ticks):
        expr = f"datum.value <= {value * 1.01!r} ? '{label}' : {expr}"
    return expr


def _log_floor(x: float) -> float:
    return 10 ** math.floor(math.log10(x))


def years_chart(df: pd.DataFrame, model: str | None = None) -> alt.LayerChart:
    """Bars of years to train (`compute_scale.years_to_train()`), log scale, labelled in
    words ('9,95 milhões de anos', '7,54 dias'). `model` keeps one model's bars only."""
    d = df if model is None else df[df["model"] == model]
    if d.empty:
        raise ValueError(f"years_chart: no rows for model {model!r} (have: {', '.join(df['model'].unique())})")
    lo = min(_log_floor(d["years"].min()) / 10, 1 / 365.25)
    hi = max(d["years"].max() * 1e3, 1e9)
    ticks = [(v, lbl) for v, lbl in _YEAR_TICKS if lo <= v <= hi]
    single = d["model"].nunique() == 1
    y = alt.Y("rate_label:N", sort=None, title=None,
              axis=alt.Axis(labelLimit=320, labelFontSize=TEXT_DENSE, labelExpr=_TWO_LINES))
    base = alt.Chart(d).encode(
        x=alt.X("years:Q", title="tempo de treino (escala logarítmica)",
                scale=alt.Scale(type="log", domain=[lo, hi]),
                axis=alt.Axis(values=[v for v, _ in ticks], labelExpr=_tick_label_expr(ticks),
                              labelFontSize=TEXT_DENSE, labelOverlap=False, grid=True)),
        y=y, **({} if single else {"yOffset": alt.YOffset("model:N", sort=None)}))
    color = (alt.value(palette()["ink"]) if single else
             alt.Color("model:N", sort=None, title="modelo",
                       legend=alt.Legend(orient="top", direction="horizontal")))
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        x2=alt.datum(lo), color=color,
        tooltip=[alt.Tooltip("model:N", title="modelo"), alt.Tooltip("rate_label:N", title="ritmo"),
                 alt.Tooltip("time_label:N", title="tempo")])
    text = base.mark_text(align="left", dx=8, fontSize=TEXT_DENSE if single else 15).encode(text="time_label:N")
    height = 70 * len(d) if single else min(CHART_HEIGHT + 60, 34 * len(d))
    title = f"Quanto tempo levaria para treinar o {d['model'].iloc[0]}" if single else ""
    chart = (bars + text).properties(title=title, width=CHART_WIDTH - 300, height=height)
    times = listing((f"{r.rate_label}: {r.time_label}" if single else f"{r.model}, {r.rate_label}: {r.time_label}")
                    for r in d.itertuples())
    return described(chart, "Barras em escala logarítmica com o tempo para treinar "
                            f"{'o ' + d['model'].iloc[0] if single else 'cada modelo'} em cada ritmo. {times}.")


def ladder_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Operations at a fixed rate per minute, hour, day, month and year
    (`compute_scale.ops_ladder()`); the last bar, training a model, in the accent colour."""
    d = df.copy()
    d["last"] = d.index == d.index[-1]
    d["label"] = [f"{o}  →  {t}" if last else o
                  for o, t, last in zip(d["ops_label"], d["time_label"], d["last"])]
    lo = _log_floor(d["ops"].min()) / 10
    hi = d["ops"].max() * 10
    ticks = [(v, lbl) for v, lbl in _OPS_TICKS if lo <= v <= hi]
    base = alt.Chart(d).encode(
        y=alt.Y("period:N", sort=None, title=None,
                axis=alt.Axis(labelFontSize=TEXT, labelLimit=260, labelExpr=_TWO_LINES)),
        x=alt.X("ops:Q", title="operações (escala logarítmica)",
                scale=alt.Scale(type="log", domain=[lo, hi]),
                axis=alt.Axis(values=[v for v, _ in ticks], labelExpr=_tick_label_expr(ticks),
                              labelFontSize=TEXT_DENSE)))
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        x2=alt.datum(lo),
        color=alt.condition(alt.datum.last, alt.value(palette()["accent"]), alt.value(palette()["ink"])),
        tooltip=[alt.Tooltip("period:N", title="período"), alt.Tooltip("ops_label:N", title="operações"),
                 alt.Tooltip("time_label:N", title="tempo")])
    outside = base.transform_filter("!datum.last").mark_text(align="left", dx=8, fontSize=TEXT_DENSE)\
        .encode(text="label:N")
    inside = base.transform_filter("datum.last").mark_text(
        align="right", dx=-10, fontSize=TEXT, fontWeight=700, color="white").encode(text="label:N")  # 20 px bold: large text, AA at 3:1
    chart = alt.layer(bars, outside, inside).properties(
        width=CHART_WIDTH - 200, height=min(CHART_HEIGHT, 62 * len(d)))
    return described(chart, "Escada em escala logarítmica com as operações feitas a um ritmo fixo: "
                            f"{listing((f'{p}: {o}' for p, o in zip(d['period'], d['ops_label'])), limit=8)}; "
                            f"por fim, {d['period'].iloc[-1]} levaria {d['time_label'].iloc[-1]}.")
