"""The title slide of the built-in engine, made the way Quarto makes it.

Quarto renders revealjs title slides from the pandoc template partial `title-slide.html`
(quarto-cli src/resources/formats/revealjs/pandoc/title-fancy/title-slide.html); a deck may
replace it with its own file listed in `format: revealjs: template-partials:` (Quarto copies the
partials by file name over its own: src/command/render/template.ts). Here the same partial — the
deck's, else a copy of Quarto's default (templates/title-slide.html) — is rendered by pandoc's own
template engine with the variables Quarto gives it: the document metadata, `date` formatted with
`date-format` (deckbuild.dates) and `by-author` built from `author`. As in Quarto
(format-reveal.ts, handleCenteredSlides) the slide gets the `center` class unless
`center-title-slide: false`."""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from deckbuild.dates import document_date
from deckbuild.document import DeckError, Document

DEFAULT_PARTIAL = Path(__file__).parent / "templates" / "title-slide.html"


def partial_path(doc: Document) -> Path:
    """The deck's own title-slide.html from `template-partials`, else Quarto's default."""
    partials = doc.format_options("revealjs").get("template-partials") or doc.metadata.get("template-partials") or []
    for item in [partials] if isinstance(partials, str) else partials:
        if Path(str(item)).name == "title-slide.html":
            path = (doc.path.parent / str(item)) if not str(item).startswith("/") else doc.root / str(item)[1:]
            if not path.is_file():
                raise DeckError(f"template partial {item} was not found (template-partials)", doc.path)
            return path
    return DEFAULT_PARTIAL


def by_author(author, where=None) -> list[dict]:
    """Quarto's normalised author list (the `by-author` template variable; quarto-cli
    filters/modules/authors.lua): the name, url, email, orcid and inline affiliations. Affiliations
    given by `ref:` to a top-level list are refused (DeckError naming `where`), not dropped."""
    out = []
    for a in author if isinstance(author, list) else ([author] if author else []):
        entry = a if isinstance(a, dict) else {"name": a}
        name = entry.get("name")
        item = {"name": {"literal": name.get("literal", "") if isinstance(name, dict) else str(name or "")}}
        item.update({k: entry[k] for k in ("url", "email", "orcid") if entry.get(k)})
        affiliations = [_affiliation(x, where) for x in _as_list(entry.get("affiliations", entry.get("affiliation")))]
        if affiliations:
            item["affiliations"] = affiliations
        out.append(item)
    return out


def _as_list(value) -> list:
    return value if isinstance(value, list) else ([] if value in (None, "") else [value])


def _affiliation(value, where) -> dict:
    """One inline affiliation as the partial reads it: {name, url}."""
    if not isinstance(value, dict):
        return {"name": str(value)}
    if "ref" in value:
        raise DeckError("author affiliations by `ref:` are not supported by the built-in engine: write the "
                        "affiliation inline (name, url) under the author", where)
    url = value.get("url", value.get("affiliation-url"))
    return {"name": str(value.get("name", "")), **({"url": url} if url else {})}


def template_variables(doc: Document) -> dict:
    """What the partial sees: the metadata, plus Quarto's formatted `date` and `by-author`."""
    meta = {k: v for k, v in doc.metadata.items() if k not in ("format", "execute", "project", "profile")}
    date = document_date(doc.metadata, str(doc.path))
    if date is not None:
        meta["date"] = date
    meta["by-author"] = by_author(doc.metadata.get("author"), doc.path)
    return meta


def render_title_slide(doc: Document, pandoc) -> str:
    """The title <section> (empty when the deck has no title); `pandoc(args, text, what)` runs pandoc."""
    if not doc.metadata.get("title"):
        return ""
    with tempfile.TemporaryDirectory(prefix="deck-title-") as tmp:
        meta = Path(tmp) / "meta.json"
        meta.write_text(json.dumps(template_variables(doc), ensure_ascii=False, default=str), encoding="utf-8")
        section = pandoc(["-f", "markdown", "-t", "revealjs", "--wrap=none", "--template", str(partial_path(doc)),
                          "--metadata-file", str(meta), "--variable", "idprefix="], "", "title slide")
    if doc.metadata.get("center-title-slide") is not False:
        section = re.sub(r'(<section\b[^>]*\bclass=")', r"\1center ", section, count=1) \
            if re.search(r'<section\b[^>]*\bclass="', section) else \
            section.replace("<section", '<section class="center"', 1)
    return section.strip()
