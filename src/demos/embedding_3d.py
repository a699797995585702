"""Three-dimensional view of projected word vectors (embeddings.project(words, 3)).

The points turn about the vertical axis (a 20° tilt shows depth) and are drawn orthographically,
nearer points larger and darker. Every 5° of turn is laid out here, in Python (`view_layout`):
the screen position of each point and axis end, and for each label the side of its point where
it collides with no other label and no point, or none (the label is hidden) when every side
would. The chart (`rotatable_3d`) shows the layout of the current angle: a slider sets it, and
dragging the chart turns it (the deck runtime, demos/web/charts.js, reads the `deck-drag`
usermeta). Printed as the view with the fewest hidden labels (demos.print_alternative)."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from demos.label_layout import SIDES, place_labels
from demos.print_alternative import with_static
from demos.style import CHART_HEIGHT, TEXT, note_title, palette

STEP = 5                       # degrees between laid-out angles
TILT = np.radians(20)
DRAG_KEY = "deck-drag"


def _check(df: pd.DataFrame, who: str) -> None:
    if not {"word", "x", "y", "z"} <= set(df.columns):
        raise ValueError(f"{who}: needs the DataFrame of embeddings.project(words, dims=3)")


def turn(xyz: np.ndarray, degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """(screen x, y) and depth of 3-D points turned `degrees` about the vertical axis, tilted."""
    a = np.radians(degrees)
    sx = xyz[:, 0] * np.cos(a) + xyz[:, 2] * np.sin(a)
    depth = -xyz[:, 0] * np.sin(a) + xyz[:, 2] * np.cos(a)
    return np.c_[sx, xyz[:, 1] * np.cos(TILT) - depth * np.sin(TILT)], depth


def view_layout(df: pd.DataFrame, width: int, height: int, font: float = TEXT) -> dict[str, pd.DataFrame]:
    """Per angle (0, 5, …, 355): points [angle, word, sx, sy, depth], axis ends [angle, axis, sx,
    sy, depth] and labels [angle, word, sx, sy, side] (hidden labels left out), in data units
    of a square [-extent, extent] view of `width`×`height` px."""
    _check(df, "view_layout")
    xyz = df[["x", "y", "z"]].to_numpy(dtype=float)
    extent = float(np.abs(xyz).max()) * 1.15
    words = list(df["word"])
    ends = np.array([[s * extent * 0.8 * (k == j) for j in range(3)] for k in range(3) for s in (-1, 1)])
    pts, axes, labels = [], [], []
    for angle in range(0, 360, STEP):
        screen, depth = turn(xyz, angle)
        px = (screen[:, 0] + extent) / (2 * extent) * width
        py = (extent - screen[:, 1]) / (2 * extent) * height
        sides = place_labels(px, py, words, font, depth, (width, height))
        for w, (sx, sy), d, side in zip(words, screen, depth, sides):
            pts.append((angle, w, sx, sy, d))
            if side:
                labels.append((angle, w, sx, sy, side))
        e_screen, e_depth = turn(ends, angle)
        axes += [(angle, "xyz"[k // 2], sx, sy, d) for k, ((sx, sy), d) in enumerate(zip(e_screen, e_depth))]
    round3 = lambda frame: frame.round(3)  # noqa: E731
    return {"points": round3(pd.DataFrame(pts, columns=["angle", "word", "sx", "sy", "depth"])),
            "axes": round3(pd.DataFrame(axes, columns=["angle", "axis", "sx", "sy", "depth"])),
            "labels": round3(pd.DataFrame(labels, columns=["angle", "word", "sx", "sy", "side"])),
            "extent": extent}


def best_angle(layout: dict) -> int:
    """The angle showing the most labels (the first such one)."""
    shown = layout["labels"].groupby("angle").size()
    return int(shown.idxmax()) if len(shown) else 0


def at_angle(layout: dict, angle: int | None) -> dict:
    """The layout of one angle only (None: the best one), for a view that never turns."""
    angle = best_angle(layout) if angle is None else angle
    frames = {k: v[v["angle"] == angle].reset_index(drop=True) for k, v in layout.items() if k != "extent"}
    return {**frames, "extent": layout["extent"], "angle": angle}


def _view(layout: dict, angle: alt.Parameter, width: int, height: int) -> alt.LayerChart:
    """The layers of the view at the param `giro` (rounded to the laid-out angles), clipped to the
    plot (labels are placed inside it): turning never shifts the title or the slider."""
    p, extent = palette(), layout["extent"]
    at = f"datum.angle == (round(giro / {STEP}) * {STEP}) % 360"
    scale = alt.Scale(domain=[-extent, extent])
    enc = dict(x=alt.X("sx:Q", axis=None, scale=scale), y=alt.Y("sy:Q", axis=None, scale=scale))
    lines = alt.Chart(layout["axes"]).transform_filter(at).mark_line(
        color=p["gray"], strokeWidth=1.5, opacity=0.5, clip=True).encode(**enc, detail="axis:N", order="depth:Q")
    points = alt.Chart(layout["points"]).transform_filter(at).mark_point(
        filled=True, opacity=1, color=p["accent"], clip=True).encode(
        **enc, size=alt.Size("depth:Q", legend=None, scale=alt.Scale(range=[90, 420])),
        opacity=alt.Opacity("depth:Q", legend=None, scale=alt.Scale(range=[0.55, 1])),
        tooltip=[alt.Tooltip("word:N", title="palavra")])
    labels = [alt.Chart(layout["labels"]).transform_filter(f"{at} && datum.side == '{side}'").mark_text(
        align=align, baseline=base, dx=dx, dy=dy, fontSize=TEXT, fontWeight=600, clip=True).encode(**enc, text="word:N")
        for side, (dx, dy, align, base) in SIDES.items()]
    return alt.layer(lines, points, *labels).add_params(angle).properties(width=width, height=height)


def rotatable_3d(df: pd.DataFrame, title: str = "3 dimensões") -> alt.LayerChart:
    """The 3-D view, turned by a slider and by dragging; printed as its clearest view."""
    width, height = CHART_HEIGHT + 160, CHART_HEIGHT
    layout = view_layout(df, width, height)
    start = best_angle(layout)
    slider = alt.binding_range(min=0, max=355, step=STEP, name="girar (graus) ")
    interactive = _view(layout, alt.param(name="giro", value=start, bind=slider), width, height)
    interactive = interactive.properties(title=title, usermeta={DRAG_KEY: {"signal": "giro", "per_px": 0.6,
                                                                          "modulo": 360}})
    printed = at_angle(view_layout(df, width, height - 24), None)     # laid out for its own height
    fixed = _view(printed, alt.param(name="giro", value=printed["angle"]), width, height - 24)
    note = note_title(title, f"vista fixa, girada {printed['angle']}° (no HTML, arraste para girar)")
    return with_static(interactive, fixed.properties(title=note))
