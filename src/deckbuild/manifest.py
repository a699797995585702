"""What a build's outputs were made from, so an unchanged build does nothing.

Each product of a deck gets a key hashing everything it is made from: the HTML (and the
single-file copy) from the deck's text, its cell outputs, metadata, theme, the build's own code
and templates, and the front-end packages; the slide PDFs from the HTML's key; the handout from
the text, the outputs and its templates. `<output>/.deck-build.json` records the keys of the
last successful build. A build whose keys all match (and whose files exist) stops before doing
any work; otherwise only the products whose keys changed are made again, and the others are
carried over from the previous output folder."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from deckbuild.cell_cache import content_hash, tree_digest

MANIFEST = ".deck-build.json"
PACKAGE = Path(__file__).parent
PRODUCTS = {"html": ["{stem}.html", "{stem}_files"], "standalone": ["{stem}-standalone.html"],
            "pdf": ["{stem}.pdf"], "notes_pdf": ["{stem}-notes.pdf"], "handout": ["{stem}-handout.pdf"]}


def _files_digest(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        if p.is_file():
            h.update(str(p).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def date_key(doc) -> str:
    """The date text the title slide shows: `date: today` (or now, last-modified) is resolved
    on every render, as Quarto does (quarto-cli src/core/date.ts:99-125), so a new day rebuilds."""
    from deckbuild.dates import document_date
    return f"date={document_date(doc.metadata, str(doc.path))}"


def deck_source_key(doc, executed: list) -> str:
    """The deck's text, metadata (its date resolved) and cell outputs (what both the slides and
    the handout show)."""
    from deckbuild.document import Markdown
    parts = [json.dumps(doc.metadata, sort_keys=True, default=str, ensure_ascii=False), date_key(doc)]
    for ex in executed:
        parts.append(ex.chunk.text if isinstance(ex.chunk, Markdown) else
                     json.dumps([ex.outputs, ex.text], sort_keys=True, ensure_ascii=False))
    return content_hash(*parts)


def build_tools_key(doc) -> str:
    """The build's own code and templates, the front-end packages, the deck's assets/ folder
    (theme, logos, diagrams) and its template partials."""
    from deckbuild.title_slide import partial_path
    root = Path(doc.root)
    lock = root / "package-lock.json"
    return content_hash(tree_digest(PACKAGE.parent, [PACKAGE.name]), tree_digest(root, ["assets"]),
              _files_digest([p for p in (lock, partial_path(doc)) if p.is_file()]))


def product_keys(source: str, tools: str, *, notes_pdf: bool, pdf: bool, handout: bool) -> dict:
    """{product: key} for the products this build makes."""
    html = content_hash("html", source, tools)
    keys = {"html": html, "standalone": content_hash("standalone", html)}
    if pdf:
        keys["pdf"] = content_hash("pdf", html)
        if notes_pdf:
            keys["notes_pdf"] = content_hash("notes", html)
        if handout:
            keys["handout"] = content_hash("handout", source, tools)
    return keys


def read(out: Path) -> dict:
    try:
        return json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(out: Path, stem: str, keys: dict) -> list[str]:
    """The products whose recorded key matches and whose files are all still there."""
    old = read(out).get(stem, {})
    return [p for p, k in keys.items() if old.get(p) == k and
            all((Path(out) / f.format(stem=stem)).exists() for f in PRODUCTS[p])]


def carry_over(old_out: Path, new_out: Path, stem: str, products: list[str]) -> list[Path]:
    """Copy unchanged products from the previous output folder into the staging folder."""
    files = []
    for p in products:
        for pattern in PRODUCTS[p]:
            src, dst = Path(old_out) / pattern.format(stem=stem), Path(new_out) / pattern.format(stem=stem)
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True)
            else:
                shutil.copy2(src, dst)
                files.append(dst)
    return files


def write(out: Path, entries: dict) -> None:
    (Path(out) / MANIFEST).write_text(json.dumps(entries, indent=1, sort_keys=True), encoding="utf-8")
