"""The Quarto path: when `quarto` is on PATH, `quarto render --profile P` builds the HTML (Quarto
executes the cells with its own freeze), then the same Chromium step prints `<stem>.pdf`.

Quarto writes into the project's output-dir; like the built-in engine, the result is staged
in a temporary folder and swapped into ProjectConfig.output_dir only when every step succeeded.
The reading handout needs the built-in engine's executed Markdown: build it with
`--engine builtin`."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from deckbuild.document import DeckError


def quarto_path() -> str:
    found = shutil.which("quarto")
    if not found:
        raise DeckError("quarto is not on PATH: install it from quarto.org or use --engine builtin")
    return found


def build(root: Path, profile: str | None, *, pdf: bool = True, notes_pdf: bool = False, progress=print):
    """Render with Quarto, then print the slide PDF(s); returns a deckbuild.build.BuildResult."""
    from deckbuild.build import BuildResult, _swap
    from deckbuild.config import load_project_config
    from deckbuild import pdf as pdf_mod

    config = load_project_config(root, profile)
    out = Path(config.output_dir)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [quarto_path(), "render", "--output-dir", str(tmp)]
    if config.profile:
        cmd += ["--profile", config.profile]
    env = {**os.environ, "DECK_ROOT": str(root), "DECK_ENGINE": "quarto", "HF_HUB_OFFLINE": "1"}
    if config.profile:
        env["QUARTO_PROFILE"] = config.profile
    progress(f"quarto render {'--profile ' + config.profile if config.profile else ''}")
    result = BuildResult(out, engine="quarto")
    try:
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = " | ".join(proc.stderr.strip().splitlines()[-4:])
            raise DeckError(f"quarto render failed (exit {proc.returncode}): {tail}", root / "_quarto.yml")
        decks = [p for p in sorted(tmp.glob("*.html")) if not p.name.endswith("-standalone.html")]
        files = list(decks)
        if pdf:
            for html in decks:
                progress(f"pdf · {html.name}")
                files.append(pdf_mod.print_slides(html, html.with_suffix(".pdf")))
                if notes_pdf:
                    files.append(pdf_mod.print_slides(html, html.with_name(f"{html.stem}-notes.pdf"), notes=True))
        _swap(tmp, out)
        result.files = [out / f.relative_to(tmp) for f in files]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    progress(f"done → {out}")
    return result
