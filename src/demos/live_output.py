"""What a live demo's output becomes on the wire: one small conversion, `output_payload(obj)`.

The slide cells return Altair charts and HTML display objects; the live service returns the
same objects as JSON the slide's script can draw: an Altair chart becomes
`{"kind": "vega", "spec": <Vega-Lite dict, deck theme active>}` (its static print alternative
removed: the browser never prints a live result), an HTML display object
`{"kind": "html", "html": <its HTML>}`. Several outputs travel as
`{"kind": "group", "items": [{"name", "label", <payload>}...]}` (`group()`).
The HTML builders (token_chips, generation_table) escape model text; this module never builds
HTML itself, so nothing here can unescape it. Adapt `output_payload` when display objects change."""
from __future__ import annotations

from functools import lru_cache

from demos.print_alternative import screen_spec


@lru_cache(maxsize=1)
def _theme() -> None:
    """Enable the deck's Altair theme once per process (as render_setup.init_deck does)."""
    from demos.style import apply_altair_theme
    apply_altair_theme()


def output_payload(obj) -> dict:
    """The JSON payload of one cell output: an Altair chart, an HTML display object, or a payload
    already made (a dict with its "kind")."""
    if isinstance(obj, dict) and "kind" in obj:
        return obj
    import altair as alt
    if isinstance(obj, alt.TopLevelMixin):
        _theme()
        # Validation costs a third of the time; these charts are validated by the build and tests.
        return {"kind": "vega", "spec": screen_spec(obj.to_dict(validate=False))}
    from demos.display import RawHtml
    if isinstance(obj, RawHtml):
        return {"kind": "html", "html": obj.html}
    raise TypeError(f"output_payload: no live payload for a {type(obj).__name__}")


def group(items: list[tuple[str, str, object]]) -> dict:
    """Several outputs in order: [(name, label, chart or HTML object)] → a "group" payload."""
    return {"kind": "group",
            "items": [{"name": name, "label": label, **output_payload(obj)} for name, label, obj in items]}
