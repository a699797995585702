"""Drawings for the neural-network slide: the training loss falling epoch by epoch and the
decision boundary the network learned (final, and at a few epochs side by side). pt-BR."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from demos.style import CHART_HEIGHT, CHART_WIDTH, described, palette

CLASS_NAMES = {0: "grupo A", 1: "grupo B"}
LIGHT = ("#A7D8D4", "#F9C29E")  # pale teal / pale orange behind the teal and orange dots


def loss_chart(t) -> alt.Chart:
    """Training loss (binary cross-entropy) per epoch of a neural_net.ToyTraining."""
    from demos.ptbr import fmt_num
    chart = alt.Chart(t.loss).mark_line().encode(
        x=alt.X("epoch:Q", title="época (passadas pelos dados)",
                scale=alt.Scale(domain=[0, int(t.loss["epoch"].max())], nice=False)),
        y=alt.Y("loss:Q", title="erro (perda)", scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("epoch:Q", title="época"), alt.Tooltip("loss:Q", title="perda", format=".3f")],
    ).properties(width=CHART_WIDTH - 60, height=CHART_HEIGHT + 20)
    first, last = t.loss.iloc[0], t.loss.iloc[-1]
    return described(chart, f"Curva do erro da rede de demonstração caindo ao longo do treino: de "
                            f"{fmt_num(first['loss'], 2)} na época {int(first['epoch'])} para "
                            f"{fmt_num(last['loss'], 2)} na época {int(last['epoch'])}.")


def _cells(grid: pd.DataFrame) -> pd.DataFrame:
    """Grid points → rectangles (x, x2, y, y2) tiling the plane, p rounded for a small spec."""
    xs, ys = np.unique(grid["x"]), np.unique(grid["y"])
    dx, dy = 0.53 * (xs[1] - xs[0]), 0.53 * (ys[1] - ys[0])  # a little overlap: no seams
    return pd.DataFrame({"x": (grid["x"] - dx).round(3), "x2": (grid["x"] + dx).round(3),
                         "y": (grid["y"] - dy).round(3), "y2": (grid["y"] + dy).round(3),
                         "p": grid["p"].round(3)})


def _domains(cells: pd.DataFrame) -> tuple[list[float], list[float]]:
    return ([float(cells["x"].min()), float(cells["x2"].max())],
            [float(cells["y"].min()), float(cells["y2"].max())])


def _layers(cells, points: pd.DataFrame, xdom, ydom, legend: bool = True, point_size: int = 70):
    """(heat, dots) of a boundary panel: `cells` a DataFrame or an alt.Data of _cells() rows."""
    p = palette()
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=xdom, nice=False))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=ydom, nice=False))
    # clip: cells never reach past the plot, so a new frame never shifts the layout (title, legend)
    heat = alt.Chart(cells).mark_rect(opacity=1, clip=True).encode(
        x=x, x2="x2:Q", y=y, y2="y2:Q",
        color=alt.Color("p:Q", scale=alt.Scale(domain=[0, 0.5, 1], range=[LIGHT[0], "#FFFFFF", LIGHT[1]],
                                               interpolate="rgb"),
                        legend=alt.Legend(title="chance de B", format=".0%", orient="right") if legend else None))
    pts = points.assign(grupo=points["label"].map(CLASS_NAMES),
                        x=points["x"].round(3), y=points["y"].round(3))
    dots = alt.Chart(pts).mark_point(filled=True, opacity=1, size=point_size, stroke="white",
                                     strokeWidth=1).encode(
        x=x, y=y,
        color=alt.Color("grupo:N", scale=alt.Scale(domain=list(CLASS_NAMES.values()),
                                                    range=[p["teal"], p["accent"]]),
                        legend=alt.Legend(title=None, orient="top") if legend else None),
        shape=alt.Shape("grupo:N", scale=alt.Scale(range=["circle", "triangle-up"]), legend=None))
    return heat, dots


def _panel(grid: pd.DataFrame, points: pd.DataFrame, width: int, height: int,
           title: str = "", legend: bool = True, point_size: int = 70) -> alt.LayerChart:
    cells = _cells(grid)
    heat, dots = _layers(cells, points, *_domains(cells), legend, point_size)
    return alt.layer(heat, dots).resolve_scale(color="independent").properties(
        title=title, width=width, height=height)


def boundary_chart(t) -> alt.LayerChart:
    """The learned decision boundary: background = the network's chance of 'grupo B'
    at each point of the plane, dots = the training points; accuracy in the title."""
    from demos.ptbr import fmt_pct
    title = f"O que a rede aprendeu: acerta {fmt_pct(t.accuracy, 0)} dos pontos"
    return described(_panel(t.grid, t.points, CHART_HEIGHT + 180, CHART_HEIGHT, title),
                     f"Dois grupos de pontos no plano ({CLASS_NAMES[0]} e {CLASS_NAMES[1]}) e a fronteira "
                     f"curva que uma rede neural pequena aprendeu para separá-los; ela acerta "
                     f"{fmt_pct(t.accuracy, 0)} dos pontos de treino.")


def boundary_animation_chart(t) -> alt.LayerChart:
    """The learned boundary at each recorded epoch, one at a time: a slider `epoca` picks the
    epoch (the live demo plays them in order after retraining); starts on the last epoch.
    Printed as boundary_chart(t)."""
    from demos.print_alternative import with_static
    from demos.ptbr import fmt_pct
    snaps = t.snapshots
    epochs = sorted(int(e) for e in snaps["epoch"].unique())
    xs, ys = np.unique(snaps["x"]), np.unique(snaps["y"])
    dx, dy = 0.53 * (xs[1] - xs[0]), 0.53 * (ys[1] - ys[0])        # as _cells(): a little overlap
    frames = pd.DataFrame({"x": snaps["x"].round(3), "y": snaps["y"].round(3), "p": snaps["p"].round(2),
                           "e": snaps["epoch"].astype(int)})      # centres only: edges computed below
    epoch = alt.param(name="epoca", value=epochs[-1],
                      bind=alt.binding_range(min=epochs[0], max=epochs[-1], step=1, name="época "))
    doms = ([float(xs.min() - dx), float(xs.max() + dx)], [float(ys.min() - dy), float(ys.max() + dy)])
    heat, dots = _layers(frames, t.points, *doms)
    heat = heat.transform_filter(f"datum.e == {_nearest_expr(epochs)}").transform_calculate(
        x2=f"datum.x + {dx:.4f}", y2=f"datum.y + {dy:.4f}").transform_calculate(
        x=f"datum.x - {dx:.4f}", y=f"datum.y - {dy:.4f}")
    title = f"O que a rede aprendeu: acerta {fmt_pct(t.accuracy, 0)} dos pontos"
    chart = alt.layer(heat, dots).resolve_scale(color="independent").add_params(epoch).properties(
        title=alt.Title(title, anchor="start"), width=CHART_HEIGHT + 180, height=CHART_HEIGHT)
    chart = described(chart, "A fronteira que a rede neural aprendeu, época a época "
                             f"({', '.join(map(str, epochs))}), separando {CLASS_NAMES[0]} de "
                             f"{CLASS_NAMES[1]}; ao fim ela acerta {fmt_pct(t.accuracy, 0)} dos pontos de treino.")
    return with_static(chart, boundary_chart(t))


def _nearest_expr(epochs: list[int]) -> str:
    """Vega expression: the recorded epoch at or below the slider's value."""
    expr = str(epochs[0])
    for e in epochs[1:]:
        expr = f"(epoca >= {e} ? {e} : {expr})"
    return expr


def boundary_steps_chart(t) -> alt.HConcatChart:
    """The boundary at the recorded epochs, side by side: learning in steps."""
    epochs = sorted(t.snapshots["epoch"].unique())
    width = int((CHART_WIDTH - 30 * (len(epochs) - 1)) / len(epochs))
    panels = [_panel(t.snapshots[t.snapshots["epoch"] == e], t.points, width, width,
                     title=f"época {e}", legend=False, point_size=25) for e in epochs]
    return described(alt.hconcat(*panels, spacing=30),
                     f"A fronteira que a rede aprendeu nas épocas {', '.join(map(str, epochs))}: de uma "
                     "separação quase aleatória a uma curva entre os dois grupos de pontos.")
