"""Time the language-model demos on this machine and check the cached copy against the GGUF.

    .venv/bin/python benchmarks/models_bench.py [--model gemma-3-270m] [--skip-cold] [--threads 1]

Prints: load from the safetensors cache, next-token time, 6 generation steps, attention maps,
peak RSS; then (unless --skip-cold) a cold load straight from the GGUF file and the largest
probability difference between the two loads; and the top-5 next tokens of a few prompts.
Targets on 2 cores: cache load < 8 s, next token < 0.5 s."""
from __future__ import annotations

import argparse
from pathlib import Path
import sys
import os
import resource
import time

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import timed as _timed  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")

PROMPTS = ["I like", "Eu gosto de", "O Brasil é um país"]


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # Linux: kB



def timed(label: str, fn, target: float | None = None):
    return _timed(label, fn, target, width=34, digits=2)


def bench(name: str, cold: bool) -> None:
    import numpy as np
    import torch

    from demos import attention, model_cache, models, next_token
    from demos.ptbr import fmt_pct

    print(f"\n== {name}")
    if not (model_cache.cache_dir(name) / model_cache.CACHE_MARKER).exists():
        timed("convert GGUF -> cache (first time)", lambda: model_cache.convert_to_cache(name))
    lm = timed("load from cache", lambda: models.load_model(name), target=8)
    print(f"  (torch threads: {torch.get_num_threads()})")
    timed("next token (first call)", lambda: next_token.next_token_probs("Eu gosto de", model=lm), target=0.5)
    timed("next token (another prompt)", lambda: next_token.next_token_probs("O gato sentou", model=lm),
          target=0.5)
    timed("generate 6 steps (greedy)", lambda: next_token.generate_steps("A capital de Pernambuco é", 6, model=lm))
    att = timed("attention maps (~12 tokens)", lambda: attention.attention_maps(
        "O gato sentou no tapete porque ele estava cansado", lm))
    print(f"  attention weights {att.weights.shape}, peak RSS {peak_rss_gb():.2f} GB")

    for prompt in PROMPTS:
        df = next_token.next_token_probs(prompt, k=5, model=lm)
        print(f"  {prompt!r:<22} " + ", ".join(f"{t!r} {fmt_pct(p)}" for t, p in zip(df["token"], df["prob"])))
    pieces = lm.tokenizer.convert_ids_to_tokens(lm.tokenizer("Eu gosto de", add_special_tokens=False).input_ids)
    print(f"  'Eu gosto de' -> {len(pieces)} tokens: {pieces}")

    if cold and name in models.available_models():
        gguf = model_cache.gguf_path(name)
        model, tok = timed("cold load from GGUF", lambda: model_cache.load_from_gguf(gguf))
        ids = torch.tensor([lm.tokenizer("Eu gosto de").input_ids])
        assert tok("Eu gosto de").input_ids == ids[0].tolist(), "GGUF and cached tokenizers disagree"
        with torch.inference_mode():
            p_gguf = torch.softmax(model(ids, logits_to_keep=1).logits[0, -1].double(), -1).numpy()
        p_cache = next_token.softmax(next_token.last_logits("Eu gosto de", lm))
        print(f"  max |p_gguf - p_cache| = {np.abs(p_gguf - p_cache).max():.3g}  "
              f"(argmax equal: {p_gguf.argmax() == p_cache.argmax()}); peak RSS {peak_rss_gb():.2f} GB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", help="model name (repeatable); default: both packaged")
    ap.add_argument("--skip-cold", action="store_true", help="skip the slow load straight from GGUF")
    ap.add_argument("--threads", type=int, help="torch threads (default: DECK_TORCH_THREADS, else cores - 1)")
    args = ap.parse_args()
    if args.threads:
        os.environ["DECK_TORCH_THREADS"] = str(args.threads)
    from demos.models import available_models
    for name in args.model or available_models():
        bench(name, cold=not args.skip_cold)


if __name__ == "__main__":
    main()
