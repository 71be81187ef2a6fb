"""The NLU never raises on any text (issue 24, finding 3): long rambles whose values lie past the
alignment window, terminal escapes, control characters, lone surrogates, numbers of any size."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given

from speech.nlu.compiler import CompiledNLU, compile_model
from tests.fuzz.strategies import tally, utterances
from tests.support.paths import REPO

pytestmark = pytest.mark.slow

REFERENCE = datetime(2026, 11, 27, 21, 0)


@pytest.fixture(scope="module")
def nlu() -> CompiledNLU:
    return compile_model(REPO / "interaction_model.json")


def test_nlu_value_past_the_word_cap_does_not_crash(nlu: CompiledNLU) -> None:
    """The reproducer: 30 words cut for alignment, a value starting at the 31st."""
    said = "add " + " ".join(["bread"] * 29) + " milk and eggs tomorrow"
    nlu.resolve(said, reference_time=REFERENCE)
    said = "hello there friend " * 10 + "milk"
    assert nlu.resolve(said, reference_time=REFERENCE).intent


def test_nlu_repeated_terminal_escapes_do_not_crash(nlu: CompiledNLU) -> None:
    nlu.resolve("\x1b[31m\x1b[0m" * 50 + "add milk", reference_time=REFERENCE)
    nlu.resolve("\\x1b[2J" * 60, reference_time=REFERENCE)


@given(utterances)
def test_fuzz_nlu_resolves_anything(nlu: CompiledNLU, text: str) -> None:
    result = nlu.resolve(text, reference_time=REFERENCE)
    assert isinstance(result.intent, str) and 0.0 <= result.confidence <= 1.0
    result.to_json()
    tally("nlu:resolved")
    for intents in ({"ProvideVoiceCodeIntent"}, {"AddToCartIntent"}, {"ScheduleDeliveryIntent"}):
        nlu.resolve(text, reference_time=REFERENCE, intents=intents)


def test_nlu_reads_through_escapes_and_control_characters(nlu: CompiledNLU) -> None:
    assert nlu.resolve("\x1b[31m\x1b[0m" * 50 + "add milk", reference_time=REFERENCE).intent == "AddToCartIntent"
    said = nlu.resolve("\x1b[2Jsearch for eggs", reference_time=REFERENCE)
    assert said.intent == "SearchProductIntent" and "quantity" not in said.slots
    assert nlu.resolve("what's in\x00 my\ud800 cart", reference_time=REFERENCE).intent == "ViewCartIntent"


def test_chat_and_nlu_commands_survive_hostile_lines(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from voiceshop.cli import cli

    lines = [
        "open voice shop",
        "add " + " ".join(["bread"] * 29) + " milk and eggs tomorrow",
        "\x1b[31m\x1b[0m" * 50 + "what's in my cart",
        "\\x1b[2J" * 40,
        "add milk \udcff\udced",
        "stop",
    ]
    text = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")  # the bytes \xff\xed
    nlu_run = CliRunner().invoke(cli, ["nlu", "--json"], input=text)  # type: ignore[arg-type]
    assert nlu_run.exit_code == 0 and nlu_run.exception is None, nlu_run.output
    assert len(nlu_run.output.splitlines()) == len(lines)
    chat_run = CliRunner().invoke(cli, ["chat", "--db", str(tmp_path / "shop.db")], input=text)  # type: ignore[arg-type]
    assert chat_run.exit_code == 0 and chat_run.exception is None, chat_run.output
    assert "Traceback" not in chat_run.output and "cart" in chat_run.output.lower()
