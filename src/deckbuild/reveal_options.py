"""The reveal.js configuration of the built-in engine, read from `format: revealjs:` with Quarto's
own option names and, for every option the deck does not declare, Quarto's own defaults.

Quarto 1.10 sources (quarto-cli, tag v1.10.18): the "opinionated" reveal.js defaults are in
src/format/reveal/format-reveal.ts (revealjsFormat: width 1050, height 700, margin 0.1, center
false, linear navigation, edge controls, hash + history, no transitions, `controls: auto` → false,
`pdfMaxPagesPerSlide` only when set, `slide-number: true` → "c/t", `code-line-numbers: true`,
`auto-stretch: true`); the menu and chalkboard plugin defaults in
src/resources/formats/revealjs/plugins/{menu,chalkboard}/plugin.yml and the menu's "Tools" panel
in format-reveal-plugin.ts (revealMenuTools); the default highlight style is "arrow"
(src/command/render/constants.ts). Choices of this deck that differ are declared in _quarto.yml."""
from __future__ import annotations

import html

# Quarto option name (kebab case) -> reveal.js key; values pass through unchanged.
REVEAL_KEYS = ["controls", "controls-tutorial", "controls-layout", "controls-back-arrows", "progress",
               "slide-number", "show-slide-number", "hash", "hash-one-based-index", "history",
               "respond-to-hash-changes", "keyboard", "overview", "center", "touch", "loop", "rtl",
               "navigation-mode", "shuffle", "fragments", "fragment-in-url", "embedded", "help",
               "pause", "show-notes", "auto-play-media", "auto-slide", "auto-slide-stoppable",
               "default-timing", "mouse-wheel", "preview-links", "transition", "transition-speed",
               "background-transition", "view-distance", "mobile-view-distance", "width", "height",
               "margin", "min-scale", "max-scale", "pdf-max-pages-per-slide", "pdf-separate-fragments",
               "pdf-page-height-offset", "auto-animate", "auto-animate-easing", "auto-animate-duration",
               "auto-animate-unmatched", "hide-inactive-cursor", "hide-cursor-time", "jump-to-slide"]
QUARTO_DEFAULTS = {"width": 1050, "height": 700, "margin": 0.1, "center": False,
                   "navigationMode": "linear", "controlsLayout": "edges", "controlsTutorial": False,
                   "hash": True, "history": True, "hashOneBasedIndex": False, "fragmentInURL": False,
                   "transition": "none", "backgroundTransition": "none", "pdfSeparateFragments": False,
                   "controls": False, "slideNumber": False, "jumpToSlide": True,
                   "autoAnimateEasing": "ease", "autoAnimateDuration": 1.0, "autoAnimateUnmatched": True}
MENU_DEFAULTS = {"side": "left", "useTextContentForMissingTitles": True, "markers": False,
                 "loadIcons": False, "openButton": True}
CHALKBOARD_DEFAULTS = {"buttons": True}
HIGHLIGHT_DEFAULT = "arrow"
# Quarto's "Tools" menu panel: (title, key, action run in the page). The PDF-export and scroll-view
# entries of Quarto's list need Quarto's own reveal.js template, so they are left out here.
MENU_TOOLS = [("Tela cheia", "f", "Reveal.triggerKey(70)"),
              ("Modo do apresentador", "s", "Reveal.getPlugin('notes').open()"),
              ("Visão geral dos slides", "o", "Reveal.toggleOverview()")]
CHALKBOARD_TOOLS = [("Quadro branco", "b", "RevealChalkboard.toggleChalkboard()"),
                    ("Desenhar no slide", "c", "RevealChalkboard.toggleNotesCanvas()"),
                    ("Baixar desenhos", "d", "RevealChalkboard.download()")]
HELP_TOOL = ("Atalhos de teclado", "?", "Reveal.toggleHelp()")


def camel(key: str) -> str:
    head, *rest = key.split("-")
    return head + "".join(w.capitalize() for w in rest)


def _block(fmt: dict, key: str) -> dict:
    value = fmt.get(key)
    return value if isinstance(value, dict) else {}


def menu_tools(chalkboard: bool) -> str:
    """The HTML of Quarto's "Tools" menu panel."""
    tools = MENU_TOOLS + (CHALKBOARD_TOOLS if chalkboard else []) + [HELP_TOOL]
    items = [f'<li class="slide-tool-item{" active" if i == 0 else ""}" data-item="{i}">'
             f'<a href="#" onclick="event.preventDefault(); {html.escape(action, quote=True)}">'
             f'<kbd>{html.escape(key)}</kbd> {html.escape(title)}</a></li>'
             for i, (title, key, action) in enumerate(tools)]
    return '<ul class="slide-menu-items">\n' + "\n".join(items) + "\n</ul>"


def reveal_config(fmt: dict, menu_path: str | None = None, chalkboard: bool = False) -> dict:
    """reveal.js options from `format: revealjs:` over Quarto's defaults; `menu_path` (where the
    menu plugin's files are) when the menu is on, `chalkboard` when that plugin is loaded."""
    cfg = dict(QUARTO_DEFAULTS)
    for key in REVEAL_KEYS:
        if key in fmt:
            cfg[camel(key)] = fmt[key]
    if cfg.get("slideNumber") is True:
        vertical = cfg.get("navigationMode") in ("default", "grid")
        cfg["slideNumber"] = "h.v" if vertical else "c/t"
    if not isinstance(fmt.get("controls"), bool):
        cfg["controls"] = False                      # Quarto's `controls: auto`
    if menu_path:
        cfg["menu"] = {**MENU_DEFAULTS, **{camel(k): v for k, v in _block(fmt, "menu").items()},
                       "custom": [{"title": "Ferramentas", "icon": '<i class="fas fa-gear"></i>',
                                   "content": menu_tools(chalkboard)}],
                       "path": menu_path}
    if chalkboard:
        cfg["chalkboard"] = {**CHALKBOARD_DEFAULTS,
                             **{camel(k): v for k, v in _block(fmt, "chalkboard").items()}}
    return cfg


def code_line_numbers(fmt: dict) -> bool:
    """Quarto numbers the lines of echoed code in revealjs unless `code-line-numbers: false`."""
    return fmt.get("code-line-numbers", True) is not False


def highlight_style(fmt: dict) -> str:
    return str(fmt.get("highlight-style") or HIGHLIGHT_DEFAULT)


def auto_stretch(fmt: dict) -> bool:
    return fmt.get("auto-stretch", True) is not False
