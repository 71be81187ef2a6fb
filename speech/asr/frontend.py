"""The recogniser's front end: what a clip goes through before pocketsphinx decodes it.

A faint noise floor under digital silence (`noise_floor`), steady noise taken out (`denoise`), and late
reverberation suppressed (`dereverberate`) for clips that decay as in a room (`decay_db`, `room_rt60`).
`PocketSphinxRecognizer.clean` chains them; docs/RECOGNITION.md says how each was measured.
"""

from __future__ import annotations

import numpy as np

from speech.audio import RATE, Audio

__all__ = ["NOISY_SNR_DB", "REVERB_DECAY_DB", "decay_db", "denoise", "dereverberate", "noise_floor", "room_rt60",
           "snr_db"]


NOISY_SNR_DB = 28.0
"""Under this estimated signal-to-noise ratio (dB, see `snr_db`) `denoise` suppresses noise with the
log-spectral amplitude estimator; above it the clip holds little more than `noise_floor`'s faint floor."""


def snr_db(audio: Audio, *, n: int = 512, hop: int = 128) -> float:
    """The clip's signal-to-noise ratio as a recognizer meets it: the energy of its loud frames (the
    90th percentile) over the mean of its quietest tenth, in dB."""
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
    """Steady noise taken out before decoding, because pocketsphinx falls apart in it; the noise
    spectrum is the mean of the quietest tenth of the frames. A noisy clip (`snr_db` under
    `NOISY_SNR_DB`) goes through `_log_spectral_amplitude`, any other through `_subtract` (spectral
    subtraction), which leaves clean speech as it was."""
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

    Synthetic speech and gated microphones deliver stretches of digital silence, whose log filterbank
    energies are far outside anything pocketsphinx's acoustic model saw in training and pull its
    cepstral mean away from the speech; a faint floor makes those stretches look like a quiet room."""
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
    every clip gets the same floor shape, and drawing it afresh for each clip is wasted work."""
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
    sum it (the same floating-point result as that loop, without a Python loop over frames)."""
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

    Speech stops abruptly; in a room the tail of each sound rings on, so the loudness falls slowly."""
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
    """The reverberation time (RT60, seconds) of the room a clip was said in, from its `decay_db`:
    0.4 * (10.2 / -decay)^2, fitted to simulated rooms (docs/RECOGNITION.md), kept within 0.3-1.0 s.
    One clip says little, so a recogniser takes the median decay of a session's reverberant clips
    (`PocketSphinxRecognizer.clean`)."""
    return float(min(1.0, max(0.3, 0.4 * (10.2 / max(-decay, 1e-3)) ** 2)))


def dereverberate(audio: Audio, *, rt60: float = 0.4, delay: float = 0.06, floor: float = 0.15,
                  n: int = 512, hop: int = 128) -> Audio:
    """Late-reverberation suppression: each frame's spectrum less what the frame `delay` seconds
    earlier would still ring with after decaying at `rt60` (an exponential room tail).

    Applied to clean speech it smears the ends of sounds, so `speech.asr` runs it only on clips
    `decay_db` finds reverberant."""
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
