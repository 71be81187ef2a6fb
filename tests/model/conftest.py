"""Fixtures for the interaction-model tests: the committed model, fresh per test so tests may break it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
MODEL_PATH = REPO / "interaction_model.json"
CATALOG_PATH = REPO / "skill" / "data" / "catalog.json"
DATA = Path(__file__).resolve().parent / "data"

_MODEL = json.loads(MODEL_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def model() -> dict[str, Any]:
    """A private copy of the committed interaction model."""
    return copy.deepcopy(_MODEL)


@pytest.fixture
def catalog() -> list[dict[str, Any]]:
    return json.loads(CATALOG_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def data_dir() -> Path:
    return DATA
