"""Addresses are links and the handout looks like the deck (issue 10): every URL shown on a slide is
an <a> in the HTML and a link annotation in the slide PDF and the handout; the QR codes open their
address; the handout is set in the deck's fonts and keeps the token chips as chips (the id under
each token, not a run-on line)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from test_deck import STEM, deck, slides  # noqa: F401  (the built deck, shared with test_deck)

URL_TEXT = re.compile(r"(https?://\S+|\b(?:[\w-]+\.)+(?:com|org|io|ai|br|net|dev)(?:/\S*)?)")
REPO = "https://github.com/gusamaral/como-as-llms-funcionam"
LLMDATAHUB = "https://github.com/Zjh-819/LLMDataHub"


class ShownText(HTMLParser):
    """Text runs of the slides (not notes, scripts, styles or SVG titles) with the href of the
    enclosing <a>, if any."""

    SKIP = {"script", "style", "title", "aside", "desc"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.runs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "input", "hr", "source", "col", "wbr"):
            return
        self.stack.append((tag, dict(attrs).get("href") if tag == "a" else None))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "section" not in tags or self.SKIP & set(tags) or not data.strip():
            return
        href = next((h for t, h in reversed(self.stack) if t == "a"), None)
        self.runs.append((data.strip(), href))


def _pdf_uris(path) -> dict[int, set[str]]:
    pypdf = pytest.importorskip("pypdf")
    found: dict[int, set[str]] = {}
    for i, page in enumerate(pypdf.PdfReader(str(path)).pages):
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                found.setdefault(i, set()).add(str(action["/URI"]))
    return found


def _page_of(slides, title: str) -> int:
    return next(i for i, s in enumerate(slides) if s["title"] == title)


def test_every_address_shown_is_a_link_in_the_html(deck):  # noqa: F811
    p = ShownText()
    p.feed((deck / f"{STEM}.html").read_text(encoding="utf-8"))
    shown = [(text, href) for text, href in p.runs if URL_TEXT.search(text)]
    assert {LLMDATAHUB.removeprefix("https://"), REPO} <= {t for t, _ in shown}
    unlinked = [t for t, href in shown if not href]
    assert unlinked == []
    mismatched = [(t, h) for t, h in shown if not h.rstrip("/").endswith(t.rstrip("/").removeprefix("https://"))]
    assert mismatched == []


def test_qr_codes_are_links_to_their_address(deck):  # noqa: F811
    html = (deck / f"{STEM}.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="qr-link" href="([^"]+)"><svg[^>]*class="qr-code', html)
    assert sorted(set(links)) == sorted({REPO, LLMDATAHUB})
    assert links.count(REPO) == 2                                   # opening and closing slides


@pytest.mark.parametrize("pdf", [f"{STEM}.pdf", f"{STEM}-handout.pdf"])
def test_addresses_are_links_in_both_pdfs(deck, slides, pdf):  # noqa: F811
    uris = _pdf_uris(deck / pdf)
    every = set().union(*uris.values())
    assert {REPO, LLMDATAHUB} <= every
    if pdf == f"{STEM}.pdf":                     # one page per slide: on the slides that show them
        assert LLMDATAHUB in uris.get(_page_of(slides, "LLMDataHub"), set())
        assert REPO in uris.get(_page_of(slides, "Perguntas?"), set())
    assert len(every) >= 40                      # the reference slides' works are links too


def test_handout_uses_the_deck_fonts(deck):  # noqa: F811
    pypdf = pytest.importorskip("pypdf")
    fonts = set()
    for page in pypdf.PdfReader(str(deck / f"{STEM}-handout.pdf")).pages:
        for ref in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(ref.get_object().get("/BaseFont")).split("+")[-1])
    assert {"Inter-Regular", "Inter-Bold"} <= fonts
    assert any(f.startswith("JetBrainsMono") for f in fonts)


def test_handout_token_chips_keep_the_id_under_each_token(deck):  # noqa: F811
    """Positions from the PDF: each chip's id is printed below its token, not on the same line."""
    pypdf = pytest.importorskip("pypdf")
    html = (deck / f"{STEM}.html").read_text(encoding="utf-8")
    chips = re.findall(r'class="token-chip".*?white-space:pre">([^<]*)</span><span[^>]*>(\d+)</span>', html)
    assert len(chips) >= 10
    assert chips[0][0] == "Eu"
    reader = pypdf.PdfReader(str(deck / f"{STEM}-handout.pdf"))
    page = next(p for p in reader.pages if "Tokens: como o modelo lê" in (p.extract_text() or ""))
    runs: list[tuple[str, float]] = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: runs.append((text.strip(), tm[5] * cm[3] + cm[5])))
    where = {t: y for t, y in runs if t}
    first_id = chips[0][1]
    assert "Eu" in where and first_id in where
    assert where[first_id] < where["Eu"] - 4                        # the id sits under "Eu"
