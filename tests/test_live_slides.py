"""The live slides as the audience sees them (issue 9): the built deck served by `present` with the
real models, driven in Chromium at 1920×1080 like a presenter with a clicker. A prompt that is in
no slide is typed into each live slide and the page must show what the demos functions compute
for it; Enter runs and the next PageDown moves the deck; hostile text is shown as text; opened
from a file, every live slide keeps its build-time output with one line saying so."""
from __future__ import annotations

import re

import pytest

from deckbuild import present
from deckbuild.live_service import LiveService
from test_deck import STEM, deck  # noqa: F401  (the built deck, shared with test_deck)

VIEWPORT = {"width": 1920, "height": 1080}
PROMPT = "Na praia de Boa Viagem, o vendedor de coco"         # in no slide
TEXT = "Recife tem pontes sobre o Capibaribe"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def stage(deck, gemma, smol):  # noqa: F811
    service = LiveService(warm=[], log=lambda line: None).start()
    assert service.wait_ready(180), service.status()["error"]
    server = present.serve(deck, port=0, live=service)
    yield present.deck_url(server, deck, deck / f"{STEM}.html")
    server.shutdown()
    server.server_close()
    service.close()


@pytest.fixture(scope="module")
def browser():
    browser_utils = pytest.importorskip("browser_utils")
    with browser_utils.chromium() as b:
        yield b


@pytest.fixture(scope="module")
def page(stage, browser):
    pg = browser.new_page(viewport=VIEWPORT)
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(stage)
    pg.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30000)
    pg.wait_for_function("() => document.querySelectorAll('.live-form').length > 0", timeout=30000)
    pg.wait_for_function("() => ![...document.querySelectorAll('.live-run')].some(b => b.disabled)",
                         timeout=180000)                       # the model is ready
    yield pg
    pg.close()


def _go(page, demo: str, nth: int = 0) -> int:
    """Show the nth slide holding live demo `demo`; returns its index."""
    i = page.evaluate("([demo, nth]) => Reveal.getSlides().map((s, i) => s.querySelector("
                      "`.live-demo[data-live-demo='${demo}']`) ? i : -1).filter(i => i >= 0)[nth]", [demo, nth])
    assert i is not None, f"no slide with live demo {demo}"
    page.evaluate("(i) => { const s = Reveal.getSlides()[i], x = Reveal.getIndices(s); Reveal.slide(x.h, x.v); }", i)
    page.wait_for_timeout(300)
    return i


def _run(page, demo: str, fields: dict, press_enter: bool = True) -> dict:
    """Fill the current slide's form, run it (Enter in the last field, else the button) and
    return the service's answer once the slide shows it."""
    sel = "section.present .live-form"
    with page.expect_response(lambda r: f"/api/live/run/{demo}" in r.url, timeout=60000) as answer:
        for name, value in fields.items():
            page.fill(f"{sel} [name='{name}']", value)
        if fields and press_enter:
            page.press(f"{sel} [name='{list(fields)[-1]}']", "Enter")
        else:
            page.click(f"{sel} button.live-run")
    data = answer.value.json()
    page.wait_for_function("() => /ao vivo|\\S/.test(document.querySelector('section.present .live-stamp').textContent)"
                           " && !document.querySelector('section.present .live-form button.live-run').disabled",
                           timeout=60000)
    page.wait_for_timeout(200)
    return data


def _shown_text(page) -> str:
    return page.evaluate("() => document.querySelector('section.present .live-output').textContent")


def test_next_token_slide_shows_the_models_answer_to_a_new_prompt(page, gemma):
    from demos.next_token import next_token_probs
    from demos.ptbr import fmt_pct
    _go(page, "next-token")
    data = _run(page, "next-token", {"prompt": PROMPT})
    assert data["ok"], data
    expected = next_token_probs(PROMPT, k=10)
    shown = _shown_text(page)
    for p in expected["prob"][:5]:
        assert fmt_pct(p) in shown, (fmt_pct(p), shown[:300])
    stamp = page.text_content("section.present .live-stamp")
    assert PROMPT in stamp and "ao vivo" in stamp


def test_enter_then_pagedown_moves_the_deck(page):
    i = _go(page, "next-token")
    _run(page, "next-token", {"prompt": PROMPT + " vende"})
    page.keyboard.press("PageDown")
    page.wait_for_timeout(300)
    assert page.evaluate("() => Reveal.getSlides().indexOf(Reveal.getCurrentSlide())") == i + 1
    page.keyboard.press("PageUp")
    page.wait_for_timeout(300)
    assert page.evaluate("() => Reveal.getSlides().indexOf(Reveal.getCurrentSlide())") == i


def test_tokenization_slide_shows_the_chips_of_a_new_text(page, gemma, smol):
    from demos.tokenization import tokenize
    _go(page, "tokenization")
    data = _run(page, "tokenization", {"text": TEXT})
    assert data["ok"], data
    models = page.eval_on_selector_all("section.present .live-demo", "bs => bs.map(b => b.dataset.liveItem)")
    assert len(models) == 2                                # the deck's model and the English one
    for model in models:
        chips = page.eval_on_selector_all(f"section.present .live-demo[data-live-item='{model}'] .token-chip",
                                          "cs => cs.map(c => [c.firstElementChild.textContent, c.lastElementChild.textContent])")
        expected = tokenize(TEXT, model=model)
        assert chips == [[d, str(i)] for d, i in zip(expected["display"], expected["token_id"])], model


def test_generation_steps_one_token_at_a_time(page, gemma):
    _go(page, "generation")
    _run(page, "generation", {"prompt": PROMPT})
    rows = page.eval_on_selector_all("section.present .live-output tbody tr", "rs => rs.length")
    with page.expect_response(lambda r: "/api/live/run/generation" in r.url, timeout=60000):
        page.click("section.present .live-form button.live-step")
    page.wait_for_function(f"() => document.querySelectorAll('section.present .live-output tbody tr').length == {rows + 1}",
                           timeout=60000)


@pytest.mark.parametrize("demo, fields", [
    ("temperature", {"prompt": PROMPT}),
    ("attention", {"sentence": "A menina leu o livro porque ela gostava dele"}),
    ("analogy-glove", {"a": "paris", "b": "france", "c": "brazil"}),
    ("this-computer", {}),
    ("toy-network", {}),
])
def test_every_other_live_slide_answers(page, demo, fields):
    _go(page, demo)
    data = _run(page, demo, fields)
    assert data["ok"], data
    assert page.locator("section.present .live-output svg").count() >= 1       # redrawn chart
    assert "ao vivo" in page.text_content("section.present .live-stamp")


def test_hostile_text_is_shown_as_text(page, gemma):
    _go(page, "next-token")
    data = _run(page, "next-token", {"prompt": HOSTILE})
    assert data["ok"], data                                  # answered, as text
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("section.present .live-output img[onerror], section.present img[src='x']").count() == 0
    assert page.errors == []


def test_opened_from_a_file_every_live_slide_says_it_is_static(deck, browser):  # noqa: F811
    pg = browser.new_page(viewport=VIEWPORT)
    pg.goto((deck / f"{STEM}.html").as_uri())
    pg.wait_for_function("() => window.Reveal && Reveal.isReady()")
    pg.wait_for_function("() => document.querySelectorAll('.live-offline').length > 0", timeout=10000)
    boxes = pg.evaluate("() => [...document.querySelectorAll('.live-demo')].map(b => ["
                        "!!b.querySelector('.live-offline'), !!b.querySelector('.live-form'),"
                        " b.querySelector('.live-stamp').textContent])")
    pg.close()
    assert len(boxes) >= 10
    assert all(offline and not form for offline, form, _ in boxes)
    assert all(re.search(r"calculado ao gerar os slides \(\d+º? \w+\.? \d{4}", stamp) for *_, stamp in boxes)
