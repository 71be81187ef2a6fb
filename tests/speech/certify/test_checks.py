"""Each certification check fires on a model or a skill built to break it, and passes on Voice Shop."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from speech.certify.checks import (
    certification_checks,
    coverage_check,
    extra_model_checks,
    functional_checks,
    utterance_conflicts_check,
)
from speech.interaction_model import InteractionModel, parse_interaction_model
from speech.validate import CheckResult

from .conftest import MODEL_PATH, NOW


def _model_json() -> dict[str, Any]:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def _by_title(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.title: r for r in results}


def _response(speech: str, *, end: bool | None, reprompt: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{speech}</speak>"}}
    if reprompt is not None:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{reprompt}</speak>"}}
    if end is not None:
        response["shouldEndSession"] = end
    return {"version": "1.0", "response": response, "sessionAttributes": {}}


def _good_skill(request: dict[str, Any]) -> dict[str, Any]:
    """A minimal skill that does everything right: the baseline the broken ones differ from."""
    req = request["request"]
    name = (req.get("intent") or {}).get("name", req["type"])
    if name in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
        return _response("Goodbye.", end=True)
    return _response(f"You asked for {name}. What next?", end=False, reprompt="What next?")


def _skill(**broken: Any) -> Callable[[], Callable[[dict[str, Any]], dict[str, Any]]]:
    """A skill broken in the ways named: `{intent name: response dict or Exception}`."""

    def endpoint(request: dict[str, Any]) -> dict[str, Any]:
        req = request["request"]
        name = (req.get("intent") or {}).get("name", req["type"])
        if name in broken:
            outcome = broken[name]
            if isinstance(outcome, Exception):
                raise outcome
            return outcome  # type: ignore[no-any-return]
        return _good_skill(request)

    return lambda: endpoint


def _checks(model: InteractionModel, **broken: Any) -> dict[str, CheckResult]:
    keys = {k.replace("__", "."): v for k, v in broken.items()}
    return _by_title(functional_checks(_skill(**keys), model, now=NOW))


def test_functional_checks_pass_on_a_well_behaved_skill(model: InteractionModel) -> None:
    results = _checks(model)
    assert all(r.status == "PASSED" for r in results.values()), [r for r in results.values() if not r.ok]
    assert len(results) == 7


def test_functional_checks_pass_on_voice_shop(model: InteractionModel, new_skill: Callable[[], Any]) -> None:
    results = functional_checks(new_skill, model, now=NOW,
                                error_phrases=["something went wrong", "sorry, something went wrong on my side"])
    assert [r.title for r in results if r.status != "PASSED"] == []


def test_launch_check_fires_when_the_welcome_ends_the_session(model: InteractionModel) -> None:
    results = _checks(model, LaunchRequest=_response("Hello.", end=True))
    assert results["Launch request"].status == "FAILED"
    assert "keep the session open" in results["Launch request"].details[0]


def test_one_shot_check_fires_on_an_error_answer(model: InteractionModel) -> None:
    results = _checks(model, DealsIntent=_response("Sorry, something went wrong.", end=False, reprompt="?"))
    check = results["One-shot requests"]
    assert check.status == "FAILED" and check.severity == "REQUIRED"
    assert "one-shot DealsIntent: the skill answered with error speech" in check.details[0]
    assert results["Every sample utterance is answered"].status == "FAILED"


def test_help_check_fires_when_help_ends_the_session(model: InteractionModel) -> None:
    results = _checks(model, AMAZON__HelpIntent=_response("Here is help.", end=True))
    assert results["Help keeps the session open"].status == "FAILED"
    no_reprompt = _checks(model, AMAZON__HelpIntent=_response("Here is help.", end=False))
    assert no_reprompt["Help keeps the session open"].status == "FAILED"


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_cancel_check_fires_when_the_session_stays_open(model: InteractionModel, intent: str) -> None:
    results = _checks(model, **{intent.replace(".", "__"): _response("Okay.", end=False, reprompt="More?")})
    check = results["Stop and Cancel end the session"]
    assert check.status == "FAILED" and check.details[0].startswith(intent)


def test_fallback_check_fires_on_a_crash(model: InteractionModel) -> None:
    results = _checks(model, AMAZON__FallbackIntent=RuntimeError("no handler"))
    check = results["Fallback is handled"]
    assert check.status == "FAILED" and "RuntimeError: no handler" in check.details[0]


def test_every_sample_check_fires_on_invalid_response_json(model: InteractionModel) -> None:
    invalid = {"version": "1.0", "response": {"outputSpeech": {"type": "Whisper", "text": "hi"}}}
    results = _checks(model, ReorderIntent=invalid)
    check = results["Every sample utterance is answered"]
    assert check.status == "FAILED"
    assert all(d.startswith("ReorderIntent") for d in check.details) and "neither SSML nor PlainText" in check.details[0]


def test_every_sample_check_fires_on_empty_speech(model: InteractionModel) -> None:
    results = _checks(model, ViewCartIntent={"version": "1.0", "response": {"shouldEndSession": False}})
    assert "no speech" in results["Every sample utterance is answered"].details[0]


def test_question_check_fires_when_a_question_ends_the_session(model: InteractionModel) -> None:
    results = _checks(model, DealsIntent=_response("Do you want the deals?", end=True))
    check = results["Questions keep the session open"]
    assert check.status == "FAILED" and "ends the session" in check.details[0]
    no_reprompt = _checks(model, DealsIntent=_response("Do you want the deals?", end=False))
    assert "gives no reprompt" in no_reprompt["Questions keep the session open"].details[0]


def test_utterance_conflicts_fire_after_slot_filling() -> None:
    data = _model_json()
    intents = data["interactionModel"]["languageModel"]["intents"]
    search = next(i for i in intents if i["name"] == "SearchProductIntent")
    add = next(i for i in intents if i["name"] == "AddToCartIntent")
    search["samples"].append("grab {product}")
    add["samples"].append("grab {product}")          # same words, same slot type: the same sentence
    add["samples"].append("fetch milk")
    search["samples"].append("fetch {product}")      # 'milk' is PRODUCT's first value
    check = utterance_conflicts_check(parse_interaction_model(data))
    assert check.status == "WARNING" and check.severity == "RECOMMENDED"
    assert any(d.startswith("'fetch milk' is claimed by AddToCartIntent, SearchProductIntent") for d in check.details)
    assert len(check.details) == 2
    assert utterance_conflicts_check(parse_interaction_model(_model_json())).status == "PASSED"


def test_coverage_check_lists_intents_without_test_sentences(model: InteractionModel) -> None:
    custom = {i.name for i in model.intents if not i.name.startswith("AMAZON.")}
    assert coverage_check(model, custom).status == "PASSED"
    check = coverage_check(model, custom - {"DealsIntent", "ReorderIntent"})
    assert check.status == "WARNING"
    assert check.details == ["ReorderIntent has no test sentences in the files given",
                             "DealsIntent has no test sentences in the files given"]


def test_certification_checks_include_the_build_rules(new_skill: Callable[[], Any]) -> None:
    broken = copy.deepcopy(_model_json())
    broken["interactionModel"]["languageModel"]["invocationName"] = "Voice Shop"  # upper case: a build error
    results = certification_checks(broken, new_skill, tested_intents=set(), now=NOW)
    titles = _by_title(results)
    assert titles["Invocation name"].status == "FAILED"
    assert {"Utterance conflicts", "Test coverage of custom intents", "Launch request"} <= set(titles)


def test_extra_model_checks_is_the_hook_for_validate() -> None:
    results = extra_model_checks(_model_json())
    assert [r.title for r in results] == ["Utterance conflicts"]
    assert extra_model_checks({"nonsense": True}) == []
