"""Handlers for the built-in intents: launch, help, stop, cancel, fallback, repeat, navigation, yes/no.

The last handler, `FallbackIntentHandler`, takes AMAZON.FallbackIntent and any other IntentRequest no
handler before it took, so an intent this skill does not know is answered helpfully, never with an error.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.handlers.base import clear_pending, prompts, question_open, services, session, speak, user_id
from skill.handlers.phrasing import count_items
from skill.handlers.steps.results import forget_results


def _welcome(handler_input: HandlerInput) -> Response:
    p = prompts(handler_input)
    units = services(handler_input).cart.count_units(user_id(handler_input))
    speech = p.say("welcome_cart", count=count_items(p, units)) if units else p.say("welcome")
    return speak(handler_input, speech, p.say("welcome_reprompt"))


class LaunchRequestHandler(AbstractRequestHandler):
    """ "open voice shop": welcome, mentioning a cart left from last time."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return _welcome(handler_input)


class HelpIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        return speak(handler_input, p.say("help"), p.say("help_reprompt"))


class StopIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StopIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return speak(handler_input, prompts(handler_input).say("goodbye"), end_session=True)


class CancelIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.CancelIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        """'Never mind' drops the question just asked and stays; with nothing asked, it says goodbye."""
        p = prompts(handler_input)
        asked = question_open(handler_input)
        clear_pending(handler_input)
        if asked or session(handler_input).pop("results", None):
            return speak(handler_input, p.say("never_mind"), p.say("welcome_reprompt"))
        return speak(handler_input, p.say("goodbye"), end_session=True)


class RepeatIntentHandler(AbstractRequestHandler):
    """Says `last_speech` again (kept by skill.app.RepeatInterceptor), with its reprompt."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        attrs = session(handler_input)
        last = attrs.get("last_speech")
        if not last:
            p = prompts(handler_input)
            return speak(handler_input, p.say("repeat_nothing"), p.say("welcome_reprompt"))
        reprompt = attrs.get("last_reprompt")
        if reprompt:
            return speak(handler_input, last, reprompt)
        return speak(handler_input, last, prompts(handler_input).say("welcome_reprompt"))


class StartOverIntentHandler(AbstractRequestHandler):
    """Forget the search and any question asked; welcome back."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return _start_over(handler_input)


class NavigateHomeIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NavigateHomeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return _start_over(handler_input)


def _start_over(handler_input: HandlerInput) -> Response:
    clear_pending(handler_input)
    forget_results(session(handler_input))
    p = prompts(handler_input)
    return speak(handler_input, p.say("welcome_again"), p.say("welcome_reprompt"))


class YesIntentHandler(AbstractRequestHandler):
    """Yes when no question of ours is pending (the domains' Yes handlers come earlier)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        clear_pending(handler_input)
        p = prompts(handler_input)
        return speak(handler_input, p.say("yes_nothing"), p.say("welcome_reprompt"))


class NoIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        clear_pending(handler_input)
        p = prompts(handler_input)
        return speak(handler_input, p.say("no_nothing"), p.say("welcome_reprompt"))


class SessionEndedRequestHandler(AbstractRequestHandler):
    """The session closed (user silent, said stop, or an error): nothing may be spoken."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class FallbackIntentHandler(AbstractRequestHandler):
    """AMAZON.FallbackIntent, and the catch-all for any intent nobody else handled: a helpful reprompt."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        return speak(handler_input, p.say("fallback"), p.say("fallback_reprompt"))


HANDLERS: list[AbstractRequestHandler] = [
    LaunchRequestHandler(),
    HelpIntentHandler(),
    StopIntentHandler(),
    CancelIntentHandler(),
    RepeatIntentHandler(),
    StartOverIntentHandler(),
    NavigateHomeIntentHandler(),
    YesIntentHandler(),
    NoIntentHandler(),
    SessionEndedRequestHandler(),
    FallbackIntentHandler(),  # last: takes any IntentRequest left over
]
