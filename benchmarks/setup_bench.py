"""Versions in use and the install and model-conversion figures.

    .venv/bin/python benchmarks/setup_bench.py [--measure] [--cold-cache] [--convert]

Always (instant): the versions of Python, torch, transformers, gguf, altair, pandoc, reveal.js,
Vega-Lite, typst, uv, Node and Chromium in use; the last setup's timings (.venv/.setup-times, written
by tools/setup.sh) and each cached model's conversion time (its deck-cache.json). --measure (or
BENCH_SETUP=1, e.g. `BENCH_SETUP=1 make bench`) times a fresh `git clone` of this repository's HEAD
through tools/setup.sh, models included, into a temporary model cache, then the same setup again
(nothing to do); --cold-cache gives that clone empty uv and npm caches (everything downloaded).
--convert (or BENCH_CONVERT=1) times each model's conversion alone into a temporary DECK_MODEL_CACHE.
Targets on 2 cores: Gemma conversion <= 60 s, setup of a fresh clone <= 120 s, a no-op setup < 1 s."""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"gemma-3-270m": 60.0, "setup": 120.0, "noop": 1.0}


def _run_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "missing"
    return (out.strip().splitlines() or ["missing"])[0]


def _npm_version(package: str) -> str:
    manifest = ROOT / "node_modules" / package / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.exists() else "missing"


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def versions() -> dict[str, str]:
    """Name -> version of every part the build runs on, as installed now."""
    import pypandoc
    uv = ROOT / ".venv" / "bin" / "uv"
    return {
        "python": platform.python_version(),
        "torch": _dist_version("torch"),             # with its build label: 2.13.0+cpu
        "transformers": _dist_version("transformers"),
        "gguf": _dist_version("gguf"),
        "altair": _dist_version("altair"),
        "pandoc": f"{pypandoc.get_pandoc_version()} (pypandoc_binary {_dist_version('pypandoc_binary')})",
        "reveal.js": _npm_version("reveal.js"),
        "vega-lite": _npm_version("vega-lite"),
        "typst": f"{_dist_version('typst')} (PyPI typst)",
        "uv": _run_version([str(uv), "--version"]) if uv.exists() else "missing",
        "node": _run_version(["node", "--version"]),
        "chromium": _run_version([os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium", "--version"]),
    }


def read_times(venv: Path) -> dict[str, str]:
    path = venv / ".setup-times"
    if not path.exists():
        return {}
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def cached_conversions(cache: Path | None = None) -> dict[str, dict]:
    """Model name -> its deck-cache.json (seconds, transformers version), for converted models."""
    from demos import model_cache
    from demos.models import available_models
    out = {}
    for name in available_models():
        marker = (cache / name if cache else model_cache.cache_dir(name)) / model_cache.CACHE_MARKER
        if marker.exists():
            out[name] = json.loads(marker.read_text())
    return out


def _mark(value: float, key: str) -> str:
    target = TARGETS.get(key)
    return "" if target is None else ("  ok" if value <= target else f"  OVER target {target:g} s")


def report_installed() -> None:
    found = versions()
    print("versions in use")
    for name, version in found.items():
        print(f"  {name:<13} {version}")
    times = read_times(ROOT / ".venv")
    print("last setup (.venv/.setup-times)" if times else "last setup: no timings recorded (run make setup)")
    for key, value in times.items():
        print(f"  {key:<30} {value}{' s' if key.endswith('_s') else ''}")
    print("model cache")
    for name, marker in cached_conversions().items():
        seconds = marker.get("seconds")
        shown = f"converted in {seconds:.1f} s{_mark(seconds, name)}" if seconds else "converted (time not recorded)"
        print(f"  {name:<13} {shown} (transformers {marker.get('transformers')})")


def _timed_run(cmd: list[str], cwd: Path, env: dict, log: Path) -> float:
    t0 = time.perf_counter()
    with open(log, "a") as out:
        subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - t0


def measure_setup(cold: bool) -> None:
    """A fresh clone through tools/setup.sh (models included, into a temporary cache), twice."""
    with tempfile.TemporaryDirectory(prefix="deck-setup-bench-") as tmp:
        tmp = Path(tmp)
        clone, log = tmp / "clone", tmp / "setup.log"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {**os.environ, "DECK_MODEL_CACHE": str(tmp / "models")}
        env.pop("VIRTUAL_ENV", None)
        if cold:
            env |= {"UV_CACHE_DIR": str(tmp / "uv-cache"), "npm_config_cache": str(tmp / "npm-cache")}
        print(f"fresh clone of HEAD through tools/setup.sh ({'empty' if cold else 'shared'} uv and npm caches)")
        try:
            first = _timed_run(["bash", "tools/setup.sh"], clone, env, log)
            again = _timed_run(["bash", "tools/setup.sh"], clone, env, log)
        except subprocess.CalledProcessError:
            print(f"  setup failed:\n{log.read_text()[-2000:]}")
            raise
        print(f"  first setup (venv, uv, packages, npm ci, models) {first:7.1f} s{_mark(first, 'setup')}")
        for key, value in read_times(clone / ".venv").items():
            print(f"    {key:<30} {value}{' s' if key.endswith('_s') else ''}")
        for name, marker in cached_conversions(tmp / "models").items():
            print(f"    {name} conversion alone         {marker['seconds']:.1f} s")
        print(f"  second setup (nothing to do)                   {again:7.3f} s{_mark(again, 'noop')}")


def measure_conversion() -> None:
    """Each packaged model converted alone, in its own process, into a temporary cache."""
    from demos.models import available_models
    print("model conversion into an empty DECK_MODEL_CACHE (own process: imports included)")
    with tempfile.TemporaryDirectory(prefix="deck-convert-bench-") as tmp:
        env = {**os.environ, "DECK_MODEL_CACHE": tmp}
        for name in available_models():
            seconds = _timed_run([sys.executable, "-m", "demos.model_cache", name], ROOT, env, Path(tmp) / "log")
            marker = cached_conversions(Path(tmp))[name]
            print(f"  {name:<13} {seconds:6.1f} s (conversion itself {marker['seconds']:.1f} s){_mark(seconds, name)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measure", action="store_true", default=bool(os.environ.get("BENCH_SETUP")),
                    help="time a fresh clone's setup now (about 2 minutes)")
    ap.add_argument("--cold-cache", action="store_true", help="with --measure: empty uv and npm caches")
    ap.add_argument("--convert", action="store_true", default=bool(os.environ.get("BENCH_CONVERT")),
                    help="time each model's conversion into a temporary cache")
    args = ap.parse_args(argv)
    report_installed()
    if args.convert:
        measure_conversion()
    if args.measure:
        measure_setup(args.cold_cache)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
