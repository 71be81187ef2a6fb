from __future__ import annotations

import pytest

from speech.ssml import Pause, Text, to_segments, to_text


def test_ssml_break_becomes_a_pause() -> None:
    assert to_segments('<speak>Hello<break time="500ms"/>there</speak>') == [Text("Hello"), Pause(0.5), Text("there")]


@pytest.mark.parametrize(
    ("ssml", "said"),
    [
        ('<speak>Code <say-as interpret-as="digits">1234</say-as></speak>', "Code 1 2 3 4"),
        ('<speak><say-as interpret-as="characters">abc</say-as></speak>', "A B C"),
        ('<speak><say-as interpret-as="spell-out">hi</say-as></speak>', "H I"),
        ('<speak><say-as interpret-as="cardinal">1,200</say-as> items</speak>', "1200 items"),
        ('<speak>the <say-as interpret-as="ordinal">2</say-as> one</speak>', "the 2nd one"),
        ("<speak>Tom &amp; Jerry &lt;3</speak>", "Tom & Jerry <3"),
        ('<speak><sub alias="Voice Shop">VS</sub> here</speak>', "Voice Shop here"),
        ('<speak><amazon:effect name="whispered">psst</amazon:effect> <emphasis>now</emphasis></speak>', "psst now"),
        ("<speak><p>One</p><p>Two</p></speak>", "One. Two"),
        ("plain text, no tags", "plain text, no tags"),
        ('<speak><audio src="https://x/y.mp3"/>Welcome</speak>', "Welcome"),
    ],
)
def test_ssml_to_text(ssml: str, said: str) -> None:
    assert to_text(ssml) == said


def test_ssml_break_strength_and_cap() -> None:
    segs = to_segments('<speak>a<break strength="strong"/>b<break time="30s"/>c</speak>')
    assert segs[1] == Pause(0.75) and segs[3] == Pause(10.0)


def test_ssml_leading_and_trailing_breaks_are_dropped() -> None:
    assert to_segments('<speak><break time="1s"/>hi<break time="1s"/></speak>') == [Text("hi")]
