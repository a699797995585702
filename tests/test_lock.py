"""The dependency locks agree with pyproject.toml and environment.yml, and .venv holds the lock.

Offline and fast: the locks record a sha256 of the pyproject.toml fields they were resolved from
(tools/lock.py); every pin is compared with the lock and with what is installed."""
import fnmatch
import importlib.metadata
import importlib.util
import os
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("lock", ROOT / "tools" / "lock.py")
lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lock)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def project_requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    return [Requirement(r) for r in project["dependencies"] + extras]


def applies_here(marker: str | None) -> bool:
    return marker is None or Marker(marker).evaluate()


def pins_here(path: Path) -> dict[str, str]:
    """{name: version} of a lock's entries whose markers hold for this interpreter."""
    return {name: version for name, version, marker in lock.read_pins(path) if applies_here(marker)}


def test_locks_were_made_from_the_current_pyproject():
    assert lock.check() == [], "pyproject.toml changed since the lock: run `python tools/lock.py`"


def test_the_hash_notices_an_edited_pin(tmp_path):
    edited = tmp_path / "pyproject.toml"
    edited.write_text((ROOT / "pyproject.toml").read_text().replace('"altair==', '"altair>='))
    assert lock.input_hash(edited) != lock.input_hash()
    assert any("not generated from the current pyproject.toml" in p for p in lock.check(edited))


def test_every_direct_dependency_is_pinned_to_the_locked_version():
    locked = {}
    for name, version, _ in lock.read_pins(lock.LOCK):
        locked.setdefault(name, set()).add(version)
    for req in project_requirements():
        spec = str(req.specifier)
        assert spec.startswith("==") and "," not in spec, f"pyproject.toml: pin {req.name} with == (got {spec!r})"
        in_lock = locked.get(lock.normalise(req.name))
        assert in_lock == {spec[2:]}, f"{req.name}: pyproject.toml says {spec}, requirements.lock {in_lock}"


def test_no_deps_packages_are_locked_apart_with_hashes():
    nodeps = [Requirement(r) for r in PYPROJECT["tool"]["deck"]["no-deps"]]
    text = lock.NODEPS_LOCK.read_text()
    assert {(lock.normalise(r.name), str(r.specifier)[2:]) for r in nodeps} == \
        {(name, version) for name, version, _ in lock.read_pins(lock.NODEPS_LOCK)}
    assert text.count("--hash=sha256:") >= len(nodeps)
    main = {name for name, _, _ in lock.read_pins(lock.LOCK)}
    assert not main & {lock.normalise(r.name) for r in nodeps} and not main & {"llama-cpp-python", "llm"}


def test_lock_holds_no_cuda_wheels():
    patterns = PYPROJECT["tool"]["deck"]["lock-excludes"]
    cuda = [n for n, _, _ in lock.read_pins(lock.LOCK) if any(fnmatch.fnmatch(n, p) for p in patterns)]
    assert cuda == [] and "torch" in {n for n, _, _ in lock.read_pins(lock.LOCK)}


def test_environment_yml_installs_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    python = next(d for d in conda if d.startswith("python="))
    requires = PYPROJECT["project"]["requires-python"]
    assert Requirement(f"python{requires}").specifier.contains(python.split("=")[1] + ".0"), \
        f"environment.yml: {python} does not satisfy requires-python {requires}"
    assert "-r requirements.lock" in pip and "-e ." in pip
    own = [p for p in pip if re.match(r"^[A-Za-z0-9]", p)]
    assert own == [], f"environment.yml: lists {own}; pin packages in pyproject.toml and re-lock instead"
    assert "requirements-nodeps.lock" in (ROOT / "environment.yml").read_text()


def installed_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@pytest.mark.parametrize("path", [lock.LOCK, lock.NODEPS_LOCK], ids=lambda p: p.name)
def test_venv_holds_exactly_the_locked_versions(path):
    wrong = {}
    for name, version in pins_here(path).items():
        got = installed_version(name)
        if got is None or got.split("+")[0] != version:
            wrong[name] = (version, got)
    assert wrong == {}, f"{sys.prefix} differs from {path.name} (locked, installed): {wrong}; run `make setup`"


@pytest.mark.skipif(sys.platform != "linux" or os.environ.get("UV_TORCH_BACKEND", "cpu") != "cpu",
                    reason="setup installs PyTorch's CPU build on Linux unless UV_TORCH_BACKEND asks otherwise")
def test_torch_is_the_cpu_build():
    import torch
    assert torch.__version__.endswith("+cpu"), f"torch {torch.__version__}: delete .venv and run make setup"
