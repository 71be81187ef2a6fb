from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from speech.audio import load_wav
from speech.errors import EngineError
from speech.tts import Synthesizer, check_voice


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


def test_tts_worker_that_hangs_is_killed_and_restarted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "hanging_engine.py").write_text(
        "import time\n"
        "def hang(text, path, voice, rate):\n"
        "    if text == 'hang':\n"
        "        time.sleep(3600)\n"
        "    open(path, 'wb').write(b'RIFF' + bytes(100))\n"
    )
    monkeypatch.syspath_prepend(tmp_path)  # the worker imports the engine module from there
    synth = Synthesizer(engine="hanging_engine:hang", timeout=3.0)  # room for a worker to start on a busy machine
    synth.synthesize("fine", tmp_path / "ok.wav")
    first = synth.pid
    before = synth.restarts  # 0, unless a loaded machine made the first call time out and retry
    start = time.perf_counter()
    with pytest.raises(EngineError, match="did not answer"):
        synth.synthesize("hang", tmp_path / "h.wav")
    assert time.perf_counter() - start < 60, "the hang (an hour) was cut off by the timeout"
    assert first is not None
    with pytest.raises(OSError):
        os.kill(first, 0)  # the hung worker is gone
    synth.synthesize("fine again", tmp_path / "ok2.wav")  # a new worker took over
    # the hung worker and the one its retry started (which hung too) were each replaced
    assert synth.pid != first and synth.restarts >= before + 2
    synth.close()


def test_tts_engine_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken_engine.py").write_text("def speak(text, path, voice, rate):\n    raise ValueError('no voice')\n")
    monkeypatch.syspath_prepend(tmp_path)
    with Synthesizer(engine="broken_engine:speak", timeout=5) as synth, pytest.raises(EngineError, match="no voice"):
        synth.synthesize("hello", tmp_path / "x.wav")


@pytest.mark.parametrize("voice", ["en-us", "EN-US", "en-us+klatt2", "en-us+f3", "gmw/en", "English_(America)"])
def test_check_voice_takes_what_espeak_ng_has(voice: str) -> None:
    check_voice(voice)


@pytest.mark.parametrize(("voice", "says"), [("nosuchvoice", "no voice 'nosuchvoice'"), ("en-us+nope", "no voice variant 'nope'")])
def test_check_voice_refuses_what_espeak_ng_lacks(voice: str, says: str) -> None:
    """pyttsx3 would speak an unknown voice with its default one, without a word."""
    with pytest.raises(EngineError, match=says):
        check_voice(voice)


@pytest.mark.parametrize("args", [["voice", "train", "x", "--synth", "nosuchvoice"], ["demo", "--voice", "en-us+nope", "--out-dir", "demo-out"],
                                  ["speaker", "--voice", "zz", "--wav", "nothing.wav"]])
def test_commands_refuse_an_unknown_voice_in_one_line(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from voiceshop.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args, env={"VOICESHOP_VOICES": str(tmp_path / "voices"),
                                                                  "VOICESHOP_DB_PATH": str(tmp_path / "s.db")})
    assert result.exit_code == 2, result.output
    assert "espeak-ng has no voice" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2
    assert not (tmp_path / "voices" / "x").exists()
