"""The toy MLP really learns: loss falls, accuracy is high, results repeat with the seed,
and the reported numbers agree with an independent recomputation."""
from functools import lru_cache

import numpy as np
import pytest

from demos import neural_net as nn


@lru_cache(maxsize=None)
def trained(seed=0):
    return nn.train_toy_mlp(seed=seed, epochs=300)


def test_loss_falls_substantially_and_accuracy_is_high():
    t = trained()
    loss = t.loss["loss"].to_numpy()
    assert list(t.loss.columns) == ["epoch", "loss"]
    assert len(loss) == 301 and t.loss["epoch"].iloc[-1] == 300
    assert loss[0] == pytest.approx(np.log(2), abs=0.1)   # untrained: a coin flip
    assert loss[-1] < 0.25 * loss[0]
    assert t.accuracy > 0.9


def test_accuracy_matches_grid_free_recount():
    """Recompute accuracy from the final grid: nearest grid cell of each point."""
    t = trained()
    g = t.grid
    xs, ys = np.unique(g["x"]), np.unique(g["y"])
    p = g.set_index(["x", "y"])["p"]
    right = 0
    for x, y, label in t.points[["x", "y", "label"]].itertuples(index=False):
        gx, gy = xs[np.abs(xs - x).argmin()], ys[np.abs(ys - y).argmin()]
        right += int((p[(gx, gy)] > 0.5) == bool(label))
    assert right / len(t.points) == pytest.approx(t.accuracy, abs=0.05)  # grid cells are coarse


def test_deterministic_with_seed():
    a = nn.train_toy_mlp(seed=0, epochs=40)
    b = nn.train_toy_mlp(seed=0, epochs=40)
    c = nn.train_toy_mlp(seed=1, epochs=40)
    assert a.loss.equals(b.loss) and a.grid.equals(b.grid) and a.points.equals(b.points)
    assert not a.loss.equals(c.loss)


def test_global_torch_state_untouched():
    import torch
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    nn.train_toy_mlp(seed=0, epochs=5)
    assert torch.equal(torch.rand(3), expected)
    assert torch.get_num_threads() == threads


def test_two_moons_shape_and_labels():
    pts = nn.two_moons(101, seed=4)
    assert list(pts.columns) == ["x", "y", "label"]
    assert len(pts) == 101 and set(pts["label"]) == {0, 1}
    assert pts[pts.label == 0]["y"].mean() > pts[pts.label == 1]["y"].mean()  # A on top


def test_grid_and_snapshots():
    t = trained()
    assert list(t.grid.columns) == ["x", "y", "p"]
    assert t.grid["p"].between(0, 1).all()
    assert sorted(t.snapshots["epoch"].unique()) == [0, 25, 75, 300]
    with pytest.raises(ValueError, match="at least 1 epoch"):
        nn.train_toy_mlp(epochs=0)


def test_charts_build():
    from demos import neural_net_charts as ch
    t = trained()
    assert ch.loss_chart(t).to_dict()["mark"]["type"] == "line"
    assert "layer" in ch.boundary_chart(t).to_dict()
    assert len(ch.boundary_steps_chart(t).to_dict()["hconcat"]) == 4
