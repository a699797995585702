"""Shared test fixtures: the two packaged language models, loaded once per test session
(demos.models caches them per process; the first run converts the GGUF files once)."""
import os

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
