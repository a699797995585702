"""The .qmd reader of the built-in engine: one deck file -> a Document (deckbuild.document).

It merges the front matter over the project config, follows `{{< include >}}` lines (relative
to the including file, recursively, refusing cycles, dropping the included front matter),
resolves `{{< var >}}` / `{{< meta >}}`, and splits the text into Markdown, ```{python} cells
(`#|` option lines parsed as YAML and checked) and inline `` `{python} expr` `` chunks. Every
chunk keeps the file (relative to the project root) and 1-based line it came from; anything
the built-in engine cannot honour is a DeckError naming file:line, raised before any cell runs."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .cell_options import parse_cell_options
from .config import ProjectConfig, load_project_config, merge_metadata, read_yaml, rel
from .config_check import key_lines, validate_metadata
from .constructs import check_cell_label, check_line
from .document import Cell, DeckError, Document, Inline, Markdown
from .shortcodes import ShortcodeContext, expand_shortcodes, include_target

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")
_ENGINE = re.compile(r"^\{(?P<engine>[A-Za-z][\w+-]*)(?P<rest>[^}]*)\}$")
_HEADING = re.compile(r"^(#{1,2})\s+(?P<text>.*?)\s*(\{[^}]*\})?\s*#*\s*$")
_INLINE_ENGINE = re.compile(r"^\{(?P<engine>[A-Za-z][\w+-]*)\}\s+(?P<expr>.+)$", re.S)
_INLINE_SHOWN = re.compile(r"^\{\{(?P<engine>[A-Za-z][\w+-]*)\}\}(?=\s)")   # `{{python}} x`
_METADATA_TEXT_KEYS = ("title", "subtitle", "author", "date", "footer", "description")


@dataclass
class _Line:
    text: str
    file: str
    line: int


@dataclass
class _Fence:
    char: str
    size: int
    file: str
    line: int
    cell: list | None = None          # lines of a ```{python} cell, else None (plain fence)
    shortcodes: bool = True


def split_front_matter(text: str, file: str) -> tuple[dict, int, str]:
    """(front matter mapping, 1-based line where the body starts, raw YAML text)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, 1, ""
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            raw = "\n".join(lines[1:i])
            return read_yaml(raw, file, first_line=2, what="front matter YAML"), i + 2, raw
    raise DeckError("front matter opened with '---' on line 1 is never closed", file, 1)


def _read(path: Path, file: str, line: int | None = None) -> str:
    """Text of `path`; errors are reported at `file`:`line` (where it was asked for)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DeckError(f"file not found: {path.name} (looked for {path})", file, line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DeckError(f"cannot read {path}: {exc}", file, line) from None


def _file_lines(path: Path, root: Path, text: str, body_start: int | None = None) -> list[_Line]:
    """The body lines of a file (after its front matter, found here unless `body_start` is given)."""
    file = rel(path, root)
    if body_start is None:
        _, body_start, _ = split_front_matter(text, file)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [_Line(t.rstrip("\r"), file, n)
            for n, t in enumerate(lines, start=1) if n >= body_start]


def _heading(text: str) -> str | None:
    m = _HEADING.match(text)
    return m.group("text").strip() if m else None


class _Builder:
    """Collects chunks, merging contiguous Markdown of the same file."""

    def __init__(self, strict: bool = True):
        self.strict = strict
        self.chunks: list = []
        self.slide_title = ""
        self.cells = 0

    def markdown(self, text: str, file: str, line: int) -> None:
        last = self.chunks[-1] if self.chunks else None
        if (isinstance(last, Markdown) and last.file == file
                and last.line + last.text.count("\n") == line):
            last.text += text
        elif text:
            self.chunks.append(Markdown(text, file, line))

    def inline_line(self, text: str, file: str, line: int) -> None:
        """One Markdown line, split around inline `{python} expr` code spans."""
        pending, i = [], 0                       # Markdown text not yet emitted
        while i < len(text):
            if text[i] != "`":
                j = text.find("`", i)
                j = len(text) if j < 0 else j
                pending.append(text[i:j])
                i = j
                continue
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = re.compile(rf"(?<!`){text[i:i + run]}(?!`)").search(text, i + run)
            if not close:
                pending.append(text[i:i + run])
                i += run
                continue
            content = text[i + run:close.start()]
            inner = content[1:-1] if len(content) > 2 and content[0] == content[-1] == " " \
                else content
            m = _INLINE_ENGINE.match(inner)
            span = text[i:close.end()]
            if m and m.group("engine") == "python":
                self.markdown("".join(pending), file, line)
                pending = []
                self.chunks.append(Inline(m.group("expr").strip(), file, line, self.slide_title))
            elif m:
                raise DeckError(f"inline `{{{m.group('engine')}}}` code is not supported by "
                                "the built-in engine (only `{python} expr`)", file, line)
            else:
                shown = _INLINE_SHOWN.match(inner)   # `{{python}} x` shows `{python} x`
                pending.append(span.replace("{{" + shown.group("engine") + "}}",
                                            "{" + shown.group("engine") + "}", 1)
                               if shown else span)
            i = close.end()
        self.markdown("".join(pending) + "\n", file, line)

    def cell(self, fence: _Fence, labels: dict) -> None:
        options, source = parse_cell_options(fence.cell, fence.file, fence.line, self.strict)
        label = options.get("label")
        if self.strict:
            check_cell_label(label, fence.file, fence.line)
        if label is not None:
            if label in labels:
                raise DeckError(f"cell label '{label}' is already used at {labels[label]}",
                                fence.file, fence.line)
            labels[label] = f"{fence.file}:{fence.line}"
        self.chunks.append(Cell(source, options, fence.file, fence.line,
                                self.slide_title, self.cells))
        self.cells += 1


def _open_fence(ln: _Line) -> _Fence | None:
    m = _FENCE.match(ln.text)
    if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
        return None
    fence = _Fence(m.group("fence")[0], len(m.group("fence")), ln.file, ln.line)
    info = m.group("info")
    eng = _ENGINE.match(info)
    if eng and eng.group("engine") == "python":
        if eng.group("rest").strip():
            raise DeckError(f"write cell options as `#| key: value` lines, not in '{info}'",
                            ln.file, ln.line)
        if m.group("indent"):
            raise DeckError("a ```{python} cell must start at the beginning of the line",
                            ln.file, ln.line)
        fence.cell = []
    elif eng:
        raise DeckError(f"```{{{eng.group('engine')}}} cells are not supported by the built-in "
                        "engine (only ```{python}); render with Quarto or remove the cell",
                        ln.file, ln.line)
    fence.shortcodes = not re.search(r"\bshortcodes\s*=\s*[\"']?false", info)
    return fence


def _closes(fence: _Fence, text: str) -> bool:
    m = re.match(r"^ {0,3}(`{3,}|~{3,})\s*$", text)
    return bool(m) and m.group(1)[0] == fence.char and len(m.group(1)) >= fence.size


def _parse(path: Path, root: Path, body: list[_Line], ctx: ShortcodeContext,
           files_read: list[Path], strict: bool = True) -> list:
    """Walk the document's `body` lines, following includes, and build the chunks."""
    out, labels = _Builder(strict), {}
    chain = [path.resolve()]
    stack = [iter(body)]
    fence: _Fence | None = None
    while stack:
        ln = next(stack[-1], None)
        if ln is None:
            if fence is not None and fence.file == rel(chain[-1], root):
                kind = "```{python} cell" if fence.cell is not None else "code block"
                raise DeckError(f"{kind} opened here is never closed", fence.file, fence.line)
            stack.pop()
            chain.pop()
            continue
        if fence is not None and _closes(fence, ln.text):
            if fence.cell is not None:
                out.cell(fence, labels)
            else:
                out.markdown(ln.text + "\n", ln.file, ln.line)
            fence = None
            continue
        if fence is not None and fence.cell is not None:
            fence.cell.append(ln.text)
            continue
        target = include_target(ln.text, ln.file, ln.line) \
            if fence is None or fence.shortcodes else None
        if target is not None:
            inc = (root / target.lstrip("/") if target.startswith("/")    # project-relative
                   else chain[-1].parent / target).resolve()
            if inc in chain:
                cycle = " -> ".join(rel(p, root) for p in chain + [inc])
                raise DeckError(f"include cycle: {cycle}", ln.file, ln.line)
            text = _read(inc, ln.file, ln.line)
            if inc not in files_read:
                files_read.append(inc)
            chain.append(inc)
            stack.append(iter(_file_lines(inc, root, text)))
            continue
        if fence is not None:                               # inside a plain code block
            text = expand_shortcodes(ln.text, ctx, ln.file, ln.line) \
                if fence.shortcodes else ln.text
            out.markdown(text + "\n", ln.file, ln.line)
            continue
        fence = _open_fence(ln)
        if fence is not None:
            if fence.cell is None:
                out.markdown(ln.text + "\n", ln.file, ln.line)
            continue
        text = expand_shortcodes(ln.text, ctx, ln.file, ln.line)
        check_line(text, ln.file, ln.line, builtin=strict)
        title = _heading(text)
        if title is not None:
            out.slide_title = title
        out.inline_line(text, ln.file, ln.line)
    return out.chunks


def _resolve_metadata_text(meta: dict, ctx: ShortcodeContext, file: str) -> None:
    """Shortcodes in the title/footer-like metadata strings Quarto shows on slides."""
    scopes = [meta]
    fmt = meta.get("format")
    if isinstance(fmt, dict) and isinstance(fmt.get("revealjs"), dict):
        scopes.append(fmt["revealjs"])
    for scope in scopes:
        for key in _METADATA_TEXT_KEYS:
            if isinstance(scope.get(key), str):
                scope[key] = expand_shortcodes(scope[key], ctx, file, None)


def input_relative_paths(value, root: Path, doc_dir: Path, key: str = ""):
    """Like Quarto (toInputRelativePaths): a project-config string naming an existing file
    becomes relative to the rendered document's folder ('assets/x.svg' -> '../assets/x.svg')."""
    if isinstance(value, dict):
        return {k: v if (not key and k == "project") else input_relative_paths(v, root, doc_dir, k)
                for k, v in value.items()}
    if isinstance(value, list):
        return [input_relative_paths(v, root, doc_dir, key) for v in value]
    if isinstance(value, str) and value and "://" not in value and not value.startswith("/") \
            and "\n" not in value and len(value) < 300 and (root / value).is_file():
        return os.path.relpath(root / value, doc_dir).replace(os.sep, "/")
    return value


def read_document(path: Path, root: Path, profile: str | None = None, *,
                  config: ProjectConfig | None = None, strict: bool = True) -> Document:
    """Read `path` (a .qmd inside the project at `root`) with the given (or default) profile;
    `config`: the project config already loaded for that profile (else it is read here);
    `strict=False` (Quarto renders the deck): accept Quarto constructs and cell options the
    built-in engine does not render (deckbuild.constructs)."""
    root, path = Path(root).resolve(), Path(path).resolve()
    config = config or load_project_config(root, profile)
    file = rel(path, root)
    text = _read(path, file)
    front, body_start, raw = split_front_matter(text, file)
    validate_metadata(front, file, root, base_dir=path.parent,
                      lines=key_lines(raw, first_line=2))
    metadata = merge_metadata(input_relative_paths(config.metadata, root, path.parent), front)
    files_read = [*config.files, path]
    variables = {}
    var_path = root / "_variables.yml"
    if var_path.exists():
        variables = read_yaml(_read(var_path, "_variables.yml"), "_variables.yml")
        files_read.append(var_path)
    ctx = ShortcodeContext(variables=variables, metadata=metadata)
    _resolve_metadata_text(metadata, ctx, file)
    chunks = _parse(path, root, _file_lines(path, root, text, body_start), ctx, files_read, strict)
    return Document(path=path, root=root, profile=config.profile, metadata=metadata,
                    chunks=chunks, files_read=files_read)
