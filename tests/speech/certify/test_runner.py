"""Running test files against the real NLU, the real skill through the voice cloud, and pocketsphinx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from speech.certify.files import read_test_file
from speech.certify.results import CertifyReport, Thresholds
from speech.certify.runner import Certifier
from speech.certify.scoring import word_errors

from .conftest import DATA, NOW


def _run(certifier: Certifier, *names: str) -> CertifyReport:
    files = [read_test_file(DATA / name) for name in names]
    ticks: list[int] = []
    report = CertifyReport(certifier.run(files, progress=ticks.append), [])
    assert sum(ticks) > 0
    return report


def test_run_annotation_set_that_passes(nlu: Any) -> None:
    report = _run(Certifier(nlu, reference_time=NOW), "pass_annotations.json", "annotations.csv", "sentences.yaml")
    assert report.failed == 0, [c.failures for c in report.cases()]
    assert report.accuracy("nlu") == (1.0, 1.0)
    assert report.ok()
    case = report.files[0].cases[2].to_json()
    assert case["status"] == "PASSED"
    assert case["inputs"] == {"utterance": "deliver it tomorrow evening", "referenceTimestamp": "2026-03-02T12:00:00.000Z"}
    assert case["actual"]["intent"]["name"] == "ScheduleDeliveryIntent"
    assert case["actual"]["intent"]["slots"]["date"]["value"] == "2026-03-03"  # the reference time was used


def test_run_annotation_set_that_fails(nlu: Any) -> None:
    report = _run(Certifier(nlu, reference_time=NOW), "fail_annotations.json")
    cases = report.files[0].cases
    assert [c.status for c in cases] == ["FAILED", "FAILED", "PASSED"]
    assert cases[0].failures == ["intent: expected CheckoutIntent, got ViewCartIntent"]
    assert cases[1].failures == ["product: expected 'rice', got 'coffee'"]
    assert cases[1].slots_ok is False and cases[1].actual_intent == "SearchProductIntent"
    intent_acc, slot_acc = report.accuracy("nlu")
    assert intent_acc == 2 / 3 and slot_acc == 1 / 2
    assert not report.ok()
    lenient = CertifyReport(report.files, [], Thresholds(min_intent_accuracy=0.6, min_slot_accuracy=0.5))
    assert lenient.ok()
    figures = report.intent_figures()
    assert figures["CheckoutIntent"].recall == 0.0 and figures["ViewCartIntent"].precision == 0.0
    assert report.confusion().counts[("CheckoutIntent", "ViewCartIntent")] == 1


def test_run_dialog_script_that_passes(nlu: Any, conversations: Callable[..., Any]) -> None:
    report = _run(Certifier(nlu, conversations=conversations, reference_time=NOW), "pass_dialog.yaml")
    assert [c.status for c in report.cases()] == ["PASSED", "PASSED"], [c.failures for c in report.cases()]
    steps = report.cases()[1].record["steps"]
    assert steps[1]["intent"] == "AddToCartIntent" and "milk" in steps[1]["speech"].lower()


def test_run_dialog_script_that_fails(nlu: Any, conversations: Callable[..., Any]) -> None:
    report = _run(Certifier(nlu, conversations=conversations, reference_time=NOW), "fail_dialog.yaml")
    (case,) = report.cases()
    assert case.status == "FAILED"
    assert len(case.failures) == 2
    assert "line 8: sessionEnded : True: got False" in case.failures[0]
    assert "line 9: prompt : '*tap dance*'" in case.failures[1]
    assert not report.ok()


def test_run_dialog_scripts_get_a_fresh_skill_each(nlu: Any, conversations: Callable[..., Any], tmp_path: Any) -> None:
    script = tmp_path / "cart.yaml"
    script.write_text(
        '- test: "add"\n- LaunchRequest\n- "add bread":\n    - intent: AddToCartIntent\n- "the first one": "Added*"\n'
        '- "what\'s in my cart": "*1 item*"\n',
        encoding="utf-8",
    )
    certifier = Certifier(nlu, conversations=conversations, reference_time=NOW)
    files = [read_test_file(script), read_test_file(script)]
    results = certifier.run(files)
    assert [c.status for f in results for c in f.cases] == ["PASSED", "PASSED"]  # the cart starts empty twice


def test_run_audio_set_scores_wer_and_intents(nlu: Any, small_recognizer: Any) -> None:
    certifier = Certifier(nlu, recognizer=lambda: small_recognizer, reference_time=NOW)
    report = _run(certifier, "audio/manifest.csv")
    cases = report.cases("audio")
    assert [c.status for c in cases] == ["PASSED", "PASSED"], [c.failures for c in cases]
    for case in cases:
        expected = word_errors(case.record["expectedTranscription"], case.record["transcription"])
        assert case.record["word_errors"] == expected.errors
    assert report.accuracy("audio")[0] == 1.0
    assert report.wer() == sum(c.record["word_errors"] for c in cases) / 8
    assert report.to_json()["audio"]["cases"] == 2


def test_the_report_says_what_heard_the_audio(nlu: Any, small_recognizer: Any) -> None:
    certifier = Certifier(nlu, recognizer=lambda: small_recognizer, reference_time=NOW)
    assert certifier.recognizer is None  # nothing heard yet: no recogniser was made
    files = [read_test_file(DATA / "audio/manifest.csv")]
    report = CertifyReport(certifier.run(files), [], recognizer=certifier.recognizer)
    heard = {"engine": "pocketsphinx-jsgf", "snapped": False, "second_opinion": False}
    assert report.to_json()["audio"]["recognizer"] == heard
    assert report.recognizer_line() == "heard by pocketsphinx-jsgf, without a second opinion"
    assert CertifyReport(report.files, []).to_json()["audio"]["recognizer"] is None


def test_run_audio_set_that_fails(nlu: Any, small_recognizer: Any) -> None:
    certifier = Certifier(nlu, recognizer=lambda: small_recognizer, reference_time=NOW)
    report = _run(certifier, "audio/wrong.yaml")
    first, second = report.cases("audio")
    assert first.status == "FAILED"  # the recording says "add milk to my cart", the manifest "search for tea"
    assert first.record["wer"] > 0
    assert any("intent: expected SearchProductIntent" in f for f in first.failures)
    assert second.status == "PASSED"
    strict_wer = CertifyReport(report.files, [], Thresholds(min_intent_accuracy=0.0, min_slot_accuracy=0.0, max_wer=0.1))
    assert any("word error rate" in t for t in strict_wer.threshold_failures())
    assert not report.ok()


def test_audio_threshold_is_separate_from_the_text_one(nlu: Any, small_recognizer: Any) -> None:
    certifier = Certifier(nlu, recognizer=lambda: small_recognizer, reference_time=NOW)
    report = _run(certifier, "audio/wrong.yaml")  # one of the two recordings is mislabelled: 50%
    same = CertifyReport(report.files, [], Thresholds(min_intent_accuracy=0.9, min_slot_accuracy=0.0))
    assert any(t.startswith("audio intent accuracy 50.00%") for t in same.threshold_failures())
    lenient = Thresholds(min_intent_accuracy=0.9, min_slot_accuracy=0.0, min_audio_intent_accuracy=0.5)
    assert CertifyReport(report.files, [], lenient).threshold_failures() == []
    strict = Thresholds(min_intent_accuracy=0.0, min_slot_accuracy=0.0, min_audio_intent_accuracy=0.75)
    assert CertifyReport(report.files, [], strict).threshold_failures() == [
        "audio intent accuracy 50.00% is under the minimum 75.00%"
    ]


def test_each_audio_case_is_heard_as_a_session_of_its_own(nlu: Any, small_recognizer: Any) -> None:
    """pocketsphinx carries the speaker's cepstral mean between utterances: a case's result must not
    depend on the clips before it, so the runner starts a new session before each."""
    calls: list[str] = []

    class Spy:
        engine = small_recognizer.engine

        def new_session(self) -> None:
            calls.append("new_session")
            small_recognizer.new_session()

        def recognize(self, audio: Any, on_partial: Any = None) -> Any:
            calls.append("recognize")
            return small_recognizer.recognize(audio, on_partial)

        def missing_words(self, words: Any) -> list[str]:
            return small_recognizer.missing_words(words)

    report = _run(Certifier(nlu, recognizer=Spy, reference_time=NOW), "audio/manifest.csv")
    assert [c.status for c in report.cases("audio")] == ["PASSED", "PASSED"]
    assert calls == ["new_session", "recognize"] * 2
