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
    up_to_date: bool = False           # nothing had changed: the output folder was left alone


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


def slide_pdfs(html: Path, out_dir: Path, progress, slides: bool = True, notes_pdf: bool = False) -> list[Path]:
    """`<stem>.pdf` and/or `<stem>-notes.pdf` printed from a built page; both engines use it."""
    from deckbuild import pdf as pdf_mod
    files = []
    if slides:
        progress(f"pdf · {html.name}")
        files.append(step(progress, "pdf", pdf_mod.print_slides, html, out_dir / f"{html.stem}.pdf"))
    if notes_pdf:
        files.append(step(progress, "notes_pdf", pdf_mod.print_slides, html,
                          out_dir / f"{html.stem}-notes.pdf", notes=True))
    return files


def finish_pages(out_dir: Path, nm: Path, page: Path, folder: bool = True) -> None:
    """deckbuild.page_fixups on a built page (and, with `folder`, on the SVG files next to it)."""
    from deckbuild import page_fixups
    if folder:
        page_fixups.finalize_folder(out_dir, nm)
    page_fixups.finalize_page(page, nm)


@dataclass
class DeckPlan:
    """One deck of a build: its products' keys (deckbuild.manifest), those already up to date in
    the output folder, and `make(tmp, products)` that writes the others into the staging folder."""
    stem: str
    keys: dict
    keep: list
    make: object

    @property
    def todo(self) -> list[str]:
        return [p for p in self.keys if p not in self.keep]


def run_plans(out: Path, plans: list[DeckPlan], progress, result: BuildResult) -> BuildResult:
    """Make what changed (all of it when nothing is up to date) and swap it in; or say that
    nothing changed and touch nothing."""
    from deckbuild import manifest
    if all(not p.todo for p in plans):
        result.files = [out / f.format(stem=p.stem) for p in plans for k in p.keys
                        for f in manifest.PRODUCTS[k] if not f.endswith("_files")]
        result.up_to_date = True
        progress(f"nothing changed: {out.name}/ is up to date")
        return result
    with staged(out) as tmp:
        entries = {}
        for plan in plans:
            if plan.keep:
                progress(f"unchanged · {', '.join(plan.keep)}")
            carried = manifest.carry_over(out, tmp, plan.stem, plan.keep)
            made = plan.make(tmp, plan.todo)
            result.files += [out / f.relative_to(tmp) for f in [*carried, *made]]
            entries[plan.stem] = plan.keys
        manifest.write(tmp, entries)
    return result


def builtin_plan(doc, out: Path, cache_dir: Path, progress: Progress, *, fresh: bool, pdf: bool,
                 notes_pdf: bool, handout: bool) -> DeckPlan:
    """Run (or load) one deck's cells and plan its products for the built-in engine."""
    from deckbuild import execute, manifest, theme
    theme.theme_files(doc)                      # a missing theme fails before any cell runs
    executed = progress.step("execute", execute.run_document, doc, cache_dir, fresh, progress)
    keys = manifest.product_keys(manifest.deck_source_key(doc, executed), manifest.build_tools_key(doc),
                                 notes_pdf=notes_pdf, pdf=pdf, handout=handout)
    keep = [] if fresh else manifest.up_to_date(out, doc.path.stem, keys)

    def make(tmp: Path, todo: list[str]) -> list[Path]:
        return make_builtin(doc, executed, tmp, cache_dir, progress, todo)
    return DeckPlan(doc.path.stem, keys, keep, make)


def make_builtin(doc, executed, tmp: Path, cache_dir: Path, progress, todo: list[str]) -> list[Path]:
    """The built-in engine's products in `todo`, written into the staging folder `tmp`."""
    from deckbuild import revealjs
    stem, files = doc.path.stem, []
    html = tmp / f"{stem}.html"
    nm = revealjs.node_modules(doc.root)
    if "html" in todo:
        progress(f"html · {doc.path.name}")
        step(progress, "html", revealjs.render_html, doc, executed, tmp, cache_dir)
        finish_pages(tmp, nm, html)
        files.append(html)
    if "standalone" in todo:
        alone = step(progress, "standalone", revealjs.render_standalone, html, tmp / f"{stem}-standalone.html")
        finish_pages(tmp, nm, alone, folder=False)
        files.append(alone)
    files += slide_pdfs(html, tmp, progress, "pdf" in todo, "notes_pdf" in todo)
    if "handout" in todo:
        from deckbuild import handout as handout_mod
        progress(f"handout · {stem}-handout.pdf")
        files.append(step(progress, "handout", handout_mod.render_handout, doc, executed, tmp,
                          tmp / f"{stem}-handout.pdf"))
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
    plans = []
    for path in deck_paths(config):
        progress(f"read · {rel(path, root)}")
        doc = read_document(path, root, profile, config=config)
        plans.append(builtin_plan(doc, out, root / CACHE_DIR, progress, fresh=fresh, pdf=pdf,
                                  notes_pdf=notes_pdf, handout=handout))
    result = run_plans(out, plans, progress, BuildResult(out))
    result.timings = dict(progress.timings)
    if not result.up_to_date:
        progress(f"done → {rel(out, root)}")
    return result
