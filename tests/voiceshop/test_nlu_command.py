"""`voiceshop nlu`: text and --json output, stdin, errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.support.paths import REPO
from voiceshop.cli import cli

MODEL = str(REPO / "interaction_model.json")


def test_nlu_json_prints_one_object_a_line() -> None:
    result = CliRunner().invoke(
        cli, ["nlu", "--model", MODEL, "--json", "what's in my cart", "add two milks"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [x["intent"] for x in lines] == ["ViewCartIntent", "AddToCartIntent"]
    assert lines[0] == {
        "utterance": "what's in my cart",
        "intent": "ViewCartIntent",
        "slots": {},
        "confidence": lines[0]["confidence"],
    }
    assert lines[1]["slots"]["quantity"] == {"value": "2", "id": None}
    assert lines[1]["slots"]["product"]["id"] == "milk"


def test_nlu_reads_lines_from_stdin_when_no_utterances() -> None:
    result = CliRunner().invoke(cli, ["nlu", "--model", MODEL, "--json"], input="pay with my visa\n\nyes\n")
    assert result.exit_code == 0, result.output
    intents = [json.loads(line)["intent"] for line in result.output.splitlines()]
    assert intents == ["SetPaymentMethodIntent", "AMAZON.YesIntent"]


def test_nlu_text_output_is_readable_and_explain_shows_the_reading() -> None:
    result = CliRunner().invoke(cli, ["nlu", "--model", MODEL, "--explain", "ship it to my office"])
    assert result.exit_code == 0, result.output
    assert "SetDeliveryAddressIntent" in result.output
    assert "addressLabel='my office' (id work)" in result.output
    assert "symbols:" in result.output


def test_nlu_explain_shows_every_factor_of_the_leading_scores() -> None:
    result = CliRunner().invoke(cli, ["nlu", "--model", MODEL, "--explain", "is the oat milk on offer this week"])
    assert result.exit_code == 0, result.output
    factor_lines = [line for line in result.output.splitlines() if line.startswith("        similarity")]
    assert factor_lines, result.output
    for name in ("alignment fit", "known words", "evidence", "phrase cover", "free text doubt", "stray values",
                 "explained"):
        assert all(name in line for line in factor_lines), (name, result.output)


def test_nlu_unknown_locale_is_one_line_exit_2() -> None:
    result = CliRunner().invoke(cli, ["nlu", "--model", MODEL, "--locale", "xx-YY", "hello"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: unsupported locale 'xx-YY'")
    assert len(result.output.strip().splitlines()) == 1


def test_nlu_unreadable_model_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "model.json"
    bad.write_text("[]")
    result = CliRunner().invoke(cli, ["nlu", "--model", str(bad), "hello"])
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert "Traceback" not in result.output
