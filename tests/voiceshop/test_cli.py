"""The `voiceshop` command group: every command has help with an example; errors are one line."""

from __future__ import annotations

import subprocess
import sys
import types

import click
import pytest
from click.testing import CliRunner

from voiceshop import cli as cli_module
from voiceshop.cli import COMMANDS, cli
from voiceshop.errors import UserError


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_every_command_has_help_with_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {name}" in result.output or f"Usage: voiceshop {name}" in result.output
    assert "voiceshop " + name in result.output, "the help text should carry an example"


def test_cli_group_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_cli_unknown_command_fails_with_one_line() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command" in result.output
    assert "Traceback" not in result.output


def test_cli_user_error_is_one_line_and_nonzero(monkeypatch: pytest.MonkeyPatch) -> None:
    @click.command()
    def broken() -> None:
        """Always fails. Example: voiceshop broken"""
        raise UserError("the thing is missing")

    module = types.ModuleType("voiceshop_test_broken")
    module.broken = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "voiceshop_test_broken", module)
    monkeypatch.setitem(COMMANDS, "broken", ("voiceshop_test_broken", "broken", "fails"))
    result = CliRunner().invoke(cli_module.cli, ["broken"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: the thing is missing"


def test_cli_console_script_runs_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "voiceshop.cli", "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "voiceshop" in proc.stdout
