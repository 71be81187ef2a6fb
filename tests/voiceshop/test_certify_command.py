"""`voiceshop certify` end to end: summaries, JSON, JUnit XML, the HTML report and exit statuses."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from werkzeug.serving import make_server

from skill.config import SkillConfig
from tests.speech.certify.conftest import DATA, REPO
from tests.speech.conftest import needs_whisper
from voiceshop.cli import cli


def _certify(*args: str) -> Result:
    return CliRunner().invoke(cli, ["certify", *args], catch_exceptions=False)


def test_certify_passing_files_exit_0_with_summary() -> None:
    result = _certify(str(DATA / "pass_annotations.json"), str(DATA / "pass_dialog.yaml"), "--no-checks")
    assert result.exit_code == 0, result.output
    assert "PASSED: 6 passed, 0 failed" in result.stdout
    assert "ScheduleDeliveryIntent" in result.stdout  # the per-intent table


def test_certify_failing_case_exit_1_lists_expected_and_actual() -> None:
    result = _certify(str(DATA / "fail_annotations.json"), "--no-checks")
    assert result.exit_code == 1
    assert "intent: expected CheckoutIntent, got ViewCartIntent" in result.stdout
    assert "threshold missed: text intent accuracy" in result.stdout


def test_certify_thresholds_decide_for_text_cases() -> None:
    lenient = _certify(str(DATA / "fail_annotations.json"), "--no-checks",
                       "--min-intent-accuracy", "0.6", "--min-slot-accuracy", "0.5")
    assert lenient.exit_code == 0, lenient.output
    strict = _certify(str(DATA / "fail_annotations.json"), "--no-checks",
                      "--min-intent-accuracy", "0.6", "--min-slot-accuracy", "0.6")
    assert strict.exit_code == 1


def test_certify_failing_dialog_exit_1_whatever_the_thresholds() -> None:
    result = _certify(str(DATA / "fail_dialog.yaml"), "--no-checks", "--min-intent-accuracy", "0")
    assert result.exit_code == 1
    assert "help should not end the session" in result.stdout


def test_certify_json_summary() -> None:
    result = _certify(str(DATA / "fail_annotations.json"), str(DATA / "annotations.csv"), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["passed"] == 4 and data["failed"] == 2
    assert data["intent_accuracy"] == round(5 / 6, 4)
    assert set(data["intents"]["SearchProductIntent"]) == {"precision", "recall", "f1", "slot_accuracy", "support"}
    assert data["intents"]["SearchProductIntent"]["support"] == 2
    titles = {c["title"]: c for c in data["checks"]}
    assert titles["Invocation name"]["status"] == "PASSED"          # the build rules run too
    assert titles["Help keeps the session open"]["severity"] == "REQUIRED"
    assert titles["Test coverage of custom intents"]["status"] == "WARNING"
    assert [f["kind"] for f in data["files"]] == ["annotation-json", "annotation-csv"]
    assert data["files"][0]["cases"][0]["status"] == "FAILED"
    assert data["files"][0]["cases"][0]["expected"][0]["intent"]["name"] == "CheckoutIntent"


def test_certify_junit_xml_parses(tmp_path: Path) -> None:
    junit = tmp_path / "out" / "junit.xml"
    result = _certify(str(DATA / "fail_annotations.json"), str(DATA / "pass_dialog.yaml"), "--junit", str(junit))
    assert result.exit_code == 1
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    assert names[-2:] == ["certification checks", "thresholds"]
    first = suites[0]
    assert first.get("tests") == "3" and first.get("failures") == "2"
    failures = first.findall("testcase/failure")
    assert failures[0].get("message") == "intent: expected CheckoutIntent, got ViewCartIntent"
    assert int(root.get("tests", "0")) == sum(int(s.get("tests", "0")) for s in suites)


def test_certify_html_report_has_svg_and_escapes(tmp_path: Path) -> None:
    nasty = tmp_path / "nasty.csv"
    nasty.write_text("utterance,intent\n<script>alert(1)</script> add milk,AddToCartIntent\n", encoding="utf-8")
    report = tmp_path / "report.html"
    result = _certify(str(nasty), str(DATA / "pass_annotations.json"), "--no-checks", "--report", str(report))
    assert result.exit_code == 1  # the nasty sentence resolves with a product it does not expect
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html and "<rect" in html and "confusion matrix" in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; add milk" in html
    assert "ScheduleDeliveryIntent" in html


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("broken.json", '{"data": [\n  {"inputs": \n', "broken.json, line 3"),
        ("bad.yaml", "- test: x\n- LaunchRequest:\n    - cardTitel: hi\n", "bad.yaml, line 3"),
    ],
)
def test_certify_malformed_file_exit_2_one_line(tmp_path: Path, name: str, text: str, where: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = _certify(str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and where in lines[0]
    assert "Traceback" not in result.output


def test_certify_missing_file_exit_2(tmp_path: Path) -> None:
    result = _certify(str(tmp_path / "nope.json"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_certify_required_check_failure_exit_1(tmp_path: Path) -> None:
    model = json.loads((REPO / "interaction_model.json").read_text(encoding="utf-8"))
    model["interactionModel"]["languageModel"]["invocationName"] = "Voice Shop"
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    result = _certify(str(DATA / "pass_annotations.json"), "--model", str(path))
    assert result.exit_code == 1
    assert "REQUIRED check failed: Invocation name" in result.stdout


@pytest.fixture
def http_skill(tmp_path: Path) -> Iterator[str]:
    """The skill's real web service on loopback, signature checks off."""
    from skill.webservice import create_app

    app = create_app(SkillConfig(db_path=tmp_path / "http.db", demo_accounts=True), verify=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/alexa"
    finally:
        server.shutdown()


def test_certify_against_an_http_endpoint(http_skill: str) -> None:
    result = _certify(str(DATA / "pass_dialog.yaml"), "--endpoint", http_skill, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dialogs"] == {"passed": 2, "failed": 0}
    assert {c["title"]: c["status"] for c in data["checks"]}["Stop and Cancel end the session"] == "PASSED"


def test_certify_unreachable_endpoint_fails_the_dialogs() -> None:
    result = _certify(str(DATA / "pass_dialog.yaml"), "--endpoint", "http://127.0.0.1:9/alexa", "--no-checks")
    assert result.exit_code == 1
    assert "not responding" in result.stdout or "cannot reach" in result.stdout


def test_certify_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["certify", "--help"])
    assert result.exit_code == 0 and "voiceshop certify tests/certify/" in result.output


@pytest.mark.slow
def test_certify_audio_recogniser_is_the_speakers() -> None:
    """Audio sets are certified with the recogniser `voiceshop speaker` uses: snapped to the grammar,
    with the NLU letting through a transcript it is sure of."""
    from speech.asr import SnappingRecognizer
    from speech.interaction_model import default_model_path, load_interaction_model
    from speech.nlu import compile_model
    from voiceshop.commands.certify import _recognizer_factory

    nlu = compile_model(default_model_path())
    rec = _recognizer_factory("pocketsphinx", load_interaction_model(default_model_path()), "en-US", nlu)()
    assert isinstance(rec, SnappingRecognizer)
    assert rec.understand is not None and rec.understand("add two bottles of milk") >= 0.75
    assert rec.searches is not None  # it can listen for a dialog's answer like the speaker's


@pytest.mark.slow
@pytest.mark.parametrize("flag, second_opinion", [pytest.param("--rescore", True, marks=needs_whisper),
                                                   ("--no-rescore", False)])
def test_certify_audio_with_and_without_the_second_opinion(flag: str, second_opinion: bool, tmp_path: Path) -> None:
    """--rescore/--no-rescore as `voiceshop speaker` takes them; the JSON and the text summary say which
    recogniser heard the recordings (the real pocketsphinx, and Whisper when asked for)."""
    manifest = str(DATA / "audio" / "manifest.csv")
    result = _certify(manifest, "--no-checks", "--asr", "pocketsphinx", flag, "--json")
    assert result.exit_code == 0, result.output
    audio = json.loads(result.stdout)["audio"]
    assert audio["cases"] == 2 and audio["intent_accuracy"] == 1.0
    assert audio["recognizer"] == {"engine": "pocketsphinx", "snapped": True, "second_opinion": second_opinion}
    text = _certify(manifest, "--no-checks", "--asr", "pocketsphinx", flag, "--report", str(tmp_path / "r.html"))
    said = "with Whisper's second opinion" if second_opinion else "without a second opinion"
    assert f"audio heard by pocketsphinx, snapped to the grammar, {said}" in text.stdout
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"Audio heard by pocketsphinx, snapped to the grammar, {escape(said)}." in html


def test_certify_text_only_runs_say_nothing_of_a_recogniser() -> None:
    result = _certify(str(DATA / "pass_annotations.json"), "--no-checks")
    assert result.exit_code == 0 and "heard by" not in result.stdout
    result = _certify(str(DATA / "pass_annotations.json"), "--no-checks", "--json")
    assert json.loads(result.stdout)["audio"]["recognizer"] is None
