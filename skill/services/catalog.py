"""The catalog: product look-up and search that tolerates what a speaker mishears.

Search runs in stages, cheapest first:
1. When the words name a product kind exactly ("milk", "paper towels"), that kind's products come first,
   in stock first, straight from the generic index. Then FTS5 over name, brand, generic, category and
   synonyms: all words required, a word fragment ("banan") as a prefix, ranked in stock first and then
   by bm25 with name and generic weighted highest, brand next, synonyms, then category.
2. Only when a word is unknown to the catalog (a misheard "tower", "bananna", "oatmilk"): each such word
   is corrected against the catalog vocabulary (joined with its neighbour, split into two known words,
   or replaced by the closest word in spelling or in sound, preferring one that makes the query a
   product kind), and the corrected query runs again.
3. If all words together still match nothing, any of them may match (bm25 prefers products matching more).

The vocabulary is read once per database file and kept in memory (a process serves one catalog);
an import clears it.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz, process

from skill.errors import NotFound
from skill.services.types import Product

__all__ = ["CatalogService", "CatalogStats", "SearchResult", "forget_vocabulary", "normalize", "tokens"]

# bm25 weights in the order of the FTS columns: name, brand, generic, category, synonyms.
_WEIGHTS = "10.0, 4.0, 10.0, 0.5, 2.0"
_COLUMNS = "p.sku, p.brand, p.name, p.generic, p.size, p.unit, p.price_cents, p.deal_price_cents, p.category, p.stock, p.synonyms, p.description"
_WORD = re.compile(r"\w+", re.UNICODE)
# Words people say around a product name that no product carries.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "some",
        "any",
        "of",
        "for",
        "me",
        "my",
        "please",
        "to",
        "with",
        "and",
        "or",
        "in",
        "on",
        "i",
        "want",
        "need",
        "get",
        "buy",
        "find",
        "search",
        "look",
    ]
)
# Counting words ("two bottles of milk"): dropped from a search when the catalog does not use them.
MEASURE_WORDS = frozenset(
    [
        "bottle",
        "bottles",
        "carton",
        "cartons",
        "bag",
        "bags",
        "pack",
        "packs",
        "packet",
        "packets",
        "box",
        "boxes",
        "can",
        "cans",
        "jar",
        "jars",
        "loaf",
        "loaves",
        "dozen",
        "gallon",
        "gallons",
        "pound",
        "pounds",
        "lb",
        "lbs",
        "ounce",
        "ounces",
        "oz",
        "piece",
        "pieces",
        "unit",
        "units",
        "item",
        "items",
        "roll",
        "rolls",
        "bunch",
        "bunches",
        "tub",
        "tubs",
    ]
)
RANK_POOL = 200
"""Matches (by text relevance) considered for the in-stock-first ordering."""
# rapidfuzz.fuzz.ratio (0..100) a correction must reach: "tower"->"towel" is 80, "bananna"->"banana" 92.
FUZZY_CUTOFF = 75.0
# A spelling this close is taken even when another word sounds the same.
SURE_CUTOFF = 85.0
# A word that sounds the same must still share this much spelling ("serial"/"cereal" is 67), or noise matches.
SOUND_CUTOFF = 55.0


def tokens(text: str) -> list[str]:
    """Lower-case words of `text` (letters and digits in any script), accents folded as the FTS
    tokenizer folds them, so "creme" and "crème" are one word."""
    text = text.lower().replace("_", " ")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _WORD.findall(text)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def normalize(text: str) -> str:
    """A comparison key for product words: lower case, singular, single spaces ('Paper_Towels' -> 'paper towel')."""
    return " ".join(_singular(w) for w in tokens(text))


@dataclass(frozen=True)
class SearchResult:
    """What a search found and how."""

    products: list[Product]
    generic: str | None = None
    """The generic the query named exactly (e.g. 'milk' for "milk" or "milks"), if any."""
    corrected: str | None = None
    """The corrected query when misheard words were replaced, e.g. 'paper towel' for "paper tower"."""


@dataclass(frozen=True)
class CatalogStats:
    """Counts for `voiceshop catalog stats`."""

    products: int
    in_stock: int
    """Products with stock above zero."""
    on_deal: int
    """Products with a deal price."""
    generics: int
    """Distinct product kinds (product-slot ids)."""
    categories: int


class _Vocabulary:
    """Every word in the catalog's searchable text, plus the generic keys by their normalized form."""

    def __init__(self, words: set[str], generics: dict[str, str]) -> None:
        self.words = words
        self.sorted = sorted(words)
        self.choices = [w for w in self.sorted if len(w) > 2 and not w.isdigit()]
        self.generics = generics
        self.sounds: dict[str, list[str]] = {}
        for word in self.choices:
            self.sounds.setdefault(sound_key(word), []).append(word)

    def knows(self, word: str) -> bool:
        """The word, or a word it begins (prefix search will find it)."""
        if word in self.words:
            return True
        i = bisect.bisect_left(self.sorted, word)
        return i < len(self.sorted) and self.sorted[i].startswith(word)


_vocab_lock = threading.Lock()
_vocab_cache: dict[str, tuple[int, _Vocabulary]] = {}


def forget_vocabulary() -> None:
    """Drop every cached vocabulary (after an import)."""
    with _vocab_lock:
        _vocab_cache.clear()


class CatalogService:
    """Read-only access to `products`."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- look-ups -------------------------------------------------------------------------------

    def get(self, sku: str) -> Product:
        """The product with this sku; NotFound otherwise."""
        cursor = self.db.execute(f"SELECT {_COLUMNS} FROM products p WHERE p.sku = ?", (sku,))
        rows = _products(cursor)
        if not rows:
            raise NotFound(f"no product with sku {sku!r}")
        return rows[0]

    def by_generic(self, generic_id: str, limit: int = 10) -> list[Product]:
        """Products answering to a product-slot id, in stock first, then in catalog order
        (the catalog lists each generic's everyday choice first)."""
        cursor = self.db.execute(
            f"SELECT {_COLUMNS} FROM products p WHERE p.generic = ? AND p.retired_at IS NULL ORDER BY p.stock > 0 DESC, p.rowid LIMIT ?",
            (generic_id, limit),
        )
        return _products(cursor)

    def deals(self, limit: int = 5) -> list[Product]:
        """In-stock products on deal, biggest saving (by share of the price) first."""
        cursor = self.db.execute(
            f"SELECT {_COLUMNS} FROM products p WHERE p.deal_price_cents IS NOT NULL AND p.stock > 0 AND p.retired_at IS NULL"
            " ORDER BY (p.price_cents - p.deal_price_cents) * 1.0 / p.price_cents DESC, p.rowid LIMIT ?",
            (limit,),
        )
        return _products(cursor)

    def stats(self) -> CatalogStats:
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(stock > 0), 0), coalesce(sum(deal_price_cents IS NOT NULL), 0),"
            " count(DISTINCT generic), count(DISTINCT category) FROM products WHERE retired_at IS NULL"
        ).fetchone()
        return CatalogStats(
            products=row[0], in_stock=row[1], on_deal=row[2], generics=row[3], categories=row[4]
        )

    # -- search ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> list[Product]:
        """The best matches for what the user said, best first (may be empty)."""
        return self.find(query, limit).products

    def find(self, query: str, limit: int = 10) -> SearchResult:
        """`search` with how the result was reached: the generic named and any correction made."""
        words = [w for w in tokens(query) if w not in STOPWORDS]
        if not words or limit <= 0:
            return SearchResult([])
        vocab = self._vocabulary()
        # "two bottles of milk": the counting word is not part of the product's name.
        kept = [w for w in words if w not in MEASURE_WORDS or vocab.knows(w)]
        words = kept or words
        generic = vocab.generics.get(normalize(" ".join(words)))
        found = self._ranked(words, generic, limit, vocab)
        unknown = [w for w in words if not vocab.knows(w)]
        if not unknown and found:
            return SearchResult(found, generic)
        corrected = self._correct(words, vocab)
        if corrected and corrected != words:
            generic = generic or vocab.generics.get(normalize(" ".join(corrected)))
            more = self._ranked(corrected, generic, limit, vocab)
            if not more and not found:
                more = self._match(corrected, None, limit, vocab, any_word=True)
            merged = _merge(found, more, limit)
            return SearchResult(merged, generic, " ".join(corrected) if more else None)
        if not found:
            found = self._match(words, None, limit, vocab, any_word=True)
        return SearchResult(found, generic)

    def _ranked(self, words: list[str], generic: str | None, limit: int, vocab: _Vocabulary) -> list[Product]:
        """All words required; when the words name a generic exactly, its products first (from the
        generic index: cheap even when thousands of products share it), then the other matches."""
        if not generic:
            return self._match(words, None, limit, vocab, any_word=False)
        first = self.by_generic(generic, limit)
        if len(first) >= limit:
            return first
        rest = self._match(words, generic, limit, vocab, any_word=False)
        return _merge(first, rest, limit)

    def _match(
        self, words: list[str], exclude_generic: str | None, limit: int, vocab: _Vocabulary, *, any_word: bool
    ) -> list[Product]:
        # A whole catalog word is looked up as itself (porter stemming covers plurals); only a fragment
        # is a prefix. Prefix look-ups merge many index entries, so they are kept for when they help.
        terms = [f'"{w}"' if w in vocab.words or len(w) < 3 else f'"{w}"*' for w in words]
        expression = (" OR " if any_word else " ").join(terms)
        # The best RANK_POOL by text relevance are ranked again with stock first: scoring stays inside FTS5,
        # and only the pool is joined to products (a common word can match tens of thousands).
        cursor = self.db.execute(
            f"WITH hits AS (SELECT rowid, bm25(products_fts, {_WEIGHTS}) AS score FROM products_fts"
            " WHERE products_fts MATCH ? ORDER BY score LIMIT ?)"
            f" SELECT {_COLUMNS} FROM hits JOIN products p ON p.rowid = hits.rowid WHERE p.generic != ? AND p.retired_at IS NULL"
            " ORDER BY p.stock > 0 DESC, hits.score, p.rowid LIMIT ?",
            (expression, RANK_POOL, exclude_generic or "", limit),
        )
        return _products(cursor)

    @staticmethod
    def _correct(words: list[str], vocab: _Vocabulary) -> list[str]:
        """Each unknown word replaced by what the catalog probably meant; hopeless words dropped."""
        out: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if vocab.knows(word):
                out.append(word)
                i += 1
                continue
            # "tooth paste" -> "toothpaste"
            if i + 1 < len(words) and words[i] + words[i + 1] in vocab.words:
                out.append(words[i] + words[i + 1])
                i += 2
                continue
            if i > 0 and out and out[-1] + word in vocab.words:
                out[-1] = out[-1] + word
                i += 1
                continue
            split = _split(word, vocab)
            if split:
                out.extend(split)
            else:
                candidates = _candidates(word, vocab)
                rest = " ".join(words[i + 1 :])
                # A correction that makes the whole query a product kind wins ("paper tower" -> "paper towel").
                names_generic = [
                    c for c in candidates if normalize(" ".join([*out, c, rest])) in vocab.generics
                ]
                if names_generic or candidates:
                    out.append((names_generic or candidates)[0])
            i += 1
        return out

    def _vocabulary(self) -> _Vocabulary:
        key = _database_file(self.db)
        # max(rowid) is one b-tree step; an import (the only writer of products) also clears the cache.
        version = self.db.execute("SELECT coalesce(max(rowid), 0) FROM products").fetchone()[0]
        with _vocab_lock:
            cached = _vocab_cache.get(key)
            if cached is not None and cached[0] == version:
                return cached[1]
        # One regex pass over all the text at once: far cheaper than word by word for 100,000 products.
        text = "\n".join(
            row[0]
            for row in self.db.execute(
                "SELECT name || ' ' || brand || ' ' || generic || ' ' || category || ' ' || synonyms FROM products"
                " WHERE retired_at IS NULL"
            )
        )
        words = set(tokens(text))
        words |= {_singular(w) for w in words}
        generics: dict[str, str] = {}
        for (generic,) in self.db.execute("SELECT DISTINCT generic FROM products WHERE retired_at IS NULL"):
            generics.setdefault(normalize(generic), generic)
        vocab = _Vocabulary(words, generics)
        with _vocab_lock:
            _vocab_cache[key] = (version, vocab)
        return vocab


def _candidates(word: str, vocab: _Vocabulary) -> list[str]:
    """Catalog words `word` may have been heard for, most likely first: a near-identical spelling,
    then words that sound the same ("serial" -> "cereal"), then close enough spellings."""
    close = process.extract(word, vocab.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
    sure = [str(c[0]) for c in close if c[1] >= SURE_CUTOFF]
    alike = sorted(
        (w for w in vocab.sounds.get(sound_key(word), []) if fuzz.ratio(word, w) >= SOUND_CUTOFF),
        key=lambda w: -fuzz.ratio(word, w),
    )
    ordered: list[str] = []
    for candidate in [*sure, *alike, *(str(c[0]) for c in close)]:
        if candidate not in ordered:
            ordered.append(candidate)
    return ordered


_SOUND_RULES = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"ck|c|q"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
    (re.compile(r"gh|h(?![aeiou])|w(?![aeiou])|y(?![aeiou])"), ""),
    (re.compile(r"(?<=.)[aeiou]"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]


def sound_key(word: str) -> str:
    """A rough English sound key: consonants as heard, vowels after the first letter dropped.
    Enough to tell that "serial" and "cereal" sound alike; not a full metaphone."""
    key = word.lower()
    key = re.sub(r"^c(?=[eiy])", "s", key)
    for pattern, replacement in _SOUND_RULES:
        key = pattern.sub(replacement, key)
    return re.sub(r"^[aeiou]", "a", key)


def _split(word: str, vocab: _Vocabulary) -> list[str] | None:
    """'oatmilk' -> ['oat', 'milk'] when both halves are catalog words."""
    for i in range(2, len(word) - 1):
        left, right = word[:i], word[i:]
        if left in vocab.words and right in vocab.words:
            return [left, right]
    return None


def _merge(first: list[Product], then: list[Product], limit: int) -> list[Product]:
    seen = {p.sku for p in first}
    return (first + [p for p in then if p.sku not in seen])[:limit]


def _products(cursor: Any) -> list[Product]:
    names = [d[0] for d in cursor.description]
    return [Product.from_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def _database_file(db: sqlite_utils.Database) -> str:
    for _, name, filename in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return filename or f"memory:{id(db.conn)}"
    return f"memory:{id(db.conn)}"
