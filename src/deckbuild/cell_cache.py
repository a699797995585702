"""The cell cache: outputs stored by the content of what produced them, bounded in size.

A chunk's *identity* hashes its code, the code of the deck's Python package (src/demos), the
versions of the libraries that shape outputs, the project's data/ folder, and the identities of
the chunks it depends on (deckbuild.cell_deps). Its *key* adds the values of the inputs it read the last time it ran
(demos.config records them: "config:event.colors", "file:data/x.csv"; "config:*" is the whole
config) and the keys of its dependencies. Outputs live in `<store>/out/<key>.json`, the reads of
an identity in `<store>/reads/<identity>.json`; nothing is ever overwritten in place, so
switching between two event profiles or two prompts finds both sets of outputs, and a cell whose
inputs did not change is never run again. The store is pruned to MAX_BYTES (least recently used
first; a hit refreshes an entry's time)."""
from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata as importlib_metadata
from pathlib import Path

CACHE_VERSION = "2"
MAX_BYTES = 512 * 1024 * 1024          # stated in the README: .deck-cache/cells stays under 512 MB
CODE_DIRS = ("src/demos",)
DATA_DIRS = ("data",)
LIBRARIES = ("altair", "vl-convert-python", "vega-datasets", "pandas", "numpy", "torch",
             "transformers", "matplotlib", "segno", "ipykernel")


def content_hash(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]


def tree_digest(root: Path, dirs, skip: tuple[str, ...] = ()) -> str:
    """Hash of every file's path and content under the given project folders (`skip`: names of
    sub-folders left out)."""
    h = hashlib.sha256()
    for d in dirs:
        base = Path(root) / d
        if not base.exists():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" \
                    and not set(skip) & set(p.relative_to(base).parts[:-1]):
                h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def library_versions() -> str:
    out = []
    for name in LIBRARIES:
        try:
            out.append(f"{name}={importlib_metadata.version(name)}")
        except importlib_metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return ";".join(out)


class ReadValues:
    """The current value of each recorded input, computed in the build process."""

    def __init__(self, root: Path, config: dict):
        self.root, self.config = Path(root), config
        self._memo: dict[str, str] = {}

    def __call__(self, read: str) -> str:
        if read not in self._memo:
            self._memo[read] = self._value(read)
        return self._memo[read]

    def _value(self, read: str) -> str:
        from demos.config import lookup
        kind, _, what = read.partition(":")
        if kind == "config":
            value = self.config if what == "*" else lookup(self.config, what)
            return content_hash(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False))
        if kind == "file":
            path = self.root / what
            return content_hash(path.read_bytes()) if path.is_file() else "missing"
        if kind == "tree":
            return tree_digest(self.root, [what])
        return content_hash("unknown", read)


class CellStore:
    """Outputs by key and reads by identity, under `folder` (.deck-cache/cells)."""

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES):
        self.folder, self.max_bytes = Path(folder), max_bytes

    def _path(self, kind: str, name: str) -> Path:
        return self.folder / kind / f"{name}.json"

    def _read(self, path: Path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        try:
            os.utime(path)                      # a hit is a recent use (pruning is LRU)
        except OSError:
            pass
        return data

    def _write(self, path: Path, data) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    def outputs(self, key: str | None):
        return None if key is None else self._read(self._path("out", key))

    def put_outputs(self, key: str, outputs: list[dict]) -> None:
        self._write(self._path("out", key), outputs)

    def reads(self, identity: str) -> list[str] | None:
        return self._read(self._path("reads", identity))

    def put_reads(self, identity: str, reads: list[str]) -> None:
        self._write(self._path("reads", identity), sorted(set(reads)))

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.folder.rglob("*.json")) if self.folder.exists() else 0

    def prune(self) -> int:
        """Delete least-recently-used outputs until the store fits MAX_BYTES; returns bytes freed."""
        if not self.folder.exists():
            return 0
        entries = sorted((p.stat().st_mtime, p.stat().st_size, p) for p in (self.folder / "out").glob("*.json"))
        total = sum(size for _, size, _ in entries) + sum(
            p.stat().st_size for p in (self.folder / "reads").glob("*.json"))
        freed = 0
        for _, size, path in entries:
            if total - freed <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            freed += size
        return freed


class Keys:
    """Identities and keys of a deck's runnable chunks (see the module docstring)."""

    def __init__(self, sources: list[str], deps: list[set[int]], store: CellStore, values: ReadValues,
                 salt: str):
        self.deps, self.store, self.values = deps, store, values
        self.identity: list[str] = []
        for i, src in enumerate(sources):
            self.identity.append(content_hash(CACHE_VERSION, salt, src, *sorted(self.identity[j] for j in deps[i])))
        self.key: list[str | None] = [None] * len(sources)

    def compute(self, i: int, reads: list[str] | None = None) -> str | None:
        """Chunk i's key, from its recorded reads (or `reads` just recorded); None when unknown."""
        reads = reads if reads is not None else self.store.reads(self.identity[i])
        dep_keys = [self.key[j] for j in sorted(self.deps[i])]
        if reads is None or any(k is None for k in dep_keys):
            self.key[i] = None
        else:
            self.key[i] = content_hash(self.identity[i], *dep_keys, *(f"{r}={self.values(r)}" for r in sorted(reads)))
        return self.key[i]


def code_folders(root: Path) -> list[Path]:
    """The deck's Python code the cells import: the project's src/demos and the installed
    `demos` package (the same folder with an editable install)."""
    import importlib.util
    folders = [Path(root) / d for d in CODE_DIRS]
    spec = importlib.util.find_spec("demos")
    if spec and spec.submodule_search_locations:
        folders.append(Path(list(spec.submodule_search_locations)[0]))
    out = []
    for f in folders:
        if f.is_dir() and f.resolve() not in out:
            out.append(f.resolve())
    return out


def salt(root: Path) -> str:
    """What every chunk depends on: the deck's Python code, the libraries' versions and the
    project's data/ folder (a cell may read a data file directly, unseen by demos.config).
    The browser scripts in demos/web/ are not Python: the runtime cell records reading them."""
    return content_hash(*(tree_digest(f.parent, [f.name], skip=("web",)) for f in code_folders(root)),
              library_versions(), tree_digest(root, DATA_DIRS))
