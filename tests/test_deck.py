"""The real deck (slides/como-as-llms-funcionam.qmd) against its quality bar.

Built once per test session with the built-in engine (`deck_build()`): `_output/` is reused
when `make test` has just built it (DECK_BUILT_OUTPUT names it: the build compares contents, so
an unchanged build leaves old dates on its outputs) or when every output is newer than every
input; otherwise the project is copied to a
temporary folder (with `.deck-cache` when there is one, so only changed cells run) and built
there, leaving `_output/` alone. On a fresh clone that is a full build with the models (~2 min).
The browser checks run at 1050×700 with every fragment shown (helpers in browser_utils.py)."""
from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from test_build import Slides

ROOT = Path(__file__).resolve().parents[1]
STEM = "como-as-llms-funcionam"
OUTPUTS = [f"{STEM}.html", f"{STEM}-standalone.html", f"{STEM}.pdf", f"{STEM}-handout.pdf"]
INPUTS = ["slides", "assets", "data", "src", "_quarto.yml", "_variables.yml"]
SEED = Path("/work/shared/seed/como-as-llms-funcionam.txt")

# The original deck's slide titles (the seed text, in its order), each mapped to the title it has
# now: pt-BR sentence case and Portuguese where a Brazilian audience expects it (issue 11).
TITLE_MAP = {
    "O Que São LLMs?": "O que são LLMs?",
    "LLM 'puras' e Produtos AI": "LLMs 'puras' e produtos de IA",
    "Redes Neurais: a base computacional": "Redes neurais: a base computacional",
    "Deep Learning: Redes Neurais Profundas": "Aprendizado profundo (deep learning)",
    "Datasets: Entra Porco, sai Linguiça": "Conjuntos de dados: entra porco, sai linguiça",
    "LLMDataHub": "LLMDataHub",
    "Multidimensionalidade": "Multidimensionalidade",
    "1 Dimensão": "1 dimensão",
    "2 Dimensões": "2 dimensões",
    "3 Dimensões": "3 dimensões",
    "N Dimensões": "N dimensões",
    "Relações N-Dimensionais": "Relações em N dimensões",
    "Predição de Tokens": "Previsão do próximo token",
    "Machine Learning: Força Bruta e Escala": "Aprendizado de máquina: força bruta e escala",
    "1 Bilhão de Operações por Segundo": "1 bilhão de operações por segundo",
    "Datacenters Cloud Comuns": "Data centers de nuvem comuns",
    "Datacenters de IA": "Data centers de IA",
    "Top Players: Estimativa de Capacidade": "Principais empresas: capacidade estimada",
    "NVIDIA: Em Ascensão": "NVIDIA: em ascensão",
    "NVIDIA: Distorções": "NVIDIA: distorções",
}
# The seed's outline slides ("Slide N: …"), in order, and the slide that covers each now.
# Its slides 17 "Tendências" and 18 "O Que Esperar?" are one slide, "Tendências: o que esperar?".
OUTLINE_MAP = {
    "A Arquitetura Transformer": "A arquitetura Transformer",
    "Treinamento de LLMs": "Treinamento: o ciclo",
    "Hardware Necessário": "Hardware: força bruta e escala",
    "Paralelismo": "Paralelismo de dados",
    "Custos Computacionais": "Custos computacionais e energia",
    "Limitações Técnicas": "Limitações técnicas",
    "Ética e Sustentabilidade": "Ética e sustentabilidade",
    "Tendências": "Tendências: o que esperar?",
    "Resumo": "Resumo",
    "Mensagem Final": "Mensagem final",
    "Perguntas?": "Perguntas?",
}
ORIGINAL_TITLES = list(TITLE_MAP)
OUTLINE_TITLES = [*OUTLINE_MAP.values(), "Referências: modelos"]
ERROR_TEXT = re.compile(r"Traceback|\b[A-Z]\w*(Error|Exception)\b|Error:|^\s*File \"", re.M)


def _files(paths):
    for p in paths:
        p = ROOT / p
        yield from (f for f in ([p] if p.is_file() else p.rglob("*"))
                    if f.is_file() and "__pycache__" not in f.parts)


def _inputs() -> list[Path]:
    return [*_files(INPUTS), *ROOT.glob("_quarto-*.yml")]


def build_copy(dest: Path, pdf: bool = True) -> Path:
    """Copy the project to `dest` (with its .deck-cache), build it there; returns its _output."""
    from deckbuild.build import Progress, build
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        "_output*", ".deck-cache", "node_modules", ".venv", ".git", ".*.tmp-*", "__pycache__", "tests"))
    if (ROOT / ".deck-cache").is_dir():
        shutil.copytree(ROOT / ".deck-cache", dest / ".deck-cache")
    build(dest, engine="builtin", pdf=pdf, progress=Progress(quiet=True))
    return dest / "_output"


@functools.lru_cache(maxsize=None)
def deck_build() -> Path:
    """The `_output` folder holding a build of the current sources (see the module docstring)."""
    out = ROOT / "_output"
    if os.environ.get("DECK_BUILT_OUTPUT") == str(out) and all((out / n).is_file() for n in OUTPUTS):
        return out
    newest = max(f.stat().st_mtime for f in _inputs())
    if all((out / n).is_file() and (out / n).stat().st_mtime > newest for n in OUTPUTS):
        return out
    base = Path(tempfile.mkdtemp(prefix="deck-real-"))
    atexit.register(shutil.rmtree, base, True)
    return build_copy(base / "deck")


@pytest.fixture(scope="session")
def deck() -> Path:
    return deck_build()


class SlidesWithText(Slides):
    """test_build's slide parser, plus each slide's shown text and its Vega-Lite specs."""

    def __init__(self):
        super().__init__()
        self.skip: str | None = None          # inside <aside class="notes">, <script> or <style>

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        a = dict(attrs)
        if self.sections and self.depth and self.skip is None:
            self.sections[-1].setdefault("text", "")
            self.sections[-1].setdefault("specs", [])
            if tag == "script" and "vega-spec" in (a.get("class") or ""):
                self.skip = "spec"
                self.sections[-1]["specs"].append("")
            elif tag in ("script", "style") or (tag == "aside" and "notes" in (a.get("class") or "")):
                self.skip = tag

    def handle_endtag(self, tag):
        super().handle_endtag(tag)
        if self.skip in (tag, "spec" if tag == "script" else None):
            self.skip = None

    def handle_data(self, data):
        super().handle_data(data)
        if not (self.sections and self.depth):
            return
        cur = self.sections[-1]
        if self.skip == "spec":
            cur["specs"][-1] += data
        elif self.skip is None:
            cur["text"] = cur.get("text", "") + data


@pytest.fixture(scope="session")
def slides(deck) -> list[dict]:
    p = SlidesWithText()
    p.feed((deck / f"{STEM}.html").read_text(encoding="utf-8"))
    for s in p.sections:
        s.setdefault("text", "")
        s["specs"] = [json.loads(x) for x in s.get("specs", [])]
    return p.sections


def _norm(text: str) -> str:
    """Whitespace squeezed, typographic quotes made plain (pandoc makes 'x' into ‘x’)."""
    return " ".join(re.sub("[‘’ʼ′]", "'", text).split())


def _in_order(wanted: list[str], titles: list[str]) -> list[str]:
    """The wanted titles not found, in order, each equal to a later slide title than the previous."""
    missing, pos = [], 0
    for w in wanted:
        hit = next((i for i in range(pos, len(titles)) if w == titles[i]), None)
        if hit is None:
            missing.append(w)
        else:
            pos = hit + 1
    return missing


# ---------- (a) titles, (b) no errors, (h) notes: from the HTML ----------

def test_original_titles_are_in_the_seed():
    if not SEED.exists():
        pytest.skip("the original talk text is not on this machine")
    seed, pos = _norm(SEED.read_text(encoding="utf-8")).replace("*", ""), 0   # "N* Dimensões"
    for title in ORIGINAL_TITLES:                         # each one, after the previous one
        pos = seed.find(title, pos)
        assert pos >= 0, title
    numbers = [int(re.search(rf"Slide (\d+): {re.escape(t)}", seed)[1]) for t in OUTLINE_MAP]
    assert numbers == sorted(numbers), numbers            # the outline's order


def _source_titles() -> list[str]:
    """The `## ` titles of the deck's sources in deck order (includes followed), no attributes."""
    def lines(path: Path) -> list[str]:
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\{\{< include (\S+) >\}\}", line)
            out += lines(path.parent / m[1]) if m else [line]
        return out
    return [_norm(re.sub(r"\s*\{[^}]*\}\s*$", "", l[3:])) for l in lines(ROOT / "slides" / f"{STEM}.qmd")
            if l.startswith("## ")]


def test_renamed_titles_keep_the_original_order_in_the_sources():
    titles = _source_titles()
    assert len(set(TITLE_MAP.values())) == len(TITLE_MAP)       # one slide per original title
    assert _in_order(list(TITLE_MAP.values()), titles) == [], titles
    assert _in_order(OUTLINE_TITLES, titles) == [], titles
    # the mapping really renames: no original (English, Title Case) title is left
    assert [t for t in TITLE_MAP if t != TITLE_MAP[t] and t in titles] == []


def test_in_order_really_checks_order():
    assert _in_order(["b", "a"], ["a", "b"]) == ["a"]
    assert _in_order(["a"], ["a b"]) == ["a"]                     # equal titles, not substrings


def test_titles_keep_the_original_order(slides):
    titles = [_norm(s["title"]) for s in slides]
    assert _in_order(list(TITLE_MAP.values()), titles) == [], titles
    assert _in_order(OUTLINE_TITLES, titles) == [], titles


def test_no_python_error_on_any_slide(slides, deck):
    html = (deck / f"{STEM}.html").read_text(encoding="utf-8")
    assert "cell-output-error" not in html
    assert sum(len(s["text"]) for s in slides) > 5000                 # the text was read
    found = {s["title"]: ERROR_TEXT.search(s["text"]).group(0) for s in slides if ERROR_TEXT.search(s["text"])}
    assert found == {}


def test_every_content_slide_has_speaker_notes(slides):
    missing = [s["title"] for s in slides
               if s["id"] != "title-slide" and "section-slide" not in s["class"] and not s["notes"].strip()]
    assert missing == []


# ---------- (c)–(f) in the browser ----------

@pytest.fixture(scope="module")
def measured(deck):
    """Per slide: title, overflow, contrast, font-size and alt-text findings (fragments shown)."""
    browser_utils = pytest.importorskip("browser_utils")
    with browser_utils.chromium() as browser:
        page, log = browser_utils._open(browser, deck / f"{STEM}.html")
        result = [browser_utils.measure_slide(page, i) for i in range(browser_utils.slide_count(page))]
        page.close()
    assert log["errors"] == []
    return result


def _findings(measured, key):
    return {f"{i} {m['title']}": m[key] for i, m in enumerate(measured) if m[key]}


def test_browser_sees_every_slide(measured, slides):
    assert len(measured) == len(slides)
    assert all(m["box"][2] - m["box"][0] > 900 for m in measured)      # the slide box was measured


def test_every_slide_fits_with_all_fragments(measured):
    assert _findings(measured, "overflow") == {}


def test_unfolded_code_fits_and_is_readable(deck):
    """Opening "Ver o código" must not push anything off the slide, and the code stays legible."""
    browser_utils = pytest.importorskip("browser_utils")
    with browser_utils.chromium() as browser:
        page, _ = browser_utils._open(browser, deck / f"{STEM}.html")
        folds = page.evaluate("() => Reveal.getSlides().map((s, i) => s.querySelector('details.code-fold') ? i : -1)"
                              ".filter(i => i >= 0)")
        found = {i: browser_utils.measure_slide(page, i, open_code=True) for i in folds}
        page.close()
    assert len(folds) >= 5                                  # next-token, analogies, compute slides
    assert {i: m["overflow"] for i, m in found.items() if m["overflow"]} == {}
    assert {i: m["contrast"] for i, m in found.items() if m["contrast"]} == {}
    assert {i: m["fonts"] for i, m in found.items() if m["fonts"]} == {}


def test_text_contrast_meets_wcag_aa(measured):
    assert _findings(measured, "contrast") == {}


def test_pdf_footer_and_page_numbers_are_readable(deck, slides):
    browser_utils = pytest.importorskip("browser_utils")
    with browser_utils.chromium() as browser:
        chrome = browser_utils.print_view_chrome(browser, deck / f"{STEM}.html")
    assert sum(c["what"] == "page number" for c in chrome) == len(slides)
    assert sum(c["what"] == "footer" for c in chrome) == 1
    assert [c for c in chrome if c["ratio"] < 4.5 or c["size"] < 14] == []


def test_body_text_is_large(measured):
    assert _findings(measured, "fonts") == {}


PT_WORDS = {"de", "do", "da", "dos", "das", "com", "para", "em", "no", "na", "um", "uma", "e", "o", "a",
            "os", "as", "que", "cada", "por", "entre"}
EN_WORDS = {"the", "of", "with", "chart", "image", "figure", "showing", "and"}


def test_figures_have_portuguese_alt_text(measured):
    seen, bad = 0, []
    for i, m in enumerate(measured):
        for a in m["alts"]:
            if "slide-logo" in a["cls"]:       # the corner logo is decorative (alt="" on purpose)
                continue
            seen += 1
            said = re.sub(r"“[^”]*”", " ", a["text"])     # quoted model tokens may be English
            words = set(re.findall(r"[a-zà-ú]+", said.lower()))
            if len(words) < 3 or not words & PT_WORDS or words & EN_WORDS:
                bad.append((i, m["title"], a))
    assert seen >= 20
    assert bad == []


def test_qr_codes_have_class_and_label(measured, slides):
    titles = [s["title"] for s in slides]
    qr = {m["title"] for m in measured for a in m["alts"] if "qr-code" in a["cls"] and a["text"]}
    assert {"Quem está falando", "Perguntas?"} <= qr, (qr, titles)


# ---------- (g) every slide and chart in the HTML, the slide PDF and the handout ----------

def _chart_texts(node) -> list[str]:
    """Every title/subtitle string of a Vega-Lite spec (chart, axes, legends), at any depth."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "subtitle", "text") and isinstance(value, (str, list)):
                found += [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
            elif key not in ("data", "datasets", "usermeta"):
                found += _chart_texts(value)
    elif isinstance(node, list):
        for item in node:
            found += _chart_texts(item)
    return [t for t in found if len(t) > 3]


def test_slide_pdf_has_every_slide_and_chart(deck, slides):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(deck / f"{STEM}.pdf"))
    pages = [_norm(p.extract_text() or "") for p in reader.pages]
    assert len(pages) == len(slides)
    for page, s in zip(pages, slides):
        assert _norm(s["title"]).replace("'", "") in page.replace("'", ""), s["title"]
    charts = [(i, _chart_texts(spec)) for i, s in enumerate(slides) for spec in s["specs"]]
    assert len(charts) >= 10
    for i, texts in charts:     # drawn as vectors (its titles are PDF text) or as its static image
        drawn = any(_norm(t) in pages[i] for t in texts)
        assert drawn or len(reader.pages[i].images) > 0, (slides[i]["title"], texts)


def test_handout_has_every_slide_title_and_chart_image(deck, slides):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(deck / f"{STEM}-handout.pdf"))
    text = _norm(" ".join(p.extract_text() or "" for p in reader.pages)).replace("'", "")
    for s in slides[1:]:
        assert _norm(s["title"]).replace("'", "") in text, s["title"]
    images = sum(len(p.images) for p in reader.pages)
    assert images >= sum(len(s["specs"]) for s in slides)      # one PNG per Vega chart at least


def test_html_charts_are_drawn(slides, measured):
    specs = [spec for s in slides for spec in s["specs"]]
    assert len(specs) >= 10
    assert all(spec.get("description") for spec in specs)   # the alt text reached the chart
    drawn = sum(1 for m in measured for a in m["alts"] if a["tag"] == "div")
    assert drawn == len(specs)                               # one labelled .vega-figure each


# ---------- the slide helpers the cells use (demos.tables) ----------

def test_slide_table_formats_pt_br_and_escapes():
    import pandas as pd
    from demos.tables import slide_table
    df = pd.DataFrame({"name": ["<b>x</b>", "y"], "n": [1234.5, 2.0], "skip": [1, 2]})
    out = slide_table(df, {"name": "Nome", "n": "Valor"}).html
    assert "<th>Nome</th>" in out and 'class="num">Valor</th>' in out and "skip" not in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>x</b>" not in out
    assert ">1.234,5</td>" in out and ">2</td>" in out               # pt-BR, no useless ",0"
    assert out.count("<tr>") == 3
    with pytest.raises(KeyError, match="nada"):
        slide_table(df, ["nada"])


def test_labelled_svg_adds_role_label_and_class():
    from demos.tables import labelled_svg
    out = labelled_svg('<svg width="1" class="segno"><path/></svg>', 'QR "a"', "qr-code").html
    assert out.startswith('<svg role="img" aria-label="QR &quot;a&quot;"')
    assert 'class="qr-code segno"' in out
    with pytest.raises(ValueError):
        labelled_svg("<svg></svg>", " ")
