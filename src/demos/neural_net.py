"""A neural network learning, small enough to train live: a 2→16→16→1 MLP (torch, CPU)
learns to separate two interleaved "moons" of points by backpropagation in about a second.

Returns plain data: the loss per epoch, the predicted probability on a grid (the decision
boundary) at the end and at a few earlier epochs, the points and the final accuracy."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


SNAPSHOT_STEPS = 24   # lattice of the recorded boundaries (the animation): small enough to send live


@dataclass(frozen=True)
class ToyTraining:
    loss: pd.DataFrame        # [epoch, loss]  (binary cross-entropy on the training points)
    grid: pd.DataFrame        # [x, y, p]      p = P(class 1) after the last epoch
    points: pd.DataFrame      # [x, y, label]
    accuracy: float           # share of training points classified right at the end
    snapshots: pd.DataFrame   # [epoch, x, y, p] the grid at a few epochs (learning in steps)


def two_moons(n: int = 300, noise: float = 0.2, seed: int = 0) -> pd.DataFrame:
    """Two interleaved half circles (label 0 on top, 1 below), seeded. DataFrame[x, y, label]."""
    rng = np.random.default_rng(seed)
    n0 = n // 2
    t0, t1 = rng.uniform(0, np.pi, n0), rng.uniform(0, np.pi, n - n0)
    top = np.c_[np.cos(t0), np.sin(t0)]
    bottom = np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]
    xy = np.r_[top, bottom] + rng.normal(0, noise, (n, 2))
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "label": np.r_[np.zeros(n0, int), np.ones(n - n0, int)]})


def _mlp(hidden: int):
    import torch.nn as nn
    return nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                         nn.Linear(hidden, 1))


def _grid(points: pd.DataFrame, steps: int) -> np.ndarray:
    """A steps×steps lattice covering the points with a margin: (steps², 2)."""
    pad = 0.4
    xs = np.linspace(points["x"].min() - pad, points["x"].max() + pad, steps)
    ys = np.linspace(points["y"].min() - pad, points["y"].max() + pad, steps)
    gx, gy = np.meshgrid(xs, ys)
    return np.c_[gx.ravel(), gy.ravel()]


def train_toy_mlp(seed: int = 0, epochs: int = 300, hidden: int = 16, lr: float = 0.01,
                  n_points: int = 300, grid_steps: int = 50,
                  snapshot_epochs: tuple[int, ...] = (0, 25, 75)) -> ToyTraining:
    """Train the MLP full-batch with Adam on two_moons(seed) for `epochs` epochs.
    Deterministic for a given seed (its own torch generator; global RNG state untouched)."""
    import torch
    if epochs < 1:
        raise ValueError(f"train_toy_mlp(epochs={epochs}): need at least 1 epoch")
    points = two_moons(n_points, seed=seed)
    lattice, snap_grid = _grid(points, grid_steps), _grid(points, SNAPSHOT_STEPS)

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = _mlp(hidden)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: one thread is ~10x faster than several
    try:
        return _fit(net, points, epochs, lr, lattice, snap_grid, snapshot_epochs)
    finally:
        torch.set_num_threads(threads)


def _fit(net, points, epochs, lr, lattice, snap_grid, snapshot_epochs) -> ToyTraining:
    import torch
    x = torch.tensor(points[["x", "y"]].to_numpy(), dtype=torch.float32)
    target = torch.tensor(points["label"].to_numpy(), dtype=torch.float32)[:, None]
    grid_t = torch.tensor(lattice, dtype=torch.float32)
    snap_t = torch.tensor(snap_grid, dtype=torch.float32)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    losses, snaps = [], []
    wanted = {e for e in snapshot_epochs if 0 <= e < epochs}
    for epoch in range(epochs + 1):
        if epoch in wanted:                       # the boundary before this epoch's update
            with torch.no_grad():
                p = torch.sigmoid(net(snap_t)).numpy().ravel()
            snaps.append(pd.DataFrame({"epoch": epoch, "x": snap_grid[:, 0], "y": snap_grid[:, 1], "p": p}))
        logits = net(x)
        loss = loss_fn(logits, target)
        losses.append(loss.item())
        if epoch == epochs:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()

    with torch.no_grad():
        p_grid = torch.sigmoid(net(grid_t)).numpy().ravel()
        accuracy = float(((net(x) > 0).float() == target).float().mean())
        p_snap = torch.sigmoid(net(snap_t)).numpy().ravel()
    snaps.append(pd.DataFrame({"epoch": epochs, "x": snap_grid[:, 0], "y": snap_grid[:, 1], "p": p_snap}))
    return ToyTraining(
        loss=pd.DataFrame({"epoch": np.arange(epochs + 1), "loss": losses}),
        grid=pd.DataFrame({"x": lattice[:, 0], "y": lattice[:, 1], "p": p_grid}),
        points=points, accuracy=accuracy,
        snapshots=pd.concat(snaps, ignore_index=True))
