"""How the NLU scores a match: each factor of an intent's score is a named function, its weight beside it.

An intent's score starts as the cosine `similarity` of the utterance to its best sample (recomputed as
`free_text_similarity` when a free-text slot took unknown words), is blended with `alignment_fit`, then
multiplied by `known_words`, `evidence` and `explained` (itself `phrase_cover` x `free_text_doubt` x
`stray_values`). Near-ties are ranked by `foreign_words`; `confidence` maps a score to 0..1 against the
model's fallback threshold. `SCORE_FACTORS` names them in that order (what `--explain` shows).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from speech.nlu.align import Alignment
from speech.nlu.builtin_types import Span
from speech.nlu.features import choose_spans
from speech.nlu.normalize import FUNCTION_WORDS, NEUTRAL_WORDS

__all__ = [
    "Analysis",
    "SCORE_FACTORS",
    "THRESHOLDS",
    "free_text_similarity",
    "alignment_fit",
    "blend",
    "known_words",
    "evidence",
    "phrase_cover",
    "free_text_doubt",
    "stray_values",
    "explained",
    "foreign_words",
    "confidence",
    "needed_confidence",
]

# -- deciding ---------------------------------------------------------------------------------------

THRESHOLDS = {"LOW": 0.465, "MEDIUM": 0.535, "HIGH": 0.605}
"""Fallback sensitivity -> the score an utterance needs to count as in-domain."""
CONFIDENT_SCORE = 0.85
"""A score at or above this is full confidence (see `confidence`)."""
EXACT_CONFIDENCE = 0.97
"""The least confidence of a match that aligns to a sample at no cost."""
NEEDED_CONFIDENCE = 0.5
"""The confidence an answer needs not to fall back."""
ELICIT_LENIENCY = 0.8
"""With `intents` given (a slot being elicited), the confidence needed is this share of the usual."""
FALLBACK_SAMPLE_MATCH = 0.8
"""The similarity to one of the model's own out-of-domain samples that makes an answer out of domain,
even while the dialog waits for a slot."""
BARE_VALUE_SCORE = 0.9
"""Confidence of an elicited answer that is just a known value ("the kombucha"), times the value's score."""
BARE_TEXT_CONFIDENCE = 0.6
"""Confidence of an elicited answer of a few unknown words for an open slot (a product the catalog lacks)."""

# -- ranking ----------------------------------------------------------------------------------------

RERANK_WINDOW = 0.25
"""Intents within this score of the best are re-ranked by alignment."""
RERANK_ALWAYS = 3
"""The best this many intents are re-ranked by alignment whatever their score."""
RERANK_MOST = 5
"""At most this many intents are re-ranked by alignment."""
TEMPLATES_PER_INTENT = 5
"""The samples of an intent, best by similarity first, that the utterance is aligned to."""
FOREIGN_TIE = 0.05
"""Matches within this score of the best are re-ranked by `foreign_words`."""
FOREIGN_WORD = 0.15
"""A match keeps 1 - FOREIGN_WORD * weight of its score for each word of other intents' samples it
leaves unexplained (weight: how much the word tells intents apart, 0..1)."""
FOREIGN_MIN_WEIGHT = 0.7
"""Only words this telling (in the samples of two or three intents at most) count as foreign."""

# -- the factors of a score -------------------------------------------------------------------------

UNKNOWN_WORD_WEIGHT = 0.75
"""Weight of an unknown word's unigram, relative to the rarest known word: it dilutes the match."""
ABSORBED_PENALTY = 0.4
"""An unknown word a free-text slot takes still weighs this much of an unknown word: it may be a
product the catalog lacks, or the sign of a request for something else entirely."""
ALIGN_WEIGHT = 0.5
"""Share of the alignment fit (1 - cost per word) in an intent's final score; the rest is the cosine."""
ALIGN_MIN_WORDS = 2.0
"""The alignment cost is spread over at least this many words (one-word answers are not all-or-nothing)."""
KNOWN_BASE = 0.3
"""An utterance of unknown content words keeps this share of its score (see `known_words`)."""
TAKEN_WORD = 0.5
"""How much a content word a free-text slot took counts as known."""
EVIDENCE_BASE = 0.6
EVIDENCE_FULL = 1.5
"""A match resting on less alignment evidence than EVIDENCE_FULL (see `align.Alignment.evidence`) keeps
between EVIDENCE_BASE and all of its score: generic words alone do not make a request."""
PHRASE_COVER_BASE = 0.5
"""A built-in phrase covering none of an utterance's content words keeps this share of its score."""
UNKNOWN_PHRASE_WORD = 0.5
"""How much a word the model does not know counts as said by a built-in phrase (it speaks for no other intent)."""
TEXT_DOUBT = 0.3
"""A match taking free text keeps 1 - TEXT_DOUBT * (its carrier cost, at most 1) of its score."""
STRAY_VALUE = 0.85
"""A match keeps this share of its score for each slot value in the utterance it does not take."""
AMBIGUOUS_VALUE_SCORE = 0.7
"""Match score of a catalog value that is also a carrier word of the samples (see `CompiledNLU._spans`)."""

SCORE_FACTORS = (
    "similarity",
    "similarity_free_text",
    "alignment_fit",
    "known_words",
    "evidence",
    "phrase_cover",
    "free_text_doubt",
    "stray_values",
    "explained",
    "foreign_words",
)
"""The factors of a match's score in the order they are applied (`_Scored.factors`, `--explain`):
`explained` is the product of the three before it, and `foreign_words` only ranks near-ties."""


@dataclass
class Analysis:
    """An utterance, taken apart: what `--explain` shows."""

    words: list[str]
    """Normalised words with fillers dropped."""
    lemmas: list[str]
    """Each word as the samples know it (`normalize.lemma`)."""
    spans: list[Span]
    """Candidate slot values."""
    symbols: list[tuple[str, ...]]
    """The delexicalised utterance."""
    features: dict[str, float]
    """Weighted n-gram features."""
    unknown: dict[int, str]
    """Position -> a word neither the samples nor the slot values know (each dilutes every match)."""

    def content(self) -> list[int]:
        """Positions of the words that carry meaning (not function words or fillers)."""
        return [i for i, w in enumerate(self.words) if w not in NEUTRAL_WORDS]

    def norm(self) -> float:
        """Length of the utterance's feature vector."""
        return math.sqrt(sum(w * w for w in self.features.values())) or 1.0


def _slot_positions(alignment: Alignment) -> set[int]:
    """Positions a slot value took."""
    return {j for sp in alignment.spans.values() for j in range(sp.start, sp.end)}


def free_text_similarity(analysis: Analysis, alignment: Alignment, dot: float, vnorm: float) -> float | None:
    """The cosine again with the unknown words a slot took ("add sriracha", "oatly original oat milk")
    weighing only ABSORBED_PENALTY of an unknown word each: they are a value, not noise. None when it
    took none."""
    absorbed = {analysis.unknown[j] for j in _slot_positions(alignment) if j in analysis.unknown}
    if not absorbed:
        return None
    keep = ABSORBED_PENALTY**2
    norm2 = analysis.norm() ** 2 - (1 - keep) * sum(analysis.features["?" + w] ** 2 for w in absorbed)
    return dot / (math.sqrt(max(norm2, 1e-9)) * vnorm)


def alignment_fit(analysis: Analysis, alignment: Alignment) -> float:
    """1 - the alignment's cost per word: how well the utterance lines up with the sample."""
    return max(0.0, 1.0 - alignment.cost / max(ALIGN_MIN_WORDS, len(analysis.words)))


def blend(similarity: float, fit: float) -> float:
    """The score before the multipliers: the similarity and the alignment fit, ALIGN_WEIGHT of the fit."""
    return (1.0 - ALIGN_WEIGHT) * similarity + ALIGN_WEIGHT * fit


def known_words(analysis: Analysis, alignment: Alignment) -> float:
    """The share of content words the model knows (free text and unknown words a slot took count
    TAKEN_WORD), from KNOWN_BASE up: a request for something else is mostly words no sample or value has."""
    content = analysis.content()
    if not content:
        return 1.0
    taken = {
        j
        for sp in alignment.spans.values()
        for j in range(sp.start, sp.end)
        if sp.kind == "TEXT" or j in analysis.unknown
    }
    known = sum(TAKEN_WORD if i in taken else 0.0 if i in analysis.unknown else 1.0 for i in content)
    return KNOWN_BASE + (1.0 - KNOWN_BASE) * known / len(content)


def evidence(alignment: Alignment) -> float:
    """From EVIDENCE_BASE (no evidence) to 1 (EVIDENCE_FULL or more): generic words alone do not make a
    request ("what time is it" read as "what's in it" rests on little)."""
    return EVIDENCE_BASE + (1.0 - EVIDENCE_BASE) * min(1.0, alignment.evidence / EVIDENCE_FULL)


def phrase_cover(analysis: Analysis, alignment: Alignment, phrase_words: frozenset[str] | None) -> float:
    """A built-in phrase ("sounds good", "i am finished") is an answer said on its own: inside a longer
    sentence it keeps PHRASE_COVER_BASE plus the rest in proportion to the content words it covers.
    `phrase_words` are the words of the intent's phrases when the match is to one of them, else None."""
    if phrase_words is None:
        return 1.0
    content = analysis.content()
    if not content:
        return 1.0
    # words of the intent's other phrases count ("yeah, that's fine"), words the model does not know
    # count UNKNOWN_PHRASE_WORD (they speak for no other intent either)
    covered = alignment.covered
    said = sum(
        1.0
        if (i in covered or analysis.lemmas[i] in phrase_words)
        else UNKNOWN_PHRASE_WORD
        if i in analysis.unknown
        else 0.0
        for i in content
    )
    return PHRASE_COVER_BASE + (1.0 - PHRASE_COVER_BASE) * said / len(content)


def free_text_doubt(alignment: Alignment) -> float:
    """Free text is a product the catalog lacks only where the sample's carrier words are said as written
    ("add sriracha to my cart"); with other words around it ("how far is the moon") the unknown words
    more likely ask for something else."""
    if not any(sp.kind == "TEXT" for sp in alignment.spans.values()):
        return 1.0
    return 1.0 - TEXT_DOUBT * min(1.0, alignment.carrier_cost)


def stray_values(analysis: Analysis, alignment: Alignment, vocab: frozenset[str]) -> int:
    """How many values of a slot type the model knows (an ordinal, a product, a date) the match does not
    take, said exactly and not as a carrier word: each is a sign the request is another one ("the third
    one sounds good" is not a plain yes)."""
    strays = 0
    for group in choose_spans(analysis.spans):
        span = group[0]
        inside = range(span.start, span.end)
        exact = any(sp.score >= 1.0 for sp in group)
        carrier = all(analysis.lemmas[j] in vocab for j in inside)
        if exact and not carrier and not any(j in alignment.covered for j in inside):
            strays += 1
    return strays


def explained(phrase: float, text: float, strays: int) -> float:
    """The share of its score a match keeps for what it leaves unexplained: the phrase cover, the free
    text's doubt and STRAY_VALUE for each stray value."""
    share = 1.0
    share *= phrase
    share *= text
    for _ in range(strays):
        share *= STRAY_VALUE
    return share


def foreign_words(
    analysis: Analysis,
    alignment: Alignment,
    vocab: frozenset[str],
    own_words: frozenset[str],
    word_weight: Callable[[str], float],
) -> float:
    """For ranking near-ties (not for confidence): a word the samples of other intents use, and this
    intent's never do, that the match leaves out speaks against it ("delete" in "delete all the items in
    my cart" against ViewCartIntent); each keeps 1 - FOREIGN_WORD * its weight."""
    share = 1.0
    in_value = {j for sp in analysis.spans for j in range(sp.start, sp.end)}
    for i, w in enumerate(analysis.lemmas):
        if (
            i not in alignment.covered
            and i not in in_value
            and w in vocab
            and w not in own_words
            and analysis.words[i] not in FUNCTION_WORDS
            and word_weight(w) >= FOREIGN_MIN_WEIGHT
        ):
            share *= 1.0 - FOREIGN_WORD * word_weight(w)
    return share


def confidence(score: float, threshold: float, exact: bool) -> float:
    """A score as a confidence: 0.5 at the threshold, rising to 1 at CONFIDENT_SCORE; at least
    EXACT_CONFIDENCE for a match that aligns to a sample at no cost."""
    t = threshold
    c = 0.5 + 0.5 * min(1.0, (score - t) / (CONFIDENT_SCORE - t)) if score >= t else 0.5 * max(0.0, score) / t
    return max(c, EXACT_CONFIDENCE) if exact else c


def needed_confidence(eliciting: bool) -> float:
    """The confidence an answer needs: while the dialog asks for a slot the answer is expected, so a
    weaker match for it is accepted."""
    return NEEDED_CONFIDENCE * ELICIT_LENIENCY if eliciting else NEEDED_CONFIDENCE

