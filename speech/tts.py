"""Speech out: pyttsx3 (espeak-ng) in a worker process, one utterance per call, with a timeout.

    tts = Synthesizer()                                   # worker starts on first use
    tts.synthesize("Welcome to Voice Shop.", "out/turn-1.wav", voice="en-us+f3")
    tts.speak_ssml("<speak>Hi<break time='500ms'/>there</speak>", "out/turn-2.wav")
    play("out/turn-1.wav")                                # aplay or sounddevice when a device exists; else False

pyttsx3 can hang (notably when driven from threads) and speaks only the last text queued before
`runAndWait`, so it lives in its own process (a `python -m speech.tts` subprocess) that gets one utterance at a
time; a call that does not finish within `timeout` seconds kills the worker, which is restarted on the
next call. Any engine function `module:function(text, path, voice, rate)` can stand in for pyttsx3
(`engine=`), which is how the tests prove a hanging engine is killed.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from speech.errors import EngineError
from speech.ssml import Pause, Text, to_segments

__all__ = ["Synthesizer", "synthesize", "play", "check_voice", "PYTTSX3"]

PYTTSX3 = "speech.tts:_pyttsx3_engine"
TTS_RATE = 22050
"""espeak-ng's output rate; pauses are inserted at the rate of the synthesised audio."""

_engine_cache: dict[str, Any] = {}


@lru_cache(maxsize=1)
def _espeak_voices() -> tuple[frozenset[str], frozenset[str]] | None:
    """(voices, variants) by every name espeak-ng takes for them (language, name, file), lower case;
    None without the espeak-ng program."""
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        return None

    def table(arg: str) -> frozenset[str]:
        out = subprocess.run([exe, arg], capture_output=True, text=True, timeout=10, check=False).stdout
        names: set[str] = set()
        for line in out.splitlines()[1:]:  # Pty Language Age/Gender VoiceName File [Other languages]
            cols = line.split()
            if len(cols) >= 5:
                names |= {cols[1], cols[3], cols[4], cols[4].rsplit("/", 1)[-1]}
        return frozenset(n.lower() for n in names)

    try:
        return table("--voices"), table("--voices=variant")
    except (OSError, subprocess.SubprocessError):
        return None


def check_voice(voice: str) -> None:
    """Raise EngineError for a voice espeak-ng does not have ('en-us', 'en-us+f3' and 'gmw/en' are
    fine): pyttsx3 would quietly speak with its default voice instead. Nothing is checked without
    espeak-ng (pyttsx3's other drivers name their voices otherwise)."""
    known = _espeak_voices()
    if known is None:
        return
    voices, variants = known
    base, _, variant = voice.partition("+")
    if base.lower() not in voices:
        raise EngineError(f"espeak-ng has no voice {base!r}: `espeak-ng --voices` lists them (e.g. en-us)")
    if variant and variant.lower() not in variants:
        raise EngineError(f"espeak-ng has no voice variant {variant!r}: `espeak-ng --voices=variant` lists them (e.g. f3)")


def _pyttsx3_engine(text: str, path: str, voice: str | None, rate: int | None) -> None:
    """Runs inside the worker: one utterance to one WAV file."""
    import pyttsx3

    eng = _engine_cache.get("pyttsx3")
    if eng is None:
        eng = _engine_cache["pyttsx3"] = pyttsx3.init()
        _engine_cache["defaults"] = (eng.getProperty("voice"), eng.getProperty("rate"))
    default_voice, default_rate = _engine_cache["defaults"]
    eng.setProperty("voice", voice or default_voice)
    eng.setProperty("rate", rate or default_rate)
    eng.save_to_file(text, path)
    eng.runAndWait()
    if not os.path.exists(path) or os.path.getsize(path) <= 44:
        # pyttsx3 sometimes finishes a long utterance without writing it (its espeak callback misses the
        # end-of-message event): say it with the espeak-ng program pyttsx3 drives, same voice and rate
        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if exe is None:
            raise RuntimeError("pyttsx3 wrote no audio and espeak-ng is not installed")
        args = [exe, "-w", path, "-v", voice or str(default_voice)]
        args += ["-s", str(rate or default_rate)]  # pyttsx3's own default (200 wpm), not espeak-ng's 175
        subprocess.run([*args, "--", text], check=True, capture_output=True, timeout=30)


def _worker_main(engine: str) -> None:
    """The worker's loop (`python -m speech.tts ENGINE`): JSON jobs on stdin, JSON replies on the real stdout."""
    import json
    import sys

    replies = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # pyttsx3 prints 'Audio saved to ...' on stdout: keep the reply channel clean
    module, _, func = engine.partition(":")
    fn = getattr(importlib.import_module(module), func)
    for line in sys.stdin:
        try:
            job = json.loads(line)
            fn(job["text"], job["path"], job.get("voice"), job.get("rate"))
            replies.write(json.dumps({"ok": True}) + "\n")
        except Exception as exc:  # reported to the parent, which raises EngineError
            replies.write(json.dumps({"ok": False, "error": f"{exc.__class__.__name__}: {exc}"}) + "\n")


class Synthesizer:
    """Text or SSML -> WAV through a worker process that is killed when it hangs."""

    def __init__(self, engine: str = PYTTSX3, timeout: float = 10.0, voice: str | None = None,
                 rate: int | None = None) -> None:
        self.engine = engine
        self.timeout = timeout
        if voice and engine == PYTTSX3:
            check_voice(voice)
        self.voice = voice
        self.rate = rate
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()  # one utterance at a time: the worker is a single lane
        self.restarts = 0
        """Workers started in place of an earlier one (that hung and was killed, died, or was closed)."""
        self._started = False

    def _start(self) -> None:
        # a plain subprocess, not multiprocessing: spawn would re-import the caller's __main__ script
        env = dict(os.environ)
        paths = [p for p in sys.path if p and os.path.isdir(p)]
        env["PYTHONPATH"] = os.pathsep.join(paths)
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "speech.tts", self.engine],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, bufsize=1, env=env,
            )
        except OSError as exc:
            raise EngineError(f"cannot start the speech synthesiser: {exc}") from exc

    def _kill(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(OSError):
                self._proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(2)
            for stream in (self._proc.stdin, self._proc.stdout):
                with contextlib.suppress(OSError):
                    if stream:
                        stream.close()
        self._proc = None

    @property
    def pid(self) -> int | None:
        """The worker's process id (None before the first utterance)."""
        return self._proc.pid if self._proc is not None else None

    def close(self) -> None:
        with self._lock:
            if self._proc is not None and self._proc.poll() is None and self._proc.stdin:
                with contextlib.suppress(OSError):
                    self._proc.stdin.close()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(1)
            self._kill()

    def __enter__(self) -> Synthesizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, text: str, path: Path, voice: str | None, rate: int | None) -> None:
        import json
        import select

        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._kill()
                self.restarts += self._started
                self._start()
                self._started = True
            proc = self._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(json.dumps({"text": text, "path": str(path), "voice": voice, "rate": rate}) + "\n")
                proc.stdin.flush()
                ready, _, _ = select.select([proc.stdout], [], [], self.timeout)
                line = proc.stdout.readline() if ready else None
            except (OSError, ValueError) as exc:
                self._kill()
                raise EngineError(f"the speech synthesiser died: {exc.__class__.__name__}") from exc
            if line is None:
                self._kill()
                raise EngineError(f"the speech synthesiser did not answer within {self.timeout:g} s; killed it")
            if not line:
                self._kill()
                raise EngineError("the speech synthesiser exited; it restarts on the next call")
            reply = json.loads(line)
            if not reply.get("ok"):
                raise EngineError(f"speech synthesis failed: {reply.get('error')}")

    def synthesize(self, text: str, path: Path | str, voice: str | None = None, rate: int | None = None) -> Path:
        """One plain-text utterance to a WAV file (22,050 Hz mono with espeak-ng)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = " ".join(text.split())
        if not text:
            raise EngineError("nothing to say")
        if voice and self.engine == PYTTSX3:
            check_voice(voice)
        for attempt in (1, 2):
            try:
                self._call(text, path.resolve(), voice or self.voice, rate or self.rate)
            except EngineError:
                if attempt == 2:
                    raise
                with self._lock:
                    self._kill()  # a fresh worker for the one retry
                continue
            if path.is_file() and path.stat().st_size > 44:
                return path
        raise EngineError(f"the speech synthesiser wrote no audio to {path}")

    def speak_ssml(self, ssml: str, path: Path | str, voice: str | None = None, rate: int | None = None) -> Path:
        """SSML to one WAV: each stretch of text synthesised, breaks inserted as silence."""
        segments = to_segments(ssml)
        texts = [s for s in segments if isinstance(s, Text)]
        if not texts:
            raise EngineError("the response has nothing to say")
        if len(segments) == 1:
            return self.synthesize(texts[0].text, path, voice, rate)
        from speech.audio import save_wav

        path = Path(path)
        pieces: list[np.ndarray] = []
        rate_out = TTS_RATE
        for i, seg in enumerate(segments):
            if isinstance(seg, Pause):
                pieces.append(np.zeros(int(seg.seconds * rate_out), dtype=np.int16))
                continue
            part = path.with_name(f".{path.stem}.part{i}.wav")
            self.synthesize(seg.text, part, voice, rate)
            rate_out, samples = _read_pcm16(part)
            part.unlink()
            pieces.append(samples)
        return save_wav(_clip(np.concatenate(pieces), rate_out), path)


def _read_pcm16(path: Path) -> tuple[int, np.ndarray]:
    import wave

    with wave.open(str(path), "rb") as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        data = w.readframes(w.getnframes())
    if width != 2:
        raise EngineError(f"the synthesiser wrote {8 * width}-bit audio; expected 16-bit")
    x = np.frombuffer(data, dtype="<i2")
    if channels > 1:
        x = x.reshape(-1, channels)[:, 0]
    return rate, x.astype(np.int16)


def _clip(samples: np.ndarray, rate: int) -> Any:
    from speech.audio import Audio

    return Audio(samples=samples, rate=rate, source="tts")


_default: Synthesizer | None = None


def synthesize(text: str, path: Path | str, voice: str | None = None, rate: int | None = None) -> Path:
    """`Synthesizer.synthesize` on a shared default synthesiser (text or SSML starting with <speak>)."""
    global _default
    if _default is None:
        _default = Synthesizer()
    if text.lstrip().startswith("<speak"):
        return _default.speak_ssml(text, path, voice, rate)
    return _default.synthesize(text, path, voice, rate)


def play(path: Path | str, timeout: float = 30.0) -> bool:
    """Play a WAV when an audio device exists (aplay, else sounddevice); False when nothing could play it."""
    aplay = shutil.which("aplay")
    if aplay:
        try:
            done = subprocess.run([aplay, "-q", str(path)], capture_output=True, timeout=timeout)
            if done.returncode == 0:
                return True
        except (OSError, subprocess.TimeoutExpired):
            pass
    try:
        import sounddevice as sd

        rate, x = _read_pcm16(Path(path))
        sd.play(x, rate)
        sd.wait()
        return True
    except Exception:  # no PortAudio, no device: playing is optional, the WAV file is the output
        return False


if __name__ == "__main__":
    _worker_main(sys.argv[1] if len(sys.argv) > 1 else PYTTSX3)
