"""Per-deck rendering setup, called once from `slides/_setup.qmd`: `init_deck()`.

Enables the deck's Altair theme (demos.style) and an Altair renderer whose mimebundle is the same
under Quarto and under the built-in engine (demos.display): `text/markdown` holding the chart's
HTML in a raw-HTML block, plus an `image/png` drawn by vl-convert with the pt-BR locale, which the
handout prints. The chart's HTML is a `.vega-figure` box labelled with the chart's own alt text
(its Vega-Lite `description`, set by the drawing function), its spec as JSON and, for a chart
with a static print alternative (demos.print_alternative.with_static), an <img> of that PNG shown
only when printing. The browser runtime (demos.runtime, shipped by the deck's last cell) draws
the specs; nothing here needs a network. Also sets matplotlib rcParams and pandas options."""
from __future__ import annotations

import html
import json
from functools import lru_cache

from demos.display import markdown_bundle
from demos.print_alternative import (SCREEN_CLASS, print_img, printed_spec, screen_spec,
                                     static_spec)

PNG_SCALE = 2          # fallback PNG at 2x the chart's CSS size: sharp in the A4 handout
LOCALE = "pt-BR"
CHART_CLASS = "vega-chart"     # deckbuild.pdf waits until every .vega-chart holds an <svg>
FIGURE_CLASS = "vega-figure"   # the labelled box the runtime looks for


def png_fallback(spec: dict) -> bytes:
    """A static PNG of a Vega-Lite spec, numbers and dates in pt-BR."""
    import vl_convert as vlc
    return vlc.vegalite_to_png(spec, scale=PNG_SCALE, format_locale=LOCALE, time_format_locale=LOCALE)


def _title_text(title) -> str:
    if isinstance(title, dict):
        parts = [title.get("text"), title.get("subtitle")]
    else:
        parts = [title]
    flat = []
    for p in parts:
        flat += p if isinstance(p, list) else [p]
    return " — ".join(str(p) for p in flat if p)


def chart_alt(spec: dict) -> str:
    """A chart's alt text: its `description`, else its title (drawing functions set the former)."""
    return str(spec.get("description") or _title_text(spec.get("title")) or "")


def chart_html(spec: dict, png: bytes | None = None) -> str:
    """The page markup of one chart (see the module docstring); `png` is its print image, used
    only when the chart has a static print alternative."""
    alt = chart_alt(spec)
    printable = static_spec(spec) is not None and png is not None
    payload = json.dumps(screen_spec(spec), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    classes = f"{CHART_CLASS} {SCREEN_CLASS}" if printable else CHART_CLASS
    parts = [f'<div class="{FIGURE_CLASS}" role="figure" aria-label="{html.escape(alt, quote=True)}">',
             f'<div class="{classes}"></div>',
             f'<script type="application/json" class="vega-spec">{payload}</script>']
    if printable:
        import base64
        parts.append(print_img("data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                               png, alt, PNG_SCALE))
    return "\n".join(parts + ["</div>"])


def deck_renderer(spec: dict, **_) -> dict:
    """Altair renderer: the chart's HTML as a raw-HTML Markdown block plus its static PNG (of the
    print alternative when the chart has one)."""
    png = png_fallback(printed_spec(spec))
    return markdown_bundle(chart_html(spec, png), png, plain="<Altair chart>")


@lru_cache(maxsize=None)
def _register_fonts() -> None:
    """Let vl-convert draw PNGs (handout, slide PDF fallbacks) with the deck's own fonts: TrueType
    copies of the npm faces, kept in .deck-cache/fonts."""
    import vl_convert as vlc

    from deckbuild.fonts import deck_ttf_fonts
    from demos.config import project_root
    vlc.register_font_directory(str(deck_ttf_fonts(project_root())))


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
