"""Build benchmark: cold build, unchanged re-build, slide PDF, handout PDF, offline HTML size and
standalone size, for the fixture project and (when it exists and builds) the real deck.

    .venv/bin/python benchmarks/build_bench.py [--project PATH ...] [--skip-real]

Targets: re-build unchanged < 5 s, each PDF < 15 s, offline HTML (page + <stem>_files) < 15 MB.
The fixture is built in a temporary copy; a real project is built in place (its _output/ and
.deck-cache/ are the normal build results)."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "mini"
TARGETS = {"rebuild_s": 5.0, "pdf_s": 15.0, "handout_s": 15.0, "offline_mb": 15.0}


def _size_mb(paths) -> float:
    total = 0
    for p in paths:
        p = Path(p)
        total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else p.stat().st_size
    return total / 1e6


def _timed(fn, *args, **kwargs):
    t0 = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - t0


def bench(root: Path, profile: str | None = None) -> dict:
    from deckbuild.build import Progress, build
    from deckbuild.config import load_project_config
    from deckbuild.execute import run_document
    from deckbuild.handout import render_handout
    from deckbuild.pdf import print_slides
    from deckbuild.qmd import read_document

    quiet = Progress(quiet=True)
    _, cold = _timed(build, root, profile, engine="builtin", fresh=True, pdf=False, progress=quiet)
    _, rebuild = _timed(build, root, profile, engine="builtin", pdf=False, progress=Progress(quiet=True))
    config = load_project_config(root, profile)
    deck = config.render[0]
    out = Path(config.output_dir)
    html = out / f"{deck.stem}.html"
    with tempfile.TemporaryDirectory(prefix="deck-bench-") as tmp:
        _, pdf_s = _timed(print_slides, html, Path(tmp) / "slides.pdf")
        doc = read_document(deck, root, profile)
        executed = run_document(doc, root / ".deck-cache", False, lambda m: None)
        _, handout_s = _timed(render_handout, doc, executed, Path(tmp), Path(tmp) / "handout.pdf")
    return {"cold_s": cold, "rebuild_s": rebuild, "pdf_s": pdf_s, "handout_s": handout_s,
            "offline_mb": _size_mb([html, out / f"{deck.stem}_files"]),
            "standalone_mb": _size_mb([out / f"{deck.stem}-standalone.html"])}


def report(name: str, r: dict) -> bool:
    ok = all(r[k] < v for k, v in TARGETS.items())
    print(f"{name}")
    print(f"  cold build (fresh, HTML)   {r['cold_s']:7.1f} s")
    for key, label, unit in (("rebuild_s", "re-build, nothing changed", "s"), ("pdf_s", "slide PDF", "s"),
                             ("handout_s", "handout PDF", "s"), ("offline_mb", "offline HTML + files", "MB")):
        mark = "ok" if r[key] < TARGETS[key] else f"OVER target {TARGETS[key]:g} {unit}"
        print(f"  {label:26} {r[key]:7.1f} {unit:2}  {mark}")
    print(f"  standalone HTML            {r['standalone_mb']:7.1f} MB")
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--project", action="append", type=Path, help="project folder (repeatable)")
    ap.add_argument("--profile")
    ap.add_argument("--skip-real", action="store_true", help="only the fixture project")
    args = ap.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory(prefix="deck-bench-mini-") as tmp:
        mini = Path(tmp) / "mini"
        shutil.copytree(FIXTURE, mini, ignore=shutil.ignore_patterns("_output*", ".deck-cache"))
        ok &= report("fixture (tests/fixtures/mini)", bench(mini))
    projects = args.project or ([] if args.skip_real else [ROOT])
    for project in projects:
        project = project.resolve()
        if not (project / "_quarto.yml").exists():
            print(f"{project}: no _quarto.yml, skipped")
            continue
        try:
            ok &= report(str(project), bench(project, args.profile))
        except Exception as e:   # the real deck may be mid-edit: report, don't crash the fixture numbers
            print(f"{project}: build failed: {str(e).splitlines()[0]}")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
