"""Operations (issue 24, findings 4 and 7): bounded spelling correction, /healthz that notices a
database it cannot write, `serve` refusing one, a short busy timeout with a spoken answer, and the
demo voice code hashed once. (The 413's Connection: close is in test_bad_input.py.)"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skill.app import create_invoker
from skill.config import SkillConfig
from skill.errors import QueryTooLong
from skill.services import accounts
from skill.services.catalog import CatalogService
from skill.store.db import BUSY_TIMEOUT_S, open_database
from skill.webservice import create_app
from tests.support.skill import Shopper
from voiceshop.cli import cli


def _make_read_only(path: Path) -> None:
    """The database file can no longer be written, as on a read-only mount: chmod for a normal user,
    the immutable attribute for root (whom permissions do not stop)."""
    files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    if os.geteuid() != 0:
        for p in files:
            p.chmod(0o444)
        path.parent.chmod(0o555)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a file read-only here")
    for p in files:
        if subprocess.run(["chattr", "+i", str(p)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not permitted here (no CAP_LINUX_IMMUTABLE)")


def _make_writable(path: Path) -> None:
    if os.geteuid() != 0:
        path.parent.chmod(0o755)
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists():
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(p)], capture_output=True)
            else:
                p.chmod(0o644)


@pytest.fixture
def read_only_db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "ro" / "shop.db"
    db = open_database(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    _make_read_only(path)
    try:
        yield path
    finally:
        _make_writable(path)


def test_healthz_reports_degraded_when_the_database_cannot_be_written(read_only_db: Path) -> None:
    client = create_app(SkillConfig(db_path=read_only_db, demo_accounts=True), verify=False).test_client()
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json["status"] == "degraded" and "cannot be written" in r.json["reason"]


def test_healthz_ok_writes_its_probe(skill_config: SkillConfig) -> None:
    client = create_app(skill_config, verify=False).test_client()
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json["status"] == "ok"
    db = open_database(skill_config.db_path)
    assert db.execute("SELECT COUNT(*) FROM _health").fetchone()[0] == 1


def test_serve_refuses_a_read_only_database_unless_allowed(read_only_db: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(read_only_db), "--port", "0"])
    assert result.exit_code != 0
    assert "cannot be written" in result.output and "--allow-read-only" in result.output
    assert "Traceback" not in result.output
    from voiceshop.commands.serve import _check_database

    _check_database(read_only_db, allow_read_only=True)  # warns, does not refuse


def test_busy_database_gets_a_spoken_try_again_within_the_answer_window(skill_config: SkillConfig) -> None:
    invoke = create_invoker(skill_config)
    Shopper(invoke, user_id="amzn1.ask.account.FIRST").launch()
    holder = sqlite3.connect(str(skill_config.db_path), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        started = time.monotonic()
        # A new user's first request writes their demo profile.
        said = Shopper(invoke, user_id="amzn1.ask.account.BUSY").launch()
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "try again in a moment" in said
    assert BUSY_TIMEOUT_S <= waited < 8.0


def test_busy_postgresql_gets_the_same_spoken_try_again(pg_url: str) -> None:
    """On PostgreSQL the wait is lock_timeout: a new user's profile cannot be written while another
    transaction holds the users table, and the shopper hears the same answer in time."""
    import psycopg

    invoke = create_invoker(SkillConfig(db_path=pg_url, demo_accounts=True))
    Shopper(invoke, user_id="amzn1.ask.account.FIRST").launch()
    who = Shopper(invoke, user_id="amzn1.ask.account.PGBUSY")
    with psycopg.connect(pg_url) as holder:  # not autocommit: the lock is held until rollback
        holder.execute("LOCK TABLE users IN EXCLUSIVE MODE")  # reads go on, writes wait
        started = time.monotonic()
        said = who.launch()
        waited = time.monotonic() - started
        holder.rollback()
    assert "try again in a moment" in said
    assert BUSY_TIMEOUT_S <= waited < 8.0
    # Once the lock is gone the same shopper is served normally.
    who.new_session()
    assert "try again in a moment" not in who.launch()


def test_healthz_and_serve_notice_a_read_only_postgresql_database(pg_url: str) -> None:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    client = create_app(SkillConfig(db_path=pg_url, demo_accounts=True), verify=False).test_client()
    assert client.get("/healthz").status_code == 200
    name = conninfo_to_dict(pg_url)["dbname"]
    with psycopg.connect(pg_url, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        # New connections are read-only (as on a standby): a fresh app opens one.
        client = create_app(SkillConfig(db_path=pg_url, demo_accounts=True), verify=False).test_client()
        r = client.get("/healthz")
        assert r.status_code == 503
        assert r.json["status"] == "degraded" and "cannot be written" in r.json["reason"]
        result = CliRunner().invoke(cli, ["serve", "--db", pg_url, "--port", "0"])
        assert result.exit_code != 0 and "--allow-read-only" in result.output
        assert "Traceback" not in result.output
    finally:
        with psycopg.connect(pg_url, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')


def test_demo_voice_code_is_hashed_once_for_many_new_users(skill_config: SkillConfig, monkeypatch: Any) -> None:
    calls = []
    real = accounts.hash_code

    def counting(code: str, salt: str) -> str:
        calls.append(code)
        return real(code, salt)

    monkeypatch.setattr(accounts, "hash_code", counting)
    accounts.demo_code_hash.cache_clear()
    db = open_database(skill_config.db_path)
    from skill.clock import SystemClock

    service = accounts.AccountService(db, SystemClock(), skill_config)
    for i in range(5):
        service.create_demo_user(f"amzn1.ask.account.MANY-{i}")
    assert len(calls) == 1
    calls.clear()
    assert all(service.check_voice_code(f"amzn1.ask.account.MANY-{i}", "1234") for i in range(5))
    assert not service.check_voice_code("amzn1.ask.account.MANY-0", "4321")
    accounts.demo_code_hash.cache_clear()


def test_spelling_correction_is_bounded(skill_config: SkillConfig) -> None:
    catalog = CatalogService(open_database(skill_config.db_path))
    near_misses = " ".join(["bananna", "cofee", "tootpaste", "shampo", "diapres", "yoghurd"] * 500)
    started = time.monotonic()
    with pytest.raises(QueryTooLong):
        catalog.find(near_misses)
    with pytest.raises(QueryTooLong):
        catalog.find("x" * 5000)
    assert time.monotonic() - started < 1.0
    # At the word limit, every word a near miss: answered within the budget, the first corrected.
    sixteen = " ".join(["bananna", "cofee", "tootpaste", "shampo"] * 4)
    started = time.monotonic()
    found = catalog.find(sixteen)
    assert time.monotonic() - started < 2.0
    assert found.products is not None
    assert catalog.find("bananna").products  # ordinary corrections still work


def test_long_product_request_is_answered_politely(skill_config: SkillConfig) -> None:
    who = Shopper(create_invoker(skill_config), user_id="amzn1.ask.account.LONG")
    started = time.monotonic()
    said = who.say("SearchProductIntent", product="bananna cofee " * 1500)
    assert time.monotonic() - started < 3.0
    assert "What's the product" in said
    assert who.last["response"]["shouldEndSession"] is False


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
