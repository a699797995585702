"""`present` and its live service as a whole, without a model: the deck is served while the model
loads (503 "carregando modelo…"), a model that fails to load is one line and not fatal,
`--no-live` and `--check` never start the service, the profile given to `present` is the one the
demos read, the server binds 127.0.0.1 only, and a real Chromium page of the deck may call the
API while a page of another origin may not."""
from __future__ import annotations

import argparse
import threading

import pytest

from deckbuild import live_server, present as pr
from deckbuild.live_service import LOADING, LiveService
from live_utils import FAKES, answers, fake_deck_served, fake_service, make_tiny_deck, request, run, serving


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    with fake_deck_served(tmp_path_factory.mktemp("deck")) as port:
        yield port


def test_requests_during_the_load_get_503_carregando(tmp_path):
    make_tiny_deck(tmp_path)
    release = threading.Event()
    service = fake_service(load=lambda: release.wait(10), model="lento")
    try:
        with serving(tmp_path, service) as port:
            assert request(port, "GET", "/como-as-llms-funcionam.html")[0] == 200   # the deck at once
            status, head, data = request(port, "GET", "/api/live/status")
            assert (data["ready"], data["loading"]) == (False, True)
            status, head, data = request(port, "POST", "/api/live/run/echo", {"text": "oi"})
            assert status == 503 and data["error"] == LOADING and head["retry-after"] == "1"
            assert run(port, "echo", {"text": 3})[0] == 400        # bad input is still bad input
            release.set()
            assert service.wait_ready(5)
            assert answers(port)
    finally:
        release.set()
        service.close()


def test_a_model_that_fails_to_load_is_reported_not_fatal(tmp_path):
    make_tiny_deck(tmp_path)

    def broken():
        raise OSError("model.safetensors: no such file\nsecond line")
    service = fake_service(load=broken, model="quebrado")
    try:
        with serving(tmp_path, service) as port:
            assert not service.wait_ready(5)
            status, _, data = request(port, "GET", "/api/live/status")
            assert data["ready"] is False and data["loading"] is False
            assert data["error"] == "modelo indisponível: model.safetensors: no such file"
            status, data = run(port, "echo", {"text": "oi"})
            assert status == 503 and data["error"] == "modelo indisponível: model.safetensors: no such file"
            assert request(port, "GET", "/libs/deck.js")[0] == 200
    finally:
        service.close()


def test_no_live_serves_static_only(tmp_path):
    make_tiny_deck(tmp_path)
    with serving(tmp_path, None) as port:
        assert request(port, "GET", "/libs/deck.js")[0] == 200
        status, _, data = request(port, "GET", "/api/live/status")
        assert status == 200 and data["live"] is False and data["ready"] is False
        status, data = run(port, "next-token", {"prompt": "oi"})
        assert status == 404 and "--no-live" in data["error"]
        assert request(port, "GET", "/libs/deck.js", host="evil.example")[0] == 403


def test_the_server_binds_127_0_0_1_only(tmp_path):
    make_tiny_deck(tmp_path)
    server = live_server.make_server(tmp_path, 0, None)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_check_and_no_live_never_start_the_service(tmp_path, monkeypatch, capsys):
    """--check fetches static files only (no model load); --no-live is a known flag."""
    import deckbuild.live_service as ls

    def forbidden(*a, **k):
        raise AssertionError("the live service must not start")
    monkeypatch.setattr(ls, "LiveService", forbidden)
    make_tiny_deck(tmp_path)
    parser = argparse.ArgumentParser()
    pr.add_parser(parser.add_subparsers())
    for extra in ([], ["--no-live"]):
        args = parser.parse_args(["present", "--dir", str(tmp_path), "--check", "--port", "0", *extra])
        assert args.func(args) == 0
    assert "2 fetched, 0 missing, 0 external: all OK" in capsys.readouterr().out


def test_present_points_the_demos_at_the_presented_profile(tmp_path, monkeypatch):
    """`present --profile P` makes demos.config (model, prompts, colours) read P, as the build's cells do."""
    from demos.config import demo_setting
    monkeypatch.setenv("QUARTO_PROFILE", "")      # recorded, so the test's change is undone
    monkeypatch.delenv("DECK_MODEL", raising=False)
    monkeypatch.setenv("DECK_ROOT", str(tmp_path / "elsewhere"))
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\ndeck:\n  model: gemma-3-270m\n")
    (tmp_path / "_quarto-outro.yml").write_text("deck:\n  model: smollm2-135m\n")
    pr._live_environment(tmp_path, "outro")
    assert demo_setting("model") == "smollm2-135m"
    assert LiveService(demos=FAKES, load=lambda: None, warm=[], log=lambda line: None).model == "smollm2-135m"


# ---- a real browser: its same-origin fetch passes, another origin's does not ---------------

FETCH = """async ([url, body]) => {
  try {
    const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                body: JSON.stringify(body)});
    return {status: r.status, json: await r.json()};
  } catch (e) { return {status: 0, error: String(e)}; }
}"""


def test_a_browser_page_of_the_deck_may_call_the_api_and_another_origin_may_not(fake, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    from test_browser import CHROMIUM
    other_folder = tmp_path / "other"
    make_tiny_deck(other_folder)
    with sync_api.sync_playwright() as p, serving(other_folder, None) as other:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            for host in (f"127.0.0.1:{fake}", f"localhost:{fake}"):
                page.goto(f"http://{host}/como-as-llms-funcionam.html")
                got = page.evaluate(FETCH, ["/api/live/run/echo", {"text": "do deck"}])
                assert got["status"] == 200 and got["json"]["output"]["text"] == "do deck"
            page.goto(f"http://127.0.0.1:{other}/como-as-llms-funcionam.html")   # another origin
            got = page.evaluate(FETCH, [f"http://127.0.0.1:{fake}/api/live/run/echo", {"text": "de fora"}])
            assert got["status"] == 0          # refused (403, and no CORS permission to read it)
        finally:
            browser.close()
    assert answers(fake)
