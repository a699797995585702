"""Drawings for the embedding slides: word projections in 1, 2 and 3 dimensions (Altair,
an interactive inline-SVG 3D view, a static matplotlib 3D figure), analogy cosines,
one word's real numbers, and model vector widths. Labels in pt-BR."""
from __future__ import annotations

import html
import json
import textwrap
import uuid

import altair as alt
import numpy as np
import pandas as pd

from demos.ptbr import fmt_num, fmt_pct
from demos.style import CHART_HEIGHT, CHART_WIDTH, mpl_style, palette

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
    if dims == 1:
        return _line_1d(df, title)
    if dims == 2:
        return _scatter_2d(df, title)
    return _rotatable_3d(df, title)


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
        title=title, width=CHART_WIDTH, height=260)


def _label_sides(px: np.ndarray, py: np.ndarray, words, font: float) -> list[str]:
    """Greedy label placement in pixel space: each label goes right, left, above or below
    its point, whichever first avoids the labels already placed (and the points)."""
    placed: list[tuple[float, float, float, float]] = []
    points = [(x - 8, y - 8, x + 8, y + 8) for x, y in zip(px, py)]

    def free(box):
        return not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                       for b in placed + points)
    sides = []
    for x, y, w in zip(px, py, words):
        tw, th = 0.62 * font * len(w), font
        boxes = {"right": (x + 12, y - th / 2, x + 12 + tw, y + th / 2),
                 "left": (x - 12 - tw, y - th / 2, x - 12, y + th / 2),
                 "above": (x - tw / 2, y - 12 - th, x + tw / 2, y - 12),
                 "below": (x - tw / 2, y + 12, x + tw / 2, y + 12 + th)}
        side = next((k for k, b in boxes.items() if free(b)), "right")
        placed.append(boxes[side])
        sides.append(side)
    return sides


_SIDE_MARKS = {"right": dict(align="left", dx=13, baseline="middle"),
               "left": dict(align="right", dx=-13, baseline="middle"),
               "above": dict(align="center", dy=-14, baseline="bottom"),
               "below": dict(align="center", dy=14, baseline="top")}


def _padded(v: pd.Series, pad: float = 0.12) -> list[float]:
    lo, hi = float(v.min()), float(v.max())
    span = (hi - lo) or 1.0
    return [lo - pad * span, hi + pad * span]


def _scatter_2d(df: pd.DataFrame, title: str, font: int = 22) -> alt.LayerChart:
    d = df.copy()
    xdom, ydom = _padded(d["x"], 0.15), _padded(d["y"])
    px = (d["x"] - xdom[0]) / (xdom[1] - xdom[0]) * CHART_WIDTH
    py = (ydom[1] - d["y"]) / (ydom[1] - ydom[0]) * CHART_HEIGHT
    d["side"] = _label_sides(px.to_numpy(), py.to_numpy(), d["word"], font)
    base = alt.Chart(d).encode(
        x=alt.X("x:Q", title=AXIS_TITLES["x"], scale=alt.Scale(domain=xdom, nice=False),
                axis=alt.Axis(labels=False, ticks=False)),
        y=alt.Y("y:Q", title=AXIS_TITLES["y"], scale=alt.Scale(domain=ydom, nice=False),
                axis=alt.Axis(labels=False, ticks=False)),
        tooltip=[alt.Tooltip("word:N", title="palavra"), alt.Tooltip("x:Q", format=".2f"),
                 alt.Tooltip("y:Q", format=".2f")])
    points = base.mark_point(size=220, filled=True, opacity=1, color=palette()["accent"])
    labels = [base.transform_filter(alt.datum.side == side)
              .mark_text(fontSize=font, fontWeight=600, **kw).encode(text="word:N")
              for side, kw in _SIDE_MARKS.items() if (d["side"] == side).any()]
    return alt.layer(points, *labels).properties(title=title, width=CHART_WIDTH, height=CHART_HEIGHT)


def _rotatable_3d(df: pd.DataFrame, title: str) -> alt.LayerChart:
    """Orthographic view of 3-D points turned by a slider (yaw), with a fixed 20° tilt."""
    angle = alt.param(name="giro", value=30,
                      bind=alt.binding_range(min=0, max=360, step=5, name="girar (graus) "))
    d = df[["word", "x", "y", "z"]].copy()
    tilt = np.radians(20)
    rot = alt.Chart(d).add_params(angle).transform_calculate(
        a="giro * PI / 180").transform_calculate(
        sx="datum.x * cos(datum.a) + datum.z * sin(datum.a)",
        depth="-datum.x * sin(datum.a) + datum.z * cos(datum.a)").transform_calculate(
        sy=f"datum.y * {np.cos(tilt):.6f} - datum.depth * {np.sin(tilt):.6f}")
    extent = float(np.abs(d[["x", "y", "z"]].to_numpy()).max()) * 1.15
    scale = alt.Scale(domain=[-extent, extent])
    enc = dict(x=alt.X("sx:Q", axis=None, scale=scale), y=alt.Y("sy:Q", axis=None, scale=scale))
    points = rot.mark_point(filled=True, opacity=1, color=palette()["accent"]).encode(
        **enc, size=alt.Size("depth:Q", legend=None, scale=alt.Scale(range=[80, 420])),
        opacity=alt.Opacity("depth:Q", legend=None, scale=alt.Scale(range=[0.45, 1])),
        tooltip=[alt.Tooltip("word:N", title="palavra")])
    labels = rot.mark_text(align="left", dx=12, fontSize=21, fontWeight=600).encode(
        **enc, text="word:N")
    return (points + labels).properties(title=title, width=CHART_HEIGHT + 120, height=CHART_HEIGHT)


def _unit_cube_coords(df: pd.DataFrame) -> np.ndarray:
    xyz = df[["x", "y", "z"]].to_numpy(dtype=float)
    return xyz / (np.abs(xyz).max() or 1)


def projection_3d_html(df: pd.DataFrame, size: int = 520, title: str | None = None):
    """A self-contained rotating 3-D scatter (inline SVG + a few lines of JS, no CDN):
    drag to turn it; it turns slowly by itself until touched. Returns IPython HTML."""
    from IPython.display import HTML
    if _dims(df) != 3:
        raise ValueError("projection_3d_html: needs project(words, dims=3)")
    p = palette()
    pts = [{"w": w, "p": [round(v, 4) for v in xyz]}
           for w, xyz in zip(df["word"], _unit_cube_coords(df).tolist())]
    uid = "emb3d-" + uuid.uuid4().hex[:8]
    title = html.escape(title or f"3 dimensões{_variance_note(df)}")
    # Words go into the SVG through textContent, so no escaping problems in the data.
    return HTML(f"""<figure id="{uid}" class="emb3d" style="margin:0;text-align:center">
<figcaption style="font:700 24px Inter,'DejaVu Sans',sans-serif;color:{p['ink']};text-align:left">{title}</figcaption>
<svg width="{size}" height="{size}" viewBox="-1.5 -1.5 3 3" style="cursor:grab;touch-action:none"
 role="img" aria-label="palavras em 3 dimensões; arraste para girar"></svg>
<div style="font:16px Inter,sans-serif;color:{p['gray']}">arraste para girar</div>
<script>(function(){{
const P={json.dumps(pts)}, fig=document.getElementById("{uid}"), svg=fig.querySelector("svg");
const NS="http://www.w3.org/2000/svg"; let yaw=0.6, pitch=0.35, auto=true, drag=null;
const AX=[[1,0,0],[0,1,0],[0,0,1]];
function rot(v){{const cy=Math.cos(yaw),sy=Math.sin(yaw),cp=Math.cos(pitch),sp=Math.sin(pitch);
 const x=v[0]*cy+v[2]*sy, z=-v[0]*sy+v[2]*cy; return [x, -(v[1]*cp - z*sp), v[1]*sp + z*cp];}}
function el(t,a){{const e=document.createElementNS(NS,t);for(const k in a)e.setAttribute(k,a[k]);return e;}}
function draw(){{svg.replaceChildren();
 for(const a of AX){{const q=rot(a),r=rot(a.map(c=>-c));
  svg.appendChild(el("line",{{x1:r[0],y1:r[1],x2:q[0],y2:q[1],stroke:"{p['gray']}","stroke-width":0.008,opacity:0.5}}));}}
 const L=P.map(d=>({{w:d.w,q:rot(d.p)}})).sort((a,b)=>a.q[2]-b.q[2]);
 for(const d of L){{const s=(d.q[2]+1.8)/3.6;
  svg.appendChild(el("circle",{{cx:d.q[0],cy:d.q[1],r:0.035+0.035*s,fill:"{p['accent']}",opacity:0.45+0.55*s}}));
  const t=el("text",{{x:d.q[0]+0.08,y:d.q[1]+0.035,"font-size":0.1+0.04*s,"font-weight":600,
   "font-family":"Inter,'DejaVu Sans',sans-serif",fill:"{p['ink']}",opacity:0.5+0.5*s}});
  t.textContent=d.w; svg.appendChild(t);}}}}
svg.addEventListener("pointerdown",e=>{{auto=false;drag=[e.clientX,e.clientY];svg.setPointerCapture(e.pointerId);e.stopPropagation();}});
svg.addEventListener("pointermove",e=>{{if(!drag)return;yaw+=(e.clientX-drag[0])*0.01;
 pitch=Math.max(-1.5,Math.min(1.5,pitch+(e.clientY-drag[1])*0.01));drag=[e.clientX,e.clientY];draw();}});
svg.addEventListener("pointerup",()=>{{drag=null;}});
(function tick(){{if(auto){{yaw+=0.004;draw();}} if(document.body.contains(svg))requestAnimationFrame(tick);}})();
draw();}})();</script></figure>""")


def projection_3d_figure(df: pd.DataFrame, title: str | None = None, elev: float = 20, azim: float = 35):
    """The same 3-D projection as a static matplotlib figure (for the PDF/handout)."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    if _dims(df) != 3:
        raise ValueError("projection_3d_figure: needs project(words, dims=3)")
    p = palette()
    with plt.rc_context(mpl_style()):
        fig = plt.figure(figsize=(8, 6.5))
        ax = fig.add_subplot(projection="3d")
        # dimension 2 vertical, as in the Altair and HTML views (matplotlib's vertical is z)
        ax.scatter(df["x"], df["z"], df["y"], s=120, color=p["accent"], depthshade=True)
        for w, x, y, z in df[["word", "x", "y", "z"]].itertuples(index=False):
            ax.text(x, z, y, "  " + w, fontsize=17, fontweight="bold", color=p["ink"])
        ax.set_xlabel(AXIS_TITLES["x"], labelpad=8)
        ax.set_ylabel(AXIS_TITLES["z"], labelpad=8)
        ax.set_zlabel(AXIS_TITLES["y"], labelpad=8)
        ax.tick_params(labelbottom=False, labelleft=False)
        ax.set_xticklabels([]), ax.set_yticklabels([]), ax.set_zticklabels([])
        ax.view_init(elev=elev, azim=azim)
        fig.suptitle(title or f"3 dimensões{_variance_note(df)}", x=0.03, ha="left",
                     fontweight="bold", fontsize=20)
        fig.subplots_adjust(left=0, right=0.95, bottom=0.02, top=0.93)
    plt.close(fig)
    return fig


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
                axis=alt.Axis(labelFontSize=22, labelFontWeight=600, labelLimit=300)),
        x=alt.X("cosine:Q", title="semelhança (cosseno)", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".1f", values=[0, 0.2, 0.4, 0.6, 0.8, 1.0])))
    bars = base.mark_bar(cornerRadiusEnd=4).encode(
        color=alt.condition(alt.datum.destaque, alt.value(p["accent"]), alt.value(p["ink"])),
        tooltip=[alt.Tooltip("word:N", title="palavra"), alt.Tooltip("cosine:Q", title="cosseno", format=".3f")])
    text = base.mark_text(align="left", dx=8, fontSize=20).encode(text="label:N")
    note = getattr(result, "note", "")
    heading = alt.TitleParams(text=title or "", subtitle=textwrap.wrap(note, 75), subtitleFontSize=20,
                              subtitleColor=p["gray"]) if note else (title or "")
    return (bars + text).properties(title=heading, width=CHART_WIDTH - 220,
                                    height=min(CHART_HEIGHT, 48 * len(df)))


def vector_strip(word: str, vec, columns: int = 10) -> alt.LayerChart:
    """The real numbers of one word's vector as a grid of coloured cells (blue < 0 < orange),
    each cell showing its value in pt-BR (−0,123)."""
    v = np.asarray(vec, dtype=float).ravel()
    rows = int(np.ceil(len(v) / columns))
    df = pd.DataFrame({"i": np.arange(len(v)), "value": v})
    df["col"], df["row"] = df["i"] % columns, df["i"] // columns
    df["label"] = [fmt_num(x, 2).replace("-", "−") for x in v]
    df["dim"] = df["i"] + 1
    m = float(np.abs(v).max()) or 1.0
    base = alt.Chart(df).encode(x=alt.X("col:O", axis=None), y=alt.Y("row:O", axis=None))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("value:Q", legend=None,
                        scale=alt.Scale(scheme="blueorange", domain=[-m, m])),
        tooltip=[alt.Tooltip("dim:Q", title="dimensão"), alt.Tooltip("value:Q", title="valor", format=".4f")])
    text = base.mark_text(fontSize=19, fontWeight=600).encode(
        text="label:N",
        color=alt.condition(f"abs(datum.value) > {0.6 * m}", alt.value("white"), alt.value(palette()["ink"])))
    return (cells + text).properties(
        title=f"E({word}): os {len(v)} números de verdade", width=CHART_WIDTH, height=52 * rows)


def widths_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Dimensions per token of each model (`embeddings.vector_widths()`), log scale."""
    d = df.copy()
    d["label"] = [fmt_num(x) for x in d["dims"]]
    base = alt.Chart(d).encode(
        y=alt.Y("model:N", sort=None, title=None, axis=alt.Axis(labelFontSize=20, labelLimit=320)),
        x=alt.X("dims:Q", title="dimensões por palavra (escala log)",
                scale=alt.Scale(type="log", domain=[10, 30000]),
                axis=alt.Axis(format=",.0f", values=[10, 100, 1000, 10000])))
    bars = base.mark_bar(cornerRadiusEnd=4).encode(x2=alt.datum(10),
        tooltip=[alt.Tooltip("model:N", title="modelo"), alt.Tooltip("dims:Q", title="dimensões", format=",.0f"),
                 alt.Tooltip("source:N", title="fonte")])
    text = base.mark_text(align="left", dx=8, fontSize=20).encode(text="label:N")
    return (bars + text).properties(width=CHART_WIDTH - 260, height=min(CHART_HEIGHT, 64 * len(d)))
