"""Compiles the deck theme: one Quarto-style SCSS file (`/*-- scss:defaults --*/` and
`/*-- scss:rules --*/` sections) layered the way Quarto layers it, with node_modules/.bin/sass:

    deck defaults → _defaults.scss (Quarto variable names, !default) → reveal.js theme template
    → _rules.scss (Quarto layout rules), _title-slide.scss and _callouts.scss (Quarto's own
      rules, vendored) → deck rules

As in Quarto (format-reveal-theme.ts), the folder of each theme file is a sass load path, so a
theme may `@import` partials that sit next to it (the deck's fonts: assets/_fonts.scss).

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
LAYERS = ("_rules", "_title-slide", "_callouts")


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


def compose(files: list[Path], template: Path) -> str:
    """The SCSS source: the deck's theme `files` layered around ours (see the module docstring);
    reveal.js's theme `template` folder is imported by absolute path, so a deck file named like
    one of its parts (assets/theme.scss) cannot shadow it."""
    sections: dict[str, list[str]] = {}
    for path in files:
        for name, body in split_sections(path.read_text(encoding="utf-8"), str(path)).items():
            sections.setdefault(name, []).append(body)
    get = lambda name: "\n".join(sections.get(name, []))  # noqa: E731
    part = lambda name: f'@import "{(Path(template) / name).as_posix()}";'  # noqa: E731
    return "\n".join(['@use "sass:color";', '@use "sass:math";', part("mixins"), part("settings"),
                      get("functions"), get("defaults"), f'@import "{(HERE / "_defaults").as_posix()}";',
                      get("mixins"), part("theme"),
                      *(f'@import "{(HERE / name).as_posix()}";' for name in LAYERS),
                      get("rules")])


def compile_theme(doc: Document, node_modules: Path, cache_dir: Path) -> str:
    """The deck's CSS; fails with the sass message (file:line) when the SCSS is wrong."""
    files = theme_files(doc)
    template = node_modules / "reveal.js" / "css" / "theme" / "template"
    source = compose(files, template)
    load_paths = sorted({str(p.parent) for p in files})
    imported = [f for d in load_paths for f in sorted(Path(d).glob("*.scss"))]
    digest = hashlib.sha256(source.encode())
    for f in [*(HERE / f"{n}.scss" for n in ("_defaults", *LAYERS)), *imported]:
        digest.update(f.read_bytes())
    key = digest.hexdigest()[:20]
    cached = Path(cache_dir) / f"theme-{key}.css"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    sass = node_modules / ".bin" / "sass"
    if not sass.exists():
        raise DeckError("node_modules/.bin/sass is missing: run `make setup` (tools/setup.sh)")
    proc = subprocess.run([str(sass), "--stdin", "--no-source-map", "--style=compressed", "--quiet",
                           *(f"--load-path={d}" for d in load_paths), f"--load-path={template}"],
                          input=source, capture_output=True, text=True)
    if proc.returncode != 0:
        msg = " ".join(proc.stderr.split())[:400]
        raise DeckError(f"theme SCSS does not compile: {msg}", files[0] if files else None)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(proc.stdout, encoding="utf-8")
    return proc.stdout
