"""Shared test fixtures: the two packaged language models, loaded once per test session
(demos.models caches them per process; the first run converts the GGUF files once)."""
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the model hub in tests


@pytest.fixture(scope="session")
def gemma():
    from demos.models import load_model
    return load_model("gemma-3-270m")


@pytest.fixture(scope="session")
def smol():
    from demos.models import load_model
    return load_model("smollm2-135m")


READER_FIXTURE = Path(__file__).parent / "fixtures" / "reader" / "project"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A fresh copy of the reader's fixture project (no QUARTO_PROFILE in the environment)."""
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)
    root = tmp_path / "project"
    shutil.copytree(READER_FIXTURE, root)
    return root
