"""Review fixes of the live demos, checked without building the deck: a toy-network view per
slide that shows one; only generation's live cells read deck.temperature and deck.seed (the
build's cell cache keys a cell on the config it read); the analogy forms declare that the
expected word goes once the audience types other words; the stamp uses the deck's date format."""
from __future__ import annotations

import json

import pytest

from demos import live_demos as ld

REG = ld.registry()


def test_toy_network_views_are_the_ones_its_slides_show():
    """Every live("toy-network", item=...) in slides/ names a view the demo makes, and the demo
    makes no view no slide shows."""
    import re
    from pathlib import Path
    slides = Path(__file__).resolve().parents[1] / "slides"
    items = {m.group(1) for f in slides.glob("*.qmd")
             for m in re.finditer(r'live\("toy-network"[^)]*item="([^"]+)"', f.read_text(encoding="utf-8"))}
    assert items == {"boundary"}
    assert "loss" not in REG["toy-network"].summary


# ---- config reads: only generation depends on deck.temperature and deck.seed -------------------

PROFILE_KEYS = {"config:deck.temperature", "config:deck.seed"}


def test_the_registry_reads_no_config_and_is_built_once():
    from demos.config import take_reads
    take_reads()
    first, second = ld.registry(), ld.registry()
    assert take_reads() == []
    assert first == second and first is not second                  # a fresh dict of the same demos
    assert all(first[n] is second[n] for n in first)
    for name, demo in first.items():
        if name != "generation":
            demo.params, demo.describe()
    assert PROFILE_KEYS.isdisjoint(take_reads())


def test_generation_defaults_come_from_the_profile_when_its_params_are_read():
    from demos.config import demo_setting, take_reads
    take_reads()
    params = REG["generation"].params
    assert PROFILE_KEYS <= set(take_reads())
    assert params["temperature"].default == float(demo_setting("temperature", 1.0))
    assert params["seed"].default == int(demo_setting("seed", 0))
    assert isinstance(params["temperature"].default, float) and isinstance(params["seed"].default, int)
    assert REG["generation"].describe()["params"]["seed"]["default"] == params["seed"].default


def test_a_live_cell_of_another_demo_does_not_depend_on_temperature_or_seed():
    from demos.config import take_reads
    from demos.live_view import live
    take_reads()
    live("this-computer")
    reads = take_reads()
    assert reads and PROFILE_KEYS.isdisjoint(reads), reads


# ---- the slide forms and the stamp ------------------------------------------------------------

def test_analogy_forms_drop_the_expected_word_once_the_words_change():
    """`reset` (live_view.UI) names the parameters tied to the cell's own input: the analogies'
    expected word. Each is a declared, optional parameter that is not a field of the form."""
    from demos.live_view import UI
    assert UI["analogy-glove"]["reset"] == UI["analogy-gemma"]["reset"] == ["expected"]
    for name, ui in UI.items():
        for param in ui.get("reset", []):
            assert param in REG[name].params and param not in ui["fields"]
            assert REG[name].params[param].default is None


def test_the_live_box_carries_the_reset_list():
    import html
    import re
    from demos.live_view import live
    box = live("analogy-glove", a="king", b="man", c="woman", k=3, expected="queen").html

    def attr(name):
        return json.loads(html.unescape(re.search(rf'{name}="([^"]*)"', box).group(1)))
    assert attr("data-live-ui")["reset"] == ["expected"]
    assert attr("data-live-params") == {"a": "king", "b": "man", "c": "woman", "k": 3, "expected": "queen"}


@pytest.mark.parametrize("day,text", [((2026, 5, 7), "7 maio 2026"), ((2026, 12, 2), "2 dez. 2026"),
                                      ((2025, 6, 1), "1º jun. 2025")])
def test_the_stamp_date_is_the_deck_date_format(day, text):
    import datetime as dt
    from demos.live_view import build_stamp, machine
    from demos.ptbr import fmt_day
    assert fmt_day(dt.date(*day)) == text
    assert build_stamp(dt.date(*day), "olá") == f"“olá” · calculado ao gerar os slides ({text}, {machine()})"
