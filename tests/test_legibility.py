"""Readable from the back row (issue 10): every slide of the built deck, all fragments shown, at a
1080p projector's size and at reveal.js' own 1050×700. Sizes are deck px (CSS px at the slide's
scale, SVG text as drawn). The time to the first slide is measured here only to be printed by
`make bench` (benchmarks/deck_bench.py); this file asserts sizes and layout, not speed."""
from __future__ import annotations

from pathlib import Path

import pytest

from test_deck import STEM, deck, slides  # noqa: F401  (the built deck, shared with test_deck)

ROOT = Path(__file__).resolve().parents[1]
VIEWPORTS = {"1080p": {"width": 1920, "height": 1080}, "reveal": {"width": 1050, "height": 700}}
MIN_TEXT = 16          # anywhere: sources, footer, slide number, legends
MIN_CHART_TEXT = 20    # chart axis, legend and data labels
MAX_EMPTY_BELOW = 1 / 3


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def legibility(request, deck):  # noqa: F811
    browser_utils = pytest.importorskip("browser_utils")
    from legibility import measure_deck
    with browser_utils.chromium() as browser:
        found = measure_deck(browser, (deck / f"{STEM}.html").as_uri(), VIEWPORTS[request.param],
                             browser_utils.show_slide)
    return found


def _where(slide: dict) -> str:
    return f"{slide['index']} {slide['title'][:40]}"


def test_every_slide_was_measured(legibility, slides):
    assert len(legibility) == len(slides)
    assert sum(bool(s["charts"]) for s in legibility) >= 20        # the chart slides were drawn
    assert all(s["fonts"] for s in legibility)                     # text found on each (footer at least)


def test_no_text_under_16_deck_px(legibility):
    small = {_where(s): [(round(f["size"], 1), f["what"]) for f in s["fonts"] if f["size"] < MIN_TEXT]
             for s in legibility}
    assert {k: v for k, v in small.items() if v} == {}


def test_chart_labels_at_least_20_deck_px(legibility):
    small = {_where(s): [(round(f["size"], 1), f["what"]) for f in s["fonts"]
                         if f["svg"] and f["size"] < MIN_CHART_TEXT - 0.5] for s in legibility}
    assert {k: v for k, v in small.items() if v} == {}


def test_footer_and_slide_number_are_measured_and_scale(legibility):
    chrome = [f for s in legibility for f in s["fonts"] if f["chrome"]]
    assert len(chrome) >= len(legibility)                          # footer or number on every slide
    assert min(f["size"] for f in chrome) >= MIN_TEXT + 3          # 20 px at the slide's scale


def test_charts_leave_no_empty_third_below(legibility):
    empty = {_where(s): round(s["emptyBelow"], 2) for s in legibility
             if s["charts"] and s["emptyBelow"] is not None and s["emptyBelow"] > MAX_EMPTY_BELOW}
    assert empty == {}


def test_chart_labels_do_not_collide(legibility):
    assert {_where(s): s["overlaps"] for s in legibility if s["overlaps"]} == {}


def test_footer_never_runs_into_the_logo(legibility):
    assert [_where(s) for s in legibility if s["footerOnLogo"]] == []


def test_measure_finds_small_text_and_collisions(tmp_path):
    """The measure itself: a page with a 12 px line, two labels drawn on top of each other and a
    short chart must be reported as such (so a green run means something)."""
    browser_utils = pytest.importorskip("browser_utils")
    from legibility import measure_deck
    from deckbuild.revealjs import node_modules
    reveal = node_modules(ROOT) / "reveal.js" / "dist"
    page = tmp_path / "probe.html"
    page.write_text(f"""<!doctype html><html><head><link rel="stylesheet" href="{reveal.as_uri()}/reveal.css">
<script src="{reveal.as_uri()}/reveal.js"></script></head><body><div class="reveal"><div class="slides">
<section><h2>Probe</h2><p style="font-size:12px">tiny</p>
<div class="vega-chart"><svg width="400" height="80"><text x="10" y="40" font-size="24">sobre</text>
<text x="12" y="42" font-size="24">sobre</text></svg></div></section></div></div>
<script>Reveal.initialize({{width: 1050, height: 700}});</script></body></html>""", encoding="utf-8")
    with browser_utils.chromium() as browser:
        [s] = measure_deck(browser, page.as_uri(), VIEWPORTS["1080p"], browser_utils.show_slide)
    assert min(f["size"] for f in s["fonts"]) == pytest.approx(12, abs=0.5)
    assert s["overlaps"] == 1
    assert s["emptyBelow"] > MAX_EMPTY_BELOW


LABEL_BOXES = """(fig) => [...fig.querySelectorAll('svg text')].filter(t => t.textContent.trim()
    && +getComputedStyle(t).opacity > 0.05 && getComputedStyle(t).visibility !== 'hidden'
    && !/rotate\\((?!0)/.test(t.getAttribute('transform') || ''))
  .map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })
  .filter(b => b[3] > b[1])"""


def _collisions(boxes) -> list[tuple[str, str]]:
    hits = []
    for i, (a, *ra) in enumerate(boxes):
        for b, *rb in boxes[i + 1:]:
            ix = min(ra[2], rb[2]) - max(ra[0], rb[0])
            iy = min(ra[3], rb[3]) - max(ra[1], rb[1])
            if ix > 1 and iy > 1:
                hits.append((a, b))
    return hits


def test_3d_view_labels_never_collide_at_any_angle_and_dragging_turns_it(deck):  # noqa: F811
    browser_utils = pytest.importorskip("browser_utils")
    from demos.embedding_3d import STEP
    with browser_utils.chromium() as browser:
        page, _ = browser_utils._open(browser, deck / f"{STEM}.html")
        i = page.evaluate("() => Reveal.getSlides().findIndex(s => s.querySelector('h2')?.textContent === '3 dimensões')")
        browser_utils.show_slide(page, i)
        page.wait_for_selector("section.present .vega-figure svg")
        fig = page.query_selector("section.present .vega-figure")
        view = "(fig) => window.deckCharts.draw(fig)"           # the figure's View (a promise)
        found = {}
        for angle in range(0, 360, STEP):
            page.evaluate(f"async (fig) => {{ await (await ({view})(fig)).signal('giro', {angle}).runAsync(); return 1; }}", fig)
            page.wait_for_timeout(30)
            found[angle] = _collisions(page.evaluate(LABEL_BOXES, fig))
        before = page.evaluate(f"async (fig) => (await ({view})(fig)).signal('giro')", fig)
        box = page.locator("section.present .vega-figure svg").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 120, y, steps=6)
        page.mouse.up()
        after = page.evaluate(f"async (fig) => (await ({view})(fig)).signal('giro')", fig)
        page.close()
    assert {a: hits for a, hits in found.items() if hits} == {}
    assert after != before                                       # dragging turned the view


SWEEP = """async (fig) => {
  const spec = window.deckCharts.specOf(fig);
  const sliders = (spec.params || []).filter(p => p.bind && p.bind.input === 'range');
  const view = await window.deckCharts.draw(fig);
  const svg = () => fig.querySelector('.vega-chart svg');
  const where = () => { const s = svg(), r = s.getBoundingClientRect();
    const t = s.querySelector('.role-title-text text, .role-title-text');      // the chart's title
    const b = t.getBoundingClientRect(); return [Math.round(b.left - r.left), Math.round(r.width), Math.round(r.height)]; };
  const found = [];
  for (const p of sliders) {
    const start = view.signal(p.name), before = where();
    for (const v of [p.bind.min, p.bind.max, start]) {
      await view.signal(p.name, v).runAsync();
      found.push([p.name, v, before, where()]);
    }
  }
  return found;
}"""


def test_moving_a_slider_never_shifts_the_chart(deck):  # noqa: F811
    """Sliders (temperature, layer, epoch, 3-D turn) redraw data only: the chart's title and the
    SVG's size stay put at both ends of the range."""
    browser_utils = pytest.importorskip("browser_utils")
    with browser_utils.chromium() as browser:
        page, _ = browser_utils._open(browser, deck / f"{STEM}.html")
        figures = page.evaluate("() => Reveal.getSlides().map((s, i) => [i, s.querySelectorAll('.vega-figure').length])")
        moved, swept = [], 0
        for i, n in figures:
            if not n:
                continue
            browser_utils.show_slide(page, i)
            for fig in page.query_selector_all("section.present .vega-figure"):
                for name, value, before, after in page.evaluate(SWEEP, fig):
                    swept += 1
                    if before != after:
                        moved.append((i, name, value, before, after))
        page.close()
    assert swept >= 12                       # temperature, attention, toy network, 3-D (3 values each)
    assert moved == []
