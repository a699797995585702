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
    page = ch.projection_3d_html(emb.project(WORDS, 3)).html
    assert "<svg" in page and "<script src" not in page and "king" in page
    fig = ch.projection_3d_figure(emb.project(WORDS, 3))
    assert len(fig.axes) == 1
    ch.analogy_chart(emb.analogy(["king", "woman"], ["man"]), highlight="queen").to_dict()
    strip = ch.vector_strip("king", emb.word_vector("king")).to_dict()
    (cells,) = strip["datasets"].values()
    assert len(cells) == 50
    v = emb.word_vector("king")
    assert cells[0]["label"] == f"{v[0]:.2f}".replace(".", ",").replace("-", "−")
    ch.widths_chart(emb.vector_widths()).to_dict()


def test_3d_html_is_safe_with_odd_words():
    import pandas as pd
    from demos.embedding_charts import projection_3d_html
    df = pd.DataFrame({"word": ["</script><b>x", "a&b"], "x": [1.0, 2.0], "y": [0.0, 1.0], "z": [1.0, 0.0]})
    page = projection_3d_html(df, title="<i>t</i>").html
    assert page.count("</script>") == 1 and "<i>" not in page


def test_3d_html_rotates_when_dragged(tmp_path):
    """The inline JS runs without errors in Chromium, and dragging moves the words."""
    import os
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("chromium is not installed (make setup)")
    from demos.embedding_charts import projection_3d_html
    page_file = tmp_path / "p3.html"
    page_file.write_text("<html><body>" + projection_3d_html(emb.project(WORDS, 3)).html + "</body></html>",
                         encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        xs = "svg => [...svg.querySelectorAll('text')].map(t => t.textContent + '@' + t.getAttribute('x'))"
        page.mouse.move(1, 1)
        box = page.locator("svg").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(cx, cy)
        page.mouse.down()                     # stops the automatic turn
        before = page.eval_on_selector("svg", xs)
        page.mouse.move(cx + 150, cy + 40, steps=6)
        page.mouse.up()
        after = page.eval_on_selector("svg", xs)
        words = sorted(t.split("@")[0] for t in after)
        browser.close()
    assert errors == []
    assert words == sorted(WORDS)
    assert before != after
