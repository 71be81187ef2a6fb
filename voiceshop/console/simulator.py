"""The simulator behind the console's first page: one voice session per browser tab.

    sims = Simulators(backend, workspace)
    sim = sims.create()
    sim.say("open voice shop")            # a typed turn: the cloud, the skill, the answer's audio
    sim.hear_wav(path)                    # a spoken turn: the recogniser `voiceshop speaker` uses first
    sim.state()                           # session attributes, the dialog, the shopper's cart and orders

Each tab has its own `VoiceCloud` and `Speaker`; the recogniser and the synthesiser are shared (one of
each, used one turn at a time), as are the NLU and the skill.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from speech.cloud import VoiceCloud
from speech.errors import AudioError, EngineError, SpeechError
from speech.interaction_model import InteractionModel
from speech.nlu.types import Resolution
from speech.speaker import Speaker, VoiceTurn
from speech.transport import Endpoint
from voiceshop.console.workspace import AUDIO, Workspace

__all__ = ["Backend", "Simulator", "Simulators", "SimulatorError", "VoiceEngines", "USER_ID"]

USER_ID = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")
"""What a user id typed on the page may be (Alexa's are 'amzn1.ask.account.' and letters)."""
MAX_SIMULATORS = 16
"""Tabs kept at once; the least recently used is forgotten (and its audio deleted) past this."""
MAX_TEXT = 500


class SimulatorError(Exception):
    """A request the simulator cannot act on (bad input, no recogniser): the message says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Backend:
    """What every tab shares: the skill, the NLU and model, and (in process) a view of the shop."""

    endpoint: Endpoint
    application_id: str
    nlu: Any
    model: InteractionModel
    locale: str
    shop: Callable[[str], dict[str, Any]] | None = None
    """user id -> the shopper's cart and recent orders (the in-process skill only)."""
    description: str = ""
    """Which skill, for the page's header: 'Voice Shop in process (database ...)' or the URL."""


class RecordingNLU:
    """Passes every call to the NLU and keeps the resolutions of the turn, for the page to show their
    confidence (the request JSON carries none)."""

    def __init__(self, nlu: Any) -> None:
        self._nlu = nlu
        self.seen: list[Resolution] = []

    def resolve(self, utterance: str, **kwargs: Any) -> Resolution:
        result: Resolution = self._nlu.resolve(utterance, **kwargs)
        self.seen.append(result)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nlu, name)


class VoiceEngines:
    """The recogniser (built once, on first use or by `warm_up`) and the synthesiser, shared by the tabs."""

    def __init__(self, backend: Backend, *, engine: str | None, rescore: bool | None, voice: str | None) -> None:
        from speech.tts import Synthesizer

        self.backend = backend
        self.engine = engine
        self.rescore = rescore
        self.synthesizer = Synthesizer(voice=voice)
        self.voice = voice
        self.lock = threading.Lock()
        """Held for a whole spoken turn: the recogniser hears one clip at a time."""
        self._build_lock = threading.Lock()
        self._recognizer: Any = None
        self._error: str | None = None
        self.last_listener: str | None = None
        """The tab the recogniser heard last: another tab is another speaker, heard afresh."""

    def recognizer(self) -> Any:
        with self._build_lock:
            if self._recognizer is None and self._error is None:
                try:
                    self._recognizer = self._build()
                except (SpeechError, OSError, ImportError) as exc:
                    self._error = f"speech recognition is not available: {exc}"
            if self._error:
                raise SimulatorError(self._error, status=503)
            return self._recognizer

    def _build(self) -> Any:
        from speech.asr import ListensForAnswers, create_recognizer
        from speech.grammar import build_grammar
        from voiceshop import settings

        b = self.backend
        rec = create_recognizer(b.locale, engine=self.engine, grammar=build_grammar(b.model),
                                understand=b.nlu.intent_confidence, rescore=self.rescore,
                                models_dir=settings.models_dir(), rescorer_model=settings.rescorer_model())
        if isinstance(rec, ListensForAnswers):  # load the model and build its search now, not in the first turn
            rec.listen_for(None)
        return rec

    def status(self) -> dict[str, Any]:
        rec = self._recognizer
        second: bool | None = None
        if rec is not None:  # built: speech.asr is loaded already
            from speech.asr import SnappingRecognizer

            second = isinstance(rec, SnappingRecognizer) and rec.rescorer is not None
        return {
            "ready": rec is not None,
            "error": self._error,
            "engine": rec.engine if rec is not None else None,
            "second_opinion": second,
        }

    def warm_up(self) -> None:
        """Build the recogniser in the background (errors are kept for the first spoken turn to report)."""

        def build() -> None:
            with contextlib.suppress(SimulatorError):
                self.recognizer()

        threading.Thread(target=build, name="console-asr-warm-up", daemon=True).start()

    def close(self) -> None:
        self.synthesizer.close()


@dataclass
class Simulator:
    """One tab's conversation with the skill."""

    id: str
    backend: Backend
    engines: VoiceEngines
    audio_dir: Path
    user_id: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    turns: int = 0
    used: float = field(default_factory=time.monotonic)
    attributes: dict[str, Any] = field(default_factory=dict)
    speaker: Speaker = field(init=False)
    nlu: RecordingNLU = field(init=False)

    def __post_init__(self) -> None:
        self._connect()

    def _connect(self) -> None:
        b = self.backend
        self.nlu = RecordingNLU(b.nlu)
        cloud = VoiceCloud(self.nlu, b.endpoint, b.model, user_id=self.user_id, locale=b.locale,
                           application_id=b.application_id)
        # the recogniser is given to the speaker only for a spoken turn (typed turns never load it)
        self.speaker = Speaker(cloud, None, self.engines.synthesizer, self.audio_dir,  # type: ignore[arg-type]
                               voice=self.engines.voice)
        self.speaker.count = self.turns
        self.attributes = {}

    @property
    def cloud(self) -> VoiceCloud:
        cloud: VoiceCloud = self.speaker.cloud
        return cloud

    # -- turns ------------------------------------------------------------------------------------

    def say(self, text: str) -> dict[str, Any]:
        text = (text or "").strip()
        if not text:
            raise SimulatorError("type what you would say (or use “Say nothing”)")
        if len(text) > MAX_TEXT:
            raise SimulatorError(f"that is longer than anyone says in one turn ({MAX_TEXT} characters at most)")
        return self._turn(lambda: self.speaker.hear_text(text), "typed", said=text)

    def hear_wav(self, path: Path, source: str, max_seconds: float) -> dict[str, Any]:
        from speech.audio import load_wav

        try:
            audio = load_wav(path)
        except AudioError as exc:
            path.unlink(missing_ok=True)
            raise SimulatorError(str(exc).replace(str(path), "the recording")) from None
        seconds = audio.seconds
        if seconds > max_seconds:
            path.unlink(missing_ok=True)
            raise SimulatorError(f"the recording is {seconds:.0f} s long; a turn is at most {max_seconds:.0f} s")
        engines = self.engines
        recognizer = engines.recognizer()
        with engines.lock:
            if engines.last_listener != self.id:
                recognizer.new_session()  # another tab: another speaker, heard as by a new decoder
                engines.last_listener = self.id
            self.speaker.recognizer = recognizer
            try:
                return self._turn(lambda: self.speaker.hear(audio, source=source), source,
                                  user_audio=path)
            finally:
                self.speaker.recognizer = None  # type: ignore[assignment]

    def silence(self) -> dict[str, Any]:
        return self._turn(self.speaker.silence, "silence")

    def new_session(self) -> dict[str, Any]:
        """End an open session and open the skill afresh (its welcome)."""
        if self.cloud.session_open:
            self.cloud.end_session("USER_INITIATED")
        name = self.backend.model.invocation_name
        return self._turn(lambda: self.speaker.hear_text(f"open {name}"), "new-session", said=f"open {name}")

    def end_session(self) -> dict[str, Any]:
        def end() -> VoiceTurn:
            self.speaker.count += 1
            vt = VoiceTurn(source="end-session")
            vt.turn = self.cloud.end_session("USER_INITIATED")
            return vt

        return self._turn(end, "end-session")

    def switch_user(self, user_id: str) -> dict[str, Any]:
        user_id = (user_id or "").strip()
        if not USER_ID.match(user_id):
            raise SimulatorError("a user id is letters, digits and . _ : - (at most 200), "
                                 "e.g. amzn1.ask.account.alex")
        with self.lock:
            if self.cloud.session_open:
                self.cloud.end_session("USER_INITIATED")
            self.user_id = user_id
            self._connect()
            return self.state()

    def _turn(self, run: Callable[[], VoiceTurn], source: str, said: str = "",
              user_audio: Path | None = None) -> dict[str, Any]:
        with self.lock:
            self.used = time.monotonic()
            self.nlu.seen.clear()
            try:
                vt = run()
            except EngineError as exc:
                raise SimulatorError(f"speech recognition failed: {exc}", status=500) from None
            self.turns = self.speaker.count
            turn = self._describe(vt, source, said, user_audio)
            if vt.turn is not None and isinstance(vt.turn.response, dict):
                attributes = vt.turn.response.get("sessionAttributes")
                self.attributes = dict(attributes) if isinstance(attributes, dict) else {}
            if not self.cloud.session_open:
                self.attributes = {}
            return {"turn": turn, "state": self.state()}

    def _describe(self, vt: VoiceTurn, source: str, said: str, user_audio: Path | None) -> dict[str, Any]:
        t, turn = vt.transcript, vt.turn
        request = turn.request if turn is not None else None
        intent = ((request or {}).get("request") or {}).get("intent") or {}
        kind = ((request or {}).get("request") or {}).get("type")
        understood = next((r for r in reversed(self.nlu.seen) if r.intent == intent.get("name")), None)
        slots = {}
        for name, slot in (intent.get("slots") or {}).items():
            if "value" not in slot:
                continue
            resolution = (((slot.get("resolutions") or {}).get("resolutionsPerAuthority") or [{}])[0])
            values = resolution.get("values") or [{}]
            slots[name] = {
                "value": slot.get("value"),
                "resolved": (values[0].get("value") or {}).get("name"),
                "id": (values[0].get("value") or {}).get("id"),
                "status": (resolution.get("status") or {}).get("code"),
                "confirmation": slot.get("confirmationStatus"),
            }
        heard = t.text if t is not None else said
        out: dict[str, Any] = {
            "n": self.speaker.count,
            "source": source,
            "said": said,
            "heard": heard,
            "request_type": kind,
            "intent": intent.get("name"),
            "confidence": round(understood.confidence, 4) if understood is not None else None,
            "slots": slots,
            "speech": vt.speech,
            "reprompt": turn.reprompt if turn is not None else "",
            "session_open": bool(turn is not None and turn.session_open),
            "card": turn.card if turn is not None else None,
            "error": vt.error,
            "timings": {k: round(v, 4) for k, v in vt.timings.items()},
            "request": request,
            "response": turn.response if turn is not None else None,
            "exchanges": len(turn.exchanges) if turn is not None else 0,
            "audio": self._audio_name(vt.audio_out),
            "user_audio": self._audio_name(user_audio),
        }
        if t is not None:
            out["asr"] = {
                "engine": t.engine,
                "text": t.text,
                "engine_heard": t.raw if t.rewritten else None,
                "rejected": not t.text,
                "raw": t.raw,
                "confidence": round(float(t.confidence), 4),
                "seconds": round(t.seconds, 4),
            }
        return out

    def _audio_name(self, path: Path | None) -> str | None:
        if path is None or not Path(path).is_file():
            return None
        return f"{self.id}/{Path(path).name}"

    # -- what the page shows beside the turns -----------------------------------------------------

    def state(self) -> dict[str, Any]:
        cloud = self.cloud
        run = cloud.dialog
        dialog = None
        if run is not None:
            expecting = cloud.expecting
            dialog = {
                "intent": run.name,
                "waiting": run.waiting,
                "slot": run.slot,
                "prompt": run.prompt,
                "delegation": "auto" if run.auto else ("skill" if run.skill_directed else "model"),
                "confirmation": run.intent.get("confirmationStatus"),
                "slots": {n: s.get("value") for n, s in (run.intent.get("slots") or {}).items() if s.get("value")},
                "listening_for": None if expecting is None else
                ({"intent": expecting.intent, "slot": expecting.slot}),
            }
        shop: dict[str, Any] | None = None
        if self.backend.shop is not None:
            shop = self.backend.shop(self.user_id)
        return {
            "id": self.id,
            "user": self.user_id,
            "turns": self.turns,
            "session": {"open": cloud.session_open, "id": cloud.session_id, "attributes": self.attributes},
            "dialog": dialog,
            "shop": shop,
        }


class Simulators:
    """The open tabs' simulators, by id."""

    def __init__(self, backend: Backend, engines: VoiceEngines, workspace: Workspace, user_id: str) -> None:
        self.backend = backend
        self.engines = engines
        self.workspace = workspace
        self.user_id = user_id
        self._sims: OrderedDict[str, Simulator] = OrderedDict()
        self._lock = threading.Lock()

    def create(self, user_id: str | None = None) -> Simulator:
        if user_id is not None and not USER_ID.match(user_id):
            raise SimulatorError("a user id is letters, digits and . _ : - (at most 200)")
        sim_id = secrets.token_hex(8)
        folder = self.workspace.subdir(f"{AUDIO}/{sim_id}")
        sim = Simulator(sim_id, self.backend, self.engines, folder, user_id or self.user_id)
        with self._lock:
            self._sims[sim_id] = sim
            while len(self._sims) > MAX_SIMULATORS:
                _, old = self._sims.popitem(last=False)
                shutil.rmtree(old.audio_dir, ignore_errors=True)
        return sim

    def get(self, sim_id: str) -> Simulator:
        with self._lock:
            sim = self._sims.get(sim_id)
            if sim is None:
                raise SimulatorError("this simulator session is gone (the console restarted?): reload the page",
                                     status=404)
            self._sims.move_to_end(sim_id)
            return sim

    def user_audio_path(self, sim: Simulator) -> Path:
        """Where a tab's next spoken turn is kept (beside the answers' audio, for replay)."""
        return sim.audio_dir / f"turn-{sim.turns + 1:02d}-user.wav"
