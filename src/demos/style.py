"""One shared chart look for the deck: event palette, large fonts, pt-BR number locale, the
grey-note chart title, and the colour arithmetic (tints, WCAG contrast) behind readable labels.

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
EMOJI = "'Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji'"   # what the audience may type
FONT = f"Inter, 'DejaVu Sans', {EMOJI}, sans-serif"
MONO_FONT = f"JetBrains Mono, DejaVu Sans Mono, {EMOJI}, monospace"   # tokens, code-like labels
CHART_WIDTH = 880   # px, fits a 1050x700 slide with a title
CHART_HEIGHT = 400
# Text sizes of every chart, in deck px (the slide is 1050×700 and projectors scale it up):
TEXT = 24          # axis and data labels, legends, text drawn on marks
TEXT_DENSE = 20    # the floor, for labels that must fit tight marks (heatmap cells, panels)
TITLE = 28
NOTE = 20          # the explanatory note under a title and source lines
NOTE_COLOR = "#3D4754"   # 9,8:1 on white: a projector does not wash it out (the old grey did)


def palette() -> dict:
    """The palette, with the active profile's brand colours merged in."""
    try:
        from demos.config import setting
        colors = setting("event.colors") or {}
    except Exception:  # config is optional for charts drawn outside a build
        colors = {}
    return {**PALETTE, **{k: v for k, v in colors.items() if k in PALETTE}}


# ---- colour arithmetic (tints, contrast-safe text colours) ----------------------------------

def _rgb(hex_color: str) -> tuple[float, float, float]:
    h = hex_color.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def mix(a: str, b: str, t: float) -> str:
    """The colour `t` of the way from `a` to `b` (0..1), mixed linearly in RGB as Vega does."""
    return _hex(tuple(x + (y - x) * t for x, y in zip(_rgb(a), _rgb(b))))


def tint(hex_color: str, amount: float = 0.72) -> str:
    """The colour mixed with `amount` of white (a pastel background)."""
    return mix(hex_color, "#FFFFFF", amount)


def luminance(hex_color: str) -> float:
    """WCAG relative luminance."""
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(hex_color)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1..21); AA body text needs >= 4.5."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color(background: str) -> str:
    """The palette ink or white, whichever reads better on `background`."""
    ink = palette()["ink"]
    return ink if contrast(ink, background) >= contrast("#FFFFFF", background) else "#FFFFFF"


def altair_config() -> dict:
    """Vega-Lite `config` block: fonts readable at the back of a room, pt-BR locale."""
    p = palette()
    return {
        "font": FONT,
        "locale": {"number": VEGA_NUMBER_LOCALE, "time": VEGA_TIME_LOCALE},
        "view": {"stroke": None},
        "background": "transparent",
        "axis": {"labelFontSize": TEXT, "titleFontSize": TEXT, "labelColor": p["ink"],
                 "titleColor": p["ink"], "gridColor": "#D5DCE6", "domainColor": p["gray"],
                 "tickColor": p["gray"], "titleFontWeight": 600},
        "legend": {"labelFontSize": TEXT_DENSE + 2, "titleFontSize": TEXT_DENSE + 2, "labelColor": p["ink"],
                   "titleColor": p["ink"]},
        "header": {"labelFontSize": TEXT, "titleFontSize": TEXT},
        "title": {"fontSize": TITLE, "color": p["ink"], "anchor": "start", "fontWeight": 700,
                  "subtitleFontSize": NOTE, "subtitleColor": NOTE_COLOR},
        "text": {"fontSize": TEXT, "color": p["ink"]},
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


def note_title(title: str | None, note):
    """An Altair title carrying a grey explanatory note (the subtitle when there is a title;
    `note` may be a list of lines)."""
    import altair as alt
    if title:
        return alt.Title(title, subtitle=note, subtitleFontSize=NOTE, subtitleColor=NOTE_COLOR)
    return alt.Title(note, fontSize=NOTE, fontWeight="normal", color=NOTE_COLOR)


def described(chart, text: str, *parts: str):
    """The chart carrying its own alt text (Vega-Lite `description`): the page labels the chart's
    figure with it and gives it to the chart's print image, under both engines."""
    return chart.properties(description=" ".join([text, *parts]).strip())


def listing(items, limit: int = 6) -> str:
    """'a, b, c e d' (pt-BR), cut to the first `limit` items with '…'."""
    items = [str(i) for i in items]
    if len(items) > limit:
        return ", ".join(items[:limit]) + "…"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " e " + items[-1] if items else ""


def mpl_style() -> dict:
    """matplotlib rcParams with the same look (for static figures)."""
    from cycler import cycler
    p = palette()
    return {
        "font.family": ["DejaVu Sans", "sans-serif"],  # Inter ships as woff2 only (web)
        "font.size": 16, "axes.titlesize": 20, "axes.labelsize": 18,
        "xtick.labelsize": 16, "ytick.labelsize": 16, "legend.fontsize": 16,
        "axes.edgecolor": p["gray"], "axes.labelcolor": p["ink"], "text.color": p["ink"],
        "xtick.color": p["ink"], "ytick.color": p["ink"],
        "axes.spines.top": False, "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=CATEGORY),
        "figure.figsize": (10, 4.6), "figure.dpi": 110, "savefig.bbox": "tight",
        "axes.formatter.use_locale": False,
    }
