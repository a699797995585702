"""The live service with the real models over HTTP, as on stage: hostile and broken inputs to every
text demo get an escaped result or a one-line error and the service keeps answering, and a
bounded load (4 clients × 50 mixed requests on loopback) has no errors, reports its p95 latency
and leaves RSS where it was. One server (one LiveService, no warm-up) for the whole module."""
from __future__ import annotations

import re

import pytest

from deckbuild import live_probe
from deckbuild.live_service import LiveService
from live_utils import make_tiny_deck, one_line_error, request, run, serving

RSS_GROWTH_MB = 60      # stated bound for the load test (after one warm-up pass over its inputs)
CLIENTS, PER_CLIENT = 4, 50


@pytest.fixture(scope="module")
def stage(tmp_path_factory, gemma, smol):
    folder = tmp_path_factory.mktemp("deck")
    make_tiny_deck(folder)
    service = LiveService(warm=[], log=lambda line: None).start()
    assert service.wait_ready(120), service.status()["error"]
    with serving(folder, service) as port:
        yield port
    service.close()


def still_answers(port: int) -> bool:
    status, _, data = request(port, "GET", "/api/live/status")
    return status == 200 and data["ready"] is True and data["error"] is None


# ---- hostile and broken inputs ----------------------------------------------------------

FIELDS = {"next-token": "prompt", "temperature": "prompt", "generation": "prompt",
          "tokenization": "text", "attention": "sentence", "analogy-glove": "a", "analogy-gemma": "a"}
WORDS = {"analogy-glove": {"b": "man", "c": "woman"}, "analogy-gemma": {"b": "homem", "c": "mulher"}}
INPUTS = {"script": "<script>alert(1)</script>", "img": "<img src=x onerror=alert(1)>",
          "emoji": "😀🇧🇷🔥", "empty": "", "10k": "x" * 10_000}
RAW = {"invalid-utf8": b'{"%s": "\xff\xfe\xfd"}', "malformed-json": b'{"%s": "sem fim'}
TAG = re.compile(r"<\s*(script|img)\b", re.I)


def _no_live_markup(payload: dict) -> None:
    """HTML outputs carry the text escaped; no <script>/<img> tag comes from the input."""
    items = payload["items"] if payload["kind"] == "group" else [payload]
    for item in items:
        if item["kind"] == "html":
            assert not TAG.search(item["html"]), item["html"][:300]


@pytest.mark.parametrize("label", list(INPUTS))
@pytest.mark.parametrize("demo", list(FIELDS))
def test_hostile_text_gets_an_escaped_result_or_one_line(stage, demo, label):
    text = INPUTS[label]
    status, data = run(stage, demo, {FIELDS[demo]: text, **WORDS.get(demo, {})})
    if label in ("empty", "10k"):
        assert status == 400 and one_line_error(data) and data["field"] == FIELDS[demo]
    elif demo.startswith("analogy") and label != "emoji":
        assert status == 400 and one_line_error(data)     # not a word / not in the vocabulary
    elif status == 200:
        assert data["ok"] is True
        _no_live_markup(data["output"])
    else:
        assert status == 400 and one_line_error(data), data
        assert demo.startswith("analogy") or "tokens" in data["error"]
    assert still_answers(stage)


def test_hostile_prompts_reach_the_model_and_return_escaped(stage):
    status, data = run(stage, "tokenization", {"text": INPUTS["script"]})
    assert status == 200
    html = data["output"]["items"][0]["html"]
    assert "&lt;" in html and "script" in html and not TAG.search(html)


@pytest.mark.parametrize("label", list(RAW))
@pytest.mark.parametrize("demo", ["next-token", "tokenization", "attention", "generation"])
def test_broken_bodies_are_400(stage, demo, label):
    status, data = run(stage, demo, RAW[label] % FIELDS[demo].encode())
    assert status == 400 and one_line_error(data)
    assert still_answers(stage)


def test_one_copy_of_each_model(stage, gemma, smol):
    """The service uses the process's cached models: the very objects the fixtures loaded."""
    from demos import models
    loaded = models._load.cache_info().currsize
    for demo, body in [("next-token", {"prompt": "Uma cópia só"}), ("tokenization", {"text": "uma cópia"}),
                       ("analogy-gemma", {"a": "pai", "b": "homem", "c": "mulher"})]:
        assert run(stage, demo, body)[0] == 200
    assert models.load_model() is gemma and models.load_model("smollm2-135m") is smol
    assert models._load.cache_info().currsize == loaded             # nothing loaded twice


# ---- bounded load -------------------------------------------------------------------------

def test_four_clients_fifty_requests_each(stage, record_property):
    for name, body in [*live_probe.MIX, live_probe.ATTENTION]:
        assert run(stage, name, body)[0] == 200           # warm-up: every input once
    before = live_probe.rss_mb()
    result = live_probe.load(stage, clients=CLIENTS, per_client=PER_CLIENT)
    growth = live_probe.rss_mb() - before
    print(f"\nload: {result.summary()}; RSS {before:.0f} -> {before + growth:.0f} MB")
    record_property("p95_ms", round(result.percentile(95) * 1000))
    record_property("rss_growth_mb", round(growth, 1))
    assert result.failures == [] and len(result.latencies) == CLIENTS * PER_CLIENT
    assert growth < RSS_GROWTH_MB
    assert still_answers(stage)
