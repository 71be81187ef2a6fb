"""`voiceshop validate`: exit 0 on a good model, 1 when a REQUIRED rule fails, 2 on unreadable input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from voiceshop.cli import cli


def test_validate_cli_default_model_passes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "Invocation name" in result.output and "REQUIRED" in result.output
    assert "0 failed" in result.output


def test_validate_cli_json_lists_every_check(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(repo / "interaction_model.json"), "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) >= 13
    assert all(row["status"] == "PASSED" for row in rows)


def test_validate_cli_required_failure_exits_1(model: dict[str, Any], tmp_path: Path) -> None:
    model["interactionModel"]["languageModel"]["invocationName"] = "Alexa Shop"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(model))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "FAILED" in result.output and "wake word" in result.output
    rows = json.loads(CliRunner().invoke(cli, ["validate", str(path), "--json"]).stdout)
    assert {r["title"] for r in rows if r["status"] == "FAILED"} == {"Invocation name"}


def test_validate_cli_warning_only_exits_0(model: dict[str, Any], tmp_path: Path) -> None:
    intents = model["interactionModel"]["languageModel"]["intents"]
    intent = next(i for i in intents if i["name"] == "AddToCartIntent")
    intent["samples"].append("{product}")
    path = tmp_path / "warn.json"
    path.write_text(json.dumps(model))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert "WARNING" in result.output


def test_validate_cli_malformed_json_exits_2_with_one_line(data_dir: Path) -> None:
    path = data_dir / "malformed_model.json"
    done = subprocess.run([sys.executable, "-m", "voiceshop.cli", "validate", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "line 7" in lines[0] and str(path) in lines[0]


def test_validate_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_cli_reports_utterance_conflicts(model: dict[str, Any], tmp_path: Path) -> None:
    intents = model["interactionModel"]["languageModel"]["intents"]
    view = next(i for i in intents if i["name"] == "ViewCartIntent")
    clear = next(i for i in intents if i["name"] == "ClearCartIntent")
    clear["samples"].append(view["samples"][0])  # one sentence, two intents
    path = tmp_path / "conflict.json"
    path.write_text(json.dumps(model))
    rows = json.loads(CliRunner().invoke(cli, ["validate", str(path), "--json"]).stdout)
    conflict = next(r for r in rows if r["title"] == "Utterance conflicts")
    assert conflict["status"] != "PASSED"
    assert any(view["samples"][0] in detail for detail in conflict["details"])
