"""What an audience at the back of the room sees, measured per slide in Chromium (issue 10):
the smallest text in *deck px* (CSS px at the slide's own scale: HTML text, the SVG text of
charts as drawn, the footer and the slide number), the share of the space under the title that
each chart uses and the empty band left under the content, overlapping chart labels, the
footer running into the logo, and how long until the first slide shows. Used by
tests/test_legibility.py and benchmarks (smallest font, time to first slide)."""
from __future__ import annotations

import time

LEGIBILITY = r"""() => {
  const scale = Reveal.getScale();
  const slide = Reveal.getCurrentSlide();
  const box = document.querySelector('.reveal .slides').getBoundingClientRect();
  const shown = el => { for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e); if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity < 0.05) return false; }
    return el.getClientRects().length > 0; };
  const inFold = el => { const d = el.closest('details'); return d && !d.open && !el.closest('summary'); };
  const ownText = el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const what = el => `<${el.tagName.toLowerCase()}> ${JSON.stringify((el.textContent || '').trim().slice(0, 30))}`;
  const fonts = [];
  const chrome = [...document.querySelectorAll('.reveal .footer *, .reveal .slide-number, .reveal .slide-number *')];
  for (const el of [...slide.querySelectorAll('*'), ...chrome]) {
    if (el.closest('aside.notes, script, style, title, desc') || inFold(el) || !ownText(el) || !shown(el)) continue;
    let px = parseFloat(getComputedStyle(el).fontSize);
    const inChrome = chrome.includes(el);
    if (el instanceof SVGElement) {                 // as drawn: the SVG may be scaled to fit
      const svg = el.ownerSVGElement, w = svg.width.baseVal.value;
      if (w) px *= svg.getBoundingClientRect().width / scale / w;
    } else if (inChrome) {
      px /= scale;                                  // chrome lives outside the scaled slide
    }
    fonts.push({size: px, what: what(el), svg: el instanceof SVGElement, chrome: inChrome});
  }
  const title = slide.querySelector('h1, h2');
  const top = title ? title.getBoundingClientRect().bottom : box.top;
  const content = [...slide.children].filter(c => c !== title && !c.matches('aside.notes, script, style') && shown(c));
  const bottoms = content.map(c => c.getBoundingClientRect().bottom).filter(b => b > top);
  const charts = [...slide.querySelectorAll('.vega-chart svg, .live-output .token-chips, img.cell-figure')]
    .filter(shown).map(c => { const r = c.getBoundingClientRect();
      return {height: r.height / (box.bottom - top), width: r.width / box.width}; });
  const labels = [...slide.querySelectorAll('.vega-chart svg text')]
    .filter(t => shown(t) && !/rotate\((?!0)/.test(t.getAttribute('transform') || '')).map(t => t.getBoundingClientRect())
    .filter(r => r.width > 0);
  let overlaps = 0;
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i], b = labels[j];
    const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left), iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (ix > 2 && iy > 2 && ix * iy > 0.2 * Math.min(a.width * a.height, b.width * b.height)) overlaps++;
  }
  const foot = document.querySelector('.reveal .footer p, .reveal .footer'), logo = document.querySelector('.reveal .slide-logo');
  let footerOnLogo = false;
  if (foot && logo && shown(foot) && shown(logo)) {
    const range = document.createRange(); range.selectNodeContents(foot);
    const f = range.getBoundingClientRect(), l = logo.getBoundingClientRect();
    footerOnLogo = f.right > l.left && f.left < l.right && f.bottom > l.top && f.top < l.bottom;
  }
  return {title: title ? title.textContent : '', fonts, charts, overlaps, footerOnLogo,
          emptyBelow: bottoms.length ? (box.bottom - Math.max(...bottoms)) / (box.bottom - top) : null};
}"""

FIRST_SLIDE = """() => { const s = Reveal.getSlides()[0]; if (!s) return false;
  const r = s.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
  getComputedStyle(document.querySelector('.reveal .slides')).visibility !== 'hidden' &&
  !!document.fonts && document.fonts.status === 'loaded'; }"""


TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def time_to_first_slide(browser, url: str, viewport: dict) -> float:
    """Seconds from navigation until reveal.js shows the first slide with its fonts."""
    page = browser.new_page(viewport=viewport)
    t0 = time.monotonic()
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()", polling=20, timeout=60000)
    page.wait_for_function(FIRST_SLIDE, polling=20, timeout=60000)
    elapsed = time.monotonic() - t0
    page.close()
    return elapsed


def measure_deck(browser, url: str, viewport: dict, show_slide) -> list[dict]:
    """LEGIBILITY of every slide (all fragments shown, its charts drawn)."""
    page = browser.new_page(viewport=viewport)
    page.goto(url)
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=60000)
    out = []
    for i in range(page.evaluate("() => Reveal.getTotalSlides()")):
        show_slide(page, i, 0)
        page.wait_for_function("() => [...Reveal.getCurrentSlide().querySelectorAll('.vega-chart')]"
                               ".every(c => c.querySelector('svg'))", timeout=30000)
        page.evaluate(TWO_FRAMES)                   # layout and paint of what was just drawn
        out.append({"index": i, **page.evaluate(LEGIBILITY)})
    page.close()
    return out


def smallest(findings: list[dict]) -> tuple[float, str]:
    """(size in deck px, where) of the smallest text over all slides."""
    best = min(((f["size"], f"slide {s['index']} {s['title'][:30]!r}: {f['what']}")
                for s in findings for f in s["fonts"]), default=(0.0, "no text"))
    return best
