"""One shared chart look for the deck: event palette, large fonts, pt-BR number locale.

Colours come from the active event profile (`event.colors` in `_quarto-<event>.yml`)
when present, so another event re-colours charts without code changes."""
from __future__ import annotations

from demos.ptbr import VEGA_NUMBER_LOCALE, VEGA_TIME_LOCALE

# Agile Trends Nordeste defaults (overridden by the profile's brand colours).
PALETTE = {
    "ink": "#0B1F3A",       # navy: text and primary marks
    "accent": "#E8590C",    # orange: highlights (AA on white for large text)
    "bolt": "#FFC400",      # yellow lightning: fills only, never text on white
    "teal": "#0B7A75",
    "magenta": "#C2255C",
    "gray": "#5F6B7A",
    "light": "#E9EEF5",
}
CATEGORY = ["#0B1F3A", "#E8590C", "#0B7A75", "#FFC400", "#C2255C", "#5F6B7A"]
FONT = "Inter, 'DejaVu Sans', sans-serif"
CHART_WIDTH = 860   # px, fits a 1050x700 slide with a title
CHART_HEIGHT = 380


def palette() -> dict:
    """The palette, with the active profile's brand colours merged in."""
    try:
        from demos.config import deck_config
        colors = (deck_config().get("event") or {}).get("colors") or {}
    except Exception:  # config is optional for charts drawn outside a build
        colors = {}
    return {**PALETTE, **{k: v for k, v in colors.items() if k in PALETTE}}


def altair_config() -> dict:
    """Vega-Lite `config` block: fonts readable at the back of a room, pt-BR locale."""
    p = palette()
    return {
        "font": FONT,
        "locale": {"number": VEGA_NUMBER_LOCALE, "time": VEGA_TIME_LOCALE},
        "view": {"stroke": None},
        "background": "transparent",
        "axis": {"labelFontSize": 18, "titleFontSize": 20, "labelColor": p["ink"],
                 "titleColor": p["ink"], "gridColor": "#D5DCE6", "domainColor": p["gray"],
                 "tickColor": p["gray"], "titleFontWeight": 600},
        "legend": {"labelFontSize": 18, "titleFontSize": 18, "labelColor": p["ink"],
                   "titleColor": p["ink"]},
        "header": {"labelFontSize": 18, "titleFontSize": 20},
        "title": {"fontSize": 24, "color": p["ink"], "anchor": "start", "fontWeight": 700},
        "text": {"fontSize": 18, "color": p["ink"]},
        "range": {"category": CATEGORY},
        "mark": {"color": p["ink"]},
        "bar": {"color": p["ink"]},
        "line": {"color": p["accent"], "strokeWidth": 4},
        "point": {"color": p["accent"], "size": 120, "filled": True},
    }


def apply_altair_theme() -> None:
    """Register and enable the deck theme for every Altair chart in this process."""
    import altair as alt

    @alt.theme.register("deck", enable=True)
    def _deck_theme():
        return alt.theme.ThemeConfig({"config": altair_config(),
                                      "width": CHART_WIDTH, "height": CHART_HEIGHT})


def mpl_style() -> dict:
    """matplotlib rcParams with the same look (for static figures)."""
    p = palette()
    return {
        "font.family": ["DejaVu Sans", "sans-serif"],  # Inter ships as woff2 only (web)
        "font.size": 16, "axes.titlesize": 20, "axes.labelsize": 18,
        "xtick.labelsize": 16, "ytick.labelsize": 16, "legend.fontsize": 16,
        "axes.edgecolor": p["gray"], "axes.labelcolor": p["ink"], "text.color": p["ink"],
        "xtick.color": p["ink"], "ytick.color": p["ink"],
        "axes.spines.top": False, "axes.spines.right": False,
        "axes.prop_cycle": __import__("cycler").cycler(color=CATEGORY),
        "figure.figsize": (10, 4.6), "figure.dpi": 110, "savefig.bbox": "tight",
        "axes.formatter.use_locale": False,
    }
