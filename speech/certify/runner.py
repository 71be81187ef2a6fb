"""Running test files: text sets through the NLU, dialog scripts through the voice cloud and a skill,
audio sets through a recogniser and the NLU.

    certifier = Certifier(nlu, conversations=lambda script: ScriptedConversation(cloud_for(script)),
                          recognizer=lambda: create_recognizer(...))
    results = certifier.run(read_test_files(paths), progress=bar.update)
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from speech.certify.assertions import Exchange, check_assertion
from speech.certify.cases import AudioSet, DialogScript, DialogStep, DialogTest, NluCase, NluSet, TestFile
from speech.certify.results import CaseResult, FileResult
from speech.certify.scoring import slot_mismatches, word_errors
from speech.errors import AudioError, EndpointError, EngineError, TestFileError

__all__ = ["Certifier", "Conversation", "count_cases", "parse_reference_time"]


class Conversation(Protocol):
    """What a dialog test drives (see `speech.certify.conversation.ScriptedConversation`)."""

    def launch(self) -> Exchange: ...
    def say(self, text: str) -> Exchange: ...
    def send_intent(self, name: str, slots: dict[str, str]) -> Exchange: ...
    def end(self) -> Exchange: ...


def parse_reference_time(text: str | None, where: str = "") -> datetime | None:
    """An ISO 8601 timestamp ('2026-11-27T10:00:00.000Z'), timezone-aware (UTC when none is given)."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise TestFileError(f"{where}: referenceTimestamp '{text}' is not an ISO 8601 time") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def count_cases(files: list[TestFile]) -> int:
    """Units of progress: one a text case, a dialog step, a recording."""
    total = 0
    for f in files:
        if isinstance(f, NluSet):
            total += len(f.cases)
        elif isinstance(f, DialogScript):
            total += sum(len(t.steps) for t in f.tests)
        else:
            total += len(f.cases)
    return total


def _slots_json(slots: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, s in slots.items():
        entry: dict[str, Any] = {"value": s.value}
        if getattr(s, "id", None):
            entry["id"] = s.id
        if getattr(s, "resolved", None):
            entry["resolved"] = s.resolved
        out[name] = entry
    return out


class Certifier:
    """Runs test files; every dependency is passed in, so any NLU, skill or recogniser can be certified."""

    def __init__(
        self,
        nlu: Any,
        *,
        conversations: Callable[[DialogScript], Conversation] | None = None,
        recognizer: Callable[[], Any] | None = None,
        load_audio: Callable[[Any], Any] | None = None,
        reference_time: datetime | None = None,
    ) -> None:
        self.nlu = nlu
        self.conversations = conversations
        self._recognizer_factory = recognizer
        self._recognizer: Any = None
        self._load_audio = load_audio
        self.reference_time = reference_time

    @property
    def recognizer(self) -> dict[str, Any] | None:
        """What heard the audio sets: the engine, whether its words were checked against the grammar
        (snapped) and whether Whisper's second opinion chose between its sentences; None before any audio."""
        rec = self._recognizer
        if rec is None:
            return None
        from speech.asr import SnappingRecognizer

        snapped = isinstance(rec, SnappingRecognizer)
        return {
            "engine": str(rec.engine),
            "snapped": snapped,
            "second_opinion": snapped and rec.rescorer is not None,
        }

    # -- text -------------------------------------------------------------------------------------

    def nlu_case(self, case: NluCase) -> CaseResult:
        ref = parse_reference_time(case.reference_time, case.source) or self.reference_time
        resolution = self.nlu.resolve(case.utterance, reference_time=ref)
        return self._score(case, resolution, "nlu", case.utterance)

    def _score(self, case: NluCase, resolution: Any, kind: Any, name: str) -> CaseResult:
        intent_ok = resolution.intent == case.intent
        problems = slot_mismatches(case.slots, resolution.slots, strict=case.strict_slots)
        failures = [] if intent_ok else [f"intent: expected {case.intent}, got {resolution.intent}"]
        failures += problems
        record = {
            "inputs": {"utterance": case.utterance, **({"referenceTimestamp": case.reference_time} if case.reference_time else {})},
            "expected": [
                {"intent": {"name": case.intent, "slots": {
                    n: {"value": s.value, **({"id": s.id} if s.check_id or s.id else {})} for n, s in case.slots.items()
                }}}
            ],
            "actual": {
                "intent": {"name": resolution.intent, "confirmationStatus": "NONE", "slots": _slots_json(resolution.slots)},
                "confidence": round(float(getattr(resolution, "confidence", 0.0)), 4),
            },
        }
        return CaseResult(
            kind=kind,
            name=name,
            passed=not failures,
            source=case.source,
            expected_intent=case.intent,
            actual_intent=resolution.intent,
            slots_ok=not problems,
            failures=failures,
            record=record,
        )

    def run_nlu_set(self, nlu_set: NluSet, tick: Callable[[int], None]) -> list[CaseResult]:
        out = []
        for case in nlu_set.cases:
            out.append(self.nlu_case(case))
            tick(1)
        return out

    # -- dialogs ----------------------------------------------------------------------------------

    def _step(self, conv: Conversation, step: DialogStep) -> Exchange:
        if step.kind == "launch":
            return conv.launch()
        if step.kind == "end":
            return conv.end()
        if step.kind == "intent":
            return conv.send_intent(step.intent or "", step.slots)
        return conv.say(step.text)

    def run_dialog_test(self, script: DialogScript, test: DialogTest, conv: Conversation, tick: Callable[[int], None]) -> CaseResult:
        failures: list[str] = []
        steps: list[dict[str, Any]] = []
        for n, step in enumerate(test.steps):
            try:
                exchange = self._step(conv, step)
            except EndpointError as exc:
                failures.append(f"line {step.line} '{step.text}': {exc}")
                tick(len(test.steps) - n)
                break
            step_failures = []
            if exchange.extra.get("error"):
                step_failures.append(f"the skill failed: {exchange.extra['error']}")
            for assertion in step.assertions:
                outcome = check_assertion(assertion, exchange)
                if not outcome.passed:
                    step_failures.append(f"line {assertion.line}: {outcome.message}")
            failures += [f"'{step.text}' {msg}" for msg in step_failures]
            steps.append(
                {
                    "line": step.line,
                    "input": step.text,
                    "heard": exchange.heard,
                    "intent": ((exchange.request.get("request") or {}).get("intent") or {}).get("name")
                    if exchange.request
                    else None,
                    "speech": exchange.speech,
                    "reprompt": exchange.reprompt,
                    "session_open": exchange.session_open,
                    "status": "FAILED" if step_failures else "PASSED",
                    "failures": step_failures,
                }
            )
            tick(1)
        with contextlib.suppress(EndpointError):
            conv.end()  # leave no session open for the next test of the script
        return CaseResult(
            kind="dialog",
            name=test.name,
            passed=not failures,
            source=f"{script.path.name}:{test.line}",
            failures=failures,
            record={"steps": steps},
        )

    def run_dialog_script(self, script: DialogScript, tick: Callable[[int], None]) -> list[CaseResult]:
        if self.conversations is None:
            raise TestFileError(f"{script.path}: dialog scripts need a skill to talk to")
        conv = self.conversations(script)
        return [self.run_dialog_test(script, test, conv, tick) for test in script.tests]

    # -- audio ------------------------------------------------------------------------------------

    def _recognize(self, path: Any) -> Any:
        if self._recognizer is None:
            if self._recognizer_factory is None:
                raise EngineError("audio sets need a speech recognizer (--asr)")
            self._recognizer = self._recognizer_factory()
        if self._load_audio is None:
            from speech.audio import load_wav

            self._load_audio = load_wav
        self._recognizer.new_session()  # each case heard on its own: no result depends on the set's order
        return self._recognizer.recognize(self._load_audio(path))

    def run_audio_set(self, audio_set: AudioSet, tick: Callable[[int], None]) -> list[CaseResult]:
        out = []
        for case in audio_set.cases:
            try:
                transcript = self._recognize(case.audio)
            except AudioError as exc:
                raise TestFileError(f"{case.source}: {exc}") from exc
            heard = transcript.text
            record: dict[str, Any] = {"audioAsset": case.audio.name, "transcription": heard,
                                      "expectedTranscription": case.transcription}
            failures: list[str] = []
            result = CaseResult(kind="audio", name=case.audio.name, passed=True, source=case.source)
            if case.transcription is not None:
                errors = word_errors(case.transcription, heard)
                record.update(wer=round(errors.wer, 4), word_errors=errors.errors, reference_words=errors.reference_words)
                if errors.errors:
                    failures.append(f"heard '{heard}', expected '{case.transcription}' (WER {errors.wer:.0%})")
            if case.intent is not None:
                scored = self._score(
                    NluCase(heard, case.intent, case.slots, None, case.source),
                    self.nlu.resolve(heard, reference_time=self.reference_time),
                    "audio",
                    case.audio.name,
                )
                result.expected_intent, result.actual_intent, result.slots_ok = (
                    scored.expected_intent, scored.actual_intent, scored.slots_ok)
                failures += scored.failures
                record.update(expected=scored.record["expected"], actual=scored.record["actual"])
            result.failures, result.record = failures, record
            # A recording passes when its intent and slots are right; its word errors count in the
            # corpus WER, judged by --max-wer, and are listed but do not fail it alone.
            result.passed = result.expected_intent == result.actual_intent and result.slots_ok
            if result.passed and failures:
                record["notes"], failures = failures, []
                result.failures = failures
            out.append(result)
            tick(1)
        return out

    # -- everything -------------------------------------------------------------------------------

    def run(self, files: list[TestFile], progress: Callable[[int], None] | None = None) -> list[FileResult]:
        tick = progress or (lambda n: None)
        results = []
        for f in files:
            start = time.perf_counter()
            kind: str
            if isinstance(f, NluSet):
                cases, kind = self.run_nlu_set(f, tick), f.format
            elif isinstance(f, DialogScript):
                cases, kind = self.run_dialog_script(f, tick), "dialog"
            else:
                cases, kind = self.run_audio_set(f, tick), "audio-set"
            results.append(FileResult(str(f.path), kind, cases, time.perf_counter() - start))
        return results
