"""A phrase in the recogniser model's own words: Korean words it lacks, split into words it has.

    in_vocabulary("우유 장바구니에 담아 줘", vocab)   # ('우유 장바구니 에 담아 줘', [])
    in_vocabulary("결제해 줘", vocab)                 # ('결제 해 줘', [])

The Korean Vosk model's vocabulary holds many stems and endings as words of their own ("장바구니" and
"에", "결제" and "해") but not every inflected form, so a phrase list written as people write
("장바구니에", "결제해") would lose those phrases. A Hangul word the vocabulary lacks is split into the
fewest words it has (longest pieces first); a word that cannot be split that way, or a word in another
script the vocabulary lacks (but for Latin letters and digits, said by their Korean names: 'cj' ->
'씨제이'), is reported as missing rather than dropped unsaid.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

__all__ = ["in_vocabulary", "split_word"]

_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_MAX_PIECE = 12


def split_word(word: str, vocab: Collection[str]) -> list[str] | None:
    """`word` as the fewest vocabulary words that spell it (itself when known); None when it cannot be.
    Latin initials and digits inside a Korean name are spelt as Korean speakers say them ('cj' as
    '씨제이', 'lg생활건강' as '엘지생활건강', '2080' as '이공팔공') when the vocabulary is Korean."""
    if word in vocab:
        return [word]
    if not _HANGUL.fullmatch(word):
        said = _SPELT.sub(_spelt, word)
        if said == word or not _HANGUL.fullmatch(said):
            return None
        word = said
        if word in vocab:
            return [word]
    return _split(word, _Vocab(vocab))


_LETTER_NAMES = dict(zip(
    "abcdefghijklmnopqrstuvwxyz0123456789",
    ["에이", "비", "씨", "디", "이", "에프", "지", "에이치", "아이", "제이", "케이", "엘", "엠", "엔", "오", "피", "큐", "알",
     "에스", "티", "유", "브이", "더블유", "엑스", "와이", "제트", "공", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"],
    strict=True,
))
"""Latin letters by their Korean names, digits one by one as a name's digits are said ('2080': 이공팔공)."""
_SPELT = re.compile(r"[a-z]+|[0-9]+")


def _spelt(match: re.Match[str]) -> str:
    """Digits, or Latin letters that are initials (at most two, or no vowel: 'cj', 'bbq'), by their
    Korean names; an English word ('add', 'milk') is left as it is (not said)."""
    run = match.group()
    if run.isalpha() and len(run) > 2 and set(run) & set("aeiou"):
        return run
    return "".join(_LETTER_NAMES[ch] for ch in run)


class _Vocab:
    """A vocabulary made hashable by identity, so splits are cached per vocabulary."""

    def __init__(self, words: Collection[str]) -> None:
        self.words = words

    def __hash__(self) -> int:
        return id(self.words)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Vocab) and other.words is self.words


@lru_cache(maxsize=65536)
def _split(word: str, vocab: _Vocab) -> list[str] | None:
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_PIECE), end):
            head = best[start]
            piece = word[start:end]
            if head is not None and piece in vocab.words:
                candidate = [*head, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[n]


def in_vocabulary(phrase: str, vocab: Collection[str]) -> tuple[str, list[str]]:
    """The phrase in vocabulary words, and the words that cannot be said in them (then the phrase as given)."""
    out: list[str] = []
    missing: list[str] = []
    for word in phrase.split():
        pieces = split_word(word, vocab)
        if pieces is None:
            missing.append(word)
        else:
            out.extend(pieces)
    return (phrase if missing else " ".join(out)), missing
