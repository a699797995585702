"""The built fixture deck in a real browser (Playwright + Debian's /usr/bin/chromium, never a
downloaded browser): offline from file://, no console errors, every slide's content inside the
slide box, the Altair chart drawn (also after revisiting), plugins and speaker view working."""
from __future__ import annotations

from pathlib import Path

import pytest

from test_build import built, expected_notes  # noqa: F401

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (make setup)", allow_module_level=True)

READY = "() => window.Reveal && Reveal.isReady() && [...document.querySelectorAll('.vega-chart')].every(c => c.querySelector('svg'))"
OVERFLOW = """() => {
  const box = document.querySelector('.reveal .slides').getBoundingClientRect();
  const bad = [];
  Reveal.getSlides().forEach((slide, i) => {
    Reveal.slide(i);
    Reveal.layout();
    slide.querySelectorAll('*').forEach(el => {
      if (el.closest('aside.notes') || el.closest('script')) return;
      const fold = el.closest('details');                  // folded code is not shown
      if (fold && !fold.open && !el.closest('summary')) return;
      if (el.parentElement && el.parentElement.closest('pre')) return;   // code scrolls inside its <pre>
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        bad.push(`slide ${i} <${el.tagName.toLowerCase()} class="${el.className.baseVal ?? el.className}">`
                 + ` ${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.right)},${Math.round(r.bottom)}`);
    });
  });
  return {box: [box.left, box.top, box.right, box.bottom], bad};
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1050, "height": 700})
    log = {"errors": [], "requests": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url)
            if not r.url.startswith(("file:", "data:", "blob:", "about:")) else None)
    page.goto(path.as_uri())
    page.wait_for_function(READY, timeout=20000)
    return page, log


@pytest.mark.parametrize("name", ["mini.html", "mini-standalone.html"])
def test_offline_without_errors(browser, built, name):
    page, log = _open(browser, built[0] / "_output" / name)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert log["errors"] == []
    assert log["requests"] == []
    page.close()


def test_every_slide_fits(browser, built):
    page, _ = _open(browser, built[0] / "_output" / "mini.html")
    result = page.evaluate(OVERFLOW)
    box = result["box"]
    assert box[2] - box[0] > 500 and box[3] - box[1] > 300     # the slide box was measured
    assert result["bad"] == []
    page.close()


def test_altair_chart_drawn_and_redrawn(browser, built):
    import csv
    rows = list(csv.DictReader(open(built[0] / "data" / "values.csv", encoding="utf-8")))
    page, _ = _open(browser, built[0] / "_output" / "mini.html")
    count = "() => document.querySelectorAll('.vega-chart svg .mark-rect path').length"
    assert page.evaluate(count) == len(rows)
    idx = page.evaluate("() => Reveal.getSlides().findIndex(s => s.querySelector('.vega-chart'))")
    for target in (idx, 0, idx + 1, idx):                       # leave the slide and come back
        page.evaluate(f"() => Reveal.slide({target})")
        page.wait_for_timeout(150)
    assert page.evaluate(count) == len(rows)
    labels = page.evaluate("() => { const s = document.querySelector('.vega-chart svg');"
                           " return [s.closest('.vega-chart').getAttribute('aria-label'), s.closest('.vega-figure').getAttribute('aria-label')]; }")
    assert labels == ["Barras com os valores Alfa, Beta e Gama"] * 2
    ticks = page.evaluate("() => [...document.querySelectorAll('.vega-chart svg text')].map(t => t.textContent)")
    assert "1.200" in ticks                                     # pt-BR thousands separator
    page.close()


def test_plugins_and_speaker_view(browser, built):
    page, _ = _open(browser, built[0] / "_output" / "mini.html")
    assert page.evaluate("() => ['notes', 'menu', 'RevealChalkboard'].map(p => Reveal.hasPlugin(p))") == [True] * 3
    with page.expect_popup(timeout=10000) as popup_info:
        page.keyboard.press("s")
    popup = popup_info.value
    want = " ".join(expected_notes()[1].split())       # notes of slide 2 (the incremental list)
    seen = ""
    for i in range(60):                                # poll: the popup is written with document.write()
        popup.wait_for_timeout(250)
        if i in (8, 24):
            page.evaluate(f"() => {{ Reveal.slide({1 if i == 8 else 3}); Reveal.slide(2); }}")  # it follows
        seen = " ".join(popup.evaluate("() => document.body ? document.body.innerText : ''").split())
        if want in seen:
            break
    assert want in seen
    popup.close()
    page.close()


def test_logo_and_footer_visible(browser, built):
    page, _ = _open(browser, built[0] / "_output" / "mini.html")
    logo = page.locator("img.slide-logo")
    assert logo.is_visible() and page.evaluate("() => document.querySelector('img.slide-logo').naturalWidth") > 0
    assert "Evento de Teste" in page.locator(".footer").inner_text()
    page.close()
