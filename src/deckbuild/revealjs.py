"""Executed deck → reveal.js HTML that works from file:// with no network, plus a single-file copy.

pandoc's revealjs writer turns the Markdown into slide <section>s (`--slide-level=2`); this module
wraps them in templates/revealjs.html with the title slide (deckbuild.title_slide), logo/footer,
the reveal.js options of `format: revealjs:` over Quarto's defaults (deckbuild.reveal_options) and
libraries copied from node_modules into `<stem>_files/libs/` (reveal.js with the notes, search and
zoom plugins Quarto loads, chalkboard, menu). Charts, fonts and the deck's scripts are not added
here: they come with the cell outputs and the theme, as under Quarto. The theme is the deck's
Quarto-style SCSS compiled with node_modules/.bin/sass (deckbuild.theme); code is highlighted
with Quarto's own highlight-style theme files (templates/highlight/, MIT)."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from deckbuild import reveal_options as options
from deckbuild import theme as themes
from deckbuild.document import DeckError, Document
from deckbuild.outputs import FigureSink, document_markdown
from deckbuild.title_slide import render_title_slide

PKG = Path(__file__).parent
SETUP_HINT = "run `make setup` (tools/setup.sh)"
# (source under node_modules, destination under <stem>_files/libs)
LIBS = [("reveal.js/dist/reset.css", "reveal.js/reset.css"),
        ("reveal.js/dist/reveal.css", "reveal.js/reveal.css"),
        ("reveal.js/dist/reveal.js", "reveal.js/reveal.js"),
        ("reveal.js/plugin/notes/notes.js", "reveal.js/plugin/notes.js"),
        ("reveal.js/plugin/search/search.js", "reveal.js/plugin/search.js"),
        ("reveal.js/plugin/zoom/zoom.js", "reveal.js/plugin/zoom.js")]
PLUGINS = ["RevealNotes", "RevealSearch", "RevealZoom"]      # what Quarto's template loads
CHALKBOARD = [("reveal.js-plugins/chalkboard/plugin.js", "chalkboard/plugin.js"),
              ("reveal.js-plugins/chalkboard/style.css", "chalkboard/style.css"),
              ("reveal.js-plugins/chalkboard/img", "chalkboard/img")]
MENU = [("reveal.js-menu/menu.js", "reveal.js-menu/menu.js"),
        ("reveal.js-menu/menu.css", "reveal.js-menu/menu.css"),
        ("reveal.js-menu/font-awesome/css/all.css", "reveal.js-menu/font-awesome/css/all.css"),
        ("reveal.js-menu/font-awesome/webfonts", "reveal.js-menu/font-awesome/webfonts")]
HIGHLIGHT_THEMES = PKG / "templates" / "highlight"


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


_SCRIPT = re.compile(r"(<script\b[^>]*>.*?</script\s*>)", re.I | re.S)


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
        """Rewrite file references in markup; script bodies (code, JSON) are left alone."""
        bases = [self.doc.path.parent, self.doc.root]
        parts = _SCRIPT.split(body)
        for i in range(0, len(parts), 2):             # even parts: markup between scripts
            parts[i] = self.ATTR.sub(lambda m: f'{m.group(1)}="{self.url(m.group(2), bases)}"', parts[i])
        return "".join(parts)


def highlight_theme(style: str) -> str:
    """Quarto's own theme file for a `highlight-style` name (pandoc's built-in name otherwise)."""
    for name in (f"{style}.theme", f"{style}-light.theme"):          # "arrow" is adaptive: light
        if (HIGHLIGHT_THEMES / name).is_file():
            return str(HIGHLIGHT_THEMES / name)
    return style


@lru_cache(maxsize=4)
def highlight_css(style: str) -> str:
    """pandoc's highlighting CSS for a highlight-style (the same for every deck)."""
    tpl = PKG / "templates" / "highlight.tpl"
    return run_pandoc(["-s", "-t", "html", f"--syntax-highlighting={highlight_theme(style)}",
                       "--template", str(tpl)], "```python\nx = 1\n```\n", "syntax highlighting CSS")


def _logo(fmt: dict) -> tuple[str, str] | None:
    """(path, alt) of `logo:` — a path, or Quarto's {path, alt} form."""
    logo = fmt.get("logo")
    if isinstance(logo, dict):
        return (str(logo["path"]), str(logo.get("alt") or "")) if logo.get("path") else None
    return (str(logo), "") if logo else None


def _chrome(fmt: dict, res: "_Resources", doc: Document) -> str:
    """The logo and footer Quarto adds after the slides (format-reveal.ts)."""
    parts = []
    logo = _logo(fmt)
    if logo:
        alt = f' alt="{html.escape(logo[1], quote=True)}"' if logo[1] else ""
        src = res.url(logo[0], [doc.path.parent, doc.root])
        parts.append(f'<img src="{html.escape(src, quote=True)}"{alt} class="slide-logo">')
    if fmt.get("footer"):
        parts.append(f'<div class="footer footer-default"><p>{html.escape(str(fmt["footer"]))}</p></div>')
    return "\n".join(parts)


def render_html(doc: Document, executed: list, out_dir: Path, cache_dir: Path) -> Path:
    """Write `<stem>.html` and `<stem>_files/` into out_dir; returns the HTML path."""
    stem = doc.path.stem
    files = out_dir / f"{stem}_files"
    libs = files / "libs"
    nm = node_modules(doc.root)
    fmt = doc.format_options("revealjs")
    style = options.highlight_style(fmt)
    sink = FigureSink(files / "figure-revealjs", f"{stem}_files/figure-revealjs")
    markdown = document_markdown(doc, executed, sink, "html")
    body = run_pandoc(["-f", "markdown", "-t", "revealjs", "--slide-level=2", "--wrap=none",
                       f"--syntax-highlighting={highlight_theme(style)}",
                       "-M", f"deck-auto-stretch={str(options.auto_stretch(fmt)).lower()}",
                       "-M", f"deck-code-line-numbers={str(options.code_line_numbers(fmt)).lower()}",
                       "--lua-filter", str(PKG / "templates" / "quarto_compat.lua")], markdown, str(doc.path))
    res = _Resources(doc, files)
    body = res.rewrite(body)
    title = res.rewrite(render_title_slide(doc, run_pandoc))
    _copy(nm, LIBS, libs)
    head = [f'  <link rel="stylesheet" href="{stem}_files/libs/{p}">'
            for p in ("reveal.js/reset.css", "reveal.js/reveal.css")]
    scripts = [dst for _, dst in LIBS if dst.endswith(".js")]
    plugins = list(PLUGINS)
    chalkboard = bool(fmt.get("chalkboard"))
    if chalkboard:
        _copy(nm, CHALKBOARD, libs)
        head.append(f'  <link rel="stylesheet" href="{stem}_files/libs/chalkboard/style.css">')
        scripts.append("chalkboard/plugin.js")
        plugins.append("RevealChalkboard")
    menu_path = None
    menu = fmt.get("menu", True) is not False                   # Quarto's menu is on by default
    if chalkboard or menu:                                      # icons (Quarto: the chalkboard's)
        _copy(nm, MENU, libs)
        head.append(f'  <link rel="stylesheet" href="{stem}_files/libs/reveal.js-menu/font-awesome/css/all.css">')
    if menu:
        menu_path = f"{stem}_files/libs/reveal.js-menu/"
        scripts.append("reveal.js-menu/menu.js")
        plugins.append("RevealMenu")
    css = themes.compile_theme(doc, nm, cache_dir)
    (libs / "theme").mkdir(parents=True, exist_ok=True)
    (libs / "theme" / "deck.css").write_text(css + "\n" + highlight_css(style), encoding="utf-8")
    head.append(f'  <link rel="stylesheet" href="{stem}_files/libs/theme/deck.css" id="theme">')
    config = json.dumps(options.reveal_config(fmt, menu_path, chalkboard), ensure_ascii=False, sort_keys=True)
    page = (PKG / "templates" / "revealjs.html").read_text(encoding="utf-8")
    values = {"lang": html.escape(str(doc.metadata.get("lang", "pt-BR"))),
              "title": html.escape(str(doc.metadata.get("pagetitle") or doc.metadata.get("title") or stem)),
              "head": "\n".join(head), "reveal_class": " has-logo" if _logo(fmt) else "",
              "title_slide": title, "body": body, "chrome": _chrome(fmt, res, doc),
              "scripts": "\n".join(f'  <script src="{stem}_files/libs/{s}"></script>' for s in scripts),
              "config": config.replace("</", "<\\/"), "plugins": ", ".join(plugins)}
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
    def inline(m: re.Match) -> str:
        ref = html.unescape(m.group(2))
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", ref, re.I) or not (base / ref).is_file():
            return m.group(0)
        return f'{m.group(1)}="{_data_uri(base / ref)}"'
    parts = _SCRIPT.split(page)
    for i in range(0, len(parts), 2):                 # markup only: scripts hold code and JSON
        parts[i] = re.sub(r'\b(src|data-src|data-background-image)="([^"]+)"', inline, parts[i])
    page = "".join(parts)
    out.write_text(page, encoding="utf-8")
    return out
