"""The slide PDF, the notes PDF and the A4 handout of the fixture build (see test_build.py)."""
from __future__ import annotations

import re

import pytest

from test_build import built, deck_html, expected_notes, expected_slide_titles, parse  # noqa: F401

pypdf = pytest.importorskip("pypdf")


def _pages(path) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(str(path)).pages]


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split())


def test_slide_pdf_one_page_per_slide(built):
    root = built[0]
    slides = parse(deck_html(root))
    pages = _pages(root / "_output" / "mini.pdf")
    assert len(pages) == len(slides)
    for page, title in zip(pages[1:], expected_slide_titles()):
        assert title in page
    # fragments are printed in their final state: the text after the pause is on the slide
    assert "Texto depois da pausa." in pages[1]
    assert "Fragmento destacado" in pages[2]


def test_slide_pdf_page_size_matches_deck(built):
    page = pypdf.PdfReader(str(built[0] / "_output" / "mini.pdf")).pages[0]
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    assert abs(w / h - 1050 / 700) < 0.01


def test_notes_pdf_adds_a_page_per_slide_with_notes(built):
    root = built[0]
    slides = parse(deck_html(root))
    with_notes = sum(1 for s in slides if s["notes"].strip())
    pages = _pages(root / "_output" / "mini-notes.pdf")
    assert len(pages) == len(slides) + with_notes
    text = " ".join(pages)
    for note in expected_notes():
        assert _plain(note) in text


def test_handout_has_titles_notes_and_event(built):
    root = built[0]
    text = " ".join(_pages(root / "_output" / "mini-handout.pdf"))
    for title in expected_slide_titles():
        assert title in text, title
    for note in expected_notes():
        assert _plain(note) in text, note
    assert "Evento de Teste" in text and "Recife" in text and "10 a 11 de junho de 2025" in text
    assert "Vaswani" in text                                    # the references slide
    reader = pypdf.PdfReader(str(root / "_output" / "mini-handout.pdf"))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1   # A4


def test_handout_uses_static_chart_images(built):
    reader = pypdf.PdfReader(str(built[0] / "_output" / "mini-handout.pdf"))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) >= 2          # the Altair PNG fallback and the matplotlib figure


def test_missing_chromium_names_the_setup_step(monkeypatch, tmp_path):
    from deckbuild.document import DeckError
    from deckbuild.pdf import chromium_path
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))            # an empty folder: no browser on PATH
    with pytest.raises(DeckError, match=r"make setup"):
        chromium_path()


def test_handout_header_dates_follow_the_profile():
    """The handout shows `event.dates` as written in the profile, else dates written from start/end."""
    import datetime as dt
    from deckbuild.handout import event_dates
    assert event_dates({"dates": "10 a 13 de junho de 2025"}) == "10 a 13 de junho de 2025"
    assert event_dates({"start": dt.date(2026, 8, 20), "end": dt.date(2026, 8, 22)}) == "20 a 22 de agosto de 2026"
    assert event_dates({}) == ""
