"""Load a model folder's tokenizer, fast for the deck's converted models.

transformers builds Gemma's tokenizer (262 144 pieces, 514 906 merges) from tokenizer.json in
about 5 s. For a folder converted by `demos.model_cache` (it has deck-cache.json) the built
tokenizer is also kept pickled beside it, named after the transformers and tokenizers versions
that made it. Inside that copy a BPE tokenizer is stored as its vocabulary and merges plus the
rest of its JSON, and rebuilt with `tokenizers.models.BPE`: about 1.3 s instead of the 2.2 s
its JSON takes, time during which the whole process waits (the Rust parser holds the GIL).
The copy is only written after it was read back and serialised to exactly the tokenizer's own
JSON; otherwise the plain pickle is kept. Any problem with a copy (another version, a damaged
file) falls back to from_pretrained, which then writes a fresh one. Only files the deck wrote
itself are ever unpickled."""
from __future__ import annotations

import io
import json
import os
import pickle
from pathlib import Path

from demos.model_cache import CACHE_MARKER as MARKER   # in every folder demos.model_cache converted

FORMAT = 2                          # of the pickled copy; part of its name


def pickled_path(folder: Path) -> Path | None:
    """Where the pickled tokenizer of a converted folder lives (None for other folders)."""
    import tokenizers
    import transformers
    folder = Path(folder)
    if not (folder / MARKER).is_file():
        return None
    return folder / f"tokenizer-{transformers.__version__}-{tokenizers.__version__}-f{FORMAT}.pickle"


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
        _keep(tokenizer, kept)
    return tokenizer


def rebuild_bpe(skeleton: str, vocab: dict, merges: list, options: dict, added: list):
    """A tokenizers.Tokenizer from `bpe_parts`: the skeleton JSON, then its BPE model, then the
    added tokens (in that order, so that they keep their ids from the vocabulary)."""
    from tokenizers import AddedToken, Tokenizer, models
    tokenizer = Tokenizer.from_str(skeleton)
    tokenizer.model = models.BPE(vocab, merges, **options)
    tokenizer.add_tokens([AddedToken(**token) for token in added])
    return tokenizer


def bpe_parts(backend) -> tuple | None:
    """The arguments of `rebuild_bpe` for the Rust tokenizer `backend` (None unless its model is BPE)."""
    state = json.loads(backend.to_str())
    model = state["model"]
    if model.get("type") != "BPE":
        return None
    vocab = model.pop("vocab")
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ", 1)) for m in model.pop("merges")]
    options = {k: v for k, v in model.items() if k != "type" and v is not None}
    added = [{k: v for k, v in token.items() if k != "id"} for token in state.pop("added_tokens")]
    skeleton = {**state, "added_tokens": [], "model": {**model, "vocab": {}, "merges": []}}
    return json.dumps(skeleton), vocab, merges, options, added


class _BpePickler(pickle.Pickler):
    """Pickles every Rust BPE tokenizer inside an object as `rebuild_bpe(*bpe_parts(...))`.
    `shared`: Python copies of the vocabulary or merges the object already holds (transformers'
    BPE tokenizers keep them); an equal part is replaced by that copy, so it is stored once."""

    def __init__(self, file, shared=(), **kwargs):
        super().__init__(file, **kwargs)
        self.shared = [part for part in shared if part is not None]

    def reducer_override(self, obj):
        import tokenizers
        if isinstance(obj, tokenizers.Tokenizer):
            parts = bpe_parts(obj)
            if parts is not None:
                return rebuild_bpe, tuple(self._same(part) for part in parts)
        return NotImplemented

    def _same(self, part):
        return next((copy for copy in self.shared if type(copy) is type(part) and copy == part), part)


def dumps(tokenizer) -> bytes:
    """The pickled copy of a transformers tokenizer: the fast form when it reads back as exactly
    the same Rust tokenizer, else a plain pickle."""
    buffer = io.BytesIO()
    held = vars(tokenizer)
    _BpePickler(buffer, shared=(held.get("_vocab"), held.get("_merges")),
                protocol=pickle.HIGHEST_PROTOCOL).dump(tokenizer)
    fast = buffer.getvalue()
    try:
        same = pickle.loads(fast).backend_tokenizer.to_str() == tokenizer.backend_tokenizer.to_str()
    except Exception:           # noqa: BLE001 - whatever went wrong, the plain pickle is safe
        same = False
    return fast if same else pickle.dumps(tokenizer, protocol=pickle.HIGHEST_PROTOCOL)


def _keep(tokenizer, kept: Path) -> None:
    """Write the copy atomically and drop copies made by other versions."""
    try:
        tmp = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
        tmp.write_bytes(dumps(tokenizer))
        tmp.replace(kept)
        for old in kept.parent.glob("tokenizer-*.pickle"):
            if old != kept:
                old.unlink(missing_ok=True)
    except OSError:             # a read-only cache still loads, just slower
        pass
