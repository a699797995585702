"""Playwright helpers shared by the deck tests (and handy for screenshots while editing slides).

The browser launch, the readiness check and the page opener come from test_browser.py; this
module adds what a check of the real deck needs per slide: show a slide with every fragment
visible, and measure it (overflow, text contrast, font sizes, alt text) in one evaluate call."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from test_browser import CHROMIUM, _open  # noqa: F401  (one launcher/opener for every browser test)

VIEWPORT = {"width": 1050, "height": 700}

# Show slide i with all its fragments (last fragment index), charts drawn, layout settled.
SHOW = """(i) => {
  const slide = Reveal.getSlides()[i];
  const idx = Reveal.getIndices(slide);
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  const frags = [...slide.querySelectorAll('.fragment')].map(f => +(f.dataset.fragmentIndex ?? 0));
  Reveal.slide(idx.h, idx.v, frags.length ? Math.max(...frags) : undefined);
  Reveal.layout();
  return frags.length;
}"""

# Colour helpers (WCAG 2 relative luminance, alpha blending) shared by the page scripts below.
COLOR_JS = r"""
  const rgba = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const v = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const lum = ([r, g, b]) => { const f = x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const blend = (top, under) => top[3] >= 1 ? top : [0, 1, 2].map(k => top[k] * top[3] + under[k] * (1 - top[3])).concat([1]);
  const ratio = (fg, bg) => { const [a, b] = [lum(blend(fg, bg)), lum(bg)].sort((x, y) => y - x); return (a + 0.05) / (b + 0.05); };
"""

# Measurements of the current slide. Secondary text (may be smaller, >= 14 px): the `.source`
# line, footer, slide number and chart internals (Vega SVG).
MEASURE = """() => {
  const slide = Reveal.getCurrentSlide();
  const box = document.querySelector('.reveal .slides').getBoundingClientRect();
  const shown = el => { const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && +s.opacity > 0.05; };
  const hiddenFold = el => { const d = el.closest('details'); return d && !d.open && !el.closest('summary'); };
  /*COLOR_JS*/
  const slideBg = () => {
    const bgs = document.querySelectorAll('.reveal .backgrounds .slide-background.present');
    let bg = rgba(getComputedStyle(document.querySelector('.reveal-viewport') || document.body).backgroundColor) || [255, 255, 255, 1];
    if (bg[3] === 0) bg = [255, 255, 255, 1];
    bgs.forEach(b => { const c = rgba(getComputedStyle(b).backgroundColor); if (c && c[3] > 0) bg = blend(c, bg); });
    return bg;
  };
  const base = slideBg();
  const backgroundOf = el => {            // nearest opaque-ish background going up, over the slide's
    const layers = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (e.classList && e.classList.contains('slides')) break;
    }
    return layers.reverse().reduce((under, top) => blend(top, under), base);
  };
  const svgBackground = el => {          // chart text: the mark under its centre, else the chart's box
    const under = backgroundOf(el.closest('svg').parentElement);
    const r = el.getBoundingClientRect();
    for (const e of document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2)) {
      if (!(e instanceof SVGElement) || e instanceof SVGSVGElement) break;
      if (e === el || e.contains(el) || e.tagName.toLowerCase() === 'text') continue;
      const st = getComputedStyle(e), c = rgba(st.fill);
      if (st.fill !== 'none' && c && c[3] > 0)
        return blend([c[0], c[1], c[2], c[3] * (+st.fillOpacity || 1) * (+st.opacity || 1)], under);
    }
    return under;
  };
  const ownText = el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const label = el => `<${el.tagName.toLowerCase()} class="${el.className.baseVal ?? el.className}"> `
                      + JSON.stringify((el.textContent || '').trim().slice(0, 40));
  const overflow = [], contrast = [], fonts = [], alts = [];
  const secondary = '.source, .footer, .slide-number, .vega-chart, .vega-embed, svg';
  slide.querySelectorAll('*').forEach(el => {
    if (el.closest('aside.notes, script, style') || hiddenFold(el)) return;
    if (el.parentElement && el.parentElement.closest('pre')) return;      // code scrolls in its <pre>
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
      overflow.push(label(el) + ` ${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.right)},${Math.round(r.bottom)}`);
  });
  const texts = [...slide.querySelectorAll('*'), ...document.querySelectorAll('.reveal .footer, .reveal .footer *, .reveal .slide-number, .reveal .slide-number *')];
  texts.forEach(el => {
    if (el.closest('aside.notes, script, style, title, desc') || hiddenFold(el) || !ownText(el)) return;
    let hidden = false;
    for (let e = el; e && e !== document.body; e = e.parentElement) if (e instanceof HTMLElement || e instanceof SVGElement) { if (!shown(e)) { hidden = true; break; } }
    if (hidden || el.getClientRects().length === 0) return;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize), bold = (+s.fontWeight || 400) >= 700;
    const inSvg = el instanceof SVGElement;
    const fg = rgba(inSvg ? s.fill : s.color);
    if (fg) {
      const bg = inSvg ? svgBackground(el) : backgroundOf(el);
      const r = ratio([fg[0], fg[1], fg[2], fg[3] * (inSvg ? (+s.fillOpacity || 1) : 1)], bg);
      const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
      if (r < need) contrast.push(label(el) + ` ${r.toFixed(2)}:1 < ${need} (${inSvg ? s.fill : s.color} on rgb(${bg.slice(0, 3).map(Math.round)}), ${size}px)`);
    }
    if (el.matches('p, li, td, th, figcaption, code, p *, li *, td *, th *, figcaption *') || el.closest(secondary)) {
      const min = el.closest(secondary) ? 14 : 20;
      if (size < min - 0.01) fonts.push(label(el) + ` ${size}px < ${min}px`);
    }
  });
  slide.querySelectorAll('img, .vega-figure, .vega-chart, svg').forEach(el => {
    if (el.closest('.vega-chart') && el.tagName.toLowerCase() === 'svg') return;   // the figure div is labelled
    if (el.closest('.vega-figure') && el.classList.contains('vega-chart')) return;
    if (el.tagName.toLowerCase() === 'svg' && el.closest('.vega-chart, .vega-embed')) return;
    const text = el.getAttribute('alt') || el.getAttribute('aria-label') || '';
    alts.push({tag: el.tagName.toLowerCase(), cls: String(el.className.baseVal ?? el.className), text});
  });
  return {box: [box.left, box.top, box.right, box.bottom], overflow, contrast, fonts, alts,
          title: (slide.querySelector('h1, h2') || {}).textContent || ''};
}""".replace("/*COLOR_JS*/", COLOR_JS)


# Print view (the slide PDF): the footer and each page number against their page's background.
PRINT_CHROME = """() => {
  /*COLOR_JS*/
  const out = [];
  const check = (el, page, what) => {
    const s = getComputedStyle(el), fg = rgba(s.color);
    let bg = [255, 255, 255, 1];
    const pageBg = page && page.querySelector('.slide-background');
    if (pageBg) { const c = rgba(getComputedStyle(pageBg).backgroundColor); if (c && c[3] > 0) bg = blend(c, bg); }
    for (let e = el; e && e !== page && e !== document.body; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { bg = blend(c, bg); break; }
    }
    out.push({what, text: el.textContent.trim().slice(0, 30),
              size: parseFloat(s.fontSize), ratio: ratio(fg, bg)});
  };
  document.querySelectorAll('.pdf-page').forEach(p => p.querySelectorAll('.slide-number-pdf').forEach(n => check(n, p, 'page number')));
  document.querySelectorAll('.reveal .footer p').forEach(f => check(f, null, 'footer'));
  return out;
}""".replace("/*COLOR_JS*/", COLOR_JS)


@contextmanager
def chromium():
    """A headless Debian Chromium (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


def slide_count(page) -> int:
    return page.evaluate("() => Reveal.getTotalSlides()")


def show_slide(page, i: int, settle_ms: int = 60) -> None:
    """Go to slide i with every fragment shown; give Vega and the layout a moment."""
    page.evaluate(SHOW, i)
    page.wait_for_timeout(settle_ms)


def measure_slide(page, i: int, open_code: bool = False) -> dict:
    """Overflow, contrast, font-size and alt-text findings for slide i (fragments shown;
    with open_code, every "Ver o código" fold opened as the audience would)."""
    show_slide(page, i)
    if open_code:
        page.evaluate("() => Reveal.getCurrentSlide().querySelectorAll('details').forEach(d => d.open = true)")
        page.wait_for_timeout(30)
    return page.evaluate(MEASURE)


def print_view_chrome(browser, html: Path) -> list[dict]:
    """Contrast of the page numbers and the footer in reveal.js's print view (the slide PDF)."""
    page = browser.new_page(viewport=VIEWPORT)
    page.emulate_media(media="print")
    page.goto(html.as_uri() + "?print-pdf")
    page.wait_for_function("() => document.querySelectorAll('.pdf-page .slide-number-pdf').length > 0", timeout=30000)
    result = page.evaluate(PRINT_CHROME)
    page.close()
    return result


def screenshot_slides(html: Path, out_dir: Path, only: list[int] | None = None) -> list[Path]:
    """PNG of every slide (or the `only` indices) at 1050×700, fragments shown."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = []
    with chromium() as browser:
        page, _ = _open(browser, html)
        for i in range(slide_count(page)):
            if only is None or i in only:
                show_slide(page, i, 400)
                shots.append(out_dir / f"slide-{i:02d}.png")
                page.screenshot(path=str(shots[-1]))
        page.close()
    return shots


if __name__ == "__main__":            # python tests/browser_utils.py _output/deck.html /tmp/shots [i ...]
    import sys
    only = [int(a) for a in sys.argv[3:]] or None
    for p in screenshot_slides(Path(sys.argv[1]).resolve(), Path(sys.argv[2]), only):
        print(p)
