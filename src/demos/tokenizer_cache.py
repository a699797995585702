"""Load a model folder's tokenizer, fast for the deck's converted models.

transformers builds Gemma's tokenizer (262 144 pieces) from tokenizer.json in about 5 s, most of
it parsing that 33 MB file in Python three times. For a folder converted by `demos.model_cache`
(it has deck-cache.json) the built tokenizer is also kept pickled beside it, named after the
transformers and tokenizers versions that made it; later loads read it in about half the time.
Any problem with that copy (another version, a damaged file) falls back to from_pretrained,
which then writes a fresh one. Only files the deck wrote itself are ever unpickled."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

MARKER = "deck-cache.json"          # written by demos.model_cache into every converted folder


def pickled_path(folder: Path) -> Path | None:
    """Where the pickled tokenizer of a converted folder lives (None for other folders)."""
    import tokenizers
    import transformers
    folder = Path(folder)
    if not (folder / MARKER).is_file():
        return None
    return folder / f"tokenizer-{transformers.__version__}-{tokenizers.__version__}.pickle"


def load_tokenizer(folder: Path | str):
    """The tokenizer of `folder` (a converted cache, a local model folder or a hub id)."""
    from transformers import AutoTokenizer
    kept = pickled_path(Path(folder)) if Path(str(folder)).is_dir() else None
    if kept is not None and kept.is_file():
        try:
            return pickle.loads(kept.read_bytes())
        except Exception:       # noqa: BLE001 - any unreadable copy: rebuild it below
            pass
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    if kept is not None:
        try:
            tmp = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(tokenizer))
            tmp.replace(kept)
        except OSError:         # a read-only cache still loads, just slower
            pass
    return tokenizer
