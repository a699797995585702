"""Where each token looks: the attention weights of every layer and head of a language model
for one short sentence (eager attention, output_attentions=True), one layer's head-averaged
weights as a long table, and the share of attention the first token (<bos>) soaks up."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from demos.models import load_model, visible

MAX_TOKENS = 16  # the interactive chart embeds layers x heads x T x T weights: keep T small


@dataclass(frozen=True)
class Attention:
    tokens: list[str]        # visible pieces, special tokens included (e.g. '<bos>', '␣gato')
    weights: np.ndarray      # (layers, heads, T, T): row = query position, column = key position
    model: str = ""          # display name of the model

    @property
    def layers(self) -> int:
        return self.weights.shape[0]

    @property
    def heads(self) -> int:
        return self.weights.shape[1]

    def head_mean(self, layer: int = -1) -> np.ndarray:
        """(T, T) weights of one layer averaged over its heads (layer -1: the last)."""
        return self.weights[layer].mean(axis=0)


def attention_maps(sentence: str, model=None, max_tokens: int = MAX_TOKENS) -> Attention:
    """Attention weights of every layer and head for `sentence` (with the tokenizer's <bos>)."""
    import torch
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError("attention_maps(sentence): sentence must be a non-empty string")
    lm = load_model(model)
    ids = lm.tokenizer(sentence).input_ids
    if len(ids) > max_tokens:
        raise ValueError(f"attention_maps: '{sentence}' has {len(ids)} tokens; use at most {max_tokens} "
                         f"(deck.prompts.attention in _quarto.yml) so the chart stays small")
    with torch.inference_mode():
        # logits_to_keep=1: the weights are the point, not the 262k-word logits of every position
        out = lm.model(torch.tensor([ids], device=lm.device), output_attentions=True, logits_to_keep=1)
    if not out.attentions or out.attentions[0] is None:
        raise RuntimeError(f"{lm.name}: the model returned no attention weights (needs attn_implementation='eager')")
    weights = torch.stack([a[0] for a in out.attentions]).float().cpu().numpy()  # (L, H, T, T)
    return Attention(tokens=[visible(lm.piece(i)) for i in ids], weights=weights, model=lm.display_name)


def bos_share(att: Attention, layer: int = -1) -> float:
    """Mean weight the tokens after the first (<bos>) give to position 0 in `layer` (0-based),
    averaged over the heads."""
    m = att.head_mean(layer)
    return float(m[1:, 0].mean()) if m.shape[0] > 1 else 1.0


def attention_table(att: Attention, layer: int = -1) -> pd.DataFrame:
    """Long DataFrame[q, k, w] of one layer's head-averaged weights (lower triangle; 0-based)."""
    import pandas as pd      # here, not above: the live service reads MAX_TOKENS before the model loads
    m = att.head_mean(layer)
    q, k = np.tril_indices(m.shape[0])
    return pd.DataFrame({"q": q, "k": k, "w": m[q, k]})
