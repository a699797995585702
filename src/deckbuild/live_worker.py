"""One worker thread that runs the live demos' model calls one at a time, from a bounded queue.

The language model is one object shared by every demo, torch already uses the cores, and a
laptop on stage must never be asked for two forward passes at once: so jobs run strictly one
after another on a single daemon thread. `submit(fn, deadline)` returns a Future at once or
raises `QueueFull` when `max_queue` jobs are already waiting (the running one not counted). A
job whose deadline has passed before it starts is dropped with TimeoutError; a caller that gives
up on a running job simply stops waiting (Python cannot interrupt torch), and the job's result
is discarded when it ends. An exception in a job is set on its Future; the thread keeps going."""
from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future


class QueueFull(RuntimeError):
    """More jobs waiting than the queue holds."""


class SingleWorker:
    def __init__(self, max_queue: int = 8, name: str = "live-demo-worker"):
        self._jobs: queue.Queue = queue.Queue(maxsize=max_queue)
        self._stopped = threading.Event()
        self.busy = False                      # a job is running (for the status endpoint)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn, *args, deadline: float | None = None) -> Future:
        """Queue fn(*args); `deadline` is a time.monotonic() value after which it is not started."""
        if self._stopped.is_set():
            raise RuntimeError("worker stopped")
        future: Future = Future()
        try:
            self._jobs.put_nowait((future, fn, args, deadline))
        except queue.Full:
            raise QueueFull(f"{self._jobs.maxsize} jobs already waiting") from None
        return future

    def pending(self) -> int:
        """Jobs waiting (not counting the one running)."""
        return self._jobs.qsize()

    def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                future, fn, args, deadline = self._jobs.get(timeout=0.5)
            except queue.Empty:
                continue
            if not future.set_running_or_notify_cancel():
                continue                       # the caller cancelled it while it waited
            if deadline is not None and time.monotonic() > deadline:
                future.set_exception(TimeoutError("deadline passed while queued"))
                continue
            self.busy = True
            try:
                future.set_result(fn(*args))
            except BaseException as err:       # noqa: BLE001 - reported to the caller, never fatal here
                future.set_exception(err)
            finally:
                self.busy = False

    def close(self, wait: float = 0.0) -> None:
        """Stop taking jobs; the thread ends after the running job (waits up to `wait` s)."""
        self._stopped.set()
        if wait:
            self._thread.join(wait)
