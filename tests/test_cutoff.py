"""Nothing dated after the event: the active profile's event.start is the cutoff.

At the default profile's date (10 June 2025) no table the deck reads has a row dated later; a
profile made by `new-event` for December 2026 brings the newer rows in (NVIDIA fiscal 2026, the
US$ 5 tri milestone) without any code change; and a slide that states a later fact stops the
build naming the slide's file and line. Dates are read here with csv/yaml, independently of
demos.sourced_data. Two small builds (the market partial only, no language model)."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from data_utils import DEFAULT_NAME, EVENT_START, REPO, data_rows, end_of_period
from demos import market
from demos.sourced_data import all_tables, event_cutoff

LATER = dt.date(2026, 12, 1)
LATER_SLUG = "evento-dezembro-2026"


def test_the_default_cutoff_is_the_default_profiles_event_start():
    assert EVENT_START == dt.date(2025, 6, 10)
    assert event_cutoff() == EVENT_START


@pytest.mark.parametrize("name", [t for t in all_tables() if t.endswith(".csv") and "date" in data_rows(t)[0]])
def test_default_profile_reads_nothing_dated_after_june_2025(name):
    from demos.sourced_data import load_table
    raw = data_rows(name)
    later = [r for r in raw if r["date"] and not r.get("exempt") and end_of_period(r["date"]) > EVENT_START]
    df = load_table(name.removesuffix(".csv"))
    shown = [d for d, ex in zip(df["_as_of"], df.get("exempt", [""] * len(df))) if d and not ex]
    assert all(d <= EVENT_START for d in shown), name
    assert len(df) == len(raw) - len(later)


def test_june_2025_shows_fiscal_2025_and_three_trillion_at_most():
    rev = market.nvidia_revenue()
    assert rev["fiscal_year"].tolist() == ["FY2023", "FY2024", "FY2025"]
    ms = market.nvidia_milestones()
    assert ms["market_value_usd"].max() == 3e12
    assert market.nvidia_revenue().attrs["cutoff"] == EVENT_START
    refs = market.references()
    assert "nvidia2026fy" not in set(refs["key"]) and "ap2025" not in set(refs["key"])
    assert "google2025" in set(refs["key"])          # the demo model is a tool, exempt from the cutoff


def test_december_2026_shows_fiscal_2026_and_five_trillion():
    rev = market.nvidia_revenue(cutoff=LATER)
    assert rev["fiscal_year"].iloc[-1] == "FY2026"
    assert rev["revenue_usd"].iloc[-1] == float(next(r for r in data_rows("nvidia_revenue.csv")
                                                     if r["fiscal_year"] == "FY2026")["revenue_usd"])
    assert market.nvidia_milestones(cutoff=LATER)["market_value_usd"].max() == 5e12
    latest = market.latest_estimates("Epoch AI", cutoff=LATER)
    assert set(latest["date"]) == {"2026-04-15"} and "Oracle" in set(latest["company"])
    assert "regras para modelos de propósito geral" in market.regulation_status("AI Act", cutoff=LATER)


# ---------- the same through a real profile and a real build ----------

CLAIM_SLIDE = """## Afirmação datada

Receita do ano fiscal 2026: US$ `{python} fmt_big(row_value("nvidia_revenue", "fiscal_year", "FY2026", "revenue_usd"))`.

::: notes
Uma afirmação que depende de um dado publicado depois do evento.
:::
"""


def _project(dest: Path, body: str) -> Path:
    """The deck's config, data, assets and slides, rendering a small deck: _setup + `body` (+ the
    chart runtime the deck ends with)."""
    for d in ("slides", "assets", "data"):
        shutil.copytree(REPO / d, dest / d)
    for f in ("_variables.yml", f"_quarto-{DEFAULT_NAME}.yml"):
        shutil.copy(REPO / f, dest / f)
    cfg = (REPO / "_quarto.yml").read_text(encoding="utf-8")
    (dest / "_quarto.yml").write_text(re.sub(r"(?m)^(\s+- )slides/[\w-]+\.qmd$", r"\1slides/cutoff.qmd", cfg, count=1),
                                      encoding="utf-8")
    runtime = "\n{{< include _runtime.qmd >}}\n" if (dest / "slides" / "_runtime.qmd").exists() else ""
    (dest / "slides" / "cutoff.qmd").write_text("{{< include _setup.qmd >}}\n\n" + body + runtime, encoding="utf-8")
    if (REPO / "node_modules").exists():
        (dest / "node_modules").symlink_to(REPO / "node_modules")
    return dest


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QUARTO_PROFILE", "DECK_ROOT", "DECK_MODEL")}
    return subprocess.run([sys.executable, "-m", "deckbuild", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def test_a_claim_newer_than_the_event_fails_the_build_naming_file_and_line(tmp_path):
    root = _project(tmp_path / "deck", CLAIM_SLIDE)
    proc = _run(root, "build", "--engine", "builtin", "--no-pdf")
    assert proc.returncode != 0
    first = next(l for l in proc.stderr.splitlines() if l.startswith("error:"))
    line = 1 + next(i for i, l in enumerate(CLAIM_SLIDE.splitlines(), 1) if "FY2026" in l) + 1  # after the include
    assert f"slides/cutoff.qmd:{line}" in first, first
    assert "Afirmação datada" in first and "CutoffError" in first
    assert "data/nvidia_revenue.csv line 5" in first and "2025-06-10" in first
    assert not (root / "_output").exists()


def test_new_event_for_a_later_date_brings_the_newer_rows_in(tmp_path):
    root = _project(tmp_path / "deck", "{{< include _mercado.qmd >}}\n")
    made = _run(root, "new-event", "--name", "Evento Dezembro 2026", "--start", LATER.isoformat(),
                "--end", "2026-12-03", "--city", "Natal", "--root", str(root))
    assert made.returncode == 0, made.stderr
    assert (root / f"_quarto-{LATER_SLUG}.yml").is_file()
    proc = _run(root, "build", "--profile", LATER_SLUG, "--engine", "builtin", "--no-pdf")
    assert proc.returncode == 0, proc.stderr[-3000:]
    html = next((root / f"_output-{LATER_SLUG}").glob("cutoff*.html")).read_text(encoding="utf-8")
    assert "AF 2026" in html and "US$ 215,9 bi" in html and "US$ 5 tri" in html
    assert "dados até dez. 2026" in html and "jun. 2025" not in html
    assert "399 dias" in html                  # 3 → 4 tri, the slowest step, is in the notes
