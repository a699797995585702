"""Compiles the deck theme: one Quarto-style SCSS file (`/*-- scss:defaults --*/` and
`/*-- scss:rules --*/` sections) layered the way Quarto layers it, with node_modules/.bin/sass:

    deck defaults → _defaults.scss (Quarto variable names, !default) → reveal.js theme template
    → _rules.scss (Quarto layout rules) → deck rules

The compiled CSS is cached in `.deck-cache/theme-<hash>.css` (sass takes ~1 s)."""
from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from deckbuild.document import DeckError, Document

HERE = Path(__file__).parent
SECTION = re.compile(r"/\*--\s*scss:(\w+)\s*--\*/")
BUILTIN = {"default", "white", "quarto"}


def split_sections(text: str, file: str) -> dict[str, str]:
    """{'defaults': ..., 'rules': ..., 'functions': ..., 'mixins': ...} of a Quarto theme file."""
    marks = list(SECTION.finditer(text))
    if not marks:
        raise DeckError("theme has no /*-- scss:defaults --*/ or /*-- scss:rules --*/ section", file)
    out: dict[str, str] = {}
    for m, nxt in zip(marks, marks[1:] + [None]):
        line = text.count("\n", 0, m.end()) + 1
        chunk = text[m.end(): nxt.start() if nxt else len(text)]
        out[m.group(1)] = out.get(m.group(1), "") + f"\n/* {Path(file).name}:{line} */\n" + chunk
    return out


def theme_files(doc: Document) -> list[Path]:
    """The deck's own theme files (`format: revealjs: theme:`, built-in names skipped)."""
    theme = doc.format_options("revealjs").get("theme") or []
    out = []
    for item in theme if isinstance(theme, list) else [theme]:
        if str(item) in BUILTIN:
            continue
        path = next((p for p in (doc.root / str(item), doc.path.parent / str(item)) if p.is_file()), None)
        if path is None:
            raise DeckError(f"theme file '{item}' not found (format: revealjs: theme:)", doc.path)
        out.append(path)
    return out


def compose(files: list[Path]) -> str:
    """The SCSS source: the deck's theme `files` layered around ours (see the module docstring)."""
    sections: dict[str, list[str]] = {}
    for path in files:
        for name, body in split_sections(path.read_text(encoding="utf-8"), str(path)).items():
            sections.setdefault(name, []).append(body)
    get = lambda name: "\n".join(sections.get(name, []))  # noqa: E731
    return "\n".join(['@use "sass:color";', '@use "sass:math";', '@import "mixins";', '@import "settings";',
                      get("functions"), get("defaults"), f'@import "{(HERE / "_defaults").as_posix()}";',
                      get("mixins"), '@import "theme";', f'@import "{(HERE / "_rules").as_posix()}";',
                      get("rules")])


def compile_theme(doc: Document, node_modules: Path, cache_dir: Path) -> str:
    """The deck's CSS; fails with the sass message (file:line) when the SCSS is wrong."""
    files = theme_files(doc)
    source = compose(files)
    key = hashlib.sha256((source + (HERE / "_defaults.scss").read_text() + (HERE / "_rules.scss").read_text())
                         .encode()).hexdigest()[:20]
    cached = Path(cache_dir) / f"theme-{key}.css"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    sass = node_modules / ".bin" / "sass"
    if not sass.exists():
        raise DeckError("node_modules/.bin/sass is missing: run `make setup` (tools/setup.sh)")
    template = node_modules / "reveal.js" / "css" / "theme" / "template"
    proc = subprocess.run([str(sass), "--stdin", "--no-source-map", "--style=compressed", "--quiet",
                           f"--load-path={template}"], input=source, capture_output=True, text=True)
    if proc.returncode != 0:
        msg = " ".join(proc.stderr.split())[:400]
        raise DeckError(f"theme SCSS does not compile: {msg}", files[0] if files else None)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(proc.stdout, encoding="utf-8")
    return proc.stdout
