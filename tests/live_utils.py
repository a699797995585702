"""Helpers shared by the live-demo tests: a tiny built deck, a running `present` server with a
LiveService, raw HTTP requests whose Host/Origin headers the test controls (http.client, so a
missing or doubled Host header can be sent as an attacker would), and small fake demos declared
like the real ones (demos.live_params) for the tests that need no model."""
from __future__ import annotations

import http.client
import json
import time
from contextlib import contextmanager
from pathlib import Path

from deckbuild import present as pr
from deckbuild.live_service import LiveService
from demos.live_demos import LiveDemo, LiveResult
from demos.live_params import Float, LiveInputError, Text

DECK_NAME = "como-as-llms-funcionam.html"


def make_tiny_deck(folder: Path) -> Path:
    """A folder that looks like a built deck (find_deck recognises it) with one asset."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "libs").mkdir(exist_ok=True)
    (folder / "libs" / "deck.js").write_text("window.deck = 1;")
    deck = folder / DECK_NAME
    deck.write_text('<!doctype html><html><head><script src="libs/deck.js"></script></head>'
                    '<body><div class="reveal"><div class="slides"><section>oi</section></div></div></body></html>')
    return deck


@contextmanager
def serving(folder: Path, live):
    """present.serve() on a free port with `live` (a LiveService or None); yields the port."""
    server = pr.serve(folder, port=0, live=live)
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def request(port: int, method: str, path: str, body: bytes | str | dict | None = None, *,
            host: str | list[str] | None = "default", origin: str | None = "default",
            content_type: str | None = "application/json", headers: dict | None = None,
            timeout: float = 60) -> tuple[int, dict, object]:
    """(status, headers, decoded JSON or raw bytes). host/origin 'default' = the deck's own;
    None = header left out; a list of hosts sends the Host header several times."""
    own = f"127.0.0.1:{port}"
    hosts = [own] if host == "default" else ([] if host is None else [host] if isinstance(host, str) else host)
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for h in hosts:
            conn.putheader("Host", h)
        if origin == "default" and method not in ("GET", "HEAD"):
            conn.putheader("Origin", f"http://{own}")
        elif origin not in (None, "default"):
            conn.putheader("Origin", origin)
        if body is not None:
            if content_type:
                conn.putheader("Content-Type", content_type)
            conn.putheader("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders(body)
        resp = conn.getresponse()
        raw = resp.read()
        head = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    if raw and head.get("content-type", "").startswith("application/json"):
        return resp.status, head, json.loads(raw)
    return resp.status, head, raw


def run(port: int, demo: str, body, **kw) -> tuple[int, dict]:
    """POST /api/live/run/<demo> as the deck would; (status, JSON)."""
    status, _, data = request(port, "POST", f"/api/live/run/{demo}", body, **kw)
    return status, data


def one_line_error(data) -> bool:
    """An error the slide can show: ok false and one non-empty line of text."""
    return (isinstance(data, dict) and data.get("ok") is False and isinstance(data.get("error"), str)
            and data["error"].strip() != "" and "\n" not in data["error"])


# ---- fake demos (no model) -------------------------------------------------------------

def _echo(text: str) -> LiveResult:
    return LiveResult({"kind": "text", "text": text}, {"chars": len(text)})


def _sleep(seconds: float) -> LiveResult:
    time.sleep(seconds)
    return LiveResult({"kind": "text", "text": "zzz"}, {"slept": seconds})


def _boom() -> LiveResult:
    raise RuntimeError("a bug\nwith a second line")


def _refuse(text: str) -> LiveResult:
    raise LiveInputError(f"“{text}” não serve", "text")


FAKES = {d.name: d for d in [
    LiveDemo("echo", {"text": Text(20, "texto")}, _echo),
    LiveDemo("sleep", {"seconds": Float(0, 5, "segundos")}, _sleep),
    LiveDemo("boom", {}, _boom),
    LiveDemo("refuse", {"text": Text(20, "texto")}, _refuse)]}


def fake_service(timeout: float = 1.5, max_queue: int = 1, load=lambda: None, model: str = "fake") -> LiveService:
    """A started service with the fake demos (quiet log)."""
    return LiveService(demos=FAKES, load=load, warm=[], model=model, timeout=timeout,
                       max_queue=max_queue, log=lambda line: None).start()


@contextmanager
def fake_deck_served(folder: Path):
    """A tiny deck in `folder` served with a ready fake_service() (1.5 s timeout, room for one
    waiting job): yields the port."""
    make_tiny_deck(folder)
    service = fake_service()
    assert service.wait_ready(5)
    try:
        with serving(folder, service) as port:
            yield port
    finally:
        service.close()


def answers(port: int) -> bool:
    """The service still works: a good request gets its result."""
    status, data = run(port, "echo", {"text": "de novo"})
    return status == 200 and data["ok"] and data["output"]["text"] == "de novo"
