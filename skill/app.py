"""Assembling the skill: handlers in order, interceptors, exception handlers, the store.

    skill = create_skill(SkillConfig(db_path=...))       # an ask-sdk CustomSkill
    invoke = create_invoker(SkillConfig(db_path=...))    # dict (Alexa request JSON) -> dict (response JSON)

Nothing happens at import time; the database is opened lazily, one connection per thread.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any, cast

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, Response

from skill.clock import Clock, SystemClock
from skill.config import SkillConfig, config_for
from skill.errors import SkillError
from skill.handlers import request_handlers
from skill.intake import BadAlexaRequest
from skill.prompts import prompts_for, supported_locales, xml_safe
from skill.services import Services
from skill.store.db import Store, is_busy, locale_path

log = logging.getLogger("voiceshop.skill")


class ServicesInterceptor(AbstractRequestInterceptor):
    """Gives the request its `Services` and looks the user up (None when not linked).

    The request's locale picks the shop: en-US is `store`; another supported locale (one with prompts)
    has a store of its own beside it (`locale_path`) and its own settings (`config_for`)."""

    def __init__(self, store: Store, clock: Clock, config: SkillConfig, gateway: Any) -> None:
        self.store = store
        self.clock = clock
        self.config = config
        self.gateway = gateway
        self._shops: dict[str, tuple[Store, SkillConfig]] = {"en-US": (store, config)}
        self._lock = threading.Lock()

    def shop(self, locale: str | None) -> tuple[Store, SkillConfig]:
        """The store and settings of the request's locale (en-US's for an unsupported one)."""
        locale = locale or self.config.locale
        if locale not in supported_locales():
            locale = "en-US"
        with self._lock:
            if locale not in self._shops:
                self._shops[locale] = (
                    Store(locale_path(self.store.target, locale), locale), config_for(self.config, locale)
                )
            return self._shops[locale]

    def process(self, handler_input: HandlerInput) -> None:
        store, config = self.shop(getattr(handler_input.request_envelope.request, "locale", None))
        svc = Services(store.db(), self.clock, config, self.gateway)
        attrs = handler_input.attributes_manager.request_attributes
        attrs["services"] = svc
        envelope: Any = handler_input.request_envelope  # ask-sdk-model types every field as optional
        system_user = envelope.context.system.user
        attrs["user"] = svc.accounts.ensure_user(str(system_user.user_id), system_user.access_token)


class LoggingRequestInterceptor(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        request: Any = handler_input.request_envelope.request
        intent = getattr(getattr(request, "intent", None), "name", None)
        log.info("request %s %s", getattr(request, "object_type", None), intent or "")


# Intents after which the question asked before still stands: the user asked to hear it again, or
# said something the skill did not understand.
_KEEPS_PENDING = frozenset({"AMAZON.RepeatIntent", "AMAZON.FallbackIntent"})


class PendingQuestionInterceptor(AbstractRequestInterceptor):
    """Remembers which pending-question object the turn started with (see `StalePendingInterceptor`)."""

    def process(self, handler_input: HandlerInput) -> None:
        session = handler_input.attributes_manager.session_attributes or {}
        handler_input.attributes_manager.request_attributes["pending_at_start"] = session.get("pending")


class StalePendingInterceptor(AbstractResponseInterceptor):
    """Drops a pending question that this turn neither answered nor asked again.

    A "yes" must answer the last question asked: after "would you like to add it?" and then "what's in
    my cart", a "yes" must not add the product. Handlers that ask (again) call `set_pending`, which
    stores a new object, so an untouched question is the very object the turn started with.
    """

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        attributes = handler_input.attributes_manager
        session = attributes.session_attributes
        start = attributes.request_attributes.get("pending_at_start")
        if session is None:
            return
        intent = getattr(getattr(handler_input.request_envelope.request, "intent", None), "name", None)
        if start is not None and session.get("pending") is start and intent not in _KEEPS_PENDING:
            session.pop("pending", None)
        if not session.get("pending"):
            # the rest of a several-item request waits on a question about one of them: none is open
            session.pop("queue", None)


class CheckoutQuestionInterceptor(AbstractResponseInterceptor):
    """The server-side twin of `StalePendingInterceptor`: a turn that neither wrote the checkout record
    nor asked its question again leaves no checkout question open in the store, whatever the session
    attributes say afterwards (a client that drops and later restores `pending` gains nothing)."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        attrs = handler_input.attributes_manager.request_attributes
        if attrs.get("checkout_saved") or attrs.get("asked_again"):
            return
        intent = getattr(getattr(handler_input.request_envelope.request, "intent", None), "name", None)
        svc = attrs.get("services")
        if intent in _KEEPS_PENDING or not isinstance(svc, Services):
            return
        envelope: Any = handler_input.request_envelope
        session = envelope.session
        if session is None or session.session_id is None:
            return
        svc.checkout.forget_question(str(envelope.context.system.user.user_id), str(session.session_id))


class SpeechSanitizer(AbstractResponseInterceptor):
    """The last word on what is spoken: characters XML forbids (from a slot, an attribute or the
    catalog, however they got into a sentence) are removed from the SSML and the card, so the
    response always parses."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if response is None:
            return
        speeches = [response.output_speech, response.reprompt.output_speech if response.reprompt else None]
        for speech in speeches:
            ssml = getattr(speech, "ssml", None)
            if isinstance(ssml, str):
                setattr(speech, "ssml", xml_safe(ssml))  # noqa: B010  (OutputSpeech is typed without ssml)
        card = response.card
        for field in ("title", "content", "text"):
            value = getattr(card, field, None) if card is not None else None
            if isinstance(value, str):
                setattr(card, field, xml_safe(value))


class RepeatInterceptor(AbstractResponseInterceptor):
    """Remembers what was said, so AMAZON.RepeatIntent can say it again."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        session = handler_input.attributes_manager.session_attributes
        if response is None or response.output_speech is None or session is None:
            return
        session["last_speech"] = getattr(response.output_speech, "ssml", None)
        reprompt = response.reprompt.output_speech if response.reprompt else None
        session["last_reprompt"] = getattr(reprompt, "ssml", None)


class SkillErrorHandler(AbstractExceptionHandler):
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


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Anything unexpected: logged with its traceback, apologised for, never a crash."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        prompts = prompts_for(getattr(handler_input.request_envelope.request, "locale", None))
        if is_busy(exception) and prompts.has("error_store_busy"):
            # Other writers held the database past the busy timeout: nothing was done; say so.
            log.warning("database busy: %s", exception)
            key = "error_store_busy"
        else:
            log.error("unhandled error in skill", exc_info=True)
            key = "error_generic"
        return (
            handler_input.response_builder.speak(prompts.say(key))
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
    store = store or Store(config.database)
    clock = clock or SystemClock()
    builder = CustomSkillBuilder()
    if config.skill_id:
        builder.skill_id = config.skill_id  # type: ignore[assignment]  # typed None in ask-sdk
    for handler in request_handlers():
        builder.add_request_handler(handler)
    builder.add_global_request_interceptor(LoggingRequestInterceptor())
    builder.add_global_request_interceptor(ServicesInterceptor(store, clock, config, gateway))
    builder.add_global_request_interceptor(PendingQuestionInterceptor())
    builder.add_global_response_interceptor(StalePendingInterceptor())
    builder.add_global_response_interceptor(CheckoutQuestionInterceptor())
    builder.add_global_response_interceptor(SpeechSanitizer())
    builder.add_global_response_interceptor(RepeatInterceptor())
    builder.add_exception_handler(SkillErrorHandler())
    builder.add_exception_handler(CatchAllExceptionHandler())
    return builder.create()


class EnvelopeSerializer(DefaultSerializer):
    """ask-sdk's serializer, minus its two largest costs in a shopping turn (bench/skill_http.py measures them).

    The stock serializer imports the module of every model field's class on every request, and parses
    every timestamp with dateutil's generic parser. Here the class lookup is cached and ISO 8601 is read
    with `datetime.fromisoformat` (dateutil stays the fallback); a request dict is deserialized directly,
    without a json.dumps/json.loads round trip. The hooks are name-mangled privates of ask-sdk-core 1.x
    (pinned in pyproject.toml); tests/skill/test_app.py checks the result equals the stock serializer's.
    """

    def __init__(self) -> None:
        super().__init__()
        load = getattr(self, "_DefaultSerializer__load_class_from_name", None)
        if load is not None:
            self._DefaultSerializer__load_class_from_name = lru_cache(maxsize=None)(load)

    def _DefaultSerializer__deserialize_datetime(self, payload: str, obj_type: Any) -> Any:  # noqa: N802
        try:
            parsed = datetime.fromisoformat(payload)
        except (TypeError, ValueError):
            from dateutil.parser import parse

            parsed = parse(payload)
        return parsed.date() if obj_type is date else parsed

    def deserialize_request(self, payload: dict[str, Any]) -> RequestEnvelope:
        """A request dict to a `RequestEnvelope`."""
        deserialize = getattr(self, "_DefaultSerializer__deserialize", None)
        if deserialize is None:  # a future ask-sdk without the private hook
            return self.deserialize(json.dumps(payload), RequestEnvelope)
        envelope: RequestEnvelope = deserialize(payload, RequestEnvelope)
        return envelope


_serializer = EnvelopeSerializer()


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

    from skill.intake import clean_envelope
    from skill.verifier import check_application_id

    def invoke(request: dict[str, Any]) -> dict[str, Any]:
        """Raises `skill.intake.BadAlexaRequest` (or `ApplicationIdError`) for what is not an Alexa
        request this skill may answer; any Alexa request gets a response."""
        request = clean_envelope(request)
        check_application_id(request, skill.skill_id)
        try:
            envelope = _serializer.deserialize_request(request)
        except (SerializationException, RecursionError) as exc:
            raise BadAlexaRequest(f"not a valid Alexa request: {str(exc)[:300]}") from exc
        response = skill.invoke(request_envelope=envelope, context=None)
        return cast(dict[str, Any], _serializer.serialize(response))

    return invoke
