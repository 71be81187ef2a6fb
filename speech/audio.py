"""Audio at the edge: every WAV or microphone stream becomes 16 kHz mono int16, once.

    audio = load_wav("turn.wav")          # any rate, any channel count, 8/16/24/32-bit PCM or float
    audio.seconds, audio.rms_dbfs
    save_wav(audio, "copy.wav")
    audio = record_utterance()           # microphone (optional extra `mic`), stops after ~0.8 s of silence

Everything downstream (ASR engines, benches) may assume `Audio.rate == 16000` and one channel.
"""

from __future__ import annotations

import struct
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from speech.errors import AudioError

__all__ = ["RATE", "Audio", "load_wav", "save_wav", "from_samples", "record_utterance", "SILENCE_DBFS"]

RATE = 16000
SILENCE_DBFS = -60.0
"""Below this RMS level a whole file counts as silent: nothing for a recognizer to hear."""


@dataclass(frozen=True)
class Audio:
    """A mono 16-bit clip at `rate` Hz (16 kHz after `load_wav`)."""

    samples: np.ndarray
    """int16 samples, one channel."""
    rate: int = RATE
    """Samples per second."""
    source: str = ""
    """Where it came from (a file path, 'mic', 'tts'), for messages."""

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.rate)

    @property
    def rms_dbfs(self) -> float:
        """Loudness of the whole clip, dB relative to full scale (-inf for digital silence)."""
        if len(self.samples) == 0:
            return float("-inf")
        x = self.samples.astype(np.float64) / 32768.0
        rms = float(np.sqrt(np.mean(x * x)))
        return 20.0 * np.log10(rms) if rms > 0 else float("-inf")

    def pcm(self) -> bytes:
        """Little-endian 16-bit PCM bytes, what Vosk and pocketsphinx take."""
        return self.samples.astype("<i2").tobytes()


def from_samples(samples: np.ndarray, rate: int, channels: int = 1, source: str = "") -> Audio:
    """Any float (-1..1) or integer samples at any rate -> 16 kHz mono int16 `Audio`."""
    x = np.asarray(samples)
    if x.dtype.kind in "iu":  # scale to -1..1 first: mixing channels makes floats of the integers
        x = _int_to_float(x)
    x = x.astype(np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1) if x.shape[1] > 1 else x[:, 0]
    elif channels > 1:
        x = x.reshape(-1, channels).mean(axis=1)
    if rate != RATE and len(x):
        import soxr  # imported here: resampling is the only thing that needs it

        x = soxr.resample(x, rate, RATE, quality="HQ")
    y = np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)
    return Audio(samples=y, rate=RATE, source=source)


def _int_to_float(x: np.ndarray) -> np.ndarray:
    if x.dtype == np.uint8:  # 8-bit WAV is unsigned, centred on 128
        return (x.astype(np.float32) - 128.0) / 128.0
    scale = float(2 ** (8 * x.dtype.itemsize - 1))
    return x.astype(np.float32) / scale


def load_wav(path: Path | str, *, allow_silent: bool = False) -> Audio:
    """Read a WAV file as 16 kHz mono int16; `AudioError` names the file and what is wrong with it."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise AudioError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise AudioError(f"{p}: empty file")
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RIFX") or data[8:12] != b"WAVE":
        raise AudioError(f"{p}: not a WAV file (no RIFF/WAVE header)")
    fmt, raw = _parse_riff(data, p)
    tag, channels, rate, bits = fmt
    width = bits // 8
    if channels < 1 or rate < 1 or width < 1:
        raise AudioError(f"{p}: bad WAV format ({channels} channels, {rate} Hz, {bits} bits)")
    usable = len(raw) - len(raw) % (width * channels)
    raw = raw[:usable]
    if tag == 3:  # IEEE float
        if width not in (4, 8):
            raise AudioError(f"{p}: unsupported float width {bits} bits")
        x = np.frombuffer(raw, dtype="<f4" if width == 4 else "<f8").astype(np.float32)
    elif tag == 1:
        if width == 1:
            x = np.frombuffer(raw, dtype=np.uint8)
        elif width == 2:
            x = np.frombuffer(raw, dtype="<i2")
        elif width == 3:  # 24-bit: widen to int32 by hand
            b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
            v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
            x = np.asarray(np.where(v >= 1 << 23, v - (1 << 24), v) << 8, dtype=np.int32)
        elif width == 4:
            x = np.frombuffer(raw, dtype="<i4")
        else:
            raise AudioError(f"{p}: unsupported PCM width {bits} bits")
    else:
        raise AudioError(f"{p}: unsupported WAV encoding (format tag {tag}); use PCM or float")
    if len(x) == 0:
        raise AudioError(f"{p}: no audio samples (header only)")
    audio = from_samples(x, rate, channels, source=str(p))
    if not allow_silent and audio.rms_dbfs < SILENCE_DBFS:
        raise AudioError(f"{p}: silent ({audio.seconds:.1f} s below {SILENCE_DBFS:.0f} dBFS): nothing to recognise")
    return audio


def _parse_riff(data: bytes, p: Path) -> tuple[tuple[int, int, int, int], bytes]:
    """Walk the RIFF chunks: the fmt chunk and the data chunk (cut short when the file is truncated)."""
    if data[:4] == b"RIFX":
        raise AudioError(f"{p}: big-endian WAV (RIFX) is not supported")
    pos, fmt, raw = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            if len(body) < 16:
                raise AudioError(f"{p}: truncated WAV (fmt chunk cut short)")
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == 0xFFFE and len(body) >= 26:  # WAVE_FORMAT_EXTENSIBLE: the sub-format decides
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, rate, bits)
        elif cid == b"data":
            if len(body) < size and size != 0xFFFFFFFF:
                raise AudioError(
                    f"{p}: truncated WAV (data chunk says {size} bytes, file has {len(body)})"
                )
            raw = body
            break
        pos += 8 + size + (size & 1)
    if fmt is None:
        raise AudioError(f"{p}: truncated or malformed WAV (no fmt chunk)")
    if raw is None:
        raise AudioError(f"{p}: truncated or malformed WAV (no data chunk)")
    return fmt, raw


def save_wav(audio: Audio, path: Path | str) -> Path:
    """Write 16-bit mono PCM at the clip's own rate."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(p), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(audio.rate)
        w.writeframes(audio.pcm())
    return p


# --- microphone -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VadSettings:
    """Energy-based end-of-speech detection."""

    frame_ms: int = 30
    """Analysis frame."""
    silence_after_speech: float = 0.8
    """Seconds of silence after speech that end the utterance."""
    max_seconds: float = 10.0
    """Hard stop."""
    no_speech_timeout: float = 6.0
    """Give up when nobody speaks this long."""
    margin_db: float = 12.0
    """A frame is speech when it is this much above the noise floor measured at the start."""


def _frame_db(frame: np.ndarray) -> float:
    x = frame.astype(np.float64) / 32768.0
    rms = float(np.sqrt(np.mean(x * x))) if len(x) else 0.0
    return 20.0 * np.log10(rms) if rms > 1e-9 else -120.0


def end_of_speech(frames: list[np.ndarray], settings: VadSettings, floor_db: float) -> bool:
    """True once speech has been heard and then `silence_after_speech` seconds of quiet followed."""
    threshold = max(floor_db + settings.margin_db, -50.0)
    per_frame = settings.frame_ms / 1000.0
    heard, quiet = False, 0.0
    for f in frames:
        if _frame_db(f) >= threshold:
            heard, quiet = True, 0.0
        elif heard:
            quiet += per_frame
    return heard and quiet >= settings.silence_after_speech


def _sounddevice() -> Any:
    """The `sounddevice` module (optional extra `mic`; PortAudio is loaded here), or an AudioError."""
    try:
        import sounddevice
    except ImportError as exc:
        raise AudioError("microphone input needs the 'mic' extra: pip install 'voiceshop[mic]'") from exc
    except OSError as exc:
        raise AudioError(f"microphone input needs PortAudio (apt-get install libportaudio2): {exc}") from exc
    return sounddevice


def check_microphone(device: int | str | None = None) -> None:
    """AudioError unless a microphone can be opened (the 'mic' extra, PortAudio and an input device)."""
    sd = _sounddevice()
    try:
        sd.check_input_settings(device=device, samplerate=RATE, channels=1, dtype="int16")
    except Exception as exc:  # PortAudioError or ValueError: no input device, or one that cannot do 16 kHz
        raise AudioError(f"no usable microphone: {exc}") from exc


def record_utterance(
    settings: VadSettings | None = None,
    *,
    device: int | str | None = None,
    on_level: Callable[[float], None] | None = None,
) -> Audio:
    """Record one utterance from the default microphone; stops after speech and ~0.8 s of silence."""
    settings = settings or VadSettings()
    sd = _sounddevice()
    block = RATE * settings.frame_ms // 1000
    frames: list[np.ndarray] = []
    try:
        with sd.InputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=block, device=device) as s:
            floor = -120.0
            heard = False
            quiet = 0.0
            elapsed = 0.0
            per = settings.frame_ms / 1000.0
            while elapsed < settings.max_seconds:
                chunk, _ = s.read(block)
                frame = chunk[:, 0].copy()
                frames.append(frame)
                elapsed += per
                level = _frame_db(frame)
                if on_level:
                    on_level(level)
                if len(frames) <= 8:  # the first quarter second sets the noise floor
                    floor = max(floor, level) if len(frames) > 1 else level
                    continue
                if level >= max(floor + settings.margin_db, -50.0):
                    heard, quiet = True, 0.0
                elif heard:
                    quiet += per
                    if quiet >= settings.silence_after_speech:
                        break
                if not heard and elapsed >= settings.no_speech_timeout:
                    raise AudioError("no speech heard from the microphone")
    except sd.PortAudioError as exc:
        raise AudioError(f"no usable microphone: {exc}") from exc
    samples = np.concatenate(frames) if frames else np.zeros(0, dtype=np.int16)
    return Audio(samples=samples.astype(np.int16), rate=RATE, source="mic")
