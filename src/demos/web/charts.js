// Deck charts: draws every .vega-figure (its Vega-Lite spec sits in a <script
// type="application/json" class="vega-spec"> next to its .vega-chart box) with vega-embed.
// On screen, charts are drawn lazily once reveal.js is ready: the current and the next slide
// first, the rest one by one while the browser is idle, so the first slide shows at once.
// When printing (?print-pdf) every chart is drawn straight away (deckbuild.pdf waits for them).
// `vegaEmbed` comes from the vl-convert bundle this file is compiled into.
const PRINT = /print-pdf/.test(window.location.search);
const views = new WeakMap();      // figure -> Promise<vega View>
const drags = new WeakMap();      // .vega-chart box -> AbortController of its drag handlers

function specOf(figure) {
  const tag = figure.querySelector("script.vega-spec");
  return tag ? JSON.parse(tag.textContent) : null;
}

// Draw (or redraw, with a new spec) one figure; resolves to its vega View. A redraw finalizes
// the figure's previous View (its listeners and timers) before embedding the new one.
function draw(figure, spec) {
  const previous = views.get(figure);
  if (!spec && previous) return previous;
  const box = figure.querySelector(".vega-chart");
  const drawn = spec || specOf(figure);
  const embedded = Promise.resolve(previous)
    .then((old) => old && old.finalize())
    .then(() => vegaEmbed(box, drawn, {actions: false, renderer: "svg"}))
    .then((result) => result.view)
    .catch((err) => {
      box.textContent = "Gráfico indisponível: " + err.message;
      console.error("deck chart:", err);
      return null;
    });
  views.set(figure, embedded);
  embedded.then((view) => view && draggable(box, view, drawn.usermeta));
  return embedded;
}

// A chart whose usermeta has {"deck-drag": {signal, per_px, modulo}} turns by dragging it
// sideways (the 3-D embedding view): the signal its slider is bound to follows the pointer.
// A redraw drops the handlers of the previous View and binds the new one's.
function draggable(box, view, usermeta) {
  const drag = usermeta && usermeta["deck-drag"];
  const svg = box.querySelector("svg");
  if (drags.has(box)) drags.get(box).abort();
  drags.delete(box);
  if (!drag || !svg) return;
  const handlers = new AbortController();
  drags.set(box, handlers);
  const bound = {signal: handlers.signal};
  svg.style.cursor = "grab";
  svg.style.touchAction = "none";
  let start = null;
  svg.addEventListener("pointerdown", (ev) => {
    start = {x: ev.clientX, value: Number(view.signal(drag.signal)) || 0};
    svg.setPointerCapture(ev.pointerId);
    svg.style.cursor = "grabbing";
    ev.preventDefault();
    ev.stopPropagation();               // reveal.js must not read it as a swipe
  }, bound);
  svg.addEventListener("pointermove", (ev) => {
    if (!start) return;
    const m = drag.modulo || 360;
    const value = ((start.value + (ev.clientX - start.x) * (drag.per_px || 1)) % m + m) % m;
    view.signal(drag.signal, value).runAsync();
  }, bound);
  const end = () => { start = null; svg.style.cursor = "grab"; };
  svg.addEventListener("pointerup", end, bound);
  svg.addEventListener("pointercancel", end, bound);
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
