"""Shared fixtures: the real packaged model, loaded once per test session."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def embedder():
    from index.embedder import Embedder

    e = Embedder()
    e.warm_up()
    return e
