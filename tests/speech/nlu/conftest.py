"""Fixtures for the NLU tests: the repository's model compiled once, a small model of our own, and the
reference time the sentence files are written for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from speech.nlu.compiler import CompiledNLU, compile_model
from tests.support.paths import REPO

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REFERENCE_TIME = datetime(2026, 11, 27, 21, 0)
"""A Friday: the sentence files' dates ("tomorrow" = 2026-11-28) are written for it."""


@pytest.fixture(scope="session")
def nlu() -> CompiledNLU:
    return compile_model(REPO / "interaction_model.json")


@pytest.fixture(scope="session")
def mini_nlu() -> CompiledNLU:
    return compile_model(HERE / "fixtures" / "mini_model.json")


@pytest.fixture
def ref() -> datetime:
    return REFERENCE_TIME
