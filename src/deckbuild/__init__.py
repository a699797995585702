"""deckbuild: renders the Quarto deck without Quarto (pandoc + nbclient + reveal.js + Chromium + typst),
or hands it to `quarto render` when Quarto is on PATH. One source, two engines."""
