"""What the audience's browser sees of the built deck (issue 10): the smallest text in deck px and
where it is, at 1920×1080 and 1050×700, and the time from opening the page until the first slide
shows with its fonts (median of 3), for the deck and its standalone file.

    .venv/bin/python benchmarks/deck_bench.py [--output _output]

Targets: smallest text >= 16 deck px (chart labels >= 20), first slide < 1.5 s here."""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEM = "como-as-llms-funcionam"
VIEWPORTS = {"1920×1080": {"width": 1920, "height": 1080}, "1050×700": {"width": 1050, "height": 700}}
TARGETS = {"smallest_px": 16.0, "first_slide_s": 1.5}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", type=Path, default=ROOT / "_output")
    args = ap.parse_args(argv)
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]
    from browser_utils import chromium, show_slide
    from legibility import measure_deck, smallest, time_to_first_slide

    html = (args.output / f"{STEM}.html").resolve()
    if not html.is_file():
        print(f"{html}: not built, run `make slides` first")
        return 1
    ok = True
    with chromium() as browser:
        for name, viewport in VIEWPORTS.items():
            size, where = smallest(measure_deck(browser, html.as_uri(), viewport, show_slide))
            mark = "ok" if size >= TARGETS["smallest_px"] else f"UNDER target {TARGETS['smallest_px']:g} px"
            ok &= size >= TARGETS["smallest_px"]
            print(f"  smallest text at {name:10} {size:6.1f} px  {mark}  ({where})", flush=True)
        for page in (html, html.with_name(f"{STEM}-standalone.html")):
            runs = [time_to_first_slide(browser, page.as_uri(), VIEWPORTS["1920×1080"]) for _ in range(3)]
            first = statistics.median(runs)
            mark = "ok" if first < TARGETS["first_slide_s"] else f"SLOW (target < {TARGETS['first_slide_s']:g} s)"
            ok &= first < TARGETS["first_slide_s"]
            print(f"  first slide, {page.name:38} {first:5.2f} s  {mark}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
