"""Portuguese analogies in a real language model's own vectors: the input-embedding table
of Gemma 3 270M (262,144 tokens × 640 numbers), searched like GloVe (3CosAdd, cosine).

A token table is not a word list: most rows are pieces of words, in many languages. So the
candidates are common Portuguese words (src/demos/pt_common_words.txt) that Gemma writes as
one token, and every result reports where the expected word ranked, or why it could not."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from demos.embeddings import nearest, offset_vector, rank_of, unit_rows

WORD_LIST = Path(__file__).with_name("pt_common_words.txt")
GEMMA = "gemma-3-270m"  # this demo is about Gemma's table, whatever deck.model says


@dataclass(frozen=True)
class AnalogyResult:
    table: pd.DataFrame        # [word, cosine] best first, inputs excluded
    expected_rank: int | None  # 1 = nearest; None when the word cannot be a candidate
    note: str                  # one pt-BR sentence saying what happened (for the slide)
    expected: str = ""
    n_candidates: int = 0


def pt_common_words(path: Path = WORD_LIST) -> list[str]:
    """The candidate words, in file order, without duplicates ('#' starts a comment)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise FileNotFoundError(f"{path}: word list missing ({err.strerror})") from None
    words = [w for line in text.splitlines() if not line.lstrip().startswith("#") for w in line.split()]
    if not words:
        raise ValueError(f"{path}: no words found; write one or more words per line")
    return list(dict.fromkeys(words))


def _lm(model):
    from demos.models import load_model
    return load_model(model or GEMMA)


@lru_cache(maxsize=None)
def _word_ids(model_name: str, word: str) -> tuple[int, ...]:
    """Token ids of ' word' (leading space, no special tokens), tokenised once per model."""
    return tuple(_lm(model_name).tokenizer(" " + word, add_special_tokens=False).input_ids)


def token_pieces(word: str, model=None) -> list[str]:
    """How the tokenizer writes ' word' (with its leading space): ['▁rain', 'ha']."""
    lm = _lm(model)
    return lm.tokenizer.convert_ids_to_tokens(list(_word_ids(lm.name, word)))


def single_token_id(word: str, model=None) -> int | None:
    """Id of ' word' when the tokenizer writes it as exactly one token, else None."""
    ids = _word_ids(_lm(model).name, word)
    return ids[0] if len(ids) == 1 else None


def embedding_table(model=None) -> np.ndarray:
    """The model's input-embedding matrix as a (vocab, width) float32 numpy view."""
    weight = _lm(model).model.get_input_embeddings().weight
    return weight.detach().cpu().float().numpy()


@lru_cache(maxsize=8)
def _candidate_rows(model_name: str, words: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Words that are one token, their token ids and unit-length embedding rows."""
    pairs = [(w, single_token_id(w, model_name)) for w in words]
    kept = [(w, i) for w, i in pairs if i is not None]
    ids = np.array([i for _, i in kept], dtype=np.int64)
    return tuple(w for w, _ in kept), ids, unit_rows(embedding_table(model_name)[ids])


def gemma_analogy(positive: list[str], negative: list[str], expected: str | None = None, k: int = 10,
                  candidates: list[str] | None = None, model=None) -> AnalogyResult:
    """Nearest single-token candidate words to sum(positive) − sum(negative) in the model's
    input embeddings, inputs excluded. The expected word's rank is always reported; a
    single-token expected word missing from the list is added to the candidates. Without
    `expected` (a live question nobody answered in advance) the note just names the candidates."""
    lm = _lm(model)
    inputs = [*positive, *negative]
    broken = {w: token_pieces(w, lm) for w in inputs if single_token_id(w, lm) is None}
    if broken:
        w, pieces = next(iter(broken.items()))
        raise ValueError(f"gemma_analogy: '{w}' is not one token in {lm.name} ({' · '.join(pieces)}); "
                         "use words the tokenizer keeps whole")
    words = list(dict.fromkeys(candidates if candidates is not None else pt_common_words()))
    added = expected is not None and single_token_id(expected, lm) is not None and expected not in words
    if added:
        words.append(expected)
    names, ids, unit = _candidate_rows(lm.name, tuple(words))
    table = embedding_table(lm)
    query = offset_vector([table[single_token_id(w, lm)] for w in positive],
                          [table[single_token_id(w, lm)] for w in negative])
    position = {w: j for j, w in enumerate(names)}
    exclude = [position[w] for w in inputs if w in position]
    top, sims, order = nearest(unit, query, exclude, k)
    rank = rank_of(order, position[expected]) if expected in position else None
    result = pd.DataFrame({"word": [names[j] for j in top], "cosine": sims})
    return AnalogyResult(result, rank, _note(expected, rank, len(order), added, lm), expected or "",
                         len(order))


def not_one_token(word: str, model=None) -> str | None:
    """Why `word` has no row of its own in the table (one pt-BR sentence), or None when the
    tokenizer writes it as one token: '“rainha” não é um token só no Gemma 3 270M (rain · ha)'."""
    lm = _lm(model)
    pieces = [p.replace("▁", "") for p in token_pieces(word, lm)]
    if len(pieces) == 1:
        return None
    return f"“{word}” não é um token só no {lm.display_name} ({' · '.join(pieces)}): sem vetor próprio na tabela"


def _note(expected: str | None, rank: int | None, n: int, added: bool, lm) -> str:
    from demos.ptbr import fmt_num
    if expected is None:
        return f"As mais próximas entre {fmt_num(n)} palavras portuguesas comuns que são um token só."
    if rank is None:
        why = not_one_token(expected, lm)
        if why:
            return f"{why}, não pode aparecer na lista."
        return f"“{expected}” não está entre as candidatas."
    where = "em 1º lugar" if rank == 1 else f"em {rank}º lugar"
    extra = " (incluída na lista para medir a posição)" if added else ""
    return f"“{expected}”{extra} ficou {where} entre {fmt_num(n)} palavras candidatas."
