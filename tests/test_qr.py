"""QR codes decode back to their URL (zxing-cpp), from the SVG and from the PNG."""
import io
import re

import pytest
import zxingcpp
from PIL import Image

from demos.qr import DARK, LIGHT, QUIET_ZONE, make_qr, qr_png, qr_svg

URLS = ["https://github.com/Zjh-819/LLMDataHub",
        "https://example.org/palestra?evento=agile-trends&ano=2026#slides"]


def decode(image):
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("url", URLS)
def test_svg_decodes_to_the_url(url):
    import vl_convert as vlc
    svg = qr_svg(url)
    png = vlc.svg_to_png(svg)                      # rasterise the very SVG the slide shows
    assert decode(Image.open(io.BytesIO(png))) == [url]


@pytest.mark.parametrize("url", URLS)
def test_png_decodes_to_the_url(url, tmp_path):
    path = qr_png(url, tmp_path / "sub" / "qr.png")
    assert path.exists()
    assert decode(Image.open(path)) == [url]


def test_svg_is_dark_on_light_with_a_quiet_zone():
    url = URLS[0]
    svg = qr_svg(url, scale=8)
    assert svg.startswith("<svg") and "<?xml" not in svg
    paths = re.findall(r' d="([^"]+)"', svg)
    assert paths and max(len(p) for p in paths) > 200      # the module path is really there
    assert DARK.lower() in svg.lower()
    assert 'fill="#fff"' in svg or LIGHT.lower() in svg.lower()
    version = make_qr(url).version                          # modules per side = 17 + 4 * version
    side = (17 + 4 * version + 2 * QUIET_ZONE) * 8
    assert f'width="{side}" height="{side}" viewBox="0 0 {side} {side}"' in svg


def test_png_has_light_border_of_quiet_zone(tmp_path):
    path = qr_png(URLS[0], tmp_path / "qr.png", scale=10)
    im = Image.open(path).convert("L")
    border = QUIET_ZONE * 10
    strip = [im.getpixel((x, y)) for x in range(im.width) for y in range(border)]
    assert min(strip) > 200                                 # no dark module inside the quiet zone
    assert min(im.getpixel((x, border + 5)) for x in range(im.width)) < 80


def test_empty_url_is_refused():
    with pytest.raises(ValueError, match="empty URL"):
        qr_svg("  ")
