"""The live demos: what the audience may type on a slide and the same calls the slide cells make.

`registry()` maps a demo name ('next-token', 'generation', 'tokenization', …) to a `LiveDemo`:
its declared parameters (demos.live_params: types, ranges, character caps) and a function that
checks the token caps, calls the same compute and drawing functions as the slide's cell (model
None = the profile's `deck.model`, as in the cells) and returns a `LiveResult`: the output as a
JSON payload (demos.live_output) and a few plain numbers (`meta`). Inputs a demo cannot answer
(a word GloVe does not know, a word that is not one Gemma token, too many tokens) raise
`LiveInputError` with one honest pt-BR line. Generation's defaults (temperature, seed) come
from the profile, read when its parameters are (`LiveDemo.profile`), so only generation cells
depend on deck.temperature and deck.seed in the build's cell cache. Nothing here knows about
HTTP or threads: deckbuild.live_server runs these one at a time."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from demos.live_output import group, output_payload
from demos.live_params import REQUIRED, Choice, Float, Int, LiveInputError, Text
from demos.ptbr import fmt_num

PROMPT_CHARS, PROMPT_TOKENS = 200, 64        # next-token, temperature, generation
TEXT_CHARS, TEXT_TOKENS = 300, 160           # tokenization, per model
SENTENCE_CHARS = 160                         # attention (tokens: demos.attention.MAX_TOKENS)
WORD_CHARS = 40                              # analogies
MAX_STEPS = 40                               # generation: the slide asks for n+1 steps each time
MAX_HIDDEN = 64                              # toy network
TOY_EPOCHS = 300                             # as the slide's train_toy_mlp(seed=0, epochs=300)
SNAPSHOT_EPOCHS = (0, 10, 25, 50, 100)       # frames of the boundary animation (+ the last epoch)
NEXT_TOKENS, TOP_LOGITS = 10, 30             # as the slides: k=10 and k=30


@dataclass(frozen=True)
class LiveResult:
    """What a demo made: `view` is what the slide's cell shows (an Altair chart, an HTML display
    object, or a list of (name, label, object) for several), `meta` small plain values (counts,
    the measured FLOP/s, accuracy). `output` is the view as the JSON the service sends."""
    view: object
    meta: dict

    @property
    def output(self) -> dict:
        if isinstance(self.view, list):
            return group(self.view)
        return output_payload(self.view)


@dataclass(frozen=True)
class LiveDemo:
    """`declared`: name -> demos.live_params declaration; `profile`: name -> the `deck:` key whose
    value replaces that declaration's default, read (and recorded as a config read) only when
    `params` is asked for, so a registry lookup reads no config."""
    name: str
    declared: dict
    run: Callable[..., LiveResult]
    summary: str = ""    # what the demo returns, for /api/live/status
    profile: dict = dataclasses.field(default_factory=dict)

    @property
    def params(self) -> dict:
        """The declarations with the profile's defaults filled in (the declared default when the
        profile has none), typed as the parameter is."""
        if not self.profile:
            return self.declared
        from demos.config import demo_setting
        out = dict(self.declared)
        for name, key in self.profile.items():
            p = out[name]
            cast = float if isinstance(p, Float) else int if isinstance(p, Int) else (lambda v: v)
            out[name] = dataclasses.replace(p, default=cast(demo_setting(key, p.default)))
        return out

    def describe(self) -> dict:
        return {"summary": self.summary, "params": {n: p.describe() for n, p in self.params.items()}}


def _count_tokens(text: str, lm, cap: int, field: str, label: str) -> int:
    """Tokens the model sees for `text` (special tokens included); LiveInputError over `cap`."""
    from demos.next_token import prompt_ids
    n = len(prompt_ids(text, lm))
    if n > cap:
        raise LiveInputError(f"{label}: {fmt_num(n)} tokens no {lm.display_name}; o máximo aqui é "
                             f"{fmt_num(cap)}", field)
    return n


def _deck_lm():
    from demos.models import load_model
    return load_model()


# ---- language model: next token, temperature, generation ----------------------------------

def next_token(prompt: str) -> LiveResult:
    from demos.next_token import next_token_probs
    from demos.next_token_charts import next_token_chart
    lm = _deck_lm()
    n = _count_tokens(prompt, lm, PROMPT_TOKENS, "prompt", "prompt")
    chart = next_token_chart(next_token_probs(prompt, k=NEXT_TOKENS))
    return LiveResult(chart, {"model": lm.display_name, "prompt_tokens": n})


def temperature(prompt: str) -> LiveResult:
    from demos.next_token import top_logits
    from demos.next_token_charts import temperature_chart
    lm = _deck_lm()
    n = _count_tokens(prompt, lm, PROMPT_TOKENS, "prompt", "prompt")
    chart = temperature_chart(top_logits(prompt, k=TOP_LOGITS))
    return LiveResult(chart, {"model": lm.display_name, "prompt_tokens": n})


def generation(prompt: str, steps: int, strategy: str, temperature: float, seed: int) -> LiveResult:
    """generate_steps is deterministic for a seed and caches logits per id sequence, so the
    slide's "próximo token" (steps=n+1) costs one forward pass."""
    from demos.next_token import generate_steps
    from demos.next_token_charts import generation_table
    lm = _deck_lm()
    n = _count_tokens(prompt, lm, PROMPT_TOKENS, "prompt", "prompt")
    df = generate_steps(prompt, steps=steps, strategy=strategy, temperature=temperature, seed=seed)
    stopped = bool(len(df)) and int(df["token_id"].iloc[-1]) == lm.tokenizer.eos_token_id
    return LiveResult(generation_table(df),
                      {"model": lm.display_name, "prompt_tokens": n, "steps": len(df), "stopped": stopped})


# ---- tokenization and attention ------------------------------------------------------------

def tokenization(text: str) -> LiveResult:
    """The chips of the deck model and of deck.tokenizer-contrast-model, with their counts."""
    from demos.models import load_model
    from demos.tokenization import default_models, tokenize
    from demos.tokenization_charts import token_chips
    items, counts = [], []
    for name in default_models():
        lm = load_model(name)
        df = tokenize(text, model=name)
        if len(df) > TEXT_TOKENS:
            raise LiveInputError(f"texto: {fmt_num(len(df))} tokens no {lm.display_name}; o máximo aqui é "
                                 f"{fmt_num(TEXT_TOKENS)}", "text")
        items.append((name, f"{lm.display_name}: {fmt_num(len(df))} tokens", token_chips(df)))
        counts.append({"name": name, "label": lm.display_name, "tokens": len(df)})
    return LiveResult(items, {"models": counts, "chars": len(text)})


def attention(sentence: str) -> LiveResult:
    from demos.attention import MAX_TOKENS, attention_maps
    from demos.attention_charts import attention_chart
    lm = _deck_lm()
    n = _count_tokens(sentence, lm, MAX_TOKENS, "sentence", "frase")
    att = attention_maps(sentence)
    return LiveResult(attention_chart(att),
                      {"model": att.model, "tokens": n, "max_tokens": MAX_TOKENS,
                       "layers": att.layers, "heads": att.heads})


# ---- analogies -----------------------------------------------------------------------------

def analogy_glove(a: str, b: str, c: str, k: int, expected: str | None = None) -> LiveResult:
    """a − b + c among GloVe's 400k lowercase English words (inputs lowercased, as GloVe is)."""
    from demos.embedding_charts import analogy_chart
    from demos.embeddings import analogy, glove
    wv = glove()
    words = {"a": a.lower(), "b": b.lower(), "c": c.lower()}
    for field, word in words.items():
        if word not in wv.index:
            raise LiveInputError(f"“{word}” não está no vocabulário do GloVe ({fmt_num(len(wv.words))} "
                                 "palavras em inglês, minúsculas)", field)
    df = analogy([words["a"], words["c"]], [words["b"]], k=k)
    highlight = expected.lower() if expected and expected.lower() in set(df["word"]) else None
    return LiveResult(analogy_chart(df, highlight=highlight), {"words": words, "vocabulary": len(wv.words)})


def analogy_gemma(a: str, b: str, c: str, k: int, expected: str | None) -> LiveResult:
    """a − b + c in Gemma's input-embedding table (common Portuguese single-token words)."""
    from demos.embedding_charts import analogy_chart
    from demos.embeddings_gemma import gemma_analogy, not_one_token
    words = {"a": a, "b": b, "c": c}
    for field, word in words.items():
        why = not_one_token(word)
        if why:
            raise LiveInputError(f"{why}.", field)
    from demos.models import load_model
    result = gemma_analogy([a, c], [b], expected=expected, k=k)
    return LiveResult(analogy_chart(result),
                      {"model": load_model().display_name, "words": words, "expected_rank": result.expected_rank,
                       "candidates": result.n_candidates, "note": result.note})


# ---- compute and the toy network -----------------------------------------------------------

def this_computer() -> LiveResult:
    """This laptop's matrix-multiply FLOP/s, measured now, in the years-to-train chart."""
    from demos.compute_charts import years_chart
    from demos.compute_scale import default_rates, measure_flops, years_to_train
    measured = measure_flops(seconds=1.0)
    chart = years_chart(years_to_train(default_rates(measured)), model="GPT-3.5")
    return LiveResult(chart,
                      {"flops": measured, "label": f"{fmt_num(measured / 1e9, 0)} bi de operações por segundo"})


def toy_network(hidden: int, seed: int) -> LiveResult:
    """Retrain the slide's MLP with `hidden` neurons per layer: its boundary, epoch by epoch (the
    one view a slide shows, item="boundary"); the final loss and accuracy in meta."""
    from demos.neural_net import train_toy_mlp
    from demos.neural_net_charts import boundary_animation_chart
    t = train_toy_mlp(seed=seed, epochs=TOY_EPOCHS, hidden=hidden, snapshot_epochs=SNAPSHOT_EPOCHS)
    out = [("boundary", "fronteira aprendida, época a época", boundary_animation_chart(t))]
    return LiveResult(out, {"hidden": hidden, "epochs": TOY_EPOCHS, "accuracy": t.accuracy,
                            "final_loss": float(t.loss["loss"].iloc[-1]),
                            "snapshot_epochs": sorted(int(e) for e in t.snapshots["epoch"].unique())})


# ---- the registry --------------------------------------------------------------------------

def registry() -> dict[str, LiveDemo]:
    """Every live demo by name (a fresh dict of the same demos: built once, reading no config;
    generation's `params` read deck.temperature and deck.seed)."""
    return dict(_registry())


@lru_cache(maxsize=None)
def _registry() -> dict[str, LiveDemo]:
    from demos.attention import MAX_TOKENS
    prompt = Text(PROMPT_CHARS, "prompt", max_tokens=PROMPT_TOKENS)

    def word(label: str, default=REQUIRED) -> Text:
        return Text(WORD_CHARS, label, word=True, default=default)

    demos = [
        LiveDemo("next-token", {"prompt": prompt}, next_token,
                 "next_token_chart(next_token_probs(prompt, k=10))"),
        LiveDemo("temperature", {"prompt": prompt}, temperature,
                 "temperature_chart(top_logits(prompt, k=30))"),
        LiveDemo("generation", {
            "prompt": prompt, "steps": Int(1, MAX_STEPS, "passos", default=1),
            "strategy": Choice(("greedy", "sample"), "estratégia", default="greedy"),
            "temperature": Float(0.1, 2.0, "temperatura", default=1.0),
            "seed": Int(0, 2**31 - 1, "semente", default=0)},
            generation, "generation_table(generate_steps(prompt, steps, strategy, temperature, seed))",
            profile={"temperature": "temperature", "seed": "seed"}),
        LiveDemo("tokenization", {"text": Text(TEXT_CHARS, "texto", max_tokens=TEXT_TOKENS)}, tokenization,
                 "token_chips(tokenize(text, model=m)) for the deck model and the contrast model"),
        LiveDemo("attention", {"sentence": Text(SENTENCE_CHARS, "frase", max_tokens=MAX_TOKENS)}, attention,
                 "attention_chart(attention_maps(sentence))"),
        LiveDemo("analogy-glove", {"a": word("a"), "b": word("b"), "c": word("c"),
                                   "k": Int(1, 10, "quantas", default=5),
                                   "expected": word("esperada", default=None)}, analogy_glove,
                 "analogy_chart(analogy([a, c], [b], k)): a − b + c"),
        LiveDemo("analogy-gemma", {"a": word("a"), "b": word("b"), "c": word("c"),
                                   "k": Int(1, 10, "quantas", default=6),
                                   "expected": word("esperada", default=None)}, analogy_gemma,
                 "analogy_chart(gemma_analogy([a, c], [b], expected, k)): a − b + c"),
        LiveDemo("this-computer", {}, this_computer,
                 "years_chart(years_to_train(default_rates(measure_flops())), model='GPT-3.5')"),
        LiveDemo("toy-network", {"hidden": Int(1, MAX_HIDDEN, "neurônios", default=16),
                                 "seed": Int(0, 9999, "semente", default=0)}, toy_network,
                 "boundary_animation_chart(train_toy_mlp(hidden=...))"),
    ]
    return {d.name: d for d in demos}


def warm_up_requests() -> list[tuple[str, dict]]:
    """One request per demo on the slides' own prompts (deck.prompts), run once after the
    model loads: the first live call on stage then finds imports, theme and caches ready."""
    from demos.config import prompt
    return [("next-token", {"prompt": prompt("next-token", 0)}),
            ("temperature", {"prompt": prompt("next-token", 1)}),
            ("generation", {"prompt": prompt("generation"), "steps": 1}),
            ("tokenization", {"text": prompt("tokenization")}),
            ("attention", {"sentence": prompt("attention")}),
            ("analogy-glove", {"a": "king", "b": "man", "c": "woman"}),
            ("analogy-gemma", {"a": "irmão", "b": "homem", "c": "mulher", "expected": "irmã"}),
            ("toy-network", {"hidden": 16})]


__all__ = ["LiveDemo", "LiveInputError", "LiveResult", "registry", "warm_up_requests"]
