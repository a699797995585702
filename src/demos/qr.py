"""QR codes for slides, made offline with `segno`: an inline SVG for HTML and a PNG for PDFs.

Dark modules on a light background with the standard 4-module quiet zone, so phones
read them from a projector as well as from paper. `qr_link` is what a slide shows: the code as
a link to its address (clickable in the deck and the slide PDF), and in the handout the code
with the address printed as a link under it."""
from __future__ import annotations

import html
import io
import re
from pathlib import Path

from demos.config import setting
from demos.display import RawHtml, raw_typst_block, typst_string
from demos.style import PALETTE
from demos.tables import labelled_svg

DARK = PALETTE["ink"]  # the deck's default ink (navy), not an event colour: contrast is guaranteed
LIGHT = "#FFFFFF"
QUIET_ZONE = 4      # modules; the QR standard's minimum
EVENT_QR_ALT = "QR code para o repositório com os slides, o código das demos e as fontes"


def make_qr(url: str, error: str = "m"):
    """The `segno.QRCode` for `url` (error correction M: survives a little glare)."""
    import segno
    if not url or not url.strip():
        raise ValueError("qr: empty URL; pass the address the QR code should open")
    return segno.make(url.strip(), error=error, micro=False)


def qr_svg(url: str, scale: int = 8, title: str | None = None) -> str:
    """An inline `<svg>` string (no XML declaration) for `url`; width/height from `scale`."""
    buf = io.BytesIO()
    make_qr(url).save(buf, kind="svg", scale=scale, border=QUIET_ZONE, dark=DARK, light=LIGHT,
                      xmldecl=False, svgns=True, title=title or url, nl=False)
    svg = buf.getvalue().decode("utf-8")
    # A viewBox lets the slide CSS resize the code without blurring it.
    m = re.search(r'width="(\d+)" height="(\d+)"', svg)
    return svg.replace(m.group(0), f'{m.group(0)} viewBox="0 0 {m.group(1)} {m.group(2)}"', 1)


def qr_png(url: str, path: str | Path, scale: int = 10) -> Path:
    """Write a PNG of the QR code for `url` to `path` (for PDFs and the handout)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    make_qr(url).save(str(path), kind="png", scale=scale, border=QUIET_ZONE, dark=DARK, light=LIGHT)
    return path


def qr_link(url: str, alt: str, large: bool = False, scale: int = 3) -> RawHtml:
    """The QR code for `url` as a link to it, labelled with `alt` (pt-BR alt text); `large`
    gives it the bigger slide size (class qr-large)."""
    url = url.strip() if url else url
    svg = labelled_svg(qr_svg(url, scale=scale), alt, "qr-code qr-large" if large else "qr-code").html
    href = html.escape(url, quote=True)
    handout = raw_typst_block(f"#link({typst_string(url)})[#image(bytes({typst_string(qr_svg(url, scale=scale))}),"
                              f' format: "svg", width: {"4cm" if large else "3cm"}, alt: {typst_string(alt)})]')
    return RawHtml(f'<a class="qr-link" href="{href}">{svg}</a>', handout=handout)


def event_qr(large: bool = False) -> RawHtml:
    """The QR code of this event's handout address (`event.handout-url` in the profile)."""
    url = setting("event.handout-url")
    if not url:
        raise ValueError("qr: event.handout-url is not set; add it to the event profile (_quarto-<event>.yml)")
    return qr_link(url, EVENT_QR_ALT, large)
