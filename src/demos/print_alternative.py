"""Static print alternatives for interactive charts: `with_static(interactive, static)`.

A chart with a slider or selectors prints badly (the PDF shows its initial state and a dead
widget). `with_static` stores a different, static chart's Vega-Lite spec in the interactive
spec's `usermeta` under USERMETA_KEY, and the deck's renderer (demos.render_setup) honours it:
its PNG (the handout's figure) is drawn from the static spec, and the chart's HTML holds the
interactive chart (class SCREEN_CLASS) AND an <img> of that PNG (class PRINT_CLASS, same alt
text). The CSS in demos/web/deck.css, shipped by the deck runtime, shows the first on screen and
the second when printing (reveal.js `?print-pdf` puts `print-pdf` on <html>; also @media print).
"""
from __future__ import annotations

import html
import struct

USERMETA_KEY = "deck-static"
SCREEN_CLASS = "deck-screen-only"
PRINT_CLASS = "deck-print-only"


def with_static(interactive, static):
    """The interactive Altair chart carrying `static` (an Altair chart or a Vega-Lite dict) as
    the figure to print. The static spec is taken now, with the theme active at this moment."""
    spec = static if isinstance(static, dict) else getattr(static, "to_dict", lambda **_: None)(validate=False)
    if not isinstance(spec, dict):
        raise TypeError(f"with_static: the static alternative must be an Altair chart or a "
                        f"Vega-Lite dict, not {type(static).__name__}")
    meta = getattr(interactive, "usermeta", None)
    meta = meta if isinstance(meta, dict) else {}       # Altair's Undefined when unset
    return interactive.properties(usermeta={**meta, USERMETA_KEY: spec})


def static_spec(spec: dict) -> dict | None:
    """The static alternative attached to a Vega-Lite spec, or None."""
    meta = spec.get("usermeta") if isinstance(spec, dict) else None
    found = meta.get(USERMETA_KEY) if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else None


def printed_spec(spec: dict) -> dict:
    """What a static output (PNG) should draw: the alternative when there is one."""
    return static_spec(spec) or spec


def screen_spec(spec: dict) -> dict:
    """The spec the browser draws: without the (possibly large) static alternative."""
    if static_spec(spec) is None:
        return spec
    meta = {k: v for k, v in spec["usermeta"].items() if k != USERMETA_KEY}
    out = {k: v for k, v in spec.items() if k != "usermeta"}
    return {**out, "usermeta": meta} if meta else out


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("png_size: not a PNG image")
    return struct.unpack(">II", png[16:24])


def print_img(src: str, png: bytes, alt: str, scale: float) -> str:
    """The <img> shown instead of the interactive chart when printing, at the chart's CSS size
    (the PNG is drawn at `scale`× for sharpness)."""
    w, h = (round(v / scale) for v in png_size(png))
    return (f'<img src="{html.escape(src, quote=True)}" alt="{html.escape(str(alt), quote=True)}" '
            f'class="{PRINT_CLASS} vega-print" width="{w}" height="{h}">')
