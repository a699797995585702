"""Write the dependency locks from pyproject.toml, or check that they still match it.

    python tools/lock.py            # re-resolve with uv (PyPI), keeping unchanged pins, rewrite both locks
    python tools/lock.py --upgrade  # the same, letting every unpinned (transitive) package move
    python tools/lock.py --check    # offline: exit 1 when pyproject.toml changed since the lock

requirements.lock is a universal `uv pip compile` of the project's dependencies and all extras
(Linux, macOS, Python 3.11+), without the CUDA-only wheels named in [tool.deck] lock-excludes:
setup installs a CPU torch. requirements-nodeps.lock pins, with hashes, the packages of
[tool.deck] no-deps, which are installed without their declared dependencies. Each lock starts
with a sha256 of the pyproject.toml fields it came from, so a test can tell, offline and at once,
that a pin was edited without re-locking."""
from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
NODEPS_LOCK = ROOT / "requirements-nodeps.lock"
HASH_PREFIX = "# input-sha256: "
COMMAND = "python tools/lock.py"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;\s*(.+?))?\s*(?:\\)?$")


def normalise(name: str) -> str:
    """PEP 503 name: 'PyYAML' and 'pyyaml', 'zxing_cpp' and 'zxing-cpp' are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_inputs(pyproject: Path = PYPROJECT) -> dict:
    """The pyproject.toml fields a lock depends on."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project, deck = data.get("project", {}), data.get("tool", {}).get("deck", {})
    return {"requires-python": project.get("requires-python"),
            "dependencies": project.get("dependencies", []),
            "optional-dependencies": project.get("optional-dependencies", {}),
            "no-deps": deck.get("no-deps", []), "lock-excludes": deck.get("lock-excludes", [])}


def input_hash(pyproject: Path = PYPROJECT) -> str:
    return hashlib.sha256(json.dumps(lock_inputs(pyproject), sort_keys=True).encode()).hexdigest()


def recorded_hash(lock: Path) -> str | None:
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(HASH_PREFIX):
            return line[len(HASH_PREFIX):].strip()
    return None


def read_pins(lock: Path) -> list[tuple[str, str, str | None]]:
    """[(normalised name, version, marker or None)] of every `name==version` line of a lock."""
    pins = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins.append((normalise(match[1]), match[2], match[3]))
    return pins


def check(pyproject: Path = PYPROJECT) -> list[str]:
    """Problems that make the locks disagree with pyproject.toml (empty: they agree)."""
    want = input_hash(pyproject)
    problems = []
    for lock in (LOCK, NODEPS_LOCK):
        if not lock.exists():
            problems.append(f"{lock.name} is missing: run `{COMMAND}`")
        elif recorded_hash(lock) != want:
            problems.append(f"{lock.name} was not generated from the current pyproject.toml: run `{COMMAND}`")
    return problems


def _uv() -> str:
    for candidate in (os.environ.get("UV"), shutil.which("uv"), str(ROOT / ".venv" / "bin" / "uv")):
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("lock: uv is missing: run `make setup` (it installs uv into .venv) or `pip install uv`")


def _compile(uv: str, args: list[str], out: Path, excludes: list[str], upgrade: bool) -> None:
    """`uv pip compile` into `out`; the pins already in `out` are kept where they still fit."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [uv, "pip", "compile", "--quiet", "--universal", "--no-config",
               "--custom-compile-command", COMMAND, "-o", str(out), *args, *(["--upgrade"] if upgrade else [])]
        if excludes:
            exclude_file = Path(tmp) / "excludes.txt"
            exclude_file.write_text("\n".join(excludes) + "\n")
            cmd += ["--excludes", str(exclude_file)]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_FIND_LINKS", "UV_TORCH"))}
        subprocess.run(cmd, cwd=ROOT, check=True, env=env)


def _stamp(lock: Path, digest: str) -> None:
    lines = lock.read_text(encoding="utf-8").splitlines()
    lines.insert(2, f"{HASH_PREFIX}{digest}")
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_locks(upgrade: bool = False) -> None:
    """Resolve against PyPI alone (no local wheel folder: the lock must work on any machine).
    Both files are written in a temporary folder and moved into place only when both resolved."""
    uv, inputs, digest = _uv(), lock_inputs(), input_hash()
    extras = sorted(inputs["optional-dependencies"])
    project_args = ["pyproject.toml", *[a for extra in extras for a in ("--extra", extra)]]
    with tempfile.TemporaryDirectory() as tmp:
        lock, nodeps_lock, nodeps_in = Path(tmp) / LOCK.name, Path(tmp) / NODEPS_LOCK.name, Path(tmp) / "nodeps.in"
        for final, staged in ((LOCK, lock), (NODEPS_LOCK, nodeps_lock)):
            if final.exists():
                shutil.copy(final, staged)
        # First pass: find the names that the exclude patterns match, then resolve without them.
        _compile(uv, project_args, lock, [], upgrade)
        excluded = sorted({name for name, _, _ in read_pins(lock)
                           if any(fnmatch.fnmatch(name, pattern) for pattern in inputs["lock-excludes"])})
        _compile(uv, project_args, lock, excluded, upgrade)
        nodeps_in.write_text("\n".join(inputs["no-deps"]) + "\n")
        _compile(uv, [str(nodeps_in), "--no-deps", "--generate-hashes", "--no-annotate"], nodeps_lock, [], upgrade)
        for final, staged in ((LOCK, lock), (NODEPS_LOCK, nodeps_lock)):
            _stamp(staged, digest)
            shutil.move(staged, final)
    print(f"lock: wrote {LOCK.name} ({len(read_pins(LOCK))} pins, excluded {', '.join(excluded) or 'nothing'}) "
          f"and {NODEPS_LOCK.name}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check the recorded input hash (offline)")
    ap.add_argument("--upgrade", action="store_true", help="let unpinned packages move to their newest release")
    args = ap.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(f"lock: {problem}", file=sys.stderr)
        return 1 if problems else 0
    write_locks(args.upgrade)
    return 0


if __name__ == "__main__":
    sys.exit(main())
