"""Shared fixtures: a fresh database (a SQLite file, or a PostgreSQL database) and a skill configuration per test.

A fresh database is a copy of a template made once a session, migrated and seeded with the demo
catalog, rather than a new file that imports the catalog again on first use. A test that needs a store
without the demo catalog (it imports one of its own) asks for `small_catalog_db` or is marked
`empty_store`, and gets a migrated, empty one.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.config import SkillConfig
from tests.support.conversations import ConversationSet
from tests.support.paths import FIXTURES, REPO

# Commands run by the tests compile their NLU afresh rather than from the user's cache (the cache's own
# tests give it a folder of their own).
os.environ.setdefault("VOICESHOP_NLU_CACHE", "")
_TEMPLATE = "voiceshop_template"
_DEMO_TEMPLATE = "voiceshop_demo_template"
_names = itertools.count(1)
_MODEL = json.loads((REPO / "interaction_model.json").read_text(encoding="utf-8"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "empty_store: the test's database starts without the demo catalog (it imports one of its own)"
    )
    config.addinivalue_line(
        "markers", "both_stores: the test runs twice, on a SQLite file and on a PostgreSQL database (`db_path`)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `both_stores` that uses `db_path` runs on each store: a SQLite file, and a fresh
    database on a throwaway PostgreSQL cluster (skipped, saying why, where PostgreSQL is not installed)."""
    if "db_path" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_stores"):
        metafunc.parametrize("db_path", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)], indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on PostgreSQL (the `postgresql` run of a `both_stores` test, or one asking for `pg_url`) is
    marked slow: together they are over half the quick lane's time, and the SQLite run covers the logic."""
    for item in items:
        if "pg_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def wants_empty_store(request: pytest.FixtureRequest) -> bool:
    """Whether a test needs a store without the demo catalog: it imports a catalog of its own
    (`small_catalog_db`) or is marked `empty_store`."""
    return "small_catalog_db" in request.fixturenames or request.node.get_closest_marker("empty_store") is not None


@pytest.fixture(scope="session")
def demo_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated and seeded with the demo catalog, made once a session for tests to copy."""
    from skill.store.db import open_database

    path = tmp_path_factory.mktemp("template") / "voiceshop.db"
    open_database(path).close()  # closing checkpoints the write-ahead log into the file
    return path


def fresh_sqlite_database(request: pytest.FixtureRequest, path: Path) -> Path:
    """`path` for a test's SQLite database: a copy of the seeded template, or, for a test that wants an
    empty store, not created yet (the store migrates it on first use)."""
    if not wants_empty_store(request):
        shutil.copyfile(request.getfixturevalue("demo_sqlite_template"), path)
    return path


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The test's database: a SQLite file, or, for the `postgresql` run of a `both_stores` test, a fresh
    PostgreSQL database's URL."""
    if getattr(request, "param", "sqlite") == "postgresql":
        return request.getfixturevalue("pg_url")
    return fresh_sqlite_database(request, tmp_path / "voiceshop.db")


@pytest.fixture
def skill_config(db_path: Path) -> SkillConfig:
    return SkillConfig(db_path=db_path, demo_accounts=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A throwaway PostgreSQL cluster for the whole session (about two seconds to start), with two
    template databases each test's database is copied from: migrated, and migrated and seeded with the
    demo catalog. Skips, saying why, without PostgreSQL."""
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
            admin.execute(f"CREATE DATABASE {_DEMO_TEMPLATE}")
        open_database(cluster.url(_TEMPLATE), seed_catalog=False).close()
        open_database(cluster.url(_DEMO_TEMPLATE)).close()
        yield cluster
    finally:
        cluster.stop()


def fresh_postgres_database(cluster: Any, *, seeded: bool = False) -> Iterator[str]:
    """A new, migrated database in `cluster`, empty or with the demo catalog (a copy of a template);
    dropped afterwards."""
    import psycopg

    name = f"test_{next(_names)}"
    template = _DEMO_TEMPLATE if seeded else _TEMPLATE
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield cluster.url(name)
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, pg_cluster: Any) -> Iterator[str]:
    """A fresh PostgreSQL database's URL, with the demo catalog unless the test wants an empty store
    (skips without PostgreSQL)."""
    yield from fresh_postgres_database(pg_cluster, seeded=not wants_empty_store(request))


@pytest.fixture
def model() -> dict[str, Any]:
    """A private copy of the committed interaction model, fresh per test so a test may break it."""
    return copy.deepcopy(_MODEL)


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def data_dir() -> Path:
    """The tests' shared data folder, tests/fixtures/."""
    return FIXTURES


@pytest.fixture(scope="module")
def conversation_set(request: pytest.FixtureRequest) -> Iterator[ConversationSet]:
    """The test module's conversation set (its module-level `SET`), its runner closed after the module."""
    conversations: ConversationSet = request.module.SET
    yield conversations
    conversations.close()
