"""Drawings for the embedding slides: word projections in 1, 2 and 3 dimensions (the 3-D
view lives in embedding_3d.py), analogy cosines, one word's real numbers, and model vector
widths. Labels in pt-BR."""
from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from demos import embedding_3d
from demos.label_layout import SIDES, place_labels
from demos.ptbr import fmt_num, fmt_pct
from demos.style import CHART_HEIGHT, CHART_WIDTH, NOTE, TEXT, TEXT_DENSE, described, listing, mix, palette, text_color

AXIS_TITLES = {"x": "dimensão 1", "y": "dimensão 2", "z": "dimensão 3"}


def _variance_note(df: pd.DataFrame) -> str:
    total = df.attrs.get("total_explained")
    return f" — {fmt_pct(total, 0)} da variação desses vetores" if total is not None else ""


def _dims(df: pd.DataFrame) -> int:
    dims = sum(c in df.columns for c in ("x", "y", "z"))
    if dims == 0 or "word" not in df.columns:
        raise ValueError("projection chart: expected the DataFrame from embeddings.project() "
                         "(columns word, x[, y, z])")
    return dims


def projection_chart(df: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Words placed by `embeddings.project()`: 1D a line, 2D a scatter, 3D a rotatable
    oblique view (slider in HTML). Axis units are PCA coordinates, not meaningful alone."""
    dims = _dims(df)
    title = title or f"{dims} dimens{'ão' if dims == 1 else 'ões'}{_variance_note(df)}"
    draw = {1: _line_1d, 2: _scatter_2d}.get(dims, embedding_3d.rotatable_3d)
    return described(draw(df, title), projection_alt(df, dims))


def projection_alt(df: pd.DataFrame, dims: int) -> str:
    """Alt text of a projection: the words, in order along the first dimension."""
    where = {1: "numa reta", 2: "num plano", 3: "num espaço de três dimensões que se pode girar"}[min(dims, 3)]
    order = listing(df.sort_values("x")["word"], limit=12)
    return (f"As palavras posicionadas {where} pela projeção (PCA) dos seus vetores GloVe"
            f"{_variance_note(df).replace(' — ', ', com ')}; da esquerda para a direita: {order}.")


def _lanes_1d(px: np.ndarray, words, font: float) -> list[float]:
    """Label heights for points on a line: alternate above/below, moving a label one lane
    further out while it would overlap the previous label in that lane."""
    lanes = [0.4, -0.4, 0.7, -0.7, 1.0, -1.0]
    right_edge = {lane: -np.inf for lane in lanes}
    out = []
    for i, (x, w) in enumerate(zip(px, words)):
        half = 0.31 * font * len(w) + 6
        order = lanes[i % 2:] + lanes[:i % 2]  # start alternately above / below
        lane = next((ln for ln in order if right_edge[ln] < x - half), order[0])
        right_edge[lane] = x + half
        out.append(lane)
    return out


def _line_1d(df: pd.DataFrame, title: str, font: int = 22) -> alt.LayerChart:
    d = df.sort_values("x").reset_index(drop=True)
    xdom = _padded(d["x"], 0.08)
    d["lane"] = _lanes_1d(((d["x"] - xdom[0]) / (xdom[1] - xdom[0]) * CHART_WIDTH).to_numpy(),
                          d["word"], font)
    d["zero"], d["tip"] = 0.0, d["lane"] * 0.8
    x = alt.X("x:Q", title=AXIS_TITLES["x"], scale=alt.Scale(domain=xdom, nice=False),
              axis=alt.Axis(grid=False, labels=False, ticks=False))
    y = dict(scale=alt.Scale(domain=[-1.15, 1.15]), axis=None)
    rule = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=palette()["gray"]).encode(
        y=alt.Y("y:Q", **y))
    base = alt.Chart(d).encode(x=x)
    leaders = base.mark_rule(color=palette()["gray"], strokeWidth=1.5).encode(
        y=alt.Y("zero:Q", **y), y2="tip:Q")
    points = base.mark_point(size=260, filled=True, opacity=1, color=palette()["accent"]).encode(
        y=alt.Y("zero:Q", **y), tooltip=[alt.Tooltip("word:N", title="palavra")])
    labels = base.mark_text(fontSize=font, fontWeight=600, baseline="middle").encode(
        y=alt.Y("lane:Q", **y), text="word:N")
    return alt.layer(rule, leaders, points, labels).properties(
        title=title, width=CHART_WIDTH, height=340)


def _padded(v: pd.Series, pad: float = 0.12) -> list[float]:
    lo, hi = float(v.min()), float(v.max())
    span = (hi - lo) or 1.0
    return [lo - pad * span, hi + pad * span]


def _scatter_2d(df: pd.DataFrame, title: str, font: int = 22) -> alt.LayerChart:
    d = df.copy()
    xdom, ydom = _padded(d["x"], 0.15), _padded(d["y"])
    px = (d["x"] - xdom[0]) / (xdom[1] - xdom[0]) * CHART_WIDTH
    py = (ydom[1] - d["y"]) / (ydom[1] - ydom[0]) * CHART_HEIGHT
    d["side"] = place_labels(px.to_numpy(), py.to_numpy(), list(d["word"]), font,
                             size=(CHART_WIDTH, CHART_HEIGHT), fallback="right")
    base = alt.Chart(d).encode(
        x=alt.X("x:Q", title=AXIS_TITLES["x"], scale=alt.Scale(domain=xdom, nice=False),
                axis=alt.Axis(labels=False, ticks=False)),
        y=alt.Y("y:Q", title=AXIS_TITLES["y"], scale=alt.Scale(domain=ydom, nice=False),
                axis=alt.Axis(labels=False, ticks=False)),
        tooltip=[alt.Tooltip("word:N", title="palavra"), alt.Tooltip("x:Q", format=".2f"),
                 alt.Tooltip("y:Q", format=".2f")])
    points = base.mark_point(size=220, filled=True, opacity=1, color=palette()["accent"])
    labels = [base.transform_filter(alt.datum.side == side)
              .mark_text(fontSize=font, fontWeight=600, align=align, baseline=baseline, dx=dx, dy=dy)
              .encode(text="word:N")
              for side, (dx, dy, align, baseline) in SIDES.items() if (d["side"] == side).any()]
    return alt.layer(points, *labels).properties(title=title, width=CHART_WIDTH, height=CHART_HEIGHT)


def analogy_chart(result, title: str | None = None, highlight: str | None = None) -> alt.LayerChart:
    """Horizontal bars of the nearest words' cosines. Accepts embeddings.analogy()'s
    DataFrame or an embeddings_gemma.AnalogyResult (its expected word is highlighted)."""
    df = getattr(result, "table", result).copy()
    highlight = highlight or getattr(result, "expected", None)
    df["destaque"] = df["word"] == highlight
    df["label"] = [fmt_num(c, 3) for c in df["cosine"]]
    p = palette()
    base = alt.Chart(df).encode(
        y=alt.Y("word:N", sort=None, title=None,
                axis=alt.Axis(labelFontSize=TEXT, labelFontWeight=600, labelLimit=300)),
        x=alt.X("cosine:Q", title="semelhança (cosseno)", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".1f", values=[0, 0.2, 0.4, 0.6, 0.8, 1.0])))
    bars = base.mark_bar(cornerRadiusEnd=4).encode(
        color=alt.condition(alt.datum.destaque, alt.value(p["accent"]), alt.value(p["ink"])),
        tooltip=[alt.Tooltip("word:N", title="palavra"), alt.Tooltip("cosine:Q", title="cosseno", format=".3f")])
    text = base.mark_text(align="left", dx=8, fontSize=TEXT).encode(text="label:N")
    note = getattr(result, "note", "")
    heading = alt.TitleParams(text=title or "", subtitle=textwrap.wrap(note, 75), subtitleFontSize=NOTE,
                              subtitleColor=p["gray"]) if note else (title or "")
    chart = (bars + text).properties(title=heading, width=CHART_WIDTH - 220,
                                     height=min(CHART_HEIGHT, 48 * len(df)))
    query = df.attrs.get("query") or ""
    return described(chart, f"Barras: as palavras mais próximas{' de ' + query if query else ''} pela "
                            f"semelhança do cosseno: {listing(f'{w} {c}' for w, c in zip(df['word'], df['label']))}"
                            f"{'; destaque para ' + highlight if highlight else ''}.")


STRIP_COLORS = ("#1C5D99", "#F3F6FA", "#B4540A")   # negative, zero, positive (mixed linearly in RGB)


def strip_color(value: float, m: float) -> str:
    """The cell colour Vega draws for `value` on the strip's scale (domain [-m, 0, m], rgb)."""
    t = max(-1.0, min(1.0, value / m))
    return mix(STRIP_COLORS[1], STRIP_COLORS[2] if t >= 0 else STRIP_COLORS[0], abs(t))


def vector_strip(word: str, vec, columns: int = 10) -> alt.LayerChart:
    """The real numbers of one word's vector as a grid of coloured cells (blue < 0 < orange),
    each cell showing its value in pt-BR (−0,123) in ink or white, whichever reads better."""
    v = np.asarray(vec, dtype=float).ravel()
    rows = int(np.ceil(len(v) / columns))
    df = pd.DataFrame({"i": np.arange(len(v)), "value": v})
    df["col"], df["row"] = df["i"] % columns, df["i"] // columns
    df["label"] = [fmt_num(x, 2).replace("-", "−") for x in v]
    df["dim"] = df["i"] + 1
    m = float(np.abs(v).max()) or 1.0
    df["fg"] = [text_color(strip_color(x, m)) for x in v]
    base = alt.Chart(df).encode(x=alt.X("col:O", axis=None), y=alt.Y("row:O", axis=None))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("value:Q", legend=None,
                        scale=alt.Scale(domain=[-m, 0, m], range=list(STRIP_COLORS), interpolate="rgb")),
        tooltip=[alt.Tooltip("dim:Q", title="dimensão"), alt.Tooltip("value:Q", title="valor", format=".4f")])
    text = base.mark_text(fontSize=TEXT_DENSE, fontWeight=700).encode(text="label:N", color=alt.Color("fg:N", scale=None))
    chart = (cells + text).resolve_scale(color="independent").properties(
        title=f"E({word}): os {len(v)} números de verdade", width=CHART_WIDTH, height=68 * rows)
    return described(chart, f"Os {len(v)} números do vetor GloVe da palavra {word} numa grade colorida "
                            f"(azul para negativos, laranja para positivos), de {fmt_num(v.min(), 2)} a "
                            f"{fmt_num(v.max(), 2)}.")


def widths_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Dimensions per token of each model (`embeddings.vector_widths()`), log scale."""
    d = df.copy()
    d["label"] = [fmt_num(x) for x in d["dims"]]
    base = alt.Chart(d).encode(
        y=alt.Y("model:N", sort=None, title=None, axis=alt.Axis(labelFontSize=TEXT, labelLimit=320)),
        x=alt.X("dims:Q", title="dimensões por token (escala logarítmica)",
                scale=alt.Scale(type="log", domain=[10, 30000]),
                axis=alt.Axis(format=",.0f", values=[10, 100, 1000, 10000])))
    bars = base.mark_bar(cornerRadiusEnd=4).encode(x2=alt.datum(10),
        tooltip=[alt.Tooltip("model:N", title="modelo"), alt.Tooltip("dims:Q", title="dimensões", format=",.0f"),
                 alt.Tooltip("source:N", title="fonte")])
    text = base.mark_text(align="left", dx=8, fontSize=TEXT).encode(text="label:N")
    chart = (bars + text).properties(width=CHART_WIDTH - 280, height=min(CHART_HEIGHT + 20, 80 * len(d)))
    return described(chart, "Barras em escala logarítmica com o número de dimensões por token de cada "
                            f"modelo: {listing(f'{m} {lbl}' for m, lbl in zip(d['model'], d['label']))}.")
