"""Assembling the skill: handlers in order, interceptors, exception handlers, the store.

    skill = create_skill(SkillConfig(db_path=...))       # an ask-sdk CustomSkill
    invoke = create_invoker(SkillConfig(db_path=...))    # dict (Alexa request JSON) -> dict (response JSON)

Nothing happens at import time; the database is opened lazily, one connection per thread.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, Response

from skill.clock import Clock, SystemClock
from skill.config import SkillConfig
from skill.errors import SkillError
from skill.handlers import request_handlers
from skill.prompts import prompts_for
from skill.services import Services
from skill.store.db import Store
from skill.store.persistence import SQLitePersistenceAdapter

log = logging.getLogger("voiceshop.skill")


class ServicesInterceptor(AbstractRequestInterceptor):  # type: ignore[misc]
    """Gives the request its `Services` and looks the user up (None when not linked)."""

    def __init__(self, store: Store, clock: Clock, config: SkillConfig, gateway: Any) -> None:
        self.store = store
        self.clock = clock
        self.config = config
        self.gateway = gateway

    def process(self, handler_input: HandlerInput) -> None:
        svc = Services(self.store.db(), self.clock, self.config, self.gateway)
        attrs = handler_input.attributes_manager.request_attributes
        attrs["services"] = svc
        system_user = handler_input.request_envelope.context.system.user
        attrs["user"] = svc.accounts.ensure_user(system_user.user_id, system_user.access_token)


class LoggingRequestInterceptor(AbstractRequestInterceptor):  # type: ignore[misc]
    def process(self, handler_input: HandlerInput) -> None:
        request = handler_input.request_envelope.request
        intent = getattr(getattr(request, "intent", None), "name", None)
        log.info("request %s %s", request.object_type, intent or "")


class RepeatInterceptor(AbstractResponseInterceptor):  # type: ignore[misc]
    """Remembers what was said, so AMAZON.RepeatIntent can say it again."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if response is None or response.output_speech is None:
            return
        session = handler_input.attributes_manager.session_attributes
        session["last_speech"] = getattr(response.output_speech, "ssml", None)
        reprompt = response.reprompt.output_speech if response.reprompt else None
        session["last_reprompt"] = getattr(reprompt, "ssml", None)


class SkillErrorHandler(AbstractExceptionHandler):  # type: ignore[misc]
    """A domain error the user can act on: spoken from the prompt named after its class, if there is one."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, SkillError)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.info("skill error: %s", exception)
        prompts = prompts_for(getattr(handler_input.request_envelope.request, "locale", None))
        key = "error_" + _snake(type(exception).__name__)
        speech = prompts.say(key) if prompts.has(key) else prompts.say("error_generic")
        return (
            handler_input.response_builder.speak(speech)
            .ask(prompts.say("welcome_reprompt"))
            .set_should_end_session(False)
            .response
        )


class CatchAllExceptionHandler(AbstractExceptionHandler):  # type: ignore[misc]
    """Anything unexpected: logged with its traceback, apologised for, never a crash."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("unhandled error in skill", exc_info=True)
        prompts = prompts_for(getattr(handler_input.request_envelope.request, "locale", None))
        return (
            handler_input.response_builder.speak(prompts.say("error_generic"))
            .ask(prompts.say("welcome_reprompt"))
            .set_should_end_session(False)
            .response
        )


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def create_skill(
    config: SkillConfig | None = None,
    *,
    clock: Clock | None = None,
    gateway: Any = None,
    store: Store | None = None,
) -> CustomSkill:
    """The Voice Shop skill, wired to its store. `gateway` replaces the sandbox payment gateway."""
    config = config or SkillConfig.from_env()
    store = store or Store(config.db_path)
    clock = clock or SystemClock()
    builder = CustomSkillBuilder(persistence_adapter=SQLitePersistenceAdapter(store.db))
    if config.skill_id:
        builder.skill_id = config.skill_id
    for handler in request_handlers():
        builder.add_request_handler(handler)
    builder.add_global_request_interceptor(LoggingRequestInterceptor())
    builder.add_global_request_interceptor(ServicesInterceptor(store, clock, config, gateway))
    builder.add_global_response_interceptor(RepeatInterceptor())
    builder.add_exception_handler(SkillErrorHandler())
    builder.add_exception_handler(CatchAllExceptionHandler())
    return builder.create()


_serializer = DefaultSerializer()


def create_invoker(
    config: SkillConfig | None = None,
    *,
    clock: Clock | None = None,
    gateway: Any = None,
    skill: CustomSkill | None = None,
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function from Alexa request JSON (a dict) to Alexa response JSON (a dict), in process.

    This is how `speech/` reaches this skill without HTTP: it only ever sees the JSON.
    """
    skill = skill or create_skill(config, clock=clock, gateway=gateway)

    def invoke(request: dict[str, Any]) -> dict[str, Any]:
        envelope = _serializer.deserialize(json.dumps(request), RequestEnvelope)
        response = skill.invoke(request_envelope=envelope, context=None)
        return _serializer.serialize(response)  # type: ignore[no-any-return]

    return invoke
