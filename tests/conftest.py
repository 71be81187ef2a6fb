"""Shared fixtures: a fresh database file and a skill configuration per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.config import SkillConfig

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "voiceshop.db"


@pytest.fixture
def skill_config(db_path: Path) -> SkillConfig:
    return SkillConfig(db_path=db_path, demo_accounts=True)
