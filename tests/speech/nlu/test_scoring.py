"""The factors of a match's score (`speech.nlu.scoring`), each on its own and as `resolve` records them."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from speech.nlu import scoring
from speech.nlu.align import Alignment
from speech.nlu.builtin_types import Span
from speech.nlu.compiler import CompiledNLU
from speech.nlu.scoring import Analysis

REF = datetime(2026, 11, 27, 21, 0)


def _analysis(words: list[str], unknown: dict[int, str] | None = None, spans: list[Span] | None = None) -> Analysis:
    return Analysis(words, list(words), spans or [], [], {}, unknown or {})


def test_confidence_is_half_at_the_threshold_and_full_from_the_confident_score() -> None:
    assert scoring.confidence(0.5, 0.5, exact=False) == pytest.approx(0.5)
    assert scoring.confidence(scoring.CONFIDENT_SCORE, 0.5, exact=False) == pytest.approx(1.0)
    assert scoring.confidence(0.25, 0.5, exact=False) == pytest.approx(0.25)
    assert scoring.confidence(0.3, 0.5, exact=True) == scoring.EXACT_CONFIDENCE


def test_needed_confidence_is_lower_while_a_slot_is_elicited() -> None:
    assert scoring.needed_confidence(eliciting=True) < scoring.needed_confidence(eliciting=False)


def test_known_words_counts_taken_words_half_and_unknown_words_not_at_all() -> None:
    a = _analysis(["add", "sriracha", "sauce"], unknown={1: "sriracha", 2: "sauce"})
    nothing_taken = Alignment(0.0, {})
    one_taken = Alignment(0.0, {"product": Span(1, 2, "TEXT", "sriracha")})
    base = scoring.KNOWN_BASE
    assert scoring.known_words(a, nothing_taken) == pytest.approx(base + (1 - base) / 3)
    assert scoring.known_words(a, one_taken) == pytest.approx(base + (1 - base) * 1.5 / 3)


def test_evidence_rises_from_its_base_to_one() -> None:
    assert scoring.evidence(Alignment(0.0, {}, evidence=0.0)) == scoring.EVIDENCE_BASE
    assert scoring.evidence(Alignment(0.0, {}, evidence=scoring.EVIDENCE_FULL * 2)) == 1.0


def test_phrase_cover_only_judges_matches_to_a_built_in_phrase() -> None:
    a = _analysis(["sounds", "good", "blue", "cheese"])
    covers_half = Alignment(1.0, {}, covered=frozenset({0, 1}))
    assert scoring.phrase_cover(a, covers_half, None) == 1.0
    half = scoring.PHRASE_COVER_BASE + (1 - scoring.PHRASE_COVER_BASE) * 0.5
    assert scoring.phrase_cover(a, covers_half, frozenset({"sounds", "good"})) == pytest.approx(half)


def test_explained_multiplies_its_parts_with_a_stray_value_share_each() -> None:
    assert scoring.explained(1.0, 1.0, 0) == 1.0
    assert scoring.explained(0.5, 0.8, 2) == pytest.approx(0.5 * 0.8 * scoring.STRAY_VALUE**2)


def test_free_text_similarity_only_when_free_text_took_unknown_words() -> None:
    a = Analysis(["add", "sriracha"], ["add", "sriracha"], [], [], {"add": 1.0, "?sriracha": 1.0}, {1: "sriracha"})
    assert scoring.free_text_similarity(a, Alignment(0.0, {}), 1.0, 1.0) is None
    took = Alignment(0.0, {"product": Span(1, 2, "TEXT", "sriracha")})
    keep = scoring.ABSORBED_PENALTY**2
    assert scoring.free_text_similarity(a, took, 1.0, 1.0) == pytest.approx(1.0 / math.sqrt(1.0 + keep))


def test_resolve_records_every_factor_and_the_score_is_their_product(nlu: CompiledNLU) -> None:
    trace: list = []
    nlu.resolve("could you put a jar of the crunchy peanut butter in my basket", reference_time=REF, trace=trace)
    f = trace[0].factors
    assert {"similarity", "alignment_fit", "known_words", "evidence", "phrase_cover", "free_text_doubt",
            "stray_values", "explained"} <= set(f)
    similarity = f.get("similarity_free_text", f["similarity"])
    blended = scoring.blend(similarity, f["alignment_fit"])
    assert trace[0].score == pytest.approx(blended * f["known_words"] * f["evidence"] * f["explained"])
