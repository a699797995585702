"""Draw attention weights as token × token heatmaps: one with a layer slider and a head
selector for the HTML deck (all weights embedded, compactly), and a static mean over the heads
of one layer for the PDF. The <bos> column is drawn grey and kept out of the colour scale:
that first token soaks up most attention (an "attention sink") and would wash out the rest."""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from demos.attention import attention_table, bos_share
from demos.print_alternative import with_static
from demos.ptbr import fmt_pct
from demos.style import MONO_FONT, TEXT_DENSE, described, note_title, palette

CELL_PX = 44          # heatmap cell size for short sentences
LABEL_CELL_PX = 44    # cells at least this wide show the strongest weights as text
MAX_SIDE_PX = 300     # the square never grows beyond this (with the live form: fits a 700 px slide)
PRINT_SIDE_PX = 340   # the printed mean chart: whole figure about 480 px high (the slide has room)
STRONG = 0.6         # other cells labelled when >= this share of the strongest one


def _side(n: int, max_side: int = MAX_SIDE_PX) -> int:
    return min(max_side, CELL_PX * n)


def _labels_expr(tokens: list[str]) -> str:
    """Vega expression mapping a position (axis value) to its token; tokens may repeat."""
    return f"{json.dumps(tokens, ensure_ascii=False)}[datum.value]"


def _heatmap(base: alt.Chart, tokens: list[str], max_side: int = MAX_SIDE_PX) -> alt.LayerChart:
    """Layers over a base chart whose rows have q (query), k (key) and w (weight)."""
    p = palette()
    n, side = len(tokens), _side(len(tokens), max_side)
    x = alt.X("k:O", scale=alt.Scale(domain=list(range(n))), title="olha para…",
              axis=alt.Axis(orient="top", labelExpr=_labels_expr(tokens), labelAngle=-45, labelFont=MONO_FONT,
                            labelFontSize=TEXT_DENSE, ticks=False, domain=False, labelLimit=130, titleFontSize=TEXT_DENSE))
    y = alt.Y("q:O", scale=alt.Scale(domain=list(range(n))), title="token",
              axis=alt.Axis(labelExpr=_labels_expr(tokens), labelFont=MONO_FONT, labelFontSize=TEXT_DENSE,
                            ticks=False, domain=False, labelLimit=160, titleFontSize=TEXT_DENSE))
    pct = alt.Tooltip("w:Q", title="atenção", format=".1%")
    enc = base.encode(x=x, y=y)
    bos = enc.transform_filter("datum.k == 0").mark_rect(color="#C9CFD8", stroke="white", strokeWidth=1)
    cells = enc.transform_filter("datum.k > 0").mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("w:Q", title="atenção", scale=alt.Scale(range=["#F3F6FA", p["teal"], p["ink"]]),
                        legend=alt.Legend(format=".1~%", orient="right", gradientLength=side * 0.6,
                                          titleFontSize=TEXT_DENSE, labelFontSize=TEXT_DENSE)),
        tooltip=[pct])
    layers = [bos.encode(tooltip=[pct]), cells]
    if side / n >= LABEL_CELL_PX:     # only where a percentage fits in its cell at TEXT_DENSE
        layers.append(enc.transform_calculate(wk="datum.k > 0 ? datum.w : 0").transform_joinaggregate(
            wmax="max(wk)").transform_filter(f"datum.k > 0 && datum.wk >= {STRONG} * datum.wmax").mark_text(
            fontSize=TEXT_DENSE, color="white").encode(text=alt.Text("w:Q", format=".0%")))
    return alt.layer(*layers).properties(width=side, height=side)


def attention_chart(att, layer: int | None = None, head: int = 1, title: str | None = None) -> alt.LayerChart:
    """Interactive heatmap: a slider picks the layer, a selector the head (1-based). All the
    weights travel with the chart as compact rows {l, h, q, w: [weights for keys 0..q]}.
    Printed as attention_mean_chart() of the starting layer (mean over its heads)."""
    L, H, T, _ = att.weights.shape
    rows = [{"l": l + 1, "h": h + 1, "q": q, "k": list(range(q + 1)),
             "w": [round(float(v), 3) for v in att.weights[l, h, q, : q + 1]]}
            for l in range(L) for h in range(H) for q in range(T)]
    layer_p = alt.param(name="camada", value=int(layer or L),
                        bind=alt.binding_range(min=1, max=L, step=1, name="camada "))
    head_p = alt.param(name="cabeca", value=int(head),
                       bind=alt.binding_radio(options=list(range(1, H + 1)), name="cabeça "))
    # a DataFrame becomes a named top-level dataset: Altair neither validates nor deep-copies the rows
    base = alt.Chart(pd.DataFrame(rows)).transform_filter(
        "datum.l == camada && datum.h == cabeca").transform_flatten(["k", "w"])
    chart = _heatmap(base, att.tokens).add_params(layer_p, head_p)
    sub = f"{att.model}: {L} camadas × {H} cabeças; coluna {att.tokens[0]} em cinza, fora da escala"
    printed = attention_mean_chart(att, layer=int(layer or L), title=title, max_side=PRINT_SIDE_PX)
    chart = described(chart, f"Mapa de calor da atenção do {att.model} na frase "
                             f"{' '.join(att.tokens)}: cada linha é um token e mostra quanto ele olha para "
                             f"cada token anterior; controles escolhem a camada (1 a {L}) e a cabeça (1 a {H}).")
    return with_static(chart.properties(title=note_title(title, sub)), printed)


def attention_mean_chart(att, layer: int | None = None, title: str | None = None,
                         max_side: int = MAX_SIDE_PX) -> alt.LayerChart:
    """Static heatmap of one layer (1-based like the slider; default: the last) averaged over
    its heads, for the PDF; the square is at most `max_side` px."""
    number = int(layer or att.layers)
    if not 1 <= number <= att.layers:
        raise ValueError(f"attention_mean_chart: layer must be 1..{att.layers} (got {layer})")
    layer = number - 1
    chart = _heatmap(alt.Chart(attention_table(att, layer)), att.tokens, max_side)
    sub = [f"camada {number} de {att.layers}, média das {att.heads} cabeças",
           f"coluna {att.tokens[0]} em cinza e fora da escala: recebe {fmt_pct(bos_share(att, layer), 0)} "
           f"da atenção (\u201cattention sink\u201d)"]
    chart = described(chart, f"Mapa de calor da atenção do {att.model}, camada {number} de {att.layers}, "
                             f"média das {att.heads} cabeças, na frase {' '.join(att.tokens)}: cada linha é um "
                             "token e mostra quanto ele olha para cada token anterior.")
    return chart.properties(title=note_title(title, sub))
