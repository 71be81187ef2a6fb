"""Invocation phrases, as a speaker hears them."""

from __future__ import annotations

import pytest

from speech.cloud import Invocation, normalize_heard, parse_invocation


@pytest.mark.parametrize(
    "said",
    [
        "open voice shop",
        "Launch Voice Shop.",
        "start voiceshop",
        "Alexa, open voice shop",
        "hey alexa open the voice shop",
        "ask voice shop",
        "voice shop",
        "open voice shop skill",
        "OPEN   VOICE-SHOP!",
        "talk to voice shop",
        "alexa go to the voice shop",
    ],
)
def test_invocation_launch_phrases(said: str) -> None:
    assert parse_invocation(normalize_heard(said), "voice shop") == Invocation("launch")


@pytest.mark.parametrize(
    ("said", "rest"),
    [
        ("ask voice shop to add milk", "add milk"),
        ("tell voice shop to add two bottles of milk", "add two bottles of milk"),
        ("ask voice shop for today's deals", "today's deals"),
        ("ask voice shop what's in my cart", "what's in my cart"),
        ("Alexa, ask Voice Shop to add milk.", "add milk"),
        ("alexa ask voiceshop to check out", "check out"),
        ("add milk using voice shop", "add milk"),
        ("search for coffee with voice shop", "search for coffee"),
        ("open voice shop and add milk", "add milk"),
        ("ask voice shop about my order", "my order"),
        ("talk to voice shop and find some pasta", "find some pasta"),
    ],
)
def test_invocation_one_shot_phrases(said: str, rest: str) -> None:
    assert parse_invocation(normalize_heard(said), "voice shop") == Invocation("oneshot", rest)


@pytest.mark.parametrize(
    "said",
    ["add milk", "what's in my cart", "open the fridge", "ask my wife", "voice", "shop for voice recorders"],
)
def test_invocation_not_named(said: str) -> None:
    assert parse_invocation(normalize_heard(said), "voice shop") is None


def test_invocation_normalize_keeps_apostrophes_and_drops_wake_word() -> None:
    assert normalize_heard("Alexa, what\u2019s in my cart?") == "what's in my cart"
    assert normalize_heard("'quoted' words") == "quoted words"
    assert normalize_heard("?!...") == ""
