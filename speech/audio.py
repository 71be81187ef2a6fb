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

__all__ = ["RATE", "Audio", "load_wav", "save_wav", "from_samples", "record_utterance", "denoise", "noise_floor", "snr_db", "NOISY_SNR_DB",
           "SILENCE_DBFS",
           "decay_db", "dereverberate", "REVERB_DECAY_DB"]

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


NOISY_SNR_DB = 28.0
"""Under this estimated signal-to-noise ratio (dB, see `snr_db`) `denoise` suppresses noise with the
log-spectral amplitude estimator; above it the clip holds little more than `noise_floor`'s faint floor."""


def snr_db(audio: Audio, *, n: int = 512, hop: int = 128) -> float:
    """The clip's signal-to-noise ratio as a recognizer meets it: the energy of its loud frames (the
    90th percentile) over the mean of its quietest tenth, in dB. Synthetic speech over `noise_floor`'s
    floor at 30 dB measures 33-40 dB here; the same speech in white noise at 15 dB SNR measures 18-25."""
    x = audio.samples.astype(np.float64)
    if len(x) < 4 * n:
        return float("inf")
    spec, _ = _stft(x, n, hop)
    return _snr_of((np.abs(spec) ** 2).sum(axis=1))


def _snr_of(energy: np.ndarray) -> float:
    """`snr_db` from the frames' energies."""
    quiet = energy[energy <= np.quantile(energy, 0.1)].mean()
    if quiet <= 0:
        return float("inf")
    return float(10 * np.log10(max(np.quantile(energy, 0.9), 1e-12) / quiet))


def denoise(audio: Audio, *, n: int = 512, hop: int = 128) -> Audio:
    """Steady noise taken out before decoding; the noise spectrum is the mean of the quietest tenth of
    the frames. A noisy clip (`snr_db` under `NOISY_SNR_DB`) goes through `_log_spectral_amplitude`,
    any other through `_subtract` (spectral subtraction), which leaves clean speech as it was.

    pocketsphinx falls apart in steady noise (flite speech in white noise at 15 dB SNR: 2/22 sentences
    right); subtraction brought it to 14/22, and espeak-ng speech from 12/22 to 20/22. On bench/asr.py's
    44 sentences in white noise at 15 dB, the log-spectral amplitude estimator then hears 79 of 88 clips
    right against subtraction's 73 (on three other draws: 77 against 76 of 88, and 84 against 74 and 75
    against 74 of 120; over six draws, 382 against 366 of 496)."""
    x = audio.samples.astype(np.float64)
    if len(x) < 4 * n:
        return audio
    spec, win = _stft(x, n, hop)
    power = np.abs(spec) ** 2
    energy = power.sum(axis=1)
    noise = power[energy <= np.quantile(energy, 0.1)].mean(axis=0)
    if _snr_of(energy) < NOISY_SNR_DB:
        gain = _log_spectral_amplitude(power, noise)
    else:
        gain = _subtract(power, noise)
    y = _istft(spec * gain, win, n, hop, len(x))
    return Audio(samples=np.clip(y, -32768, 32767).astype(np.int16), rate=audio.rate, source=audio.source)


def _subtract(power: np.ndarray, noise: np.ndarray, *, over: float = 2.0, floor: float = 0.05) -> np.ndarray:
    """Power spectral subtraction's gains: `over` times the noise taken away, never under `floor`."""
    return np.sqrt(np.maximum(1.0 - over * noise / np.maximum(power, 1e-12), floor))


def _exp1(v: np.ndarray) -> np.ndarray:
    """The exponential integral E1(v) for v > 0 (Abramowitz and Stegun 5.1.53 and 5.1.56, error under 5e-5
    relative): what the log-spectral amplitude gain needs, without scipy."""
    small = np.minimum(v, 1.0)
    low = (-np.log(small) - 0.57721566 + small * (0.99999193 + small * (-0.24991055 + small * (
        0.05519968 + small * (-0.00976004 + small * 0.00107857)))))
    big = np.maximum(v, 1.0)
    high = np.exp(-big) / big * (big * big + 2.334733 * big + 0.250621) / (big * big + 3.330657 * big + 1.681534)
    return np.where(v < 1.0, low, high)


def _log_spectral_amplitude(power: np.ndarray, noise: np.ndarray, *, alpha: float = 0.98,
                            gain_floor: float = 0.1, prior_floor: float = 10 ** -2.5) -> np.ndarray:
    """Ephraim and Malah's minimum mean-square error log-spectral amplitude gains, with the a priori SNR
    estimated the decision-directed way (`alpha`, the textbook 0.98) and gains held over `gain_floor`
    (-20 dB). Unlike subtraction it follows the speech frame by frame, so the noise left between the
    words is quieter and steadier."""
    post = power / np.maximum(noise, 1e-12)  # a posteriori SNR
    gains = np.empty_like(post)
    last = np.ones(post.shape[1])  # the last frame's clean power over the noise
    for i, frame in enumerate(post):
        prior = np.maximum(alpha * last + (1 - alpha) * np.maximum(frame - 1.0, 0.0), prior_floor)
        ratio = prior / (1.0 + prior)
        v = np.maximum(ratio * frame, 1e-8)
        gain = np.maximum(ratio * np.exp(0.5 * _exp1(v)), gain_floor)
        gains[i] = gain
        last = gain * gain * frame
    return gains


def noise_floor(audio: Audio, below_db: float = 30.0, seed: int = 0) -> Audio:
    """The clip with steady white noise `below_db` under its own RMS level (reproducible: fixed seed).

    Synthetic speech and gated microphones deliver stretches of digital silence (espeak-ng: a third of
    the samples are exactly 0), whose log filterbank energies are far outside anything pocketsphinx's
    acoustic model saw in training and pull its cepstral mean away from the speech. A faint floor
    makes those stretches look like a quiet room. Measured with bench/asr.py's 44 sentences, five
    voices: clean 81% -> 89%, degraded (noise, reverb, telephone) 41% -> 64%."""
    x = audio.samples.astype(np.float64)
    if len(x) == 0:
        return audio
    rms = float(np.sqrt(np.mean(x * x)))
    if rms <= 0:
        return audio
    sigma = rms * 10 ** (-below_db / 20)
    noise = sigma * _standard_normal(seed, len(x))  # as default_rng(seed).normal(0, sigma, len(x)), bit for bit
    return Audio(samples=np.clip(x + noise, -32768, 32767).astype(np.int16), rate=audio.rate, source=audio.source)


_NORMALS: dict[int, np.ndarray] = {}


def _standard_normal(seed: int, count: int) -> np.ndarray:
    """The first `count` draws of `np.random.default_rng(seed).standard_normal`, kept between calls:
    every clip gets the same floor shape, and drawing it afresh for each clip was 7% of the cleaning."""
    drawn = _NORMALS.get(seed)
    if drawn is None or len(drawn) < count:
        drawn = np.random.default_rng(seed).standard_normal(max(count, 16 * RATE))
        drawn.flags.writeable = False
        _NORMALS[seed] = drawn
    return drawn[:count]


def _stft(x: np.ndarray, n: int, hop: int) -> tuple[np.ndarray, np.ndarray]:
    win = np.hanning(n)
    frames = np.lib.stride_tricks.sliding_window_view(np.pad(x, (n, n)), n)[::hop] * win
    return np.fft.rfft(frames, axis=1), win


def _istft(spec: np.ndarray, win: np.ndarray, n: int, hop: int, length: int) -> np.ndarray:
    out = np.fft.irfft(spec, n, axis=1) * win
    y = _overlap_add(out, hop, length + 3 * n)
    norm = _overlap_add(np.broadcast_to(win * win, out.shape), hop, len(y))
    return (y / np.maximum(norm, 1e-6))[n : n + length]


def _overlap_add(frames: np.ndarray, hop: int, length: int) -> np.ndarray:
    """Frames `hop` apart summed into one signal of `length` samples.

    Each frame is cut into blocks of `hop` samples; block k of every frame lands on the signal at once,
    k from the last to the first, so each sample is summed in the order a loop over the frames would
    sum it (the same floating-point result, in under a third of the time)."""
    count, n = frames.shape
    if n % hop:  # zeros to a whole number of hops change no sum
        frames = np.pad(frames, ((0, 0), (0, hop - n % hop)))
        n = frames.shape[1]
    parts = n // hop
    y = np.zeros(max(length, (count + parts - 1) * hop))
    blocks = y[: (count + parts - 1) * hop].reshape(-1, hop)
    for k in range(parts - 1, -1, -1):
        blocks[k : k + count] += frames[:, k * hop : (k + 1) * hop]
    return y[:length]


REVERB_DECAY_DB = -12.0
"""A clip whose loudness never falls faster than this over 50 ms counts as reverberant (see `decay_db`)."""


def decay_db(audio: Audio, *, span: float = 0.05) -> float:
    """How fast the clip's loudness can fall: the 2nd percentile of the level change over `span`
    seconds (dB, negative), over 25 ms frames within 30 dB of the loudest.

    Speech stops abruptly: a clean or telephone clip falls 17-40 dB in 50 ms after denoising, white
    noise at 15 dB SNR 11-26 dB; a room with RT60 0.4 s (60 dB in 0.4 s) lets it fall only 8-18 dB,
    because the tail of each sound rings on (measured on bench/asr.py's voices)."""
    x = audio.samples.astype(np.float64)
    n, hop = 400, 160
    if len(x) < n + int(span * audio.rate) + hop:
        return float("-inf")
    frames = np.lib.stride_tricks.sliding_window_view(x, n)[::hop]
    level = 10.0 * np.log10(np.mean(frames * frames, axis=1) + 1e-3)
    k = max(1, int(span * audio.rate / hop))
    change = level[k:] - level[:-k]
    loud = level[:-k] > level.max() - 30.0
    return float(np.percentile(change[loud], 2)) if loud.any() else float("-inf")


def room_rt60(decay: float) -> float:
    """The reverberation time (RT60, seconds) of the room a clip was said in, from its `decay_db`.

    A larger room lets speech fall more slowly: on bench/asr.py's voices (120 clips of four voices in
    each simulated room) the median `decay_db` after denoising was -12.1 dB at RT60 0.3 s, -10.2 at 0.4,
    -8.7 at 0.6, -7.2 at 0.8 and -6.7 at 1.0, which 0.4 * (10.2 / -decay)^2 fits. One clip says
    little (at 0.4 s the middle half of the clips reads 0.33-0.47 s): a recogniser takes the median
    decay of a session's reverberant clips (`PocketSphinxRecognizer.clean`). Kept within 0.3-1.0 s."""
    return float(min(1.0, max(0.3, 0.4 * (10.2 / max(-decay, 1e-3)) ** 2)))


def dereverberate(audio: Audio, *, rt60: float = 0.4, delay: float = 0.06, floor: float = 0.15,
                  n: int = 512, hop: int = 128) -> Audio:
    """Late-reverberation suppression: each frame's spectrum less what the frame `delay` seconds
    earlier would still ring with after decaying at `rt60` (an exponential room tail).

    Applied alone to clean speech it smears the ends of sounds (clean 89.5% -> 85.5% on bench/asr.py's
    44 sentences), so `speech.asr` runs it only on clips `decay_db` finds reverberant."""
    x = audio.samples.astype(np.float64)
    if len(x) < 4 * n:
        return audio
    spec, win = _stft(x, n, hop)
    power = np.abs(spec) ** 2
    d = max(1, int(round(delay * audio.rate / hop)))
    decay = np.exp(-2.0 * (3.0 * np.log(10.0) / rt60) * delay)  # power falls 60 dB per rt60
    late = np.zeros_like(power)
    late[d:] = decay * power[:-d]
    gain = np.sqrt(np.maximum(1.0 - late / np.maximum(power, 1e-12), floor))
    y = _istft(spec * gain, win, n, hop, len(x))
    return Audio(samples=np.clip(y, -32768, 32767).astype(np.int16), rate=audio.rate, source=audio.source)


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
