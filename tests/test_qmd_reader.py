"""deckbuild.qmd.read_document: front matter, includes, shortcodes, cells and their options,
inline expressions, and the file:line errors for what the built-in engine cannot do.
Expected values come from the fixture files themselves (tests/fixtures/reader/project)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deckbuild.document import DeckError, Inline, Markdown
from deckbuild.qmd import read_document



def line_of(path: Path, needle: str, start: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, t in enumerate(lines, start=1) if i >= start and needle in t)


def read(root: Path, body: str, name: str = "slides/t.qmd", front: str = "") -> "Document":
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((f"---\n{front}---\n" if front else "") + body, encoding="utf-8")
    return read_document(path, root, None)


def fails(root: Path, body: str, *needles: str, line: int | None = None, **kw) -> DeckError:
    with pytest.raises(DeckError) as err:
        read(root, body, **kw)
    message = str(err.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message, message
    if line is not None:
        assert err.value.line == line, message
    return err.value


# ---------------------------------------------------------------- the fixture deck

def test_fixture_deck_structure(project):
    deck, part, nested = (project / "slides" / n for n in ("deck.qmd", "_part.qmd",
                                                           "parts/_nested.qmd"))
    doc = read_document(deck, project, None)
    variables = yaml.safe_load((project / "_variables.yml").read_text())
    front = yaml.safe_load(deck.read_text().split("---")[1])
    assert doc.profile == "alpha" and doc.path == deck and doc.root == project
    # front matter wins over the project; shortcodes in the title are resolved
    assert doc.metadata["deck"]["seed"] == front["deck"]["seed"]
    assert doc.metadata["deck"]["model"] == "base-model"
    assert doc.metadata["title"] == front["title"].replace("{{< var speaker.name >}}",
                                                           variables["speaker"]["name"])
    # cells: the included one first, then the deck's own
    first, second = doc.cells
    assert (first.file, first.line, first.index) == ("slides/_part.qmd",
                                                     line_of(part, "```{python}"), 0)
    assert first.options == {"include": False} and first.source == "import math"
    assert (second.file, second.line, second.index) == ("slides/deck.qmd",
                                                        line_of(deck, "```{python}"), 1)
    assert second.slide_title == "Próximo token"
    assert second.options == {"label": "next-chart", "fig-cap": "Legenda em\nduas linhas\n",
                              "echo": True, "fig-width": 8}
    assert second.source == 'next_token_chart("Eu gosto de")'
    inlines = [c for c in doc.chunks if isinstance(c, Inline)]
    assert [(i.expr, i.file, i.line, i.slide_title) for i in inlines] == [
        ("math.pi", "slides/parts/_nested.qmd", line_of(nested, "{python}"), "Aninhado"),
        ("n_tokens", "slides/deck.qmd", line_of(deck, "{python} n_tokens"), "Próximo token"),
        ("2 * 21", "slides/deck.qmd", line_of(deck, "{python} n_tokens"), "Próximo token")]
    assert set(doc.files_read) >= {project / "_quarto.yml", project / "_quarto-alpha.yml",
                                   project / "_variables.yml", deck, part, nested}


def test_markdown_chunks_keep_their_own_file_and_line(project):
    doc = read_document(project / "slides" / "deck.qmd", project, None)
    checked = 0
    for chunk in (c for c in doc.chunks if isinstance(c, Markdown)):
        source = (project / chunk.file).read_text(encoding="utf-8").split("\n")
        pieces = chunk.text.split("\n")
        for i, piece in enumerate(pieces):
            src = source[chunk.line - 1 + i]
            if "{{<" in src or (i == len(pieces) - 1 and piece == ""):
                continue                                        # resolved / end of chunk
            whole = 0 < i < len(pieces) - 1 or (i == 0 and len(pieces) > 1 and src == piece)
            assert src == piece if whole else piece in src, (chunk, i)
            checked += 1
    assert checked > 10
    md = "".join(c.text for c in doc.chunks if isinstance(c, Markdown))
    assert "ignored: front matter" not in md                    # included front matter dropped
    assert "Evento Alpha Conf de 2025-06-10 (1.5)." in md       # meta (date as ISO) and var
    assert 'url = "Gus"' in md                                  # shortcodes in code blocks
    assert 'keep = "{{< var speaker.name >}}"' in md            # ... unless shortcodes=false


# ---------------------------------------------------------------- shortcodes

@pytest.mark.parametrize("code, expected", [
    ("{{< var speaker.name >}}", "Gus"),
    ("{{< var version >}}", "1.5"),
    ("{{< var flag >}}", "true"),
    ('{{< meta "event.name" >}}', "Alpha Conf"),
    ("{{< meta event.end >}}", "2025-06-13"),
    ("{{< meta format.revealjs.width >}}", "1050"),
    ("{{</* var speaker.name */>}}", "{{< var speaker.name >}}"),
    ("{{{< meta title >}}}", "{{< meta title >}}"),
    ("`{{< var speaker.name >}}`", "`Gus`"),
    ("{{< meta subtitle >}}", "por Gus"),                    # metadata shortcodes resolved first
])
def test_shortcode_values(project, code, expected):
    doc = read(project, f"A {code} B\n", front='subtitle: "por {{< var speaker.name >}}"\n')
    assert doc.chunks[0].text == f"A {expected} B\n"


@pytest.mark.parametrize("code, needles", [
    ("{{< var nope.deeper >}}", ["no key 'nope.deeper'", "_variables.yml"]),
    ("{{< meta nope >}}", ["no key 'nope'", "metadata"]),
    ("{{< var items >}}", ["'items' is a list"]),
    ("{{< var >}}", ["takes one key"]),
    ("{{< env HOME >}}", ["'env'", "not supported by the built-in engine"]),
    ("{{< fancy x >}}", ["'fancy'", "not a known shortcode"]),
    ("see {{< include _x.qmd >}}", ["must stand alone"]),
])
def test_shortcode_errors_name_file_and_line(project, code, needles):
    fails(project, f"# T\n\nline {code}\n", "slides/t.qmd:3:", *needles, line=3)


# ---------------------------------------------------------------- includes

def test_include_missing_file_points_at_the_include_line(project):
    fails(project, "x\n{{< include nothere.qmd >}}\n", "slides/t.qmd:2:", "not found",
          "nothere.qmd", line=2)


def test_include_cycle_is_detected(project):
    (project / "slides" / "_a.qmd").write_text("a\n{{< include _b.qmd >}}\n")
    (project / "slides" / "_b.qmd").write_text("b\n\n{{< include _a.qmd >}}\n")
    fails(project, "{{< include _a.qmd >}}\n", "slides/_b.qmd:3:", "include cycle",
          "slides/t.qmd -> slides/_a.qmd -> slides/_b.qmd -> slides/_a.qmd", line=3)


def test_self_include_is_a_cycle(project):
    fails(project, "x\n{{< include t.qmd >}}\n", "include cycle", line=2)


def test_include_inside_a_code_block_unless_shortcodes_false(project):
    (project / "slides" / "_code.py").write_text("print({{< var flag >}})\n")
    doc = read(project, "```python\n{{< include _code.py >}}\n```\n\n"
                        "```{.python shortcodes=false}\n{{< include _code.py >}}\n```\n")
    assert "".join(c.text for c in doc.chunks) == (
        "```python\nprint(true)\n```\n\n```{.python shortcodes=false}\n"
        "{{< include _code.py >}}\n```\n")
    assert [c.file for c in doc.chunks] == ["slides/t.qmd", "slides/_code.py", "slides/t.qmd"]


def test_include_paths_starting_with_slash_are_project_relative(project):
    (project / "shared.qmd").write_text("from the root\n")
    (project / "slides" / "sub").mkdir()
    (project / "slides" / "sub" / "_s.qmd").write_text("{{< include /shared.qmd >}}\n")
    doc = read(project, "{{< include sub/_s.qmd >}}\n")
    assert [(c.text, c.file, c.line) for c in doc.chunks] == [("from the root\n", "shared.qmd", 1)]


def test_same_partial_twice_is_fine(project):
    (project / "slides" / "_p.qmd").write_text("```{python}\n1\n```\n")
    doc = read(project, "{{< include _p.qmd >}}\n{{< include _p.qmd >}}\n")
    assert [(c.file, c.line, c.index) for c in doc.cells] == [("slides/_p.qmd", 1, 0),
                                                              ("slides/_p.qmd", 1, 1)]


# ---------------------------------------------------------------- cells and options

@pytest.mark.parametrize("option", [
    "echo: false", "echo: fenced", "eval: false", "include: false", "output: asis",
    "output: false", "warning: true", "error: true", "code-fold: show", "code-fold: true",
    "code-summary: Ver código", "fig-cap: Uma legenda", "fig-alt: Texto alternativo",
    "label: chart-x", "fig-width: 9.5", "fig-height: 4", "classes: [big, centered]",
    "tags: [slow]",
])
def test_each_supported_cell_option(project, option):
    doc = read(project, f"```{{python}}\n#| {option}\nx = 1\n```\n")
    assert doc.cells[0].options == yaml.safe_load(option)
    assert doc.cells[0].source == "x = 1"


@pytest.mark.parametrize("option, needles", [
    ("echo: maybe", ["'echo'", "true, false or fenced"]),
    ("eval: 1", ["'eval'", "true or false"]),
    ("fig-width: -3", ["'fig-width'", "number > 0"]),
    ("label: 3 words here", ["'label'", "identifier"]),
    ("layout-ncol: 2", ["'layout-ncol'", "not supported by the built-in engine"]),
    ("ech: false", ["unknown cell option 'ech'", "did you mean 'echo'"]),
    ("echo: [unclosed", ["cell option syntax error"]),
])
def test_bad_cell_options(project, option, needles):
    fails(project, f"# S\n\n```{{python}}\n#| code-summary: ok\n#| {option}\nx\n```\n",
          "slides/t.qmd:5:", *needles, line=5)


def test_multiline_yaml_option_and_source(project):
    doc = read(project, "```{python}\n#| fig-alt: >\n#|   dobrado\n#|   em linhas\n#| echo: false\n"
                        "import os\n#| not an option any more\n```\n")
    cell = doc.cells[0]
    assert cell.options == {"fig-alt": "dobrado em linhas\n", "echo": False}
    assert cell.source == "import os\n#| not an option any more"


def test_duplicate_label(project):
    body = "```{python}\n#| label: a\n1\n```\n\n```{python}\n#| label: a\n2\n```\n"
    fails(project, body, "slides/t.qmd:6:", "label 'a' is already used at slides/t.qmd:1", line=6)


@pytest.mark.parametrize("engine", ["r", "ojs", "julia", "mermaid", "dot", "bash"])
def test_other_engines_are_refused(project, engine):
    fails(project, f"# S\n\ntext\n```{{{engine}}}\n1\n```\n", "slides/t.qmd:4:",
          f"```{{{engine}}}", "not supported by the built-in engine", line=4)


def test_options_in_braces_are_refused(project):
    fails(project, "```{python echo=false}\n1\n```\n", "#| key: value", line=1)


def test_unclosed_cell_and_code_block(project):
    fails(project, "a\n\n```{python}\n1\n", "never closed", line=3)
    fails(project, "a\n````\ncode\n```\n", "code block", "never closed", line=2)


def test_plain_code_is_not_executed(project):
    doc = read(project, "```python\nprint(1)\n```\n\n````markdown\n```{python}\n1\n```\n"
                        "`{python} 2`\n````\n\n```{=html}\n<b>x</b>\n```\n")
    assert doc.cells == [] and not any(isinstance(c, Inline) for c in doc.chunks)
    assert "".join(c.text for c in doc.chunks) == (project / "slides/t.qmd").read_text()


def test_slide_titles_and_cell_indices(project):
    doc = read(project, "# Seção {#sec}\n\n```{python}\n1\n```\n\n## Slide *um* ##\n\n"
                        "### Sub\n\n```{python}\n2\n```\n")
    assert [(c.index, c.slide_title) for c in doc.cells] == [(0, "Seção"), (1, "Slide *um*")]


# ---------------------------------------------------------------- inline expressions

def test_inline_expressions_split_markdown(project):
    doc = read(project, "## T\n\nA `{python} a + 1` B `` `{python} lit` `` C `{python} f'x'`\n")
    kinds = [(type(c).__name__, getattr(c, "expr", getattr(c, "text", None))) for c in doc.chunks]
    assert kinds == [("Markdown", "## T\n\nA "), ("Inline", "a + 1"),
                     ("Markdown", " B `` `{python} lit` `` C "), ("Inline", "f'x'"),
                     ("Markdown", "\n")]
    assert all(c.line == 3 for c in doc.chunks[1:])


def test_inline_shown_not_run(project):
    doc = read(project, "Write `{{python}} x + 1` to show `x + 1`.\n")
    assert [c.text for c in doc.chunks] == ["Write `{python} x + 1` to show `x + 1`.\n"]


def test_crlf_and_bom(project):
    path = project / "slides" / "w.qmd"
    path.write_bytes("\ufeff---\r\ntitle: W\r\n---\r\n# A\r\n\r\n```{python}\r\n#| echo: true\r\n"
                     "1\r\n```\r\n".encode("utf-8"))
    doc = read_document(path, project, None)
    assert doc.metadata["title"] == "W"
    assert [(c.options, c.source, c.line, c.slide_title) for c in doc.cells] == [
        ({"echo": True}, "1", 6, "A")]


def test_inline_other_engine_is_refused(project):
    fails(project, "a\nb `{r} 1 + 1`\n", "slides/t.qmd:2:", "`{r}`", "not supported", line=2)


# ---------------------------------------------------------------- front matter

def test_front_matter_errors(project):
    fails(project, "x\n", "slides/t.qmd:3:", "unknown top-level key 'subtitel'",
          "did you mean 'subtitle'", front="title: a\nsubtitel: b\n", line=3)
    fails(project, "x\n", "slides/t.qmd:2:", "front matter YAML syntax error",
          front="title: [a\n", line=2)
    fails(project, "x\n", "'profile' belongs in _quarto.yml", front="profile:\n  default: b\n")
    with pytest.raises(DeckError, match=r"slides/t\.qmd:1: front matter .* never closed"):
        read(project, "---\ntitle: x\n")


def test_front_matter_logo_is_relative_to_the_document(project):
    (project / "slides" / "here.svg").write_text("<svg/>")
    doc = read(project, "x\n", front="logo: here.svg\n")
    assert doc.metadata["logo"] == "here.svg"
    fails(project, "x\n", "slides/t.qmd:2:", "'logo'", "does not exist",
          front="logo: assets/logo.svg\n", line=2)                 # that path is root-relative


def test_front_matter_unknown_event_key(project):
    fails(project, "x\n", "slides/t.qmd:3:", "event.citty", "did you mean 'city'",
          front="event:\n  citty: Recife\n", line=3)


def test_project_paths_become_relative_to_the_document(tmp_path):
    """Quarto rewrites project-config values naming files relative to the input's folder."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.svg").write_text("<svg/>")
    (tmp_path / "slides").mkdir()
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  render: [slides/d.qmd]\nevent:\n  logo: assets/logo.svg\n  name: assets/none.svg\n")
    (tmp_path / "slides" / "d.qmd").write_text("---\ntitle: T\n---\n\n## A\n\n![]({{< meta event.logo >}})\n")
    doc = read_document(tmp_path / "slides" / "d.qmd", tmp_path)
    assert doc.metadata["event"]["logo"] == "../assets/logo.svg"
    assert doc.metadata["event"]["name"] == "assets/none.svg"        # not a file: unchanged
    assert doc.metadata["project"]["render"] == ["slides/d.qmd"]      # project options untouched
    assert "](../assets/logo.svg)" in "".join(c.text for c in doc.chunks if isinstance(c, Markdown))
