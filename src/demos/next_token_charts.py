"""Draw next-token predictions: probability bars, a temperature slider (softmax recomputed in
the browser), static temperature small multiples for the PDF, and a generation table."""
from __future__ import annotations

import html

import altair as alt
import pandas as pd

from demos.display import RawHtml
from demos.models import visible
from demos.next_token import temperature_probs
from demos.print_alternative import with_static
from demos.ptbr import fmt_pct
from demos.style import CHART_HEIGHT, CHART_WIDTH, MONO_FONT, TEXT, TEXT_DENSE, described, listing, note_title, palette

TOOLTIP_PCT = ".1%"  # d3 format; the deck's Vega locale (demos.style) turns it into 9,5%


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    """Copy with `shown` (visible, unique token label) for the y axis."""
    d = df.copy()
    shown = [visible(t) for t in d["token"]]
    seen: dict[str, int] = {}
    for i, s in enumerate(shown):  # two ids may decode alike: keep the bars apart
        seen[s] = seen.get(s, 0) + 1
        if seen[s] > 1:
            shown[i] = f"{s} (#{int(d['token_id'].iloc[i])})"
    d["shown"] = shown
    return d


def _bar_height(n: int) -> int:
    return int(min(CHART_HEIGHT, max(120, 33 * n)))


def _bars(d: pd.DataFrame, x: alt.X, label: str, tooltip: list, height: int,
          width: int = CHART_WIDTH - 160) -> alt.LayerChart:
    """Horizontal bars of `x` per token (sorted by rank) with a text label at the bar's end."""
    p = palette()
    y = alt.Y("shown:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None,
              axis=alt.Axis(labelFontSize=TEXT, labelFont=MONO_FONT,
                            labelLimit=220, ticks=False, domain=False))
    base = alt.Chart(d).encode(y=y, x=x, tooltip=tooltip)
    bars = base.mark_bar(color=p["ink"], cornerRadiusEnd=3)
    text = base.mark_text(align="left", dx=6, fontSize=TEXT, color=p["ink"]).encode(text=label)
    return (bars + text).properties(width=width, height=height)


def next_token_chart(probs_df: pd.DataFrame, title: str | None = None) -> alt.LayerChart:
    """Horizontal bars of next-token probabilities (from next_token_probs), pt-BR percentages."""
    d = _labelled(probs_df)
    d["label"] = [fmt_pct(p) for p in d["prob"]]
    top = float(d["prob"].max())
    x = alt.X("prob:Q", title="probabilidade do próximo token",
              axis=alt.Axis(format=".0%", tickCount=5),
              scale=alt.Scale(domain=[0, min(1.0, top * 1.18)]))
    tooltip = [alt.Tooltip("shown:N", title="token"), alt.Tooltip("prob:Q", title="probabilidade",
                                                                  format=TOOLTIP_PCT),
               alt.Tooltip("token_id:Q", title="id")]
    chart = _bars(d, x, "label:N", tooltip, _bar_height(len(d)))
    chart = described(chart, f"Barras: a probabilidade de cada um dos {len(d)} próximos tokens mais "
                             f"prováveis: {listing(f'“{s}” {lbl}' for s, lbl in zip(d['shown'], d['label']))}.")
    return chart.properties(title=title) if title else chart


def temperature_chart(top_logits_df: pd.DataFrame, show: int = 10, title: str | None = None) -> alt.LayerChart:
    """Probability bars with a temperature slider (0,1–2,0): the browser recomputes
    softmax(logit / T) over the embedded top-k logits (renormalised over those k tokens).
    Printed (slide PDF, handout) as temperature_grid(): small multiples at a few temperatures."""
    d = _labelled(top_logits_df)[["rank", "shown", "token_id", "logit"]]
    n = len(d)
    temp = alt.param(name="T", value=1.0,
                     bind=alt.binding_range(min=0.1, max=2.0, step=0.05, name="temperatura "))
    x = alt.X("p:Q", title="probabilidade", axis=alt.Axis(format=".0%", tickCount=5),
              scale=alt.Scale(domain=[0, 1]))
    tooltip = [alt.Tooltip("shown:N", title="token"), alt.Tooltip("p:Q", title="probabilidade",
                                                                  format=TOOLTIP_PCT),
               alt.Tooltip("logit:Q", title="logit", format=".2f")]
    chart = _bars(d, x, alt.Text("p:Q", format=TOOLTIP_PCT), tooltip, _bar_height(min(show, n)))
    chart = chart.add_params(temp).transform_joinaggregate(
        top="max(logit)").transform_calculate(
        e="exp((datum.logit - datum.top) / T)").transform_joinaggregate(
        z="sum(e)").transform_calculate(p="datum.e / datum.z").transform_filter(f"datum.rank <= {show}")
    note = f"renormalizado entre os {n} tokens mais prováveis (mostrando {min(show, n)})"
    at_one = temperature_table(top_logits_df, temps=(1.0,), show=min(show, 5))
    chart = described(chart, f"Barras das probabilidades dos {min(show, n)} próximos tokens mais prováveis, "
                             "recalculadas por um controle de temperatura de 0,1 a 2,0 (baixa concentra, "
                             f"alta espalha); com temperatura 1: "
                             f"{listing(f'“{s}” {lbl}' for s, lbl in zip(at_one['shown'], at_one['label']))}.")
    return with_static(chart.properties(title=note_title(title, note)),
                       temperature_grid(top_logits_df, show=min(show, 8), title=title))


def _temperature_label(t: float) -> str:
    """A small-multiple panel's name: 'T = 0,3'."""
    return f"T = {str(float(t)).replace('.', ',')}"


def temperature_table(top_logits_df: pd.DataFrame, temps=(0.3, 1.0, 2.0), show: int = 8) -> pd.DataFrame:
    """next_token.temperature_probs() with what the small multiples draw: `shown` (visible
    token), `label` (pt-BR percentage) and `panel` ('T = 0,3')."""
    out = temperature_probs(_labelled(top_logits_df), temps, show)
    out["label"] = [fmt_pct(p) for p in out["prob"]]
    out["panel"] = [_temperature_label(t) for t in out["temperature"]]
    return out


def temperature_grid(top_logits_df: pd.DataFrame, temps=(0.3, 1.0, 2.0), show: int = 8,
                     title: str | None = None) -> alt.FacetChart:
    """Static small multiples (one panel per temperature) for the PDF/handout."""
    d = temperature_table(top_logits_df, temps, show)
    p = palette()
    width = int((CHART_WIDTH - 140) / len(temps)) - 40
    y = alt.Y("shown:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None,
              axis=alt.Axis(labelFontSize=TEXT_DENSE, labelFont=MONO_FONT,
                            ticks=False, domain=False, labelLimit=140))
    x = alt.X("prob:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%", tickCount=2))
    base = alt.Chart().encode(y=y, x=x)
    bars = base.mark_bar(color=p["ink"], cornerRadiusEnd=3)
    text = base.mark_text(align="left", dx=4, fontSize=TEXT_DENSE, color=p["ink"]).encode(text="label:N")
    order = [_temperature_label(t) for t in temps]
    tops = [f"{lbl}: {g['shown'].iloc[0]} {g['label'].iloc[0]}" for lbl, g in d.groupby("panel", sort=False)]
    grid = alt.layer(bars, text, data=d).properties(width=width, height=_bar_height(show) - 40).facet(
        column=alt.Column("panel:N", sort=order, title=None,
                          header=alt.Header(labelFontSize=TEXT, labelFontWeight=700))
    ).properties(title=note_title(title, f"renormalizado entre os {len(top_logits_df)} tokens mais prováveis"))
    return described(grid, "Painéis com as probabilidades dos próximos tokens em temperaturas "
                           f"diferentes; o mais provável em cada um: {listing(tops)}.")


def _tail(text: str, chars: int) -> str:
    """The end of `text`, cut at a word start and prefixed with '…' when longer than `chars`."""
    if len(text) <= chars:
        return text
    cut = text[-chars:]
    return "…" + (cut[cut.index(" "):] if " " in cut[:-1] else cut)


def generation_table(steps_df: pd.DataFrame, context_chars: int = 36):
    """HTML table of generate_steps(): the end of the context (`context_chars`), the chosen token
    (highlighted), its probability and the runners-up; every token escaped, whitespace visible."""
    p = palette()
    tok = (f"font-family:{MONO_FONT};background:{p['light']};"
           "border-radius:4px;padding:0 4px;white-space:pre")
    cs = f"padding:0.15em 0.5em;border-bottom:1px solid {p['light']}"
    cell = f'style="{cs}"'
    rows = []
    for r in steps_df.itertuples(index=False):
        chosen = f"<mark style=\"{tok};background:{p['bolt']};color:{p['ink']}\">{html.escape(visible(r.token))}</mark>"
        alts = " ".join(f"<span style=\"white-space:nowrap\"><span style=\"{tok}\">"
                        f"{html.escape(visible(t))}</span>&nbsp;{fmt_pct(q)}</span>"
                        for t, q in r.runners_up)
        rows.append(f"<tr><td {cell}>{r.step}</td><td {cell}>{html.escape(_tail(r.text_so_far, context_chars))}{chosen}</td>"
                    f"<td style=\"{cs};text-align:right\">{fmt_pct(r.prob)}</td><td {cell}>{alts}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("passo", "texto até aqui + token escolhido",
                                              "probabilidade", "outras opções"))
    return RawHtml(f"<table class=\"generation-table\" style=\"font-size:0.625em;border-collapse:collapse\">"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
