"""The build rules for ko-KR samples: Hangul syllables, spaces and Latin letters; numbers in words."""

from __future__ import annotations

import json
from typing import Any

import pytest

from speech.interaction_model import model_path_for
from speech.validate import validate_model


def _model(*samples: str) -> dict[str, Any]:
    model = json.loads(model_path_for("ko-KR").read_text(encoding="utf-8"))
    intents = model["interactionModel"]["languageModel"]["intents"]
    view = next(i for i in intents if i["name"] == "ViewCartIntent")
    view["samples"] = [*view["samples"], *samples]
    return model  # type: ignore[no-any-return]


def _character_problems(model: dict[str, Any]) -> list[str]:
    result = next(r for r in validate_model(model) if r.title == "Sample utterance characters")
    return result.details


def test_the_ko_kr_model_passes_every_required_rule() -> None:
    failed = [r for r in validate_model(_model()) if r.status == "FAILED"]
    assert failed == []


@pytest.mark.parametrize(
    ("sample", "says"),
    [
        ("장바구니 2개 보여 줘", "spell numbers out"),
        ("장바구니 ㅋㅋ 보여 줘", "bare jamo"),
        ("牛乳 장바구니 보여 줘", "Hanja"),
        ("장바구니 보여 줘?", "no punctuation"),
    ],
)
def test_ko_kr_sample_rules(sample: str, says: str) -> None:
    problems = _character_problems(_model(sample))
    assert len(problems) == 1 and says in problems[0] and sample in problems[0]


def test_ko_kr_sample_may_name_something_in_english() -> None:
    assert _character_problems(_model("USB 장바구니 보여 줘")) == []
