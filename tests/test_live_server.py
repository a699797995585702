"""The live-demo HTTP service without a model: the Host/Origin guards (DNS rebinding, cross-site
POSTs) on static files and API alike, body caps and strict JSON, every error status (400, 403,
404, 405, 411, 413, 415, 429, 500, 504) as one pt-BR line, and the service still answering
after each. The demos are the small fakes of live_utils."""
from __future__ import annotations

import threading
import time

import pytest

from deckbuild import live_server
from live_utils import answers, fake_deck_served, one_line_error, request, run


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    with fake_deck_served(tmp_path_factory.mktemp("deck")) as port:
        yield port


# ---- Host header: DNS rebinding -----------------------------------------------------------

@pytest.mark.parametrize("path", ["/como-as-llms-funcionam.html", "/libs/deck.js", "/api/live/status"])
@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "localhost", "127.0.0.1",
                                  "127.0.0.1:{port}.evil.example", "[::1]:{port}", None,
                                  ["127.0.0.1:{port}", "evil.example"]])
def test_a_foreign_host_header_is_refused_even_for_static_files(fake, path, host):
    fill = lambda h: h.format(port=fake)  # noqa: E731
    host = [fill(h) for h in host] if isinstance(host, list) else (fill(host) if host else None)
    status, _, data = request(fake, "GET", path, host=host)
    assert status == 403 and one_line_error(data) and "Host" in data["error"]
    assert answers(fake)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_served_address_by_ip_or_name_is_allowed(fake, host):
    status, _, body = request(fake, "GET", "/libs/deck.js", host=host.format(port=fake))
    assert status == 200 and body == b"window.deck = 1;"
    status, _, data = request(fake, "GET", "/api/live/status", host=host.format(port=fake))
    assert status == 200 and data["ready"] is True


# ---- Origin: cross-site requests ----------------------------------------------------------

@pytest.mark.parametrize("origin", [None, "null", "http://evil.example", "https://127.0.0.1:{port}",
                                    "http://127.0.0.1:1", "http://localhost:{port}"])
def test_a_post_from_another_origin_is_refused(fake, origin):
    status, data = run(fake, "echo", {"text": "oi"}, origin=origin and origin.format(port=fake))
    assert status == 403 and one_line_error(data) and "origem" in data["error"]
    assert answers(fake)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "OPTIONS", "PATCH"])
def test_other_methods_from_another_origin_are_refused(fake, method):
    status, _, _ = request(fake, method, "/api/live/run/echo", origin="http://evil.example")
    assert status == 403


def test_get_sends_no_cors_permission(fake):
    """A GET from another page is answered (a GET changes nothing) but without any
    Access-Control-Allow-* header, so that page's script cannot read the answer."""
    status, head, _ = request(fake, "GET", "/api/live/status", origin="http://evil.example")
    assert status == 200 and not [h for h in head if h.startswith("access-control")]
    assert head["x-content-type-options"] == "nosniff" and head["cache-control"] == "no-store"


def test_own_origin_localhost_is_allowed(fake):
    status, data = run(fake, "echo", {"text": "oi"}, host=f"localhost:{fake}", origin=f"http://localhost:{fake}")
    assert status == 200 and data["output"]["text"] == "oi" and data["meta"] == {"chars": 2}


# ---- bodies -------------------------------------------------------------------------------

BAD_BODIES = [
    ("invalid utf-8", b'{"text": "\xff\xfe\xc3("}', 400, "UTF-8"),
    ("malformed json", b'{"text": ', 400, "JSON"),
    ("trailing garbage", b'{"text": "a"} x', 400, "JSON"),
    ("NaN", b'{"seconds": NaN}', 400, "JSON"),
    ("deep nesting", b"[" * 5000 + b"]" * 5000, 400, "JSON"),
    ("not an object", b'["oi"]', 400, "objeto"),
    ("unknown key", b'{"text": "oi", "extra": 1}', 400, "desconhecido"),
    ("missing key", b"{}", 400, "faltou"),
    ("wrong type", b'{"text": 3}', 400, "texto"),
    ("too long", ('{"text": "%s"}' % ("x" * 21)).encode(), 400, "longo"),
    ("lone surrogate", b'{"text": "\\ud800"}', 400, "inválidos"),
    ("control character", b'{"text": "a\\u0000b"}', 400, "controle"),
    ("empty string", b'{"text": ""}', 400, "escreva"),
    ("whitespace only", b'{"text": "  \\n "}', 400, "escreva"),
]


@pytest.mark.parametrize("label,body,status,word", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_bodies_get_a_one_line_error(fake, label, body, status, word):
    got, data = run(fake, "echo", body)
    assert got == status and one_line_error(data) and word in data["error"], data
    assert answers(fake)


def test_a_body_over_the_cap_is_413_and_not_read(fake):
    body = b'{"text": "' + b"x" * live_server.MAX_BODY + b'"}'
    status, data = run(fake, "echo", body)
    assert status == 413 and one_line_error(data)
    assert answers(fake)


@pytest.mark.parametrize("ctype,status", [("text/plain", 415), ("application/x-www-form-urlencoded", 415),
                                          (None, 415), ("application/json; charset=utf-8", 200)])
def test_only_json_is_accepted(fake, ctype, status):
    got, data = run(fake, "echo", {"text": "oi"}, content_type=ctype)
    assert got == status and (data["ok"] if status == 200 else one_line_error(data))


def test_a_missing_content_length_is_411(fake):
    status, _, data = request(fake, "POST", "/api/live/run/echo", None,
                              headers={"Content-Type": "application/json"})
    assert status == 411 and one_line_error(data)
    assert answers(fake)


# ---- routes and statuses ------------------------------------------------------------------

def test_status_lists_the_demos_and_their_caps(fake):
    status, _, data = request(fake, "GET", "/api/live/status")
    assert status == 200
    assert {k: data[k] for k in ("ready", "loading", "model", "error")} == \
        {"ready": True, "loading": False, "model": "fake", "error": None}
    assert data["demos"]["echo"]["params"]["text"] == {"type": "text", "label": "texto", "max_chars": 20}


@pytest.mark.parametrize("method,path,status", [
    ("POST", "/api/live/run/nenhuma", 404), ("GET", "/api/live/nada", 404),
    ("POST", "/api/live/run/echo/extra", 404), ("GET", "/api/live/run/echo", 405),
    ("POST", "/api/live/status", 405), ("HEAD", "/api/live/status", 405)])
def test_wrong_routes_and_methods(fake, method, path, status):
    got, head, data = request(fake, method, path, {"text": "oi"} if method == "POST" else None)
    assert got == status
    if method != "HEAD":
        assert one_line_error(data)
    if status == 405:
        assert head["allow"]


def test_an_input_the_demo_refuses_is_400_with_its_field(fake):
    status, data = run(fake, "refuse", {"text": "<b>x</b>"})
    assert status == 400 and data == {"ok": False, "error": "“<b>x</b>” não serve", "field": "text"}


def test_a_demo_exception_is_500_and_the_service_goes_on(fake):
    status, data = run(fake, "boom", {})
    assert status == 500 and one_line_error(data) and "RuntimeError" in data["error"]
    assert answers(fake)


def test_a_slow_demo_times_out_with_504_and_the_service_goes_on(fake):
    status, data = run(fake, "sleep", {"seconds": 2.5})
    assert status == 504 and one_line_error(data)
    t0 = time.monotonic()
    assert answers(fake)          # waits for the slow job to end, then answers
    assert time.monotonic() - t0 < 2.5


def test_a_full_queue_is_429(fake):
    """One job running, one waiting (max_queue=1): a third is turned away at once."""
    results = []
    first = threading.Thread(target=lambda: results.append(run(fake, "sleep", {"seconds": 0.8})))
    first.start()
    time.sleep(0.2)
    second = threading.Thread(target=lambda: results.append(run(fake, "sleep", {"seconds": 0.1})))
    second.start()
    time.sleep(0.2)
    status, data = run(fake, "echo", {"text": "oi"})
    first.join()
    second.join()
    assert status == 429 and one_line_error(data)
    assert sorted(s for s, _ in results) == [200, 200]
    assert answers(fake)
