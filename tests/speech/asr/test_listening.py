"""Listening for the dialog's answer: answer grammars, the pocketsphinx searches, and the speaker
telling the recogniser what the dialog waits for (as Alexa does after ElicitSlot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from speech.asr import Expectation, Transcript
from speech.audio import Audio, load_wav
from speech.grammar import Grammar
from speech.speaker import Speaker
from speech.tts import Synthesizer
from tests.speech.conftest import USER_VOICE, silence

CODE = Expectation("ProvideVoiceCodeIntent", "voiceCode")


def test_answer_grammar_of_a_code_is_closed_and_keeps_the_escapes(grammar: Grammar) -> None:
    answer = grammar.answer(CODE.intent, CODE.slot)
    assert answer is not None and answer.closed
    for said in ("four two seven one", "my code is nine three eight zero", "cancel", "stop", "help"):
        assert answer.accepts(said), said
    assert not answer.accepts("add milk") and not answer.accepts("four two seven")


def test_answer_grammar_of_a_custom_slot_and_of_a_confirmation(grammar: Grammar) -> None:
    address = grammar.answer("SetDeliveryAddressIntent", "addressLabel")
    assert address is not None and not address.closed  # heard with the answers weighted up, not only them
    assert address.accepts("my work address") and address.accepts("home")
    yes_no = grammar.answer("ScheduleDeliveryIntent", None)
    assert yes_no is not None and yes_no.accepts("yes please") and yes_no.accepts("no thanks")
    assert grammar.answer("ScheduleDeliveryIntent", "noSuchSlot") is None


@pytest.fixture(scope="module")
def say(tmp_path_factory: pytest.TempPathFactory, synthesizer: Synthesizer) -> Any:
    out = tmp_path_factory.mktemp("answers")

    def speak(text: str, voice: str = USER_VOICE) -> Audio:
        path = out / f"{abs(hash((text, voice)))}.wav"
        return load_wav(synthesizer.synthesize(text, path, voice=voice, rate=175))

    return speak


@pytest.mark.slow
def test_listening_for_a_code_hears_codes_the_whole_model_does_not(recognizer: Any, say: Any) -> None:
    """The real loop: espeak-ng -> pocketsphinx with the code grammar. Codes that are none of the
    grammar's sample codes (a shopper's own) come out exactly; then back to the whole model.

    espeak-ng does not say a sentence the same way twice (its samples differ from call to call), so
    these are codes heard right in 30 of 30 fresh syntheses each while listening; the whole model
    heard them right in 2 of 40 in espeak-ng's plain en-us voice. (Codes such as "five three six
    eight", 8 of 12, would make this test fail now and then.)"""
    codes = ["six one six two", "three oh nine four", "two five eight zero", "seven one nine three"]
    try:
        recognizer.listen_for(CODE)
        heard = [recognizer.recognize(say(c, "en-us")).text for c in codes]
        cancel = recognizer.recognize(say("cancel")).text  # not a code: heard again with the whole model
    finally:
        recognizer.listen_for(None)
    assert heard == codes
    assert cancel == "cancel"
    assert recognizer.recognize(say("what's in my cart")).text == "what's in my cart"


@pytest.mark.slow
def test_listening_for_a_slot_still_hears_other_requests(recognizer: Any, say: Any) -> None:
    try:
        recognizer.listen_for(Expectation("ScheduleDeliveryIntent", "timeSlot"))
        assert recognizer.recognize(say("in the afternoon")).text == "in the afternoon"
        assert recognizer.recognize(say("what's in my cart")).text == "what's in my cart"
    finally:
        recognizer.listen_for(None)


class ScriptedRecognizer:
    """Hears what it is told to, and records what it was asked to listen for."""

    engine = "scripted"

    def __init__(self, lines: list[str]) -> None:
        self.lines = list(lines)
        self.asked: list[Expectation | None] = []

    def listen_for(self, expectation: Expectation | None) -> None:
        self.asked.append(expectation)

    def recognize(self, audio: Audio, on_partial: Any = None) -> Transcript:
        return Transcript(text=self.lines.pop(0), confidence=1.0, engine=self.engine, seconds=0.0)

    def missing_words(self, words: Any) -> list[str]:
        return []

    def new_session(self) -> None:
        pass


def test_speaker_tells_the_recogniser_what_the_dialog_waits_for(tmp_path: Path, nlu: Any) -> None:
    from speech.cloud import VoiceCloud
    from speech.interaction_model import default_model_path, load_interaction_model
    from voiceshop.endpoints import skill_endpoint

    skill, _ = skill_endpoint(None, tmp_path / "shop.db")
    cloud = VoiceCloud(nlu, skill, load_interaction_model(default_model_path()))
    rec = ScriptedRecognizer(["open voice shop", "ship it to", "work", "what's in my cart"])
    speaker = Speaker(cloud, rec, None, tmp_path)
    turns = [speaker.hear(silence()) for _ in range(4)]
    address = Expectation("SetDeliveryAddressIntent", "addressLabel")
    # before each turn, and again right after it (to be ready while the question is spoken)
    assert rec.asked == [None, None, None, address, address, None, None, None]
    assert "work" in turns[2].speech.lower()


class FailingAdapter:
    def observe(self, audio: Audio, heard: Any) -> bool:
        from speech.errors import EngineError

        raise EngineError("bw failed (1): out of disk")


def test_speaker_goes_on_when_voice_adaptation_fails(tmp_path: Path, nlu: Any) -> None:
    from speech.cloud import VoiceCloud
    from speech.interaction_model import default_model_path, load_interaction_model
    from voiceshop.endpoints import skill_endpoint

    skill, _ = skill_endpoint(None, tmp_path / "shop.db")
    cloud = VoiceCloud(nlu, skill, load_interaction_model(default_model_path()))
    speaker = Speaker(cloud, ScriptedRecognizer(["open voice shop", "what's in my cart"]), None, tmp_path,
                      adapter=FailingAdapter())
    first = speaker.hear(silence())
    assert first.error == "voice adaptation failed: bw failed (1): out of disk"
    assert "welcome" in first.speech.lower() and speaker.adapter is None
    second = speaker.hear(silence())
    assert second.error is None and "cart" in second.speech.lower()


class _Switching:
    """An engine that records the searches it is told to use (what Vosk and pocketsphinx are told)."""

    engine = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[str | None, dict[str, Any]]] = []

    def use_search(self, name: str | None, **made: Any) -> None:
        self.calls.append((name, made))

    def recognize(self, audio: Audio, on_partial: Any = None) -> Transcript:
        return Transcript(text="", confidence=0.0, engine=self.engine, seconds=0.0)

    def missing_words(self, words: Any) -> list[str]:
        return []

    def new_session(self) -> None:
        pass


def test_an_engine_that_does_not_listen_for_an_answer_keeps_its_whole_grammar(grammar: Grammar) -> None:
    """Vosk weighs no phrase above another, so it listens for closed answers only (a code): for an
    address it is told to keep its own list, and the answer search is not asked for again."""
    from speech.asr import SnappingRecognizer

    engine = _Switching()
    rec = SnappingRecognizer(engine, grammar)
    rec.searches = lambda answer: {"phrases": answer.phrases} if answer.closed else None
    address = Expectation("SetDeliveryAddressIntent", "addressLabel")
    rec.listen_for(address)
    rec.listen_for(address)
    assert engine.calls == [(None, {}), (None, {})]
    rec.listen_for(Expectation("ProvideVoiceCodeIntent", "voiceCode"))
    name, made = engine.calls[-1]
    assert name == "answer:ProvideVoiceCodeIntent:voiceCode" and "one two three four" in made["phrases"]
