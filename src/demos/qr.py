"""QR codes for slides, made offline with `segno`: an inline SVG for HTML and a PNG for PDFs.

Dark modules on a light background with the standard 4-module quiet zone, so phones
read them from a projector as well as from paper."""
from __future__ import annotations

import io
import re
from pathlib import Path

from demos.style import PALETTE

DARK = PALETTE["ink"]  # the deck's default ink (navy), not an event colour: contrast is guaranteed
LIGHT = "#FFFFFF"
QUIET_ZONE = 4      # modules; the QR standard's minimum


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
