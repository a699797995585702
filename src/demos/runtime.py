"""The deck's browser runtime, shipped by one cell at the end of the deck: `deck_runtime()`.

It is one `<script type="module">`: Vega, Vega-Lite and Vega-Embed bundled by vl-convert (no CDN,
no network) around the deck's own scripts in `demos/web/*.js` (lazy chart drawing, live demos,
presenter keys), and the CSS of the markup demos emit (demos/web/deck.css). Because it travels as a cell output (demos.display: a raw-HTML Markdown block)
it reaches the page the same way under Quarto and under the built-in engine, in the folder deck
and in the single-file copy. Module scripts run after the page is parsed, so the charts and
controls it drives may come before it in the document."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from demos.display import RawHtml

WEB = Path(__file__).with_name("web")
SCRIPTS = ("charts.js", "keys.js", "live.js")   # concatenated into the bundle's entry module


def _read(name: str) -> str:
    """A file of demos/web, recorded as read (the cell cache re-runs the runtime cell when it changes)."""
    from demos.config import record_read
    path = (WEB / name).resolve()
    record_read(f"file:{path}")
    return path.read_text(encoding="utf-8")


def runtime_source() -> str:
    """The deck's own JavaScript (before bundling)."""
    return "\n".join(_read(name) for name in SCRIPTS)


@lru_cache(maxsize=4)
def _bundle(source: str, vl_version: str | None) -> str:
    import vl_convert as vlc
    kwargs = {"vl_version": vl_version} if vl_version else {}
    return vlc.javascript_bundle(source, **kwargs).replace("</script", "<\\/script")


def runtime_js(vl_version: str | None = None) -> str:
    """The bundled module: the Vega libraries plus runtime_source(), safe inside <script>."""
    return _bundle(runtime_source(), vl_version)


def runtime_css() -> str:
    """The CSS of the markup demos emit (demos/web/deck.css)."""
    return _read("deck.css")


def deck_runtime() -> RawHtml:
    """The cell output that carries the runtime (invisible; put it on the last slide)."""
    return RawHtml(f'<style class="deck-runtime-css">{runtime_css()}</style>\n'
                   f'<script type="module" class="deck-runtime">{runtime_js()}</script>')
