"""Per-deck rendering setup, called once from `slides/_setup.qmd`: `init_deck()`.

Enables the deck's Altair theme (demos.style) and an Altair renderer whose mimebundle holds
the Vega-Lite JSON (the interactive chart in HTML) AND an `image/png` fallback drawn by
vl-convert with the pt-BR number/time locale (used by the PDFs and the handout); sets the
matplotlib rcParams of demos.style.mpl_style() and pandas display options."""
from __future__ import annotations

import base64

PNG_SCALE = 2          # fallback PNG at 2x the chart's CSS size: sharp in the A4 handout
LOCALE = "pt-BR"


def vegalite_mime(schema: str) -> str:
    """The mimetype Jupyter uses for a Vega-Lite spec of this $schema (v5 or v6)."""
    major = "6"
    if "/v5" in schema:
        major = "5"
    return f"application/vnd.vegalite.v{major}+json"


def png_fallback(spec: dict) -> bytes:
    """A static PNG of a Vega-Lite spec, numbers and dates in pt-BR."""
    import vl_convert as vlc
    return vlc.vegalite_to_png(spec, scale=PNG_SCALE, format_locale=LOCALE, time_format_locale=LOCALE)


def deck_renderer(spec: dict, **_) -> dict:
    """Altair renderer: Vega-Lite JSON for the HTML deck plus a PNG for static outputs."""
    return {vegalite_mime(spec.get("$schema", "")): spec,
            "image/png": base64.b64encode(png_fallback(spec)).decode("ascii"),
            "text/plain": "<Altair chart>"}


def _register_fonts() -> None:
    """Let vl-convert use the deck fonts when a TTF/OTF copy is installed (falls back to DejaVu)."""
    import vl_convert as vlc
    from pathlib import Path
    for d in ("/usr/share/fonts/truetype/inter", "/usr/share/fonts/opentype/inter"):
        if Path(d).is_dir():
            vlc.register_font_directory(d)


def init_deck() -> None:
    """Theme + renderer for Altair, rcParams for matplotlib, display options for pandas."""
    import altair as alt
    import matplotlib as mpl
    import pandas as pd

    from demos.style import apply_altair_theme, mpl_style

    apply_altair_theme()
    alt.renderers.register("deck", deck_renderer)
    alt.renderers.enable("deck")
    _register_fonts()
    mpl.rcParams.update(mpl_style())
    pd.set_option("display.max_columns", 12)
    pd.set_option("display.max_rows", 20)
    pd.set_option("display.width", 120)
    pd.set_option("display.precision", 3)
    pd.set_option("display.float_format", None)
