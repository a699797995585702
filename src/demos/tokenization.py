"""How a model cuts text into tokens: the pieces and ids of a text, and how many tokens the
same meaning costs in different languages and with different tokenizers."""
from __future__ import annotations

import pandas as pd

from demos.models import load_model, visible


def tokenize(text: str, model=None, special: bool = False) -> pd.DataFrame:
    """DataFrame[position, token, token_id, display]: `token` as written in the vocabulary
    (e.g. '▁gosto', 'Ġde'), `display` the text it stands for with visible whitespace ('␣gosto').
    `special=True` keeps the tokens the tokenizer adds (e.g. <bos>)."""
    if not isinstance(text, str) or not text:
        raise ValueError("tokenize(text): text must be a non-empty string")
    lm = load_model(model)
    ids = lm.tokenizer(text, add_special_tokens=special).input_ids
    return pd.DataFrame({"position": range(len(ids)),
                         "token": lm.tokenizer.convert_ids_to_tokens(ids),
                         "token_id": [int(i) for i in ids],
                         "display": [visible(lm.piece(i)) for i in ids]})


def default_models() -> list[str]:
    """The deck model and the tokenizer-contrast model (deck.tokenizer-contrast-model)."""
    from demos.config import demo_setting
    from demos.models import DEFAULT_MODEL
    names = [demo_setting("model") or DEFAULT_MODEL, demo_setting("tokenizer-contrast-model")]
    return [n for i, n in enumerate(names) if n and n not in names[:i]]


def token_cost(texts: dict[str, str], models=None) -> pd.DataFrame:
    """Tokens needed for each text by each model: DataFrame[model, label, text, chars, tokens].
    `texts` maps a label (e.g. 'português', 'inglês') to the same meaning in that language."""
    if not texts:
        raise ValueError("token_cost(texts): give at least one {label: text}")
    rows = []
    for name in models or default_models():
        lm = load_model(name)
        for label, text in texts.items():
            n = len(lm.tokenizer(text, add_special_tokens=False).input_ids)
            rows.append({"model": lm.display_name, "label": label, "text": text,
                         "chars": len(text), "tokens": n})
    return pd.DataFrame(rows)
