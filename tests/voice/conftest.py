"""Voice fixtures: the grammar, one shared recogniser, one synthesiser, sentences synthesised once."""

from __future__ import annotations

import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml

from speech.asr import create_recognizer
from speech.audio import Audio
from speech.certify.scoring import resolution_problems
from speech.grammar import Grammar, build_grammar
from speech.interaction_model import default_model_path, load_interaction_model
from speech.tts import Synthesizer

DATA = Path(__file__).parent / "data"
USER_VOICE = "en-us+klatt2"
"""espeak-ng voice the tests speak with (the klatt voices suit pocketsphinx's acoustic model best)."""


def _whisper_missing() -> str | None:
    """Why Whisper's second opinion cannot run here (the 'rescore' extra), or None when it can."""
    from speech.asr.rescore import rescorer_status

    status = rescorer_status()
    return None if status.startswith("installed") else status


needs_whisper = pytest.mark.skipif(_whisper_missing() is not None,
                                   reason=f"needs the 'rescore' extra (Whisper): {_whisper_missing()}")
"""Marks a test that runs Whisper's second opinion: skipped, with the reason, where it is not installed."""


def espeak(text: str, path: Path, voice: str = USER_VOICE, rate: int = 175) -> Path:
    """The espeak-ng program's clip of `text`, the same audio every run. pyttsx3 drives one long-lived
    espeak-ng engine whose audio differs a little from call to call, so a test that needs one clip (or
    a few) heard right speaks it this way."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True, capture_output=True)
    return path


@pytest.fixture(scope="session")
def grammar() -> Grammar:
    return build_grammar(load_interaction_model(default_model_path()))


@pytest.fixture(scope="session")
def nlu():  # type: ignore[no-untyped-def]
    from speech.nlu import compile_model

    return compile_model(default_model_path())


@pytest.fixture(scope="session")
def recognizer(grammar: Grammar, nlu):  # type: ignore[no-untyped-def]

    return create_recognizer("en-US", engine="pocketsphinx", grammar=grammar, understand=nlu.intent_confidence)


@pytest.fixture(scope="session")
def synthesizer() -> Iterator[Synthesizer]:
    s = Synthesizer()
    yield s
    s.close()


@pytest.fixture(scope="session")
def spoken(tmp_path_factory: pytest.TempPathFactory, synthesizer: Synthesizer) -> list[tuple[dict, Path]]:
    """tests/voice/data/spoken.yaml, each sentence synthesised once per session."""
    items = yaml.safe_load((DATA / "spoken.yaml").read_text(encoding="utf-8"))
    out_dir = tmp_path_factory.mktemp("spoken")
    return [
        (item, synthesizer.synthesize(item["say"], out_dir / f"s{n:02d}.wav", voice=USER_VOICE, rate=175))
        for n, item in enumerate(items)
    ]


def write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1, width: int = 2) -> Path:
    """A PCM WAV written with the standard library (so the reader is tested against another writer)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def tone(rate: int, seconds: float = 0.5, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return 0.3 * np.sin(2 * np.pi * freq * t)


def silence(seconds: float = 0.5) -> Audio:
    """A 16 kHz clip of digital silence (for turns whose transcript a fake recogniser supplies)."""
    return Audio(np.zeros(int(16000 * seconds), dtype=np.int16), 16000)


def slot_problems(item: dict, res) -> list[str]:  # type: ignore[no-untyped-def]
    """What an NLU result gets wrong against a spoken.yaml item (its intent and key slots); [] when right."""
    return resolution_problems(res, item["intent"], item.get("slots"))
