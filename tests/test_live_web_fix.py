"""The deck runtime's live parts without a browser or a built deck: src/demos/web/live.js and
charts.js run in Node with a few stand-ins for the page (no live boxes, no figures at load).
live.js: what a run sends (the analogy's expected word goes once the words change; the step
counts on). charts.js: a figure's spec is parsed once, a redraw finalizes the previous View, and
a redrawn draggable chart is draggable again (with the new View, not the old one's handlers)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[1] / "src" / "demos" / "web"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs node")

PAGE = """
const vm = require("vm");
const fs = require("fs");
const context = {console, Promise, JSON, AbortController, setTimeout,
                 window: {location: {search: "", protocol: "file:"}},
                 document: {readyState: "complete", querySelectorAll: () => []}};
vm.createContext(context);
const load = (file, extra = {}) => { Object.assign(context, extra);
  vm.runInContext(fs.readFileSync(WEB + "/" + file, "utf8"), context); };
"""


def node(script: str):
    out = subprocess.run([NODE, "-e", f"const WEB = {json.dumps(str(WEB))};" + PAGE + script],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def bodies(ui: dict, built: dict, runs: list[tuple[dict, bool]]) -> list[dict]:
    """The bodies of successive runs, each becoming the last values sent (as after a good reply)."""
    return node(f"""
load("live.js");
const ui = {json.dumps(ui)}, built = {json.dumps(built)};
let last = built; const out = [];
for (const [typed, step] of {json.dumps(runs)}) {{
  const body = context.window.deckLive.requestBody(ui, built, last, typed, step);
  out.push(body); last = body;
}}
console.log(JSON.stringify(out));
""")


GEMMA_UI = {"fields": ["a", "b", "c"], "reset": ["expected"]}
GEMMA = {"a": "irmão", "b": "homem", "c": "mulher", "expected": "irmã", "k": 6}


def test_the_expected_word_goes_once_the_audience_types_other_words():
    same = {"a": "irmão", "b": "homem", "c": "mulher"}
    other = {"a": "rei", "b": "homem", "c": "mulher"}
    sent = bodies(GEMMA_UI, GEMMA, [(same, False), (other, False), (other, False), (same, False)])
    assert sent[0] == GEMMA                                        # the slide's own input: its word
    assert sent[1] == sent[2] == {**other, "k": 6}                 # no expected: the demo's None
    assert sent[3] == GEMMA                                        # back to the slide's words


def test_without_reset_every_build_time_parameter_is_kept():
    sent = bodies({"fields": ["a", "b", "c"]}, GEMMA, [({"a": "rei", "b": "homem", "c": "mulher"}, False)])
    assert sent[0]["expected"] == "irmã" and sent[0]["k"] == 6


def test_generation_steps_count_on_until_a_field_changes():
    ui = {"fields": ["prompt", "strategy", "temperature"], "step": "steps"}
    built = {"prompt": "No sertão", "steps": 6, "strategy": "greedy", "temperature": 1.0, "seed": 0}
    same = {"prompt": "No sertão", "strategy": "greedy", "temperature": 1.0}
    other = {**same, "prompt": "Na praia"}
    sent = bodies(ui, built, [(same, True), (same, True), (other, True), (other, True), (other, False)])
    assert [b["steps"] for b in sent] == [7, 8, 1, 2, 1]
    assert all(b["seed"] == 0 for b in sent) and sent[2]["prompt"] == "Na praia"


CHARTS = """
const log = [];
let embeds = 0;
function svgStub(n) {
  const handlers = [];
  return {n, style: {}, handlers, setPointerCapture() {},
          addEventListener(type, fn, opts) { handlers.push({type, fn, signal: opts && opts.signal}); },
          live(type) { return handlers.filter((h) => h.type === type && !(h.signal && h.signal.aborted)); }};
}
const box = {dataset: {}, textContent: "", svg: null, querySelector: (sel) => sel === "svg" ? box.svg : null};
let reads = 0;
const tag = {get textContent() { reads += 1; return JSON.stringify(
  {mark: "point", usermeta: {"deck-drag": {signal: "angle", per_px: 1}}}); }};
const figure = {querySelector: (sel) => sel === ".vega-chart" ? box : sel === "script.vega-spec" ? tag : null};
function viewStub(n) {
  const signals = {angle: 0};
  return {n, finalized: 0, finalize() { this.finalized += 1; log.push("finalize " + n); },
          signal(name, value) { if (value === undefined) return signals[name]; signals[name] = value;
                                log.push(`signal ${n} ${value}`); return this; },
          runAsync() { return Promise.resolve(this); }};
}
load("charts.js", {vegaEmbed: (el, spec) => { embeds += 1; log.push("embed " + embeds);
                                              box.svg = svgStub(embeds);
                                              return Promise.resolve({view: viewStub(embeds)}); }});
const charts = context.window.deckCharts;
(async () => {
  const first = await charts.draw(figure);
  const again = await charts.draw(figure);                       // drawn already: the same View
  const readsFirst = reads;
  const oldSvg = box.svg;
  const spec = {mark: "point", usermeta: {"deck-drag": {signal: "angle", per_px: 2}}};
  const second = await charts.draw(figure, spec);
  await new Promise((r) => setTimeout(r, 0));
  const ev = {clientX: 10, pointerId: 1, preventDefault() {}, stopPropagation() {}};
  for (const h of box.svg.live("pointerdown")) h.fn(ev);
  for (const h of box.svg.live("pointermove")) h.fn({...ev, clientX: 15});
  console.log(JSON.stringify({reads: readsFirst, same: first === again, embeds,
    firstFinalized: first.finalized, secondFinalized: second.finalized, log,
    oldHandlers: ["pointerdown", "pointermove", "pointerup"].map((t) => oldSvg.live(t).length),
    newHandlers: ["pointerdown", "pointermove", "pointerup"].map((t) => box.svg.live(t).length)}));
})();
"""


def test_charts_parse_once_finalize_on_redraw_and_stay_draggable():
    got = node(CHARTS)
    assert got["reads"] == 1 and got["same"] and got["embeds"] == 2
    assert got["firstFinalized"] == 1 and got["secondFinalized"] == 0
    assert got["log"][:3] == ["embed 1", "finalize 1", "embed 2"]  # the old View goes before the new
    assert got["newHandlers"] == [1, 1, 1]                         # the redrawn chart turns by dragging
    assert got["oldHandlers"] == [0, 0, 0]                         # and the old handlers are gone
    assert got["log"][3:] == ["signal 2 10"]                       # the new View follows (2 per px)
