"""Next-token probabilities and generation against torch computed here from the raw logits."""
import json

import numpy as np
import pytest
import torch

from demos import next_token as nt
from demos import next_token_charts as ntc
from demos.ptbr import fmt_pct

PROMPT = "Eu gosto de"


def torch_probs(lm, prompt, temperature=1.0):
    ids = torch.tensor([lm.tokenizer(prompt).input_ids])
    with torch.inference_mode():
        logits = lm.model(ids).logits[0, -1].double()
    return torch.softmax(logits / temperature, dim=-1), logits


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_probs_are_softmax_of_logits_over_full_vocab(gemma, temperature):
    expected, logits = torch_probs(gemma, PROMPT, temperature)
    df = nt.next_token_probs(PROMPT, k=10, temperature=temperature, model=gemma)
    top = torch.topk(expected, 10)
    assert list(df["token_id"]) == top.indices.tolist()
    np.testing.assert_allclose(df["prob"], top.values.numpy(), rtol=1e-4)  # float32 logits
    np.testing.assert_allclose(df["logit"], logits[top.indices].numpy(), rtol=1e-5)
    assert list(df["rank"]) == list(range(1, 11))
    assert df["prob"].sum() <= 1.0
    ids = gemma.tokenizer(PROMPT).input_ids  # each token is what it adds to the decoded text
    for token, i in zip(df["token"], df["token_id"]):
        assert gemma.tokenizer.decode(ids + [i]) == gemma.tokenizer.decode(ids) + token


def test_full_softmax_sums_to_one(smol):
    probs = nt.softmax(nt.last_logits("I like", smol))
    assert probs.shape == (len(smol.tokenizer),) and abs(probs.sum() - 1) < 1e-9


def test_temperature_keeps_argmax_and_raises_entropy(gemma):
    logits = nt.last_logits("O Brasil é um país", gemma)
    entropies = []
    for t in (0.3, 0.7, 1.0, 1.5, 2.0):
        p = nt.softmax(logits, t)
        assert p.argmax() == logits.argmax()
        entropies.append(-(p * np.log(p + 1e-300)).sum())
    assert all(a < b for a, b in zip(entropies, entropies[1:]))


@pytest.mark.parametrize("bad", [0, -1.0])
def test_temperature_must_be_positive(gemma, bad):
    with pytest.raises(ValueError, match="greedy"):
        nt.next_token_probs(PROMPT, temperature=bad, model=gemma)


def test_top_logits_are_the_largest(smol):
    _, logits = torch_probs(smol, "I like")
    df = nt.top_logits("I like", k=30, model=smol)
    top = torch.topk(logits, 30)
    assert list(df["token_id"]) == top.indices.tolist()
    np.testing.assert_allclose(df["logit"], top.values.numpy(), rtol=1e-5)


def test_greedy_steps_equal_argmax_decoding(gemma):
    prompt = "A capital de Pernambuco é"
    steps = nt.generate_steps(prompt, steps=4, strategy="greedy", model=gemma)
    ids = gemma.tokenizer(prompt).input_ids
    chosen = []
    for _ in range(4):
        with torch.inference_mode():
            logits = gemma.model(torch.tensor([ids])).logits[0, -1]
        ids.append(int(logits.argmax()))
        chosen.append(ids[-1])
    assert steps["token_id"].tolist() == chosen
    assert steps["text_so_far"].iloc[0] == prompt
    assert steps["text_so_far"].iloc[-1] + steps["token"].iloc[-1] == gemma.tokenizer.decode(ids[1:])
    for row in steps.itertuples():
        probs = [p for _, p in row.runners_up]
        assert len(probs) == 3 and probs == sorted(probs, reverse=True) and max(probs) <= row.prob


def test_seeded_sampling_is_reproducible(smol):
    a = nt.generate_steps("I like", steps=4, strategy="sample", temperature=1.2, seed=7, model=smol)
    b = nt.generate_steps("I like", steps=4, strategy="sample", temperature=1.2, seed=7, model=smol)
    assert a["token_id"].tolist() == b["token_id"].tolist()
    ids = smol.tokenizer("I like").input_ids
    for row in a.itertuples():  # prob is softmax(logits/T) of the sampled token at that step
        with torch.inference_mode():
            logits = smol.model(torch.tensor([ids])).logits[0, -1].double()
        p = torch.softmax(logits / 1.2, dim=-1)
        assert p[row.token_id].item() == pytest.approx(row.prob, rel=1e-4)
        assert smol.tokenizer.decode(ids) == row.text_so_far
        ids.append(row.token_id)


def datasets(chart):
    spec = chart.to_dict()
    return spec, [row for rows in spec["datasets"].values() for row in rows]


def test_next_token_chart_carries_the_probabilities(gemma):
    df = nt.next_token_probs(PROMPT, k=6, model=gemma)
    spec, rows = datasets(ntc.next_token_chart(df))
    assert sorted(r["prob"] for r in rows) == sorted(df["prob"])
    assert {r["label"] for r in rows} == {fmt_pct(p) for p in df["prob"]}
    assert all(r["shown"].startswith("␣") for r in rows if r["token"].startswith(" "))
    assert '"format": ".1%"' in json.dumps(spec)


def test_temperature_chart_renormalises_in_the_browser(gemma):
    import vl_convert as vlc
    tl = nt.top_logits(PROMPT, k=30, model=gemma)
    chart = ntc.temperature_chart(tl, show=10)
    spec, rows = datasets(chart)
    param = next(p for p in spec["params"] if p["name"] == "T")
    assert (param["bind"]["min"], param["bind"]["max"], param["value"]) == (0.1, 2.0, 1.0)
    assert sorted(r["logit"] for r in rows) == sorted(tl["logit"])
    svg = vlc.vegalite_to_svg(spec, format_locale="pt-BR")  # Vega evaluates the softmax at T=1
    expected = nt.softmax(tl["logit"].to_numpy(), 1.0)[:10]
    for p in expected:
        assert fmt_pct(p) in svg


def test_temperature_grid_panels_match_softmax(gemma):
    tl = nt.top_logits(PROMPT, k=30, model=gemma)
    table = ntc.temperature_table(tl, temps=(0.3, 2.0), show=5)
    for t in (0.3, 2.0):
        part = table[table["temperature"] == t]
        np.testing.assert_allclose(part["prob"], nt.softmax(tl["logit"].to_numpy(), t)[:5])
    assert ntc.temperature_grid(tl).to_dict()["facet"]["column"]["field"] == "panel"


def test_generation_table_escapes_tokens():
    import pandas as pd
    df = pd.DataFrame([{"step": 1, "text_so_far": "a <b>", "token": "<script>", "token_id": 1, "prob": 0.5,
                        "runners_up": [(" &x", 0.25), ("\n", 0.125)]}])
    out = ntc.generation_table(df).html
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and "a &lt;b&gt;" in out and "␣&amp;x" in out and "↵" in out
    assert "50,0%" in out and "12,5%" in out
