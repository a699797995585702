"""Time the live demos as the audience meets them: start `present` (a real subprocess, converted
model cache), time until /api/live/status says ready, then p50/p95 per demo over HTTP on fresh
inputs (no cached logits), and a bounded load (4 clients × 50 mixed requests) with the server's RSS.

    .venv/bin/python benchmarks/live_bench.py [--quick]

Targets on this machine: next token ≤ 0.5 s, one generation step ≤ 0.5 s, tokenization ≤ 0.1 s,
attention ≤ 1 s, network retrain ≤ 3 s, model ready after `present` starts ≤ 8 s."""
from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from deckbuild import live_probe  # noqa: E402

TARGETS = {"next token": 0.5, "generation step": 0.5, "tokenization": 0.1, "attention": 1.0,
           "network retrain": 3.0, "model ready": 8.0}
WORDS = ["gato", "rio", "sol", "livro", "mar", "trem", "café", "festa", "chuva", "praia", "frevo", "ponte"]


def start_present(folder: Path, log: Path) -> tuple[subprocess.Popen, int, float]:
    """`python -m deckbuild present --dir folder --port 0` writing to `log`: (process, port, start)."""
    t0 = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "deckbuild", "present", "--dir", str(folder),
                                 "--port", "0"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    while proc.poll() is None and time.perf_counter() - t0 < 60:
        found = re.search(r"Deck: http://127\.0\.0\.1:(\d+)/", log.read_text())
        if found:
            return proc, int(found.group(1)), t0
        time.sleep(0.01)
    proc.kill()
    raise SystemExit(f"present did not print its URL:\n{log.read_text()}")


def time_to_ready(port: int, t0: float, limit: float = 180, every: float = 0.1) -> tuple[float, dict]:
    """Seconds from `t0` until the status says ready, polled every 0.1 s (the slides poll every
    second; polling much faster would itself slow the load it measures)."""
    while time.perf_counter() - t0 < limit:
        s = live_probe.status(port)
        if s["ready"] or s["error"]:
            return time.perf_counter() - t0, s
        time.sleep(every)
    raise SystemExit(f"the model was not ready after {limit} s")


def cases(quick: bool) -> dict[str, list[tuple[str, dict]]]:
    """Fresh inputs per demo (distinct prompts: every next-token call runs the model)."""
    n = 4 if quick else 10
    words = WORDS[:n]
    return {
        "next token": [("next-token", {"prompt": f"Hoje o {w} está"}) for w in words],
        "generation step": [("generation", {"prompt": "No sertão, a chuva", "steps": s, "strategy": "sample",
                                            "seed": 3}) for s in range(1, n + 1)],
        "tokenization": [("tokenization", {"text": f"O {w} de Pernambuco é bonito"}) for w in words],
        "attention": [("attention", {"sentence": f"O {w} sumiu porque ele estava longe"}) for w in words[:max(3, n // 2)]],
        "network retrain": [("toy-network", {"hidden": h}) for h in (4, 16, 64)[: 2 if quick else 3]],
        "temperature": [("temperature", {"prompt": f"O {w} parece"}) for w in words],
        "analogy GloVe": [("analogy-glove", {"a": a, "b": b, "c": c}) for a, b, c in
                          [("king", "man", "woman"), ("paris", "france", "japan"), ("walk", "walked", "swim")]],
        "analogy Gemma": [("analogy-gemma", {"a": a, "b": b, "c": c}) for a, b, c in
                          [("irmão", "homem", "mulher"), ("pai", "homem", "mulher"), ("rei", "homem", "mulher")]],
        "este computador": [("this-computer", {})] * (1 if quick else 2),
    }


def quantiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=20, method="inclusive")
    return statistics.median(values), q[18]


def verdict(label: str, p95: float) -> str:
    target = TARGETS.get(label)
    return "" if target is None else (f"  met (≤ {target:g} s)" if p95 <= target else f"  NOT MET (target ≤ {target:g} s)")


def bench_demos(port: int, quick: bool) -> None:
    print(f"\n  {'demo':<18} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'server s':>8}")
    for label, requests in cases(quick).items():
        wall, server = [], []
        for demo, body in requests:
            code, out, seconds = live_probe.call(port, demo, body)
            if code != 200:
                print(f"  {label:<18} failed: {code} {out.get('error')}")
                break
            wall.append(seconds)
            server.append(out["run_ms"] / 1000)
        else:
            p50, p95 = quantiles(wall)
            print(f"  {label:<18} {len(wall):>3} {p50:7.3f} {p95:7.3f} {statistics.median(server):8.3f}"
                  f"{verdict(label, p95)}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, a 4 × 20 load")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "deck.html").write_text('<div class="reveal"><div class="slides"></div></div>')
        proc, port, t0 = start_present(folder, folder / "present.log")
        try:
            ready, state = time_to_ready(port, t0)
            if state["error"]:
                print(f"  live service error: {state['error']}")
                return 1
            print(f"  model {state['model']}: ready {ready:.2f} s after `present` started "
                  f"(load itself {state['load_seconds']:.2f} s){verdict('model ready', ready)}")
            if not live_probe.wait_idle(port):
                print("  warm-up did not finish")
                return 1
            print(f"  warm-up done {time.perf_counter() - t0:.1f} s after start; server RSS "
                  f"{live_probe.rss_mb(proc.pid):.0f} MB")
            bench_demos(port, args.quick)
            before = live_probe.rss_mb(proc.pid)
            result = live_probe.load(port, clients=4, per_client=20 if args.quick else 50)
            after, peak = live_probe.rss_mb(proc.pid), live_probe.rss_mb(proc.pid, "VmHWM")
            print(f"\n  load (4 clients): {result.summary()}")
            print(f"  server RSS {before:.0f} -> {after:.0f} MB ({after - before:+.0f} MB), peak {peak:.0f} MB")
            for failure in result.failures[:5]:
                print(f"    failed: {failure}")
            return 1 if result.failures else 0
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
