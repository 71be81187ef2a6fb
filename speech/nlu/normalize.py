"""Text normalisation shared by the compiler, the matcher and the built-in slot parsers.

    tokens("What's in my cart?")      # ['what', 'is', 'in', 'my', 'cart']
    tokens("Deliver at 7pm, please")  # ['deliver', 'at', '7', 'pm', 'please']

Samples and utterances go through the same function, so whatever it does is learned consistently.
"""

from __future__ import annotations

import re
import unicodedata

from speech.nlu.korean_words import (
    KOREAN_FILLERS,
    KOREAN_FUNCTION_WORDS,
    KOREAN_NEUTRAL_WORDS,
    KOREAN_SYNONYMS,
)
from speech.number_words import UNIT_WORDS

__all__ = ["tokens", "stem", "FILLER_WORDS", "FUNCTION_WORDS", "NEUTRAL_WORDS", "strip_fillers", "MAX_TOKENS"]

MAX_TOKENS = 60
"""Utterances are cut to this many tokens: nobody says more to a speaker in one breath, and it bounds
the work for a pasted 1000-word text."""

# Contractions a speech recogniser or a typist produces; expanded so "what's" and "what is" match.
_CONTRACTIONS = {
    "what's": "what is",
    "where's": "where is",
    "when's": "when is",
    "how's": "how is",
    "who's": "who is",
    "it's": "it is",
    "that's": "that is",
    "there's": "there is",
    "here's": "here is",
    "let's": "let us",
    "i'm": "i am",
    "i'd": "i would",
    "i'll": "i will",
    "that'll": "that will",
    "it'll": "it will",
    "we'll": "we will",
    "you'll": "you will",
    "we've": "we have",
    "i've": "i have",
    "you're": "you are",
    "we're": "we are",
    "they're": "they are",
    "we'd": "we would",
    "you'd": "you would",
    "don't": "do not",
    "doesn't": "does not",
    "didn't": "did not",
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "isn't": "is not",
    "aren't": "are not",
    "wasn't": "was not",
    "shouldn't": "should not",
    "wouldn't": "would not",
    "couldn't": "could not",
    "haven't": "have not",
    "what're": "what are",
    "gimme": "give me",
    "wanna": "want to",
    "gonna": "going to",
    "lemme": "let me",
    "gotta": "got to",
    "y'all": "you all",
    "ya": "you",
    "whats": "what is",
    "wheres": "where is",
    "im": "i am",
    "dont": "do not",
}

FILLER_WORDS = frozenset(
    [
        "um",
        "umm",
        "uh",
        "uhh",
        "uhm",
        "erm",
        "er",
        "hmm",
        "hm",
        "mm",
        "ah",
        "please",
        "pls",
        "plz",
        "alexa",
        "hey",
        "kindly",
        "actually",
        "just",
        "really",
        "quickly",
        "now",
        "basically",
    ]
) | KOREAN_FILLERS
"""Words that carry no intent: dropped before scoring and cheap to skip when aligning to a sample."""

# Carrier phrases people put around a request; removed like fillers (longest first).
_FILLER_PHRASES = [
    p.split()
    for p in sorted(
        [
            "could you",
            "can you",
            "would you",
            "will you",
            "would you mind",
            "could you please",
            "i would like to",
            "i want to",
            "i need to",
            "i would like you to",
            "i want you to",
            "go ahead and",
            "for me",
            "thank you",
            "if you can",
            "if you could",
            "if you would",
            "do me a favor and",
            "do me a favour and",
            "i was wondering if you could",
            "i think",
            "you know",
            "i mean",
            "right now",
            "for me please",
        ],
        key=lambda s: -len(s.split()),
    )
]

FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "my",
        "me",
        "to",
        "of",
        "for",
        "some",
        "it",
        "this",
        "that",
        "our",
        "your",
        "in",
        "on",
        "at",
        "with",
        "from",
        "and",
        "please",
    ]
) | KOREAN_FUNCTION_WORDS
"""Words cheap to drop or insert when aligning an utterance to a sample."""

NEUTRAL_WORDS = FUNCTION_WORDS | frozenset(
    # closed-class English (pronouns, auxiliaries, modals, conjunctions, hedges): said around any
    # request, they say nothing about which, and a sentence does not turn into a request for
    # something else by having them ("could the bananas be changed", "some blueberries too")
    [
        "already",
        "also",
        "although",
        "always",
        "anyway",
        "because",
        "been",
        "being",
        "but",
        "by",
        "could",
        "currently",
        "does",
        "even",
        "ever",
        "had",
        "having",
        "he",
        "her",
        "him",
        "his",
        "if",
        "its",
        "may",
        "maybe",
        "might",
        "must",
        "or",
        "perhaps",
        "pretty",
        "probably",
        "quite",
        "shall",
        "she",
        "sometimes",
        "still",
        "than",
        "their",
        "then",
        "these",
        "they",
        "though",
        "too",
        "very",
        "was",
        "were",
        "whether",
        "while",
        "yet",
        "well",
    ]
) | KOREAN_NEUTRAL_WORDS
"""Words that are never a sign of what is asked for: cheap to insert, and not counted as unknown."""

SMALL_NUMBER_WORDS = UNIT_WORDS[:13]
"""The number words zero to twelve, in order: a word's index is its value."""

_DIGIT_WORDS = frozenset(SMALL_NUMBER_WORDS)
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])(?!(?:st|nd|rd|th)\b)|(?<=[a-z])(?=\d)")
_SPLIT = re.compile(r"[^\w:']+")


def _fold(text: str) -> str:
    """Lowercase, fold accents ("café" -> "cafe") and unify apostrophes."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, ended by BEL or ST
    r"|\x1b[@-Z\\-_]?"  # any other escape
    r"|\\x1b\[[0-?]*[ -/]*[@-~]"  # the same written out as text ("\x1b[2J")
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"  # control characters, lone surrogates
)


def strip_escapes(text: str) -> str:
    """Terminal escape sequences, control characters and lone surrogates out (a pasted line, a
    hostile one): they are never words, and their digits must not be read as numbers."""
    return _ESCAPES.sub(" ", text)


def tokens(text: str, *, limit: int = MAX_TOKENS) -> list[str]:
    """Split `text` into normalised words: lowercase, no punctuation, contractions expanded.

    Digits stay digits ("25", "2nd", "7:30"); number words stay words: the number parsers read both.
    """
    if not text:
        return []
    text = _fold(strip_escapes(text[: limit * 20]))  # bound the work before splitting
    text = text.replace("&", " and ").replace("-", " ").replace("_", " ")
    text = re.sub(r"\b([ap])\.\s?m\b\.?", r"\1m", text)  # "p.m." -> "pm"
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # "2,500" -> "2500"
    text = re.sub(r"(?<=\d)\.(?=\d)", " point ", text)
    out: list[str] = []
    for raw in _SPLIT.split(text):
        word = raw.strip("':")
        if not word:
            continue
        if ":" in word and not re.fullmatch(r"\d{1,2}:\d{2}", word):
            out.extend(w for w in word.split(":") if w)
            continue
        expanded = _CONTRACTIONS.get(word)
        if expanded is None and word.endswith("'s"):
            expanded = word[:-2]  # possessive: "today's deals" -> "today deals"
        if expanded is None and "'" in word:
            expanded = word.replace("'", "")
        for part in (expanded or word).split():
            out.extend(p for p in _DIGIT_LETTER.sub(" ", part).split() if p)
        if len(out) >= limit:
            break
    return out[:limit]


# Polite openings that only ask for what follows ("can i get milk" = "get milk"); only at the start,
# where they cannot be part of a request ("what can i say").
_OPENINGS = [p.split() for p in ("can i", "could i", "may i", "can we", "could we", "i wonder if you could")]


# Words that open a turn without meaning anything yet ("okay, stop", "so add milk"); dropped only at
# the start and only when a request follows: "okay" alone is an answer (AMAZON.YesIntent).
_DISCOURSE_OPENERS = frozenset(["okay", "ok", "alright", "so", "well", "oh", "and", "right", "oops", "whoops", "wait"])


def strip_fillers(words: list[str]) -> list[str]:
    """Drop filler words and carrier phrases; never returns an empty list for a non-empty input."""
    if not words:
        return []
    out: list[str] = []
    i = 0
    while (
        i < len(words) - 1
        and (words[i] in _DISCOURSE_OPENERS or words[i] in FILLER_WORDS)
        and any(
            w not in NEUTRAL_WORDS and w not in _DISCOURSE_OPENERS and w not in FILLER_WORDS
            for w in words[i + 1 :]
        )
    ):
        i += 1
    words = words[i:]
    i = 0
    for opening in _OPENINGS:
        if words[: len(opening)] == opening and len(words) > len(opening):
            i = len(opening)
            break
    while i < len(words):
        for phrase in _FILLER_PHRASES:
            if words[i : i + len(phrase)] == phrase:
                i += len(phrase)
                break
        else:
            # "oh" is a filler, except in a spoken code: "one oh one two"
            if words[i] == "oh" and not (out and (out[-1].isdigit() or out[-1] in _DIGIT_WORDS)):
                pass
            elif words[i] not in FILLER_WORDS:
                out.append(words[i])
            i += 1
    return out or list(words)


# Everyday words for what the samples say another way; an utterance word the samples do not know is
# read as its synonym when the samples know that. Kept to general shopping vocabulary.
SYNONYMS = {
    "basket": "cart",
    "trolley": "cart",
    "bag": "cart",
    "purchase": "order",
    "package": "order",
    "parcel": "order",
    "shipment": "delivery",
    "stuff": "thing",
    "items": "item",
    "products": "product",
    "wipe": "clear",
    "erase": "clear",
    "discount": "deal",
    "discounted": "sale",
    "bargain": "deal",
    "promotion": "deal",
    "coupon": "deal",
    "offers": "offer",
    "sales": "sale",
    "latest": "last",
    "previous": "last",
    "recent": "last",
    "quit": "stop",
    "purchases": "order",
    "cost": "price",
    "grab": "get",
    "toss": "throw",
    "chuck": "throw",
    "pop": "put",
    "include": "add",
    "nah": "no",
    "yea": "yeah",
    "kill": "cancel",
    "revoke": "cancel",
    "delete": "remove",
    "drop": "remove",
    **KOREAN_SYNONYMS,
}


def lemma(word: str, vocab: frozenset[str] | set[str]) -> str:
    """The form of `word` the samples know: its stem, a verb form's base ("added" -> "add",
    "shipping" -> "ship"), or an everyday synonym; the stem when none is known."""
    st = stem(word)
    if st in vocab or not vocab:
        return st
    for suffix, repl in (
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("d", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            base = word[: len(word) - len(suffix)] + repl
            if base in vocab:
                return base
            if len(base) > 2 and base[-1] == base[-2] and base[:-1] in vocab:  # "shipped" -> "ship"
                return base[:-1]
    syn = SYNONYMS.get(word) or SYNONYMS.get(st)
    if syn and syn in vocab:
        return syn
    return st


# Words ending in s that are not plurals: "news" is not more than one "new".
_NOT_PLURAL = frozenset(
    ["news", "series", "species", "always", "perhaps", "lens", "does", "was", "has", "sometimes"]
)


def stem(word: str) -> str:
    """A light plural stemmer: "bottles" -> "bottle", "boxes" -> "box", "berries" -> "berry"."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")) or word in _NOT_PLURAL:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses", "oes")):
        return word[:-2]
    return word[:-1]
