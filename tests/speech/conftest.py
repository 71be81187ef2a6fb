"""Voice fixtures: the grammar, one shared recogniser, one synthesiser, sentences synthesised once.

The voice cloud's fixtures: a small test model, a rule-table understander and a recording skill (a fake
skill endpoint, so the cloud's own behaviour is tested apart from the real skill's).
"""

from __future__ import annotations

import re
import subprocess
import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from speech.asr import create_recognizer
from speech.audio import Audio
from speech.certify.scoring import resolution_problems
from speech.cloud import VoiceCloud
from speech.grammar import Grammar, build_grammar
from speech.interaction_model import InteractionModel, default_model_path, load_interaction_model
from speech.nlu.types import Resolution, SlotValue
from speech.tts import Synthesizer

DATA = Path(__file__).parent / "data"
USER_VOICE = "en-us+klatt2"
"""espeak-ng voice the tests speak with (the klatt voices suit pocketsphinx's acoustic model best)."""


def _whisper_missing() -> str | None:
    """Why Whisper's second opinion cannot run here (the 'rescore' extra), or None when it can."""
    from speech.asr.rescore import rescorer_status

    status = rescorer_status()
    return None if status.startswith("installed") else status


needs_whisper = pytest.mark.skipif(_whisper_missing() is not None,
                                   reason=f"needs the 'rescore' extra (Whisper): {_whisper_missing()}")
"""Marks a test that runs Whisper's second opinion: skipped, with the reason, where it is not installed."""


def espeak(text: str, path: Path, voice: str = USER_VOICE, rate: int = 175) -> Path:
    """The espeak-ng program's clip of `text`, the same audio every run. pyttsx3 drives one long-lived
    espeak-ng engine whose audio differs a little from call to call, so a test that needs one clip (or
    a few) heard right speaks it this way."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True, capture_output=True)
    return path


@pytest.fixture(scope="session")
def grammar() -> Grammar:
    return build_grammar(load_interaction_model(default_model_path()))


@pytest.fixture(scope="session")
def nlu():  # type: ignore[no-untyped-def]
    from speech.nlu import compile_model

    return compile_model(default_model_path())


@pytest.fixture(scope="session")
def recognizer(grammar: Grammar, nlu):  # type: ignore[no-untyped-def]

    return create_recognizer("en-US", engine="pocketsphinx", grammar=grammar, understand=nlu.intent_confidence)


@pytest.fixture(scope="session")
def synthesizer() -> Iterator[Synthesizer]:
    s = Synthesizer()
    yield s
    s.close()


@pytest.fixture(scope="session")
def spoken(tmp_path_factory: pytest.TempPathFactory, synthesizer: Synthesizer) -> list[tuple[dict, Path]]:
    """tests/speech/data/spoken.yaml, each sentence synthesised once per session."""
    items = yaml.safe_load((DATA / "spoken.yaml").read_text(encoding="utf-8"))
    out_dir = tmp_path_factory.mktemp("spoken")
    return [
        (item, synthesizer.synthesize(item["say"], out_dir / f"s{n:02d}.wav", voice=USER_VOICE, rate=175))
        for n, item in enumerate(items)
    ]


def write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1, width: int = 2) -> Path:
    """A PCM WAV written with the standard library (so the reader is tested against another writer)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def tone(rate: int, seconds: float = 0.5, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return 0.3 * np.sin(2 * np.pi * freq * t)


def silence(seconds: float = 0.5) -> Audio:
    """A 16 kHz clip of digital silence (for turns whose transcript a fake recogniser supplies)."""
    return Audio(np.zeros(int(16000 * seconds), dtype=np.int16), 16000)


def slot_problems(item: dict, res) -> list[str]:  # type: ignore[no-untyped-def]
    """What an NLU result gets wrong against a spoken.yaml item (its intent and key slots); [] when right."""
    return resolution_problems(res, item["intent"], item.get("slots"))


CLOUD_NOW = datetime(2026, 11, 27, 21, 0, 0, tzinfo=UTC)

# (pattern, intent, {group: slot type}); custom values resolve by id when the value is known.
RULES: list[tuple[str, str, dict[str, str]]] = [
    (
        r"add (?P<quantity>\d+) (?P<product>.+)",
        "AddToCartIntent",
        {"quantity": "AMAZON.NUMBER", "product": "PRODUCT"},
    ),
    (r"add (?P<product>.+)", "AddToCartIntent", {"product": "PRODUCT"}),
    (r"what's in my cart", "ViewCartIntent", {}),
    (
        r"deliver it (?P<date>tomorrow)(?: (?P<timeSlot>morning|evening))?",
        "ScheduleDeliveryIntent",
        {"date": "AMAZON.DATE", "timeSlot": "TIME_SLOT"},
    ),
    (r"deliver it", "ScheduleDeliveryIntent", {}),
    (r"(?P<timeSlot>morning|evening)", "ScheduleDeliveryIntent", {"timeSlot": "TIME_SLOT"}),
    (
        r"(?:my code is )?(?P<voiceCode>one two three four|\d{4})",
        "ProvideVoiceCodeIntent",
        {"voiceCode": "AMAZON.FOUR_DIGIT_NUMBER"},
    ),
    (r"my code", "ProvideVoiceCodeIntent", {}),
    (r"check out", "CheckoutIntent", {}),
    (
        r"pay with my (?P<paymentLabel>visa|mastercard)",
        "SetPaymentMethodIntent",
        {"paymentLabel": "PAYMENT_LABEL"},
    ),
    (r"change my card", "SetPaymentMethodIntent", {}),
    (r"(?P<paymentLabel>visa|mastercard)", "SetPaymentMethodIntent", {"paymentLabel": "PAYMENT_LABEL"}),
    (r"stop", "AMAZON.StopIntent", {}),
    (r"cancel", "AMAZON.CancelIntent", {}),
    (r"help", "AMAZON.HelpIntent", {}),
    (r"yes|yeah", "AMAZON.YesIntent", {}),
    (r"no|nope", "AMAZON.NoIntent", {}),
]
_DATES = {"tomorrow": "2026-11-28"}
_DIGITS = {"one two three four": "1234"}


class RuleNLU:
    """An understander from a rule table: enough to drive the cloud without the real NLU."""

    def __init__(self, model: InteractionModel) -> None:
        self.model = model
        self.calls: list[tuple[str, set[str] | None]] = []

    def resolve(
        self, utterance: str, *, reference_time: Any = None, intents: set[str] | None = None
    ) -> Resolution:
        self.calls.append((utterance, intents))
        text = utterance.lower().strip()
        for pattern, intent, groups in RULES:
            if intents is not None and intent not in intents:
                continue
            m = re.fullmatch(pattern, text)
            if not m:
                continue
            slots = {}
            for name, slot_type in groups.items():
                raw = m.groupdict().get(name)
                if raw:
                    slots[name] = self._slot(name, raw, slot_type)
            return Resolution(utterance, intent, slots, 0.9)
        return Resolution(utterance, "AMAZON.FallbackIntent", {}, 0.2)

    def _slot(self, name: str, raw: str, slot_type: str) -> SlotValue:
        if slot_type == "AMAZON.DATE":
            return SlotValue(name, _DATES[raw], slot_type)
        if slot_type.startswith("AMAZON."):
            return SlotValue(name, _DIGITS.get(raw, raw), slot_type)
        custom = self.model.slot_type(slot_type)
        for value in custom.values if custom else ():
            if raw == value.value or raw in value.synonyms:
                return SlotValue(
                    name, raw, slot_type, id=value.id, resolved=value.value, status="ER_SUCCESS_MATCH"
                )
        return SlotValue(name, raw, slot_type, status="ER_SUCCESS_NO_MATCH")


def say(
    text: str,
    reprompt: str | None = None,
    *,
    end: bool | None = None,
    attrs: dict[str, Any] | None = None,
    directives: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A skill response envelope, as ask-sdk serialises one."""
    response: dict[str, Any] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{text}</speak>"}}
    if reprompt is not None:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{reprompt}</speak>"}}
    if end is not None:
        response["shouldEndSession"] = end
    if directives:
        response["directives"] = directives
    return {"version": "1.0", "sessionAttributes": attrs or {}, "response": response}


class RecordingSkill:
    """A fake skill endpoint: records every request; answers with `script(request)`."""

    def __init__(self, script: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script = script or (lambda request: say("Okay.", "Anything else?"))

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(request)
        return self.script(request)

    def types(self) -> list[str]:
        return [r["request"]["type"] for r in self.requests]

    def last(self) -> dict[str, Any]:
        return self.requests[-1]["request"]


@pytest.fixture
def test_model() -> InteractionModel:
    return load_interaction_model(DATA / "cloud_model.json")


@pytest.fixture
def make_cloud(test_model: InteractionModel) -> Callable[..., VoiceCloud]:
    def make(skill: Callable[[dict[str, Any]], dict[str, Any]], **kwargs: Any) -> VoiceCloud:
        kwargs.setdefault("user_id", "amzn1.ask.account.TEST")
        kwargs.setdefault("clock", lambda: CLOUD_NOW)
        return VoiceCloud(RuleNLU(test_model), skill, test_model, **kwargs)

    return make


@pytest.fixture(name="say")
def say_fixture() -> Callable[..., dict[str, Any]]:
    """`say(text, reprompt, end=..., attrs=..., directives=...)`: a canned skill response."""
    return say


@pytest.fixture(name="Skill")
def skill_fixture() -> type[RecordingSkill]:
    """The recording fake skill class: `Skill(script)`."""
    return RecordingSkill
