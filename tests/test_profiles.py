"""The issue's acceptance test: the deck re-renders for another event by adding one profile file.

A second profile (other event, city, dates, model smollm2-135m, another next-token prompt and
handout URL) is written by the test into a COPY of the deck_copy, built with the built-in engine,
and the built deck is served by `present` and opened in Chromium: its title slide, footer and
next-token demo show the new values and no slide shows the default event's; its QR code decodes to
the new handout URL; it loads from 127.0.0.1 only and the presenter keys work. The whole deck is
built (~20 s here with SmolLM2). A broken profile fails fast, naming file and key, and leaves the
last build alone."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from deckbuild import present

REPO = Path(__file__).resolve().parents[1]
SLUG = "pynordeste-teste"
NAME, CITY = "Python Nordeste 2026", "Fortaleza"
FOOTER = "Python Nordeste 2026 · Fortaleza · 20–22 de agosto"     # written by hand: the expected text
DATES = "20 a 22 de agosto de 2026"
HANDOUT = "https://example.org/pynordeste-2026/material"
MODEL = "smollm2-135m"
PROMPT = "The capital of France is"          # SmolLM2 is an English model: a prompt it can answer
DEFAULT_LEAKS = ("Agile Trends", "Recife")
QUARTO = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
DECK = Path(QUARTO["project"]["render"][0])                   # slides/como-as-llms-funcionam.qmd
DEFAULT_FILE = f"_quarto-{QUARTO['profile']['default']}.yml"
DEFAULT = yaml.safe_load((REPO / DEFAULT_FILE).read_text(encoding="utf-8"))

PROFILE = f"""# Second event, written by tests/test_profiles.py
event:
  name: "{NAME}"
  tagline: "A comunidade Python do Nordeste"
  start: 2026-08-20
  end: 2026-08-22
  dates: "{DATES}"
  city: "{CITY}"
  venue: "Centro de Eventos do Ceará"
  logo: assets/logos/{SLUG}.svg
  handout-url: "{HANDOUT}"
deck:
  model: {MODEL}
  prompts:
    next-token: ["{PROMPT}", "The weather today is"]
format:
  revealjs:
    logo: assets/logos/{SLUG}.svg
    footer: "{FOOTER}"
"""
LOGO = f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text y="30">{NAME}</text></svg>'

@pytest.fixture(scope="module")
def deck_copy(tmp_path_factory) -> Path:
    """A copy of the deck_copy with the second event's profile and logo added."""
    root = tmp_path_factory.mktemp("deck-copy")
    for d in ("slides", "assets", "data"):
        shutil.copytree(REPO / d, root / d)
    for f in ("_quarto.yml", "_variables.yml", DEFAULT_FILE):
        shutil.copy(REPO / f, root / f)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    # The cell cache of the default deck's build (test_deck): only cells that read the profile
    # (the event, its prompts, its handout link) run again, as when a speaker switches profiles.
    from test_deck import deck_build
    cache = deck_build().parent / ".deck-cache"
    if cache.is_dir():
        shutil.copytree(cache, root / ".deck-cache", ignore=shutil.ignore_patterns("quarto"))
    (root / "assets" / "logos" / f"{SLUG}.svg").write_text(LOGO, encoding="utf-8")
    (root / f"_quarto-{SLUG}.yml").write_text(PROFILE, encoding="utf-8")
    return root


def build(root: Path, profile: str, timeout: float = 240) -> subprocess.CompletedProcess:
    from demos.model_cache import cache_root
    env = dict(os.environ, DECK_MODEL_CACHE=str(cache_root()), HF_HUB_OFFLINE="1")
    env.pop("QUARTO_PROFILE", None)
    env.pop("DECK_MODEL", None)
    return subprocess.run([sys.executable, "-m", "deckbuild", "build", "--profile", profile,
                           "--engine", "builtin", "--no-pdf"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def built(deck_copy):
    t0 = time.perf_counter()
    result = build(deck_copy, SLUG)
    seconds = time.perf_counter() - t0
    assert result.returncode == 0, result.stderr[-3000:]
    out = deck_copy / f"_output-{SLUG}"
    deck = present.find_deck(out, [deck_copy / DECK])
    print(f"\n[test_profiles] built the deck for {SLUG} in {seconds:.1f} s")
    return out, deck


@pytest.fixture(scope="module")
def page(built):
    """The built deck served by `present` and opened in headless Chromium."""
    from playwright.sync_api import sync_playwright
    out, deck = built
    server = present.serve(out, port=0)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1050, "height": 700}, device_scale_factor=2)
        pg = context.new_page()
        pg.requests, pg.failures = [], []               # every URL asked for, and the ones that failed
        context.on("request", lambda r: pg.requests.append(r.url))
        context.on("requestfailed", lambda r: pg.failures.append(r.url))
        context.on("response", lambda r: r.status >= 400 and pg.failures.append(f"{r.url} ({r.status})"))
        pg.goto(present.deck_url(server, out, deck))
        pg.wait_for_function("window.Reveal && Reveal.isReady()", timeout=20000)
        pg.wait_for_load_state("networkidle")
        yield pg
        browser.close()
    server.shutdown()
    server.server_close()


SLIDES_JS = """() => Array.from(document.querySelectorAll('.reveal .slides section'))
  .filter(s => !s.querySelector('section'))
  .map(s => { const c = s.cloneNode(true); c.querySelectorAll('aside.notes').forEach(n => n.remove());
              return {text: c.textContent.replace(/\\s+/g, ' ').trim(), html: c.innerHTML}; })"""


@pytest.fixture(scope="module")
def slides(page) -> list[dict]:
    return page.evaluate(SLIDES_JS)


@pytest.fixture(scope="module")
def smollm2_top() -> tuple[str, float]:
    """SmolLM2's most likely next token after PROMPT and its probability, computed here from the
    weights with a plain softmax (independently of demos.next_token)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from demos.model_cache import ensure_cached
    folder = str(ensure_cached(MODEL))          # the safetensors copy the deck loads too
    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    tok = AutoTokenizer.from_pretrained(folder)
    with torch.no_grad():
        logits = model(tok(PROMPT, return_tensors="pt").input_ids).logits[0, -1].double()
    probs = torch.exp(logits - logits.max()) / torch.exp(logits - logits.max()).sum()
    best = int(probs.argmax())
    return tok.decode([best]).strip(), float(probs[best])


def _demo_slides(slides: list[dict], token: str) -> list[dict]:
    """Slides whose chart data holds the token SmolLM2 predicts after the profile's prompt."""
    return [s for s in slides if re.search(rf'"token":\s*" ?{re.escape(token)}"', s["html"])]


def test_title_slide_shows_the_new_event(slides):
    title = slides[0]["text"]
    assert NAME in title and CITY in title and DATES in title
    for leak in DEFAULT_LEAKS:
        assert leak not in title


def test_footer_is_the_new_event(page):
    assert page.evaluate("document.querySelector('.reveal .footer').textContent.trim()") == FOOTER


def test_next_token_demo_runs_the_profiles_model_on_its_prompt(slides, smollm2_top):
    token, prob = smollm2_top
    demos = _demo_slides(slides, token)
    assert demos, f"no chart shows {token!r}, SmolLM2's top token after {PROMPT!r}"
    percent = f"{100 * prob:.1f}".replace(".", ",") + "%"          # pt-BR, written out here
    assert any(percent in s["html"] for s in demos), percent


def test_next_token_demo_shows_the_profiles_prompt_not_the_defaults(slides, smollm2_top):
    demos = _demo_slides(slides, smollm2_top[0])
    assert demos
    for s in demos:
        assert PROMPT in s["html"], "the slide does not show the prompt the model was given"
        for old in QUARTO["deck"]["prompts"]["next-token"]:
            assert old not in s["html"], f"the slide still shows the default prompt {old!r}"


def test_nothing_of_the_default_event_in_the_built_deck(built, page):
    out, deck = built
    for f in [deck, *out.rglob("*.html")]:
        text = f.read_text(encoding="utf-8", errors="ignore")
        for leak in DEFAULT_LEAKS:
            assert leak not in text, f"{f.relative_to(out)} mentions {leak!r}"
    logo = Path(DEFAULT["event"]["logo"]).stem
    stale = [p.relative_to(out).as_posix() for p in out.rglob("*") if logo in p.name]
    assert stale == [], "the default event's logo is in the build"


QR_SELECTOR = ".qr-code, svg.segno"     # the class the deck puts on it, else segno's own svg class


def test_qr_code_decodes_to_the_profiles_handout_url(page):
    """Shows each QR code's slide, screenshots the code and decodes it: one must be the handout URL."""
    import zxingcpp
    from PIL import Image
    count = page.locator(QR_SELECTOR).count()
    assert count >= 1, f"no QR code ({QR_SELECTOR}) in the deck"
    found = []
    for i in range(count):
        page.evaluate("""([sel, i]) => { const q = document.querySelectorAll(sel)[i];
            const at = Reveal.getIndices(q.closest('section')); Reveal.slide(at.h, at.v, 99); }""",
                      [QR_SELECTOR, i])
        qr = page.locator(QR_SELECTOR).nth(i)
        qr.wait_for(state="visible")
        page.wait_for_timeout(800)                 # the slide transition
        image = Image.open(io.BytesIO(qr.screenshot()))
        found += [r.text for r in zxingcpp.read_barcodes(image)]
    assert HANDOUT in found, found


BROKEN = {
    "unknown key": ("event:\n  name: Outro\n  colour: '#000000'\n", "event.colour"),
    "missing logo": ("event:\n  name: Outro\n  logo: assets/logos/nao-existe.svg\n", "event.logo"),
    "bad date": ("event:\n  name: Outro\n  start: 2026-13-40\n  end: 2026-08-22\n", "event.start"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_profile_fails_fast_and_keeps_the_last_build(deck_copy, case):
    text, key = BROKEN[case]
    slug = "quebrado-" + case.replace(" ", "-")
    (deck_copy / f"_quarto-{slug}.yml").write_text(text, encoding="utf-8")
    previous = deck_copy / f"_output-{slug}"
    (previous / "libs").mkdir(parents=True)
    (previous / DECK.with_suffix(".html").name).write_text("<p>last good build</p>")
    (previous / "libs" / "x.js").write_text("// kept")
    before = {p: p.read_bytes() for p in previous.rglob("*") if p.is_file()}

    t0 = time.perf_counter()
    result = build(deck_copy, slug, timeout=60)
    seconds = time.perf_counter() - t0
    assert result.returncode != 0
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert "Traceback" not in result.stderr
    assert f"_quarto-{slug}.yml" in lines[-1] and key in lines[-1], result.stderr
    assert seconds < 20                            # before any cell or model load
    assert {p: p.read_bytes() for p in previous.rglob("*") if p.is_file()} == before
    assert not list(deck_copy.glob(f".{previous.name}*"))   # no staging folder left over


def test_deck_loads_from_127_0_0_1_only_with_nothing_missing(page):
    local = f"http://{present.HOST}:"
    assert page.requests and all(u.startswith((local, "data:", "blob:", "about:")) for u in page.requests), \
        [u for u in page.requests if not u.startswith(local)][:5]
    assert page.failures == []


def _eventually(page, js: str, seconds: float = 5) -> None:
    """Poll `js` from Python (a page in the background runs no wait_for_function poller)."""
    end = time.monotonic() + seconds
    while not page.evaluate(js):
        assert time.monotonic() < end, f"never true: {js}"
        time.sleep(0.1)


def test_presenter_keys_open_menu_chalkboard_and_speaker_view(page):
    """The keys `present` advertises: M menu, B chalkboard, S speaker view (notes + next slide),
    and B/O/M pressed in the speaker view reaching the audience's window."""
    page.evaluate("Reveal.slide(0, 0)")
    page.keyboard.press("m")
    page.wait_for_selector(".slide-menu.active", timeout=5000)
    page.keyboard.press("Escape")
    board = "() => { const b = document.getElementById('chalkboard'); return b && getComputedStyle(b).visibility; }"
    before = page.evaluate(board)
    page.keyboard.press("b")
    page.wait_for_timeout(400)
    assert before == "hidden" and page.evaluate(board) == "visible"
    page.keyboard.press("b")

    def slow(route):               # the speaker view's menu CSS arrives late, as on a busy laptop:
        time.sleep(1.5)            # the menu plugin then binds M after reveal.js is ready
        route.continue_()

    page.context.route("**/reveal.js-menu/menu.css", slow)
    with page.context.expect_page(timeout=10000) as popup:
        page.keyboard.press("s")
    speaker = popup.value
    speaker.wait_for_selector(".speaker-controls-notes", state="attached", timeout=10000)
    # the current and the upcoming slide, each a copy of the deck
    speaker.wait_for_function("document.querySelectorAll('iframe').length == 2", timeout=10000)
    srcs = speaker.evaluate("Array.from(document.querySelectorAll('iframe')).map(f => f.src)")
    assert all(src.startswith(f"http://{present.HOST}:") for src in srcs), srcs
    # B, M and O pressed in the speaker window act on the audience's window (the projector)
    speaker.wait_for_function("() => { const f = document.querySelector('#current-slide iframe');"
                              " return f?.contentDocument?.documentElement?.dataset.speakerKeys === 'audience'; }",
                              timeout=10000)
    speaker.bring_to_front()       # the audience's page is now in the background: polled from here
    speaker.keyboard.press("b")
    _eventually(page, f"() => ({board})() === 'visible'")
    preview = "() => getComputedStyle(document.querySelector('#current-slide iframe').contentDocument" \
              ".getElementById('chalkboard') || document.body).visibility"
    assert speaker.evaluate(preview) != "visible"               # not only in the speaker's preview
    speaker.keyboard.press("b")
    _eventually(page, f"() => ({board})() === 'hidden'")
    speaker.keyboard.press("o")
    _eventually(page, "() => Reveal.isOverview()")
    speaker.keyboard.press("o")
    _eventually(page, "() => !Reveal.isOverview()")
    speaker.keyboard.press("m")
    _eventually(page, "() => !!document.querySelector('.slide-menu.active')")
    speaker.close()
    page.context.unroute("**/reveal.js-menu/menu.css", slow)


def test_a_new_event_profile_has_every_key_the_deck_reads(deck_copy):
    """`make new-event` then `make slides PROFILE=...`: the deck's shortcodes all resolve."""
    from deckbuild import events
    from deckbuild.qmd import read_document
    path = events.new_event(deck_copy, name="Meetup IA Natal", start="2026-03-05", end="2026-03-05",
                            city="Natal")
    slug = path.stem.removeprefix("_quarto-")
    from deckbuild.revealjs import run_pandoc
    from deckbuild.title_slide import render_title_slide
    doc = read_document(deck_copy / DECK, deck_copy, slug)     # raises on a missing key
    assert doc.metadata["date"] == "2026-03-05"                 # the first day, formatted at render
    title = render_title_slide(doc, run_pandoc)
    assert "Meetup IA Natal" in title.split('class="event-block"')[1]
    assert "5 de março de 2026" in title and "Agile Trends" not in title
    assert doc.metadata["format"]["revealjs"]["footer"] == "Meetup IA Natal · Natal · 5 de março"
