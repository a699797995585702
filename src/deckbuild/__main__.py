"""`python -m deckbuild build|present|new-event` (see deckbuild.cli).

Supported features of the built-in engine (pandoc + nbclient + reveal.js; Quarto is used
instead when it is on PATH):

- `{python}` cells with `#|` options: echo, eval, include, output (incl. `output: asis`),
  warning, error, code-fold (a <details> element), code-summary, fig-cap, fig-alt (the
  <img alt> / chart aria-label), label; inline `` `{python} expr` ``; one kernel per deck
  with a freeze cache in `.deck-cache/` (`--fresh` ignores it).
- Shortcodes `{{< include >}}`, `{{< var >}}`, `{{< meta >}}` (resolved by deckbuild.qmd).
- Slides from `##` headings; `::: notes`; `::: {.columns}` / `::: {.column width="40%"}`;
  `. . .` pauses; `{.incremental}` lists and `::: {.incremental}`; `.fragment`; slide classes
  `.smaller`, `.scrollable`, `.center`; `{background-color=...}` / `{background-image=...}`.
- Title slide from `title`, `subtitle`, `author`, `date` (and `title-slide-attributes`).
- `format: revealjs:` options: theme (Quarto-style SCSS), logo, footer, slide-number,
  show-slide-number, hash, transition, chalkboard, menu, controls, progress, center,
  width/height/margin and the other reveal.js options by their kebab-case names.
- Cell outputs: PNG/SVG figures (with fig-cap/fig-alt), Vega-Lite v5/v6 charts (vega-embed,
  SVG renderer, local scripts), HTML (pandas tables), Markdown, text, errors (`error: true`).
- Outputs: `<stem>.html` + `<stem>_files/` (offline), `<stem>-standalone.html` (one file),
  `<stem>.pdf` (Chromium, one page per slide), `<stem>-notes.pdf` (--notes-pdf),
  `<stem>-handout.pdf` (A4, pandoc → typst) with slide content, figures and speaker notes."""
import sys

from deckbuild.cli import main

sys.exit(main())
