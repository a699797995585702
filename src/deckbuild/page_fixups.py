"""Last steps on a built deck, the same for both engines: pages that work offline and on phones.

- Every SVG image gets the deck-font subsets it needs embedded (deckbuild.fonts), in the output
  folder's files and in the data: URIs of the single-file copy, so diagrams and the logo look the
  same on any machine (an <img> cannot use the page's web fonts).
- The viewport lets phones zoom: Quarto's template (and reveal.js examples) disable pinch-zoom
  with `maximum-scale=1.0, user-scalable=no`.
- A page that would load anything from the network fails the build: one line naming the page and
  the first remote URL (scripts, styles, images, fonts, frames, CSS url()). Links (<a href>) are
  navigation, not loads, and are allowed.
- A page with charts but without the deck runtime (demos.runtime, the deck's last cell) fails:
  its charts would stay empty."""
from __future__ import annotations

import base64
import re
from pathlib import Path

from deckbuild.document import DeckError
from deckbuild.fonts import embed_svg_fonts

_VIEWPORT = re.compile(r'<meta\s+name="viewport"\s+content="[^"]*"\s*/?>', re.I)
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
_SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
_REMOTE = [re.compile(p, re.I | re.S) for p in (
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\ssrc=[\"']((?:https?:)?//[^\"']+)",
    r"<link\b(?=[^>]*\brel=[\"']?(?:stylesheet|preload|modulepreload|icon))[^>]*?\shref=[\"']((?:https?:)?//[^\"']+)",
    r"\bdata-background-(?:image|video|iframe)=[\"']((?:https?:)?//[^\"']+)",
    r"url\(\s*[\"']?((?:https?:)?//[^\"')]+)",
    r"@import\s+[\"']((?:https?:)?//[^\"']+)")]


def allow_zoom(page: str) -> str:
    return _VIEWPORT.sub(VIEWPORT, page, count=1)


def remote_loads(page: str) -> list[str]:
    """URLs the page would fetch from the network (script bodies are not looked at)."""
    markup = re.sub(r"(<script\b[^>]*>).*?(</script\s*>)", r"\1\2", page, flags=re.I | re.S)
    return [m.group(1) for rx in _REMOTE for m in rx.finditer(markup)]


def check_offline(page: str, name: str) -> None:
    found = remote_loads(page)
    if found:
        raise DeckError(f"the page would load {found[0]} from the network ({len(found)} remote "
                        "load(s)): the deck must work offline; save the file into assets/ (a cell "
                        "with a text/html output makes Quarto add CDN scripts)", name)


def _svg_uri(m: re.Match, nm: Path) -> str:
    svg = base64.b64decode(m.group(1)).decode("utf-8", errors="replace")
    fixed = embed_svg_fonts(svg, nm)
    if fixed is svg or fixed == svg:
        return m.group(0)
    return "data:image/svg+xml;base64," + base64.b64encode(fixed.encode("utf-8")).decode("ascii")


def check_runtime(page: str, name: str) -> None:
    if 'class="vega-figure"' in page and "deck-runtime" not in page:
        raise DeckError("the page has charts but not the deck runtime that draws them: end the deck "
                        "with a cell `#| output: asis` calling demos.runtime.deck_runtime() "
                        "(slides/_runtime.qmd)", name)


def finalize_page(path: Path, nm: Path) -> None:
    """Zoomable viewport, fonts in inline SVG images, and the offline and runtime checks, in place."""
    page = path.read_text(encoding="utf-8")
    page = _SVG_URI.sub(lambda m: _svg_uri(m, nm), allow_zoom(page))
    check_offline(page, path.name)
    check_runtime(page, path.name)
    path.write_text(page, encoding="utf-8")


def finalize_folder(out: Path, nm: Path) -> None:
    """Embed fonts into the SVG files of a built deck folder (libraries left alone)."""
    for svg in sorted(Path(out).rglob("*.svg")):
        if "libs" in svg.relative_to(out).parts:
            continue
        text = svg.read_text(encoding="utf-8")
        fixed = embed_svg_fonts(text, nm)
        if fixed != text:
            svg.write_text(fixed, encoding="utf-8")
