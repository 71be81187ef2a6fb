"""Shared fixtures: a fresh database (a SQLite file, or a PostgreSQL database) and a skill configuration per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.config import SkillConfig

REPO = Path(__file__).resolve().parent.parent
# Commands run by the tests compile their NLU afresh rather than from the user's cache (the cache's own
# tests give it a folder of their own).
os.environ.setdefault("VOICESHOP_NLU_CACHE", "")
_TEMPLATE = "voiceshop_template"
_names = itertools.count(1)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "voiceshop.db"


@pytest.fixture
def skill_config(db_path: Path) -> SkillConfig:
    return SkillConfig(db_path=db_path, demo_accounts=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A throwaway PostgreSQL cluster for the whole session (about two seconds to start), with a
    migrated template database each test's database is copied from. Skips, saying why, without PostgreSQL."""
    try:
        import psycopg
    except ImportError:
        pytest.skip("PostgreSQL tests skipped: psycopg is not installed (pip install -e '.[postgres]')")
    from skill.store.db import open_database
    from skill.store.pgcluster import PostgresUnavailable, ThrowawayCluster

    try:
        cluster = ThrowawayCluster().start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {_TEMPLATE}")
        open_database(cluster.url(_TEMPLATE), seed_catalog=False).close()
        yield cluster
    finally:
        cluster.stop()


def fresh_postgres_database(cluster: Any) -> Iterator[str]:
    """A new, migrated, empty database in `cluster` (a copy of the template); dropped afterwards."""
    import psycopg

    name = f"test_{next(_names)}"
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE}")
    try:
        yield cluster.url(name)
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_cluster: Any) -> Iterator[str]:
    """A fresh PostgreSQL database's URL (skips without PostgreSQL)."""
    yield from fresh_postgres_database(pg_cluster)
