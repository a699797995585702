"""Point labels placed clear of each other: each label goes right, left, above, below or at a
corner of its point, on the first side whose box overlaps no label already placed and no other point, and
stays inside the plot. Used by the 2-D projection and, per angle, by the 3-D view."""
from __future__ import annotations

import numpy as np

# side -> (dx, dy, align, baseline) of the text mark drawn at the point
SIDES = {"right": (14, 0, "left", "middle"), "left": (-14, 0, "right", "middle"),
         "above": (0, -16, "center", "bottom"), "below": (0, 16, "center", "top"),
         "above-right": (10, -10, "left", "bottom"), "below-right": (10, 10, "left", "top"),
         "above-left": (-10, -10, "right", "bottom"), "below-left": (-10, 10, "right", "top")}


def _boxes_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def label_box(x: float, y: float, word: str, side: str, font: float) -> tuple[float, float, float, float]:
    """The screen box of `word` drawn at SIDES[side] of the point (x, y): generous, so that a
    label placed clear of others here is clear of them as the browser draws it (bold Inter)."""
    dx, dy, align, baseline = SIDES[side]
    tw, th = 0.64 * font * len(word) + 6, 1.3 * font
    left = {"left": x + dx, "right": x + dx - tw, "center": x + dx - tw / 2}[align]
    top = {"middle": y + dy - th / 2, "bottom": y + dy - th, "top": y + dy}[baseline]
    return left, top, left + tw, top + th


def place_labels(px: np.ndarray, py: np.ndarray, words, font: float, depth: np.ndarray | None = None,
                 size: tuple[float, float] = (np.inf, np.inf), fallback: str | None = None) -> list[str | None]:
    """A side (SIDES) for each label, nearest points (largest `depth`) first, in order when no
    depth is given; where every side fails, `fallback` (None: the label is hidden)."""
    points = [(x - 9, y - 9, x + 9, y + 9) for x, y in zip(px, py)]
    order = range(len(px)) if depth is None else np.argsort(-np.asarray(depth), kind="stable")
    placed, out = [], [None] * len(px)
    for i in order:
        for side in SIDES:
            b = label_box(px[i], py[i], words[i], side, font)
            inside = b[0] >= 0 and b[1] >= 0 and b[2] <= size[0] and b[3] <= size[1]
            if inside and not any(_boxes_overlap(b, o) for o in placed) and \
                    not any(_boxes_overlap(b, p) for j, p in enumerate(points) if j != i):
                placed.append(b)
                out[i] = side
                break
        else:
            if fallback is not None:
                placed.append(label_box(px[i], py[i], words[i], fallback, font))
                out[i] = fallback
    return out
