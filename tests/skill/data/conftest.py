"""Fixtures for the catalog and interaction-model build tests (the committed model is `model`, in tests/conftest.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.paths import REPO

CATALOG_PATH = REPO / "skill" / "data" / "catalog.json"


@pytest.fixture
def catalog() -> list[dict[str, Any]]:
    return json.loads(CATALOG_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
