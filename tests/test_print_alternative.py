"""Static print alternatives (demos.print_alternative.with_static): the renderer's PNG is the
static chart, the chart's HTML (the same under both engines) holds the interactive div and a
print-only <img> with the chart's own alt text, and in Chromium the screen shows the interactive
chart while `?print-pdf` (and print media) show the image. The browser part builds
tests/fixtures/mini/slides/print-alternative.qmd."""
from __future__ import annotations

import base64
import functools
import io
import json
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from PIL import Image

from deckbuild.document import Cell, Document
from deckbuild.outputs import FigureSink, outputs_markdown
from demos import render_setup
from demos.print_alternative import USERMETA_KEY, static_spec, with_static

VL6 = "application/vnd.vegalite.v6+json"
ALT = "Barras com controle; impresso como pontos"
FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def _charts():
    df = pd.DataFrame({"label": ["a", "b", "c"], "value": [1.0, 3.0, 2.0]})
    k = alt.param(name="k", value=1.0, bind=alt.binding_range(min=0.5, max=2.0, step=0.5))
    live = alt.Chart(df).mark_bar().encode(x="label:N", y="v:Q").transform_calculate(
        v="datum.value * k").add_params(k).properties(width=500, height=320)
    fixed = alt.Chart(df).mark_point().encode(x="label:N", y="value:Q").properties(width=260, height=150)
    return live, fixed


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


@functools.lru_cache(maxsize=None)
def _pngs() -> tuple[dict, bytes, bytes, bytes]:
    """(spec with alternative, its bundle PNG, PNG of the static spec alone, PNG of the live one)."""
    import vl_convert as vlc
    live, fixed = _charts()
    spec = with_static(live, fixed).properties(description=ALT).to_dict()
    bundle = render_setup.deck_renderer(spec)
    draw = functools.partial(vlc.vegalite_to_png, scale=render_setup.PNG_SCALE)
    return spec, base64.b64decode(bundle["image/png"]), draw(fixed.to_dict()), draw(live.to_dict())


@pytest.fixture
def builtin_env(monkeypatch):
    monkeypatch.setenv("DECK_ENGINE", "builtin")


def test_png_fallback_is_the_static_alternative(builtin_env):
    spec, png, static_png, live_png = _pngs()
    assert static_spec(spec)["mark"]["type"] == "point"
    assert _size(png) == _size(static_png) != _size(live_png)
    assert _size(png) != (500 * 2, 320 * 2)


def test_plain_chart_keeps_its_own_png(builtin_env):
    live, _ = _charts()
    spec = live.to_dict()
    assert static_spec(spec) is None
    png = base64.b64decode(render_setup.deck_renderer(spec)["image/png"])
    assert _size(png) == _size(_pngs()[3])


def test_with_static_refuses_other_things():
    live, _ = _charts()
    with pytest.raises(TypeError, match="with_static"):
        with_static(live, "not a chart")


class Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, cls: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag and cls in (a.get("class") or "").split()]


def _run(tmp_path: Path, bundle: dict, target: str) -> tuple[str, Path]:
    doc = Document(path=tmp_path / "d.qmd", root=tmp_path, profile="default", metadata={})
    cell = Cell(source="chart", options={}, file="d.qmd", line=1)
    sink = FigureSink(tmp_path / "fig", "fig")
    pieces = outputs_markdown(doc, cell, [{"output_type": "display_data", "data": bundle}], sink, target)
    assert len(pieces) == 1
    return pieces[0], tmp_path


def test_outputs_emit_interactive_div_and_print_image(tmp_path, builtin_env):
    spec, png, _, _ = _pngs()
    bundle = render_setup.deck_renderer(spec)
    assert "text/html" not in bundle, "under Quarto a text/html output adds CDN scripts"
    text, root = _run(tmp_path, bundle, "html")
    assert "quarto-html-table-processing: none" in text and "```{=html}" in text
    tags = Tags(text)
    [chart] = tags.find("div", "vega-chart")
    assert "deck-screen-only" in chart["class"].split()
    [img] = tags.find("img", "deck-print-only")
    assert img["alt"] == ALT and tags.find("div", "vega-figure")[0]["aria-label"] == ALT
    assert base64.b64decode(img["src"].split(",", 1)[1]) == png
    w, h = _size(png)
    assert (int(img["width"]), int(img["height"])) == (w // 2, h // 2)
    payload = re.search(r'<script type="application/json" class="vega-spec"[^>]*>(.*?)</script>', text, re.S)
    drawn = json.loads(payload.group(1).replace("<\\/", "</"))
    assert USERMETA_KEY not in json.dumps(drawn) and drawn["params"][0]["name"] == "k"
    assert drawn["description"] == ALT


def test_fig_alt_on_a_chart_cell_is_refused(tmp_path, builtin_env):
    """Quarto applies fig-alt to image outputs only: the chart's alt text is its own description."""
    from deckbuild.document import DeckError
    spec, _, _, _ = _pngs()
    doc = Document(path=tmp_path / "d.qmd", root=tmp_path, profile="default", metadata={})
    cell = Cell(source="chart", options={"fig-alt": "outro texto"}, file="d.qmd", line=3)
    with pytest.raises(DeckError, match=r"d\.qmd:3: `fig-alt` applies to image outputs only"):
        outputs_markdown(doc, cell, [{"output_type": "display_data", "data": render_setup.deck_renderer(spec)}],
                         FigureSink(tmp_path / "fig", "fig"), "html")


def test_outputs_without_alternative_emit_no_image(tmp_path, builtin_env):
    live, _ = _charts()
    text, _ = _run(tmp_path, render_setup.deck_renderer(live.to_dict()), "html")
    assert "<img" not in text and "deck-screen-only" not in text


def test_handout_uses_the_static_png(tmp_path, builtin_env):
    spec, png, _, _ = _pngs()
    text, root = _run(tmp_path, render_setup.deck_renderer(spec), "handout")
    url = re.search(r"!\[\]\(([^)]+)\)\{width=80%\}", text).group(1)
    assert (root / url).read_bytes() == png


# ---------------------------------------------------------------- in Chromium

@functools.lru_cache(maxsize=None)
def _built_alternative() -> Path:
    """The fixture project with only slides/print-alternative.qmd rendered (HTML, no PDFs)."""
    import atexit

    from deckbuild.build import Progress, build
    base = Path(tempfile.mkdtemp(prefix="deck-printalt-"))
    atexit.register(shutil.rmtree, base, True)
    root = base / "mini"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("_output*", ".deck-cache", ".*.tmp-*"))
    config = root / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    - slides/mini.qmd", "    - slides/print-alternative.qmd"), encoding="utf-8")
    build(root, engine="builtin", pdf=False, handout=False, progress=Progress(quiet=True))
    return root / "_output" / "print-alternative.html"


@pytest.fixture(scope="module")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    from test_browser import CHROMIUM
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_factory(chromium):
    html = _built_alternative()

    def open_page(query: str = ""):
        page = chromium.new_page(viewport={"width": 1050, "height": 700})
        page.goto(html.as_uri() + query + "#/1")
        page.wait_for_function("() => window.Reveal && Reveal.isReady() && "
                               "document.querySelector('.vega-chart svg')", timeout=30000)
        return page
    return open_page


STATE = """() => {
  const vis = el => { const r = el.getBoundingClientRect();
    return getComputedStyle(el).display !== 'none' && r.width > 0 && r.height > 0; };
  const chart = document.querySelector('.vega-chart'), img = document.querySelector('img.deck-print-only');
  return {chart: vis(chart), slider: vis(chart.querySelector('input[type=range]') || chart),
          img: vis(img), alt: img.alt, complete: img.complete && img.naturalWidth > 0,
          width: Math.round(img.getBoundingClientRect().width), natural: img.naturalWidth,
          printClass: document.documentElement.classList.contains('print-pdf')};
}"""


def test_screen_shows_the_interactive_chart(page_factory):
    page = page_factory()
    s = page.evaluate(STATE)
    assert (s["chart"], s["slider"], s["img"], s["printClass"]) == (True, True, False, False)
    assert s["alt"] == "Barras com um controle de fator; impresso como pontos fixos"
    page.emulate_media(media="print")                    # the browser's own print dialog
    assert page.evaluate(STATE)["img"] is True and page.evaluate(STATE)["chart"] is False
    page.close()


def test_print_pdf_shows_the_static_image(page_factory):
    page = page_factory("?print-pdf")
    page.wait_for_function("() => document.querySelectorAll('.pdf-page').length > 0", timeout=30000)
    page.wait_for_function("() => document.querySelector('img.deck-print-only').complete", timeout=10000)
    s = page.evaluate(STATE)
    assert (s["printClass"], s["chart"], s["img"], s["complete"]) == (True, False, True, True)
    assert s["width"] == s["natural"] // 2               # drawn at the static chart's CSS size
    page.close()


def test_runtime_css_switches_in_print(chromium):
    """The print switch is the runtime's CSS (demos/web/deck.css), the same under both engines."""
    from demos.runtime import runtime_css
    spec, png, _, _ = _pngs()
    page = chromium.new_page()
    page.set_content(f"<html><body><div class='reveal'><style>{runtime_css()}</style>"
                     f"{render_setup.chart_html(spec, png)}</div></body></html>")
    shown = ("() => ['.vega-chart', 'img.deck-print-only'].map(s => "
             "getComputedStyle(document.querySelector(s)).display !== 'none')")
    assert page.evaluate(shown) == [True, False]
    page.evaluate("() => document.documentElement.classList.add('print-pdf')")     # reveal.js ?print-pdf
    assert page.evaluate(shown) == [False, True]
    page.evaluate("() => document.documentElement.classList.remove('print-pdf')")
    page.emulate_media(media="print")
    assert page.evaluate(shown) == [False, True]
    page.close()


# ---------------------------------------------------------------- the deck's interactive charts

def _deck_charts():
    """The three interactive charts of the deck, on synthetic data the size of the slides'."""
    import numpy as np

    from demos.attention import Attention
    from demos.attention_charts import attention_chart
    from demos.embedding_charts import projection_chart
    from demos.next_token_charts import temperature_chart
    rng = np.random.default_rng(0)
    logits = pd.DataFrame({"rank": range(1, 31), "token": [f" tok{i}" for i in range(30)],
                           "token_id": range(30), "logit": np.sort(rng.normal(10, 2, 30))[::-1]})
    w = np.tril(rng.random((3, 2, 15, 15)))
    tokens = ["<bos>", "O", "␣gato", "␣sent", "ou", "␣no", "␣tap", "ete", "␣porque", "␣ele", "␣estava",
              "␣cans", "ado", "␣e", "␣dormiu"]              # Gemma's pieces of the slide's sentence
    att = Attention(tokens=tokens, weights=w / w.sum(-1, keepdims=True))
    words = pd.DataFrame({"word": ["king", "queen", "paris", "rome", "france"],
                          "x": rng.normal(size=5), "y": rng.normal(size=5), "z": rng.normal(size=5)})
    return {"temperature": temperature_chart(logits), "attention": attention_chart(att),
            "3d": projection_chart(words)}


@pytest.mark.parametrize("name", ["temperature", "attention", "3d"])
def test_deck_charts_print_a_static_figure_that_fits(name, builtin_env):
    spec = _deck_charts()[name].to_dict()
    static = static_spec(spec)
    assert static is not None and spec["params"] and not any("bind" in p for p in static.get("params", []))
    png = base64.b64decode(render_setup.deck_renderer(spec)["image/png"])
    w, h = (v / render_setup.PNG_SCALE for v in _size(png))
    assert w <= 1000 and h <= 540, (w, h)                # room under a slide title (1050×700)
