"""What the cloud reads from a skill's response: speech, reprompt, card, directives, and whether the
session stays open.

    reply = SkillReply.parse(response_json)      # EndpointError when it is not an Alexa response
    reply.speech, reply.reprompt, reply.keeps_session_open()
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from speech.errors import EndpointError

__all__ = ["SkillReply", "ssml_to_text"]

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<break\b[^>]*/?>", re.IGNORECASE)
_AUDIO = re.compile(r"<audio\b[^>]*/?>(?:.*?</audio>)?", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")


def ssml_to_text(ssml: str) -> str:
    """The words an SSML string speaks: tags dropped (a <break> becomes a space), entities decoded."""
    text = _AUDIO.sub(" ", ssml)
    text = _BREAK.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    return _SPACE.sub(" ", text).strip()


def _speech_text(output_speech: Any, where: str) -> str:
    if output_speech is None:
        return ""
    if not isinstance(output_speech, dict):
        raise EndpointError(f"invalid skill response: {where} is not an object")
    kind = output_speech.get("type")
    if kind == "SSML":
        ssml = output_speech.get("ssml")
        if not isinstance(ssml, str):
            raise EndpointError(f"invalid skill response: {where}.ssml is missing")
        return ssml_to_text(ssml)
    if kind == "PlainText":
        text = output_speech.get("text")
        if not isinstance(text, str):
            raise EndpointError(f"invalid skill response: {where}.text is missing")
        return _SPACE.sub(" ", text).strip()
    raise EndpointError(f"invalid skill response: {where}.type {kind!r} is neither SSML nor PlainText")


@dataclass
class SkillReply:
    """One skill response, read."""

    speech: str
    """`response.outputSpeech` as plain text ('' when there is none)."""
    reprompt: str
    """`response.reprompt.outputSpeech` as plain text ('' when there is none)."""
    should_end_session: bool | None
    """`response.shouldEndSession`; None when the skill left it out."""
    session_attributes: dict[str, Any] = field(default_factory=dict)
    card: dict[str, Any] | None = None
    directives: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def parse(cls, body: Any) -> SkillReply:
        """Read a response envelope; anything that is not an Alexa response is an `EndpointError`."""
        if not isinstance(body, dict):
            raise EndpointError("invalid skill response: not a JSON object")
        response = body.get("response")
        if not isinstance(response, dict):
            raise EndpointError("invalid skill response: no 'response' object")
        attributes = body.get("sessionAttributes") or {}
        if not isinstance(attributes, dict):
            raise EndpointError("invalid skill response: 'sessionAttributes' is not an object")
        reprompt = response.get("reprompt")
        if reprompt is not None and not isinstance(reprompt, dict):
            raise EndpointError("invalid skill response: 'reprompt' is not an object")
        directives = response.get("directives") or []
        if not isinstance(directives, list) or not all(isinstance(d, dict) for d in directives):
            raise EndpointError("invalid skill response: 'directives' is not a list of objects")
        end = response.get("shouldEndSession")
        if end is not None and not isinstance(end, bool):
            raise EndpointError("invalid skill response: 'shouldEndSession' is not a boolean")
        card = response.get("card")
        return cls(
            speech=_speech_text(response.get("outputSpeech"), "outputSpeech"),
            reprompt=_speech_text((reprompt or {}).get("outputSpeech"), "reprompt.outputSpeech"),
            should_end_session=end,
            session_attributes=attributes,
            card=card if isinstance(card, dict) else None,
            directives=directives,
        )

    def dialog_directive(self) -> dict[str, Any] | None:
        """The first Dialog.* directive the cloud acts on (UpdateDynamicEntities is not one of them)."""
        for directive in self.directives:
            if directive.get("type") in (
                "Dialog.Delegate",
                "Dialog.ElicitSlot",
                "Dialog.ConfirmSlot",
                "Dialog.ConfirmIntent",
            ):
                return directive
        return None

    def keeps_session_open(self) -> bool:
        """Alexa's rule on a voice-only device.

        true ends the session; false keeps it open; left out, the session ends unless the skill gave a
        reprompt (ask-sdk always pairs a reprompt with false, so a reprompt means the skill is waiting).
        A Dialog directive always waits for the user's answer.
        """
        if self.dialog_directive() is not None:
            return True
        if self.should_end_session is True:
            return False
        if self.should_end_session is False:
            return True
        return bool(self.reprompt)
