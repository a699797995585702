"""The Quarto path: when `quarto` is on PATH, Quarto renders and executes the deck; the result
ends up in the same files, in the same output folder, as the built-in engine's.

Per deck (`project: render:` in _quarto.yml), from the project root:
  1. `quarto render slides/<stem>.qmd --to revealjs --output-dir <staging> --no-execute-daemon
     [--use-freezer] [--profile P]`. Quarto keeps the input's folder under output-dir
     (<staging>/slides/<stem>.html + <stem>_files/, resources such as assets/ at their project
     paths), so the page and its `_files/` move up to <staging>/<stem>.html and the page's
     other relative URLs are re-based. A file render always executes unless `--use-freezer`
     (then `execute: freeze: auto` reuses `_freeze/`); `--fresh` drops that flag.
     `--no-execute-daemon`: a kept-alive kernel would keep the environment (QUARTO_PROFILE)
     of the render that started it.
  2. The same with `--use-freezer --metadata-file <yml>` into a second staging folder →
     <stem>-standalone.html. The file sets `format: revealjs: embed-resources: true,
     chalkboard: false` (Quarto refuses chalkboard in self-contained output). `-M key:value`
     would not do: it sets top-level metadata, which the deck's `format: revealjs:` options
     override (render-contexts.ts), while --metadata-file is merged as a whole mapping.
  3. deckbuild.pdf prints <stem>.pdf (and <stem>-notes.pdf) from the Quarto page.
  4. The A4 handout needs each cell's outputs, which Quarto does not expose (its freeze holds
     one executed Markdown per output kind): it is written by the built-in reader, executor
     (cached in .deck-cache/, so a cell runs again only when the deck changed) and
     deckbuild.handout.

Quarto's output-dir must be project-relative (absolute paths only since Quarto 1.5), and is
given as such. The environment of the quarto process (inherited by the Jupyter kernel) holds
QUARTO_PROFILE, DECK_ROOT, DECK_ENGINE=quarto, HF_HUB_OFFLINE=1 and QUARTO_PYTHON (this
Python, unless already set), so demos.config.deck_config() reads the profile Quarto merges.
Everything is staged and swapped into ProjectConfig.output_dir only when every step succeeded;
a failing `quarto render` is one DeckError line (the full log is kept in .deck-cache/)."""
from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from deckbuild.build import CACHE_DIR, BuildResult, slide_pdfs, staged, step
from deckbuild.document import DeckError
from deckbuild.execute import deck_env
from deckbuild.outputs import strip_ansi

LOG_NAME = "quarto-render.log"
STANDALONE_METADATA = {"format": {"revealjs": {"embed-resources": True, "chalkboard": False}}}
_URL_ATTR = re.compile(r"""(\s(?:src|href|data-src|data-background-image|data-background-video|"""
                       r"""data-background-iframe|poster)=)(["'])(.*?)\2""", re.I | re.S)
_STYLE_ATTR = re.compile(r"""(\sstyle=)(["'])(.*?)\2""", re.I | re.S)
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.I | re.S)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^)"']+)\1\s*\)""")
_SCRIPT = re.compile(r"(<script\b.*?</script\s*>)", re.I | re.S)
_ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#|\{)", re.I)


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
                   fresh: bool = False, metadata_file: str | None = None) -> list[str]:
    """argv of one `quarto render` (paths relative to the project root); `metadata_file`
    (the standalone render) implies --use-freezer: the first render just ran the cells."""
    cmd = [quarto, "render", deck, "--to", "revealjs", "--output-dir", output_dir,
           "--no-execute-daemon"]
    if profile:
        cmd += ["--profile", profile]
    if metadata_file or not fresh:
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


# ---------------------------------------------------------------- page relocation

def _rebase(url: str, deck_dir: str, files_prefix: str) -> str:
    if not url or _ABSOLUTE.match(url) or url.startswith(files_prefix):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return posixpath.normpath(posixpath.join(deck_dir, url[:cut])) + url[cut:]


def rebase_html(text: str, deck_dir: str, stem: str) -> str:
    """Rewrite the relative URLs of a page that moves from `deck_dir/` up to the output root
    (its `<stem>_files/` moves along, so URLs into it stay). Script bodies are left alone."""
    if deck_dir in ("", "."):
        return text
    prefix = f"{stem}_files/"

    def quoted(pattern: re.Pattern, part: str, fix) -> str:       # name=" value "
        return pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{fix(m.group(3))}{m.group(2)}", part)

    def url(value: str) -> str:
        return _rebase(value, deck_dir, prefix)

    def css(block: str) -> str:
        return _CSS_URL.sub(lambda m: f"url({m.group(1)}{url(m.group(2))}{m.group(1)})", block)

    out = []
    for piece in _SCRIPT.split(text):
        if _SCRIPT.fullmatch(piece):         # only the opening tag's src is a URL: the body is code
            head, _, body = piece.partition(">")
            out.append(quoted(_URL_ATTR, head, url) + ">" + body)
        else:
            piece = quoted(_STYLE_ATTR, quoted(_URL_ATTR, piece, url), css)
            out.append(_STYLE_BLOCK.sub(lambda m: m.group(1) + css(m.group(2)) + m.group(3), piece))
    return "".join(out)


def _page(staging: Path, deck_rel: str, stem: str) -> Path:
    page = staging / posixpath.dirname(deck_rel) / f"{stem}.html"
    if not page.is_file():
        raise DeckError(f"quarto render wrote no {page.relative_to(staging)} "
                        f"(does the deck set output-file?)", deck_rel)
    return page


def lift_page(staging: Path, deck_rel: str) -> Path:
    """Move `<staging>/<dir>/<stem>.html` and its `<stem>_files/` to `<staging>/`."""
    stem, deck_dir = Path(deck_rel).stem, posixpath.dirname(deck_rel)
    page = _page(staging, deck_rel, stem)
    if deck_dir in ("", "."):
        return page
    target = staging / f"{stem}.html"
    target.write_text(rebase_html(page.read_text(encoding="utf-8"), deck_dir, stem), encoding="utf-8")
    page.unlink()
    files = page.with_name(f"{stem}_files")
    if files.is_dir():
        shutil.rmtree(staging / files.name, ignore_errors=True)
        files.rename(staging / files.name)
    for d in [page.parent, *page.parent.parents]:      # drop folders the move left empty
        if d == staging or not d.is_relative_to(staging) or any(d.iterdir()):
            break
        d.rmdir()
    return target


# ---------------------------------------------------------------- build

def _decks(config, root: Path) -> list[str]:
    from deckbuild.config import deck_paths
    return [Path(os.path.relpath(d, root)).as_posix() for d in deck_paths(config)]


def _handout(root: Path, deck: str, profile: str | None, out_dir: Path, fresh: bool, progress) -> Path:
    """The built-in handout (reader + cached executor + typst) for one deck."""
    from deckbuild import execute, handout
    from deckbuild.qmd import read_document
    doc = read_document(root / deck, root, profile)
    executed = step(progress, "execute", execute.run_document, doc, root / CACHE_DIR, fresh, progress)
    return step(progress, "handout", handout.render_handout, doc, executed, out_dir,
                out_dir / f"{doc.path.stem}-handout.pdf")


def build_deck(quarto: str, root: Path, deck: str, profile: str, env: dict, tmp: Path, *,
               fresh: bool = False, pdf: bool = True, notes_pdf: bool = False,
               handout: bool = True, progress=print) -> list[Path]:
    """Render one deck into the staging folder `tmp`; returns the files written."""
    stem = Path(deck).stem
    rel = lambda p: Path(os.path.relpath(p, root)).as_posix()   # noqa: E731
    progress(f"quarto render · {deck}")
    step(progress, "quarto", run_quarto,
         render_command(quarto, deck, rel(tmp), profile, fresh=fresh), root, env, deck)
    html = lift_page(tmp, deck)
    files = [html]
    alone = tmp.with_name(f"{tmp.name}-standalone")
    shutil.rmtree(alone, ignore_errors=True)
    meta = alone.with_name(f"{alone.name}.yml")
    try:
        meta.write_text(yaml.safe_dump(STANDALONE_METADATA), encoding="utf-8")
        progress(f"quarto render · {stem}-standalone.html")
        step(progress, "standalone", run_quarto,
             render_command(quarto, deck, rel(alone), profile, metadata_file=rel(meta)), root, env, deck)
        files.append(Path(shutil.move(_page(alone, deck, stem), tmp / f"{stem}-standalone.html")))
    finally:
        shutil.rmtree(alone, ignore_errors=True)
        meta.unlink(missing_ok=True)
    if pdf:
        files += slide_pdfs(html, tmp, progress, notes_pdf)
        if handout:
            progress(f"handout · {stem}-handout.pdf")
            files.append(_handout(root, deck, profile or None, tmp, fresh, progress))
    return files


def build(root: Path, profile: str | None, *, fresh: bool = False, pdf: bool = True,
          notes_pdf: bool = False, handout: bool = True, progress=print):
    """Render every deck with Quarto, then print the PDFs; returns a deckbuild.build.BuildResult."""
    from deckbuild.config import load_project_config

    root = Path(root).resolve()
    config = load_project_config(root, profile)       # bad profile/keys fail before Quarto runs
    quarto = quarto_path()
    env = quarto_env(root, config.profile)
    out = Path(config.output_dir)
    result = BuildResult(out, engine="quarto")
    with staged(out) as tmp:
        for deck in _decks(config, root):
            files = build_deck(quarto, root, deck, config.profile, env, tmp, fresh=fresh, pdf=pdf,
                               notes_pdf=notes_pdf, handout=handout, progress=progress)
            result.files += [out / f.relative_to(tmp) for f in files]
    result.timings = dict(getattr(progress, "timings", {}))
    progress(f"done → {out}")
    return result
