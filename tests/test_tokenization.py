"""Tokenization against the tokenizers themselves; chips escaped and readable."""
import pandas as pd
import pytest

from demos import tokenization as tk
from demos import tokenization_charts as tkc

TEXTS = ["Eu gosto de programar em Python", "I like", "O Brasil é um país  tropical.\nFim"]


@pytest.mark.parametrize("text", TEXTS)
def test_ids_match_tokenizer_and_pieces_round_trip(gemma, smol, text):
    for lm in (gemma, smol):
        df = tk.tokenize(text, lm)
        ids = lm.tokenizer(text, add_special_tokens=False).input_ids
        assert df["token_id"].tolist() == ids
        assert df["position"].tolist() == list(range(len(ids)))
        assert df["token"].tolist() == lm.tokenizer.convert_ids_to_tokens(ids)
        assert lm.tokenizer.decode(ids) == text
        shown = "".join(df["display"]).replace("␣", " ").replace("↵", "\n")
        assert shown == text


def test_special_tokens_on_request(gemma):
    df = tk.tokenize("Eu gosto de", gemma, special=True)
    assert df["token_id"].tolist() == gemma.tokenizer("Eu gosto de").input_ids
    assert df["token"].iloc[0] == gemma.tokenizer.bos_token


def test_smollm2_splits_portuguese_more(gemma, smol):
    assert len(tk.tokenize("Eu gosto de", smol)) > len(tk.tokenize("Eu gosto de", gemma))


def test_token_cost_counts_tokens(gemma, smol):
    texts = {"português": "Eu gosto de programar.", "inglês": "I like programming."}
    cost = tk.token_cost(texts, [gemma, smol])
    assert len(cost) == 4
    for row in cost.itertuples():
        lm = gemma if row.model == gemma.display_name else smol
        assert row.tokens == len(lm.tokenizer(texts[row.label], add_special_tokens=False).input_ids)
    rows = tkc.token_cost_chart(cost).to_dict()["datasets"]
    assert sorted(r["tokens"] for v in rows.values() for r in v) == sorted(cost["tokens"])


def test_token_chips_escape_everything():
    df = pd.DataFrame({"position": [0, 1, 2], "token": ["<script>", "▁▁", "\"x\""],
                       "token_id": [9, 138, 7], "display": ["<script>", "␣␣", "\"x\""]})
    out = tkc.token_chips(df).html
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "␣␣" in out and "&quot;x&quot;" in out
    assert ">138<" in out and out.count('class="token-chip"') == 3


def test_chip_colours_meet_aa_contrast():
    assert tkc.contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    for bg, fg in tkc.chip_colors():
        assert tkc.contrast(bg, fg) >= 4.5


def test_colour_mixing_by_hand():
    from demos.style import mix, text_color, tint
    assert mix("#000000", "#FFFFFF", 0.5) == "#808080"          # 127.5 rounds to 128
    assert mix("#102030", "#304050", 0.25) == "#182838"          # 16 + 32/4 = 24 = 0x18
    assert tint("#000000", 0.72) == "#B8B8B8"                     # 0.72 × 255 = 183.6
    assert text_color("#000000") == "#FFFFFF" and text_color("#FFFFFF") != "#FFFFFF"
