"""`voiceshop account`: unlock after wrong codes, change the code and the limit, on a real database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from skill.clock import SystemClock
from skill.config import SkillConfig
from skill.services.accounts import AccountService, CodeCheck
from skill.store.db import open_database
from voiceshop.cli import cli

USER = "amzn1.ask.account.voiceshop-demo"


def _service(db_path: Path) -> AccountService:
    return AccountService(open_database(db_path), SystemClock(), SkillConfig(db_path=db_path, demo_accounts=True))


def test_account_unlock_after_three_wrong_codes(db_path: Path) -> None:
    service = _service(db_path)
    service.create_demo_user(USER)
    for _ in range(3):
        service.verify_voice_code(USER, "9999")
    assert service.purchase_settings(USER).locked
    result = CliRunner().invoke(cli, ["account", "unlock", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert not service.purchase_settings(USER).locked
    assert service.verify_voice_code(USER, "1234") is CodeCheck.ACCEPTED


def test_account_set_code_and_limit(db_path: Path) -> None:
    service = _service(db_path)
    service.create_demo_user(USER)
    runner = CliRunner()
    assert runner.invoke(cli, ["account", "set-code", "4321", "--db", str(db_path)]).exit_code == 0
    assert service.verify_voice_code(USER, "4321") is CodeCheck.ACCEPTED
    assert runner.invoke(cli, ["account", "set-limit", "$79.99", "--db", str(db_path)]).exit_code == 0
    shown = json.loads(runner.invoke(cli, ["account", "show", "--json", "--db", str(db_path)]).output)
    assert shown["spending_limit_cents"] == 7999
    assert shown["has_code"] and not shown["locked"]
    assert "4321" not in json.dumps(shown)


def test_account_bad_input_is_one_line(db_path: Path, tmp_path: Path) -> None:
    service = _service(db_path)
    service.create_demo_user(USER)
    runner = CliRunner()
    for args in (
        ["account", "set-code", "12a4", "--db", str(db_path)],
        ["account", "set-limit", "lots", "--db", str(db_path)],
        ["account", "set-limit", "--db", str(db_path), "--", "-5"],
        ["account", "show", "--user", "nobody", "--db", str(db_path)],
        ["account", "show", "--db", str(tmp_path / "missing.db")],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
