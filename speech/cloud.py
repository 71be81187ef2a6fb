"""The local voice cloud: what Alexa does between a transcript and a skill.

    cloud = VoiceCloud(compile_model(model), endpoint, model, user_id="amzn1.ask.account.X")
    cloud.hear("open voice shop").speech        # LaunchRequest in a new session
    cloud.hear("search for coffee")            # in session: NLU, then an IntentRequest
    cloud.timeout()                            # the user said nothing: reprompt, then SessionEndedRequest

It handles invocation phrases, keeps the session (id, attributes, open or closed by Alexa's rules),
executes the dialog model (auto delegation, Dialog.Delegate / ElicitSlot / ConfirmSlot / ConfirmIntent)
and talks to the skill only through Alexa JSON, via any `Endpoint`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import requests

from speech import dialog as dm
from speech.envelope import (
    Caller,
    EndReason,
    SessionInfo,
    intent_json,
    intent_request,
    launch_request,
    session_ended_request,
)
from speech.errors import EndpointError
from speech.expectation import Expectation
from speech.interaction_model import InteractionModel
from speech.nlu.types import Resolution, SlotValue
from speech.session import SkillReply
from speech.transport import Endpoint
from speech.vocabulary import (
    ASK_VERBS,
    EXIT_WORDS,
    KOREAN_LAUNCH_ENDINGS,
    KOREAN_LAUNCH_SOFTENERS,
    KOREAN_LAUNCH_STEMS,
    KOREAN_LAUNCH_VERBS,
    KOREAN_ONE_SHOT_JOINS,
    LAUNCH_PHRASES,
    LAUNCH_VERBS,
    QUIET_WORDS,
    heard_text,
)

__all__ = [
    "DEFAULT_APPLICATION_ID",
    "DEFAULT_DEVICE_ID",
    "DEMO_USER_ID",
    "Invocation",
    "Turn",
    "VoiceCloud",
    "parse_invocation",
]

DEMO_USER_ID = "amzn1.ask.account.voiceshop-demo"
DEFAULT_DEVICE_ID = "amzn1.ask.device.voiceshop-simulator"
DEFAULT_APPLICATION_ID = "amzn1.ask.skill.00000000-0000-4000-8000-00000000c10d"
MAX_LINE = 500
"""Characters of a heard line kept; a spoken request is never longer, and the NLU is spared a novel."""

# What the speaker itself says (not the skill): Alexa's own phrases, per locale.
SPEAKER_PHRASES: dict[str, dict[str, str]] = {
    "en-US": {
        "not_sure": "Sorry, I'm not sure about that.",
        "skill_problem": "There was a problem with the requested skill's response.",
        "skill_unreachable": "Sorry, the requested skill is not responding right now.",
        "elicit": "What {slot} would you like?",
        "confirm": "Is that right?",
        "not_caught": "Sorry, I didn't catch that.",
    },
    "ko-KR": {
        "not_sure": "죄송해요, 잘 모르겠어요.",
        "skill_problem": "요청한 스킬의 응답에 문제가 있어요.",
        "skill_unreachable": "죄송해요, 요청한 스킬이 지금 응답하지 않아요.",
        "elicit": "{slot}을 말씀해 주세요.",
        "confirm": "맞나요?",
        "not_caught": "죄송해요, 잘 못 들었어요.",
    },
}
DEVICE_TIMEZONES = {"ko-KR": "Asia/Seoul"}
"""The simulated device's timezone per locale, which dates said to it are resolved in; a locale not
listed resolves them in the clock's own zone (UTC), as before."""
_MAX_DIALOG_HOPS = 8


@dataclass
class Turn:
    """One thing heard and everything that came of it."""

    heard: str
    """The line as heard (typed or transcribed)."""
    request: dict[str, Any] | None = None
    """The request envelope this turn sent to the skill (the last, when the dialog model sent more than
    one); None when the speaker answered by itself."""
    response: dict[str, Any] | None = None
    """The skill's response envelope to `request`; None when none came back."""
    speech: str = ""
    """What the speaker says, plain text (SSML stripped)."""
    reprompt: str = ""
    """What it says if the user stays silent ('' when the session is not waiting)."""
    session_open: bool = False
    """Whether the speaker is listening for an answer after this turn."""
    card: dict[str, Any] | None = None
    directives: list[dict[str, Any]] = field(default_factory=list)
    exchanges: list[tuple[dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)
    """Every (request, response) of the turn in order, a SessionEndedRequest after an error included."""
    error: str | None = None
    """Why the skill could not be used this turn (unreachable, invalid response); None when all went well."""

    def to_json(self) -> dict[str, Any]:
        """The `voiceshop chat --json` line of the contract."""
        return {
            "heard": self.heard,
            "request": self.request,
            "response": self.response,
            "speech": self.speech,
        }


@dataclass(frozen=True)
class Invocation:
    """A phrase that names the skill."""

    kind: Literal["launch", "oneshot"]
    rest: str = ""
    """For a one-shot, the request without the invocation ('add milk')."""


_WAKE = re.compile(r"^(?:(?:(?:hey|ok|okay)\s+)?alexa\b|(?:헤이\s*)?알렉사(?:야|아)?)\s*")
_LAUNCH_VERBS = "(?:" + "|".join(re.escape(v) for v in (*LAUNCH_VERBS, *LAUNCH_PHRASES)) + ")"
_ASK_VERBS = "(?:" + "|".join(ASK_VERBS) + ")"
_CONNECTORS = re.compile(r"^(?:to|for|about|if|whether|and|that)\s+")


def normalize_heard(text: str) -> str:
    """Lower case, typographic quotes folded, punctuation (but apostrophes) to spaces, a wake word off."""
    text = re.sub(r"(?<!\w)'|'(?!\w)", " ", heard_text(text))
    text = " ".join(text.split())
    return _WAKE.sub("", text).strip()


# Korean: "보이스 샵 열어 줘" launches; "보이스 샵에서 우유 담아 줘", "보이스 샵 열고 우유 담아 줘" are one-shots.
_KO_LAUNCH = re.compile(
    r"(?:을|를)?\s*(?:(?:" + "|".join(KOREAN_LAUNCH_SOFTENERS) + r")\s*)?(?:"
    + "|".join(KOREAN_LAUNCH_VERBS)
    + "|(?:"
    + "|".join(KOREAN_LAUNCH_STEMS)
    + r")\s*(?:"
    + "|".join(KOREAN_LAUNCH_ENDINGS)
    + r"))?\s*요?"
)
_KO_ONESHOT = re.compile("(?:" + "|".join(KOREAN_ONE_SHOT_JOINS) + r")\s*(?P<rest>.+)")


def _parse_korean_invocation(text: str, words: list[str]) -> Invocation | None:
    name = r"\s*".join(re.escape(w) for w in words) + r"(?:\s*스킬)?"
    m = re.match(name, text)
    if not m:
        return None
    rest = text[m.end():].strip()
    if _KO_LAUNCH.fullmatch(rest):
        return Invocation("launch")
    one = _KO_ONESHOT.fullmatch(rest)
    if one:
        return Invocation("oneshot", one.group("rest").strip())
    return None


def parse_invocation(text: str, invocation_name: str) -> Invocation | None:
    """'open voice shop' -> launch; 'ask voice shop to add milk', 'add milk using voice shop' -> one-shot.
    A Korean name: '보이스 샵 열어 줘' -> launch; '보이스 샵에서 우유 담아 줘' -> one-shot.

    `text` is normalized (see `normalize_heard`). The name matches with or without the spaces between
    its words ('voiceshop') and with a 'the' or a trailing 'skill'.
    """
    words = normalize_heard(invocation_name).split()
    if not words:
        return None
    if re.search(r"[\uac00-\ud7a3]", invocation_name):
        return _parse_korean_invocation(text, words)
    name = r"(?:the\s+)?" + r"\s*".join(re.escape(w) for w in words) + r"(?:\s+skill)?"
    if re.fullmatch(name, text):
        return Invocation("launch")
    m = re.fullmatch(rf"{_LAUNCH_VERBS}\s+{name}(?:\s+(?:and|to)\s+(?P<rest>.+))?", text)
    if m:
        return Invocation("oneshot", m.group("rest")) if m.group("rest") else Invocation("launch")
    m = re.fullmatch(rf"{_ASK_VERBS}\s+{name}(?:\s+(?P<rest>.+))?", text)
    if m:
        rest = _CONNECTORS.sub("", m.group("rest") or "").strip()
        return Invocation("oneshot", rest) if rest else Invocation("launch")
    m = re.fullmatch(rf"(?P<rest>.+?)\s+(?:using|with|on|from|via|in)\s+{name}", text)
    if m:
        return Invocation("oneshot", m.group("rest"))
    return None


Clock = Callable[[], datetime] | Any


class VoiceCloud:
    """Alexa's side of a conversation with one skill, for one user on one device."""

    def __init__(
        self,
        nlu: Any,
        endpoint: Endpoint,
        model: InteractionModel,
        *,
        user_id: str = DEMO_USER_ID,
        device_id: str = DEFAULT_DEVICE_ID,
        locale: str = "en-US",
        application_id: str = DEFAULT_APPLICATION_ID,
        clock: Clock | None = None,
        access_token: str | None = None,
        max_reprompts: int = 1,
        rng: random.Random | None = None,
    ) -> None:
        self.nlu = nlu
        self.endpoint = endpoint
        self.model = model
        self.locale = locale
        self.caller = Caller(
            user_id=user_id, application_id=application_id, device_id=device_id, access_token=access_token
        )
        self.max_reprompts = max_reprompts
        self._clock = clock
        self._rng = rng or random.Random()
        self._phrases = SPEAKER_PHRASES.get(locale, SPEAKER_PHRASES["en-US"])
        self._session: SessionInfo | None = None
        self._dialog: dm.DialogRun | None = None
        self._reprompt = ""
        self._reprompts_spoken = 0
        self._last_intent: dict[str, Any] | None = None
        self.answered = 0
        """Responses received from the skill so far (the chat command tells a dead endpoint by it)."""

    # -- public -------------------------------------------------------------------------------

    @property
    def session_open(self) -> bool:
        return self._session is not None

    @property
    def session_id(self) -> str | None:
        return self._session.session_id if self._session else None

    @property
    def dialog(self) -> dm.DialogRun | None:
        """The dialog question waiting for an answer, if any."""
        return self._dialog

    @property
    def expecting(self) -> Expectation | None:
        """What the dialog waits for, for the recogniser to listen for: a slot's value after an
        ElicitSlot (the skill's or the model's own), a yes or no after a confirmation; else None."""
        run = self._dialog
        if run is None or run.waiting is None:
            return None
        return Expectation(run.name, run.slot if run.waiting == "elicit" else None)

    def now(self) -> datetime:
        if self._clock is None:
            return datetime.now(UTC)
        now = self._clock.now() if hasattr(self._clock, "now") else self._clock()
        return now if now.tzinfo else now.replace(tzinfo=UTC)

    def hear(self, text: str) -> Turn:
        """One spoken line. Silence (nothing, or only punctuation) is a `timeout()`."""
        heard = text
        said = normalize_heard(text[:MAX_LINE])
        if not said:
            turn = self.timeout()
            turn.heard = heard
            return turn
        turn = Turn(heard=heard)
        invocation = parse_invocation(said, self.model.invocation_name)
        if invocation is not None:
            # Naming the skill again starts afresh, as on a speaker; the old session is simply dropped.
            self._close()
            self._session = SessionInfo.start()
            if invocation.kind == "launch":
                request = launch_request(self.caller, self._session, locale=self.locale, now=self.now())
                return self._exchange(turn, request)
            return self._start_intent(turn, self._resolve(invocation.rest))
        if self._session is None:
            turn.speech = "" if said in QUIET_WORDS else self._phrases["not_sure"]
            return turn
        if said in EXIT_WORDS:
            return self._end(turn, "USER_INITIATED")
        if self._dialog is not None and self._dialog.waiting is not None:
            return self._answer_dialog(turn, said)
        return self._start_intent(turn, self._resolve(said))

    def send_intent(self, name: str, slots: dict[str, str] | None = None) -> Turn:
        """The intent as if the NLU had resolved it (a test script's `AddToCartIntent product=milk`).

        Slot texts are read against their types (a number, a date, a custom value with its id); a
        session is opened as a one-shot request would, and the dialog model applies as usual.
        """
        now = self.now()
        intent = self.model.intent(name)
        filled: dict[str, SlotValue] = {}
        for slot_name, text in (slots or {}).items():
            value = dm.direct_slot_value(self.model, name, slot_name, text, now)
            if value is None:
                slot = intent.slot(slot_name) if intent else None
                value = SlotValue(slot_name, text, slot.type if slot else "AMAZON.SearchQuery")
            filled[slot_name] = value
        resolution = Resolution(utterance=name, intent=name, slots=filled, confidence=1.0)
        if self._session is None:
            self._session = SessionInfo.start()
        return self._start_intent(Turn(heard=name), resolution)

    def timeout(self) -> Turn:
        """The user said nothing: the pending reprompt is spoken (up to `max_reprompts` times), then
        the session ends with a SessionEndedRequest (EXCEEDED_MAX_REPROMPTS)."""
        turn = Turn(heard="")
        if self._session is None:
            return turn
        if self._reprompt and self._reprompts_spoken < self.max_reprompts:
            self._reprompts_spoken += 1
            turn.speech = turn.reprompt = self._reprompt
            turn.session_open = True
            return turn
        return self._end(turn, "EXCEEDED_MAX_REPROMPTS")

    def end_session(self, reason: EndReason = "USER_INITIATED") -> Turn:
        """The user walked away ('exit', end of input): SessionEndedRequest when a session is open."""
        turn = Turn(heard="")
        if self._session is None:
            return turn
        return self._end(turn, reason)

    # -- requests -----------------------------------------------------------------------------

    def _device_now(self) -> datetime:
        """Now on the device's clock: "tomorrow" is the device's tomorrow, as on a speaker set to its
        country's time (`DEVICE_TIMEZONES`)."""
        now = self.now()
        zone = DEVICE_TIMEZONES.get(self.locale)
        return now.astimezone(ZoneInfo(zone)) if zone else now

    def _resolve(self, text: str) -> Resolution | None:
        return dm.resolve(self.nlu, text, self._device_now())

    def _start_intent(self, turn: Turn, resolution: Resolution | None) -> Turn:
        assert self._session is not None
        if resolution is None:
            resolution = Resolution(utterance=turn.heard, intent="AMAZON.FallbackIntent")
        filled = {name: slot.to_alexa() for name, slot in resolution.slots.items()}
        intent = intent_json(self.model, resolution.intent, filled)
        self._dialog = None
        strategy = dm.delegation_strategy(self.model, resolution.intent)
        if strategy == "ALWAYS":
            return self._advance(turn, dm.DialogRun(intent=intent, auto=True), hops=0)
        state = "STARTED" if strategy is not None else None
        return self._send_intent(turn, intent, state, hops=0)

    def _send_intent(self, turn: Turn, intent: dict[str, Any], state: Any, hops: int) -> Turn:
        assert self._session is not None
        self._last_intent = intent
        request = intent_request(
            self.caller, self._session, intent, locale=self.locale, now=self.now(), dialog_state=state
        )
        return self._exchange(turn, request, hops=hops)

    def _exchange(self, turn: Turn, request: dict[str, Any], hops: int = 0) -> Turn:
        """Send a request of the user's turn and act on the response."""
        assert self._session is not None
        turn.request, turn.response = request, None
        try:
            response = self._call(turn, request)
            reply = SkillReply.parse(response)
        except EndpointError as exc:
            return self._fail(turn, exc)
        turn.response = response
        self.answered += 1
        self._session.new = False
        self._session.attributes = dict(reply.session_attributes)
        return self._apply(turn, reply, request, hops)

    def _call(self, turn: Turn, request: dict[str, Any]) -> dict[str, Any]:
        turn.exchanges.append((request, None))
        try:
            response = self.endpoint(request)
        except EndpointError:
            raise
        except requests.RequestException as exc:
            raise EndpointError(f"cannot reach the skill: {exc.__class__.__name__}") from exc
        except Exception as exc:  # the skill is foreign code: its crash is an error response, not ours
            raise EndpointError(f"the skill failed: {exc.__class__.__name__}: {exc}") from exc
        turn.exchanges[-1] = (request, response)
        return response

    def _apply(self, turn: Turn, reply: SkillReply, request: dict[str, Any], hops: int) -> Turn:
        turn.card = reply.card
        turn.directives = reply.directives
        directive = reply.dialog_directive()
        if directive is not None:
            return self._on_dialog_directive(turn, reply, directive, request, hops)
        self._dialog = None
        turn.speech = reply.speech
        if reply.keeps_session_open():
            self._listen(turn, reply.reprompt)
        else:
            self._close()
        return turn

    def _listen(self, turn: Turn, reprompt: str) -> None:
        self._reprompt = reprompt
        self._reprompts_spoken = 0
        turn.reprompt = reprompt
        turn.session_open = True

    def _end(self, turn: Turn, reason: EndReason, error: EndpointError | None = None) -> Turn:
        """Send a SessionEndedRequest (its response carries nothing to say) and close the session."""
        assert self._session is not None
        error_type: Any = None
        if error is not None:
            error_type = "ENDPOINT_TIMEOUT" if "reach" in str(error) else "INVALID_RESPONSE"
        request = session_ended_request(
            self.caller,
            self._session,
            reason,
            locale=self.locale,
            now=self.now(),
            error_type=error_type,
            error_message=str(error or ""),
        )
        if error is None:
            turn.request = request
        try:
            response = self._call(turn, request)
            if error is None:
                turn.response = response if isinstance(response, dict) else None
        except EndpointError:
            pass  # the session ends whatever the skill makes of it
        self._close()
        turn.session_open = False
        turn.reprompt = ""
        return turn

    def _fail(self, turn: Turn, error: EndpointError) -> Turn:
        turn.error = str(error)
        unreachable = "reach" in str(error)
        turn.speech = self._phrases["skill_unreachable" if unreachable else "skill_problem"]
        return self._end(turn, "ERROR", error)

    def _close(self) -> None:
        self._session = None
        self._dialog = None
        self._reprompt = ""
        self._reprompts_spoken = 0
        self._last_intent = None

    # -- the dialog model ---------------------------------------------------------------------

    def _on_dialog_directive(
        self, turn: Turn, reply: SkillReply, directive: dict[str, Any], request: dict[str, Any], hops: int
    ) -> Turn:
        sent = request.get("request", {}).get("intent") or self._last_intent
        intent = directive.get("updatedIntent") or sent
        if not isinstance(intent, dict) or not intent.get("name"):
            return self._fail(
                turn, EndpointError(f"invalid skill response: {directive['type']} outside a dialog")
            )
        intent = intent_json(
            self.model, intent["name"], intent.get("slots") or {}, intent.get("confirmationStatus", "NONE")
        )
        kind = directive["type"]
        if kind == "Dialog.Delegate":
            if request["request"].get("dialogState") == "COMPLETED" or hops >= _MAX_DIALOG_HOPS:
                return self._fail(
                    turn, EndpointError("invalid skill response: Dialog.Delegate on a completed dialog")
                )
            return self._advance(turn, dm.DialogRun(intent=intent, auto=False), hops + 1)
        target = directive.get("slotToElicit") or directive.get("slotToConfirm")
        waiting: dm.Waiting = {
            "Dialog.ElicitSlot": "elicit",
            "Dialog.ConfirmSlot": "confirm_slot",
            "Dialog.ConfirmIntent": "confirm_intent",
        }[kind]  # type: ignore[assignment]
        if waiting != "confirm_intent" and not target:
            return self._fail(turn, EndpointError(f"invalid skill response: {kind} names no slot"))
        run = dm.DialogRun(intent=intent, auto=False, skill_directed=True, waiting=waiting, slot=target)
        run.prompt = reply.speech
        self._dialog = run
        turn.speech = reply.speech
        self._listen(turn, reply.reprompt or reply.speech)
        return turn

    def _advance(self, turn: Turn, run: dm.DialogRun, hops: int) -> Turn:
        """Ask the model's next question, or send the completed intent to the skill."""
        step = dm.next_step(self.model, run.intent)
        if step is None:
            self._dialog = None
            return self._send_intent(turn, run.intent, "COMPLETED", hops)
        kind, slot = step
        if kind == "elicit":
            # A denied value is asked for again from scratch.
            run.intent.setdefault("slots", {})[slot] = {"name": slot, "confirmationStatus": "NONE"}
        default = self._phrases["elicit"].format(slot=slot) if kind == "elicit" else self._phrases["confirm"]
        prompt_id = dm.prompt_id_for(self.model, run.name, step)
        run.waiting, run.slot = kind, slot
        run.prompt = dm.render_prompt(self.model, prompt_id, run.intent, self._rng, default)
        self._dialog = run
        turn.speech = run.prompt
        self._listen(turn, run.prompt)
        return turn

    def _after_answer(self, turn: Turn, run: dm.DialogRun) -> Turn:
        """The question was answered: the model goes on (auto), or the skill hears of it."""
        run.waiting, run.slot = None, None
        if run.auto:
            return self._advance(turn, run, hops=0)
        self._dialog = None
        complete = not run.skill_directed and dm.next_step(self.model, run.intent) is None
        return self._send_intent(turn, run.intent, "COMPLETED" if complete else "IN_PROGRESS", hops=0)

    def _ask_again(self, turn: Turn, run: dm.DialogRun) -> Turn:
        turn.speech = run.prompt
        self._listen(turn, run.prompt)
        return turn

    def _answer_dialog(self, turn: Turn, said: str) -> Turn:
        run = self._dialog
        assert run is not None
        reading = dm.read_answer(self.nlu, self.model, run, said, self._device_now())
        if reading.kind == "switch":
            return self._start_intent(turn, reading.resolution)
        if reading.kind == "ask_again":
            return self._ask_again(turn, run)
        if reading.kind in ("yes", "no"):
            status = "CONFIRMED" if reading.kind == "yes" else "DENIED"
            if run.waiting == "confirm_intent":
                run.intent["confirmationStatus"] = status
            else:
                slot = run.intent.setdefault("slots", {}).setdefault(run.slot, {"name": run.slot})
                slot["confirmationStatus"] = status
            return self._after_answer(turn, run)
        for value in reading.slots:
            dm.set_slot(run.intent, value.to_alexa())
        return self._after_answer(turn, run)
