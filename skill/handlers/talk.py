"""Handlers for small talk: thanks, and a forgotten voice code (explained, never worked around)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.base import ask_again, prompts, question_open, session, speak


class ThanksHandler(AbstractRequestHandler):
    """'Thanks': a short 'you're welcome'; a question still waiting is asked again, not dropped."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ThanksIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        question = session(handler_input).get("last_reprompt") if question_open(handler_input) else None
        if question:
            ask_again(handler_input)
            return speak(handler_input, f"{p.say('thanks_then_question')} {question}", question)
        return speak(handler_input, p.say("thanks"), p.say("welcome_reprompt"))


class ForgotVoiceCodeHandler(AbstractRequestHandler):
    """'I forgot my code': how it is reset (in the Alexa app); it unlocks and buys nothing. A checkout
    waiting for the code keeps waiting, so a shopper who remembers it can still say it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ForgotVoiceCodeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        ask_again(handler_input)
        return speak(handler_input, p.say("forgot_code"), p.say("forgot_code_reprompt"))


HANDLERS: list[AbstractRequestHandler] = [ThanksHandler(), ForgotVoiceCodeHandler()]
