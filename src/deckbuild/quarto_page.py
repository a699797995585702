"""Where Quarto puts a rendered page, and moving it where the built-in engine puts it.

Quarto keeps the input's folder under --output-dir (<out>/slides/<stem>.html and its
<stem>_files/, other resources at their project paths: quarto-cli src/command/render/project.ts),
so `lift_page` moves the page and its `_files/` up to <out>/<stem>.html and re-bases the page's
other relative URLs (`rebase_html`; script bodies are code and are left alone)."""
from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

from deckbuild.document import DeckError

_URL_ATTR = re.compile(r"""(\s(?:src|href|data-src|data-background-image|data-background-video|"""
                       r"""data-background-iframe|poster)=)(["'])(.*?)\2""", re.I | re.S)
_STYLE_ATTR = re.compile(r"""(\sstyle=)(["'])(.*?)\2""", re.I | re.S)
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.I | re.S)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^)"']+)\1\s*\)""")
_SCRIPT = re.compile(r"(<script\b.*?</script\s*>)", re.I | re.S)
_ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#|\{)", re.I)


def _rebase(url: str, deck_dir: str, files_prefix: str) -> str:
    if not url or _ABSOLUTE.match(url) or url.startswith(files_prefix):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return posixpath.normpath(posixpath.join(deck_dir, url[:cut])) + url[cut:]


def rebase_html(text: str, deck_dir: str, stem: str) -> str:
    """Rewrite the relative URLs of a page that moves from `deck_dir/` up to the output root
    (its `<stem>_files/` moves along, so URLs into it stay). Script bodies are left alone."""
    if deck_dir in ("", "."):
        return text
    prefix = f"{stem}_files/"

    def quoted(pattern: re.Pattern, part: str, fix) -> str:       # name=" value "
        return pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{fix(m.group(3))}{m.group(2)}", part)

    def url(value: str) -> str:
        return _rebase(value, deck_dir, prefix)

    def css(block: str) -> str:
        return _CSS_URL.sub(lambda m: f"url({m.group(1)}{url(m.group(2))}{m.group(1)})", block)

    out = []
    for piece in _SCRIPT.split(text):
        if _SCRIPT.fullmatch(piece):         # only the opening tag's src is a URL: the body is code
            head, _, body = piece.partition(">")
            out.append(quoted(_URL_ATTR, head, url) + ">" + body)
        else:
            piece = quoted(_STYLE_ATTR, quoted(_URL_ATTR, piece, url), css)
            out.append(_STYLE_BLOCK.sub(lambda m: m.group(1) + css(m.group(2)) + m.group(3), piece))
    return "".join(out)


def _page(staging: Path, deck_rel: str, stem: str) -> Path:
    page = staging / posixpath.dirname(deck_rel) / f"{stem}.html"
    if not page.is_file():
        raise DeckError(f"quarto render wrote no {page.relative_to(staging)} "
                        f"(does the deck set output-file?)", deck_rel)
    return page


def lift_page(staging: Path, deck_rel: str) -> Path:
    """Move `<staging>/<dir>/<stem>.html` and its `<stem>_files/` to `<staging>/`."""
    stem, deck_dir = Path(deck_rel).stem, posixpath.dirname(deck_rel)
    page = _page(staging, deck_rel, stem)
    if deck_dir in ("", "."):
        return page
    target = staging / f"{stem}.html"
    target.write_text(rebase_html(page.read_text(encoding="utf-8"), deck_dir, stem), encoding="utf-8")
    page.unlink()
    files = page.with_name(f"{stem}_files")
    if files.is_dir():
        shutil.rmtree(staging / files.name, ignore_errors=True)
        files.rename(staging / files.name)
    for d in [page.parent, *page.parent.parents]:      # drop folders the move left empty
        if d == staging or not d.is_relative_to(staging) or any(d.iterdir()):
            break
        d.rmdir()
    return target
