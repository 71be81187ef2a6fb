"""`voiceshop chat` end to end: the real skill (in process or over loopback HTTP) and the real NLU."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skill.app import create_invoker
from speech.interaction_model import default_model_path, load_interaction_model
from tests.support.paths import REPO
from voiceshop.cli import cli


def _chat(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, ["chat", *args], input=input)


def _turns(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def _prompt_texts(intent: str, slot: str) -> set[str]:
    model = load_interaction_model(default_model_path())
    dialog = model.dialog_intent(intent)
    assert dialog is not None
    rule = next(s for s in dialog.slots if s.name == slot)
    prompt = model.prompt(rule.elicitation_prompt or "")
    assert prompt is not None
    return {value for _, value in prompt.variations}


def test_chat_shopping_conversation_in_process(db_path: Path) -> None:
    lines = ["open voice shop", "search for coffee", "next", "the second one", "add it", "what's in my cart", "stop"]
    result = _chat("--json", "--db", str(db_path), *lines)
    assert result.exit_code == 0, result.output
    turns = _turns(result.stdout)
    assert [t["heard"] for t in turns] == lines
    assert all(set(t) == {"heard", "request", "response", "speech"} for t in turns)
    kinds = [t["request"]["request"]["type"] for t in turns]
    assert kinds == ["LaunchRequest"] + ["IntentRequest"] * 6
    intents = [t["request"]["request"]["intent"]["name"] for t in turns[1:]]
    assert intents[0] == "SearchProductIntent" and intents[-2:] == ["ViewCartIntent", "AMAZON.StopIntent"]
    assert "coffee" in turns[1]["speech"].lower() and "top pick" in turns[1]["speech"]
    selected = turns[3]["response"]["sessionAttributes"]["selected"]
    assert selected == turns[2]["response"]["sessionAttributes"]["read"][1]
    assert turns[4]["speech"].lower().startswith("added")
    # What was selected and added is what the cart holds: its brand is named at each step.
    brand = turns[3]["speech"].split(" ")[0]
    assert brand and brand in turns[4]["speech"] and brand in turns[5]["speech"]
    assert turns[6]["response"]["response"]["shouldEndSession"] is True
    assert len({t["request"]["session"]["sessionId"] for t in turns}) == 1
    assert [t["request"]["session"]["new"] for t in turns] == [True] + [False] * 6


def test_chat_text_output_speech_and_reprompt(db_path: Path) -> None:
    result = _chat("--db", str(db_path), "open voice shop", "hello there")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "> open voice shop"
    assert lines[1].startswith("Welcome")
    assert lines[2].startswith("  (if you say nothing: ")


def test_chat_one_shot_and_local_answer(db_path: Path) -> None:
    result = _chat("--json", "--db", str(db_path), "add milk", "ask voice shop what's in my cart")
    assert result.exit_code == 0, result.output
    local, one_shot = _turns(result.stdout)
    assert local["request"] is None and local["response"] is None and local["speech"]
    assert one_shot["request"]["session"]["new"] is True
    assert one_shot["request"]["request"]["intent"]["name"] == "ViewCartIntent"
    assert "cart" in one_shot["speech"].lower()


def test_chat_dialog_model_elicits_with_model_prompt(db_path: Path) -> None:
    result = _chat("--json", "--db", str(db_path), "ask voice shop to search", "coffee")
    assert result.exit_code == 0, result.output
    ask, answer = _turns(result.stdout)
    assert ask["request"] is None
    assert ask["speech"] in _prompt_texts("SearchProductIntent", "product")
    request = answer["request"]["request"]
    assert request["dialogState"] == "COMPLETED"
    assert request["intent"]["slots"]["product"]["value"] == "coffee"
    assert "coffee" in answer["speech"].lower()


def test_chat_slot_value_that_is_also_a_builtin_fills_the_slot(db_path: Path) -> None:
    """ "home" answers "home or work?": it fills addressLabel instead of going home (NavigateHome)."""
    result = _chat("--json", "--db", str(db_path), "open voice shop", "ship it to", "home", "go home")
    assert result.exit_code == 0, result.output
    _, ask, answer, escape = _turns(result.stdout)
    assert ask["request"] is None
    assert ask["speech"] in _prompt_texts("SetDeliveryAddressIntent", "addressLabel")
    request = answer["request"]["request"]
    assert request["intent"]["name"] == "SetDeliveryAddressIntent"
    assert request["intent"]["slots"]["addressLabel"]["resolutions"]["resolutionsPerAuthority"][0]["values"][0][
        "value"]["id"] == "home"
    assert "home" in answer["speech"].lower()
    # out of a dialog, "go home" is still the built-in
    assert escape["request"]["request"]["intent"]["name"] == "AMAZON.NavigateHomeIntent"


def test_chat_checkout_address_question_takes_home_as_the_address(db_path: Path) -> None:
    """The skill asks "home or work?" as the address slot (Dialog.ElicitSlot): "home" is the address,
    not AMAZON.NavigateHomeIntent, and "my visa" answers the card question that follows."""
    import sqlite3

    assert _chat("--db", str(db_path), "open voice shop", "stop").exit_code == 0  # the demo profile
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE addresses SET is_default = 0")
        db.execute("UPDATE payment_methods SET is_default = 0")
    lines = ["open voice shop", "add milk", "the first one", "check out", "home", "my visa"]
    result = _chat("--json", "--db", str(db_path), *lines)
    assert result.exit_code == 0, result.output
    turns = _turns(result.stdout)
    assert "which address" in turns[3]["speech"].lower()
    home = turns[4]["request"]["request"]
    assert home["intent"]["name"] == "SetDeliveryAddressIntent"
    assert "home address" in turns[4]["speech"] and "which card" in turns[4]["speech"].lower()
    assert turns[5]["request"]["request"]["intent"]["name"] == "SetPaymentMethodIntent"
    assert "when would you like it delivered" in turns[5]["speech"].lower()


def test_chat_checkout_with_voice_code_and_delivery(db_path: Path) -> None:
    lines = [
        "open voice shop",
        "add milk",
        "the first one",
        "check out",
        "tomorrow morning",
        "yes",
        "one two three four",
        "ask voice shop what's in my cart",
    ]
    result = _chat("--json", "--db", str(db_path), *lines)
    assert result.exit_code == 0, result.output
    turns = _turns(result.stdout)
    delivery = turns[4]["request"]["request"]
    assert delivery["intent"]["name"] == "ScheduleDeliveryIntent"
    assert delivery["dialogState"] == "IN_PROGRESS"  # the answer to the skill's own ElicitSlot
    assert delivery["intent"]["slots"]["timeSlot"]["value"] == "morning"
    assert delivery["intent"]["slots"]["date"]["value"]
    code = turns[6]["request"]["request"]
    assert code["intent"]["slots"]["voiceCode"]["value"] == "1234"
    assert "order" in turns[6]["speech"].lower()
    # The order took the cart with it.
    assert "empty" in turns[7]["speech"].lower()


@pytest.mark.parametrize(("answer", "filled"), [("saturday", {"date"}), ("in the evening", {"timeSlot"})])
def test_chat_delivery_question_takes_a_day_or_a_time_of_day(db_path: Path, answer: str, filled: set[str]) -> None:
    """The skill asks for the time of day (ElicitSlot timeSlot); a day alone fills the intent's date
    instead, as Alexa fills whatever slot of the intent the words say, and the checkout goes on."""
    result = _chat("--json", "--db", str(db_path), "open voice shop", "add milk", "the first one", "check out", answer)
    assert result.exit_code == 0, result.output
    turns = _turns(result.stdout)
    asked = turns[3]["response"]["response"]["directives"][0]
    assert (asked["type"], asked["slotToElicit"]) == ("Dialog.ElicitSlot", "timeSlot")
    request = turns[4]["request"]["request"]
    assert request["intent"]["name"] == "ScheduleDeliveryIntent"
    assert {name for name, slot in request["intent"]["slots"].items() if slot.get("value")} == filled
    assert "shall i place the order" in turns[4]["speech"].lower()


def test_chat_code_of_the_wrong_length_is_explained_and_not_counted(db_path: Path) -> None:
    """Digits that are not four reach the skill (as Alexa fills AMAZON.FOUR_DIGIT_NUMBER with what it
    heard), which says a code has four digits; they are no wrong code, so three of them lock nothing."""
    lines = ["open voice shop", "add milk", "the first one", "check out", "tomorrow morning", "yes",
             "one two three", "one two three four five", "one two", "one two three four"]
    result = _chat("--json", "--db", str(db_path), *lines)
    assert result.exit_code == 0, result.output
    turns = _turns(result.stdout)
    for turn, digits in zip(turns[6:9], ("123", "12345", "12"), strict=True):
        request = turn["request"]["request"]
        assert request["intent"]["slots"]["voiceCode"]["value"] == digits
        assert "four digits" in turn["speech"]
    assert "your order is placed" in turns[9]["speech"].lower()


def test_chat_silence_reprompts_then_ends(db_path: Path) -> None:
    result = _chat("--json", "--db", str(db_path), "open voice shop", "", "", "what's in my cart")
    assert result.exit_code == 0, result.output
    launch, first, second, after = _turns(result.stdout)
    assert first["request"] is None
    assert first["speech"] == launch["response"]["response"]["reprompt"]["outputSpeech"]["ssml"].removeprefix(
        "<speak>"
    ).removesuffix("</speak>")
    assert second["request"]["request"]["type"] == "SessionEndedRequest"
    assert second["request"]["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert after["request"] is None, "the session is over: Alexa answers by itself"


def test_chat_reads_lines_from_stdin(db_path: Path) -> None:
    result = _chat("--json", "--db", str(db_path), input="open voice shop\nwhat's in my cart\n")
    assert result.exit_code == 0, result.output
    turns = _turns(result.stdout)
    assert [t["heard"] for t in turns] == ["open voice shop", "what's in my cart"]
    assert turns[1]["request"]["request"]["intent"]["name"] == "ViewCartIntent"


@pytest.mark.parametrize(
    "line", ["", "   ", "?!...", "ö" * 3000, "¿Dónde está mi pedido? 注文", "add " * 400]
)
def test_chat_bad_input_is_handled(db_path: Path, line: str) -> None:
    result = _chat("--json", "--db", str(db_path), "open voice shop", line, "what's in my cart")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    turns = _turns(result.stdout)
    assert len(turns) == 3
    assert turns[1]["heard"] == line
    assert turns[2]["request"] is not None


def test_chat_user_option_sets_user_id(db_path: Path) -> None:
    result = _chat("--json", "--db", str(db_path), "--user", "amzn1.ask.account.SOMEONE", "open voice shop")
    turn = _turns(result.stdout)[0]
    assert turn["request"]["session"]["user"]["userId"] == "amzn1.ask.account.SOMEONE"
    assert turn["request"]["context"]["System"]["user"]["userId"] == "amzn1.ask.account.SOMEONE"


class _SkillOverHttp(BaseHTTPRequestHandler):
    invoke: Any = None
    received: list[dict[str, Any]] = []
    fail_after: int | None = None

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        cls = type(self)
        cls.received.append(body)
        if cls.fail_after is not None and len(cls.received) > cls.fail_after:
            data, status = b"internal error", 500
        else:
            data, status = json.dumps(cls.invoke(body)).encode(), 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def skill_url(skill_config: Any) -> Iterator[str]:
    """The real skill behind a plain HTTP server on loopback."""
    _SkillOverHttp.invoke = staticmethod(create_invoker(skill_config))
    _SkillOverHttp.received = []
    _SkillOverHttp.fail_after = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SkillOverHttp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/alexa"
    finally:
        server.shutdown()
        server.server_close()


def test_chat_over_http_endpoint_ends_session_at_eof(skill_url: str) -> None:
    result = _chat("--endpoint", skill_url, "open voice shop", "what's in my cart")
    assert result.exit_code == 0, result.output
    assert "Welcome" in result.stdout
    kinds = [r["request"]["type"] for r in _SkillOverHttp.received]
    assert kinds == ["LaunchRequest", "IntentRequest", "SessionEndedRequest"]
    assert _SkillOverHttp.received[-1]["request"]["reason"] == "USER_INITIATED"


def test_chat_endpoint_failing_mid_conversation_speaks_and_ends(skill_url: str) -> None:
    _SkillOverHttp.fail_after = 1
    result = _chat("--json", "--endpoint", skill_url, "open voice shop", "what's in my cart", "add milk")
    assert result.exit_code == 0, result.output
    launch, failed, after = _turns(result.stdout)
    assert launch["response"] is not None
    assert failed["response"] is None and "problem" in failed["speech"].lower()
    assert after["request"] is None
    assert "HTTP 500" in result.stderr
    assert _SkillOverHttp.received[2]["request"]["reason"] == "ERROR"


def test_chat_unreachable_endpoint_is_one_line_error() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = _chat("--endpoint", f"http://127.0.0.1:{port}/alexa", "open voice shop")
    assert result.exit_code != 0
    assert result.stderr.startswith("error: cannot reach")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--endpoint", "ftp://x/alexa", "hi"], "http"),
        (["--endpoint", "http://127.0.0.1:9/alexa", "--db", "x.db", "hi"], "--db"),
        (["--model", "/nonexistent/model.json", "hi"], "model"),
        (["--user", " ", "hi"], "--user"),
    ],
)
def test_chat_bad_options_fail_with_one_line(args: list[str], message: str) -> None:
    result = _chat(*args)
    assert result.exit_code != 0
    assert result.stderr.startswith("error:") and message in result.stderr
    assert "Traceback" not in result.output


def test_chat_interactive_prompt_with_history(db_path: Path, tmp_path: Path) -> None:
    """On a terminal: a banner, a prompt, speech after each line, history kept for next time."""
    import os
    import select
    import subprocess
    import sys
    import time

    master, slave = os.openpty()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "TERM": "dumb"}
    voiceshop = Path(sys.executable).parent / "voiceshop"
    proc = subprocess.Popen(
        [str(voiceshop), "chat", "--db", str(db_path)], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    seen = b""

    def read_until(marker: bytes, count: int = 1, seconds: float = 90) -> None:
        nonlocal seen
        deadline = time.monotonic() + seconds
        while seen.count(marker) < count and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(master, 4096)
                except OSError:
                    return

    try:
        read_until(b"you> ", 1)
        os.write(master, b"open voice shop\n")
        read_until(b"you> ", 2)
        os.write(master, b"what's in my cart\n")
        read_until(b"you> ", 3)
        os.write(master, b"\x04")  # Ctrl-D
        proc.wait(timeout=60)
        read_until(b"\x00", 1, seconds=1)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    text = seen.decode(errors="replace")
    assert "say 'open voice shop' to start" in text and "Ctrl-D" in text
    assert "Welcome" in text
    assert proc.returncode == 0, text
    history = (tmp_path / "data" / "voiceshop" / "chat_history").read_text()
    assert "open voice shop" in history and "what's in my cart" in history


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("Alexa, tell voice shop to add two bottles of milk", "AddToCartIntent"),
        ("ask voiceshop what's in my cart", "ViewCartIntent"),
        ("add milk using voice shop", "AddToCartIntent"),
        ("ask voice shop for today's deals", "DealsIntent"),
        ("ask Voice Shop where is my order?", "TrackOrderIntent"),
    ],
)
def test_chat_one_shot_variants_reach_the_intent(db_path: Path, said: str, intent: str) -> None:
    result = _chat("--json", "--db", str(db_path), said)
    assert result.exit_code == 0, result.output
    (turn,) = _turns(result.stdout)
    assert turn["request"]["request"]["intent"]["name"] == intent
    assert turn["request"]["session"]["new"] is True
    assert turn["speech"]


def test_chat_other_model_intent_confirmation(skill_url: str) -> None:
    """--model: the test model confirms CheckoutIntent before the skill hears of it."""
    model = REPO / "tests" / "speech" / "data" / "cloud_model.json"
    result = _chat(
        "--json", "--model", str(model), "--endpoint", skill_url, "ask voice shop to check out", "yes"
    )
    assert result.exit_code == 0, result.output
    ask, done = _turns(result.stdout)
    assert ask["request"] is None and ask["speech"] == "Shall I place the order?"
    request = done["request"]["request"]
    assert request["dialogState"] == "COMPLETED"
    assert request["intent"] == {"name": "CheckoutIntent", "confirmationStatus": "CONFIRMED"}
    assert done["response"] is not None
