"""The Quarto path without Quarto: a FAKE `quarto` (a Python script written here, first on
PATH) records its argv, cwd and environment and writes a small reveal.js-like page where real
Quarto writes it (<output-dir>/<deck folder>/<stem>.html + <stem>_files/, resources at their
project paths). Also the Quarto-mode Altair renderer of demos.render_setup (text/html with the
Vega bundle inlined once, no CDN)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from deckbuild import cli, quarto_engine
from deckbuild.build import build

FAKE_QUARTO = textwrap.dedent('''\
    #!{python}
    """Fake quarto: log argv/env/cwd, then write what `quarto render` would."""
    import json, os, pathlib, shutil, sys
    argv = sys.argv[1:]
    meta = (pathlib.Path(argv[argv.index("--metadata-file") + 1]).read_text()
            if "--metadata-file" in argv else None)
    with open(os.environ["FAKE_QUARTO_LOG"], "a") as log:
        env = {{k: os.environ.get(k) for k in
               ("QUARTO_PROFILE", "DECK_ENGINE", "DECK_ROOT", "QUARTO_PYTHON", "HF_HUB_OFFLINE")}}
        log.write(json.dumps({{"argv": argv, "cwd": os.getcwd(), "metadata_file": meta, "env": env}}) + "\\n")
    if os.environ.get("FAKE_QUARTO_FAIL"):
        print("Starting python3 kernel...", file=sys.stderr)
        print("ERROR: NameError: name 'oops' is not defined", file=sys.stderr)
        sys.exit(3)
    deck = pathlib.PurePosixPath(argv[1])
    out = pathlib.Path(argv[argv.index("--output-dir") + 1]) / deck.parent
    out.mkdir(parents=True, exist_ok=True)
    stem = deck.stem
    standalone = meta is not None and "embed-resources: true" in meta
    page = ('<html><head><link rel="stylesheet" href="' + stem + '_files/libs/deck.css"></head><body>'
            '<section data-background-image="../assets/logo.svg"><img src="../assets/logo.svg">'
            '<a href="https://quarto.org/">q</a><a href="#/2">s</a>'
            '<div style="background: url(\\'../assets/logo.svg\\')"></div></section>'
            '<script src="' + stem + '_files/libs/reveal.js"></script>'
            '<script>var keep = "../assets/not-a-url";</script>'
            + ('<!-- standalone -->' if standalone else '') + '</body></html>')
    (out / (stem + ".html")).write_text(page)
    if not standalone:
        libs = out / (stem + "_files") / "libs"
        libs.mkdir(parents=True, exist_ok=True)
        (libs / "deck.css").write_text("body {{}}")
        res = pathlib.Path(argv[argv.index("--output-dir") + 1]) / "assets"
        res.mkdir(parents=True, exist_ok=True)
        shutil.copy("assets/logo.svg", res / "logo.svg")
''')


@pytest.fixture
def fake_quarto(tmp_path, monkeypatch) -> Path:
    """Puts a fake `quarto` first on PATH; returns its JSON-lines log."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "quarto"
    exe.write_text(FAKE_QUARTO.format(python=sys.executable))
    exe.chmod(0o755)
    log = tmp_path / "quarto-calls.jsonl"
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_QUARTO_LOG", str(log))
    monkeypatch.delenv("FAKE_QUARTO_FAIL", raising=False)
    monkeypatch.delenv("QUARTO_PYTHON", raising=False)
    return log


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture
def stub_pdf(monkeypatch) -> list:
    """PDF printer and handout that record what they were given and write a marker file."""
    seen = []

    def print_slides(html, out, notes=False):
        seen.append(("pdf", Path(html).name, Path(out).name, notes, Path(html).read_text()))
        Path(out).write_bytes(b"%PDF-fake")
        return Path(out)

    def handout(root, deck, profile, out_dir, fresh, progress):
        seen.append(("handout", deck, profile, fresh))
        out = Path(out_dir) / f"{Path(deck).stem}-handout.pdf"
        out.write_bytes(b"%PDF-fake")
        return out

    from deckbuild import pdf
    monkeypatch.setattr(pdf, "print_slides", print_slides)
    monkeypatch.setattr(quarto_engine, "_handout", handout)
    return seen


def test_auto_picks_quarto_when_it_is_on_path(project, fake_quarto):
    result = build(project, engine="auto", pdf=False)
    assert result.engine == "quarto"
    assert [c["argv"][:2] for c in calls(fake_quarto)] == [["render", "slides/deck.qmd"]] * 2


def test_auto_uses_builtin_without_quarto(project, tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("quarto") is None
    built = []

    def fake_build_deck(doc, out_dir, cache_dir, progress, **kw):
        built.append(doc.path.name)
        page = out_dir / f"{doc.path.stem}.html"
        page.write_text("builtin")
        return [page]

    import deckbuild.build as build_mod
    monkeypatch.setattr(build_mod, "build_deck", fake_build_deck)
    result = build(project, engine="auto", pdf=False)
    assert result.engine == "builtin" and built == ["deck.qmd"]
    assert (project / "_output" / "deck.html").read_text() == "builtin"


def test_exact_argv_and_environment(project, fake_quarto):
    build(project, engine="quarto", pdf=False)              # no --profile: `profile: default: alpha`
    first, second = calls(fake_quarto)
    staging = first["argv"][first["argv"].index("--output-dir") + 1]
    assert not os.path.isabs(staging), "Quarto before 1.5 nests an absolute output-dir in the project"
    assert (project / staging).parent == project and staging.startswith("._output.tmp-")
    assert first["argv"] == ["render", "slides/deck.qmd", "--to", "revealjs", "--output-dir", staging,
                             "--no-execute-daemon", "--profile", "alpha", "--use-freezer"]
    alone = second["argv"][second["argv"].index("--output-dir") + 1]
    assert alone == staging + "-standalone"
    assert second["argv"] == ["render", "slides/deck.qmd", "--to", "revealjs", "--output-dir", alone,
                              "--no-execute-daemon", "--profile", "alpha", "--use-freezer",
                              "--metadata-file", alone + ".yml"]
    # format-level, or the deck's own `format: revealjs: chalkboard: true` would win
    assert yaml.safe_load(second["metadata_file"]) == {
        "format": {"revealjs": {"embed-resources": True, "chalkboard": False}}}
    assert first["metadata_file"] is None
    for c in (first, second):
        assert c["cwd"] == str(project)
        assert c["env"] == {"QUARTO_PROFILE": "alpha", "DECK_ENGINE": "quarto", "DECK_ROOT": str(project),
                            "QUARTO_PYTHON": sys.executable, "HF_HUB_OFFLINE": "1"}
    assert not list(project.glob("._output*")), "staging folders are removed"


def test_profile_and_fresh(project, fake_quarto, monkeypatch):
    monkeypatch.setenv("QUARTO_PYTHON", "/opt/python/bin/python3")     # a user's choice is kept
    result = build(project, "beta", engine="quarto", fresh=True, pdf=False)
    assert result.output_dir == project / "_output-beta"
    first, second = calls(fake_quarto)
    assert first["argv"][-2:] == ["--profile", "beta"], "--fresh: no --use-freezer, cells always run"
    assert "--use-freezer" in second["argv"], "the standalone render reuses what the first one ran"
    assert first["env"]["QUARTO_PROFILE"] == "beta"
    assert first["env"]["QUARTO_PYTHON"] == "/opt/python/bin/python3"
    assert (project / "_output-beta" / "deck.html").is_file()


def test_outputs_have_the_builtin_names_and_valid_links(project, fake_quarto, stub_pdf):
    result = build(project, engine="quarto", pdf=True, notes_pdf=True, handout=True)
    out = project / "_output"
    assert [f.name for f in result.files] == ["deck.html", "deck-standalone.html", "deck.pdf",
                                             "deck-notes.pdf", "deck-handout.pdf"]
    assert all(f.parent == out and f.is_file() for f in result.files)
    assert (out / "deck_files" / "libs" / "deck.css").is_file()
    assert not (out / "slides").exists(), "the page and its _files/ moved up from slides/"
    page = (out / "deck.html").read_text()
    # every relative URL outside <script> bodies resolves from the page's new place
    for url in ("deck_files/libs/deck.css", "deck_files/libs/reveal.js", "assets/logo.svg"):
        assert url in page
        if not url.endswith(".js"):
            assert (out / url).is_file()
    assert "../assets/logo.svg" not in page.replace('"../assets/not-a-url"', "")
    assert 'url(\'assets/logo.svg\')' in page and 'data-background-image="assets/logo.svg"' in page
    assert 'href="https://quarto.org/"' in page and 'href="#/2"' in page
    assert 'var keep = "../assets/not-a-url";' in page, "script bodies are code, not markup"
    assert "<!-- standalone -->" in (out / "deck-standalone.html").read_text()
    pdfs = [s for s in stub_pdf if s[0] == "pdf"]
    assert [(s[1], s[2], s[3]) for s in pdfs] == [("deck.html", "deck.pdf", False),
                                                 ("deck.html", "deck-notes.pdf", True)]
    assert [s for s in stub_pdf if s[0] == "handout"] == [("handout", "slides/deck.qmd", "alpha", False)]


def test_quarto_failure_is_one_line_and_keeps_previous_output(project, fake_quarto, monkeypatch, capsys):
    previous = project / "_output" / "deck.html"
    previous.parent.mkdir()
    previous.write_text("previous build")
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "1")
    rc = cli.main(["build", "--root", str(project), "--engine", "auto", "--no-pdf", "--quiet"])
    err = capsys.readouterr().err
    assert rc == 2
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: slides/deck.qmd: quarto render failed (exit 3): ")
    assert "NameError: name 'oops' is not defined" in err
    assert previous.read_text() == "previous build"
    assert sorted(p.name for p in (project / "_output").iterdir()) == ["deck.html"]
    assert not list(project.glob("._output*"))
    log = project / ".deck-cache" / quarto_engine.LOG_NAME
    assert "Starting python3 kernel" in log.read_text(), "the full quarto log is kept"


def test_rebase_html_moves_only_relative_urls():
    html = ('<img src="fig/a.png?x=1#f"><img src="d_files/figure-revealjs/b.png">'
            '<img src="data:image/png;base64,AAAA"><a href="//cdn.example/x">x</a>'
            '<script src="../js/x.js">var u = "../y";</script>')
    out = quarto_engine.rebase_html(html, "slides/sub", "d")
    assert '<img src="slides/sub/fig/a.png?x=1#f">' in out
    assert '<img src="d_files/figure-revealjs/b.png">' in out
    assert 'src="data:image/png;base64,AAAA"' in out and 'href="//cdn.example/x"' in out
    assert '<script src="slides/js/x.js">var u = "../y";</script>' in out
    assert quarto_engine.rebase_html(html, "", "d") == html


# ---------------------------------------------------------------- Quarto-mode renderer

RENDER_TWO = textwrap.dedent("""\
    import json, sys
    import altair as alt, pandas as pd
    from demos.render_setup import init_deck
    init_deck()
    out = []
    for label in ("zebra-alpha", "zebra-beta"):
        chart = alt.Chart(pd.DataFrame({"name": [label], "v": [7]})).mark_bar().encode(x="name:N", y="v:Q")
        bundle = chart._repr_mimebundle_()
        out.append(bundle[0] if isinstance(bundle, tuple) else bundle)
    json.dump(out, sys.stdout)
""")


def rendered(engine: str) -> list[dict]:
    env = {**os.environ, "DECK_ENGINE": engine}
    proc = subprocess.run([sys.executable, "-c", RENDER_TWO], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def quarto_charts() -> list[dict]:
    return rendered("quarto")


def test_quarto_renderer_inlines_the_bundle_once(quarto_charts):
    from demos.render_setup import vega_bundle_js
    first, second = (b["text/html"] for b in quarto_charts)
    bundle = vega_bundle_js("6")
    assert bundle in first and '<script type="module">' in first
    assert bundle not in second and 'type="module"' not in second
    assert len(second) < 20_000 < len(bundle)
    assert "zebra-alpha" in first and "zebra-beta" in second
    for html in (first, second):
        assert "<script src" not in html and "http://" not in html.split("<script type=\"module\">")[0]
    for b in quarto_charts:      # the PNG fallback (PDF, typst) and the spec stay in the bundle
        assert b["image/png"] and b["application/vnd.vegalite.v6+json"]["$schema"].endswith(".json")


def test_builtin_renderer_is_unchanged():
    for b in rendered("builtin"):
        assert sorted(b) == ["application/vnd.vegalite.v6+json", "image/png", "text/plain"]


def test_quarto_charts_draw_offline(quarto_charts, tmp_path):
    from deckbuild.pdf import Browser, chromium_path
    try:
        chromium_path()
    except Exception:
        pytest.skip("chromium is not installed")
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html><body>" + "<hr>".join(b["text/html"] for b in quarto_charts)
                    + "</body></html>")
    with Browser() as browser:
        browser.open(page.as_uri(), ready="document.querySelectorAll('.vega-chart svg').length === 2",
                     timeout=60)
        texts = browser.evaluate("[...document.querySelectorAll('.vega-chart')].map(e => e.textContent)")
    assert "zebra-alpha" in texts[0] and "zebra-beta" in texts[1]


def test_handout_is_the_builtin_one(tmp_path):
    """Quarto does not expose per-cell outputs: the handout comes from the built-in reader,
    cached executor and typst, wired by quarto_engine._handout (run for real here)."""
    mini = Path(__file__).parent / "fixtures" / "mini"
    root = tmp_path / "mini"
    shutil.copytree(mini, root, ignore=shutil.ignore_patterns("_output*", ".deck-cache", ".*.tmp-*"))
    out = tmp_path / "staging"
    out.mkdir()
    pdf = quarto_engine._handout(root, "slides/mini.qmd", None, out, False, lambda msg: None)
    assert pdf == out / "mini-handout.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert any((root / ".deck-cache").rglob("*")), "cells ran through the built-in cache"
