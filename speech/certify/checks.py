"""The certification checks beyond the build rules, reported as Amazon's skill validation reports them.

Model checks (no skill needed):
- Utterance conflicts: one sample sentence, after filling its slots with the same values, claimed by
  two intents (RECOMMENDED, as Amazon's conflict detection is advisory).
- Test coverage: every custom intent has test sentences among the files given (RECOMMENDED).

Functional checks, run against the skill through Alexa JSON only:
- Launch request, one-shot requests, Help (keeps the session open with a reprompt), Stop and Cancel
  (end the session), Fallback handled, every sample utterance answered without error, and every
  response that asks a question keeps the session open with a reprompt.

    checks = certification_checks(model_json, model, endpoint_factory, tested_intents=...)
    extra_model_checks(model_json)      # the hook `voiceshop validate` can call: the model checks only
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from speech.envelope import Caller, SessionInfo, intent_json, intent_request, launch_request
from speech.errors import EndpointError, ModelError
from speech.interaction_model import SLOT_REF, InteractionModel, parse_interaction_model
from speech.session import SkillReply
from speech.transport import Endpoint
from speech.validate import CheckResult, validate_model
from speech.vocabulary import heard_text

__all__ = [
    "DEFAULT_ERROR_PHRASES",
    "SkillProbe",
    "certification_checks",
    "coverage_check",
    "extra_model_checks",
    "filled_samples",
    "functional_checks",
    "utterance_conflicts_check",
]

DEFAULT_ERROR_PHRASES = (
    "something went wrong",
    "there was a problem",
    "an error occurred",
    "unexpected error",
    "i had trouble",
)
"""Speech that means the skill hit an exception; `voiceshop certify` adds the skill's own error prompts."""

# What a user says for a built-in slot type (conflict check), and what Alexa sends as its value.
SPOKEN_VALUES = {
    "AMAZON.NUMBER": "two",
    "AMAZON.Ordinal": "second",
    "AMAZON.FOUR_DIGIT_NUMBER": "one two three four",
    "AMAZON.DATE": "tomorrow",
    "AMAZON.TIME": "three pm",
    "AMAZON.DURATION": "ten minutes",
    "AMAZON.SearchQuery": "something",
    "AMAZON.PhoneNumber": "five five five one two three four",
}
_SENT_VALUES = {
    "AMAZON.NUMBER": "2",
    "AMAZON.Ordinal": "2",
    "AMAZON.FOUR_DIGIT_NUMBER": "1234",
    "AMAZON.TIME": "15:00",
    "AMAZON.DURATION": "PT10M",
    "AMAZON.SearchQuery": "something",
    "AMAZON.PhoneNumber": "5551234",
}
_QUESTIONS_TITLE = "Questions keep the session open"


def _spoken(model: InteractionModel, slot_type: str) -> str:
    custom = model.slot_type(slot_type)
    if custom is not None and custom.values:
        return custom.values[0].value
    return SPOKEN_VALUES.get(slot_type, "something")


def _slot_types(model: InteractionModel, intent: str) -> dict[str, str]:
    found = model.intent(intent)
    return {s.name: s.type for s in found.slots} if found else {}


def filled_samples(model: InteractionModel) -> Iterable[tuple[str, str, str]]:
    """(intent, sample, sentence with every slot filled with its type's representative value)."""
    for intent in model.intents:
        types = _slot_types(model, intent.name)
        for sample in intent.samples:
            parts = SLOT_REF.split(sample)  # text, slot name, text, slot name, ...
            sentence = "".join(p if k % 2 == 0 else _spoken(model, types.get(p, "")) for k, p in enumerate(parts))
            yield intent.name, sample, heard_text(sentence)


def utterance_conflicts_check(model: InteractionModel) -> CheckResult:
    claimed: dict[str, list[tuple[str, str]]] = {}
    for intent, sample, sentence in filled_samples(model):
        claimed.setdefault(sentence, []).append((intent, sample))
    details = []
    for sentence, owners in sorted(claimed.items()):
        intents = sorted({i for i, _ in owners})
        if len(intents) > 1:
            samples = "; ".join(f"{i}: '{s}'" for i, s in owners)
            details.append(f"'{sentence}' is claimed by {', '.join(intents)} ({samples})")
    return CheckResult(
        "Utterance conflicts", "RECOMMENDED", "WARNING" if details else "PASSED", details
    )


def coverage_check(model: InteractionModel, tested_intents: set[str]) -> CheckResult:
    missing = [i.name for i in model.intents if not i.name.startswith("AMAZON.") and i.name not in tested_intents]
    details = [f"{name} has no test sentences in the files given" for name in missing]
    return CheckResult("Test coverage of custom intents", "RECOMMENDED", "WARNING" if missing else "PASSED", details)


def extra_model_checks(model_json: dict[str, Any]) -> list[CheckResult]:
    """The checks of this module that need only the model: for `voiceshop validate` to include."""
    try:
        model = parse_interaction_model(model_json)
    except ModelError:
        return []  # the build rules already report a malformed model, by element
    return [utterance_conflicts_check(model)]


# -- against the skill ------------------------------------------------------------------------------


@dataclass
class Answer:
    """One request sent by the probe and what came of it."""

    what: str
    request: dict[str, Any]
    reply: SkillReply | None = None
    error: str | None = None


@dataclass
class SkillProbe:
    """Sends launch and intent requests straight to an endpoint, each in a session of its own."""

    endpoint: Endpoint
    model: InteractionModel
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    locale: str = "en-US"
    caller: Caller = field(
        default_factory=lambda: Caller(
            user_id="amzn1.ask.account.voiceshop-certify",
            application_id="amzn1.ask.skill.00000000-0000-4000-8000-00000000c10d",
            device_id="amzn1.ask.device.voiceshop-certify",
        )
    )
    answers: list[Answer] = field(default_factory=list)

    def _send(self, what: str, request: dict[str, Any], session: SessionInfo) -> Answer:
        answer = Answer(what, request)
        try:
            body = self.endpoint(request)
            answer.reply = SkillReply.parse(body)
            session.new = False
            session.attributes = dict(answer.reply.session_attributes)
        except EndpointError as exc:
            answer.error = str(exc)
        except Exception as exc:  # the skill's own crash, in process: a failed check, not ours
            answer.error = f"{type(exc).__name__}: {exc}"
        self.answers.append(answer)
        return answer

    def launch(self, session: SessionInfo | None = None) -> tuple[Answer, SessionInfo]:
        session = session or SessionInfo.start()
        request = launch_request(self.caller, session, locale=self.locale, now=self.now)
        return self._send("LaunchRequest", request, session), session

    def intent(self, name: str, values: dict[str, str] | None = None, session: SessionInfo | None = None,
               what: str | None = None) -> tuple[Answer, SessionInfo]:
        session = session or SessionInfo.start()
        filled = {n: {"name": n, "value": v, "confirmationStatus": "NONE"} for n, v in (values or {}).items()}
        dialog = self.model.dialog_intent(name)
        state = "STARTED" if dialog is not None or self.model.delegation_strategy else None
        request = intent_request(
            self.caller, session, intent_json(self.model, name, filled), locale=self.locale, now=self.now,
            dialog_state=state,  # type: ignore[arg-type]
        )
        return self._send(what or name, request, session), session

    def sent_value(self, slot_type: str) -> str:
        if slot_type == "AMAZON.DATE":
            return (self.now + timedelta(days=1)).date().isoformat()
        custom = self.model.slot_type(slot_type)
        if custom is not None and custom.values:
            return custom.values[0].value
        return _SENT_VALUES.get(slot_type, "something")


def _problem(answer: Answer, error_phrases: tuple[str, ...]) -> str | None:
    """Why an answer is not acceptable: no answer, invalid JSON, error speech, or nothing to say."""
    if answer.error:
        return f"{answer.what}: {answer.error}"
    reply = answer.reply
    assert reply is not None
    said = reply.speech.lower()
    hit = next((p for p in error_phrases if p and p.lower() in said), None)
    if hit:
        return f"{answer.what}: the skill answered with error speech: '{reply.speech}'"
    if not reply.speech and reply.dialog_directive() is None:
        return f"{answer.what}: no speech in the response"
    return None


def _result(title: str, details: list[str], severity: str = "REQUIRED") -> CheckResult:
    status = "PASSED" if not details else ("FAILED" if severity == "REQUIRED" else "WARNING")
    return CheckResult(title, severity, status, details)  # type: ignore[arg-type]


def functional_checks(
    new_endpoint: Callable[[], Endpoint],
    model: InteractionModel,
    *,
    now: datetime | None = None,
    locale: str = "en-US",
    error_phrases: Iterable[str] = DEFAULT_ERROR_PHRASES,
) -> list[CheckResult]:
    """The functional checks, each against the endpoint `new_endpoint()` gives (one, shared)."""
    phrases = tuple(error_phrases)
    probe = SkillProbe(new_endpoint(), model, now or datetime.now(UTC), locale)
    results: list[CheckResult] = []

    launch, _ = probe.launch()
    details = [p for p in [_problem(launch, phrases)] if p]
    if not details and launch.reply and not (launch.reply.keeps_session_open() and launch.reply.reprompt):
        details.append("LaunchRequest: the welcome must keep the session open with a reprompt")
    results.append(_result("Launch request", details))

    custom = [i for i in model.intents if not i.name.startswith("AMAZON.")]
    details = []
    for intent in custom:
        sample = intent.samples[0] if intent.samples else ""
        values = {n: probe.sent_value(t) for n, t in _slot_types(model, intent.name).items() if "{" + n + "}" in sample}
        answer, _ = probe.intent(intent.name, values, what=f"one-shot {intent.name}")
        if (problem := _problem(answer, phrases)) is not None:
            details.append(problem)
    results.append(_result("One-shot requests", details))

    def in_session(name: str) -> Answer:
        _, session = probe.launch()
        answer, _ = probe.intent(name, session=session, what=f"{name} after launch")
        return answer

    help_answer = in_session("AMAZON.HelpIntent")
    details = [p for p in [_problem(help_answer, phrases)] if p]
    if not details and help_answer.reply and not (help_answer.reply.keeps_session_open() and help_answer.reply.reprompt):
        details.append("AMAZON.HelpIntent: help must keep the session open with a reprompt")
    results.append(_result("Help keeps the session open", details))

    details = []
    for name in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
        answer = in_session(name)
        if answer.error:
            details.append(f"{name}: {answer.error}")
        elif answer.reply and answer.reply.keeps_session_open():
            details.append(f"{name}: the session must end (shouldEndSession true), it stays open")
    results.append(_result("Stop and Cancel end the session", details))

    fallback = in_session("AMAZON.FallbackIntent")
    details = [p for p in [_problem(fallback, phrases)] if p]
    if not details and fallback.reply and not fallback.reply.keeps_session_open():
        details.append("AMAZON.FallbackIntent: the session should stay open for another try")
    results.append(_result("Fallback is handled", details))

    details, sent = [], set()
    samples = 0
    for intent in model.intents:
        types = _slot_types(model, intent.name)
        for sample in intent.samples:
            samples += 1
            used = tuple(sorted(n for n in types if "{" + n + "}" in sample))
            if (intent.name, used) in sent:
                continue  # the same request again: its answer is known
            sent.add((intent.name, used))
            values = {n: probe.sent_value(types[n]) for n in used}
            answer, _ = probe.intent(intent.name, values, what=f"{intent.name} '{sample}'")
            if (problem := _problem(answer, phrases)) is not None:
                details.append(problem)
    checked = _result("Every sample utterance is answered", details)
    if checked.status == "PASSED":
        checked = CheckResult(checked.title, checked.severity, "PASSED",
                              [f"{samples} samples answered ({len(sent)} distinct requests)"])
    results.append(checked)

    details = []
    for answer in probe.answers:
        reply = answer.reply
        if reply is None or not reply.speech.rstrip().endswith("?"):
            continue
        if not reply.keeps_session_open() or not reply.reprompt:
            details.append(f"{answer.what}: asks '{reply.speech}' but "
                           + ("ends the session" if not reply.keeps_session_open() else "gives no reprompt"))
    results.append(_result(_QUESTIONS_TITLE, details))
    return results


def certification_checks(
    model_json: dict[str, Any],
    new_endpoint: Callable[[], Endpoint] | None,
    *,
    tested_intents: set[str] | None = None,
    now: datetime | None = None,
    locale: str = "en-US",
    error_phrases: Iterable[str] = DEFAULT_ERROR_PHRASES,
) -> list[CheckResult]:
    """Every check of a certify run: the build rules, then this module's checks."""
    results = list(validate_model(model_json))
    try:
        model = parse_interaction_model(model_json)
    except ModelError:
        return results  # the build rules have said what is wrong; nothing more can be checked
    results.append(utterance_conflicts_check(model))
    if tested_intents is not None:
        results.append(coverage_check(model, tested_intents))
    if new_endpoint is not None:
        results += functional_checks(new_endpoint, model, now=now, locale=locale, error_phrases=error_phrases)
    return results
