"""pocketsphinx recognition (US English): the interaction model as a domain language model or a JSGF
grammar, or open vocabulary.

'pocketsphinx' uses the domain bigram and 'pocketsphinx-jsgf' the JSGF: the JSGF of the whole model
often ends in no sentence at all (the finite-state search finds no complete path once the grammar has a
product rule of a thousand values), which a bigram never does. Both are snapped to the grammar afterwards."""

from __future__ import annotations

import logging
import os
import statistics
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from speech.asr.base import Transcript, chunks
from speech.asr.frontend import REVERB_DECAY_DB, decay_db, denoise, dereverberate, noise_floor, room_rt60
from speech.audio import RATE, Audio
from speech.errors import EngineError

__all__ = ["PocketSphinxRecognizer", "Pronouncer", "sphinx_dictionary", "spell", "phones", "espeak_pronunciations",
           "ipa_to_arpabet", "pronunciations"]

log = logging.getLogger(__name__)

FLOOR_DB = 30.0
"""Default noise floor under the clip's level (dB); None turns it off."""


def _model_dir() -> Path:
    try:
        import pocketsphinx
    except ImportError as exc:
        raise EngineError("the pocketsphinx engine needs the 'pocketsphinx' package") from exc
    return Path(pocketsphinx.get_model_path()) / "en-us"


@lru_cache(maxsize=1)
def sphinx_dictionary() -> frozenset[str]:
    """The words of the bundled US-English pronunciation dictionary (alternates like 'read(2)' folded)."""
    path = _model_dir() / "cmudict-en-us.dict"
    words = set()
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            head = line.split(" ", 1)[0]
            words.add(head.split("(", 1)[0])
    return frozenset(words)


@lru_cache(maxsize=1)
def _pronunciations() -> dict[str, str]:
    path = _model_dir() / "cmudict-en-us.dict"
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            head, _, phones = line.strip().partition(" ")
            if "(" not in head and phones:
                out[head] = phones.split("#")[0].strip()
    return out


def spell(word: str) -> str | None:
    """A pronunciation for a word the dictionary lacks, built from words it has: compounds
    ('almondmilk' = almond + milk), possessives ('smucker's' = smucker + Z), plurals ('eggos' = eggo + Z).
    None when no such split exists (the word is then dropped from the grammar and reported)."""
    prons = _pronunciations()
    if word in prons:
        return prons[word]
    for suffix, phone in (("'s", "Z"), ("s", "Z"), ("es", "IH Z")):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and base in prons:
            return f"{prons[base]} {phone}"
    for i in range(3, len(word) - 2):  # two known words of at least three letters each
        a, b = word[:i], word[i:]
        if a in prons and b in prons:
            return f"{prons[a]} {prons[b]}"
    return None


IPA_TO_ARPABET = {
    # espeak-ng's US-English IPA -> CMUdict's phones; longest symbols are matched first
    "aɪ": "AY", "aʊ": "AW", "eɪ": "EY", "oʊ": "OW", "ɔɪ": "OY", "tʃ": "CH", "dʒ": "JH",
    "ɑː": "AA", "ɑ": "AA", "ɒ": "AA", "æ": "AE", "a": "AE", "ʌ": "AH", "ə": "AH", "ɐ": "AH",
    "ɛ": "EH", "e": "EH", "ɪ": "IH", "ᵻ": "IH", "iː": "IY", "i": "IY", "ɔː": "AO", "ɔ": "AO",
    "ʊ": "UH", "uː": "UW", "u": "UW", "o": "OW", "ɜː": "ER", "ɜ": "ER", "ɚ": "ER", "ɝ": "ER",
    "p": "P", "b": "B", "t": "T", "d": "D", "k": "K", "ɡ": "G", "g": "G", "f": "F", "v": "V",
    "θ": "TH", "ð": "DH", "s": "S", "z": "Z", "ʃ": "SH", "ʒ": "ZH", "h": "HH", "m": "M", "n": "N",
    "ŋ": "NG", "l": "L", "ɹ": "R", "r": "R", "w": "W", "ʍ": "W", "j": "Y", "ɾ": "T", "ʔ": "T", "x": "K",
}
_IPA_IGNORED = set("ˈˌː.‿-' \u0329\u030d")  # stress, length left over, syllable marks, syllabic diacritics


def ipa_to_arpabet(ipa: str) -> str | None:
    """espeak-ng's IPA for a US-English word as ARPAbet phones (an 'r' after an r-coloured vowel and
    doubled phones merged); None when a symbol has no ARPAbet phone."""
    out: list[str] = []
    i = 0
    while i < len(ipa):
        if ipa[i] in _IPA_IGNORED:
            i += 1
            continue
        for size in (2, 1):
            phone = IPA_TO_ARPABET.get(ipa[i : i + size])
            if phone is not None:
                break
        else:
            return None
        if not out or (out[-1] != phone and not (phone == "R" and out[-1] == "ER")):
            out.append(phone)
        i += size
    return " ".join(out) or None


def espeak_pronunciations(words: list[str], voice: str = "en-us") -> dict[str, str]:
    """Pronunciations from espeak-ng's letter-to-sound rules for words neither the dictionary has nor
    `spell` can build (brand and product names: 'basmati', 'barilla', 'unsalted'); {} when espeak-ng
    is not installed. One espeak-ng run for all of them, a word a line."""
    asked = tuple(w for w in dict.fromkeys(words) if w.strip())
    return dict(_espeak_run(asked, voice)) if asked else {}


@lru_cache(maxsize=32)
def _espeak_run(words: tuple[str, ...], voice: str) -> tuple[tuple[str, str], ...]:
    """(word, ARPAbet) for the words espeak-ng says in one run; the same words give the same answer, so
    a recogniser made again for the same grammar does not run espeak-ng again."""
    import shutil
    import subprocess

    if shutil.which("espeak-ng") is None:
        return ()
    try:
        run = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", voice], input="\n".join(words) + "\n",
                             capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("espeak-ng could not give pronunciations: %s", exc)
        return ()
    lines = [line.strip() for line in run.stdout.splitlines() if line.strip()]
    if len(lines) != len(words):  # a word split over lines: no way to tell which is which
        log.warning("espeak-ng gave %d lines for %d words; no pronunciations taken", len(lines), len(words))
        return ()
    return tuple((word, arpabet) for word, ipa in zip(words, lines, strict=True)
                 if (arpabet := ipa_to_arpabet(ipa)) is not None)


def pronunciations(words: Iterable[str]) -> dict[str, str]:
    """Each word's ARPAbet phones: the dictionary's, else built from its words (`spell`), else what
    espeak-ng's rules say (one run for all of those); a word none of them gives is left out. What the
    recogniser's dictionary and the voice-training lexicon are made of."""
    out = {w: p for w in words if (p := spell(w)) is not None}
    out.update(espeak_pronunciations([w for w in words if w not in out]))
    return out


def phones(text: str, extra: dict[str, str] | None = None) -> str:
    """The sound of a sentence as one string of ARPAbet phones: the dictionary's or `spell`'s, else
    `extra`'s (the recogniser's own pronunciations), else the word kept as letters."""
    said = extra or {}
    return " ".join(spell(w) or said.get(w) or w for w in text.split())  # spell() looks the dictionary up first


class Pronouncer:
    """`phones` with one recogniser's pronunciations: what its snapping compares sentences by."""

    def __init__(self, extra: dict[str, str] | None = None) -> None:
        self.extra = dict(extra or {})

    def __call__(self, text: str) -> str:
        return phones(text, self.extra)


class PocketSphinxRecognizer:
    """With `jsgf`, only sentences of that grammar can come out; without, the bundled 3-gram LM (open)."""

    def __init__(self, jsgf: str | None = None, extra_words: dict[str, str] | None = None,
                 arpa: str | None = None, denoise: bool = True, params: dict[str, Any] | None = None,
                 nbest: int = 0, prime_cmn: bool = True, floor_db: float | None = FLOOR_DB,
                 dereverberate: bool = True, carry_cmn: bool = True, missing: list[str] | None = None) -> None:
        self.denoise = denoise
        """Steady noise taken out before decoding (see `speech.asr.frontend.denoise`)."""
        self.dereverberate = dereverberate
        """Late-reverberation suppression on clips that decay as in a room (with `denoise` only)."""
        self.params = dict(params or {})
        """Decoder settings on top of the defaults (e.g. {'lw': 6.5, 'wip': 0.65}); pocketsphinx's own option names.
        {'topn': 8} hears degraded speech better but decodes much slower, so it is not the default."""
        self.floor_db = floor_db
        """A noise floor this many dB under the clip's level, added first (see `speech.asr.frontend.noise_floor`)."""
        self.prime_cmn = prime_cmn
        """Estimate the cepstral mean from the whole clip before decoding it (see `_prime_cmn`); with
        `carry_cmn`, for a session's first utterance only."""
        self.carry_cmn = carry_cmn
        """Carry the cepstral mean from one utterance to the next, as one speaker in one room talks on:
        each utterance starts from the session's estimate so far and updates it (pocketsphinx's live
        normalisation). A short command's own mean is mostly the command ('help' normalised by 'help'),
        so after the first utterance the session's mean serves better. `new_session` forgets it
        (another speaker, another room)."""
        self._cmn: str | None = None
        """The session's cepstral mean after its last utterance (None: nothing heard yet)."""
        self._decays: list[float] = []
        """`decay_db` of the session's reverberant clips so far: the room is estimated from their median."""
        self._cmn_init: str | None = None
        """The model's initial cepstral mean (feat.params), read when the decoder loads."""
        self.nbest = nbest
        """How many other hypotheses to return as `Transcript.alternatives` (0: none, no lattice search)."""
        self.jsgf = jsgf
        self.arpa = arpa
        """A domain language model (ARPA text) built from the grammar's phrases, used instead of the JSGF."""
        self.extra_words = extra_words or {}
        """Words added to the dictionary before the grammar loads (word -> ARPAbet phones)."""
        self.engine = "pocketsphinx-jsgf" if jsgf else "pocketsphinx" if arpa else "pocketsphinx-open"
        self._decoder: Any = None
        self._search: str | None = None
        """The search the next utterance is decoded with (None: the one the recogniser was made with)."""
        self._searches: set[str] = set()
        self.missing: list[str] = list(missing or [])
        """Grammar words the dictionary lacks and nothing could pronounce (dropped from the grammar)."""
        self.spelled: list[str] = sorted(self.extra_words)
        """Words added to the dictionary: grammar words it lacks, built from known words (`spell`), else
        from espeak-ng's letter-to-sound rules (`espeak_pronunciations`)."""

    def missing_words(self, words: set[str] | list[str]) -> list[str]:
        vocab = sphinx_dictionary()
        return sorted({w for w in words if w not in vocab})

    def _load(self) -> Any:
        if self._decoder is None:
            from pocketsphinx import Decoder

            model = _model_dir()
            kwargs: dict[str, Any] = {
                "hmm": str(model / "en-us"),
                "dict": str(model / "cmudict-en-us.dict"),
                "samprate": RATE,
                "logfn": os.devnull,
            }
            kwargs.update(self.params)
            if self.arpa is not None:
                import tempfile

                with tempfile.NamedTemporaryFile("w", suffix=".arpa", delete=False, encoding="utf-8") as f:
                    f.write(self.arpa)
                kwargs["lm"] = f.name
            elif self.jsgf is None:
                kwargs["lm"] = str(model / "en-us.lm.bin")
            else:
                kwargs["lm"] = None
            # Optional silence/filler words between grammar words make the FSG search lose its way on
            # synthetic speech (FSG searches only: the JSGF of `jsgf` or of `use_search`).
            kwargs["fsgusefiller"] = False
            try:
                dec = Decoder(**kwargs)
                # the search learns the words once, with the last (update=True): with none it knows
                # them, the language model leaves them out and nothing with them can be heard
                extra = list(self.extra_words.items())
                for n, (word, phones) in enumerate(extra):
                    dec.add_word(word, phones, n == len(extra) - 1)
                if self.jsgf is not None:
                    dec.add_jsgf_string("grammar", self.jsgf)
                    dec.activate_search("grammar")
            except (ValueError, RuntimeError) as exc:
                raise EngineError(f"pocketsphinx could not load: {exc}") from exc
            finally:
                if self.arpa is not None:
                    os.unlink(kwargs["lm"])
            self._decoder = dec
            if self._cmn_init is None:
                self._cmn_init = dec.get_cmn(False)
        return self._decoder

    @property
    def room(self) -> float | None:
        """The session's room as estimated so far: the RT60 (seconds) of the median decay of the
        reverberant clips heard (None until one is heard). The last of them was dereverberated with
        it; `clean` gives the next one the median with its own decay counted in."""
        return room_rt60(statistics.median(self._decays)) if self._decays else None

    def new_session(self) -> None:
        """Another speaker or room from now on: the next utterance is heard exactly as by a new decoder.
        The front end is made afresh (`reinit_feat`, cheap): pocketsphinx's noise estimate
        (`remove_noise`) otherwise carries from the last session's room, so a certification case or a
        benchmark session would be heard a little differently after different audio. The cepstral mean
        goes back to the model's initial one, and the next utterance is normalised by its own, as a
        session's first is."""
        self._cmn = None
        self._decays = []
        if self._decoder is not None:
            self._decoder.reinit_feat()
            if self._cmn_init is not None:
                self._decoder.set_cmn(self._cmn_init)

    def adapt(self, transform: Path | None) -> None:
        """Decode from now on with a speaker's MLLR transform (None: without one). pocketsphinx applies a
        transform when it loads, so the decoder is loaded again now (its extra searches are gone)."""
        if transform is None:
            self.params.pop("mllr", None)
        else:
            self.params["mllr"] = str(transform)
        self._decoder = None
        self._search = None
        self._searches.clear()
        self._load()

    def use_search(self, name: str | None, *, jsgf: str | None = None, arpa: str | None = None) -> None:
        """Decode the next utterances with search `name`, made from `jsgf` or `arpa` the first time it is
        named (one decoder holds them all: switching costs nothing); None goes back to the recogniser's own."""
        dec = self._load()
        if name is None:
            if self._search is not None:
                dec.activate_search("grammar" if self.jsgf is not None else None)
                self._search = None
            return
        if name == self._search:
            return
        if name not in self._searches:
            if jsgf is None and arpa is None:
                raise EngineError(f"no search {name!r} and nothing to make it from")
            self._add_search(dec, name, jsgf, arpa)
            self._searches.add(name)
        dec.activate_search(name)
        self._search = name

    @staticmethod
    def _add_search(dec: Any, name: str, jsgf: str | None, arpa: str | None) -> None:
        try:
            if jsgf is not None:
                dec.add_jsgf_string(name, jsgf)
                return
            import tempfile

            with tempfile.NamedTemporaryFile("w", suffix=".arpa", delete=False, encoding="utf-8") as f:
                f.write(arpa or "")
            try:
                dec.add_lm_file(name, f.name)
            finally:
                os.unlink(f.name)
        except (ValueError, RuntimeError) as exc:
            raise EngineError(f"pocketsphinx could not load search {name!r}: {exc}") from exc

    @staticmethod
    def _prime_cmn(dec: Any, audio: Audio) -> None:
        """Set the decoder's cepstral mean to this clip's own, from a feature pass without search.

        Live normalisation starts from the mean of the last utterance and catches up over seconds: a
        short command after different audio (another voice, a telephone line, a noisy room) is half over
        before its features are normalised."""
        dec.start_utt()
        dec.process_raw(audio.pcm(), no_search=True, full_utt=True)
        cmn = dec.get_cmn(True)
        dec.end_utt()
        dec.set_cmn(cmn)

    def clean(self, audio: Audio, *, observe: bool = False) -> Audio:
        """The clip as it is decoded (`speech.asr.frontend`): a noise floor, noise suppression, and
        late-reverberation suppression when what is left still decays as in a room.

        The room's reverberation time is estimated from the session's reverberant clips (`room_rt60`
        of their median decay; with `observe`, this clip joins them: a clip being heard, not one
        cleaned again for training)."""
        heard = noise_floor(audio, self.floor_db) if self.floor_db is not None else audio
        if not self.denoise:
            return heard
        cleaned = denoise(heard)
        decay = decay_db(cleaned) if self.dereverberate else float("-inf")
        if decay > REVERB_DECAY_DB:
            decays = [*self._decays, decay]
            if observe:
                self._decays = decays
            # suppress the room on the clip as it came, then floor and denoise it as any other
            dry = dereverberate(audio, rt60=room_rt60(statistics.median(decays)))
            heard = noise_floor(dry, self.floor_db) if self.floor_db is not None else dry
            cleaned = denoise(heard)
        return cleaned

    def recognize(self, audio: Audio, on_partial: Callable[[str], None] | None = None) -> Transcript:
        if audio.rate != RATE:
            raise EngineError(f"pocketsphinx is fed {RATE} Hz audio, got {audio.rate} Hz")
        dec = self._load()
        start = time.perf_counter()
        audio = self.clean(audio, observe=True)
        partials: list[str] = []
        carried = self.carry_cmn and self._cmn is not None
        if carried:
            dec.set_cmn(self._cmn)  # as it was after the last utterance (a reloaded decoder starts afresh)
        whole = self.prime_cmn and on_partial is None and not carried
        if self.prime_cmn and not whole and not carried:
            self._prime_cmn(dec, audio)
        dec.start_utt()
        # Without partials to report, the clip goes in as one block marked whole: pocketsphinx then
        # normalises it by its own cepstral mean in the same pass (priming costs a second search).
        for chunk in [audio.pcm()] if whole else chunks(audio):
            if whole:
                dec.process_raw(chunk, no_search=False, full_utt=True)
                continue
            dec.process_raw(chunk, no_search=False, full_utt=False)
            if on_partial is not None:  # a partial hypothesis costs a search: only when asked for
                hyp = dec.hyp()
                if hyp is not None and hyp.hypstr and (not partials or partials[-1] != hyp.hypstr):
                    partials.append(hyp.hypstr)
                    on_partial(hyp.hypstr)
        last = time.perf_counter()  # with `whole`, the clip was decoded after it ended: all of it counts
        dec.end_utt()
        if self.carry_cmn:
            self._cmn = dec.get_cmn(False)
        hyp = dec.hyp()
        end = time.perf_counter()
        text = " ".join((hyp.hypstr if hyp is not None else "").split()).lower()
        alternatives: list[str] = []
        if self.nbest and hyp is not None:
            try:
                for n, alt in enumerate(dec.nbest()):
                    if n >= 4 * self.nbest or len(alternatives) >= self.nbest:
                        break
                    if alt is None or not alt.hypstr:
                        continue
                    words = " ".join(w for w in alt.hypstr.split() if not w.startswith(("<", "[", "++"))).lower()
                    if words and words != text and words not in alternatives:
                        alternatives.append(words)
            except (RuntimeError, ValueError):  # no lattice for this utterance
                pass
            end = time.perf_counter()
        # The sentence's posterior from the lattice, already a probability (pocketsphinx 5 converts it
        # from its log base); 0 where the search gives none (an FSG grammar)
        confidence = min(1.0, max(0.0, float(hyp.prob))) if hyp is not None and text else 0.0
        return Transcript(
            text=text, confidence=confidence, engine=self.engine, seconds=end - start,
            partials=partials, raw=text, finalise_seconds=end - (start if whole else last), alternatives=alternatives,
        )
