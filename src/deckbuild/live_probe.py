"""A small client of the live-demo API, for the load test and `make bench`: call a demo as the
deck does (its own Origin), wait for the model, run a bounded load from a few client threads,
and read a process's resident memory from /proc.

`load(port, mix, clients=4, per_client=50)` sends `per_client` requests from each of `clients`
threads, cycling through `mix` ((demo, body) pairs) at a different offset per client, and
returns every latency and every failure (a status other than 200). `MIX` is the standard mix:
next token on several prompts, tokenization, temperature, both analogies, generation steps n and
n+1, and attention on one request in 25 (it is the slow one)."""
from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from dataclasses import dataclass, field

PROMPTS = ["O time jogou", "Amanhã eu vou", "A professora explicou", "No Recife faz"]
ATTENTION = ("attention", {"sentence": "O time jogou bem ontem"})
MIX = [("next-token", {"prompt": p}) for p in PROMPTS] + [
    ("tokenization", {"text": "Chuva de verão no Recife"}),
    ("temperature", {"prompt": PROMPTS[0]}),
    ("analogy-glove", {"a": "paris", "b": "france", "c": "japan"}),
    ("analogy-gemma", {"a": "irmão", "b": "homem", "c": "mulher"}),
    ("generation", {"prompt": PROMPTS[1], "steps": 3}),
    ("generation", {"prompt": PROMPTS[1], "steps": 4}),
]
ATTENTION_EVERY = 25


def call(port: int, demo: str, body: dict, timeout: float = 60) -> tuple[int, dict, float]:
    """POST /api/live/run/<demo> from the deck's own origin: (status, JSON, seconds)."""
    data = json.dumps(body).encode("utf-8")
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", f"/api/live/run/{demo}", data,
                     {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"})
        resp = conn.getresponse()
        out = json.loads(resp.read())
    finally:
        conn.close()
    return resp.status, out, time.perf_counter() - t0


def status(port: int, timeout: float = 10) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/api/live/status")
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def wait_idle(port: int, timeout: float = 120, settle: float = 0.3) -> bool:
    """Until the model is ready and the worker has been idle for `settle` s (warm-up done)."""
    end, idle_since = time.monotonic() + timeout, None
    while time.monotonic() < end:
        s = status(port)
        if s["error"]:
            return False
        idle = s["ready"] and not s["busy"] and s["queue"] == 0
        idle_since = (idle_since or time.monotonic()) if idle else None
        if idle_since and time.monotonic() - idle_since >= settle:
            return True
        time.sleep(0.05)
    return False


def pick(mix: list, client: int, i: int) -> tuple[str, dict]:
    """The i-th request of a client: attention now and then, else the mix at the client's offset."""
    if (i + client) % ATTENTION_EVERY == 0:
        return ATTENTION
    return mix[(i + 3 * client) % len(mix)]


@dataclass
class LoadResult:
    latencies: list = field(default_factory=list)     # seconds, one per request
    failures: list = field(default_factory=list)      # (demo, status, error)
    wall: float = 0.0

    def percentile(self, q: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[q - 1] if len(self.latencies) > 1 else 0.0

    def summary(self) -> str:
        return (f"{len(self.latencies)} requests in {self.wall:.1f} s, {len(self.failures)} errors, "
                f"p50 {self.percentile(50) * 1000:.0f} ms, p95 {self.percentile(95) * 1000:.0f} ms")


def load(port: int, mix: list = MIX, clients: int = 4, per_client: int = 50) -> LoadResult:
    result, lock = LoadResult(), threading.Lock()

    def client(c: int) -> None:
        for i in range(per_client):
            demo, body = pick(mix, c, i)
            try:
                code, out, seconds = call(port, demo, body)
                error = None if code == 200 and out.get("ok") else out.get("error")
            except (OSError, ValueError) as err:
                code, error, seconds = 0, f"{type(err).__name__}: {err}", 0.0
            with lock:
                result.latencies.append(seconds)
                if error is not None or code != 200:
                    result.failures.append((demo, code, error))

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - t0
    return result


def rss_mb(pid: int | str = "self", key: str = "VmRSS") -> float:
    """Resident memory of a process in MB (VmRSS now, or VmHWM: the peak), from /proc."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(f"{key}:")) / 1024
