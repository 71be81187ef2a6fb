"""Alexa request envelopes, built in the exact schema a skill endpoint receives from the Alexa cloud.

    who = Caller(user_id="amzn1.ask.account.X", application_id=APP, device_id=DEV)
    session = SessionInfo.start()
    launch_request(who, session, locale="en-US", now=datetime.now(UTC))
    intent_request(who, session, intent_json(model, "AddToCartIntent", filled), dialog_state="STARTED", ...)
    session_ended_request(who, session, "ERROR", error_type="INVALID_RESPONSE", error_message="...")

Every builder returns a plain dict (`version`, `session`, `context`, `request`) ready for an `Endpoint`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from speech.interaction_model import InteractionModel

__all__ = [
    "API_ENDPOINT",
    "Caller",
    "DialogState",
    "EndReason",
    "SessionInfo",
    "empty_slot",
    "intent_json",
    "intent_request",
    "launch_request",
    "new_request_id",
    "new_session_id",
    "session_ended_request",
    "timestamp",
]

API_ENDPOINT = "https://api.amazonalexa.com"

DialogState = Literal["STARTED", "IN_PROGRESS", "COMPLETED"]
EndReason = Literal["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"]
ErrorType = Literal[
    "INVALID_RESPONSE", "DEVICE_COMMUNICATION_ERROR", "INTERNAL_SERVICE_ERROR", "ENDPOINT_TIMEOUT"
]


def new_session_id() -> str:
    return f"amzn1.echo-api.session.{uuid.uuid4()}"


def new_request_id() -> str:
    return f"amzn1.echo-api.request.{uuid.uuid4()}"


def timestamp(now: datetime) -> str:
    """ISO 8601 in UTC with a 'Z', to the second, as Alexa stamps requests (skills reject stale ones)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Caller:
    """Who is talking to which skill from which device: the parts of an envelope that never change."""

    user_id: str
    """`session.user.userId` and `context.System.user.userId`."""
    application_id: str
    """The skill id, `amzn1.ask.skill.<uuid>`."""
    device_id: str
    """`context.System.device.deviceId`."""
    access_token: str | None = None
    """The account-linking token; left out of the envelope when None (an unlinked account)."""
    api_access_token: str = "voiceshop.local.api-access-token"
    """`context.System.apiAccessToken`: a placeholder, since no Alexa API is reachable offline."""

    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"userId": self.user_id}
        if self.access_token:
            user["accessToken"] = self.access_token
        return user


@dataclass
class SessionInfo:
    """The session part of an envelope; the cloud keeps one per open session."""

    session_id: str
    new: bool = True
    """True only on the first request of the session."""
    attributes: dict[str, Any] = field(default_factory=dict)
    """The `sessionAttributes` the skill returned last, sent back on the next request."""

    @classmethod
    def start(cls) -> SessionInfo:
        return cls(session_id=new_session_id())


def _envelope(who: Caller, session: SessionInfo, request: dict[str, Any]) -> dict[str, Any]:
    application = {"applicationId": who.application_id}
    return {
        "version": "1.0",
        "session": {
            "new": session.new,
            "sessionId": session.session_id,
            "application": dict(application),
            "attributes": dict(session.attributes),
            "user": who.user(),
        },
        "context": {
            "System": {
                "application": dict(application),
                "user": who.user(),
                "device": {"deviceId": who.device_id, "supportedInterfaces": {}},
                "apiEndpoint": API_ENDPOINT,
                "apiAccessToken": who.api_access_token,
            }
        },
        "request": request,
    }


def _request(kind: str, locale: str, now: datetime) -> dict[str, Any]:
    return {"type": kind, "requestId": new_request_id(), "timestamp": timestamp(now), "locale": locale}


def launch_request(who: Caller, session: SessionInfo, *, locale: str, now: datetime) -> dict[str, Any]:
    request = _request("LaunchRequest", locale, now)
    request["shouldLinkResultBeReturned"] = False
    return _envelope(who, session, request)


def empty_slot(name: str) -> dict[str, Any]:
    """A slot the model defines that the user did not fill: Alexa still sends it, with no value."""
    return {"name": name, "confirmationStatus": "NONE"}


def intent_json(
    model: InteractionModel | None,
    name: str,
    filled: dict[str, dict[str, Any]] | None = None,
    confirmation_status: str = "NONE",
) -> dict[str, Any]:
    """`request.intent`: every slot the model defines for `name`, the filled ones from `filled`.

    `filled` maps slot names to Alexa slot JSON (e.g. `SlotValue.to_alexa()`); a filled slot the model
    does not define is kept too, so a model out of step with the NLU loses nothing.
    """
    filled = filled or {}
    slots: dict[str, dict[str, Any]] = {}
    defined = model.intent(name) if model is not None else None
    for slot in defined.slots if defined is not None else ():
        slots[slot.name] = dict(filled.get(slot.name) or empty_slot(slot.name))
    for slot_name, slot_json in filled.items():
        slots.setdefault(slot_name, dict(slot_json))
    intent: dict[str, Any] = {"name": name, "confirmationStatus": confirmation_status}
    if slots:
        intent["slots"] = slots
    return intent


def intent_request(
    who: Caller,
    session: SessionInfo,
    intent: dict[str, Any],
    *,
    locale: str,
    now: datetime,
    dialog_state: DialogState | None = None,
) -> dict[str, Any]:
    """An IntentRequest; `dialog_state` is set for intents that have a dialog model, as Alexa does."""
    request = _request("IntentRequest", locale, now)
    if dialog_state is not None:
        request["dialogState"] = dialog_state
    request["intent"] = intent
    return _envelope(who, session, request)


def session_ended_request(
    who: Caller,
    session: SessionInfo,
    reason: EndReason,
    *,
    locale: str,
    now: datetime,
    error_type: ErrorType | None = None,
    error_message: str = "",
) -> dict[str, Any]:
    """A SessionEndedRequest; `error` is present only for reason ERROR."""
    request = _request("SessionEndedRequest", locale, now)
    request["reason"] = reason
    if reason == "ERROR":
        request["error"] = {"type": error_type or "INTERNAL_SERVICE_ERROR", "message": error_message}
    return _envelope(who, session, request)
