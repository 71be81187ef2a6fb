"""The dialog model executed: auto delegation, Dialog.Delegate, ElicitSlot, ConfirmSlot, ConfirmIntent."""

from __future__ import annotations

import random
from typing import Any

PROMPT_VARIANTS = {"Morning or evening delivery ?", "Which window : morning or evening?"}


def _intent(request: dict[str, Any]) -> dict[str, Any]:
    return request["request"].get("intent", {})


def test_dialog_auto_delegation_elicits_then_sends_completed(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Delivery booked.", "Anything else?"))
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    ask = cloud.hear("deliver it")
    assert ask.request is None, "the model asks by itself: the skill hears nothing yet"
    assert ask.speech in PROMPT_VARIANTS
    assert ask.session_open and ask.reprompt == ask.speech
    done = cloud.hear("evening")
    assert done.speech == "Delivery booked."
    assert skill.types() == ["LaunchRequest", "IntentRequest"]
    request = skill.last()
    assert request["dialogState"] == "COMPLETED"
    slot = request["intent"]["slots"]["timeSlot"]
    assert slot["value"] == "evening"
    assert slot["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] == "EVENING"
    assert request["intent"]["slots"]["date"] == {"name": "date", "confirmationStatus": "NONE"}


def test_dialog_prompt_fills_slot_references(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Booked.", "More?"))
    cloud = make_cloud(skill, rng=random.Random(1))
    cloud.hear("open voice shop")
    spoken = {cloud.hear("deliver it tomorrow").speech}
    for seed in range(2, 12):
        other = make_cloud(skill, rng=random.Random(seed))
        other.hear("open voice shop")
        spoken.add(other.hear("deliver it tomorrow").speech)
    assert spoken == {
        "Morning or evening delivery 2026-11-28?",
        "Which window 2026-11-28: morning or evening?",
    }


def test_dialog_auto_delegation_with_all_slots_goes_straight_to_skill(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Booked.", "More?"))
    cloud = make_cloud(skill)
    turn = cloud.hear("ask voice shop to deliver it tomorrow morning")
    assert turn.speech == "Booked."
    assert skill.types() == ["IntentRequest"]
    assert skill.last()["dialogState"] == "COMPLETED"
    assert skill.requests[0]["session"]["new"] is True


def test_dialog_one_shot_elicitation_keeps_session_new(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Booked.", end=True))
    cloud = make_cloud(skill)
    ask = cloud.hear("ask voice shop to deliver it")
    assert ask.request is None and ask.session_open
    done = cloud.hear("morning")
    assert skill.requests[0]["session"]["new"] is True
    assert done.speech == "Booked." and not done.session_open


def test_dialog_unusable_answer_asks_again(make_cloud, Skill, say) -> None:
    def script(request: dict[str, Any]) -> dict[str, Any]:
        if request["request"]["type"] == "LaunchRequest":
            return say("Hi.", "Well?")
        if request["request"].get("dialogState") == "COMPLETED":
            return say("Code accepted.", "More?")
        return say("", directives=[{"type": "Dialog.Delegate"}])

    skill = Skill(script)
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    ask = cloud.hear("my code")  # Fallback in the rule table: no voiceCode
    # A STARTED request went to the skill (SKILL_RESPONSE), which delegated: the model's prompt is spoken.
    assert skill.last()["dialogState"] == "STARTED"
    assert ask.speech == "Please say your voice code."
    again = cloud.hear("purple")
    assert again.speech == "Please say your voice code."
    assert len(skill.requests) == 2
    done = cloud.hear("one two three four")
    assert done.speech == "Code accepted."
    assert skill.last()["dialogState"] == "COMPLETED"
    assert skill.last()["intent"]["slots"]["voiceCode"]["value"] == "1234"


def test_dialog_delegate_honours_updated_intent(make_cloud, Skill, say) -> None:
    def script(request: dict[str, Any]) -> dict[str, Any]:
        state = request["request"].get("dialogState")
        if state == "STARTED":
            updated = {
                "name": "ScheduleDeliveryIntent",
                "confirmationStatus": "NONE",
                "slots": {
                    "date": {"name": "date", "value": "2026-11-30", "confirmationStatus": "NONE"},
                    "timeSlot": {"name": "timeSlot", "confirmationStatus": "NONE"},
                },
            }
            return say("", directives=[{"type": "Dialog.Delegate", "updatedIntent": updated}])
        return say("Booked.", "More?")

    # Make ScheduleDelivery skill-driven for this test by giving the cloud a model copy with that strategy.
    skill = Skill(script)
    cloud = make_cloud(skill)
    from dataclasses import replace

    cloud.model = replace(
        cloud.model,
        dialog_intents=tuple(
            replace(d, delegation_strategy="SKILL_RESPONSE") for d in cloud.model.dialog_intents
        ),
    )
    cloud.hear("open voice shop")
    ask = cloud.hear("deliver it")
    assert "2026-11-30" in ask.speech
    cloud.hear("in the morning")
    final = skill.last()
    assert final["dialogState"] == "COMPLETED"
    assert final["intent"]["slots"]["date"]["value"] == "2026-11-30"
    assert final["intent"]["slots"]["timeSlot"]["value"] == "in the morning"
    assert (
        final["intent"]["slots"]["timeSlot"]["resolutions"]["resolutionsPerAuthority"][0]["values"][0][
            "value"
        ]["name"]
        == "morning"
    )


def test_dialog_elicit_slot_speaks_skill_speech_and_fills_slot(make_cloud, Skill, say) -> None:
    def script(request: dict[str, Any]) -> dict[str, Any]:
        intent = _intent(request)
        if intent.get("name") == "AddToCartIntent" and "value" not in intent["slots"]["quantity"]:
            return say(
                "How many cartons of milk?",
                "How many?",
                directives=[
                    {"type": "Dialog.ElicitSlot", "slotToElicit": "quantity", "updatedIntent": intent}
                ],
            )
        if intent.get("name") == "AddToCartIntent":
            return say(f"Added {intent['slots']['quantity']['value']}.", "More?")
        return say("Hi.", "Well?")

    skill = Skill(script)
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    ask = cloud.hear("add milk")
    assert ask.speech == "How many cartons of milk?" and ask.reprompt == "How many?"
    assert cloud.timeout().speech == "How many?"
    done = cloud.hear("3")
    assert done.speech == "Added 3."
    request = skill.last()
    assert request["dialogState"] == "IN_PROGRESS"
    assert request["intent"]["slots"]["quantity"]["value"] == "3"
    assert request["intent"]["slots"]["product"]["value"] == "milk"


def test_dialog_skill_elicitation_is_expected_and_lets_yes_no_through(make_cloud, Skill, say) -> None:
    """The skill chains to another intent's slot (a voice code after a yes): the cloud says what it waits
    for (the speaker listens for it), and a "no" reaches the skill, which knows what it means there."""
    from speech.expectation import Expectation

    def script(request: dict[str, Any]) -> dict[str, Any]:
        name = _intent(request).get("name")
        if name == "AMAZON.YesIntent":
            chained = {"name": "ProvideVoiceCodeIntent", "confirmationStatus": "NONE",
                       "slots": {"voiceCode": {"name": "voiceCode", "confirmationStatus": "NONE"}}}
            return say("Your code?", "Code?", directives=[
                {"type": "Dialog.ElicitSlot", "slotToElicit": "voiceCode", "updatedIntent": chained}])
        return say(f"{name or 'launch'}.", "Well?")

    skill = Skill(script)
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    assert cloud.expecting is None
    cloud.hear("yes")
    assert cloud.expecting == Expectation("ProvideVoiceCodeIntent", "voiceCode")
    assert cloud.hear("no").speech == "AMAZON.NoIntent."
    assert cloud.expecting is None
    cloud.hear("yes")
    assert cloud.hear("my code is 4321").speech == "ProvideVoiceCodeIntent."
    assert skill.last()["intent"]["slots"]["voiceCode"]["value"] == "4321"


def test_dialog_model_elicitation_expects_its_slot(make_cloud, Skill, say) -> None:
    cloud = make_cloud(Skill(lambda r: say("Hi.", "Well?")))
    cloud.hear("open voice shop")
    cloud.hear("deliver it")
    from speech.expectation import Expectation

    assert cloud.expecting == Expectation("ScheduleDeliveryIntent", "timeSlot")
    cloud.hear("evening")
    assert cloud.expecting is None


def test_dialog_confirm_intent_yes_and_no(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say(f"Checkout {_intent(r).get('confirmationStatus')}.", "More?"))
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    ask = cloud.hear("check out")
    assert ask.speech == "Shall I place the order?" and ask.request is None
    assert cloud.hear("yes").speech == "Checkout CONFIRMED."
    assert skill.last()["dialogState"] == "COMPLETED"
    cloud.hear("check out")
    assert cloud.hear("no thanks").speech == "Checkout DENIED."
    assert skill.last()["intent"]["confirmationStatus"] == "DENIED"


def test_dialog_skill_confirm_intent_and_confirm_slot(make_cloud, Skill, say) -> None:
    def script(request: dict[str, Any]) -> dict[str, Any]:
        intent = _intent(request)
        if intent.get("name") != "AddToCartIntent":
            return say("Hi.", "Well?")
        product = intent["slots"]["product"]
        if product["confirmationStatus"] == "NONE":
            return say(
                "Milk, right?", directives=[{"type": "Dialog.ConfirmSlot", "slotToConfirm": "product"}]
            )
        if intent["confirmationStatus"] == "NONE":
            return say(
                "Add it to your cart?", directives=[{"type": "Dialog.ConfirmIntent", "updatedIntent": intent}]
            )
        return say(f"{product['confirmationStatus']} {intent['confirmationStatus']}", "More?")

    skill = Skill(script)
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    assert cloud.hear("add milk").speech == "Milk, right?"
    assert cloud.hear("hmm").speech == "Milk, right?"  # neither yes nor no: asked again
    assert cloud.hear("yeah").speech == "Add it to your cart?"
    assert cloud.hear("nope").speech == "CONFIRMED DENIED"
    assert [r["request"].get("dialogState") for r in skill.requests[2:]] == ["IN_PROGRESS", "IN_PROGRESS"]


def test_dialog_auto_slot_confirmation_denied_elicits_again(make_cloud, Skill, say) -> None:
    skill = Skill(
        lambda r: (
            say(f"Paying with {_intent(r)['slots']['paymentLabel']['value']}.", "More?")
            if _intent(r)
            else say("Hi.", "Well?")
        )
    )
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    assert cloud.hear("pay with my visa").speech == "Pay with your visa?"
    assert cloud.hear("no").speech == "Which card?"
    assert cloud.hear("mastercard").speech == "Pay with your mastercard?"
    assert cloud.hear("yes").speech == "Paying with mastercard."
    slot = skill.last()["intent"]["slots"]["paymentLabel"]
    assert slot["confirmationStatus"] == "CONFIRMED"
    assert skill.types() == ["LaunchRequest", "IntentRequest"]


def test_dialog_stop_during_elicitation_reaches_skill(make_cloud, Skill, say) -> None:
    skill = Skill(
        lambda r: (
            say("Goodbye.", end=True)
            if _intent(r).get("name") == "AMAZON.StopIntent"
            else say("Hi.", "Well?")
        )
    )
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    cloud.hear("deliver it")
    turn = cloud.hear("stop")
    assert turn.speech == "Goodbye." and not turn.session_open
    assert skill.last()["intent"]["name"] == "AMAZON.StopIntent"
    assert cloud.dialog is None


def test_dialog_other_intent_during_elicitation_switches(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say(f"{_intent(r).get('name', 'launch')}.", "Well?"))
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    cloud.hear("deliver it")
    assert cloud.hear("what's in my cart").speech == "ViewCartIntent."
    assert cloud.dialog is None


def test_dialog_silence_during_elicitation_reprompts_then_ends(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Hi.", "Well?"))
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    ask = cloud.hear("deliver it")
    assert cloud.timeout().speech == ask.speech
    end = cloud.timeout()
    assert end.request["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert not cloud.session_open


def test_dialog_delegate_on_completed_is_an_error(make_cloud, Skill, say) -> None:
    skill = Skill(
        lambda r: (
            say("", directives=[{"type": "Dialog.Delegate"}])
            if r["request"]["type"] == "IntentRequest"
            else say("Hi.", "Well?")
        )
    )
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    turn = cloud.hear("my code is 1234")
    assert turn.error and "Dialog.Delegate" in turn.error
    assert skill.last()["type"] == "SessionEndedRequest" and skill.last()["reason"] == "ERROR"


def test_dialog_unknown_directive_ignored(make_cloud, Skill, say) -> None:
    skill = Skill(
        lambda r: say(
            "Hi.",
            "Well?",
            directives=[
                {"type": "Dialog.UpdateDynamicEntities", "updateBehavior": "CLEAR"},
                {"type": "Alexa.Presentation.APL.RenderDocument"},
            ],
        )
    )
    cloud = make_cloud(skill)
    turn = cloud.hear("open voice shop")
    assert turn.speech == "Hi." and turn.session_open and cloud.dialog is None
    assert len(turn.directives) == 2
