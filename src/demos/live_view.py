"""A slide cell that the audience can re-run during the talk: `live("next-token", prompt=...)`.

The cell calls the live demo's own function (demos.live_demos, the one the live service calls)
and shows its output inside a `.live-demo` box that names the demo, the parameters it ran with
and the form the slide offers (UI, below). With `make present` running, the deck runtime
(demos/web/live.js) builds that form, sends what the audience types to the service and redraws
the same chart (or table, chips) with the answer; anywhere else — the PDF, the handout, a file
opened from disk — the box shows the output computed when the slides were built, with a line
saying when and on what machine. `item` picks one output of a demo that makes several
(tokenization: one model's chips)."""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import platform

from demos.display import RawHtml, raw_typst_block, typst_string
from demos.ptbr import fmt_day

# The fields each slide's form shows (other parameters keep the cell's values), its button,
# for generation the parameter the "próximo token" button steps, and `reset`: parameters tied to
# the cell's own input (the analogy's expected word), dropped (so the demo's default applies)
# once the audience types other values in the fields.
UI = {
    "next-token": {"fields": ["prompt"], "button": "prever"},
    "temperature": {"fields": ["prompt"], "button": "prever"},
    "generation": {"fields": ["prompt", "strategy", "temperature"], "button": "gerar",
                   "step": "steps", "step_button": "próximo token"},
    "tokenization": {"fields": ["text"], "button": "tokenizar"},
    "attention": {"fields": ["sentence"], "button": "calcular"},
    "analogy-glove": {"fields": ["a", "b", "c"], "button": "calcular", "formula": "a − b + c",
                      "reset": ["expected"]},
    "analogy-gemma": {"fields": ["a", "b", "c"], "button": "calcular", "formula": "a − b + c",
                      "reset": ["expected"]},
    "this-computer": {"fields": [], "button": "medir este computador"},
    "toy-network": {"fields": ["hidden"], "button": "treinar", "animate": "epoca"},
}


def machine() -> str:
    """A short, non-identifying description of the computer: 'Linux, 2 núcleos'."""
    cores = os.cpu_count() or 1
    return f"{platform.system() or 'computador'}, {cores} {'núcleo' if cores == 1 else 'núcleos'}"


TOPIC = {"next-token": "prompt", "temperature": "prompt", "generation": "prompt"}  # shown in the stamp


def build_stamp(day: dt.date | None = None, subject: str | None = None) -> str:
    """When and where a static output was computed, as the slide says it; `subject` (the prompt
    it answers) first, quoted."""
    day = day or dt.date.today()
    said = f"“{subject}” · " if subject else ""
    return f"{said}calculado ao gerar os slides ({fmt_day(day)}, {machine()})"


def _detail(demo: str, meta: dict, item: str | None) -> str:
    """What the output shows that its picture does not say (a model's token count)."""
    if demo == "tokenization":
        m = next((m for m in meta.get("models", []) if m["name"] == item), None)
        return f"{m['label']}: {m['tokens']} tokens · " if m else ""
    return ""


def _html_and_png(obj) -> tuple[str, bytes | None, str | None]:
    """The page markup of one output, its static PNG (charts) and its own handout form (chips)."""
    import altair as alt
    if isinstance(obj, alt.TopLevelMixin):
        from demos.print_alternative import printed_spec
        from demos.render_setup import chart_html, png_fallback
        spec = obj.to_dict()
        png = png_fallback(printed_spec(spec))
        return chart_html(spec, png), png, None
    if isinstance(obj, RawHtml):
        return obj.html, obj.png, obj.handout
    raise TypeError(f"live(): cannot show a {type(obj).__name__}")


def _attr(value) -> str:
    return html.escape(json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str)
                       else value, quote=True)


def live(demo: str, item: str | None = None, **params) -> RawHtml:
    """The output of live demo `demo` for `params` (the slide's values), in its `.live-demo` box."""
    from demos.live_demos import registry
    from demos.live_params import parse_params
    entry = registry()[demo]
    checked = parse_params(entry.params, params)
    result = entry.run(**checked)
    views = result.view if isinstance(result.view, list) else [(None, "", result.view)]
    names = [name for name, _, _ in views]
    if item is not None and item not in names:
        raise KeyError(f"live('{demo}'): no output '{item}' (has: {', '.join(map(str, names))})")
    obj = next(v for name, _, v in views if item is None or name == item)
    inner, png, handout = _html_and_png(obj)
    stamp = _detail(demo, result.meta, item) + build_stamp(subject=checked.get(TOPIC.get(demo, "")))
    ui = {**UI.get(demo, {"fields": list(entry.params)}), "params": entry.describe()["params"],
          "topic": TOPIC.get(demo)}
    box = (f'<div class="live-demo" data-live-demo="{_attr(demo)}" data-live-item="{_attr(item or "")}" '
           f'data-live-params="{_attr(checked)}" data-live-ui="{_attr(ui)}">\n'
           f'<div class="live-output">\n{inner}\n</div>\n'
           f'<p class="live-stamp">{html.escape(stamp)}</p>\n</div>')
    if handout is not None:   # the handout's own form, then the stamp under it
        handout += "\n\n" + raw_typst_block(f'#block(text(size: 0.85em, fill: rgb("#4F5B6A"), {typst_string(stamp)}))')
    return RawHtml(box, png, handout)
