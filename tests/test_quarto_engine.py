"""The Quarto path without Quarto: a FAKE `quarto` (a Python script written here, first on
PATH) records its argv, cwd and environment and does what `quarto render` does with this
project's files: with `--use-freezer` and a freeze in `_freeze/<dir>/<stem>/` it thaws it (no
Python); otherwise it "executes" (outputs that name the profile and the partial's text), writes
the freeze and, with `keep-ipynb`, keeps `<stem>.quarto_ipynb` beside the deck; then it writes a
small page where real Quarto writes it (<output-dir>/<deck folder>/<stem>.html + <stem>_files/,
resources at their project paths). The notebook it keeps has the deck's code cells in order,
as Quarto's (quarto-cli src/resources/jupyter/notebook.py) does."""
from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from deckbuild import cli, quarto_engine
from deckbuild.build import build

FAKE_QUARTO = textwrap.dedent('''\
    #!{python}
    """Fake quarto: log argv/env/cwd, then do what `quarto render` would."""
    import json, os, pathlib, shutil, sys
    argv = sys.argv[1:]
    meta = (pathlib.Path(argv[argv.index("--metadata-file") + 1]).read_text()
            if "--metadata-file" in argv else None)
    deck = pathlib.PurePosixPath(argv[1])
    root = pathlib.Path.cwd()
    freeze = root / "_freeze" / deck.parent / deck.stem
    executes = not ("--use-freezer" in argv and freeze.is_dir())
    with open(os.environ["FAKE_QUARTO_LOG"], "a") as log:
        env = {{k: os.environ.get(k) for k in
               ("QUARTO_PROFILE", "DECK_ENGINE", "DECK_ROOT", "QUARTO_PYTHON", "HF_HUB_OFFLINE")}}
        log.write(json.dumps({{"argv": argv, "cwd": os.getcwd(), "metadata_file": meta, "env": env,
                              "executed": executes}}) + "\\n")
    if os.environ.get("FAKE_QUARTO_FAIL"):
        print("Starting python3 kernel...", file=sys.stderr)
        print("ERROR: NameError: name 'oops' is not defined", file=sys.stderr)
        sys.exit(3)
    if executes:
        from deckbuild.document import Cell, Inline
        from deckbuild.qmd import read_document
        doc = read_document(root / str(deck), root, os.environ.get("QUARTO_PROFILE") or None, strict=False)
        part = (root / "slides" / "parts" / "_nested.qmd").read_text()
        stamp = f"{{os.environ.get('QUARTO_PROFILE')}}/{{len(part)}}"
        cells = []
        for ch in doc.chunks:
            if isinstance(ch, Cell):
                cells.append({{"cell_type": "code", "metadata": {{}}, "source": "#| echo: false\\n" + ch.source,
                              "outputs": [{{"output_type": "stream", "name": "stdout",
                                           "text": [f"fake output {{stamp}} of cell {{ch.index + 1}}\\n"]}}]}})
            elif isinstance(ch, Inline):
                cells.append({{"cell_type": "markdown", "source": "x", "metadata": {{"user_expressions": [
                    {{"expression": ch.expr, "result": {{"status": "ok", "data": {{"text/plain": "'v-" + stamp + "'"}}}}}}]}}}})
        freeze.mkdir(parents=True, exist_ok=True)
        (freeze / "stamp.txt").write_text(stamp)
        if meta and "keep-ipynb: true" in meta:
            nb = root / str(deck.parent) / (deck.stem + ".quarto_ipynb")
            nb.write_text(json.dumps({{"cells": cells, "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}))
    stamp = (freeze / "stamp.txt").read_text()
    out = pathlib.Path(argv[argv.index("--output-dir") + 1]) / deck.parent
    out.mkdir(parents=True, exist_ok=True)
    stem = deck.stem
    standalone = meta is not None and "embed-resources: true" in meta
    page = ('<html><head><meta name="viewport" content="width=device-width, initial-scale=1.0, '
            'maximum-scale=1.0, user-scalable=no, minimal-ui">'
            '<link rel="stylesheet" href="' + stem + '_files/libs/deck.css"></head><body>'
            '<section data-background-image="../assets/logo.svg"><img src="../assets/logo.svg">'
            '<a href="https://quarto.org/">q</a><a href="#/2">s</a><p>outputs from ' + stamp + '</p>'
            '<div style="background: url(\\'../assets/logo.svg\\')"></div></section>'
            '<script src="' + stem + '_files/libs/reveal.js"></script>'
            '<script>var keep = "../assets/not-a-url";</script>'
            + os.environ.get("FAKE_QUARTO_EXTRA", "")
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
    for var in ("FAKE_QUARTO_FAIL", "FAKE_QUARTO_EXTRA", "QUARTO_PYTHON"):
        monkeypatch.delenv(var, raising=False)
    return log


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def _reset(log: Path) -> None:
    log.unlink(missing_ok=True)


@pytest.fixture
def stub_pdf(monkeypatch) -> list:
    """A PDF printer that records what it was given and writes a marker file."""
    seen = []

    def print_slides(html, out, notes=False):
        seen.append(("pdf", Path(html).name, Path(out).name, notes))
        Path(out).write_bytes(b"%PDF-fake")
        return Path(out)

    from deckbuild import pdf
    monkeypatch.setattr(pdf, "print_slides", print_slides)
    return seen


def page(project: Path, name: str = "deck.html", out: str = "_output") -> str:
    return (project / out / name).read_text()


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

    def fake_make(doc, executed, tmp, cache_dir, progress, todo):
        built.append(doc.path.name)
        out = tmp / f"{doc.path.stem}.html"
        out.write_text("builtin")
        return [out]

    import deckbuild.build as build_mod
    monkeypatch.setattr(build_mod, "make_builtin", fake_make)
    monkeypatch.setattr(build_mod, "builtin_plan", lambda doc, out, cache, progress, **kw: build_mod.DeckPlan(
        doc.path.stem, {"html": "k"}, [], lambda tmp, todo: fake_make(doc, [], tmp, cache, progress, todo)))
    result = build(project, engine="auto", pdf=False)
    assert result.engine == "builtin" and built == ["deck.qmd"]
    assert page(project) == "builtin"


def test_exact_argv_and_environment(project, fake_quarto):
    build(project, engine="quarto", pdf=False)              # no --profile: `profile: default: alpha`
    first, second = calls(fake_quarto)
    staging = first["argv"][first["argv"].index("--output-dir") + 1]
    assert not os.path.isabs(staging), "Quarto before 1.5 nests an absolute output-dir in the project"
    assert (project / staging).parent == project and staging.startswith("._output.tmp-")
    execute_meta = first["argv"][first["argv"].index("--metadata-file") + 1]
    assert first["argv"] == ["render", "slides/deck.qmd", "--to", "revealjs", "--output-dir", staging,
                             "--no-execute-daemon", "--profile", "alpha", "--metadata-file", execute_meta]
    assert yaml.safe_load(first["metadata_file"]) == {"keep-ipynb": True}, "Quarto keeps what it ran"
    assert first["executed"] and not second["executed"], "Python runs once per build"
    alone = second["argv"][second["argv"].index("--output-dir") + 1]
    assert alone == staging + "-standalone"
    assert second["argv"] == ["render", "slides/deck.qmd", "--to", "revealjs", "--output-dir", alone,
                              "--no-execute-daemon", "--profile", "alpha", "--use-freezer",
                              "--metadata-file", alone.replace("-standalone", "") + "-standalone.yml"]
    # format-level, or the deck's own `format: revealjs: chalkboard: true` would win
    assert yaml.safe_load(second["metadata_file"]) == {
        "format": {"revealjs": {"embed-resources": True, "chalkboard": False}}}
    for c in (first, second):
        assert c["cwd"] == str(project)
        assert c["env"] == {"QUARTO_PROFILE": "alpha", "DECK_ENGINE": "quarto", "DECK_ROOT": str(project),
                            "QUARTO_PYTHON": sys.executable, "HF_HUB_OFFLINE": "1"}
    assert not list(project.glob("._output*")), "staging folders are removed"
    assert not list((project / "slides").glob("*.quarto_ipynb*")), "the kept notebook is moved to the cache"


def test_edits_anywhere_rerun_quarto_and_unchanged_does_nothing(project, fake_quarto):
    """Quarto's freeze hashes only the main .qmd (only include lines here): the content key
    must notice an edit to a partial, a profile switch, and switching back must thaw."""
    build(project, engine="quarto", pdf=False)
    assert "outputs from alpha/" in page(project)
    _reset(fake_quarto)
    result = build(project, engine="quarto", pdf=False)
    assert result.up_to_date and calls(fake_quarto) == [], "an unchanged deck runs nothing"

    nested = project / "slides" / "parts" / "_nested.qmd"
    nested.write_text(nested.read_text() + "\nMais uma linha.\n")
    build(project, engine="quarto", pdf=False)
    first = calls(fake_quarto)[0]
    assert first["executed"] and "--use-freezer" not in first["argv"]
    assert f"outputs from alpha/{len(nested.read_text())}" in page(project)

    _reset(fake_quarto)
    build(project, "beta", engine="quarto", pdf=False)
    assert calls(fake_quarto)[0]["executed"] and "outputs from beta/" in page(project, out="_output-beta")
    _reset(fake_quarto)
    build(project, "alpha", engine="quarto", pdf=False, fresh=False)
    assert calls(fake_quarto) == [], "alpha's output folder is still up to date"
    shutil.rmtree(project / "_output")
    build(project, "alpha", engine="quarto", pdf=False)
    first = calls(fake_quarto)[0]
    assert "--use-freezer" in first["argv"] and not first["executed"], "alpha's freeze is restored"
    assert f"outputs from alpha/{len(nested.read_text())}" in page(project)


def test_fresh_always_executes(project, fake_quarto):
    build(project, engine="quarto", pdf=False)
    _reset(fake_quarto)
    build(project, engine="quarto", pdf=False, fresh=True)
    first, second = calls(fake_quarto)
    assert first["executed"] and "--use-freezer" not in first["argv"]
    assert "--use-freezer" in second["argv"] and not second["executed"]


def test_outputs_have_the_builtin_names_and_valid_links(project, fake_quarto, stub_pdf):
    result = build(project, engine="quarto", pdf=True, notes_pdf=True, handout=True)
    out = project / "_output"
    assert [f.name for f in result.files] == ["deck.html", "deck-standalone.html", "deck.pdf",
                                             "deck-notes.pdf", "deck-handout.pdf"]
    assert all(f.parent == out and f.is_file() for f in result.files)
    assert (out / "deck_files" / "libs" / "deck.css").is_file()
    assert not (out / "slides").exists(), "the page and its _files/ moved up from slides/"
    html = page(project)
    for url in ("deck_files/libs/deck.css", "deck_files/libs/reveal.js", "assets/logo.svg"):
        assert url in html
        if not url.endswith(".js"):
            assert (out / url).is_file()
    assert "../assets/logo.svg" not in html.replace('"../assets/not-a-url"', "")
    assert 'url(\'assets/logo.svg\')' in html and 'data-background-image="assets/logo.svg"' in html
    assert 'href="https://quarto.org/"' in html and 'href="#/2"' in html
    assert 'var keep = "../assets/not-a-url";' in html, "script bodies are code, not markup"
    assert "user-scalable=no" not in html and "user-scalable=no" not in page(project, "deck-standalone.html")
    assert "<!-- standalone -->" in page(project, "deck-standalone.html")
    assert [s[1:] for s in stub_pdf] == [("deck.html", "deck.pdf", False), ("deck.html", "deck-notes.pdf", True)]


def test_handout_shows_the_outputs_quarto_ran(project, fake_quarto, stub_pdf):
    """One execution: the handout is written from Quarto's executed notebook."""
    pypdf = pytest.importorskip("pypdf")
    build(project, engine="quarto", pdf=True, handout=True)
    assert sum(c["executed"] for c in calls(fake_quarto)) == 1
    assert not (project / ".deck-cache" / "cells").exists(), "the built-in executor never ran"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(project / "_output" / "deck-handout.pdf").pages)
    assert "fake output alpha/" in text.replace("\n", " ")


def test_a_remote_script_in_quartos_page_fails_the_build(project, fake_quarto, monkeypatch, capsys):
    monkeypatch.setenv("FAKE_QUARTO_EXTRA", '<script src="https://cdn.jsdelivr.net/npm/requirejs@2.3.6/require.min.js"></script>')
    rc = cli.main(["build", "--root", str(project), "--engine", "quarto", "--no-pdf", "--quiet"])
    err = capsys.readouterr().err
    assert rc == 2 and "cdn.jsdelivr.net" in err and "offline" in err
    assert not (project / "_output").exists()


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


def test_executed_notebook_must_match_the_deck(project, tmp_path):
    from deckbuild.document import DeckError
    from deckbuild.qmd import read_document
    from deckbuild.quarto_freeze import executed_chunks
    doc = read_document(project / "slides" / "deck.qmd", project, strict=False)
    nb = tmp_path / "nb.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "something else", "outputs": []}]}))
    with pytest.raises(DeckError, match="code cells"):
        executed_chunks(doc, nb)


def test_a_standalone_rebuilt_alone_thaws_its_own_profiles_freeze(project, fake_quarto):
    """`_freeze/` holds the last render's freeze (here beta's): a standalone rebuilt on its own
    (its HTML up to date) must restore alpha's first, or Quarto thaws beta's outputs into it
    (quarto-cli src/command/render/render-files.ts:171-192, freeze.ts:133-134: `--use-freezer`
    thaws any freeze whose main-.qmd hash matches, and this main file is only include lines)."""
    build(project, "alpha", engine="quarto", pdf=False)
    build(project, "beta", engine="quarto", pdf=False)
    assert "outputs from beta/" in page(project, "deck-standalone.html", out="_output-beta")
    (project / "_output" / "deck-standalone.html").unlink()
    _reset(fake_quarto)
    build(project, "alpha", engine="quarto", pdf=False)
    (only,) = calls(fake_quarto)
    assert "--use-freezer" in only["argv"] and not only["executed"], "the html was up to date"
    assert "outputs from alpha/" in page(project, "deck-standalone.html")
    assert "outputs from alpha/" in page(project), "the carried-over page is alpha's too"


def test_a_standalone_rebuilt_alone_executes_when_its_freeze_is_gone(project, fake_quarto):
    """The html is up to date but the stored freeze was pruned: the standalone render executes
    (and stores what ran) instead of thawing whatever `_freeze/` holds."""
    build(project, "alpha", engine="quarto", pdf=False)
    build(project, "beta", engine="quarto", pdf=False)
    from deckbuild.quarto_freeze import FreezeStore
    store = FreezeStore(project / ".deck-cache", "slides/deck.qmd")
    alpha = [e for e in store.folder.iterdir() if "alpha" in (e / "freeze" / "stamp.txt").read_text()]
    shutil.rmtree(alpha[0])
    (project / "_output" / "deck-standalone.html").unlink()
    _reset(fake_quarto)
    build(project, "alpha", engine="quarto", pdf=False)
    (only,) = calls(fake_quarto)
    assert only["executed"] and "--use-freezer" not in only["argv"]
    assert yaml.safe_load(only["metadata_file"]) == {
        "format": {"revealjs": {"embed-resources": True, "chalkboard": False}}, "keep-ipynb": True}
    assert "outputs from alpha/" in page(project, "deck-standalone.html")
    assert len([e for e in store.folder.iterdir()]) == 2, "what ran is stored again"


def test_deck_key_hashes_data_once_through_the_cell_cache_salt(project, monkeypatch):
    """`data/` is part of cell_cache.salt(); deck_key must not hash it a second time."""
    from deckbuild import cell_cache, quarto_freeze
    from deckbuild.qmd import read_document
    (project / "data").mkdir()
    (project / "data" / "x.csv").write_text("a\n1\n")
    doc = read_document(project / "slides" / "deck.qmd", project, strict=False)
    before = quarto_freeze.deck_key(doc)
    seen = []
    real = cell_cache.tree_digest

    def counting(root, dirs, *args, **kw):
        seen.extend(d for d in dirs if d == "data")
        return real(root, dirs, *args, **kw)
    monkeypatch.setattr(cell_cache, "tree_digest", counting)
    monkeypatch.setattr(quarto_freeze, "tree_digest", counting, raising=False)
    assert quarto_freeze.deck_key(doc) == before and seen == ["data"], "data/ is hashed once"
    (project / "data" / "x.csv").write_text("a\n2\n")
    assert quarto_freeze.deck_key(doc) != before, "an edit in data/ still changes the key"


def test_date_today_renders_with_quarto_and_a_new_day_rebuilds_the_pages(project, fake_quarto, monkeypatch):
    """Quarto takes `date: today` (quarto-cli src/core/date.ts:94-125) and resolves it on every
    render: the check lets it through, and the pages are out of date once the day changes."""
    import datetime as dt
    from deckbuild import dates
    profile = project / "_quarto-alpha.yml"
    profile.write_text(profile.read_text() + "\ndate: today\n")
    build(project, engine="quarto", pdf=False)
    assert len(calls(fake_quarto)) == 2
    _reset(fake_quarto)
    assert build(project, engine="quarto", pdf=False).up_to_date
    monkeypatch.setattr(dates, "_today", lambda: dt.date.today() + dt.timedelta(days=1))
    result = build(project, engine="quarto", pdf=False)
    assert not result.up_to_date and len(calls(fake_quarto)) == 2
    assert not any(c["executed"] for c in calls(fake_quarto)), "the outputs are thawed, not re-run"
