"""The pickled tokenizer of a converted model (demos.tokenizer_cache) is the tokenizer
from_pretrained builds: same ids, same text back, same special tokens; a damaged copy is
rebuilt, and folders the deck did not convert are never given one."""
from __future__ import annotations

import shutil

import pytest

from demos import tokenizer_cache
from demos.model_cache import cache_dir

TEXTS = ["Eu gosto de programar em Python", "  dois  espaços\n\ttab", "emoji 🙂, ç, ã, ü", "<bos> literal",
         "The capital of France is", "1.234,5 e 10%", ""]


def _copy(name: str, tmp_path):
    """A converted model's tokenizer files (no weights needed), in a folder of its own."""
    src = cache_dir(name)
    dest = tmp_path / name
    dest.mkdir()
    for name in ("tokenizer.json", "tokenizer_config.json", "config.json", tokenizer_cache.MARKER):
        if (src / name).exists():
            shutil.copy(src / name, dest / name)
    return dest


@pytest.fixture
def folder(tmp_path):
    return _copy("smollm2-135m", tmp_path)


@pytest.mark.parametrize("name", ["smollm2-135m", "gemma-3-270m"])
def test_the_pickled_tokenizer_is_the_built_one(name, tmp_path):
    from transformers import AutoTokenizer
    folder = _copy(name, tmp_path)
    built = AutoTokenizer.from_pretrained(str(folder))
    first = tokenizer_cache.load_tokenizer(folder)        # builds it and keeps a copy
    kept = tokenizer_cache.pickled_path(folder)
    assert kept.is_file()
    again = tokenizer_cache.load_tokenizer(folder)         # from the copy
    for tok in (first, again):
        for text in TEXTS:
            ids = built(text).input_ids
            assert tok(text).input_ids == ids
            assert tok.decode(ids) == built.decode(ids)
        assert (tok.bos_token_id, tok.eos_token_id, tok.pad_token_id) == \
            (built.bos_token_id, built.eos_token_id, built.pad_token_id)
        assert len(tok) == len(built)


def test_a_damaged_copy_is_rebuilt(folder):
    kept = tokenizer_cache.pickled_path(folder)
    kept.write_bytes(b"not a pickle")
    tok = tokenizer_cache.load_tokenizer(folder)
    assert tok("Eu gosto").input_ids
    assert kept.read_bytes() != b"not a pickle"


def test_only_converted_folders_get_a_copy(folder):
    (folder / tokenizer_cache.MARKER).unlink()
    assert tokenizer_cache.pickled_path(folder) is None
    tokenizer_cache.load_tokenizer(folder)
    assert not list(folder.glob("tokenizer-*.pickle"))


@pytest.mark.parametrize("name", ["smollm2-135m", "gemma-3-270m"])
def test_the_copy_stores_bpe_as_parts_and_reads_back_the_same_rust_tokenizer(name, tmp_path):
    import pickle
    folder = _copy(name, tmp_path)
    built = tokenizer_cache.load_tokenizer(folder)
    data = tokenizer_cache.pickled_path(folder).read_bytes()
    assert b"rebuild_bpe" in data                          # the fast form, not the JSON
    again = pickle.loads(data)
    assert again.backend_tokenizer.to_str() == built.backend_tokenizer.to_str()
    assert again.get_vocab() == built.get_vocab()


def test_a_copy_that_would_read_back_differently_is_kept_plain(folder, monkeypatch):
    real = tokenizer_cache.bpe_parts

    def lossy(backend):                                    # drops the added tokens
        skeleton, vocab, merges, options, added = real(backend)
        return skeleton, vocab, merges, options, []

    monkeypatch.setattr(tokenizer_cache, "bpe_parts", lossy)
    tok = tokenizer_cache.load_tokenizer(folder)
    data = tokenizer_cache.pickled_path(folder).read_bytes()
    assert b"rebuild_bpe" not in data
    assert tokenizer_cache.load_tokenizer(folder)("Eu gosto").input_ids == tok("Eu gosto").input_ids


def test_copies_from_other_versions_are_removed(folder):
    old = folder / "tokenizer-0.0.1-0.0.1.pickle"
    old.write_bytes(b"old")
    tokenizer_cache.load_tokenizer(folder)
    assert not old.exists()
    assert tokenizer_cache.pickled_path(folder).is_file()


def test_loading_pauses_the_collector_and_restores_it():
    import gc

    from demos.models import collector_paused
    for before in (True, False):
        (gc.enable if before else gc.disable)()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is before
    gc.enable()
