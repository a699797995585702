"""`present`: serves a built deck folder on 127.0.0.1 only, `--check` fetches every local asset and
detects missing and network-bound ones, and a missing build is a one-line hint, not a build."""
from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from deckbuild import present as pr

REPO = Path(__file__).resolve().parents[1]

DECK_HTML = """<!doctype html><html><head>
<link rel="stylesheet" href="libs/theme.css">
<script src="libs/reveal.js/reveal.js"></script>
<style>.title-slide {{ background: url('images/bg.png'); }}</style>
</head><body><div class="reveal"><div class="slides">
<section id="title"><img src="images/logo.svg" alt="logo"> <a href="#/next">next</a>
<a href="https://example.org/handout">handout link (a link, not an asset)</a></section>
<section data-background-image="images/bg%20dark.png"><img srcset="images/a.png 1x, images/b.png 2x"></section>
{extra}
</div></div></body></html>"""
ASSETS = {"libs/theme.css": "@font-face { src: url(../fonts/inter.woff2) format('woff2'); }",
          "libs/reveal.js/reveal.js": "window.Reveal = {};",
          "images/bg.png": "png", "images/logo.svg": "<svg/>", "images/bg dark.png": "png",
          "images/a.png": "png", "images/b.png": "png", "fonts/inter.woff2": "woff2"}


def make_deck(folder: Path, extra: str = "", name: str = "como-as-llms-funcionam.html") -> Path:
    for rel, text in ASSETS.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    deck = folder / name
    deck.write_text(DECK_HTML.format(extra=extra))
    return deck


@pytest.fixture
def served(tmp_path):
    deck = make_deck(tmp_path)
    server = pr.serve(tmp_path, port=0)
    yield tmp_path, deck, server
    server.shutdown()
    server.server_close()


def test_check_fetches_every_local_asset_once(served):
    folder, deck, server = served
    report = pr.check_deck(pr.deck_url(server, folder, deck))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    expected = {base + deck.name} | {base + urllib.request.pathname2url(p) for p in ASSETS}
    assert set(report.ok) == expected
    assert len(report.ok) == len(expected)            # each once
    assert report.missing == [] and report.external == [] and report.passed


def test_check_reports_a_missing_asset_and_a_cdn_reference(tmp_path):
    make_deck(tmp_path, extra='<section><img src="images/gone.png">'
                              '<script src="https://cdn.jsdelivr.net/npm/vega@6"></script></section>')
    (tmp_path / "fonts" / "inter.woff2").unlink()      # referenced from the CSS only
    out = io.StringIO()
    rc = pr.present(tmp_path, [Path("slides/como-as-llms-funcionam.qmd")], "make slides",
                    port=0, check=True, out=out)
    text = out.getvalue()
    assert rc == 1
    missing = [l for l in text.splitlines() if l.startswith("MISSING")]
    assert len(missing) == 2
    assert any("images/gone.png (404)" in l for l in missing)
    assert any("fonts/inter.woff2 (404)" in l for l in missing)
    assert "EXTERNAL https://cdn.jsdelivr.net/npm/vega@6" in text
    assert "example.org" not in text                   # <a href> is a link, not an asset
    assert "PROBLEMS" in text.splitlines()[-1]


def test_cli_check_on_a_built_folder(tmp_path, capsys):
    make_deck(tmp_path)
    assert run_cli("--dir", str(tmp_path), "--check", "--port", "0") == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert f"{len(ASSETS) + 1} fetched, 0 missing, 0 external: all OK" in last


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    pr.add_parser(parser.add_subparsers())
    args = parser.parse_args(["present", *argv])
    return args.func(args)


def test_profile_picks_its_output_folder(tmp_path, capsys):
    """--profile P serves _output-P/; the default profile's _output/ is not built: a hint, rc 2."""
    default = yaml.safe_load((REPO / "_quarto.yml").read_text())["profile"]["default"]
    for name in ("_quarto.yml", "_variables.yml", f"_quarto-{default}.yml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    (tmp_path / "_quarto-outro.yml").write_text('event:\n  name: "Outro Evento"\n')
    make_deck(tmp_path / "_output-outro")
    profile = tmp_path / "_quarto-outro.yml"
    deck = tmp_path / "_output-outro" / "como-as-llms-funcionam.html"
    os.utime(profile, (deck.stat().st_mtime - 60,) * 2)        # built after the last edit
    assert run_cli("--root", str(tmp_path), "--profile", "outro", "--check", "--port", "0") == 0
    captured = capsys.readouterr()
    assert "all OK" in captured.out and captured.err == ""
    os.utime(profile, (deck.stat().st_mtime + 60,) * 2)        # edited after the build: a warning
    assert run_cli("--root", str(tmp_path), "--profile", "outro", "--check", "--port", "0") == 0
    assert "_quarto-outro.yml changed after the last build: run `make slides PROFILE=outro`" \
        in capsys.readouterr().err
    assert run_cli("--root", str(tmp_path), "--check", "--port", "0") == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("_output/ has no built deck: run `make slides` first")
    assert run_cli("--root", str(tmp_path), "--profile", "nenhum", "--check") == 2
    assert "_quarto-nenhum.yml" in capsys.readouterr().err


def test_no_built_deck_is_a_one_line_hint(tmp_path, capsys):
    (tmp_path / "_output-pynordeste").mkdir()
    rc = pr.present(tmp_path / "_output-pynordeste", [Path("slides/como-as-llms-funcionam.qmd")],
                    "make slides PROFILE=pynordeste", port=0)
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1
    assert "_output-pynordeste/" in err and "make slides PROFILE=pynordeste" in err


def test_find_deck_prefers_the_rendered_file(tmp_path):
    (tmp_path / "slides").mkdir()
    make_deck(tmp_path / "slides")
    (tmp_path / "other.html").write_text("<div class='reveal'></div>")
    found = pr.find_deck(tmp_path, [Path("/x/slides/como-as-llms-funcionam.qmd")])
    assert found == tmp_path / "slides" / "como-as-llms-funcionam.html"


def _connects(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def test_server_binds_only_to_loopback_127_0_0_1(served):
    folder, deck, server = served
    port = server.server_address[1]
    assert server.server_address[0] == "127.0.0.1"
    assert _connects("127.0.0.1", port)
    # Linux routes all of 127/8 to lo: a server on 0.0.0.0 answers 127.0.0.2, one on 127.0.0.1 does not.
    control = ThreadingHTTPServer(("0.0.0.0", 0), SimpleHTTPRequestHandler)
    try:
        reachable_control = _connects("127.0.0.2", control.server_address[1])
    finally:
        control.server_close()
    if not reachable_control:
        pytest.skip("127.0.0.2 is not routed to loopback on this machine")
    assert not _connects("127.0.0.2", port)


def test_port_8000_or_the_next_free_one(tmp_path):
    make_deck(tmp_path)
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    taken = blocker.getsockname()[1]
    try:
        server = pr.serve(tmp_path, port=taken)
        try:
            assert server.server_address[1] != taken
            assert _connects("127.0.0.1", server.server_address[1])
        finally:
            server.shutdown()
            server.server_close()
    finally:
        blocker.close()
