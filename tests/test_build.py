"""End-to-end build of the fixture project (tests/fixtures/mini) with the built-in engine.

One full build per test session (`fixture_build()`, shared with test_browser.py and
test_pdf.py); expected values come from reading the fixture's .qmd sources here, not from a
previous run."""
from __future__ import annotations

import atexit
import functools
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
SOURCES = [FIXTURE / "slides" / "mini.qmd", FIXTURE / "slides" / "_partial.qmd"]


def copy_fixture(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("_output*", ".deck-cache", ".*.tmp-*"))
    return dest


@functools.lru_cache(maxsize=None)
def fixture_build() -> tuple[Path, object, float]:
    """(project copy, BuildResult, seconds) of one cold build with PDFs, handout and notes PDF."""
    from deckbuild.build import Progress, build
    base = Path(tempfile.mkdtemp(prefix="deck-mini-"))
    atexit.register(shutil.rmtree, base, True)
    root = copy_fixture(base / "mini")
    t0 = time.monotonic()
    result = build(root, engine="builtin", pdf=True, notes_pdf=True, progress=Progress(quiet=True))
    return root, result, time.monotonic() - t0


@pytest.fixture(scope="session")
def built():
    return fixture_build()


def source_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)


def expected_slide_titles() -> list[str]:
    """`## Title {attrs}` lines of the sources, in deck order (the partial is included once)."""
    main = SOURCES[0].read_text(encoding="utf-8").splitlines()
    partial = SOURCES[1].read_text(encoding="utf-8").splitlines()
    lines = []
    for line in main:
        lines += partial if line.startswith("{{< include _partial.qmd >}}") else [line]
    return [re.sub(r"\s*\{.*\}\s*$", "", line[3:]).strip() for line in lines if line.startswith("## ")]


def expected_notes() -> list[str]:
    return [m.strip() for m in re.findall(r"::: notes\n(.*?)\n:::", source_text(), re.S)]


class Slides(HTMLParser):
    """Top-level <section>s of div.slides: their ids, h2 texts, notes and <img> attributes."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.sections: list[dict] = []
        self.stack: list[str] = []
        self.in_slides = False
        self.capture: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("class") == "slides":
            self.in_slides = True
        if not self.in_slides:
            return
        if tag == "section":
            self.depth += 1
            if self.depth == 1:
                self.sections.append({"id": a.get("id"), "class": a.get("class", ""), "title": "",
                                      "notes": "", "imgs": [], "attrs": a})
        if self.sections and self.depth:
            cur = self.sections[-1]
            if tag == "img":
                cur["imgs"].append(a)
            if tag in ("h1", "h2"):
                self.capture = "title"
            if tag == "aside" and "notes" in (a.get("class") or ""):
                self.capture = "notes"

    def handle_endtag(self, tag):
        if tag == "section" and self.in_slides:
            self.depth -= 1
        if tag in ("h1", "h2") and self.capture == "title":
            self.capture = None
        if tag == "aside" and self.capture == "notes":
            self.capture = None

    def handle_data(self, data):
        if self.capture and self.sections:
            self.sections[-1][self.capture] += data


def parse(html: str) -> list[dict]:
    p = Slides()
    p.feed(html)
    return p.sections


def deck_html(root: Path) -> str:
    return (root / "_output" / "mini.html").read_text(encoding="utf-8")


def test_outputs_written(built):
    root, result, _ = built
    out = root / "_output"
    for name in ("mini.html", "mini-standalone.html", "mini.pdf", "mini-notes.pdf", "mini-handout.pdf"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert (out / "mini_files" / "libs" / "reveal.js" / "reveal.js").is_file()
    assert not list(root.glob(".*tmp-*")), "staging folder left behind"


def test_slides_titles_and_notes(built):
    sections = parse(deck_html(built[0]))
    titles = expected_slide_titles()
    assert len(sections) == len(titles) + 1                      # + the title slide
    assert sections[0]["id"] == "title-slide"
    assert [s["title"].strip() for s in sections[1:]] == titles
    notes = " ".join(" ".join(s["notes"].split()) for s in sections)
    for text in expected_notes():
        assert " ".join(re.sub(r"[*_`]", "", text).split()) in notes


def test_slide_classes_and_backgrounds(built):
    by_title = {s["title"].strip(): s for s in parse(deck_html(built[0]))}
    assert "smaller" in by_title["Slide incluído"]["class"]
    assert "scrollable" in by_title["Tabela e HTML"]["class"]
    assert "center" in by_title["Lista incremental"]["class"]
    assert by_title["Introdução"]["attrs"].get("data-background-color") == "#FFF7E0"
    bg = by_title["Figura matplotlib"]["attrs"].get("data-background-image")
    assert bg and (built[0] / "_output" / bg).is_file()


def test_figures_have_alt_text(built):
    root = built[0]
    imgs = [i for s in parse(deck_html(root)) for i in s["imgs"]]
    alts = re.findall(r'#\|\s*fig-alt:\s*"([^"]+)"', source_text())
    assert imgs, "no figure rendered"
    for img in imgs:
        assert img.get("alt"), img
        assert (root / "_output" / img["src"]).is_file()
    html = deck_html(root)
    for alt in alts:                                        # on the <img> or the chart's aria-label
        assert f'alt="{alt}"' in html or f'aria-label="{alt}"' in html, alt


def test_cell_options_honoured(built):
    html = deck_html(built[0])
    assert html.count("Traceback (most recent call last)") == 1     # only the `error: true` cell
    assert "aviso que não deve aparecer" not in html                  # warning: false
    assert "saída &lt;com&gt; &amp; símbolos" in html                 # stdout escaped
    assert "nunca_executado" in html and "NameError" not in html      # eval: false, echo: true
    assert '<details class="code-fold"><summary>Ver o código</summary>' in html
    assert "<strong>em markdown</strong>" in html                     # output: asis
    assert "O maior valor é 1200,5." in re.sub(r"<[^>]+>", "", html)  # inline expression
    assert "a resposta é 42" in html                                  # {{< var >}} in a partial
    assert "from demos.render_setup" not in html                      # include: false


def test_vega_chart_embedded_once_and_offline(built):
    html = deck_html(built[0])
    assert html.count('class="deck-runtime"') == 1, "one copy of the chart runtime (Vega inlined)"
    assert "cdn.jsdelivr" not in html and "require.min.js" not in html
    assert html.count('class="vega-spec"') == 1
    markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", html, flags=re.S)   # not script bodies
    for attr in re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', markup):
        assert not re.match(r"^(https?:)?//", attr), attr
        assert (built[0] / "_output" / attr).exists(), attr


def test_standalone_is_single_file(built):
    html = (built[0] / "_output" / "mini-standalone.html").read_text(encoding="utf-8")
    assert 'class="deck-runtime"' in html and "Reveal.initialize" in html
    html = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", html, flags=re.S)   # markup only
    assert not re.search(r'\b(src|href)="(?!data:|#|https?://example\.org)[^"]+"', html)


def clone_built(built, dest: Path) -> Path:
    """A copy of the session build's project with its cache and output (tests that rebuild)."""
    root = copy_fixture(dest)
    shutil.copytree(built[0] / ".deck-cache", root / ".deck-cache")
    shutil.copytree(built[0] / "_output", root / "_output")
    return root


def test_rebuild_uses_cache_and_is_deterministic(built, tmp_path):
    from deckbuild.build import build
    root = clone_built(built, tmp_path / "mini")
    before = deck_html(root)
    lines = []
    t0 = time.monotonic()
    build(root, engine="builtin", pdf=False, progress=_Collect(lines))
    assert time.monotonic() - t0 < 5
    assert any("no kernel started" in line for line in lines)
    assert deck_html(root) == before
    build(root, engine="builtin", pdf=False, fresh=True, progress=_Collect(lines))
    assert any("starting a kernel" in line for line in lines)
    assert deck_html(root) == before


class _Collect:
    def __init__(self, lines):
        from deckbuild.build import Progress
        self.lines, self.inner = lines, Progress(quiet=True)
        self.timings = self.inner.timings

    def __call__(self, message):
        self.lines.append(message)

    def step(self, name, fn, *args, **kwargs):
        return self.inner.step(name, fn, *args, **kwargs)


def test_failing_cell_keeps_previous_output(built, tmp_path):
    root = clone_built(built, tmp_path / "mini")
    before = (root / "_output" / "mini.html").read_bytes()
    qmd = root / "slides" / "mini.qmd"
    text = qmd.read_text(encoding="utf-8")
    text = text.replace("## Referências", "## Slide quebrado\n\n```{python}\nraise ValueError('quebrou')\n```\n\n## Referências")
    qmd.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, l in enumerate(lines, 1) if l == "raise ValueError('quebrou')") - 1  # the fence
    proc = subprocess.run([sys.executable, "-m", "deckbuild", "build", "--engine", "builtin", "--no-pdf"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    first = [l for l in proc.stderr.splitlines() if l.startswith("error:")]
    assert len(first) == 1
    assert f"slides/mini.qmd:{line}" in first[0] and "Slide quebrado" in first[0] and "quebrou" in first[0]
    assert "Traceback" in proc.stderr or "ValueError" in proc.stderr.split(first[0], 1)[1]
    assert (root / "_output" / "mini.html").read_bytes() == before
    assert not list(root.glob("._output.tmp-*"))


def test_missing_theme_is_one_line_error(tmp_path):
    root = copy_fixture(tmp_path / "mini")
    cfg = root / "_quarto.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("assets/theme.scss", "assets/nao-existe.scss"),
                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "deckbuild", "build", "--engine", "builtin", "--no-pdf"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "nao-existe.scss" in proc.stderr and len(proc.stderr.strip().splitlines()[-1]) < 400


def test_fig_alt_on_markdown_image_becomes_alt(tmp_path):
    """Quarto turns `fig-alt` on a Markdown image into the <img> alt text; so does the built-in path."""
    from deckbuild.revealjs import PKG, run_pandoc
    html = run_pandoc(["-f", "markdown", "-t", "revealjs", "--lua-filter",
                       str(PKG / "templates" / "quarto_compat.lua")],
                      "## S\n\n![](x.svg){fig-alt=\"Diagrama de camadas\"}\n", "inline test")
    assert 'alt="Diagrama de camadas"' in html
    assert "fig-alt" not in html


def test_list_captions_and_alts_go_one_per_figure(tmp_path):
    """`fig-cap`/`fig-alt` given as lists label the cell's figures in order (as in Quarto)."""
    import base64
    from deckbuild.document import Cell, Document
    from deckbuild.outputs import FigureSink, outputs_markdown
    caps, alts = ["Primeira legenda", "Segunda legenda"], ["Primeiro alt", "Segundo alt"]
    doc = Document(path=tmp_path / "d.qmd", root=tmp_path, profile="", metadata={})
    cell = Cell(source="x", options={"fig-cap": caps, "fig-alt": alts}, file="d.qmd", line=1)
    png = base64.b64encode(b"\x89PNG fake").decode()
    outs = [{"output_type": "display_data", "data": {"image/png": png}}] * 2
    pieces = outputs_markdown(doc, cell, outs, FigureSink(tmp_path / "fig", "fig"), "html")
    assert len(pieces) == 2
    for piece, cap, alt in zip(pieces, caps, alts):
        assert f'alt="{alt}"' in piece and f"<figcaption>{cap}</figcaption>" in piece
        assert "['" not in piece                              # no list repr anywhere


def test_root_relative_image_resolves_from_project_root(tmp_path):
    """Quarto reads `/assets/x.svg` as relative to the project root; the built-in path copies it."""
    from deckbuild.revealjs import _Resources
    root = tmp_path / "proj"
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "x.svg").write_text("<svg/>")
    (root / "slides").mkdir()
    doc = type("Doc", (), {"root": root, "path": root / "slides" / "d.qmd"})()
    res = _Resources(doc, tmp_path / "out" / "d_files")
    url = res.url("/assets/x.svg", [doc.path.parent, root])
    assert url == "d_files/media/assets/x.svg"
    assert (tmp_path / "out" / "d_files" / "media" / "assets" / "x.svg").read_text() == "<svg/>"
    assert res.url("//cdn.example/x.js", [root]) == "//cdn.example/x.js"
