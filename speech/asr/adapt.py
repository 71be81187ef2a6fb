"""Voice training: adapt pocketsphinx's acoustic model to one speaker from sentences they read.

    sentences = training_sentences(grammar, 25)                 # what to read (no test sentence among them)
    profile = train_voice("alex", [(audio, text), ...], clean=rec.inner.clean)
    rec = create_recognizer("en-US", grammar=grammar, voice_profile=profile.transform)   # decodes with it
    adapter = SessionAdapter(rec)       # or learn as the user talks: adapter.observe(audio, transcript) a turn

A global MLLR mean transform (one 39x39 affine map of the Gaussian means, per feature stream) is
estimated the way CMU Sphinx does it: features by `sphinx_fe` with the model's own front-end settings,
state statistics by sphinxtrain's `bw` over the known transcripts, the transform by `mllr_solve`.
pocketsphinx applies it at load time (its `mllr` setting). These are Debian's `sphinxtrain`,
`sphinxbase-utils` and `pocketsphinx` packages; the wheel's model ships its mixture weights only in
pocketsphinx's 8-bit `sendump` form, so they are turned back into the `mixture_weights` file `bw`
reads, once, into a cache.

A transform adapts to the channel too (noise, reverb, a telephone band it was trained through), and it
is one speaker's own: another speaker is heard worse with it, so a profile is chosen per user.
bench/asr_voice_training.py measures it; docs/RECOGNITION.md has the figures.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import wave
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from platformdirs import user_data_path

from speech.asr.base import LearnsVoice, Transcript
from speech.audio import RATE, Audio
from speech.errors import EngineError
from speech.grammar import Grammar, normalise

__all__ = [
    "VoiceProfile", "training_sentences", "train_voice", "load_profile", "list_profiles", "profiles_dir",
    "check_tools", "sendump_to_mixture_weights", "SessionAdapter", "valid_name",
]

SPHINXTRAIN = Path("/usr/lib/sphinxtrain")
TOOLS = {
    "sphinx_fe": "sphinxbase-utils",
    "pocketsphinx_mdef_convert": "pocketsphinx",
    str(SPHINXTRAIN / "bw"): "sphinxtrain",
    str(SPHINXTRAIN / "mllr_solve"): "sphinxtrain",
}
"""The programs training needs, and the Debian package of each."""
FRONT_END = ["-lowerf", "130", "-upperf", "6800", "-nfilt", "25", "-transform", "dct", "-lifter", "22",
             "-remove_noise", "yes", "-remove_silence", "no", "-dither", "no", "-nfft", "512"]
"""sphinx_fe settings of the bundled en-us model (its feat.params), so the features are the decoder's."""
MIN_SENTENCES = 3
DEFAULT_SENTENCES = 25
"""As many as Alexa's own voice training asked for; 5 already give most of the gain (see the module doc)."""


@dataclass(frozen=True)
class VoiceProfile:
    """A trained voice: a directory holding `mllr_matrix` and `profile.json`."""

    name: str
    path: Path
    sentences: int
    speech_seconds: float
    created: str

    @property
    def transform(self) -> Path:
        return self.path / "mllr_matrix"


def profiles_dir(base: Path | None = None) -> Path:
    """Where voice profiles live: `base`, else $XDG_DATA_HOME/voiceshop/voices (`voiceshop` passes
    $VOICESHOP_VOICES down as `base`)."""
    if base is not None:
        return base
    return user_data_path("voiceshop") / "voices"


def valid_name(name: str) -> str:
    """`name` when it can name a voice (a directory of its own), else EngineError."""
    if not name or not all(c.isalnum() or c in "-_." for c in name) or name.startswith("."):
        raise EngineError(f"a voice name is letters, digits, '-', '_' or '.', not {name!r}")
    return name


def load_profile(name: str, base: Path | None = None) -> VoiceProfile:
    path = profiles_dir(base) / valid_name(name)
    meta = path / "profile.json"
    if not meta.is_file() or not (path / "mllr_matrix").is_file():
        raise EngineError(f"no trained voice {name!r} in {profiles_dir(base)}: run `voiceshop voice train {name}`")
    info = json.loads(meta.read_text(encoding="utf-8"))
    return VoiceProfile(name, path, int(info["sentences"]), float(info["speech_seconds"]), str(info["created"]))


def list_profiles(base: Path | None = None) -> list[VoiceProfile]:
    root = profiles_dir(base)
    out = []
    for d in sorted(root.iterdir()) if root.is_dir() else []:
        try:
            out.append(load_profile(d.name, base))
        except (EngineError, ValueError, KeyError):
            continue
    return out


def check_tools() -> None:
    """EngineError naming the Debian packages to install when a training program is missing."""
    missing = sorted({pkg for tool, pkg in TOOLS.items() if not (shutil.which(tool) or os.access(tool, os.X_OK))})
    if missing:
        raise EngineError(f"voice training needs Debian's {', '.join(missing)}: sudo apt-get install {' '.join(missing)}")


def training_sentences(grammar: Grammar, n: int = DEFAULT_SENTENCES, *, seed: int = 3,
                       avoid: Iterable[str] = ()) -> list[str]:
    """`n` sentences of the grammar to read: 4 to 10 words, every word in the pronunciation dictionary,
    none of `avoid` (test sentences) nor a sentence containing one of 3 words or more."""
    import random

    from speech.asr.sphinx_engine import _pronunciations

    prons = _pronunciations()
    avoided = {normalise(a) for a in avoid}
    pool = [p for p in grammar.phrases if p not in avoided and 4 <= len(p.split()) <= 10
            and all(w in prons for w in p.split())
            and not any(len(a.split()) >= 3 and a in p for a in avoided)]
    if len(pool) < n:
        raise EngineError(f"the grammar has only {len(pool)} sentences to train with, {n} asked for")
    return random.Random(seed).sample(pool, n)


def sendump_to_mixture_weights(sendump: Path, out: Path) -> tuple[int, int, int]:
    """pocketsphinx's `sendump` (per stream and density, one byte per senone: the weight's -log in
    1.0001 base, shifted) back to the Sphinx-3 `mixture_weights` file sphinxtrain reads. Returns the
    shape (senones, streams, densities)."""
    with sendump.open("rb") as f:
        def string() -> str | None:
            (n,) = struct.unpack("<I", f.read(4))
            if n > 65536:
                raise EngineError(f"{sendump}: not a sendump file")
            return f.read(n)[:-1].decode() if n else None

        string()  # title
        header: dict[str, str] = {}
        while (h := string()) is not None:
            parts = h.split()
            if len(parts) == 2:
                header[parts[0]] = parts[1]
        if int(header.get("cluster_count", 0)) != 0:
            raise EngineError(f"{sendump}: clustered weights are not supported")
        shift = int(header.get("mixw_shift", 10))
        streams = int(header.get("feature_count", 1))
        densities, senones = struct.unpack("<II", f.read(8))
        data = np.frombuffer(f.read(streams * densities * senones), dtype=np.uint8)
    if data.size != streams * densities * senones:
        raise EngineError(f"{sendump}: truncated")
    weights = np.power(1.0001, -(data.reshape(streams, densities, senones).astype(np.float64) * (1 << shift)))
    weights = weights.transpose(2, 0, 1)
    weights /= weights.sum(axis=2, keepdims=True)
    values = weights.astype("<f4")
    dims = [senones, streams, densities, values.size]
    with out.open("wb") as g:
        g.write(b"s3\nversion 1.0\nchksum0 yes\n")
        pad = (g.tell() + len(b"endhdr\n")) & 3  # the data after the byte-order word is 4-byte aligned
        g.write((b" " * (4 - pad) if pad else b"") + b"endhdr\n")
        g.write(struct.pack("<i", 0x11223344))
        g.write(struct.pack("<4I", *dims))
        g.write(values.tobytes())
        check = 0  # Sphinx's checksum over the 32-bit words after the header: rotate left 20, add
        for word in [*dims, *values.ravel().view("<u4").tolist()]:
            check = (((check << 20) | (check >> 12)) + word) & 0xFFFFFFFF
        g.write(struct.pack("<I", check))
    return senones, streams, densities


def _training_model(model: Path, cache: Path) -> Path:
    """The bundled model's files as `bw` needs them (text mdef, mixture_weights), made once."""
    stamp = f"{model.resolve()}:{(model / 'sendump').stat().st_mtime_ns}:{(model / 'mdef').stat().st_size}"
    ready = cache / "model.stamp"
    if ready.is_file() and ready.read_text(encoding="utf-8") == stamp:
        return cache
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp_name:  # made aside, moved in: another process may read
        tmp = Path(tmp_name)
        _run(["pocketsphinx_mdef_convert", "-text", str(model / "mdef"), str(tmp / "mdef.txt")], tmp / "mdef.log")
        sendump_to_mixture_weights(model / "sendump", tmp / "mixture_weights")
        for name in ("mdef.txt", "mixture_weights"):
            os.replace(tmp / name, cache / name)
        (tmp / "stamp").write_text(stamp, encoding="utf-8")
        os.replace(tmp / "stamp", ready)
    return cache


def _run(cmd: list[str], log: Path) -> None:
    with log.open("w", encoding="utf-8") as f:
        done = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        raise EngineError(f"{Path(cmd[0]).name} failed ({done.returncode}): {' / '.join(tail) or 'no output'}")


def _write_wav(path: Path, audio: Audio) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(audio.samples.astype("<i2").tobytes())


def train_voice(
    name: str,
    recordings: Sequence[tuple[Audio, str]],
    *,
    clean: Callable[[Audio], Audio] | None = None,
    base: Path | None = None,
    cache: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> VoiceProfile:
    """Estimate the speaker's MLLR transform from `recordings` (16 kHz audio, what was read) and save
    it as profile `name`. `clean` is the recogniser's own audio cleaning (the transform is learnt on
    what the decoder hears). Replaces an existing profile of that name only once training succeeded."""
    from speech.asr.sphinx_engine import _model_dir, pronunciations

    valid_name(name)
    if len(recordings) < MIN_SENTENCES:
        raise EngineError(f"voice training needs at least {MIN_SENTENCES} sentences, got {len(recordings)}")
    check_tools()
    say = progress or (lambda _m: None)
    model = _model_dir() / "en-us"
    trained = _training_model(model, cache or Path(tempfile.gettempdir()) / "voiceshop-voice-training")
    started = time.perf_counter()
    root = profiles_dir(base)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{name}-", dir=root) as work_name:
        work = Path(work_name)
        for sub in ("wav", "feat", "acc"):
            (work / sub).mkdir()
        ids, words, seconds = [], set(), 0.0
        with (work / "transcripts").open("w", encoding="utf-8") as tr:
            for i, (audio, text) in enumerate(recordings):
                if audio.rate != RATE:
                    raise EngineError(f"training audio must be {RATE} Hz, sentence {i + 1} is {audio.rate} Hz")
                said = normalise(text)
                if not said:
                    raise EngineError(f"sentence {i + 1} has no words")
                heard = clean(audio) if clean is not None else audio
                uid = f"s{i:03d}"
                _write_wav(work / "wav" / f"{uid}.wav", heard)
                tr.write(f"<s> {said} </s> ({uid})\n")
                ids.append(uid)
                words.update(said.split())
                seconds += audio.seconds
        lexicon = []
        sounds = pronunciations(sorted(words))  # as the recogniser says them (a session turn may hold 'basmati')
        for w in sorted(words):
            pron = sounds.get(w)
            if pron is None:
                raise EngineError(f"no pronunciation for {w!r}: leave that sentence out")
            lexicon.append(f"{w} {pron}")
        (work / "dict").write_text("\n".join(lexicon) + "\n", encoding="utf-8")
        (work / "fileids").write_text("\n".join(ids) + "\n", encoding="utf-8")
        say(f"features of {len(ids)} sentences ({seconds:.0f} s of speech)")
        _run(["sphinx_fe", *FRONT_END, "-samprate", str(RATE), "-c", str(work / "fileids"), "-di", str(work / "wav"),
              "-do", str(work / "feat"), "-ei", "wav", "-eo", "mfc", "-mswav", "yes"], work / "fe.log")
        say("aligning the sentences (bw)")
        _run([str(SPHINXTRAIN / "bw"), "-meanfn", str(model / "means"), "-varfn", str(model / "variances"),
              "-mixwfn", str(trained / "mixture_weights"), "-tmatfn", str(model / "transition_matrices"),
              "-moddeffn", str(trained / "mdef.txt"), "-ts2cbfn", ".ptm.", "-feat", "1s_c_d_dd",
              "-svspec", "0-12/13-25/26-38", "-cmn", "batch", "-agc", "none", "-varnorm", "no",
              "-dictfn", str(work / "dict"), "-fdictfn", str(model / "noisedict"), "-ctlfn", str(work / "fileids"),
              "-lsnfn", str(work / "transcripts"), "-cepdir", str(work / "feat"), "-cepext", "mfc",
              "-accumdir", str(work / "acc")], work / "bw.log")
        say("estimating the transform (mllr_solve)")
        _run([str(SPHINXTRAIN / "mllr_solve"), "-meanfn", str(model / "means"), "-varfn", str(model / "variances"),
              "-outmllrfn", str(work / "mllr_matrix"), "-accumdir", str(work / "acc")], work / "mllr.log")
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        (work / "profile.json").write_text(json.dumps({
            "name": name, "sentences": len(ids), "speech_seconds": round(seconds, 1), "created": created,
            "training_seconds": round(time.perf_counter() - started, 2),
        }, indent=2) + "\n", encoding="utf-8")
        final = root / name
        keep = work / "keep"
        keep.mkdir()
        for f in ("mllr_matrix", "profile.json"):
            (work / f).rename(keep / f)
        old = root / f".{name}.old"
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
        keep.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    return load_profile(name, base)


FIRST_TURNS = 4
"""Exactly-heard turns before a session's first transform, and between retrainings: a shopping session
is short and few of its turns are heard exactly, so learning starts early."""


class SessionAdapter:
    """Adapts a recogniser to whoever is talking, from the session's own turns (unsupervised MLLR).

    A turn counts when the engine heard exactly a sentence the grammar can say (not snapped, not let
    through by the NLU): what it heard is then taken as what was said. After `first` such turns, and
    again every `every` more, the transform is trained on the last `keep` of them and the recogniser
    reloaded with it (training takes a second or two, while the answer is being spoken). In noise and
    reverb, turns heard wrong but taken as said can pull the transform the wrong way.
    """

    def __init__(self, recognizer: LearnsVoice, *, first: int = FIRST_TURNS, every: int = FIRST_TURNS, keep: int = 40,
                 work: Path | None = None, grammar: Grammar | None = None) -> None:
        check_tools()
        self.recognizer = recognizer
        """What learns the voice: a turn is cleaned as it decodes it, and it is adapted to each transform."""
        self.first, self.every, self.keep = first, every, keep
        self.turns: list[tuple[Audio, str]] = []
        self.trained_on = 0
        """How many turns the transform in use was trained on (0: none yet)."""
        self._since = 0
        self._work = tempfile.TemporaryDirectory(prefix="voiceshop-adapt-") if work is None else None
        self.work = work or Path(self._work.name)  # type: ignore[union-attr]
        self._clean: Callable[[Audio], Audio] = recognizer.clean
        if grammar is None:
            from speech.asr import SnappingRecognizer

            grammar = recognizer.grammar if isinstance(recognizer, SnappingRecognizer) else None
        self._grammar = grammar
        """Only a turn heard as a sentence of it, unrewritten, is learnt from (None: no turn is)."""

    def observe(self, audio: Audio, heard: Transcript) -> bool:
        """Take one turn (its audio and the `Transcript`); True when the recogniser was adapted now."""
        text = heard.text or ""
        raw = heard.raw
        if not text or text != raw or self._grammar is None or not self._grammar.accepts(text):
            return False
        self.turns = [*self.turns, (audio, text)][-self.keep :]
        self._since += 1
        due = self.first if self.trained_on == 0 else self.every
        if self._since < due:
            return False
        profile = train_voice("session", self.turns, clean=self._clean, base=self.work)
        self.recognizer.adapt(profile.transform)
        self.trained_on, self._since = len(self.turns), 0
        return True

    def save_voice(self, name: str, base: Path | None = None) -> VoiceProfile:
        """Save what the session learnt as trained voice `name` (as `voiceshop voice train` would, from the
        turns heard exactly), so that another session decodes with it from its first turn. EngineError
        when fewer turns than a first transform needs were heard exactly."""
        valid_name(name)
        need = max(self.first, MIN_SENTENCES)
        if len(self.turns) < need:
            raise EngineError(f"too few turns were heard clearly to keep the voice ({len(self.turns)}; {need} needed)")
        return train_voice(name, self.turns, clean=self._clean, base=base)

    def close(self) -> None:
        if self._work is not None:
            self._work.cleanup()
