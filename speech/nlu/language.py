"""What the NLU compiler needs to know of a language: how to split words, find built-in values, and
say the built-in intents. One compiler serves every locale through this.

    lang = language_for("ko-KR")
    reader = lang.reader(model_words)          # how one model reads: Korean with its own analyser
    reader.tokens("장바구니에 담아 줘")          # ['장바구니', '담다']
    lang.spans(words, today, kinds)           # numbers, ordinals, codes, dates, times
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from speech.errors import ModelError
from speech.nlu.builtin_intents import BUILTIN_PHRASES
from speech.nlu.builtin_types import Span, find_builtin_spans
from speech.nlu.normalize import tokens
from speech.nlu.numbers import ORDINALS, SCALES, TENS, UNITS

__all__ = ["ENGLISH_LOCALES", "KOREAN_LOCALES", "Language", "Reader", "UnsupportedLocaleError", "language_for"]

ENGLISH_LOCALES = frozenset({"en-US", "en-GB", "en-CA", "en-AU", "en-IN"})
KOREAN_LOCALES = frozenset({"ko-KR"})


class UnsupportedLocaleError(ModelError):
    """The NLU has no normaliser and parsers for the locale asked for."""


@dataclass(frozen=True)
class Reader:
    """How one compiled model reads text in its language (picklable with the model's NLU)."""

    tokens: Callable[..., list[str]]
    """Text to normalised words (`tokens(text, limit=N)`); samples and utterances alike."""
    readings: Callable[[str], list[list[str]]] | None = None
    """Other ways the word splitter may read a slot value inside a sentence (Kiwi reads "비싼" alone as
    a noun, "비싼 거" as the adjective), so a value is found however it was read; None when a value
    reads alike anywhere."""
    said: Callable[[str, str], str | None] | None = None
    """A slot value in the NLU's words as it was said in an utterance (`said(utterance, value)`), for a
    language whose words are not what was said (Korean dictionary forms: '싸다' for '싼'); None when
    the words are what was said."""
    listing: Callable[[str], tuple[str, list[tuple[str, int, int]]]] | None = None
    """A language whose count follows what it counts ("우유 두 개"): the text as said and its words, each
    with the characters [start, end) it was read from, the words that join a list's items read as
    `joiner` (`CompiledNLU._listed`); None for English, whose lists are read from `tokens` with "and"."""
    joiner: str = "and"
    """The word that joins a list's items, as `tokens` (or `listing`) reads it."""


@dataclass(frozen=True)
class Language:
    """A language's share of the NLU."""

    code: str
    """'en' or 'ko'."""
    reader: Callable[[Iterable[str]], Reader]
    """The reader of a model whose slot values hold these words (product and brand names): a Korean
    one has an analyser taught them, its own (`korean.analyser_for`)."""
    spans: Callable[[list[str], date, frozenset[str] | None], list[Span]]
    """Numbers, ordinals, codes, dates and times in words."""
    phrases: dict[str, tuple[str, ...]]
    """How the built-in intents are said."""
    fills: dict[str, list[str]]
    """Values a built-in slot is filled with when samples are expanded for training."""
    number_words: frozenset[str]
    """The words the number readers know (for an ASR vocabulary)."""


def _english_reader(words: Iterable[str]) -> Reader:
    return _ENGLISH_READER


def _korean_reader(words: Iterable[str]) -> Reader:
    from speech.nlu import korean

    reads = korean.KoreanWords(korean.analyser_for(words))
    return Reader(reads.tokens, reads.readings, reads.said, reads.listing, korean.KOREAN_JOINER)


_ENGLISH_READER = Reader(tokens)

_ENGLISH_FILLS = {
    "AMAZON.NUMBER": ["two"],
    "AMAZON.Ordinal": ["second"],
    "AMAZON.FOUR_DIGIT_NUMBER": ["one two three four"],
    "AMAZON.DATE": ["tomorrow", "next friday", "the fifth"],
    "AMAZON.TIME": ["seven pm", "morning"],
}


@cache
def language_for(locale: str) -> Language:
    """The language of `locale`; `UnsupportedLocaleError` for one the NLU cannot serve."""
    if locale in ENGLISH_LOCALES:
        return Language("en", _english_reader, find_builtin_spans, BUILTIN_PHRASES, _ENGLISH_FILLS,
                        frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES) | frozenset(ORDINALS))
    if locale in KOREAN_LOCALES:
        from speech.nlu import korean

        return Language("ko", _korean_reader, korean.find_korean_spans, korean.KOREAN_BUILTIN_PHRASES,
                        korean.KOREAN_FILLS, korean.KOREAN_NUMBER_WORDS)
    supported = ", ".join(sorted(ENGLISH_LOCALES | KOREAN_LOCALES))
    raise UnsupportedLocaleError(f"unsupported locale '{locale}' (supported: {supported})")
