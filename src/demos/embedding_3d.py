"""Three-dimensional views of projected word vectors (embeddings.project(words, 3)):
an Altair chart turned by a slider (HTML) that prints as a fixed view (demos.print_alternative),
a drag-to-rotate inline SVG with a few lines of JS (no CDN), and a matplotlib figure for PDFs."""
from __future__ import annotations

import html
import json
import uuid

import altair as alt
import numpy as np
import pandas as pd

from demos.display import RawHtml
from demos.print_alternative import with_static
from demos.style import CHART_HEIGHT, mpl_style, note_title, palette

AXIS_TITLES = {"x": "dimensão 1", "y": "dimensão 2", "z": "dimensão 3"}


def _check(df: pd.DataFrame, who: str) -> None:
    if not {"word", "x", "y", "z"} <= set(df.columns):
        raise ValueError(f"{who}: needs the DataFrame of embeddings.project(words, dims=3)")


_TILT = np.radians(20)


def _turn(xyz: np.ndarray, degrees: float) -> np.ndarray:
    """Screen (x, y) of 3-D points turned `degrees` about the vertical axis, tilted 20°."""
    a = np.radians(degrees)
    sx = xyz[:, 0] * np.cos(a) + xyz[:, 2] * np.sin(a)
    depth = -xyz[:, 0] * np.sin(a) + xyz[:, 2] * np.cos(a)
    return np.c_[sx, xyz[:, 1] * np.cos(_TILT) - depth * np.sin(_TILT)]


def _clearest_angle(xyz: np.ndarray, words, extent: float, width: int, height: int,
                    font: int = 21) -> int:
    """The starting turn (multiple of 5°) whose word labels overlap each other and the
    points least (label boxes estimated in pixels), ties broken by the widest spacing."""
    lengths = np.array([0.62 * font * len(w) for w in words])

    def score(deg):
        p = _turn(xyz, deg)
        px = (p[:, 0] + extent) / (2 * extent) * width
        py = (extent - p[:, 1]) / (2 * extent) * height
        boxes = np.c_[px + 12, py - font / 2, px + 12 + lengths, py + font / 2]
        dots = np.c_[px - 9, py - 9, px + 9, py + 9]
        every = np.r_[boxes, dots]
        hit = ((boxes[:, None, 0] < every[None, :, 2]) & (every[None, :, 0] < boxes[:, None, 2]) &
               (boxes[:, None, 1] < every[None, :, 3]) & (every[None, :, 1] < boxes[:, None, 3]))
        n = len(boxes)
        hit[np.arange(n), np.arange(n)] = hit[np.arange(n), n + np.arange(n)] = False  # itself
        dist = np.linalg.norm(np.c_[px, py][:, None] - np.c_[px, py][None], axis=-1) + np.eye(n) * 1e9
        return (-int(hit.sum()), dist.min())
    return max(range(0, 360, 5), key=score)


def rotatable_3d(df: pd.DataFrame, title: str = "3 dimensões") -> alt.LayerChart:
    """Orthographic view of 3-D points turned by a slider (yaw) with a fixed 20° tilt, and
    the three axes drawn through the centre; starts at the angle where labels collide least.
    Printed as that starting view without the slider (with_static)."""
    d = df[["word", "x", "y", "z"]].copy()
    extent = float(np.abs(d[["x", "y", "z"]].to_numpy()).max()) * 1.15
    width, height = CHART_HEIGHT + 160, CHART_HEIGHT
    start = _clearest_angle(d[["x", "y", "z"]].to_numpy(), d["word"], extent, width, height)
    slider = alt.binding_range(min=0, max=355, step=5, name="girar (graus) ")
    interactive = _oblique_view(d, extent, alt.param(name="giro", value=start, bind=slider))
    fixed = _oblique_view(d, extent, alt.param(name="giro", value=start))
    note = note_title(title, f"vista fixa, girada {start}° (no HTML, gire com o controle)")
    return with_static(interactive.properties(title=title, width=width, height=height),
                       fixed.properties(title=note, width=width, height=height - 24))


def _oblique_view(d: pd.DataFrame, extent: float, angle: alt.Parameter) -> alt.LayerChart:
    """Axes, depth-scaled points and labels of `d` turned by the param `giro` (degrees)."""
    axes = pd.DataFrame([(k, sign * extent * (k == "x"), sign * extent * (k == "y"),
                          sign * extent * (k == "z")) for k in "xyz" for sign in (-0.8, 0.8)],
                        columns=["axis", "x", "y", "z"])

    def turned(data):
        return alt.Chart(data).transform_calculate(a="giro * PI / 180").transform_calculate(
            sx="datum.x * cos(datum.a) + datum.z * sin(datum.a)",
            depth="-datum.x * sin(datum.a) + datum.z * cos(datum.a)").transform_calculate(
            sy=f"datum.y * {np.cos(_TILT):.6f} - datum.depth * {np.sin(_TILT):.6f}")
    scale = alt.Scale(domain=[-extent, extent])
    enc = dict(x=alt.X("sx:Q", axis=None, scale=scale), y=alt.Y("sy:Q", axis=None, scale=scale))
    lines = turned(axes).mark_line(color=palette()["gray"], strokeWidth=1.5, opacity=0.5).encode(
        **enc, detail="axis:N", order="depth:Q")
    rot = turned(d)
    points = rot.mark_point(filled=True, opacity=1, color=palette()["accent"]).encode(
        **enc, size=alt.Size("depth:Q", legend=None, scale=alt.Scale(range=[90, 420])),
        opacity=alt.Opacity("depth:Q", legend=None, scale=alt.Scale(range=[0.55, 1])),
        tooltip=[alt.Tooltip("word:N", title="palavra")])
    labels = rot.mark_text(align="left", dx=12, fontSize=21, fontWeight=600).encode(
        **enc, text="word:N")
    return alt.layer(lines, points, labels).add_params(angle)


def _unit_cube_coords(df: pd.DataFrame) -> np.ndarray:
    xyz = df[["x", "y", "z"]].to_numpy(dtype=float)
    return xyz / (np.abs(xyz).max() or 1)


def projection_3d_html(df: pd.DataFrame, size: int = 520, title: str | None = None):
    """A self-contained rotating 3-D scatter (inline SVG + a few lines of JS, no CDN):
    drag to turn it; it makes one slow turn by itself (none when printing with
    ?print-pdf). Returns IPython HTML; for static outputs use projection_3d_figure()."""
    _check(df, "projection_3d_html")
    p = palette()
    pts = [{"w": w, "p": [round(v, 4) for v in xyz]}
           for w, xyz in zip(df["word"], _unit_cube_coords(df).tolist())]
    data = json.dumps(pts).replace("</", "<\\/")  # safe inside <script>
    uid = "emb3d-" + uuid.uuid4().hex[:8]
    title = html.escape(title or "3 dimensões")
    # Words go into the SVG through textContent, so no escaping problems in the data.
    return RawHtml(f"""<figure id="{uid}" class="emb3d" style="margin:0;text-align:center">
<figcaption style="font:700 24px Inter,'DejaVu Sans',sans-serif;color:{p['ink']};text-align:left">{title}</figcaption>
<svg width="{size}" height="{size}" viewBox="-1.5 -1.5 3 3" style="cursor:grab;touch-action:none;user-select:none;-webkit-user-select:none"
 role="img" aria-label="palavras em 3 dimensões; arraste para girar"></svg>
<div style="font:16px Inter,sans-serif;color:{p['gray']}">arraste para girar</div>
<script>(function(){{
const P={data}, fig=document.getElementById("{uid}"), svg=fig.querySelector("svg");
const NS="http://www.w3.org/2000/svg"; let yaw=0.6, pitch=0.35, drag=null, turned=0;
let auto=!/print-pdf/.test(location.search);  // still when printing; one slow turn otherwise
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
svg.addEventListener("pointerdown",e=>{{e.preventDefault();auto=false;drag=[e.clientX,e.clientY];svg.setPointerCapture(e.pointerId);e.stopPropagation();}});
svg.addEventListener("pointermove",e=>{{if(!drag)return;yaw+=(e.clientX-drag[0])*0.01;
 pitch=Math.max(-1.5,Math.min(1.5,pitch+(e.clientY-drag[1])*0.01));drag=[e.clientX,e.clientY];draw();}});
svg.addEventListener("pointerup",()=>{{drag=null;}});
(function tick(){{if(!auto)return; yaw+=0.004; turned+=0.004; draw();
 if(turned<2*Math.PI&&document.body.contains(svg))requestAnimationFrame(tick);}})();
draw();}})();</script></figure>""")


def _installed_fonts_only(style: dict) -> dict:
    """mpl_style() without font families matplotlib cannot find (avoids a 'findfont'
    warning per text object in the cell output)."""
    from matplotlib import font_manager
    known = {f.name for f in font_manager.fontManager.ttflist} | {"sans-serif", "serif", "monospace"}
    families = [f for f in style.get("font.family", []) if f in known]
    return {**style, "font.family": families or ["DejaVu Sans"]}


def projection_3d_figure(df: pd.DataFrame, title: str | None = None, elev: float = 20, azim: float = 35):
    """The same 3-D projection as a static matplotlib figure (for the PDF/handout)."""
    import matplotlib.pyplot as plt  # the kernel's backend (inline in notebooks, Agg headless)
    _check(df, "projection_3d_figure")
    p = palette()
    with plt.rc_context(_installed_fonts_only(mpl_style())):
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
        fig.suptitle(title or "3 dimensões", x=0.03, ha="left",
                     fontweight="bold", fontsize=20)
        fig.subplots_adjust(left=0, right=0.95, bottom=0.02, top=0.93)
    plt.close(fig)
    return fig


