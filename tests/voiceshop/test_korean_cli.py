"""`--locale ko-KR` on the commands, and the one-line error for a locale the shop does not speak."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceshop.cli import cli


def test_nlu_command_in_korean() -> None:
    result = CliRunner().invoke(cli, ["nlu", "--locale", "ko-KR", "--json", "우유 두 개 장바구니에 담아 줘"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.splitlines()[-1])
    assert line["intent"] == "AddToCartIntent"
    assert line["slots"]["product"]["id"] == "milk" and line["slots"]["quantity"]["value"] == "2"


def test_chat_command_in_korean(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["chat", "--locale", "ko-KR", "--db", str(tmp_path / "shop.db"), "보이스 샵 열어 줘", "라면 찾아 줘"]
    )
    assert result.exit_code == 0, result.output
    assert "보이스 샵입니다" in result.output and "원" in result.output


@pytest.mark.parametrize("command", [["nlu", "안녕"], ["chat", "hi"], ["certify", "tests/certify-ko"]])
def test_unknown_locale_is_one_line(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [command[0], "--locale", "ja-JP", *command[1:]])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines == ["error: unknown locale 'ja-JP' (supported: en-US, ko-KR)"]


def test_chat_answers_bad_korean_input_without_a_traceback(tmp_path: Path) -> None:
    said = ["보이스 샵 열어 줘", "우유 two 개 담아 줘", "ㅇㅇ", "牛乳 있어?", "ㅋㅋㅋ", "🍜🍜", "ㄹㅏㅁㅕㄴ", "\u200b", "豆腐 두 모 담아 줘",
            "장바구니에 뭐 있어"]
    result = CliRunner().invoke(cli, ["chat", "--locale", "ko-KR", "--db", str(tmp_path / "shop.db"), *said])
    assert result.exit_code == 0, result.output
    assert result.exception is None and "Traceback" not in result.output
    answers = [ln for ln in result.output.splitlines() if ln and not ln.startswith((">", " "))]
    assert len(answers) == len(said)  # every line got its answer
    assert "2팩을 담았어요" in result.output and "牛乳" in result.output  # the Hanja said back as heard
    assert "서울우유" in answers[-1]  # the cart still holds the milk
