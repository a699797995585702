"""Command line: `python -m deckbuild build [--profile P] [--engine auto|quarto|builtin] [--fresh]
[--no-pdf] [--notes-pdf] [--no-handout]`, plus the subcommands other modules register
(`present` from deckbuild.present, `new-event` from deckbuild.events): each such module
exposes `add_parser(subparsers)` that sets `func=main(args) -> int`.

Any DeckError is printed as one line (a failing cell adds its traceback below) and exits 2."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from deckbuild.document import DeckError

SUBCOMMAND_MODULES = ("deckbuild.present", "deckbuild.events")


def _build(args: argparse.Namespace) -> int:
    from deckbuild.build import Progress, build
    result = build(Path(args.root), args.profile, engine=args.engine, fresh=args.fresh,
                   pdf=not args.no_pdf, notes_pdf=args.notes_pdf, handout=not args.no_handout,
                   progress=Progress(quiet=args.quiet))
    for f in result.files:
        print(f)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="deckbuild", description="Build the deck (HTML, PDFs, handout).")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="render the decks of the project into the output folder")
    b.add_argument("--profile", help="event profile (default: `profile: default:` in _quarto.yml)")
    b.add_argument("--engine", choices=["auto", "quarto", "builtin"], default="auto",
                   help="auto: quarto when it is on PATH, else the built-in engine")
    b.add_argument("--fresh", action="store_true", help="ignore the cell cache (.deck-cache/)")
    b.add_argument("--no-pdf", action="store_true", help="HTML only: skip the slide PDF and the handout")
    b.add_argument("--notes-pdf", action="store_true", help="also print <stem>-notes.pdf (notes pages)")
    b.add_argument("--no-handout", action="store_true", help="skip the A4 handout")
    b.add_argument("--quiet", action="store_true", help="no progress lines")
    b.add_argument("--root", default=".", help="project folder (holds _quarto.yml)")
    b.set_defaults(func=_build)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DeckError as e:
        print(f"error: {str(e).splitlines()[0]}", file=sys.stderr)
        trace = getattr(e, "traceback", "")
        if trace:
            print(trace, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
