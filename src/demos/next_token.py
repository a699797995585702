"""What a language model predicts next: the probability of every token in its vocabulary after
a prompt (softmax of logits / temperature), the top logits re-weighted at several temperatures,
and short step-by-step generation.

Temperature T > 0 divides the logits before the softmax: T < 1 sharpens the distribution,
T > 1 flattens it. T -> 0 is greedy decoding (always the most probable token): use
strategy="greedy" instead of a temperature of 0."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from demos.models import LanguageModel, load_model


def _check_temperature(temperature: float) -> float:
    t = float(temperature)
    if not t > 0:
        raise ValueError(f"temperature must be > 0 (got {temperature}); for T -> 0 use strategy='greedy'")
    return t


@lru_cache(maxsize=64)
def _logits_of_ids(name: str, ids: tuple[int, ...]) -> np.ndarray:
    """Logits at the last position for a token-id sequence, float64, shape (vocab,)."""
    import torch
    lm = load_model(name)
    with torch.inference_mode():
        out = lm.model(torch.tensor([ids], device=lm.device), logits_to_keep=1)  # last position only
    return out.logits[0, -1].double().cpu().numpy()


def prompt_ids(prompt: str, lm: LanguageModel) -> tuple[int, ...]:
    """Token ids the model sees for a prompt (with the tokenizer's special tokens, e.g. <bos>)."""
    if not isinstance(prompt, str) or not prompt:
        raise ValueError("prompt must be a non-empty string")
    return tuple(lm.tokenizer(prompt).input_ids)


def last_logits(prompt: str, model=None) -> np.ndarray:
    """Raw logits over the full vocabulary at the prompt's last position."""
    lm = load_model(model)
    return _logits_of_ids(lm.name, prompt_ids(prompt, lm))


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """softmax(logits / T), numerically stable, in float64."""
    z = np.asarray(logits, dtype=np.float64) / _check_temperature(temperature)
    e = np.exp(z - z.max())
    return e / e.sum()


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest values, largest first (ties: lower id first)."""
    k = max(1, min(int(k), values.size))
    idx = np.argpartition(-values, k - 1)[:k]
    return idx[np.lexsort((idx, -values[idx]))]


def _ranked(lm: LanguageModel, idx: np.ndarray, logits: np.ndarray) -> pd.DataFrame:
    """DataFrame[rank, token, token_id, logit] for the token ids `idx`, best first."""
    return pd.DataFrame({"rank": np.arange(1, idx.size + 1), "token": [lm.piece(i) for i in idx],
                         "token_id": idx.astype(int), "logit": logits[idx]})


def next_token_probs(prompt: str, k: int = 10, temperature: float = 1.0, model=None) -> pd.DataFrame:
    """Top-k next tokens: DataFrame[rank, token, token_id, logit, prob]; prob is the softmax of
    logits/T over the FULL vocabulary (so the k rows sum to at most 1)."""
    lm = load_model(model)
    logits = last_logits(prompt, lm)
    probs = softmax(logits, temperature)
    idx = _top(probs, k)
    return _ranked(lm, idx, logits).assign(prob=probs[idx])


def top_logits(prompt: str, k: int = 30, model=None) -> pd.DataFrame:
    """The k largest raw logits, DataFrame[rank, token, token_id, logit], for re-weighting by
    temperature in the browser (renormalised over these k tokens only)."""
    lm = load_model(model)
    logits = last_logits(prompt, lm)
    return _ranked(lm, _top(logits, k), logits)


def temperature_probs(top_logits_df: pd.DataFrame, temps=(0.3, 1.0, 2.0), show: int = 8) -> pd.DataFrame:
    """softmax(logit / T) renormalised over the rows of top_logits(), for each T in `temps`:
    the first `show` ranks of each, long DataFrame[<top_logits columns>, temperature, prob]."""
    logits = top_logits_df["logit"].to_numpy()
    parts = [top_logits_df.assign(temperature=float(t), prob=softmax(logits, t)) for t in temps]
    return pd.concat([part[part["rank"] <= show] for part in parts], ignore_index=True)


def generate_steps(prompt: str, steps: int = 6, strategy: str = "greedy", temperature: float = 1.0,
                   seed: int = 0, k: int = 3, model=None) -> pd.DataFrame:
    """Generate `steps` tokens one at a time. DataFrame[step, text_so_far, token, prob, runners_up]:
    text_so_far is the text the model saw at that step, token the one chosen, prob its probability
    (softmax of logits/T), runners_up the k most probable other tokens as (token, prob) pairs.
    strategy 'greedy' takes the most probable token; 'sample' draws from softmax(logits/T) with a
    seeded generator (same seed, same text)."""
    if strategy not in ("greedy", "sample"):
        raise ValueError(f"strategy must be 'greedy' or 'sample' (got {strategy!r})")
    lm = load_model(model)
    rng = np.random.default_rng(seed)
    ids = list(prompt_ids(prompt, lm))
    n_prompt_special = len(ids) - len(lm.tokenizer(prompt, add_special_tokens=False).input_ids)
    rows = []
    for step in range(1, int(steps) + 1):
        probs = softmax(_logits_of_ids(lm.name, tuple(ids)), temperature)
        choice = int(np.argmax(probs)) if strategy == "greedy" else int(rng.choice(probs.size, p=probs))
        others = [i for i in _top(probs, k + 1) if i != choice][:k]
        text = lm.tokenizer.decode(ids[n_prompt_special:])
        rows.append({"step": step, "text_so_far": text, "token": lm.piece(choice), "token_id": choice,
                     "prob": float(probs[choice]),
                     "runners_up": [(lm.piece(i), float(probs[i])) for i in others]})
        ids.append(choice)
        if choice == lm.tokenizer.eos_token_id:
            break
    return pd.DataFrame(rows)
