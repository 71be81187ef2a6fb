"""The speech side's one vocabulary (`speech.vocabulary`): every layer that reads it agrees with the others."""

from __future__ import annotations

import json

import pytest

from speech.cloud import Invocation, normalize_heard, parse_invocation
from speech.dialog import yes_or_no
from speech.grammar import Grammar, build_grammar, normalise
from speech.interaction_model import load_interaction_model
from speech.nlu.compiler import CompiledNLU, compile_model
from speech.validate import validate_model
from speech.vocabulary import (
    ASK_VERBS,
    ESCAPE_INTENTS,
    KOREAN_LAUNCH_VERBS,
    KOREAN_ONE_SHOT_JOINS,
    LAUNCH_PHRASES,
    LAUNCH_VERBS,
    NO_REPLIES,
    QUIET_WORDS,
    RESERVED_LAUNCH_WORDS,
    YES_REPLIES,
    heard_text,
    phrasebook,
)
from tests.support.paths import REPO

ENGLISH = phrasebook("en-US")


@pytest.fixture(scope="module")
def nlu() -> CompiledNLU:
    return compile_model(REPO / "interaction_model.json")


@pytest.fixture(scope="module")
def grammar() -> Grammar:
    return build_grammar(load_interaction_model(REPO / "interaction_model.json"))


def test_every_phrase_the_recogniser_listens_for_is_understood_as_its_intent(nlu: CompiledNLU) -> None:
    misread = [
        (intent, phrase, nlu.resolve(phrase).intent)
        for intent, phrases in ENGLISH.heard.items()
        for phrase in phrases
        if nlu.resolve(phrase).intent != intent
    ]
    assert misread == []


def test_the_nlu_understands_the_heard_phrasings_and_more() -> None:
    for intent, heard in ENGLISH.heard.items():
        assert ENGLISH.builtin[intent][: len(heard)] == tuple(heard)
    assert len(ENGLISH.builtin["AMAZON.YesIntent"]) > len(ENGLISH.heard["AMAZON.YesIntent"])


def test_the_grammar_says_the_built_in_phrasings_and_the_invocations(grammar: Grammar) -> None:
    heard = [phrase for phrases in ENGLISH.heard.values() for phrase in phrases]
    assert [p for p in heard if not grammar.accepts(p)] == []
    assert all(grammar.accepts(form.format(inv="voice shop")) for form in ENGLISH.launch)
    assert all(grammar.accepts(form.format(inv="voice shop") + " add milk") for form in ENGLISH.one_shot)
    assert not grammar.accepts("pretty please with sprinkles")


def test_an_answer_grammar_lets_every_escape_through(grammar: Grammar) -> None:
    confirm = grammar.answer("AddToCartIntent", None)
    assert confirm is not None
    for intent in ESCAPE_INTENTS:
        assert all(p in confirm.phrases for p in ENGLISH.heard[intent])
    assert "yes" in confirm.phrases and "no thanks" in confirm.phrases


@pytest.mark.parametrize("reply", sorted(YES_REPLIES))
def test_a_reply_that_starts_with_a_yes_word_answers_yes(reply: str) -> None:
    assert yes_or_no(None, f"{reply}, and add eggs") == "yes"


@pytest.mark.parametrize("reply", sorted(NO_REPLIES))
def test_a_reply_that_starts_with_a_no_word_answers_no(reply: str) -> None:
    assert yes_or_no(None, f"{reply}. what about eggs") == "no"


def test_quiet_words_are_stop_or_cancel_to_the_nlu(nlu: CompiledNLU) -> None:
    english = [w for w in QUIET_WORDS if w.isascii()]
    assert {nlu.resolve(w).intent for w in english} == {"AMAZON.StopIntent", "AMAZON.CancelIntent"}


@pytest.mark.parametrize("verb", LAUNCH_VERBS)
def test_each_launch_verb_opens_the_skill(verb: str) -> None:
    assert parse_invocation(normalize_heard(f"{verb} voice shop"), "voice shop") == Invocation("launch")
    said = normalize_heard(f"{verb} voice shop and add milk")
    assert parse_invocation(said, "voice shop") == Invocation("oneshot", "add milk")


@pytest.mark.parametrize("verb", ASK_VERBS)
def test_each_ask_verb_opens_the_skill_with_a_request(verb: str) -> None:
    said = normalize_heard(f"{verb.title()} Voice Shop to put milk in my cart.")
    assert parse_invocation(said, "voice shop") == Invocation("oneshot", "put milk in my cart")


@pytest.mark.parametrize("ending", KOREAN_LAUNCH_VERBS)
def test_each_korean_launch_ending_opens_the_skill(ending: str) -> None:
    assert parse_invocation(normalize_heard(f"보이스 샵 {ending}"), "보이스 샵") == Invocation("launch")


@pytest.mark.parametrize("said", ["보이스 샵 좀 열어 주세요", "보이스 샵 열어 줘요", "보이스 샵 열어 줄래", "보이스샵 켜 줄래요", "보이스 샵 열어봐", "보이스 샵 좀 켜 주실래요", "보이스 샵 실행해 주라"])
def test_a_softened_or_polite_korean_launch_opens_the_skill(said: str) -> None:
    assert parse_invocation(normalize_heard(said), "보이스 샵") == Invocation("launch")


@pytest.mark.parametrize("said", ["보이스 샵 열어 줘 우유", "보이스 샵 우유 줘"])
def test_a_korean_launch_is_not_read_into_other_words(said: str) -> None:
    assert parse_invocation(normalize_heard(said), "보이스 샵") is None


@pytest.mark.parametrize("said", ["보이스샵 좀 열어", "보이스 샵 한번 켜 줘요", "보이스 샵을 얼른 실행해 주세요", "보이스샵 열어줘요"])
def test_a_korean_launch_with_a_softener_or_polite_ending_opens_the_skill(said: str) -> None:
    assert parse_invocation(normalize_heard(said), "보이스 샵") == Invocation("launch")


def test_a_korean_launch_verb_with_a_request_after_it_is_not_a_bare_launch() -> None:
    assert parse_invocation(normalize_heard("보이스 샵 좀 열어 우유 담아 줘"), "보이스 샵") is None


@pytest.mark.parametrize("join", KOREAN_ONE_SHOT_JOINS)
def test_each_korean_join_opens_the_skill_with_a_request(join: str) -> None:
    said = normalize_heard(f"보이스 샵{join} 계란 두 판 담아 줘")
    assert parse_invocation(said, "보이스 샵") == Invocation("oneshot", "계란 두 판 담아 줘")


def test_the_validator_refuses_every_launch_word_in_an_invocation_name() -> None:
    model = json.loads((REPO / "interaction_model.json").read_text())
    for word in sorted(RESERVED_LAUNCH_WORDS) + list(LAUNCH_PHRASES):
        model["interactionModel"]["languageModel"]["invocationName"] = f"fresh {word} market"
        rule = next(r for r in validate_model(model) if r.title == "Invocation name")
        assert any(f"'{word}'" in d for d in rule.details), word


def test_heard_text_is_how_every_layer_writes_what_was_heard() -> None:
    assert heard_text("What\u2019s in my CART?!") == "what's in my cart"
    assert heard_text("  add   two -- bottles\tof milk ") == "add two bottles of milk"
    assert normalise("Ben & Jerry's") == "ben and jerry's"
    assert normalize_heard("Alexa, 'quoted' words\u2026") == "quoted words"
