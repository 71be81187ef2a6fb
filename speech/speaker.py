"""The offline voice loop: audio in -> ASR -> NLU -> voice cloud -> skill -> TTS out.

    speaker = Speaker(cloud, recognizer, Synthesizer(), out_dir=Path("out"))
    vt = speaker.hear_wav("turn.wav")      # VoiceTurn: transcript, the cloud's Turn, the answer's WAV
    vt.to_json()                           # the chat --json line plus "asr": {engine, text, seconds}

A transcript the grammar rejects never reaches the cloud: the speaker itself says "Sorry, I didn't
catch that." and the session stays as it was. A WAV that cannot be read is a `VoiceTurn` with
`error` set, never an exception, so a batch of files goes on to the next one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from speech.asr.base import ListensForAnswers, Recognizer, Transcript
from speech.audio import Audio, load_wav
from speech.cloud import SPEAKER_PHRASES
from speech.errors import AudioError, EngineError
from speech.tts import Synthesizer

__all__ = ["Speaker", "VoiceTurn", "NOT_CAUGHT"]

NOT_CAUGHT = "Sorry, I didn't catch that."
"""What the speaker says, by itself, when the recogniser heard nothing the skill could understand."""


@dataclass
class VoiceTurn:
    """One utterance through the whole loop."""

    source: str
    """Where the audio came from (a file name, 'mic', a demo line)."""
    transcript: Transcript | None = None
    turn: Any = None
    """The voice cloud's `Turn` (None when nothing reached the cloud)."""
    speech: str = ""
    """What the speaker said back (the skill's speech, or the speaker's own 'didn't catch that')."""
    audio_out: Path | None = None
    """The WAV of `speech`."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage: 'asr', 'nlu_skill', 'tts_out', and 'response_latency' (end of the user's audio
    to the response audio being ready: ASR finalisation + NLU + skill + TTS); 'listen': getting the
    recogniser ready for the answer to the question just asked (while it is spoken); 'adapt': training
    the voice transform, on the turns it happens."""
    error: str | None = None
    """Why this utterance failed (unreadable WAV, engine failure); None when it went through."""

    @property
    def session_open(self) -> bool:
        return bool(self.turn is not None and self.turn.session_open)

    def to_json(self) -> dict[str, Any]:
        """The `voiceshop speaker --json` line, exactly the contract's: chat's fields plus 'asr'."""
        t = self.transcript
        out: dict[str, Any] = {
            "heard": t.text if t else "",
            "request": self.turn.request if self.turn is not None else None,
            "response": self.turn.response if self.turn is not None else None,
            "speech": self.speech,
            "asr": {
                "engine": t.engine if t else "",
                "text": t.text if t else "",
                "seconds": round(t.seconds, 4) if t else 0.0,
            },
        }
        return out


def _response_ssml(turn: Any) -> str | None:
    """The skill's SSML when the speaker says exactly the skill's speech (not its own words)."""
    from speech.ssml import to_text

    response = (turn.response or {}).get("response") if turn is not None else None
    speech = ((response or {}).get("outputSpeech") or {}) if isinstance(response, dict) else {}
    ssml = speech.get("ssml") if speech.get("type") == "SSML" else None
    if not ssml:
        return None
    from rapidfuzz import fuzz

    return ssml if fuzz.ratio(" ".join(to_text(ssml).split()), " ".join(turn.speech.split())) >= 90 else None


class Speaker:
    """Holds the engines and the cloud for a session of utterances."""

    def __init__(
        self,
        cloud: Any,
        recognizer: Recognizer,
        synthesizer: Synthesizer | None,
        out_dir: Path,
        *,
        voice: str | None = None,
        adapter: Any = None,
    ) -> None:
        self.adapter = adapter
        """A `speech.asr.adapt.SessionAdapter`: the recogniser learns the voice from the session's turns."""
        self.cloud = cloud
        self.recognizer = recognizer
        self.synthesizer = synthesizer
        self.out_dir = Path(out_dir)
        self.voice = voice
        self.count = 0

    def hear_wav(self, path: Path | str) -> VoiceTurn:
        try:
            audio = load_wav(path)
        except AudioError as exc:
            return VoiceTurn(source=str(path), error=str(exc))
        return self.hear(audio, source=str(path))

    def hear(self, audio: Audio, source: str = "") -> VoiceTurn:
        self.count += 1
        vt = VoiceTurn(source=source or audio.source)
        listen = self.recognizer.listen_for if isinstance(self.recognizer, ListensForAnswers) else None
        try:
            if listen is not None:  # the dialog's question, if any: listen for its answer (as Alexa does)
                listen(getattr(self.cloud, "expecting", None))
            t = self.recognizer.recognize(audio)
        except EngineError as exc:
            vt.error = f"{vt.source}: {exc}"
            return vt
        vt.transcript = t
        vt.timings["asr"] = t.seconds
        start = time.perf_counter()
        if t.text:
            vt.turn = self.cloud.hear(t.text)
            vt.speech = vt.turn.speech
            if vt.turn.error:
                vt.error = vt.turn.error
        else:
            vt.speech = SPEAKER_PHRASES.get(self.cloud.locale, {}).get("not_caught", NOT_CAUGHT)
        vt.timings["nlu_skill"] = time.perf_counter() - start
        self._speak(vt)
        # the utterance is recognised once it has been cut (a file, or the microphone at end of speech):
        # all of recognition comes after the user stopped talking, not only its last chunk
        vt.timings["response_latency"] = t.seconds + vt.timings["nlu_skill"] + vt.timings.get("tts_out", 0.0)
        if self.adapter is not None and vt.turn is not None:
            start = time.perf_counter()  # after the answer is ready: while it is spoken
            try:
                if self.adapter.observe(audio, t):
                    vt.timings["adapt"] = time.perf_counter() - start
            except (EngineError, OSError) as exc:  # the session goes on, unadapted
                vt.error = vt.error or f"voice adaptation failed: {exc}"
                self.adapter = None
        if listen is not None:
            # Get ready for the answer while the question is being spoken (a new question's search
            # takes up to a second and a half to build, once): not part of the response latency.
            start = time.perf_counter()
            try:
                listen(getattr(self.cloud, "expecting", None))
            except EngineError as exc:
                vt.error = vt.error or f"{vt.source}: {exc}"
            vt.timings["listen"] = time.perf_counter() - start
        return vt

    def hear_text(self, text: str, source: str = "typed") -> VoiceTurn:
        """A typed line through the same loop without the recogniser: the cloud, then speech out."""
        self.count += 1
        vt = VoiceTurn(source=source)
        start = time.perf_counter()
        vt.turn = self.cloud.hear(text)
        vt.speech, vt.error = vt.turn.speech, vt.turn.error
        vt.timings["nlu_skill"] = time.perf_counter() - start
        self._speak(vt)
        vt.timings["response_latency"] = vt.timings["nlu_skill"] + vt.timings.get("tts_out", 0.0)
        return vt

    def silence(self) -> VoiceTurn:
        """The user said nothing: the cloud's reprompt (or the session's end), spoken."""
        self.count += 1
        vt = VoiceTurn(source="silence")
        start = time.perf_counter()
        vt.turn = self.cloud.timeout()
        vt.speech, vt.error = vt.turn.speech, vt.turn.error
        vt.timings["nlu_skill"] = time.perf_counter() - start
        self._speak(vt)
        return vt

    def _speak(self, vt: VoiceTurn) -> None:
        """Synthesise the turn's speech (the skill's SSML when it says exactly that) to the next WAV."""
        if not vt.speech or self.synthesizer is None:
            return
        start = time.perf_counter()
        out = self.out_dir / f"turn-{self.count:02d}-response.wav"
        try:
            ssml = _response_ssml(vt.turn) if vt.turn is not None else None
            if ssml:
                vt.audio_out = self.synthesizer.speak_ssml(ssml, out, voice=self.voice)
            else:
                vt.audio_out = self.synthesizer.synthesize(vt.speech, out, voice=self.voice)
        except EngineError as exc:
            vt.error = f"speech out failed: {exc}"
        vt.timings["tts_out"] = time.perf_counter() - start

    def close(self) -> None:
        """Ends an open session as when the user walks away."""
        if getattr(self.cloud, "session_open", False):
            self.cloud.end_session("USER_INITIATED")
