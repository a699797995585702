"""The HTTP side of `present`: the deck's static files and the live-demo API on one 127.0.0.1 origin.

`make_server(folder, port, live)` returns a threading HTTP server bound to 127.0.0.1 only whose
handler first guards every request: a Host header other than `127.0.0.1:<port>` or
`localhost:<port>` is refused with 403, static files included (a DNS-rebinding page cannot read
the deck or call the model), and so is any non-GET/HEAD request whose Origin is not the page's
own `http://<host>` (no cross-site POSTs). Then:

    GET  /api/live/status       {"ready", "loading", "model", "error", "demos": {name: params}, ...}
    POST /api/live/run/<demo>   JSON object body -> 200 {"ok": true, "output", "meta", "ms"}
                                or {"ok": false, "error": "<one pt-BR line>"} with 400/403/404/405/
                                411/413/415/429/500/503/504

Bodies are capped at MAX_BODY bytes (413, read no further), must be UTF-8 JSON objects without
NaN/Infinity (400). With `live=None` (`present --no-live`) the status says live: false and the
rest of the API answers 404. Everything
else is served from the folder as Python's SimpleHTTPRequestHandler does."""
from __future__ import annotations

import json
import os
import sys
import urllib.parse
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
API = "/api/live/"
MAX_BODY = 16 * 1024            # bytes: a 200-character prompt is well under 1 KB of JSON
DRAIN_LIMIT = 64 * MAX_BODY    # an oversized body up to this is read and dropped, larger ones cut
SOCKET_TIMEOUT = 15             # seconds a client may take to send its request


class HttpError(Exception):
    def __init__(self, status: int, message: str, allow: str | None = None):
        super().__init__(message)
        self.status, self.allow = status, allow


def allowed_hosts(port: int) -> set[str]:
    """The Host header values of the served address: the deck's own origin, by IP or name."""
    return {f"{HOST}:{port}", f"localhost:{port}"}


def refusal(command: str, host_headers: list[str], origin: str | None, port: int) -> str | None:
    """Why a request must be refused (403), or None: DNS rebinding (Host) and cross-site
    requests (Origin on anything but GET/HEAD)."""
    if len(host_headers) != 1 or host_headers[0].strip().lower() not in allowed_hosts(port):
        return "endereço (Host) não permitido: abra o deck em http://127.0.0.1"
    if command not in ("GET", "HEAD") and origin != f"http://{host_headers[0].strip().lower()}":
        return "origem não permitida: só o próprio deck pode chamar as demonstrações"
    return None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def decode_body(raw: bytes):
    """UTF-8 JSON (strict: no NaN/Infinity) -> Python object; HttpError(400) otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "o corpo da requisição não é UTF-8 válido") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise HttpError(400, "JSON inválido no corpo da requisição") from None


class DeckHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".mjs": "text/javascript", ".woff2": "font/woff2", ".woff": "font/woff",
                      ".svg": "image/svg+xml", ".json": "application/json"}
    timeout = SOCKET_TIMEOUT
    live = None                  # a deckbuild.live_service.LiveService, or None (--no-live)

    def log_message(self, format, *args):     # quiet: the terminal shows the URL and keys only
        pass

    # ---- guards (every method, static files too) -----------------------------------------

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        reason = refusal(self.command, self.headers.get_all("Host") or [], self.headers.get("Origin"),
                         self.server.server_address[1])
        if reason:
            self.close_connection = True
            self._send_json(403, {"ok": False, "error": reason})
            return False
        return True

    # ---- routing -------------------------------------------------------------------------

    def _path(self) -> str:
        return urllib.parse.urlsplit(self.path).path

    def do_GET(self):
        if self._path().startswith(API):
            return self._api("GET")
        if self._path() == "/favicon.ico" and not os.path.exists(self.translate_path(self.path)):
            self.send_response(204)            # the browser asks on its own: no 404 in the console
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().do_GET()

    def do_HEAD(self):
        if self._path().startswith(API):
            return self._send_json(405, {"ok": False, "error": "método não permitido"}, allow="GET, POST")
        return super().do_HEAD()

    def do_POST(self):
        if self._path().startswith(API):
            return self._api("POST")
        return self._send_json(405, {"ok": False, "error": "método não permitido"}, allow="GET, HEAD")

    def _api(self, method: str) -> None:
        allow = None
        try:
            status, body = self._route(method, self._path()[len(API):])
        except HttpError as err:
            status, body, allow = err.status, {"ok": False, "error": str(err)}, err.allow
        self._send_json(status, body, allow=allow)

    def _route(self, method: str, rest: str) -> tuple[int, dict]:
        if self.live is None:    # the deck asks once on load; a 200 keeps the browser console clean
            if rest == "status" and method == "GET":
                return 200, {"ok": True, "live": False, "ready": False, "loading": False}
            return 404, {"ok": False, "error": "demonstrações ao vivo desligadas (present --no-live)"}
        if rest == "status":
            if method != "GET":
                raise HttpError(405, "use GET em /api/live/status", allow="GET")
            return 200, self.live.status()
        if rest.startswith("run/") and "/" not in rest[4:]:
            if method != "POST":
                raise HttpError(405, "use POST para rodar uma demonstração", allow="POST")
            return self.live.run(rest[4:], self._read_json())
        return 404, {"ok": False, "error": "rota desconhecida"}

    def _read_json(self):
        if "Transfer-Encoding" in self.headers:
            self.close_connection = True
            raise HttpError(411, "envie o corpo com Content-Length")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            self.close_connection = True
            raise HttpError(415, "envie JSON (Content-Type: application/json)")
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self.close_connection = True
            raise HttpError(411 if length is None else 400, "Content-Length ausente ou inválido")
        n = int(length)
        if n > MAX_BODY:
            self.close_connection = True
            left = n if n <= DRAIN_LIMIT else 0
            while left > 0:    # read it away: closing on unread data resets the connection
                chunk = self.rfile.read(min(MAX_BODY, left))   # before the client reads the 413
                if not chunk:
                    break
                left -= len(chunk)
            raise HttpError(413, f"requisição grande demais (máximo {MAX_BODY // 1024} KB)")
        raw = self.rfile.read(n)
        if len(raw) != n:
            raise HttpError(400, "corpo da requisição incompleto")
        return decode_body(raw)

    def _send_json(self, status: int, obj: dict, allow: str | None = None) -> None:
        try:
            data = json.dumps(obj, ensure_ascii=True, allow_nan=False).encode("ascii")
        except ValueError:                     # NaN/inf in a result: a bug, not the audience's
            status, data = 500, b'{"ok": false, "error": "resultado inv\\u00e1lido (NaN)"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if allow:
            self.send_header("Allow", allow)
        if status == 503:
            self.send_header("Retry-After", "1")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class DeckServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)   # a browser closing a tab is not news


def make_server(folder, port: int, live=None) -> DeckServer:
    """A server for `folder` (+ the API of `live`) on 127.0.0.1:`port`, else on a free port."""
    handler = partial(type("BoundDeckHandler", (DeckHandler,), {"live": live}), directory=str(folder))
    try:
        return DeckServer((HOST, port), handler)
    except OSError:
        return DeckServer((HOST, 0), handler)   # taken: let the OS pick a free port
