"""Shared timing helper for the benchmark scripts."""
from __future__ import annotations

import time


def timed(label: str, fn, target: float | None = None, width: int = 38, digits: int = 3):
    """Run fn(), print its wall time (and whether it met `target` seconds), return its result."""
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    mark = "" if target is None else ("  ok" if dt < target else f"  SLOW (target < {target} s)")
    print(f"  {label:<{width}} {dt:7.{digits}f} s{mark}", flush=True)
    return out
