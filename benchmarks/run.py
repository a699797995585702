"""Runs every benchmark in turn and prints their figures: versions in use and the setup and
model-conversion timings (BENCH_SETUP=1 re-times a fresh clone's setup, BENCH_CONVERT=1 each
model's conversion), models (load, next token, memory),
demos (GloVe, analogies, MLP, FLOP/s), the build (cold, re-build, PDFs, sizes), the deck in a
browser (smallest text, time to the first slide) and the live
demos served by `present` (time to ready, p50/p95 per demo, a 4-client load).

    .venv/bin/python benchmarks/run.py [--quick]    # --quick: skip the cold GGUF load"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    quick = "--quick" in sys.argv
    runs = [
        ["setup_bench.py"],
        ["models_bench.py", *(["--skip-cold"] if quick else [])],
        ["demos_bench.py"],
        ["build_bench.py"],
        ["deck_bench.py"],
        ["live_bench.py", *(["--quick"] if quick else [])],
    ]
    status = 0
    for script, *args in runs:
        print(f"\n=== {script} {' '.join(args)}".rstrip(), flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script), *args])
    return status


if __name__ == "__main__":
    sys.exit(main())
