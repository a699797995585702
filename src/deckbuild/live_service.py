"""The live-demo service behind `present`: loads the profile's model in the background, then runs
the demos of demos.live_demos one at a time and answers with (HTTP status, JSON object).

`LiveService.start()` queues the model load on the single worker (deckbuild.live_worker) and
returns at once, so the deck is served while Gemma loads; `status()` says whether it is ready.
After the load, one warm-up job runs each demo once on the profile's own prompts (imports, chart
theme, GloVe, the contrast tokenizer, caches), so the first live request on stage is not the
slow one. `run(name, body)` validates the decoded JSON body against the demo's declared
parameters, queues the call with a deadline and maps every outcome to a status and a one-line
pt-BR `error`: 400 bad input, 404 unknown demo, 429 queue full, 503 still loading or the model
failed to load, 504 timeout, 500 a bug in a demo (traceback to the terminal). It never raises."""
from __future__ import annotations

import sys
import threading
import time
import traceback
from concurrent.futures import TimeoutError as FutureTimeout

from deckbuild.live_worker import QueueFull, SingleWorker

LOADING = "carregando modelo…"


def _one_line(err: BaseException, limit: int = 240) -> str:
    text = (str(err).strip().splitlines() or [type(err).__name__])[0]
    return text[:limit]


def _default_model() -> str:
    from demos.config import demo_setting
    from demos.models import DEFAULT_MODEL
    return demo_setting("model") or DEFAULT_MODEL


def _load_deck_model(name: str) -> None:
    from demos.models import collector_paused, load_model
    with collector_paused():                   # transformers' own import included
        from transformers.utils import logging as hf_logging
        hf_logging.disable_progress_bar()      # no "Loading weights" bar under the stage URL
        load_model(name)


class LiveService:
    """`demos`: name -> demos.live_demos.LiveDemo (default: its registry()); `load()` loads the
    model (default: load_model of the profile's model); `warm`: (name, body) requests run once
    after the load (default: demos.live_demos.warm_up_requests())."""

    def __init__(self, demos: dict | None = None, load=None, warm=None, model: str | None = None,
                 timeout: float = 20.0, max_queue: int = 8, log=None):
        self.timeout = timeout
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._lock = threading.Lock()
        self._state = {"ready": False, "loading": False, "error": None, "load_seconds": None}
        self._worker = SingleWorker(max_queue)
        try:
            if demos is None:
                from demos.live_demos import registry, warm_up_requests
                demos, warm = registry(), (warm_up_requests() if warm is None else warm)
            self.model = model or _default_model()
        except Exception as err:               # a bad profile: report it, keep serving the deck
            demos, self.model = demos or {}, model or ""
            self._state["error"] = f"configuração inválida: {_one_line(err)}"
        self.demos = demos
        self._load = load or (lambda: _load_deck_model(self.model))
        self._warm = list(warm or [])

    # ---- loading -----------------------------------------------------------------------------

    def start(self) -> "LiveService":
        """Queue the model load (and the warm-up) on the worker; returns at once."""
        if self._state["error"] is None:
            self._state["loading"] = True
            self._worker.submit(self._load_job)
        return self

    def _load_job(self) -> None:
        t0 = time.perf_counter()
        try:
            self._load()
        except Exception as err:
            with self._lock:
                self._state.update(loading=False, error=f"modelo indisponível: {_one_line(err)}")
            self._log(f"live demos: cannot load {self.model}: {_one_line(err)}")
            return
        with self._lock:
            self._state.update(loading=False, ready=True, load_seconds=round(time.perf_counter() - t0, 2))
        self._log(f"live demos ready: {self.model} loaded in {self._state['load_seconds']:.1f} s")
        if self._warm:
            self._worker.submit(self._warm_job)

    def _warm_job(self) -> None:
        from demos.live_params import parse_params
        for name, body in self._warm:
            try:
                demo = self.demos[name]
                demo.run(**parse_params(demo.params, body))
            except Exception as err:           # warming is best effort: the real call will report
                self._log(f"live demos: warm-up of {name} failed: {_one_line(err)}")

    def wait_ready(self, timeout: float) -> bool:
        """Block until the model is loaded (or failed); True when ready."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self._state["ready"] or self._state["error"]:
                break
            time.sleep(0.05)
        return bool(self._state["ready"])

    def status(self) -> dict:
        with self._lock:
            state = dict(self._state)
        return {**state, "model": self.model, "queue": self._worker.pending(),
                "busy": self._worker.busy, "timeout_seconds": self.timeout,
                "demos": {name: demo.describe() for name, demo in self.demos.items()}}

    # ---- running a demo ------------------------------------------------------------------------

    def run(self, name: str, body) -> tuple[int, dict]:
        """(HTTP status, JSON object) for one request to demo `name` with decoded JSON `body`."""
        from demos.live_params import LiveInputError, parse_params
        t0 = time.perf_counter()
        demo = self.demos.get(name)
        if demo is None:
            return 404, _error(f"demonstração desconhecida: {name[:40]}")
        try:
            params = parse_params(demo.params, body)
        except LiveInputError as err:
            return 400, _error(str(err), err.field)
        if not self._state["ready"]:
            return 503, _error(self._state["error"] or LOADING, loading=not self._state["error"])
        deadline = time.monotonic() + self.timeout
        try:
            future = self._worker.submit(self._call, demo, params, time.perf_counter(), deadline=deadline)
        except QueueFull:
            return 429, _error("muitos pedidos na fila: tente de novo em alguns segundos")
        try:
            result, queued, ran = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except (FutureTimeout, TimeoutError):
            future.cancel()
            return 504, _error(f"passou de {self.timeout:g} s sem resposta: tente um texto menor "
                               "ou espere a fila esvaziar")
        except LiveInputError as err:
            return 400, _error(str(err), err.field)
        except Exception as err:
            self._log(f"live demo {name} failed:\n{''.join(traceback.format_exception(err)).rstrip()}")
            return 500, _error(f"a demonstração falhou ({type(err).__name__}); detalhes no terminal")
        return 200, {"ok": True, "demo": name, "output": result.output, "meta": result.meta,
                     "ms": round(1000 * (time.perf_counter() - t0)), "queued_ms": round(1000 * queued),
                     "run_ms": round(1000 * ran)}

    @staticmethod
    def _call(demo, params: dict, submitted: float):
        """On the worker: the demo's result, the seconds it waited in the queue and ran."""
        start = time.perf_counter()
        result = demo.run(**params)
        return result, start - submitted, time.perf_counter() - start

    def close(self) -> None:
        self._worker.close()


def _error(message: str, field: str | None = None, loading: bool = False) -> dict:
    out = {"ok": False, "error": message}
    if field:
        out["field"] = field
    if loading:
        out["loading"] = True
    return out
