"""The speech side's exception root and its narrow subclasses."""

from __future__ import annotations


class SpeechError(Exception):
    """Root of every error `speech/` raises on purpose; the CLI shows it as one line."""

    exit_code = 2


class ModelError(SpeechError):
    """An interaction model is missing or malformed; the message names the bad element."""


class AudioError(SpeechError):
    """An audio file is empty, truncated, not a WAV, or cannot be read."""


class EngineError(SpeechError):
    """An ASR or TTS engine is not installed, failed, or timed out."""


class EndpointError(SpeechError):
    """A skill endpoint could not be reached or answered with something that is not Alexa JSON."""


class TestFileError(SpeechError):
    """A certification test file is malformed; the message names the file and line."""

    __test__ = False  # not a pytest test class
