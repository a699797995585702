"""GloVe demos against independent numpy calculations (brute-force cosine search, by-hand
offsets, eigen-decomposition instead of SVD)."""
import numpy as np
import pytest

from demos import embeddings as emb


@pytest.fixture(scope="module")
def wv():
    return emb.glove()


def brute_force(wv, positive, negative, k):
    """Every word's cosine with sum(positive/|.|) − sum(negative/|.|), by a plain loop over
    the inputs and one full-matrix division; inputs removed; best first."""
    target = np.zeros(wv.vectors.shape[1], dtype=np.float64)
    for w, sign in [(w, 1) for w in positive] + [(w, -1) for w in negative]:
        v = wv.vectors[wv.words.index(w)].astype(np.float64)
        target += sign * v / np.sqrt(np.sum(v * v))
    m = wv.vectors.astype(np.float64)
    cos = (m @ target) / (np.sqrt(np.sum(m * m, axis=1)) * np.sqrt(np.sum(target * target)))
    banned = {wv.words.index(w) for w in positive + negative}
    order = [i for i in np.argsort(-cos) if i not in banned]
    return [wv.words[i] for i in order[:k]], cos[order[:k]], order


def test_glove_shape_and_index(wv):
    assert wv.vectors.shape == (400_000, 50)
    assert len(wv.words) == len(wv.index) == 400_000
    for w in ["the", "king", "mussolini"]:
        assert wv.words[wv.index[w]] == w
    assert np.allclose(np.linalg.norm(wv.unit[:1000], axis=1), 1, atol=1e-5)
    assert emb.glove() is wv  # cached once per process


@pytest.mark.parametrize("positive,negative", [
    (["king", "woman"], ["man"]),
    (["paris", "italy"], ["france"]),
    (["hitler", "italy"], ["germany"]),
    (["uncle", "woman"], ["man"]),
])
def test_analogy_matches_brute_force(wv, positive, negative):
    words, cos, _ = brute_force(wv, positive, negative, 8)
    got = emb.analogy(positive, negative, k=8)
    assert list(got.columns) == ["word", "cosine"]
    assert got["word"].tolist() == words
    assert np.allclose(got["cosine"], cos, atol=1e-5)
    assert not set(got["word"]) & set(positive + negative)


def test_slide_analogies(wv):
    assert emb.analogy(["king", "woman"], ["man"], k=1)["word"][0] == "queen"
    assert emb.analogy(["paris", "italy"], ["france"], k=1)["word"][0] == "rome"
    assert emb.analogy(["hitler", "italy"], ["germany"], k=1)["word"][0] == "mussolini"


def test_analogy_rank_matches_brute_force(wv):
    _, _, order = brute_force(wv, ["uncle", "woman"], ["man"], 1)
    expected = order.index(wv.words.index("aunt")) + 1
    assert emb.analogy_rank(["uncle", "woman"], ["man"], "aunt") == expected
    assert emb.analogy_rank(["king", "woman"], ["man"], "queen") == 1


def test_offset_cosine_by_hand(wv):
    e = {w: wv.vectors[wv.words.index(w)].astype(np.float64) for w in ["aunt", "uncle", "woman", "man"]}
    u, v = e["aunt"] - e["uncle"], e["woman"] - e["man"]
    by_hand = sum(u * v) / (np.sqrt(sum(u * u)) * np.sqrt(sum(v * v)))
    assert emb.offset_cosine("aunt", "uncle", "woman", "man") == pytest.approx(by_hand, abs=1e-6)
    # an offset with itself is 1, reversed is −1
    assert emb.offset_cosine("aunt", "uncle", "aunt", "uncle") == pytest.approx(1, abs=1e-6)
    assert emb.offset_cosine("aunt", "uncle", "uncle", "aunt") == pytest.approx(-1, abs=1e-6)


def test_word_vector_is_a_copy(wv):
    v = emb.word_vector("king")
    assert np.array_equal(v, wv.vectors[wv.words.index("king")])
    v[:] = 0
    assert emb.word_vector("king").any()


def test_unknown_word_has_clear_error():
    with pytest.raises(KeyError, match="not in the vocabulary"):
        emb.analogy(["xqzzyglorp"], [])


WORDS = ["king", "queen", "man", "woman", "paris", "rome", "france", "italy"]


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_project_matches_eigendecomposition(wv, dims):
    df = emb.project(WORDS, dims)
    assert list(df.columns) == ["word", *"xyz"[:dims]]
    m = np.stack([wv.vectors[wv.words.index(w)] for w in WORDS]).astype(np.float64)
    c = m - m.mean(axis=0)
    evals, evecs = np.linalg.eigh(c.T @ c)               # ascending
    evals, evecs = evals[::-1], evecs[:, ::-1]
    share = evals / evals.sum()
    ev = df.attrs["explained_variance"]
    assert np.allclose(ev, share[:dims], atol=1e-6)
    assert all(a >= b for a, b in zip(ev, ev[1:]))        # descending
    for k, col in enumerate("xyz"[:dims]):                # same axis up to sign
        ref = c @ evecs[:, k]
        assert min(np.abs(df[col] - ref).max(), np.abs(df[col] + ref).max()) < 1e-4


def test_project_reconstructs_when_no_variance_is_lost(wv):
    words = ["king", "queen", "man", "woman"]              # 4 centered points span 3 dims
    df = emb.project(words, 3)
    assert df.attrs["total_explained"] == pytest.approx(1, abs=1e-9)
    back = df[["x", "y", "z"]].to_numpy() @ np.array(df.attrs["components"]) + np.array(df.attrs["mean"])
    assert np.allclose(back, [wv.vectors[wv.words.index(w)] for w in words], atol=1e-4)


def test_project_rejects_bad_dims():
    with pytest.raises(ValueError, match="dims must be 1, 2 or 3"):
        emb.project(WORDS, 4)


def test_vector_widths(wv):
    df = emb.vector_widths()
    assert list(df.columns) == ["model", "dims", "source"]
    widths = dict(zip(df["model"], df["dims"]))
    assert widths["GloVe 6B (dos exemplos)"] == wv.vectors.shape[1]
    assert widths["GPT-3 175B"] == 12288 and widths["GPT-2 Large"] == 1280
    assert widths["Gemma 3 270M"] == 640 and widths["SmolLM2-135M"] == 576
    assert df["source"].str.strip().str.len().gt(0).all()


def test_charts_build():
    from demos import embedding_charts as ch
    for d in (1, 2, 3):
        spec = ch.projection_chart(emb.project(WORDS, d)).to_dict()
        assert "layer" in spec
    ch.analogy_chart(emb.analogy(["king", "woman"], ["man"]), highlight="queen").to_dict()
    strip = ch.vector_strip("king", emb.word_vector("king")).to_dict()
    (cells,) = strip["datasets"].values()
    assert len(cells) == 50
    v = emb.word_vector("king")
    assert cells[0]["label"] == f"{v[0]:.2f}".replace(".", ",").replace("-", "−")
    ch.widths_chart(emb.vector_widths()).to_dict()


def test_3d_view_turns_by_slider_and_by_dragging():
    from demos.embedding_3d import DRAG_KEY, STEP, rotatable_3d
    from demos.print_alternative import static_spec
    spec = rotatable_3d(emb.project(WORDS, 3)).to_dict()
    [giro] = [p for p in spec["params"] if p["name"] == "giro"]
    assert giro["bind"]["input"] == "range" and giro["bind"]["step"] == STEP
    assert spec["usermeta"][DRAG_KEY]["signal"] == "giro"          # charts.js turns it on drag
    assert static_spec(spec) is not None                            # printed as one fixed view


def test_3d_layout_turns_the_points_as_a_rotation_would():
    """Each angle's screen x of a word is x·cos(a) + z·sin(a): a turn about the vertical axis."""
    from demos.embedding_3d import view_layout
    df = emb.project(WORDS, 3)
    layout = view_layout(df, 500, 400)
    pts = layout["points"]
    for angle in (0, 45, 90, 215):
        a = np.radians(angle)
        at = pts[pts["angle"] == angle].set_index("word").loc[df["word"]]
        np.testing.assert_allclose(at["sx"], df["x"] * np.cos(a) + df["z"] * np.sin(a), atol=2e-3)
    assert set(layout["labels"]["word"]) <= set(WORDS)
    assert layout["labels"].groupby("angle").size().min() >= len(WORDS) // 2   # most stay labelled


def test_3d_labels_of_odd_words_stay_text():
    import pandas as pd
    from demos.embedding_3d import rotatable_3d
    df = pd.DataFrame({"word": ["</script><b>x", "a&b"], "x": [1.0, 2.0], "y": [0.0, 1.0], "z": [1.0, 0.0]})
    spec = rotatable_3d(df, title="<i>t</i>").to_dict()
    words = {r["word"] for rows in spec["datasets"].values() for r in rows if "word" in r}
    assert words == {"</script><b>x", "a&b"}                      # data, never markup


def test_labels_are_placed_clear_of_each_other_or_fall_back():
    from demos.label_layout import _boxes_overlap, label_box, place_labels
    px, py = np.array([100.0, 104.0, 300.0]), np.array([100.0, 102.0, 100.0])   # two nearly on top
    words = ["rainha", "rei", "paris"]
    sides = place_labels(px, py, words, 24)
    boxes = [label_box(x, y, w, s, 24) for x, y, w, s in zip(px, py, words, sides)]
    assert all(not _boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    crowded = place_labels(np.zeros(6), np.zeros(6), ["abc"] * 6, 24)          # no room for all
    assert None in crowded
    assert None not in place_labels(np.zeros(6), np.zeros(6), ["abc"] * 6, 24, fallback="right")


def test_3d_printed_view_holds_one_angle_laid_out_for_its_own_height():
    from demos.embedding_3d import at_angle, best_angle, view_layout
    df = emb.project(WORDS, 3)
    layout = view_layout(df, 500, 400)
    one = at_angle(layout, None)
    assert one["angle"] == best_angle(layout)
    assert set(one["points"]["angle"]) == {one["angle"]} and len(one["points"]) == len(WORDS)
