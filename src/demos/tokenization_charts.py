"""Draw tokenization: coloured token chips with their ids (HTML, every token escaped) and
grouped bars of how many tokens the same meaning costs per language and model."""
from __future__ import annotations

import html

import altair as alt
import pandas as pd

from demos.display import RawHtml, raw_typst_block, typst_string
from demos.style import CHART_HEIGHT, CHART_WIDTH, MONO_FONT, TEXT, contrast, described, listing, palette, text_color, tint

__all__ = ["chip_colors", "contrast", "token_chips", "token_cost_chart"]

CHIP_COLORS = ("accent", "teal", "bolt", "magenta", "ink", "gray")


def chip_colors() -> list[tuple[str, str]]:
    """(background, text) pairs the chips cycle through."""
    p = palette()
    return [(bg, text_color(bg)) for bg in (tint(p[k]) for k in CHIP_COLORS)]


def token_chips(tokens_df: pd.DataFrame, show_ids: bool = True, font_size: str = "1.25em"):
    """The tokens of tokenize() as coloured chips with the id under each (IPython HTML)."""
    colors = chip_colors()
    chips = []
    for i, r in enumerate(tokens_df.itertuples(index=False)):
        bg, fg = colors[i % len(colors)]
        ident = (f"<span style=\"display:block;font-size:0.68em;opacity:0.9;margin-top:0.1em\">"
                 f"{int(r.token_id)}</span>") if show_ids else ""
        chips.append(
            f"<span class=\"token-chip\" title=\"{html.escape(str(r.token), quote=True)}\" "
            f"style=\"display:inline-block;text-align:center;background:{bg};color:{fg};"
            f"border-radius:0.25em;padding:0.1em 0.3em;margin:0.12em 0.06em;line-height:1.1\">"
            f"<span style=\"font-family:{MONO_FONT};white-space:pre\">"
            f"{html.escape(str(r.display))}</span>{ident}</span>")
    return RawHtml(f"<div class=\"token-chips\" style=\"font-size:{font_size};line-height:1.6\">"
                   f"{''.join(chips)}</div>", handout=chips_typst(tokens_df, show_ids))


def chips_typst(tokens_df: pd.DataFrame, show_ids: bool = True) -> str:
    """The same chips for the handout: typst boxes that wrap like words, the id under each."""
    mono = '("JetBrains Mono", "DejaVu Sans Mono")'
    colors, boxes = chip_colors(), []
    for i, r in enumerate(tokens_df.itertuples(index=False)):
        bg, fg = colors[i % len(colors)]
        lines = [f"text(font: {mono}, fill: rgb({typst_string(fg)}), {typst_string(r.display)})"]
        if show_ids:
            lines.append(f"text(size: 0.72em, fill: rgb({typst_string(fg)}), {typst_string(int(r.token_id))})")
        cells = ", ".join(f"align(center, {line})" for line in lines)
        boxes.append(f"#box(fill: rgb({typst_string(bg)}), inset: 3pt, radius: 2pt)[#stack(spacing: 3pt, {cells})]")
    return raw_typst_block("#block(par(leading: 0.9em)[" + " ".join(boxes) + "])")


def token_cost_chart(cost_df: pd.DataFrame, title: str | None = None) -> alt.LayerChart:
    """Grouped bars: tokens per text (label, e.g. language) for each model, count on each bar."""
    p = palette()
    models = list(dict.fromkeys(cost_df["model"]))
    labels = list(dict.fromkeys(cost_df["label"]))
    colors = [p["ink"], p["accent"], p["teal"], p["magenta"], p["gray"]]
    base = alt.Chart(cost_df).encode(
        x=alt.X("label:N", sort=labels, title=None, scale=alt.Scale(paddingInner=0.25),
                axis=alt.Axis(labelAngle=0, labelFontSize=TEXT, ticks=False, domain=False)),
        xOffset=alt.XOffset("model:N", sort=models, scale=alt.Scale(paddingInner=0.08)),
        y=alt.Y("tokens:Q", title="número de tokens", axis=alt.Axis(tickCount=5, format="d"),
                scale=alt.Scale(domain=[0, cost_df["tokens"].max() * 1.15])),  # room for the top label
        tooltip=[alt.Tooltip("model:N", title="modelo"), alt.Tooltip("label:N", title="texto"),
                 alt.Tooltip("tokens:Q", title="tokens"), alt.Tooltip("chars:Q", title="caracteres")])
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        color=alt.Color("model:N", sort=models, title=None,
                        scale=alt.Scale(domain=models, range=colors[:len(models)]),
                        legend=alt.Legend(orient="top", labelFontSize=TEXT, symbolSize=300, labelLimit=0,
                                         columnPadding=30)))
    text = base.mark_text(dy=-14, fontSize=TEXT, fontWeight=700, color=p["ink"]).encode(text="tokens:Q")
    chart = (bars + text).properties(width=CHART_WIDTH - 120, height=CHART_HEIGHT - 60)
    counts = [f"{m}: " + listing(f"{r.tokens} em {r.label}" for r in cost_df[cost_df["model"] == m].itertuples())
              for m in models]
    chart = described(chart, "Barras agrupadas: quantos tokens a mesma frase custa em cada idioma, por "
                             f"modelo. {'; '.join(counts)}.")
    return chart.properties(title=title) if title else chart
