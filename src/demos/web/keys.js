// The presenter's keys.
// 1. Chart controls (Vega sliders and radio buttons) and the live forms' buttons never keep the
//    keyboard: once used, they let go of the focus, and a remote's PageDown/PageUp or space on a
//    focused control moves the deck instead of the control.
// 2. A slider's value is shown with a decimal comma, in a box of fixed width (no jumping).
// 3. In the speaker view (reveal.js notes plugin: the deck in an iframe with ?receiver), B, C, M
//    and O act on the audience's window: the chalkboard, notes canvas, menu and overview open
//    on the projector, not in the preview.
const NAV_KEYS = {PageDown: "next", PageUp: "prev", " ": "next"};

function isControl(el) {
  return el && el.tagName === "INPUT" && ["range", "radio", "checkbox"].includes(el.type) ||
    el && el.tagName === "BUTTON" && el.closest(".live-form, .vega-bindings");
}

function releaseFocus(ev) {
  const el = ev.target;
  if (isControl(el)) setTimeout(() => el.blur(), 0);
}

document.addEventListener("change", releaseFocus, true);
document.addEventListener("pointerup", releaseFocus, true);
document.addEventListener("keydown", (ev) => {
  const el = document.activeElement;
  const move = NAV_KEYS[ev.key];
  if (!move || !isControl(el) || !window.Reveal) return;
  ev.preventDefault();
  ev.stopPropagation();
  el.blur();
  window.Reveal[move]();
}, true);

// 2. slider values: "1.05" → "1,05"
function commaValue(span) {
  const fix = () => {
    if (span.textContent.includes(".")) span.textContent = span.textContent.replace(".", ",");
  };
  new MutationObserver(fix).observe(span, {childList: true, characterData: true, subtree: true});
  fix();
}

new MutationObserver((records) => {
  for (const r of records) {
    for (const node of r.addedNodes) {
      if (node.nodeType !== 1) continue;
      for (const input of node.querySelectorAll?.(".vega-bind input[type=range]") || []) {
        const span = input.nextElementSibling;
        if (span && !span.classList.contains("vega-bind-value")) {
          span.classList.add("vega-bind-value");
          commaValue(span);
        }
      }
    }
  }
}).observe(document.documentElement, {childList: true, subtree: true});

// 3. speaker view → audience window
function audienceWindow() {
  try {
    const main = window.parent && window.parent !== window ? window.parent.opener : null;
    return main && main.Reveal ? main : null;
  } catch (e) {
    return null;                                   // another origin: leave the keys alone
  }
}

function forwardSpeakerKeys(reveal) {
  if (!/[?&]receiver\b/.test(window.location.search)) return;
  const actions = {
    66: (w) => w.Reveal.getPlugin("RevealChalkboard")?.toggleChalkboard(),        // B
    67: (w) => w.Reveal.getPlugin("RevealChalkboard")?.toggleNotesCanvas(),       // C
    77: (w) => (w.Reveal.getPlugin("menu") || w.Reveal.getPlugin("RevealMenu"))?.toggle(),  // M
    79: (w) => w.Reveal.toggleOverview(),                                          // O
  };
  const bind = () => {
    for (const [code, act] of Object.entries(actions)) {
      reveal.addKeyBinding({keyCode: Number(code), key: String.fromCharCode(code), description: "na tela da plateia"},
                           () => { const w = audienceWindow(); if (w) act(w); });
    }
    document.documentElement.dataset.speakerKeys = "audience";   // installed (tests wait for it)
  };
  // The menu plugin binds M itself once its CSS has loaded, possibly after "ready": bind after it.
  const menu = reveal.getPlugin("menu") || reveal.getPlugin("RevealMenu");
  if (menu && menu.isMenuInitialised && !menu.isMenuInitialised()) {
    reveal.getRevealElement().addEventListener("menu-ready", bind, {once: true});
  } else {
    bind();
  }
}

if (window.Reveal && typeof window.Reveal.isReady === "function") {
  if (window.Reveal.isReady()) forwardSpeakerKeys(window.Reveal);
  else window.Reveal.on("ready", () => forwardSpeakerKeys(window.Reveal));
}
