from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from speech.audio import load_wav
from speech.errors import EngineError
from speech.tts import Synthesizer


def test_tts_writes_a_wav(synthesizer: Synthesizer, tmp_path: Path) -> None:
    out = synthesizer.synthesize("Welcome to Voice Shop.", tmp_path / "w.wav")
    audio = load_wav(out)
    assert audio.seconds > 0.5 and audio.rms_dbfs > -40


def test_tts_ssml_break_inserts_silence(synthesizer: Synthesizer, tmp_path: Path) -> None:
    plain = load_wav(synthesizer.speak_ssml("<speak>one two</speak>", tmp_path / "a.wav"))
    paused = load_wav(synthesizer.speak_ssml('<speak>one<break time="800ms"/>two</speak>', tmp_path / "b.wav"))
    assert paused.seconds - plain.seconds > 0.6


def test_tts_speaks_only_what_each_call_gives(synthesizer: Synthesizer, tmp_path: Path) -> None:
    short = load_wav(synthesizer.synthesize("yes", tmp_path / "s.wav"))
    long = load_wav(synthesizer.synthesize("yes, and a much longer sentence after it", tmp_path / "l.wav"))
    again = load_wav(synthesizer.synthesize("yes", tmp_path / "s2.wav"))
    assert long.seconds > short.seconds * 2
    assert again.seconds < long.seconds / 2  # nothing of the previous text is said again


def test_tts_worker_that_hangs_is_killed_and_restarted(tmp_path: Path) -> None:
    (tmp_path / "hanging_engine.py").write_text(
        "import time\n"
        "def hang(text, path, voice, rate):\n"
        "    if text == 'hang':\n"
        "        time.sleep(3600)\n"
        "    open(path, 'wb').write(b'RIFF' + bytes(100))\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        synth = Synthesizer(engine="hanging_engine:hang", timeout=1.0)
        synth.synthesize("fine", tmp_path / "ok.wav")
        first = synth.pid
        start = time.perf_counter()
        with pytest.raises(EngineError, match="did not answer"):
            synth.synthesize("hang", tmp_path / "h.wav")
        assert time.perf_counter() - start < 5
        assert first is not None
        with pytest.raises(OSError):
            os.kill(first, 0)  # the hung worker is gone
        synth.synthesize("fine again", tmp_path / "ok2.wav")  # a new worker took over
        assert synth.pid != first and synth.restarts >= 0
        synth.close()
    finally:
        sys.path.remove(str(tmp_path))


def test_tts_engine_error_is_reported(tmp_path: Path) -> None:
    (tmp_path / "broken_engine.py").write_text("def speak(text, path, voice, rate):\n    raise ValueError('no voice')\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with Synthesizer(engine="broken_engine:speak", timeout=5) as synth, pytest.raises(EngineError, match="no voice"):
            synth.synthesize("hello", tmp_path / "x.wav")
    finally:
        sys.path.remove(str(tmp_path))
