"""Quarto parity of the built-in engine, checked against Quarto's own behaviour (quarto-cli 1.10):
the reveal.js options it reads (Quarto's defaults unless declared), its title-slide date, the
constructs it renders like Quarto (callouts, `.absolute`, auto-stretch, code line numbers) or
refuses with file:line (tabsets, cross-references, remote images), the one output form of cells
(no text/html, Quarto's table pass switched off), inline values as Quarto writes them, and the
fonts shipped inside the theme and the SVG images."""
from __future__ import annotations

import base64
import datetime as dt
import re
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from deckbuild import reveal_options
from deckbuild.dates import format_date, parse_date
from deckbuild.document import DeckError
from deckbuild.revealjs import PKG, node_modules, run_pandoc

ROOT = Path(__file__).resolve().parents[1]


def reveal(markdown: str, **meta) -> str:
    """Markdown → reveal.js HTML through the built-in engine's pandoc step and Lua filter."""
    args = ["-f", "markdown", "-t", "revealjs", "--slide-level=2", "--wrap=none",
            "--lua-filter", str(PKG / "templates" / "quarto_compat.lua")]
    for k, v in {"deck-auto-stretch": "false", "deck-code-line-numbers": "false", **meta}.items():
        args += ["-M", f"{k}={v}"]
    return run_pandoc(args, markdown, "test")


# ---------------------------------------------------------------- reveal.js options

def test_undeclared_options_follow_quartos_defaults():
    cfg = reveal_options.reveal_config({}, menu_path="m/", chalkboard=True)
    # quarto-cli src/format/reveal/format-reveal.ts (revealjsFormat), plugins/*/plugin.yml
    assert cfg["history"] is True and cfg["hash"] is True and cfg["controls"] is False
    assert "pdfMaxPagesPerSlide" not in cfg and cfg["navigationMode"] == "linear"
    assert cfg["menu"]["markers"] is False and cfg["menu"]["side"] == "left"
    assert cfg["menu"]["custom"][0]["content"].count("slide-tool-item") == 7   # Quarto's Tools panel
    assert cfg["chalkboard"] == {"buttons": True}
    assert reveal_options.highlight_style({}) == "arrow" and reveal_options.code_line_numbers({})
    assert reveal_options.auto_stretch({})
    assert reveal_options.reveal_config({"slide-number": True})["slideNumber"] == "c/t"


def test_the_decks_departures_are_declared_in_quarto_yml_and_read_from_there():
    from deckbuild.config import load_project_config
    fmt = load_project_config(ROOT, None).metadata["format"]["revealjs"]
    cfg = reveal_options.reveal_config(fmt, menu_path="m/", chalkboard=bool(fmt.get("chalkboard")))
    assert cfg["history"] is False and cfg["pdfMaxPagesPerSlide"] == 1
    assert cfg["chalkboard"]["theme"] == "whiteboard" and cfg["menu"]["numbers"] is True
    assert fmt["auto-stretch"] is False and fmt["code-line-numbers"] is False
    assert reveal_options.highlight_style(fmt) == "pygments"
    source = (ROOT / "src" / "deckbuild" / "revealjs.py").read_text()
    for hard_coded in ('"history": False', '"whiteboard"', "pdfMaxPagesPerSlide\": 1"):
        assert hard_coded not in source, hard_coded


def test_highlight_styles_are_quartos_theme_files():
    from deckbuild.revealjs import highlight_css
    assert "#" in highlight_css("arrow") and highlight_css("arrow") != highlight_css("pygments")


# ---------------------------------------------------------------- dates

def test_date_is_formatted_like_quarto():
    day = dt.date(2025, 6, 10)
    assert format_date(day, "D [de] MMMM [de] YYYY", "pt-BR") == "10 de junho de 2025"
    assert format_date(day, None, "pt-BR") == "2025-06-10"                     # Quarto's "iso"
    assert format_date(day, "long", "pt-BR") == "10 de junho de 2025"
    assert format_date(day, "dddd, DD/MM/YY", "pt-BR") == "terça-feira, 10/06/25"


def test_date_agrees_with_quartos_dayjs():
    """dayjs at the release Quarto 1.10 pins (src/import_map.json: 1.8.21, npm dev dependency) with
    the pt-br locale Quarto ships and loads itself (vendored in tests/fixtures/quarto)."""
    dayjs = node_modules(ROOT) / "dayjs"
    assert (dayjs / "package.json").is_file() and shutil.which("node"), "run `make setup` (npm ci installs dayjs)"
    assert json.loads((dayjs / "package.json").read_text())["version"] == "1.8.21"
    locale = (ROOT / "tests" / "fixtures" / "quarto" / "dayjs-pt-br.js").read_text(encoding="utf-8")
    fmts = ["D [de] MMMM [de] YYYY", "dddd, D [de] MMM", "DD/MM/YY", "MMMM YYYY"]
    js = ("const d = require('dayjs'); const m = {exports: {}};"
          "new Function('module', process.argv[1].replace('export default locale', 'module.exports = locale'))(m);"
          "d.locale(m.exports, null, true); d.locale('pt-br');"
          f"for (const f of {fmts!r}) console.log(d('2025-06-10').format(f));")
    out = subprocess.run(["node", "-e", js, locale], cwd=dayjs.parent, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [format_date(dt.date(2025, 6, 10), f, "pt-BR") for f in fmts]


def test_free_text_in_date_is_refused_like_quarto_would_show_invalid_date():
    with pytest.raises(DeckError, match="Invalid Date"):
        parse_date("Agile Trends Nordeste · Recife")
    from deckbuild.config_check import validate_metadata
    with pytest.raises(DeckError, match="date"):
        validate_metadata({"date": "{{< meta event.name >}}"}, "_quarto-x.yml", ROOT)


def test_quartos_special_dates_are_accepted_and_resolved(project):
    """quarto-cli src/core/date.ts:22-24, 94-125 and src/command/render/pandoc.ts:1181-1193:
    `date: today` / `now` is today's date, `last-modified` the main input's modification time,
    formatted with `date-format`; anything else is still refused, and only `date` has them."""
    import os
    from deckbuild.config_check import validate_metadata
    from deckbuild.qmd import read_document
    from deckbuild.title_slide import template_variables
    assert parse_date("today") == parse_date("now") == dt.date.today()
    deck = project / "slides" / "deck.qmd"
    stamp = dt.datetime(2024, 3, 5, 12, 0).timestamp()
    os.utime(deck, (stamp, stamp))
    assert parse_date("last-modified", source=deck) == dt.date(2024, 3, 5)
    for value in ("today", "now", "last-modified"):
        validate_metadata({"date": value, "event": {"start": dt.date(2025, 6, 10)}}, "_quarto-x.yml", ROOT)
    profile = project / "_quarto-alpha.yml"
    profile.write_text(profile.read_text() + '\ndate: last-modified\ndate-format: "D [de] MMMM [de] YYYY"\n')
    os.utime(deck, (stamp, stamp))
    assert template_variables(read_document(deck, project))["date"] == "5 de março de 2024"
    profile.write_text(profile.read_text().replace("date: last-modified", "date: today"))
    assert template_variables(read_document(deck, project))["date"] == \
        format_date(dt.date.today(), "D [de] MMMM [de] YYYY", "pt-BR")
    with pytest.raises(DeckError, match="Invalid Date"):             # date.ts:95 compares exactly
        validate_metadata({"date": "Today"}, "_quarto-x.yml", ROOT)
    with pytest.raises(DeckError, match="event.start.*real date"):    # ours: the data cutoff
        validate_metadata({"event": {"start": "today"}}, "_quarto-x.yml", ROOT)


def test_config_check_parses_dates_with_dates_parse_date(monkeypatch):
    """One date parser: config_check's date check is deckbuild.dates.parse_date."""
    from deckbuild import dates
    from deckbuild.config_check import validate_metadata
    seen = []
    real = dates.parse_date
    monkeypatch.setattr(dates, "parse_date", lambda value, *a, **kw: seen.append(value) or real(value, *a, **kw))
    validate_metadata({"date": "2025-06-10", "event": {"start": "2025-06-10", "end": dt.date(2025, 6, 13)}},
                      "_quarto-x.yml", ROOT)
    assert seen == ["2025-06-10", "2025-06-10", dt.date(2025, 6, 13)]


def test_title_slide_uses_the_partial_with_the_event_block():
    from deckbuild.qmd import read_document
    from deckbuild.title_slide import render_title_slide
    doc = read_document(ROOT / "slides" / "como-as-llms-funcionam.qmd", ROOT)
    html = render_title_slide(doc, run_pandoc)
    assert 'class="center quarto-title-block"' in html
    event = doc.metadata["event"]
    assert f'<p class="subtitle">{doc.metadata["subtitle"]}</p>' in html
    assert "10 de junho de 2025" in html and "Invalid Date" not in html
    assert re.search(rf'class="event-line">{event["name"]} · {event["city"]} · {event["dates"]}<', html)
    assert event["tagline"] in html.split('class="event-block"')[1], "the tagline sits in the event block"



def test_the_decks_partial_is_quartos_default_plus_the_event_block():
    """Authors' e-mail, ORCID and affiliations render as in Quarto's default title slide."""
    from deckbuild.title_slide import DEFAULT_PARTIAL
    default = DEFAULT_PARTIAL.read_text(encoding="utf-8").rstrip()
    ours = (ROOT / "slides" / "title-slide.html").read_text(encoding="utf-8")
    assert default.endswith("</section>")
    assert ours.startswith(default[: -len("</section>")])
    assert 'class="event-block"' in ours[len(default) - len("</section>"):]



def test_authors_email_and_affiliations_render_as_in_quartos_partial():
    from deckbuild.qmd import read_document
    from deckbuild.title_slide import render_title_slide
    doc = read_document(ROOT / "slides" / "como-as-llms-funcionam.qmd", ROOT)
    doc.metadata["author"] = [{"name": "Ana Souza", "email": "ana@example.org",
                               "affiliations": [{"name": "UFPE", "url": "https://ufpe.br"}, "CESAR"]}]
    html = render_title_slide(doc, run_pandoc)
    assert '<a href="mailto:ana@example.org">ana@example.org</a>' in html
    assert re.search(r'<a href="https://ufpe.br">\s*UFPE\s*</a>', html)
    assert re.search(r'class="quarto-title-affiliation">\s*CESAR\s*</p>', html)
    doc.metadata["author"] = [{"name": "Ana Souza", "affiliations": [{"ref": "ufpe"}]}]
    with pytest.raises(DeckError, match="ref"):
        render_title_slide(doc, run_pandoc)


# ---------------------------------------------------------------- constructs

def test_callouts_render_like_quartos_revealjs_renderer():
    html = reveal("## S\n\n::: {.callout-tip}\n## Lembre\nTexto.\n:::\n\n::: callout-note\nSem título.\n:::\n",
                  lang="pt-BR")
    assert '<div class="callout callout-tip callout-titled callout-style-default">' in html
    assert '<div class="callout-title">' in html and "<strong>Lembre</strong>" in html
    assert "<i class='callout-icon'></i>" in html and '<div class="callout-content">' in html
    assert "<strong>Nota</strong>" in html, "untitled default callouts get the language's name"


def test_absolute_position_becomes_inline_css():
    html = reveal("## S\n\n![](x.png){.absolute top=10 left=20 width=\"30%\"}\n\n::: {.absolute bottom=0}\nA\n:::\n")
    assert 'style="top: 10px; left: 20px; width: 30%; "' in html
    assert 'style="bottom: 0px; "' in html


def test_auto_stretch_and_line_numbers_when_not_declared():
    html = reveal("## S\n\n![](x.png)\n\n## T\n\n![](a.png)\n\n![](b.png)\n\n## C\n\n```python\nx = 1\n```\n",
                  **{"deck-auto-stretch": "true", "deck-code-line-numbers": "true"})
    s, t = html.split('<section id="t"')[0], html.split('<section id="t"')[1]
    assert 'class="r-stretch"' in s and "<p><img" not in s, "a lone image: a stretched child of the slide"
    assert "r-stretch" not in t.split('<section id="c"')[0], "two images: no stretch (Quarto's rule)"
    assert "number-lines" in html or "numberSource" in html


@pytest.mark.parametrize("markdown, construct", [
    ("::: {.panel-tabset}", "tabsets"), ("![x](a.png){#fig-a}", "cross-references"),
    ("Veja @fig-a.", "cross-references"), ("::: {layout-ncol=2}", "figure layouts"),
    ("::: aside", "asides")])
def test_unsupported_constructs_fail_with_file_and_line(project, markdown, construct):
    from deckbuild.qmd import read_document
    deck = project / "slides" / "deck.qmd"
    deck.write_text(deck.read_text() + f"\n## Nova\n\n{markdown}\n")
    line = deck.read_text().count("\n") - 0
    with pytest.raises(DeckError, match=rf"slides/deck\.qmd:{line}: {construct}"):
        read_document(deck, project)
    read_document(deck, project, strict=False)            # Quarto renders them: no error there


def test_remote_images_fail_under_both_engines(project):
    from deckbuild.qmd import read_document
    deck = project / "slides" / "deck.qmd"
    deck.write_text(deck.read_text() + "\n## Nova\n\n![logo](https://example.org/logo.png)\n")
    for strict in (True, False):
        with pytest.raises(DeckError, match=r"remote image https://example.org/logo.png.*assets/"):
            read_document(deck, project, strict=strict)


def test_a_crossref_label_on_a_cell_is_refused(project):
    from deckbuild.qmd import read_document
    deck = project / "slides" / "deck.qmd"
    deck.write_text(deck.read_text() + "\n## N\n\n```{python}\n#| label: fig-novo\n1\n```\n")
    with pytest.raises(DeckError, match="cross-reference labels"):
        read_document(deck, project)


# ---------------------------------------------------------------- outputs and inline values

def test_text_html_outputs_are_refused():
    from deckbuild.document import Cell, Document
    from deckbuild.outputs import FigureSink, outputs_markdown
    doc = Document(path=ROOT / "d.qmd", root=ROOT, profile="", metadata={})
    cell = Cell(source="df", options={}, file="slides/x.qmd", line=7)
    with pytest.raises(DeckError, match=r"slides/x\.qmd:7: cell output is text/html.*CDN"):
        outputs_markdown(doc, cell, [{"output_type": "execute_result", "data": {"text/html": "<table/>"}}],
                         FigureSink(ROOT / "nowhere", "x"))


# Quarto's detection of raw HTML tables (filters/normalize/astpipeline.lua, should_handle_raw_html_as_table
# with the patterns of filters/modules/patterns.lua), run under our pandoc.
QUARTO_TABLE_PASS = r'''
local off = "%<%!%-%-%| +quarto%-html%-table%-processing *: +none *%-%-%>"
local tbl = "(<[Tt][Aa][Bb][Ll][Ee][^>]->)(.*)(</[Tt][Aa][Bb][Ll][Ee]>)"
function RawBlock(el)
  if el.format == "html" and not string.find(el.text, off) and string.find(el.text, tbl) then
    error("Quarto would parse this raw HTML table")
  end
end
'''


def test_quartos_table_pass_leaves_every_output_alone(tmp_path):
    import pandas as pd
    from demos.display import raw_html_block
    from demos.runtime import deck_runtime
    from demos.tables import slide_table
    lua = tmp_path / "quarto_tables.lua"
    lua.write_text(QUARTO_TABLE_PASS)
    blocks = [slide_table(pd.DataFrame({"a": [1]})).html, deck_runtime().html]
    md = "\n\n".join(raw_html_block(b) for b in blocks)
    run_pandoc(["-f", "markdown", "-t", "html", "--lua-filter", str(lua)], md, "table pass")
    with pytest.raises(DeckError):                        # the check itself can fail
        run_pandoc(["-f", "markdown", "-t", "html", "--lua-filter", str(lua)],
                   "```{=html}\n<table><tr><td>1</td></tr></table>\n```\n", "table pass")


def test_inline_values_are_escaped_like_quarto():
    from deckbuild.inline import inline_markdown
    # jupyter-inline.ts asEscapedMarkdown: quotes dropped, markdown punctuation (and ',') escaped
    assert inline_markdown({"text/plain": "'1.287 e *x*'"}) == r"1\.287 e \*x\*"
    assert inline_markdown({"text/plain": "'1,07 milhão'"}) == r"1\,07 milhão"
    assert inline_markdown({"text/plain": "42"}) == "42"
    assert inline_markdown({"text/markdown": "**a**"}) == "**a**"
    out = run_pandoc(["-f", "markdown", "-t", "plain"], inline_markdown({"text/plain": "'1.287 [x] *y*'"}), "t")
    assert out.strip() == "1.287 [x] *y*", "escaped text shows as written"


# ---------------------------------------------------------------- fonts

def test_fonts_travel_in_the_theme_both_engines_compile():
    from deckbuild.fonts import FACES, fonts_scss
    scss = (ROOT / "assets" / "_fonts.scss").read_text()
    assert scss == fonts_scss(node_modules(ROOT)), "assets/_fonts.scss is stale: python -m deckbuild.fonts"
    assert scss.count("@font-face") == len(FACES) and "url(data:font/woff2;base64," in scss
    assert '@import "fonts"' in (ROOT / "assets" / "theme.scss").read_text()


def test_svg_images_get_the_font_subsets_they_draw_with():
    from deckbuild.fonts import embed_svg_fonts
    svg = (ROOT / "assets" / "diagrams" / "training-loop.svg").read_text()
    fixed = embed_svg_fonts(svg, node_modules(ROOT))
    faces = re.findall(r"font-family: 'Inter'; font-style: normal; font-weight: (\d+)", fixed)
    assert faces and "data:font/woff;base64," in fixed and fixed.startswith(svg[:20])
    assert embed_svg_fonts(fixed, node_modules(ROOT)) == fixed, "idempotent"
    from fontTools.ttLib import TTFont
    import io
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", fixed).group(1))
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    text = re.sub(r"<[^>]+>", "", "".join(re.findall(r"<text\b[^>]*>.*?</text>", svg, re.S)))
    assert {ord(c) for c in text if not c.isspace()} <= set(cmap), "every drawn character is in the subset"


def test_a_new_day_changes_the_built_in_decks_key_for_date_today(monkeypatch, tmp_path):
    """`date: today` is resolved on every render: the built-in engine's source key (and so its
    no-op check) changes with the day, as Quarto's render would."""
    import types

    from deckbuild import dates, manifest
    doc = types.SimpleNamespace(metadata={"date": "today", "date-format": "long", "lang": "pt-BR"},
                                path=tmp_path / "deck.qmd")
    monkeypatch.setattr(dates, "_today", lambda: dt.date(2026, 6, 10))
    first = manifest.deck_source_key(doc, [])
    assert "10 de junho de 2026" in manifest.date_key(doc)
    monkeypatch.setattr(dates, "_today", lambda: dt.date(2026, 6, 11))
    assert manifest.deck_source_key(doc, []) != first
