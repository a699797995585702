"""Per-deck rendering setup, called once from `slides/_setup.qmd`: `init_deck()`.

Enables the deck's Altair theme (demos.style) and an Altair renderer whose mimebundle holds
the Vega-Lite JSON (the interactive chart in HTML) AND an `image/png` fallback drawn by
vl-convert with the pt-BR number/time locale (used by the PDFs and the handout); sets the
matplotlib rcParams of demos.style.mpl_style() and pandas display options.

Under Quarto (env DECK_ENGINE is anything but "builtin") the bundle also carries `text/html`:
Quarto ignores Vega-Lite mimetypes and, for HTML formats, prefers text/html over image/png
(quarto-cli src/core/jupyter/display-data.ts), so without it the deck would show the PNG.
The first chart of a kernel session inlines the Vega + Vega-Lite + Vega-Embed bundle of
vl-convert (one self-contained ES module, ~900 kB, no CDN); later charts are a `<div>`, their
spec as JSON and a one-line script that queues the chart until the bundle has run. Under the
built-in engine the bundle is unchanged: deckbuild.outputs draws the Vega-Lite JSON itself.

A chart with a static print alternative (demos.print_alternative.with_static) gets its PNG drawn
from the static spec; its text/html adds an <img> of that PNG shown only in print (inline CSS)."""
from __future__ import annotations

import base64
import json
import os
from functools import lru_cache

from demos.print_alternative import (PRINT_CSS, SCREEN_CLASS, print_img, printed_spec, screen_spec,
                                     static_spec)

PNG_SCALE = 2          # fallback PNG at 2x the chart's CSS size: sharp in the A4 handout
LOCALE = "pt-BR"
CHART_CLASS = "vega-chart"     # deckbuild.pdf waits until every .vega-chart holds an <svg>

# Runs once, after the page is parsed (module scripts are deferred): exposes the libraries,
# then draws the queued charts and lets later pushes draw at once.
_BUNDLE_SNIPPET = """
window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;
const draw = (id) => {
  const el = document.getElementById(id);
  const spec = JSON.parse(document.getElementById(id + "-spec").textContent);
  return vegaEmbed(el, spec, {actions: false, renderer: "svg"})
    .catch((e) => { el.textContent = "Gráfico indisponível: " + e.message; });
};
const queued = Array.isArray(window.deckVega) ? window.deckVega : [];
window.deckVega = {push: draw};
queued.forEach(draw);
"""


def vegalite_major(schema: str) -> str:
    """"5" or "6": the Vega-Lite major version of a spec's $schema (v6 when unknown)."""
    return "5" if "/v5" in schema else "6"


def vegalite_mime(schema: str) -> str:
    """The mimetype Jupyter uses for a Vega-Lite spec of this $schema (v5 or v6)."""
    return f"application/vnd.vegalite.v{vegalite_major(schema)}+json"


def png_fallback(spec: dict) -> bytes:
    """A static PNG of a Vega-Lite spec, numbers and dates in pt-BR."""
    import vl_convert as vlc
    return vlc.vegalite_to_png(spec, scale=PNG_SCALE, format_locale=LOCALE, time_format_locale=LOCALE)


def quarto_mode() -> bool:
    """True unless the built-in engine runs the kernel (it sets DECK_ENGINE=builtin)."""
    return os.environ.get("DECK_ENGINE", "") != "builtin"


@lru_cache(maxsize=2)
def vega_bundle_js(major: str = "6") -> str:
    """Vega, Vega-Lite and Vega-Embed in one self-contained ES module (no network at all)."""
    import vl_convert as vlc
    kwargs = {"vl_version": "5.21"} if major == "5" else {}
    return vlc.javascript_bundle(_BUNDLE_SNIPPET, **kwargs).replace("</script", "<\\/script")


class ChartHtml:
    """text/html for Quarto: the first chart carries the JS bundle, each chart a fresh id; a
    chart with a print alternative also its <img> (and the first such chart the print CSS)."""

    def __init__(self):
        self.count = 0
        self.bundle_sent = False
        self.css_sent = False

    def __call__(self, spec: dict, png: bytes | None = None) -> str:
        self.count += 1
        ident = f"deck-vega-{self.count}"
        alt = str(spec.get("description", ""))
        printable = static_spec(spec) is not None and png is not None
        payload = json.dumps(screen_spec(spec), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        label = alt.replace('"', "&quot;").replace("<", "&lt;")
        classes = f"{CHART_CLASS} {SCREEN_CLASS}" if printable else CHART_CLASS
        parts = [f'<div id="{ident}" class="{classes}" role="figure" aria-label="{label}"></div>',
                 f'<script type="application/json" id="{ident}-spec">{payload}</script>',
                 f'<script>(window.deckVega = window.deckVega || []).push("{ident}");</script>']
        if printable:
            src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            parts.append(print_img(src, png, alt, PNG_SCALE))
            if not self.css_sent:
                parts.append(f"<style>{PRINT_CSS}</style>")
                self.css_sent = True
        if not self.bundle_sent:
            major = vegalite_major(spec.get("$schema", ""))
            parts.append(f'<script type="module">{vega_bundle_js(major)}</script>')
            self.bundle_sent = True
        return "\n".join(parts)


_chart_html = ChartHtml()


def deck_renderer(spec: dict, **_) -> dict:
    """Altair renderer: Vega-Lite JSON for the HTML deck plus a PNG for static outputs (of the
    static alternative when the chart has one; under Quarto also a self-contained text/html)."""
    png = png_fallback(printed_spec(spec))
    bundle = {vegalite_mime(spec.get("$schema", "")): spec,
              "image/png": base64.b64encode(png).decode("ascii"),
              "text/plain": "<Altair chart>"}
    if quarto_mode():
        bundle["text/html"] = _chart_html(spec, png)
    return bundle


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
