"""Orchestrates a build: config → read → execute → HTML → standalone → PDFs, per deck.

Everything is written to a temporary folder next to the output folder and swapped into
`ProjectConfig.output_dir` only when every step succeeded, so a failing cell or a missing
tool leaves the previous output intact (`staged`, shared with deckbuild.quarto_engine, as is
`slide_pdfs`). Progress lines carry the elapsed time:
`[  12.3s] cell 5/30 · Predição de Tokens (slides/x.qmd:120)`."""
from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from deckbuild.document import DeckError

CACHE_DIR = ".deck-cache"


class Progress:
    """Prints `[ elapsed ] message` lines (to stderr by default) and records step timings."""

    def __init__(self, stream=None, quiet: bool = False):
        self.t0 = time.monotonic()
        self.stream, self.quiet = stream or sys.stderr, quiet
        self.timings: dict[str, float] = {}

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.monotonic() - self.t0:6.1f}s] {message}", file=self.stream, flush=True)

    def step(self, name: str, fn, *args, **kwargs):
        start = time.monotonic()
        result = fn(*args, **kwargs)
        self.timings[name] = self.timings.get(name, 0.0) + time.monotonic() - start
        return result


@dataclass
class BuildResult:
    output_dir: Path
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    engine: str = "builtin"


def _swap(tmp: Path, out: Path) -> None:
    """Replace `out` by `tmp` with two renames (the old folder survives until the second)."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    try:
        tmp.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged(out: Path):
    """A fresh staging folder next to `out`, swapped into `out` only when the block succeeds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def step(progress, name: str, fn, *args, **kwargs):
    """`progress.step(...)` when progress records timings, else a plain call (progress=print)."""
    timed = getattr(progress, "step", None)
    return timed(name, fn, *args, **kwargs) if timed else fn(*args, **kwargs)


def slide_pdfs(html: Path, out_dir: Path, progress, notes_pdf: bool = False) -> list[Path]:
    """`<stem>.pdf` (and `<stem>-notes.pdf`) printed from a built page; both engines use it."""
    from deckbuild import pdf as pdf_mod
    progress(f"pdf · {html.name}")
    files = [step(progress, "pdf", pdf_mod.print_slides, html, out_dir / f"{html.stem}.pdf")]
    if notes_pdf:
        files.append(step(progress, "notes_pdf", pdf_mod.print_slides, html,
                          out_dir / f"{html.stem}-notes.pdf", notes=True))
    return files


def build_deck(doc, out_dir: Path, cache_dir: Path, progress: Progress, *, fresh: bool = False,
               pdf: bool = True, notes_pdf: bool = False, handout: bool = True) -> list[Path]:
    """Build one Document into out_dir (an empty staging folder); returns the files written."""
    from deckbuild import execute, revealjs, theme

    theme.theme_files(doc)                      # a missing theme fails before any cell runs
    executed = progress.step("execute", execute.run_document, doc, cache_dir, fresh, progress)
    progress(f"html · {doc.path.name}")
    html = progress.step("html", revealjs.render_html, doc, executed, out_dir, cache_dir)
    files = [html]
    files.append(progress.step("standalone", revealjs.render_standalone, html,
                               out_dir / f"{doc.path.stem}-standalone.html"))
    if pdf:
        from deckbuild import handout as handout_mod
        files += slide_pdfs(html, out_dir, progress, notes_pdf)
        if handout:
            progress(f"handout · {doc.path.stem}-handout.pdf")
            files.append(progress.step("handout", handout_mod.render_handout, doc, executed, out_dir,
                                       out_dir / f"{doc.path.stem}-handout.pdf"))
    return files


def build(root: Path = Path("."), profile: str | None = None, *, engine: str = "auto",
          fresh: bool = False, pdf: bool = True, notes_pdf: bool = False, handout: bool = True,
          progress: Progress | None = None) -> BuildResult:
    """Build every deck of the project's `render:` list; raises DeckError on any failure."""
    from deckbuild.config import deck_paths, load_project_config, rel

    root = Path(root).resolve()
    progress = progress or Progress()
    if engine not in ("auto", "quarto", "builtin"):
        raise DeckError(f"unknown engine '{engine}' (use auto, quarto or builtin)")
    if engine == "quarto" or (engine == "auto" and shutil.which("quarto")):
        from deckbuild import quarto_engine
        return quarto_engine.build(root, profile, fresh=fresh, pdf=pdf, notes_pdf=notes_pdf,
                                   handout=handout, progress=progress)
    from deckbuild.qmd import read_document
    config = load_project_config(root, profile)
    out = Path(config.output_dir)
    decks = deck_paths(config)
    result = BuildResult(out)
    with staged(out) as tmp:
        for path in decks:
            progress(f"read · {rel(path, root)}")
            doc = read_document(path, root, profile, config=config)
            files = build_deck(doc, tmp, root / CACHE_DIR, progress, fresh=fresh, pdf=pdf,
                               notes_pdf=notes_pdf, handout=handout)
            result.files += [out / f.relative_to(tmp) for f in files]
    result.timings = dict(progress.timings)
    progress(f"done → {rel(out, root)}")
    return result
