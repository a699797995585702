"""The Quarto path: when `quarto` is on PATH, Quarto renders and executes the deck; the result
ends up in the same files, in the same output folder, as the built-in engine's.

Per deck (`project: render:` in _quarto.yml), from the project root:
  1. `quarto render slides/<stem>.qmd --to revealjs --output-dir <staging> --no-execute-daemon
     [--profile P] ...`. Whether Quarto runs Python is decided by deckbuild.quarto_freeze: the
     deck's content key (everything the built-in cell cache covers) either restores a stored
     freeze and adds `--use-freezer` (Quarto thaws it, no Python runs), or clears the freeze and
     adds `--metadata-file` with `keep-ipynb: true` (Quarto executes and keeps the notebook it
     ran, which is stored with the freeze). Quarto keeps the input's folder under output-dir
     (<staging>/slides/<stem>.html + <stem>_files/, resources at their project paths), so the
     page and its `_files/` move up to <staging>/<stem>.html and the page's other relative URLs
     are re-based. `--no-execute-daemon`: a kept-alive kernel would keep the environment
     (QUARTO_PROFILE) of the render that started it.
  2. The same with `--metadata-file <yml>` into a second staging folder →
     <stem>-standalone.html. Both renders first go through QuartoDeck._prepare_freeze, so
     `_freeze/` holds this key's freeze (or none, and Quarto executes) even when only the
     standalone is rebuilt after another profile's build. The file sets `format: revealjs:
     embed-resources: true, chalkboard: false` (Quarto refuses chalkboard in self-contained
     output). `-M key:value` would not do: it sets top-level metadata, which the deck's
     `format: revealjs:` options override (render-contexts.ts), while --metadata-file is
     merged as a whole mapping.
  3. Both pages get deckbuild.page_fixups (fonts in SVG images, a zoomable viewport, and a
     failure if anything would load from the network).
  4. deckbuild.pdf prints <stem>.pdf (and <stem>-notes.pdf) from the Quarto page.
  5. The A4 handout is written by deckbuild.handout from the outputs in Quarto's executed
     notebook: the cells ran once, for the deck and the handout alike.
An unchanged deck does nothing (deckbuild.manifest), as with the built-in engine.

Quarto's output-dir must be project-relative (absolute paths only since Quarto 1.5), and is
given as such. The environment of the quarto process (inherited by the Jupyter kernel) holds
QUARTO_PROFILE, DECK_ROOT, DECK_ENGINE=quarto, HF_HUB_OFFLINE=1 and QUARTO_PYTHON (this
Python, unless already set), so demos.config.deck_config() reads the profile Quarto merges.
Everything is staged and swapped into ProjectConfig.output_dir only when every step succeeded;
a failing `quarto render` is one DeckError line (the full log is kept in .deck-cache/)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from deckbuild.build import CACHE_DIR, BuildResult, slide_pdfs, step
from deckbuild.document import DeckError
from deckbuild.execute import deck_env
from deckbuild.outputs import strip_ansi
from deckbuild.quarto_page import _page, lift_page, rebase_html  # noqa: F401 (re-exported)

LOG_NAME = "quarto-render.log"
STANDALONE_METADATA = {"format": {"revealjs": {"embed-resources": True, "chalkboard": False}}}
EXECUTE_METADATA = {"keep-ipynb": True}         # Quarto keeps the notebook it executed


def quarto_path() -> str:
    found = shutil.which("quarto")
    if not found:
        raise DeckError("quarto is not on PATH: install it from quarto.org or use --engine builtin")
    return found


def quarto_env(root: Path, profile: str, environ: dict | None = None) -> dict:
    """Environment of the quarto process; Quarto's Jupyter kernel inherits it."""
    env = dict(os.environ if environ is None else environ)
    env.update(deck_env(root, profile, "quarto"))
    if not profile:
        env.pop("QUARTO_PROFILE")
    env.setdefault("QUARTO_PYTHON", sys.executable)   # the Python that has ipykernel + demos
    return env


def render_command(quarto: str, deck: str, output_dir: str, profile: str, *,
                   thaw: bool = True, metadata_file: str | None = None) -> list[str]:
    """argv of one `quarto render` (paths relative to the project root): `thaw` reuses the freeze
    (no Python runs); otherwise Quarto executes the deck."""
    cmd = [quarto, "render", deck, "--to", "revealjs", "--output-dir", output_dir,
           "--no-execute-daemon"]
    if profile:
        cmd += ["--profile", profile]
    if thaw:
        cmd.append("--use-freezer")
    if metadata_file:
        cmd += ["--metadata-file", metadata_file]
    return cmd


def _last_error(text: str) -> str:
    lines = [strip_ansi(ln).strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    errors = [ln for ln in lines if "ERROR" in ln or "Error" in ln]
    return ((errors or lines or ["no output"])[-1])[:300]


def run_quarto(cmd: list[str], root: Path, env: dict, deck: str) -> None:
    """Run one quarto command; a non-zero exit is a one-line DeckError naming the deck."""
    log = root / CACHE_DIR / LOG_NAME
    try:
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    except OSError as e:
        raise DeckError(f"cannot run quarto ({e.strerror}): check the install or use --engine builtin",
                        deck) from None
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(f"$ {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}", encoding="utf-8")
    if proc.returncode != 0:
        raise DeckError(f"quarto render failed (exit {proc.returncode}): "
                        f"{_last_error(proc.stderr or proc.stdout)} (log: {log.relative_to(root)})", deck)


# ---------------------------------------------------------------- build

def _decks(config, root: Path) -> list[str]:
    from deckbuild.config import deck_paths
    return [Path(os.path.relpath(d, root)).as_posix() for d in deck_paths(config)]


def _quarto_stamp(quarto: str) -> str:
    """Which Quarto renders (its path and modification time): part of the HTML's key."""
    real = Path(quarto).resolve()
    return f"{real}:{real.stat().st_mtime_ns}" if real.exists() else quarto


def _with_metadata(tmp: Path, name: str, data: dict) -> Path:
    meta = tmp.with_name(f"{tmp.name}-{name}.yml")
    meta.write_text(yaml.safe_dump(data), encoding="utf-8")
    return meta


class QuartoDeck:
    """One deck rendered by Quarto: its freeze/notebook (deckbuild.quarto_freeze) and products."""

    def __init__(self, quarto: str, root: Path, deck: str, profile: str, env: dict, fresh: bool, progress):
        from deckbuild import quarto_freeze
        from deckbuild.qmd import read_document
        self.quarto, self.root, self.deck, self.profile, self.env = quarto, root, deck, profile, env
        self.progress, self.stem = progress, Path(deck).stem
        self.doc = read_document(root / deck, root, profile or None, strict=False)
        self.key = quarto_freeze.deck_key(self.doc)
        self.store = quarto_freeze.FreezeStore(root / CACHE_DIR, deck)
        self.thaw = not fresh and self.store.has(self.key)
        self._notebook: Path | None = self.store.entry(self.key) / quarto_freeze.NOTEBOOK if self.thaw else None

    def rel(self, p: Path) -> str:
        return Path(os.path.relpath(p, self.root)).as_posix()

    def _prepare_freeze(self) -> bool:
        """Make `_freeze/` hold this build key's freeze before a render: restore it (True: Quarto
        thaws it) or clear it and stale kept notebooks (False: Quarto executes). Every render
        goes through here: `_freeze/` holds what the last render left, perhaps another profile's,
        and `--use-freezer` thaws any freeze whose hash of the main .qmd (only include lines
        here) matches (quarto-cli src/command/render/render-files.ts:171-192, freeze.ts:133-134)."""
        from deckbuild import quarto_freeze
        freeze = quarto_freeze.freeze_dir(self.root, self.deck)
        if self.thaw:
            self.store.restore(self.key, freeze)
            return True
        shutil.rmtree(freeze, ignore_errors=True)
        for old in quarto_freeze.transient_notebooks(self.root, self.deck):
            old.unlink()
        return False

    def _render(self, tmp: Path, out: Path, name: str, metadata: dict, label: str) -> None:
        """One `quarto render` into `out` (`name`: its step, and its metadata file <tmp>-<name>.yml
        beside the staging folder); an execution (unknown key) keeps its notebook, which
        is stored with the freeze, so any later render of this build thaws what just ran."""
        from deckbuild import quarto_freeze
        thaw = self._prepare_freeze()
        metadata = {**metadata, **({} if thaw else EXECUTE_METADATA)}
        meta = _with_metadata(tmp, name, metadata) if metadata else None
        self.progress(f"quarto render · {label}" + (" (frozen outputs)" if thaw else ""))
        try:
            step(self.progress, name, run_quarto,
                 render_command(self.quarto, self.deck, self.rel(out), self.profile, thaw=thaw,
                                metadata_file=self.rel(meta) if meta else None), self.root, self.env, self.deck)
        finally:
            if meta:
                meta.unlink(missing_ok=True)
        if not thaw:
            kept = quarto_freeze.transient_notebooks(self.root, self.deck)
            if not kept:
                raise DeckError("quarto render kept no executed notebook (keep-ipynb)", self.deck)
            freeze = quarto_freeze.freeze_dir(self.root, self.deck)
            self._notebook = self.store.save(self.key, freeze, kept[-1])
            self.thaw = True

    def render_page(self, tmp: Path) -> Path:
        """Quarto's page, lifted to <tmp>/<stem>.html; Python runs only for a new content key."""
        self._render(tmp, tmp, "quarto", {}, self.deck)
        return lift_page(tmp, self.deck)

    def render_standalone(self, tmp: Path) -> Path:
        alone = tmp.with_name(f"{tmp.name}-standalone")
        shutil.rmtree(alone, ignore_errors=True)
        try:
            self._render(tmp, alone, "standalone", STANDALONE_METADATA, f"{self.stem}-standalone.html")
            return Path(shutil.move(_page(alone, self.deck, self.stem), tmp / f"{self.stem}-standalone.html"))
        finally:
            shutil.rmtree(alone, ignore_errors=True)

    def executed(self) -> list:
        from deckbuild import quarto_freeze
        if self._notebook is None or not self._notebook.is_file():
            raise DeckError("no executed notebook for the handout: rebuild with --fresh", self.deck)
        return quarto_freeze.executed_chunks(self.doc, self._notebook)

    def make(self, tmp: Path, todo: list[str]) -> list[Path]:
        from deckbuild.build import finish_pages
        from deckbuild.revealjs import node_modules
        nm, files = node_modules(self.root), []
        html = tmp / f"{self.stem}.html"
        if "html" in todo:
            files.append(self.render_page(tmp))
            finish_pages(tmp, nm, html)
        if "standalone" in todo:
            files.append(self.render_standalone(tmp))
            finish_pages(tmp, nm, files[-1], folder=False)
        files += slide_pdfs(html, tmp, self.progress, "pdf" in todo, "notes_pdf" in todo)
        if "handout" in todo:
            from deckbuild import handout
            self.progress(f"handout · {self.stem}-handout.pdf")
            files.append(step(self.progress, "handout", handout.render_handout, self.doc, self.executed(),
                              tmp, tmp / f"{self.stem}-handout.pdf"))
        return files


def build(root: Path, profile: str | None, *, fresh: bool = False, pdf: bool = True,
          notes_pdf: bool = False, handout: bool = True, progress=print):
    """Render every deck with Quarto, then print the PDFs; returns a deckbuild.build.BuildResult."""
    from deckbuild import manifest
    from deckbuild.build import DeckPlan, run_plans
    from deckbuild.config import load_project_config

    root = Path(root).resolve()
    config = load_project_config(root, profile)       # bad profile/keys fail before Quarto runs
    quarto = quarto_path()
    env = quarto_env(root, config.profile)
    out = Path(config.output_dir)
    plans = []
    for deck in _decks(config, root):
        q = QuartoDeck(quarto, root, deck, config.profile, env, fresh, progress)
        tools = manifest.build_tools_key(q.doc) + _quarto_stamp(quarto) + manifest.date_key(q.doc)
        keys = manifest.product_keys(q.key, tools, notes_pdf=notes_pdf, pdf=pdf, handout=handout)
        keep = [] if fresh else manifest.up_to_date(out, q.stem, keys)
        plans.append(DeckPlan(q.stem, keys, keep, q.make))
    result = run_plans(out, plans, progress, BuildResult(out, engine="quarto"))
    result.timings = dict(getattr(progress, "timings", {}))
    if not result.up_to_date:
        progress(f"done → {out}")
    return result
