// Deck charts: draws every .vega-figure (its Vega-Lite spec sits in a <script
// type="application/json" class="vega-spec"> next to its .vega-chart box) with vega-embed.
// On screen, charts are drawn lazily once reveal.js is ready: the current and the next slide
// first, the rest one by one while the browser is idle, so the first slide shows at once.
// When printing (?print-pdf) every chart is drawn straight away (deckbuild.pdf waits for them).
// `vegaEmbed` comes from the vl-convert bundle this file is compiled into.
const PRINT = /print-pdf/.test(window.location.search);
const views = new WeakMap();      // figure -> Promise<vega View>

function specOf(figure) {
  const tag = figure.querySelector("script.vega-spec");
  return tag ? JSON.parse(tag.textContent) : null;
}

// Draw (or redraw, with a new spec) one figure; resolves to its vega View.
function draw(figure, spec) {
  if (!spec && views.has(figure)) return views.get(figure);
  const box = figure.querySelector(".vega-chart");
  const embedded = vegaEmbed(box, spec || specOf(figure), {actions: false, renderer: "svg"})
    .then((result) => result.view)
    .catch((err) => {
      box.textContent = "Gráfico indisponível: " + err.message;
      console.error("deck chart:", err);
      return null;
    });
  views.set(figure, embedded);
  return embedded;
}

function figuresOf(slide) {
  return slide ? [...slide.querySelectorAll(".vega-figure")] : [];
}

function drawSlide(slide) {
  return Promise.all(figuresOf(slide).map((f) => draw(f)));
}

function idle(fn) {
  (window.requestIdleCallback || ((cb) => setTimeout(cb, 50)))(fn);
}

// Current and next slide now; every other chart afterwards, one per idle moment.
function drawAround(reveal) {
  const current = reveal.getCurrentSlide();
  const slides = reveal.getSlides();
  const next = slides[slides.indexOf(current) + 1];
  return drawSlide(current).then(() => drawSlide(next));
}

function drawRest(queue) {
  const figure = queue.find((f) => !views.has(f));
  if (!figure) return;
  idle(() => draw(figure).then(() => drawRest(queue)));
}

function whenRevealReady(fn) {
  const reveal = window.Reveal;
  if (!reveal || typeof reveal.isReady !== "function") {   // a page without reveal.js
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => fn(null));
    else fn(null);
    return;
  }
  if (reveal.isReady()) fn(reveal);
  else reveal.on("ready", () => fn(reveal));
}

function start(reveal) {
  const all = [...document.querySelectorAll(".vega-figure")];
  if (PRINT || !reveal) {
    all.forEach((f) => draw(f));
    return;
  }
  drawAround(reveal).then(() => drawRest(all));
  reveal.on("slidechanged", () => drawAround(reveal));
}

window.deckCharts = {draw, specOf, views};
if (PRINT) {
  // print layout waits for nothing of ours: start drawing before reveal.js is even ready
  [...document.querySelectorAll(".vega-figure")].forEach((f) => draw(f));
}
whenRevealReady(start);
