"""The A4 reading handout: the executed deck → pandoc (typst writer) → `typst.compile()`.

Built from the same executed cells as the slides, with the static PNG fallback of every chart
in place of the interactive one. Each slide becomes a section (title, content, figures) followed
by its speaker notes in a note box; the first page carries the event header from the metadata
(`event.name`, city, dates). A "Referências" slide, when the deck has one, ends up as the
references section. Templates: templates/handout.typ and templates/handout.lua."""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from deckbuild.config import rel
from deckbuild.document import DeckError, Document
from deckbuild.fonts import deck_ttf_fonts
from deckbuild.outputs import FigureSink, document_markdown
from deckbuild.revealjs import PKG, run_pandoc
from demos.display import typst_string

def event_dates(event: dict) -> str:
    """The event's dates as slides show them: `event.dates`, else written from start/end."""
    if event.get("dates"):
        return str(event["dates"])
    start, end = event.get("start"), event.get("end") or event.get("start")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return ""
    from deckbuild.events import dates_text
    return dates_text(start, end)


def typst_content(text: str) -> str:
    """Plain text made safe for typst markup ([...] content)."""
    return re.sub(r'([\\#\[\]*_$@<>`~"/=+-])', r"\\\1", str(text))


def handout_variables(doc: Document) -> dict[str, str]:
    m = doc.metadata
    event = m.get("event") or {}
    colors = event.get("colors") or {}
    authors = m.get("author") or []
    names = [a.get("name", "") if isinstance(a, dict) else str(a)
             for a in (authors if isinstance(authors, list) else [authors])]
    line = " · ".join(x for x in (event.get("venue") or event.get("city"),
                                  event_dates(event)) if x)
    title = str(m.get("title") or doc.path.stem)
    return {"handout-title": typst_content(title), "handout-title-str": typst_string(title),
            "handout-subtitle": typst_content(m.get("subtitle") or ""),
            "handout-author": typst_content(", ".join(n for n in names if n)),
            "event-name": typst_content(event.get("name") or ""), "event-line": typst_content(line),
            "ink": colors.get("ink", "#0B1F3A"), "accent": colors.get("accent", "#C24A08")}


def handout_typst(doc: Document, executed: list, work: Path) -> str:
    """The typst source of the handout (figures written under `work`)."""
    sink = FigureSink(work / "figures", str(work / "figures"))
    markdown = document_markdown(doc, executed, sink, "handout")
    args = ["-f", "markdown", "-t", "typst", "--wrap=none", "--template", str(PKG / "templates" / "handout.typ"),
            "--lua-filter", str(PKG / "templates" / "handout.lua"), f"--resource-path={doc.path.parent}:{doc.root}",
            f"--extract-media={work / 'media'}"]
    for key, value in handout_variables(doc).items():
        if value:
            args += ["-V", f"{key}={value}"]
    text = run_pandoc(args, markdown, f"{doc.path} (handout)")
    return _absolute_images(text, [doc.path.parent, doc.root])


def _absolute_images(text: str, bases: list[Path]) -> str:
    """typst resolves image paths against its root ('/'): make relative ones absolute."""
    def fix(m):
        ref = m.group(1)
        if ref.startswith("/") or re.match(r"^[a-z]+:", ref):
            return m.group(0)
        for base in bases:
            if (base / ref).is_file():
                return f'image("{(base / ref).resolve().as_posix()}"'
        return m.group(0)
    return re.sub(r'image\("([^"]+)"', fix, text)


def render_handout(doc: Document, executed: list, out_dir: Path, out: Path) -> Path:
    """Write `<stem>-handout.pdf`; the intermediate .typ and figures live in a temp folder."""
    try:
        import typst
    except ImportError:
        raise DeckError("the typst package is missing: run `make setup` (tools/setup.sh)") from None
    fonts = deck_ttf_fonts(doc.root)        # outside the try: a missing font says what to run
    with tempfile.TemporaryDirectory(prefix="deck-handout-", dir=out_dir) as tmp:
        work = Path(tmp)
        source = work / "handout.typ"
        source.write_text(handout_typst(doc, executed, work), encoding="utf-8")
        try:
            typst.compile(str(source), output=str(out), root="/", font_paths=[str(fonts)])
        except Exception as e:  # typst raises its own error type with the typst diagnostics
            raise DeckError(f"typst could not compile the handout: {' '.join(str(e).split())[:300]}",
                            rel(doc.path, doc.root)) from None
    return out
