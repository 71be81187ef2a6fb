"""A dialog script's side of a conversation: the steps of a test, played through the voice cloud.

Spoken lines go through `VoiceCloud.hear` (invocation, NLU, dialog model, session), so a script tests
what a user would get. `LaunchRequest` is "open <invocation name>"; a line naming an intent sends that
intent with the given slots in the current session (a new one if none is open), bypassing the NLU;
`exit`/`SessionEndedRequest` ends the session.
"""

from __future__ import annotations

from speech.certify.assertions import Exchange
from speech.cloud import Turn, VoiceCloud

__all__ = ["ScriptedConversation"]


def _exchange(turn: Turn) -> Exchange:
    return Exchange(
        request=turn.request or {},
        response=turn.response,
        speech=turn.speech,
        reprompt=turn.reprompt,
        session_open=turn.session_open,
        card=turn.card,
        heard=turn.heard,
        extra={"error": turn.error} if turn.error else {},
    )


class ScriptedConversation:
    """Drives one `VoiceCloud` step by step and returns what each step exchanged."""

    def __init__(self, cloud: VoiceCloud) -> None:
        self.cloud = cloud

    def launch(self) -> Exchange:
        return _exchange(self.cloud.hear(self.cloud.model.invocation_name))  # the name alone opens it, in any language

    def say(self, text: str) -> Exchange:
        return _exchange(self.cloud.hear(text))

    def end(self) -> Exchange:
        return _exchange(self.cloud.end_session("USER_INITIATED"))

    def send_intent(self, name: str, slots: dict[str, str]) -> Exchange:
        """The intent sent as if the NLU had resolved it, slots read against their types."""
        return _exchange(self.cloud.send_intent(name, slots))
