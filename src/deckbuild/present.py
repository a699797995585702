"""`present`: serves the built deck folder on 127.0.0.1 for the talk, with no network and no build.

The speaker view, chalkboard and menu of reveal.js need the deck served over HTTP rather than
opened as a file, so this starts a local HTTP server (deckbuild.live_server) on a free port (8000
when free) in a thread and prints the URL and the keys that matter on stage. It never runs a
cell: if the profile's output folder holds no deck it says which `make slides` to run. On the
same origin it serves the live demos (deckbuild.live_service): the profile's model loads in the
background at once and the slides' fields call the same src/demos functions as the cells;
`--no-live` serves the static deck only. `--check` fetches the deck and every local file it
references once, reports OK/missing, and stops (for tests and before a talk; no model load)."""
from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path

from deckbuild.document import DeckError
from deckbuild.live_server import HOST, make_server

DEFAULT_PORT = 8000
KEYS = [("S", "speaker view: notes, timer and the next slide (a second window)"),
        ("B", "chalkboard: draw on a blank board *"),
        ("C", "draw on the current slide *"),
        ("M", "menu: jump to any slide *"),
        ("O / Esc", "overview of all slides *"),
        ("F", "fullscreen (press it in the audience's window)"),
        ("PgDn/PgUp", "next / previous (a clicker), in either window"),
        ("*", "in the speaker view these act on the audience's window, i.e. on the projector")]
_ASSET_ATTRS = {"src", "data-src", "data-background-image", "data-background-video",
                "data-background-iframe", "poster", "data"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
_EXTERNAL = re.compile(r"^(https?:)?//", re.I)


# ---------------------------------------------------------------- finding the deck

def find_deck(folder: Path, render: list[Path] | None = None) -> Path:
    """The deck's HTML inside a built output folder (named after the rendered .qmd when known)."""
    folder = Path(folder)
    stems = [Path(r).stem for r in render or []]
    found = [p for stem in stems for p in folder.rglob(f"{stem}.html")] if folder.is_dir() else []
    if not found and folder.is_dir():
        found = [p for p in folder.rglob("*.html")
                 if "reveal" in p.read_text(encoding="utf-8", errors="ignore")[:200_000]]
    if not found:
        raise FileNotFoundError(folder)
    return min(found, key=lambda p: (len(p.relative_to(folder).parts), len(p.name)))


def newer_sources(deck: Path, sources: list[Path]) -> list[Path]:
    """Sources (config, profile, .qmd files) edited after the deck was built."""
    built = deck.stat().st_mtime
    return [p for p in sources if p.exists() and p.stat().st_mtime > built]


# ---------------------------------------------------------------- serving

def serve(folder: Path, port: int = DEFAULT_PORT, live=None) -> ThreadingHTTPServer:
    """Serve `folder` (and the API of `live`, a LiveService) on 127.0.0.1 (`port` if free, else
    any free port) from a daemon thread. Stop it with `server.shutdown(); server.server_close()`."""
    server = make_server(Path(folder), port, live)
    threading.Thread(target=server.serve_forever, name="deck-server", daemon=True).start()
    return server


def deck_url(server: ThreadingHTTPServer, folder: Path, deck: Path) -> str:
    path = urllib.parse.quote(deck.relative_to(folder).as_posix())
    return f"http://{HOST}:{server.server_address[1]}/{path}"


# ---------------------------------------------------------------- --check

class _RefParser(HTMLParser):
    """Collects what a page loads: scripts, styles, images, media, inline-style url()s."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key, value in a.items():
            if value and key in _ASSET_ATTRS:
                self.refs.append(value)
        if a.get("srcset"):
            self.refs += [part.strip().split()[0] for part in a["srcset"].split(",") if part.strip()]
        if tag == "link" and a.get("href") and not {"canonical", "alternate"} & set((a.get("rel") or "").split()):
            self.refs.append(a["href"])
        if a.get("style"):
            self.refs += _CSS_URL.findall(a["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.refs += _CSS_URL.findall(data)


@dataclass
class CheckReport:
    deck_url: str
    ok: list[str] = field(default_factory=list)          # local URLs fetched with 200
    missing: list[str] = field(default_factory=list)     # "url (404)"
    external: list[str] = field(default_factory=list)    # need the network: a deck must not

    @property
    def passed(self) -> bool:
        return bool(self.ok) and not self.missing and not self.external


def _fetch(url: str) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # never via a proxy
    try:
        with opener.open(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def _local(ref: str) -> bool:
    return not (ref.startswith(("#", "data:", "blob:", "javascript:", "mailto:", "about:"))
                or _EXTERNAL.match(ref))


def check_deck(url: str) -> CheckReport:
    """Fetch the deck at `url` and, once each, every file it (and its CSS) references."""
    report = CheckReport(url)
    queue, seen = [url], {url}
    while queue:
        current = queue.pop(0)
        status, body = _fetch(current)
        if status != 200:
            report.missing.append(f"{current} ({status})")
            continue
        report.ok.append(current)
        text = body.decode("utf-8", errors="ignore")
        if current == url:
            parser = _RefParser()
            parser.feed(text)
            refs = parser.refs
        elif urllib.parse.urlsplit(current).path.endswith(".css"):
            refs = _CSS_URL.findall(text)
        else:
            continue
        for ref in refs:
            ref = ref.strip()
            if _EXTERNAL.match(ref):
                if ref not in report.external:
                    report.external.append(ref)
            elif _local(ref):
                target = urllib.parse.urldefrag(urllib.parse.urljoin(current, ref))[0].split("?")[0]
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    return report


# ---------------------------------------------------------------- command

def _deck_folder(root: Path, profile: str | None) -> tuple[Path, list[Path], str, list[Path]]:
    """Output folder, rendered inputs, the `make slides` hint and the source files of a profile."""
    from deckbuild.config import load_project_config
    cfg = load_project_config(root, profile)
    is_default = not profile or cfg.profiles == cfg.default_profiles
    hint = "make slides" if is_default else f"make slides PROFILE={profile}"
    qmds = sorted({q for r in cfg.render for q in Path(r).parent.glob("*.qmd")})
    return cfg.output_dir, cfg.render, hint, [*cfg.files, *qmds]


def present(folder: Path, render: list[Path], hint: str, *, port: int = DEFAULT_PORT,
            check: bool = False, open_browser: bool = False, out=None,
            sources: list[Path] | None = None, live: bool = True) -> int:
    """Serve `folder` until Ctrl+C (with the live demos unless `live` is False), or with `check`
    fetch everything once; returns an exit code."""
    out = out or sys.stdout
    try:
        deck = find_deck(folder, render)
    except FileNotFoundError:
        print(f"present: {folder.name}/ has no built deck: run `{hint}` first", file=sys.stderr)
        return 2
    edited = newer_sources(deck, sources or [])
    if edited:
        print(f"present: warning: {edited[0].name} changed after the last build: run `{hint}` "
              "to show the change", file=sys.stderr)
    service = _start_live(out) if live and not check else None
    server = serve(folder, port, live=service)
    try:
        url = deck_url(server, folder, deck)
        if check:
            report = check_deck(url)
            for line in report.ok:
                print(f"OK       {line}", file=out)
            for line in report.missing:
                print(f"MISSING  {line}", file=out)
            for line in report.external:
                print(f"EXTERNAL {line} (needs the network)", file=out)
            verdict = "all OK" if report.passed else "PROBLEMS"
            print(f"present --check: {len(report.ok)} fetched, {len(report.missing)} missing, "
                  f"{len(report.external)} external: {verdict}", file=out)
            return 0 if report.passed else 1
        print(f"Deck: {url}\n(served from {folder} on {HOST} only; no network needed)", file=out)
        for key, what in KEYS:
            print(f"  {key:<8} {what}", file=out)
        if service is not None:
            print(f"Live demos: loading {service.model or 'the model'} in the background; the slides say "
                  "“carregando modelo…” until it is ready (--no-live: static deck only).", file=out)
        print("Ctrl+C stops the server.", file=out, flush=True)
        if open_browser:
            import webbrowser
            webbrowser.open(url)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nstopped.", file=out)
    finally:
        server.shutdown()
        server.server_close()
        if service is not None:
            service.close()
    return 0


def _start_live(out):
    """The live-demo service, its model already loading in the background."""
    from deckbuild.live_service import LiveService
    return LiveService(log=lambda line: print(line, file=out, flush=True)).start()


def _live_environment(root: Path, profile: str | None) -> None:
    """Point demos.config at the presented project and profile, as the build does for its cells."""
    if (root / "_quarto.yml").exists():
        os.environ["DECK_ROOT"] = str(root)
    if profile:
        os.environ["QUARTO_PROFILE"] = profile
    os.environ.setdefault("HF_HUB_OFFLINE", "1")    # on stage: never wait for the network


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("present", help="serve the built deck on 127.0.0.1 for the talk",
                              description="Serve the built deck locally (speaker view, chalkboard, menu).")
    p.add_argument("--profile", help="event profile (default: `profile: default:` in _quarto.yml)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8000, else any free one)")
    p.add_argument("--open", action="store_true", help="open the deck in the default browser")
    p.add_argument("--check", action="store_true",
                   help="fetch the deck and every local file it references once, report, stop")
    p.add_argument("--dir", type=Path, help="serve this built folder instead of the profile's")
    p.add_argument("--no-live", action="store_true",
                   help="serve the static deck only: no model, no live-demo API")
    p.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    p.set_defaults(func=main)
    return p


def main(args: argparse.Namespace) -> int:
    try:
        if args.dir:
            folder, render, hint, sources = Path(args.dir).resolve(), [], "make slides", []
        else:
            folder, render, hint, sources = _deck_folder(Path(args.root).resolve(), args.profile)
    except DeckError as e:
        print(f"present: {e}", file=sys.stderr)
        return 2
    if not args.no_live and not args.check:
        _live_environment(Path(args.root).resolve(), args.profile)
    return present(folder, render, hint, port=args.port, check=args.check, open_browser=args.open,
                   sources=sources, live=not args.no_live)
