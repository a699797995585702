"""Attention weights: shapes from the model config, softmax rows, causal mask, chart data."""
import json

import numpy as np
import pytest

from demos import attention as at
from demos import attention_charts as atc

SENTENCE = "O gato sentou no tapete"


@pytest.fixture(scope="module")
def att(gemma):
    return at.attention_maps(SENTENCE, gemma)


def test_shape_matches_config(gemma, att):
    cfg = gemma.model.config
    T = len(gemma.tokenizer(SENTENCE).input_ids)
    assert att.weights.shape == (cfg.num_hidden_layers, cfg.num_attention_heads, T, T)
    assert att.tokens[0] == gemma.tokenizer.bos_token and len(att.tokens) == T


def test_rows_are_distributions_and_causal(att, smol):
    for a in (att, at.attention_maps(SENTENCE, smol)):
        np.testing.assert_allclose(a.weights.sum(-1), 1.0, atol=1e-5)
        assert (a.weights >= 0).all()
        assert np.abs(np.triu(a.weights, k=1)).max() == 0.0


def test_long_sentence_is_refused(gemma):
    with pytest.raises(ValueError, match="at most 4"):
        at.attention_maps(SENTENCE + " e dormiu", gemma, max_tokens=4)


def test_interactive_chart_embeds_every_weight(att):
    spec = atc.attention_chart(att).to_dict()
    L, H, T, _ = att.weights.shape
    names = {p["name"]: p for p in spec["params"]}
    assert names["camada"]["bind"]["max"] == L and names["cabeca"]["bind"]["options"] == list(range(1, H + 1))
    rows = spec["data"]["values"] if "values" in spec.get("data", {}) else next(iter(spec["datasets"].values()))
    assert len(rows) == L * H * T
    r = next(r for r in rows if (r["l"], r["h"], r["q"]) == (3, 2, T - 1))
    np.testing.assert_allclose(r["w"], att.weights[2, 1, T - 1], atol=5e-4)


def test_mean_chart_averages_heads_and_names_the_sink(att):
    chart = atc.attention_mean_chart(att)  # default: the last layer
    spec = chart.to_dict()
    rows = next(iter(spec["datasets"].values()))
    mean = att.weights[-1].mean(axis=0)
    for r in rows:
        assert r["w"] == pytest.approx(mean[r["q"], r["k"]], abs=1e-6)
    assert len(rows) == len(att.tokens) * (len(att.tokens) + 1) // 2
    share = mean[1:, 0].mean()
    from demos.ptbr import fmt_pct
    assert fmt_pct(share, 0) in json.dumps(spec["title"], ensure_ascii=False)


def test_mean_chart_layer_is_one_based(att):
    rows = next(iter(atc.attention_mean_chart(att, layer=1).to_dict()["datasets"].values()))
    first = att.weights[0].mean(axis=0)
    assert all(r["w"] == pytest.approx(first[r["q"], r["k"]], abs=1e-6) for r in rows)
    with pytest.raises(ValueError, match="layer must be"):
        atc.attention_mean_chart(att, layer=att.layers + 1)


def test_bos_share_and_table_by_hand(att):
    layer = 2
    mean = att.weights[layer].mean(axis=0)
    T = len(att.tokens)
    assert at.bos_share(att, layer) == pytest.approx(np.mean([mean[q, 0] for q in range(1, T)]))
    table = at.attention_table(att, layer)
    assert len(table) == T * (T + 1) // 2 and (table["k"] <= table["q"]).all()
    for r in table.itertuples(index=False):
        assert r.w == pytest.approx(mean[r.q, r.k])
