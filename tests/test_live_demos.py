"""The live demos give what the slide cells give: each result is compared with the demos
functions called here (or an independent count), hostile text stays escaped, every bad input is
one pt-BR line naming its field, and the declared caps are what the demos enforce."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from demos import live_demos as ld
from demos.live_output import group, output_payload
from demos.live_params import Choice, Float, Int, LiveInputError, Text, parse_params
from demos.print_alternative import USERMETA_KEY

REG = ld.registry()
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "olá 😀🇧🇷 \"aspas\" & 'x'"]


def call(name: str, **body) -> ld.LiveResult:
    demo = REG[name]
    return demo.run(**parse_params(demo.params, body))


def rows_with(spec: dict, column: str) -> list[dict]:
    """The one inline dataset of a Vega-Lite spec (top-level `datasets` or `data.values`)
    whose rows have `column`."""
    tables = [*spec.get("datasets", {}).values(), (spec.get("data") or {}).get("values") or []]
    found = [rows for rows in tables if rows and column in rows[0]]
    assert len(found) == 1, f"{len(found)} datasets with {column!r}"
    return found[0]


# ---- parameters (no model) ----------------------------------------------------------------

@pytest.mark.parametrize("param,good,bad", [
    (Int(1, 64, "n"), [1, 64], [0, 65, True, 2.5, "3", None]),
    (Float(0.1, 2.0, "t"), [0.1, 1, 2.0], [0.0, 2.01, math.nan, math.inf, "1", False]),
    (Choice(("greedy", "sample"), "s"), ["greedy", "sample"], ["Greedy", "", 1]),
    (Text(5, "x"), ["a", "😀😀", "  a  "], ["", "   ", "abcdef", 5, "a\x00", "a\x1b[2J", "\ud800"]),
    (Text(10, "w", word=True), ["rei", " rei "], ["dois reis", "a\tb"]),
])
def test_each_parameter_kind_accepts_and_refuses(param, good, bad):
    for value in good:
        assert param.parse(value, "f") == (value.strip() if getattr(param, "word", False) else value)
    for value in bad:
        with pytest.raises(LiveInputError) as err:
            param.parse(value, "f")
        assert err.value.field == "f" and "\n" not in str(err.value) and str(err.value)


def test_parse_params_defaults_unknown_and_missing():
    declared = {"a": Text(5, "a"), "n": Int(1, 9, "n", default=3), "e": Text(5, "e", default=None)}
    assert parse_params(declared, {"a": "x"}) == {"a": "x", "n": 3, "e": None}
    assert parse_params(declared, {"a": "x", "e": ""}) == {"a": "x", "n": 3, "e": None}
    for body, field in [({"n": 2}, "a"), ({"a": "x", "zz": 1}, "zz")]:
        with pytest.raises(LiveInputError) as err:
            parse_params(declared, body)
        assert err.value.field == field
    with pytest.raises(LiveInputError):
        parse_params(declared, ["a"])


def test_every_demo_declares_caps_the_status_can_show():
    described = {name: d.describe() for name, d in REG.items()}
    json.dumps(described)                                   # plain JSON
    assert set(described) == {"next-token", "temperature", "generation", "tokenization", "attention",
                              "analogy-glove", "analogy-gemma", "this-computer", "toy-network"}
    from demos.attention import MAX_TOKENS
    assert described["attention"]["params"]["sentence"]["max_tokens"] == MAX_TOKENS
    assert described["toy-network"]["params"]["hidden"] == {"type": "int", "label": "neurônios",
                                                             "min": 1, "max": 64, "default": 16}
    for d in described.values():
        for p in d["params"].values():
            assert p["type"] != "text" or p["max_chars"] <= 300


def test_output_payload_kinds():
    """The HTML display objects of the demos become their HTML; charts their Vega-Lite spec."""
    import pandas as pd
    from demos.next_token_charts import next_token_chart
    from demos.tokenization_charts import token_chips
    chips = token_chips(pd.DataFrame({"position": [0], "token": ["<b>"], "token_id": [7], "display": ["<b>"]}))
    payload = output_payload(chips)
    assert payload["kind"] == "html" and "&lt;b&gt;" in payload["html"] and "<b>" not in payload["html"]
    chart = next_token_chart(pd.DataFrame({"rank": [1], "token": ["x"], "token_id": [1], "logit": [2.0],
                                           "prob": [0.5]}))
    spec = output_payload(chart)["spec"]
    assert spec["config"]["locale"]["number"]["decimal"] == ","       # the deck theme is active
    with pytest.raises(TypeError):
        output_payload(object())
    assert group([("a", "A", chips)]) == {"kind": "group", "items": [{"name": "a", "label": "A", **payload}]}


# ---- the language-model demos ---------------------------------------------------------------

@pytest.mark.parametrize("prompt", ["Minha comida favorita é", *HOSTILE])
def test_next_token_is_next_token_probs(gemma, prompt):
    from demos.next_token import next_token_probs
    res = call("next-token", prompt=prompt)
    assert res.output["kind"] == "vega"
    rows = rows_with(res.output["spec"], "prob")
    expected = next_token_probs(prompt, k=10, model=gemma)
    assert [r["token_id"] for r in rows] == expected["token_id"].tolist()
    np.testing.assert_allclose([r["prob"] for r in rows], expected["prob"], rtol=1e-9)
    assert res.meta["prompt_tokens"] == len(gemma.tokenizer(prompt).input_ids)


def test_temperature_carries_the_top_30_logits_and_its_slider(gemma):
    from demos.next_token import top_logits
    res = call("temperature", prompt="O melhor lugar do mundo é")
    spec = res.output["spec"]
    rows = rows_with(spec, "logit")
    expected = top_logits("O melhor lugar do mundo é", k=30, model=gemma)
    assert [r["token_id"] for r in rows] == expected["token_id"].tolist()
    assert any(p.get("name") == "T" for p in spec.get("params", []))
    assert USERMETA_KEY not in json.dumps(spec)             # the print alternative stays out


def test_a_prompt_over_the_token_cap_is_refused(gemma):
    prompt = "a " * 90                                       # under 200 characters, over 64 tokens
    assert len(gemma.tokenizer(prompt).input_ids) > ld.PROMPT_TOKENS
    with pytest.raises(LiveInputError, match=r"tokens .* o máximo aqui é 64") as err:
        call("next-token", prompt=prompt)
    assert err.value.field == "prompt"


@pytest.mark.parametrize("strategy", ["greedy", "sample"])
def test_generation_step_n_plus_1_extends_step_n_with_one_forward_pass(gemma, monkeypatch, strategy):
    from demos.next_token import generate_steps
    from demos.next_token_charts import generation_table
    prompt, kw = "No sertão, a chuva", {"strategy": strategy, "temperature": 0.8, "seed": 7}
    three = call("generation", prompt=prompt, steps=3, **kw)
    expected = generation_table(generate_steps(prompt, steps=3, model=gemma, **kw))
    assert three.output == output_payload(expected)
    forward = gemma.model.forward
    calls = []
    monkeypatch.setattr(gemma.model, "forward", lambda *a, **k: calls.append(1) or forward(*a, **k))
    four = call("generation", prompt=prompt, steps=4, **kw)
    assert len(calls) == 1
    assert four.output["html"].count("<tr>") == 4 + 1 and four.meta["steps"] == 4
    body3 = three.output["html"].split("</tbody>")[0]
    assert four.output["html"].startswith(body3)            # the same first three rows


def test_generation_escapes_a_hostile_prompt(gemma):
    res = call("generation", prompt=HOSTILE[0], steps=2)
    html = res.output["html"]
    assert "<script" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("text", ["Quem parte e reparte fica com a maior parte", *HOSTILE])
def test_tokenization_is_token_chips_of_both_models(gemma, smol, text):
    from demos.tokenization import default_models, tokenize
    from demos.tokenization_charts import token_chips
    res = call("tokenization", text=text)
    names = default_models()
    assert [i["name"] for i in res.output["items"]] == names == ["gemma-3-270m", "smollm2-135m"]
    for item, name, count in zip(res.output["items"], names, res.meta["models"]):
        df = tokenize(text, model=name)
        assert item["html"] == output_payload(token_chips(df))["html"]
        assert count["tokens"] == len(df) and f"{len(df)} tokens" in item["label"]
        assert "<script" not in item["html"] and "<img" not in item["html"]


def test_tokenization_caps_the_tokens_of_either_model(smol):
    text = "😀" * 100                                         # 100 characters, bytes in SmolLM2
    assert len(smol.tokenizer(text, add_special_tokens=False).input_ids) > ld.TEXT_TOKENS
    with pytest.raises(LiveInputError, match="SmolLM2"):
        call("tokenization", text=text)


def test_attention_is_attention_maps_and_capped(gemma):
    from demos.attention import MAX_TOKENS, attention_maps
    sentence = "A menina <b>viu</b> o gato"
    res = call("attention", sentence=sentence)
    att = attention_maps(sentence, model=gemma)
    rows = rows_with(res.output["spec"], "w")
    assert len(rows) == att.layers * att.heads * len(att.tokens)
    last = next(r for r in rows if (r["l"], r["h"], r["q"]) == (att.layers, 2, len(att.tokens) - 1))
    np.testing.assert_allclose(last["w"], att.weights[-1, 1, -1], atol=5e-4)
    assert res.meta == {"model": att.model, "tokens": len(att.tokens), "max_tokens": MAX_TOKENS,
                        "layers": att.layers, "heads": att.heads}
    words = "um dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze".split()
    long = next(" ".join(words[:n]) for n in range(1, len(words) + 1)
                if len(gemma.tokenizer(" ".join(words[:n])).input_ids) > MAX_TOKENS)
    with pytest.raises(LiveInputError, match=f"o máximo aqui é {MAX_TOKENS}"):
        call("attention", sentence=long)


# ---- analogies ------------------------------------------------------------------------------

def test_glove_analogy_is_analogy_a_minus_b_plus_c():
    from demos.embeddings import analogy
    res = call("analogy-glove", a="Paris", b="France", c="Italy", k=4)
    rows = rows_with(res.output["spec"], "cosine")
    expected = analogy(["paris", "italy"], ["france"], k=4)
    assert [r["word"] for r in rows] == expected["word"].tolist()
    np.testing.assert_allclose([r["cosine"] for r in rows], expected["cosine"])
    assert res.meta["words"] == {"a": "paris", "b": "france", "c": "italy"}


@pytest.mark.parametrize("field,word", [("a", "xyzzyqq"), ("c", "<script>")])
def test_glove_says_which_word_it_does_not_know(field, word):
    body = {"a": "king", "b": "man", "c": "woman", field: word}
    with pytest.raises(LiveInputError, match="não está no vocabulário do GloVe") as err:
        call("analogy-glove", **body)
    assert err.value.field == field and word.lower() in str(err.value)


def test_gemma_analogy_without_and_with_expected(gemma):
    from demos.embeddings_gemma import gemma_analogy
    res = call("analogy-gemma", a="pai", b="homem", c="mulher")
    expected = gemma_analogy(["pai", "mulher"], ["homem"], k=6)
    assert [r["word"] for r in rows_with(res.output["spec"], "cosine")] == expected.table["word"].tolist()
    assert res.meta["expected_rank"] is None and "palavras portuguesas comuns" in res.meta["note"]
    assert res.meta["model"] == gemma.display_name                   # the stamp names the model
    ranked = call("analogy-gemma", a="irmão", b="homem", c="mulher", expected="irmã")
    ref = gemma_analogy(["irmão", "mulher"], ["homem"], expected="irmã", k=6)
    assert ranked.meta["expected_rank"] == ref.expected_rank and ranked.meta["note"] == ref.note


def test_gemma_says_a_word_is_not_one_token(gemma):
    with pytest.raises(LiveInputError, match="não é um token só") as err:
        call("analogy-gemma", a="rei", b="homem", c="rainha")
    pieces = [gemma.tokenizer.convert_ids_to_tokens(i).replace("▁", "")
              for i in gemma.tokenizer("rainha", add_special_tokens=False).input_ids]
    assert len(pieces) > 1
    assert err.value.field == "c" and f"({' · '.join(pieces)})" in str(err.value)


# ---- compute and the toy network --------------------------------------------------------------

def test_this_computer_uses_the_measured_rate():
    from demos.compute_scale import model_compute
    from demos.ptbr import SECONDS_PER_YEAR
    res = call("this-computer")
    measured = res.meta["flops"]
    assert 1e8 < measured < 1e14
    rows = rows_with(res.output["spec"], "years")
    mine = [r for r in rows if r["rate_label"].startswith("este computador")]
    flops = model_compute().set_index("model").at["GPT-3.5", "flops"]
    assert len(mine) == 1 and mine[0]["years"] == pytest.approx(flops / measured / SECONDS_PER_YEAR)
    assert {r["model"] for r in rows} == {"GPT-3.5"}


def test_toy_network_retrains_with_the_chosen_width():
    from demos.neural_net import train_toy_mlp
    res = call("toy-network", hidden=5)
    ref = train_toy_mlp(seed=0, epochs=ld.TOY_EPOCHS, hidden=5, snapshot_epochs=ld.SNAPSHOT_EPOCHS)
    assert [i["name"] for i in res.output["items"]] == ["boundary"]     # the one view a slide shows
    assert res.meta["accuracy"] == ref.accuracy and res.meta["hidden"] == 5
    assert res.meta["snapshot_epochs"] == [*ld.SNAPSHOT_EPOCHS, ld.TOY_EPOCHS]
    assert res.meta["final_loss"] == pytest.approx(float(ref.loss["loss"].iloc[-1]))
    boundary = res.output["items"][0]["spec"]       # one frame per recorded epoch, played by a slider
    frames = rows_with(boundary, "p")
    assert sorted({r["e"] for r in frames}) == res.meta["snapshot_epochs"]
    last = ref.snapshots[ref.snapshots["epoch"] == ld.TOY_EPOCHS]
    np.testing.assert_allclose(sorted(r["p"] for r in frames if r["e"] == ld.TOY_EPOCHS),
                               sorted(last["p"].round(2)), atol=1e-9)
    [slider] = [p for p in boundary["params"] if p.get("bind")]
    assert slider["name"] == "epoca" and slider["bind"]["max"] == ld.TOY_EPOCHS
    with pytest.raises(LiveInputError):
        call("toy-network", hidden=ld.MAX_HIDDEN + 1)


def test_warm_up_requests_are_valid_for_their_demos():
    for name, body in ld.warm_up_requests():
        parse_params(REG[name].params, body)
