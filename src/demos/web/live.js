// Live demos: each `.live-demo` box (demos/live_view.py) names its demo, the parameters its
// build-time output ran with, and the form its slide offers. Served by `make present`, the page
// asks the local service (same origin, /api/live) for its status, builds the form, sends what
// the audience types and redraws the same chart (window.deckCharts.draw with the service's
// Vega-Lite spec) or the same HTML (escaped by the demos, checked again here). Without the
// service (a file, the single-file copy, a crash) the build-time output stays, with one
// discreet line; printing shows no controls. Typing never reaches reveal.js: Enter runs, Esc
// leaves the field, and then the presenter's remote drives the deck again at once.
const LIVE_API = "/api/live";
const LIVE_PRINT = /print-pdf/.test(window.location.search);
const ALLOWED = new Set(["TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "SPAN", "DIV", "MARK", "STRONG",
                         "EM", "B", "I", "P", "SMALL", "BR", "CODE"]);
const ALLOWED_ATTRS = new Set(["class", "style", "title", "role", "aria-label", "colspan", "rowspan"]);
const CHOICE_LABELS = {greedy: "mais provável", sample: "sorteio"};

function make(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

function fmtSeconds(ms) {
  return (ms / 1000).toFixed(ms < 1000 ? 2 : 1).replace(".", ",") + "\u00a0s";  // no line break before the unit
}

// HTML from the service, re-checked: only table/text elements and plain attributes survive.
function sanitized(htmlText) {
  const tpl = document.createElement("template");
  tpl.innerHTML = htmlText;
  const walk = (node) => {
    for (const child of [...node.children]) {
      if (!ALLOWED.has(child.tagName)) { child.remove(); continue; }
      for (const attr of [...child.attributes]) {
        const value = attr.value.toLowerCase();
        if (!ALLOWED_ATTRS.has(attr.name) || value.includes("url(") || value.includes("javascript:")) {
          child.removeAttribute(attr.name);
        }
      }
      walk(child);
    }
  };
  walk(tpl.content);
  return tpl.content;
}

// Keys typed in a field stay there; Enter runs the demo, Esc gives the keys back to the deck.
function guardField(input, run) {
  input.addEventListener("keydown", (ev) => {
    ev.stopPropagation();
    if (ev.key === "Enter") { ev.preventDefault(); input.blur(); run(); }
    else if (ev.key === "Escape") { ev.preventDefault(); input.blur(); }
  });
}

class LiveGroup {
  constructor(boxes) {
    this.boxes = boxes;
    const first = boxes[0];
    this.demo = first.dataset.liveDemo;
    this.params = JSON.parse(first.dataset.liveParams || "{}");
    this.built = this.params;                // the build-time values (the cell's own input)
    this.ui = JSON.parse(first.dataset.liveUi || "{}");
    this.inputs = {};
    this.busy = false;
  }

  offline() {
    for (const box of this.boxes) {
      box.querySelector(".live-stamp").append(
        make("span", {class: "live-offline"}, " · ao vivo só com “make present”"));
    }
  }

  field(name) {
    const decl = (this.ui.params || {})[name] || {type: "text", label: name};
    const value = this.params[name] ?? decl.default ?? "";
    if (decl.type === "choice") {
      const wrap = make("span", {class: "live-choice", role: "radiogroup"});
      const group = `live-${this.demo}-${name}-${Math.random().toString(36).slice(2, 8)}`;
      for (const option of decl.options) {
        const radio = make("input", {type: "radio", name: group, id: `${group}-${option}`, value: option});
        if (option === value) radio.setAttribute("checked", "");
        wrap.append(radio, make("label", {for: `${group}-${option}`}, CHOICE_LABELS[option] || option));
      }
      this.inputs[name] = () => (wrap.querySelector("input:checked") || {value: value}).value;
      return wrap;
    }
    const attrs = {class: `live-field live-${decl.type}`, "aria-label": decl.label, name};
    if (decl.type === "text") Object.assign(attrs, {type: "text", maxlength: decl.max_chars, spellcheck: "false"});
    else Object.assign(attrs, {type: "number", min: decl.min, max: decl.max,
                               step: decl.type === "float" ? "0.1" : "1", inputmode: "decimal"});
    const input = make("input", attrs);
    input.value = value;
    guardField(input, () => this.run(false));
    this.inputs[name] = () => decl.type === "text" ? input.value :
      Number(String(input.value).replace(",", "."));
    return input;
  }

  build() {
    const form = make("div", {class: "live-form"});
    const formula = this.ui.formula ? make("span", {class: "live-formula"}, this.ui.formula) : null;
    for (const name of this.ui.fields || []) {
      const label = make("label", {class: "live-label"});
      label.append(make("span", {}, ((this.ui.params || {})[name] || {}).label || name), this.field(name));
      form.append(label);
    }
    if (formula) form.prepend(formula);
    this.button = make("button", {type: "button", class: "live-run"}, this.ui.button || "rodar");
    this.button.addEventListener("click", () => { this.button.blur(); this.run(false); });
    form.append(this.button);
    if (this.ui.step) {
      this.stepButton = make("button", {type: "button", class: "live-run live-step"}, this.ui.step_button);
      this.stepButton.addEventListener("click", () => { this.stepButton.blur(); this.run(true); });
      form.append(this.stepButton);
    }
    this.status = make("p", {class: "live-status", role: "status", "aria-live": "polite"});
    this.boxes[0].prepend(form);
    this.boxes[0].querySelector(".live-output").after(this.status);
    this.form = form;
  }

  enable(ready, message) {
    for (const el of this.form.querySelectorAll("input, button")) el.disabled = !ready;
    this.status.textContent = message || "";
  }

  body(step) {
    const typed = {};
    for (const [name, read] of Object.entries(this.inputs)) typed[name] = read();
    return requestBody(this.ui, this.built, this.params, typed, step);
  }

  async run(step) {
    if (this.busy) return;
    const body = this.body(step);
    this.busy = true;
    this.enable(false, "calculando…");
    try {
      const reply = await fetch(`${LIVE_API}/run/${encodeURIComponent(this.demo)}`, {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
      const data = await reply.json().catch(() => ({ok: false, error: `erro ${reply.status}`}));
      if (!data.ok) throw new Error(data.error || `erro ${reply.status}`);
      this.params = body;
      await this.show(data);
      this.enable(true, "");
    } catch (err) {
      this.enable(true, String(err.message || err).split("\n")[0]);
    } finally {
      this.busy = false;
    }
  }

  async show(data) {
    const output = data.output;
    for (const box of this.boxes) {
      const item = box.dataset.liveItem;
      const part = output.kind === "group" ? output.items.find((i) => i.name === item) || output.items[0] : output;
      await this.draw(box.querySelector(".live-output"), part);
      const subject = this.ui.topic ? this.params[this.ui.topic] : null;
      box.querySelector(".live-stamp").textContent =
        `${liveStamp(this.demo, data.meta || {}, item, subject)} (${fmtSeconds(data.ms || 0)})`;
    }
  }

  async draw(target, part) {
    if (part.kind === "html") {
      target.replaceChildren(sanitized(part.html));
      return;
    }
    const figure = target.querySelector(".vega-figure");
    if (!figure || part.kind !== "vega") return;
    const old = await (window.deckCharts.views.get(figure) || Promise.resolve(null));
    const keep = {};
    for (const p of part.spec.params || []) {
      try { if (old && p.bind) keep[p.name] = old.signal(p.name); } catch (e) { /* not in the old chart */ }
    }
    figure.setAttribute("aria-label", part.spec.description || "");
    const view = await window.deckCharts.draw(figure, part.spec);
    if (!view) return;
    if (this.ui.animate) return animate(view, this.ui.animate, part.spec);
    for (const [name, value] of Object.entries(keep)) view.signal(name, value);
    await view.runAsync();
  }
}

// What a run sends: the last values sent (at first the build-time ones) with the fields as typed.
// `ui.reset` parameters belong to the build-time input (the analogy's expected word): sent only
// while every field still holds its build-time value, else left out (the demo's default applies).
// `ui.step` counts on from the last run when the fields are unchanged, else starts again at 1.
function requestBody(ui, built, last, typed, step) {
  const out = {...last, ...typed};
  const differs = (from) => (ui.fields || []).some((f) => out[f] !== from[f]);
  for (const name of ui.reset || []) {
    if (differs(built) || !(name in built)) delete out[name];
    else out[name] = built[name];
  }
  if (ui.step) out[ui.step] = step && !differs(last) ? (Number(last[ui.step]) || 0) + 1 : 1;
  return out;
}

// A chart's frames (the toy network's epochs) played in order after a retrain.
async function animate(view, signal, spec) {
  const data = Object.values(spec.datasets || {}).find((rows) => rows.length && "e" in rows[0]) || [];
  const frames = [...new Set(data.map((r) => r.e))].sort((a, b) => a - b);
  for (const frame of frames) {
    view.signal(signal, frame);
    await view.runAsync();
    await new Promise((r) => setTimeout(r, 450));
  }
}

function liveStamp(demo, meta, item, subject) {
  const said = subject ? `“${subject}” · ` : "";
  return said + liveWhat(demo, meta, item);
}

function liveWhat(demo, meta, item) {
  if (demo === "this-computer" && meta.label) return `ao vivo: este computador, medido agora: ${meta.label}`;
  if (demo === "tokenization" && meta.models) {
    const m = meta.models.find((x) => x.name === item) || meta.models[0];
    return `ao vivo: ${m.label}, ${m.tokens} tokens`;
  }
  if (demo === "toy-network" && meta.accuracy !== undefined) {
    return `ao vivo: ${meta.hidden} neurônios por camada, acerta ${Math.round(100 * meta.accuracy)}% dos pontos`;
  }
  return `ao vivo: calculado agora${meta.model ? " pelo " + meta.model : ""}, neste computador`;
}

async function liveStatus() {
  if (!/^https?:$/.test(window.location.protocol)) return null;
  try {
    const reply = await fetch(`${LIVE_API}/status`, {cache: "no-store"});
    const body = await reply.json().catch(() => null);     // read it either way: the request ends
    return reply.ok ? body : null;
  } catch (e) {
    return null;
  }
}

async function startLive() {
  const boxes = [...document.querySelectorAll(".live-demo")];
  if (!boxes.length || LIVE_PRINT) return;
  const groups = new Map();
  for (const box of boxes) {
    const key = `${box.closest("section")?.id || ""}|${box.dataset.liveDemo}`;
    groups.set(key, [...(groups.get(key) || []), box]);
  }
  const live = [...groups.values()].map((b) => new LiveGroup(b));
  let status = await liveStatus();
  if (!status || status.live === false) { live.forEach((g) => g.offline()); return; }
  live.forEach((g) => g.build());
  while (status && !status.ready) {
    const message = status.error ? `modelo indisponível: ${status.error}` : "carregando modelo…";
    live.forEach((g) => g.enable(false, message));
    if (status.error) return;
    await new Promise((r) => setTimeout(r, 1000));
    status = await liveStatus();
  }
  live.forEach((g) => g.enable(!!status, status ? "" : "serviço ao vivo indisponível"));
}

window.deckLive = {start: startLive, sanitized, requestBody};
startLive();
