"""Prints a built deck to PDF with headless Chromium: one page per slide, fragments shown.

Chromium opens `<stem>.html?print-pdf&pdfSeparateFragments=false` from file:// (optionally with
`showNotes=separate-page` for a notes PDF) in a fresh profile with networking extras off.
`--print-to-pdf` with `--virtual-time-budget` prints too early here: reveal.js lays the print
pages out after the `load` event in a requestAnimationFrame that virtual time never runs. So
the page is driven over the DevTools pipe (`--remote-debugging-pipe`): wait until reveal.js
has built its `.pdf-page`s and every Vega chart has its SVG, then `Page.printToPDF`."""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from deckbuild.document import DeckError

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars"]
PRINT_READY = """(() => {
  if (document.readyState !== 'complete' || !window.Reveal || !Reveal.isReady()) return false;
  if (document.fonts && document.fonts.status !== 'loaded') return false;
  const charts = [...document.querySelectorAll('.vega-chart')];
  if (!charts.every(c => c.querySelector('svg'))) return false;
  return !document.documentElement.classList.contains('print-pdf') ||
         document.querySelectorAll('.pdf-page').length > 0;
})()"""


def chromium_path() -> str:
    """CHROMIUM from the environment, else chromium / chromium-browser / google-chrome on PATH."""
    env = os.environ.get("CHROMIUM")
    if env and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise DeckError("chromium is missing (needed for the PDF): run `make setup` (tools/setup.sh) "
                    "or set CHROMIUM=/path/to/chrome; `--no-pdf` builds the HTML only")


class Browser:
    """A headless Chromium driven over --remote-debugging-pipe (CDP messages end with NUL)."""

    def __init__(self, window: tuple[int, int] = (1050, 700)):
        self.profile = tempfile.TemporaryDirectory(prefix="deck-chromium-")
        to_child, self._w = os.pipe()
        self._r, from_child = os.pipe()

        def fds():  # the child reads commands on fd 3 and writes replies on fd 4
            a, b = os.dup(to_child), os.dup(from_child)     # above 4, so dup2 cannot clobber
            a, b = os.dup(a) if a < 5 else a, os.dup(b) if b < 5 else b
            os.dup2(a, 3)
            os.dup2(b, 4)
        cmd = [chromium_path(), *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self.profile.name}",
               f"--window-size={window[0]},{window[1]}", "about:blank"]
        self.proc = subprocess.Popen(cmd, preexec_fn=fds, pass_fds=(3, 4),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buf, self._id, self.session = b"", 0, None
        page = next(t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]

    def call(self, method: str, timeout: float = 60, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if self.session and not method.startswith(("Target.", "Browser.")):
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise DeckError(f"chromium: {method} failed: {reply['error'].get('message')}")
                    return reply.get("result", {})
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise DeckError(f"chromium did not answer {method} within {timeout:.0f} s")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise DeckError(f"chromium exited during {method}")
            self._buf += chunk

    def open(self, url: str, ready: str = PRINT_READY, timeout: float = 90, settle: float = 0.3) -> None:
        """Navigate and wait until the `ready` expression is true (then `settle` seconds more)."""
        self.call("Page.enable")
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while not self.evaluate(ready):
            if time.monotonic() > deadline:
                raise DeckError(f"the deck did not finish loading within {timeout:.0f} s: {url}")
            time.sleep(0.1)
        time.sleep(settle)

    def evaluate(self, expression: str):
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return res.get("result", {}).get("value")

    def pdf(self, out: Path) -> Path:
        data = self.call("Page.printToPDF", timeout=120, preferCSSPageSize=True, printBackground=True,
                         displayHeaderFooter=False, marginTop=0, marginBottom=0, marginLeft=0, marginRight=0)
        Path(out).write_bytes(base64.b64decode(data["data"]))
        return Path(out)

    def screenshot(self, out: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png")
        Path(out).write_bytes(base64.b64decode(data["data"]))
        return Path(out)

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except DeckError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass
        self.profile.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def print_slides(html: Path, out: Path, notes: bool = False) -> Path:
    """`<stem>.pdf` (or the notes variant, a notes page after each slide that has notes)."""
    html, out = Path(html).resolve(), Path(out).resolve()
    query = "print-pdf&pdfSeparateFragments=false" + ("&showNotes=separate-page" if notes else "")
    with Browser() as browser:
        browser.open(f"{html.as_uri()}?{query}")
        return browser.pdf(out)


def screenshot(html: Path, out: Path, slide: int = 0, size: tuple[int, int] = (1050, 700)) -> Path:
    """PNG of one slide (0-based horizontal index) as the audience sees it."""
    with Browser(size) as browser:
        browser.call("Emulation.setDeviceMetricsOverride", width=size[0], height=size[1],
                     deviceScaleFactor=1, mobile=False)
        browser.open(f"{Path(html).resolve().as_uri()}#/{slide}")
        return browser.screenshot(out)
