"""Account linking: a user who is not linked hears how to link an account (and gets a LinkAccount card).

A certified skill that sells physical goods does nothing for an unlinked user except help, stop and
cancel; this handler is first in the list, so it answers every other launch or intent for them.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import LinkAccountCard

from skill.handlers.base import prompts, speak

_ALLOWED_UNLINKED = ("AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent")


class LinkAccountHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        if handler_input.attributes_manager.request_attributes.get("user") is not None:
            return False
        if is_request_type("LaunchRequest")(handler_input):
            return True
        if not is_request_type("IntentRequest")(handler_input):
            return False
        return not any(is_intent_name(name)(handler_input) for name in _ALLOWED_UNLINKED)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.response_builder.set_card(LinkAccountCard())
        return speak(handler_input, prompts(handler_input).say("account_link_needed"), end_session=True)


HANDLERS: list[AbstractRequestHandler] = [LinkAccountHandler()]
