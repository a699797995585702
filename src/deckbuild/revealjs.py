"""Executed deck → reveal.js HTML that works from file:// with no network, plus a single-file copy.

pandoc's revealjs writer turns the Markdown into slide <section>s (`--slide-level=2`); this module
wraps them in templates/revealjs.html with the title slide, logo/footer, the reveal.js options
from `format: revealjs:` and libraries copied from node_modules into `<stem>_files/libs/`
(reveal.js, notes, chalkboard, menu, Vega, fonts). The theme is the deck's Quarto-style SCSS
compiled with node_modules/.bin/sass around theme/_defaults.scss and theme/_rules.scss."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from deckbuild.document import DeckError, Document
from deckbuild.outputs import FigureSink, document_markdown
from deckbuild import theme as themes

PKG = Path(__file__).parent
SETUP_HINT = "run `make setup` (tools/setup.sh)"
# (source under node_modules, destination under <stem>_files/libs)
LIBS = [("reveal.js/dist/reset.css", "reveal.js/reset.css"),
        ("reveal.js/dist/reveal.css", "reveal.js/reveal.css"),
        ("reveal.js/dist/reveal.js", "reveal.js/reveal.js"),
        ("reveal.js/plugin/notes/notes.js", "reveal.js/plugin/notes.js")]
CHALKBOARD = [("reveal.js-plugins/chalkboard/plugin.js", "chalkboard/plugin.js"),
              ("reveal.js-plugins/chalkboard/style.css", "chalkboard/style.css"),
              ("reveal.js-plugins/chalkboard/img", "chalkboard/img")]
MENU = [("reveal.js-menu/menu.js", "reveal.js-menu/menu.js"),
        ("reveal.js-menu/menu.css", "reveal.js-menu/menu.css"),
        ("reveal.js-menu/font-awesome/css/all.css", "reveal.js-menu/font-awesome/css/all.css"),
        ("reveal.js-menu/font-awesome/webfonts", "reveal.js-menu/font-awesome/webfonts")]
VEGA = [("vega/build/vega.min.js", "vega/vega.min.js"),
        ("vega-lite/build/vega-lite.min.js", "vega/vega-lite.min.js"),
        ("vega-embed/build/vega-embed.min.js", "vega/vega-embed.min.js")]
FONTS = [("inter", "Inter", w, s) for w, s in ((400, "normal"), (400, "italic"), (500, "normal"),
                                                (600, "normal"), (700, "normal"), (800, "normal"),
                                                (900, "normal"))]
FONTS += [("jetbrains-mono", "JetBrains Mono", w, "normal") for w in (400, 700)]
# Quarto option name → reveal.js config key (values pass through unchanged).
REVEAL_KEYS = ["controls", "controls-tutorial", "controls-layout", "controls-back-arrows", "progress",
               "slide-number", "show-slide-number", "hash", "hash-one-based-index", "history",
               "respond-to-hash-changes", "keyboard", "overview", "center", "touch", "loop", "rtl",
               "navigation-mode", "shuffle", "fragments", "fragment-in-url", "embedded", "help",
               "pause", "show-notes", "auto-play-media", "auto-slide", "auto-slide-stoppable",
               "default-timing", "mouse-wheel", "preview-links", "transition", "transition-speed",
               "background-transition", "view-distance", "mobile-view-distance", "width", "height",
               "margin", "min-scale", "max-scale", "pdf-max-pages-per-slide", "pdf-separate-fragments",
               "pdf-page-height-offset", "auto-animate", "hide-inactive-cursor", "hide-cursor-time"]
DEFAULTS = {"width": 1050, "height": 700, "margin": 0.1, "center": False, "transition": "none",
            "backgroundTransition": "none", "controlsLayout": "edges", "controlsTutorial": False,
            "navigationMode": "linear", "hash": True, "history": False, "slideNumber": False,
            "pdfMaxPagesPerSlide": 1, "pdfSeparateFragments": False}


def _camel(key: str) -> str:
    head, *rest = key.split("-")
    return head + "".join(w.capitalize() for w in rest)


def node_modules(root: Path) -> Path:
    nm = Path(root) / "node_modules"
    if not (nm / "reveal.js" / "dist" / "reveal.js").exists():
        main = Path(__file__).resolve().parents[2] / "node_modules"   # fixtures reuse the repo's
        if (main / "reveal.js" / "dist" / "reveal.js").exists():
            return main
        raise DeckError(f"node_modules/reveal.js is missing: {SETUP_HINT}", root)
    return nm


def pandoc_path() -> str:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as e:
        found = shutil.which("pandoc")
        if found:
            return found
        raise DeckError(f"pandoc is missing ({e}): {SETUP_HINT}") from None


def run_pandoc(args: list[str], text: str, what: str) -> str:
    proc = subprocess.run([pandoc_path(), *args], input=text, capture_output=True, text=True)
    if proc.returncode != 0:
        raise DeckError(f"pandoc failed on {what}: {proc.stderr.strip().splitlines()[-1:]}")
    return proc.stdout


def reveal_config(doc: Document, plugins: dict) -> dict:
    """reveal.js options from `format: revealjs:`, on top of Quarto's defaults."""
    fmt = doc.format_options("revealjs")
    cfg = dict(DEFAULTS)
    for key in REVEAL_KEYS:
        if key in fmt:
            cfg[_camel(key)] = fmt[key]
    if plugins.get("menu"):
        menu = fmt.get("menu") if isinstance(fmt.get("menu"), dict) else {}
        cfg["menu"] = {"side": "left", "numbers": True, "markers": True, "themes": False,
                       "transitions": False, "openButton": True, "hideMissingTitles": True,
                       **{_camel(k): v for k, v in menu.items()}, "path": plugins["menu"]}
    if plugins.get("chalkboard"):
        board = fmt.get("chalkboard") if isinstance(fmt.get("chalkboard"), dict) else {}
        cfg["chalkboard"] = {"theme": "whiteboard", **{_camel(k): v for k, v in board.items()}}
    return cfg


def _copy(nm: Path, pairs, libs: Path) -> None:
    for src, dst in pairs:
        s, d = nm / src, libs / dst
        if not s.exists():
            raise DeckError(f"node_modules/{src} is missing: {SETUP_HINT}")
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        else:
            shutil.copyfile(s, d)


def _fonts_css(nm: Path, libs: Path) -> None:
    rules = []
    for pkg, family, weight, style in FONTS:
        name = f"{pkg}-latin-{weight}-{style}.woff2"
        src = nm / "@fontsource" / pkg / "files" / name
        if not src.exists():
            continue
        (libs / "fonts").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, libs / "fonts" / name)
        rules.append(f"@font-face {{ font-family: '{family}'; font-style: {style}; font-display: block; "
                     f"font-weight: {weight}; src: url(./{name}) format('woff2'); }}")
    (libs / "fonts" / "fonts.css").write_text("\n".join(rules) + "\n", encoding="utf-8")


def _title_slide(doc: Document) -> str:
    m = doc.metadata
    if not m.get("title"):
        return ""
    attrs = "".join(f' {html.escape(str(k))}="{html.escape(str(v), quote=True)}"'
                    for k, v in sorted((m.get("title-slide-attributes") or {}).items()))
    parts = [f'<section id="title-slide" class="quarto-title-block center"{attrs}>',
             f'  <h1 class="title">{html.escape(str(m["title"]))}</h1>']
    if m.get("subtitle"):
        parts.append(f'  <p class="subtitle">{html.escape(str(m["subtitle"]))}</p>')
    authors = m.get("author") or []
    for a in authors if isinstance(authors, list) else [authors]:
        name = a.get("name", "") if isinstance(a, dict) else a
        parts.append(f'  <div class="quarto-title-author"><div class="quarto-title-author-name">'
                     f'{html.escape(str(name))}</div></div>')
    if m.get("date"):
        parts.append(f'  <p class="date">{html.escape(str(m["date"]))}</p>')
    return "\n".join(parts + ["</section>"])


class _Resources:
    """Copies files that slides refer to (images, backgrounds, logo) into `<stem>_files/media/`."""
    ATTR = re.compile(r'\b(src|data-src|data-background-image|data-background-video|poster)="([^"]+)"')

    def __init__(self, doc: Document, files_dir: Path):
        self.doc, self.files_dir = doc, files_dir

    def url(self, ref: str, bases: list[Path]) -> str:
        if re.match(r"^([a-z][a-z0-9+.-]*:|#|//)", ref) or ref.startswith(self.files_dir.name + "/"):
            return ref
        path = ref.split("#")[0].split("?")[0]
        if path.startswith("/"):            # Quarto: a leading / means the project root
            path, bases = path.lstrip("/"), [self.doc.root]
        for base in bases:
            src = (base / html.unescape(path)).resolve()
            if src.is_file():
                try:
                    rel = src.relative_to(self.doc.root.resolve())
                except ValueError:
                    rel = Path(src.name)
                dst = self.files_dir / "media" / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
                return f"{self.files_dir.name}/media/{rel.as_posix()}"
        raise DeckError(f"file '{ref}' not found (looked next to the .qmd and in the project root)",
                        self.doc.path)

    def rewrite(self, body: str) -> str:
        bases = [self.doc.path.parent, self.doc.root]
        return self.ATTR.sub(lambda m: f'{m.group(1)}="{self.url(m.group(2), bases)}"', body)


@lru_cache(maxsize=1)
def highlight_css() -> str:
    """pandoc's pygments highlighting CSS (the same for every deck: computed once per process)."""
    tpl = PKG / "templates" / "highlight.tpl"
    return run_pandoc(["-s", "-t", "html", "--syntax-highlighting=pygments", "--template", str(tpl)], "```python\nx = 1\n```\n",
                      "syntax highlighting CSS")


def render_html(doc: Document, executed: list, out_dir: Path, cache_dir: Path) -> Path:
    """Write `<stem>.html` and `<stem>_files/` into out_dir; returns the HTML path."""
    stem = doc.path.stem
    files = out_dir / f"{stem}_files"
    libs = files / "libs"
    nm = node_modules(doc.root)
    sink = FigureSink(files / "figure-revealjs", f"{stem}_files/figure-revealjs")
    markdown = document_markdown(doc, executed, sink, "html")
    body = run_pandoc(["-f", "markdown", "-t", "revealjs", "--slide-level=2", "--wrap=none",
                       "--syntax-highlighting=pygments",
                       "--lua-filter", str(PKG / "templates" / "quarto_compat.lua")], markdown, str(doc.path))
    res = _Resources(doc, files)
    body = res.rewrite(body)
    fmt = doc.format_options("revealjs")
    _copy(nm, LIBS, libs)
    _fonts_css(nm, libs)
    plugins = {}
    head = [f'  <link rel="stylesheet" href="{stem}_files/libs/{p}">'
            for p in ("reveal.js/reset.css", "reveal.js/reveal.css", "fonts/fonts.css")]
    if fmt.get("chalkboard"):
        _copy(nm, CHALKBOARD, libs)
        plugins["chalkboard"] = "RevealChalkboard"
        head.append(f'  <link rel="stylesheet" href="{stem}_files/libs/chalkboard/style.css">')
    if fmt.get("menu"):
        _copy(nm, MENU, libs)
        plugins["menu"] = f"{stem}_files/libs/reveal.js-menu/"
    css = themes.compile_theme(doc, nm, cache_dir)
    (libs / "theme").mkdir(parents=True, exist_ok=True)
    (libs / "theme" / "deck.css").write_text(css + "\n" + highlight_css(), encoding="utf-8")
    head.append(f'  <link rel="stylesheet" href="{stem}_files/libs/theme/deck.css" id="theme">')
    script_files = ["reveal.js/reveal.js", "reveal.js/plugin/notes.js"]
    if "vega-spec" in body:
        _copy(nm, VEGA, libs)
        script_files += [dst for _, dst in VEGA]
    if "chalkboard" in plugins:
        script_files.append("chalkboard/plugin.js")
    if "menu" in plugins:
        script_files.append("reveal.js-menu/menu.js")
    scripts = [f'  <script src="{stem}_files/libs/{s}"></script>' for s in script_files]
    chrome = []
    if fmt.get("logo"):
        chrome.append(f'<img src="{html.escape(res.url(str(fmt["logo"]), [doc.root, doc.path.parent]))}" '
                      f'class="slide-logo" alt="">')
    if fmt.get("footer"):
        chrome.append(f'<div class="footer footer-default"><p>{html.escape(str(fmt["footer"]))}</p></div>')
    names = ["RevealNotes"] + [v for k, v in (("menu", "RevealMenu"), ("chalkboard", "RevealChalkboard"))
                               if k in plugins]
    config = json.dumps(reveal_config(doc, plugins), ensure_ascii=False, sort_keys=True)
    page = (PKG / "templates" / "revealjs.html").read_text(encoding="utf-8")
    values = {"lang": html.escape(str(doc.metadata.get("lang", "pt-BR"))),
              "title": html.escape(str(doc.metadata.get("pagetitle") or doc.metadata.get("title") or stem)),
              "head": "\n".join(head), "reveal_class": " has-logo" if fmt.get("logo") else "",
              "title_slide": _title_slide(doc), "body": body, "chrome": "\n".join(chrome),
              "scripts": "\n".join(scripts), "config": config.replace("</", "<\\/"),
              "plugins": ", ".join(names)}
    page = re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], page)
    out = out_dir / f"{stem}.html"
    out.write_text(page, encoding="utf-8")
    return out


# ---------------------------------------------------------------- self-contained copy

_MIME = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
         ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}


def _data_uri(path: Path) -> str:
    import base64
    return f"data:{_MIME.get(path.suffix.lower(), 'application/octet-stream')};base64," + \
        base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css(path: Path) -> str:
    text = path.read_text(encoding="utf-8")

    def url(m):
        ref = m.group(2)
        target = (path.parent / ref.split("#")[0].split("?")[0])
        return f"url({_data_uri(target)})" if not ref.startswith("data:") and target.is_file() else m.group(0)
    return re.sub(r"url\((['\"]?)([^'\")]+)\1\)", url, text)


def render_standalone(html_path: Path, out: Path) -> Path:
    """One self-contained HTML (for email): scripts, styles, fonts and images inlined as data: URIs.
    The chalkboard and menu plugins load files at run time, so the single file leaves them out."""
    base = html_path.parent
    page = html_path.read_text(encoding="utf-8")
    drop = ("chalkboard/", "reveal.js-menu/")
    page = re.sub(r'\s*<(script src|link rel="stylesheet" href)="[^"]*(' + "|".join(map(re.escape, drop))
                  + r')[^"]*"[^>]*>(</script>)?', "", page)
    page = re.sub(r"config\.plugins = \[[^\]]*\]", "config.plugins = [RevealNotes]", page)
    page = re.sub(r'<script src="([^"]+)"></script>',
                  lambda m: "<script>" + (base / m.group(1)).read_text(encoding="utf-8")
                  .replace("</script", "<\\/script") + "</script>", page)
    page = re.sub(r'<link rel="stylesheet" href="([^"]+)"([^>]*)>',
                  lambda m: f"<style{m.group(2)}>" + _inline_css(base / m.group(1)) + "</style>", page)
    page = re.sub(r'\b(src|data-src|data-background-image)="([^"]+)"',
                  lambda m: f'{m.group(1)}="{_data_uri(base / html.unescape(m.group(2)))}"'
                  if (base / html.unescape(m.group(2))).is_file() else m.group(0), page)
    out.write_text(page, encoding="utf-8")
    return out
