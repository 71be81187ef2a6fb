"""The catalog: product look-up and search that tolerates what a speaker mishears.

Search runs in stages, cheapest first:
1. When the words name a product kind exactly ("milk", "paper towels"), that kind's products come first,
   in stock first, straight from the generic index. Then the full-text index (the store's: FTS5 or
   PostgreSQL's tsvector) over name, brand, generic, category and synonyms: all words required, a word
   fragment ("banan") as a prefix, ranked in stock first and then by relevance with name and generic
   weighted highest, brand next, synonyms, then category.
2. Only when a word is unknown to the catalog (a misheard "tower", "bananna", "oatmilk"): each such word
   is corrected against the catalog vocabulary (joined with its neighbour, split into two known words,
   or replaced by the closest word in spelling or in sound, preferring one that makes the query a
   product kind), and the corrected query runs again.
3. If all words together still match nothing, any of them may match (relevance prefers products matching more).

The vocabulary is read once per database file and kept in memory (a process serves one catalog);
an import clears it.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from skill.errors import NotFound, QueryTooLong
from skill.services.types import PRODUCT_COLUMNS, Product, parse_tags, products_from
from skill.services.wants import ATTRIBUTE_PHRASES, Wants, read_wants, size_amount, tag_spoken
from skill.store.catalog_import import CATALOG_LISTENERS
from skill.store.db import Database

__all__ = [
    "CatalogService",
    "CatalogStats",
    "SearchResult",
    "ShopResult",
    "Unmet",
    "forget_vocabulary",
    "normalize",
    "tokens",
]

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
_PICK_NOISE = frozenset({"the", "one", "ones", "a", "an", "that", "s", "is", "are", "please", "i", "want", "ll",
                         "take", "give", "me", "add", "get", "go", "with", "let", "do", "like", "d", "whichever",
                         "which", "how", "about", "option", "kind", "brand", "type", "those", "them", "this", "it",
                         "거", "걸", "것", "그거", "제품", "상품", "용량", "사이즈", "짜리", "그중에", "그중", "중에", "브랜드"})
"""Words around a description of one of the products just read ("i'll take the ... one")."""
_FILLER_WORDS = frozenset({"one", "ones", "kind", "brand", "type", "that", "is", "are", "what", "which", "s", "it",
                           "your", "you", "have", "got", "something", "anything", "stuff", "whats", "there",
                           "중", "중에", "중에서", "거", "것", "걸"})
_POOL = 60
"""Products of a kind considered before narrowing by what was said."""
RANK_POOL = 200
"""Matches (by text relevance) considered for the in-stock-first ordering."""
# rapidfuzz.fuzz.ratio (0..100) a correction must reach: "tower"->"towel" is 80, "bananna"->"banana" 92.
FUZZY_CUTOFF = 75.0
# A spelling this close is taken even when another word sounds the same.
SURE_CUTOFF = 85.0
# A word that sounds the same must still share this much spelling ("serial"/"cereal" is 67), or noise matches.
SOUND_CUTOFF = 55.0


MAX_ALTERNATIVES = 4
"""Products said as alternatives in one request that are looked up one by one."""
MAX_QUERY_CHARS = 300
"""A product request longer than this is not searched (QueryTooLong): no product name is near it."""
MAX_QUERY_WORDS = 16
MAX_CORRECTED_WORDS = 4
"""Unknown words spelling correction looks at in one query; the others are kept as they are."""
MAX_FUZZY_WORD_CHARS = 30
"""A longer word is no catalog word misheard: it is not compared with the vocabulary."""
CORRECTION_BUDGET_S = 0.25
"""Spelling correction stops after this long (a query of near-misses must not starve the others)."""


def tokens(text: str) -> list[str]:
    """Lower-case words of `text` (letters and digits in any script), accents folded as the FTS
    tokenizer folds them, so "creme" and "crème" are one word."""
    text = text.lower().replace("_", " ")
    if not text.isascii():
        # NFKD splits Hangul syllables into letters too; NFC puts them back together after the fold
        folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = unicodedata.normalize("NFC", folded)
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
class Unmet:
    """A requirement nothing met, as data for the answer to say in its locale: `kind` is 'words' (brand or
    variety words said, `value` as said), 'tag' (`value` the tag), 'sale', 'pack' (`amount` 6 of `value`
    'roll') or 'price' (`amount` the limit in the store's money units: cents, or won in ko-KR)."""

    kind: str
    value: str = ""
    amount: int = 0


@dataclass(frozen=True)
class ShopResult:
    """What a shopper's request found: the products meeting every requirement, best first, or (when
    none does) the closest ones with what could not be met."""

    products: list[Product]
    wants: Wants
    generic: str | None = None
    corrected: str | None = None
    unmet: list[Unmet] = field(default_factory=list)
    """Requirements nothing met (the tag 'gluten-free', a price limit, the word 'starbucks'); `products`
    are then the closest, not matches."""
    exact: bool = False
    """The words named one product (brand and variety), not a kind."""
    several: int = 0
    """The request named this many products as alternatives ("pompeian or bertolli olive oil"): the
    first of `products` is each one's best match, in the order said."""

    @property
    def matched(self) -> list[Product]:
        """The products that meet the request (none when a requirement went unmet)."""
        return [] if self.unmet else self.products


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

    def __init__(self, words: set[str], generics: dict[str, str], tags: frozenset[str] = frozenset()) -> None:
        self.tags = tags
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


CATALOG_LISTENERS.append(forget_vocabulary)


class CatalogService:
    """Read-only access to `products`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- look-ups -------------------------------------------------------------------------------

    def get(self, sku: str) -> Product:
        """The product with this sku; NotFound otherwise."""
        cursor = self.db.execute(f"SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.sku = ?", (sku,))
        rows = products_from(cursor)
        if not rows:
            raise NotFound(f"no product with sku {sku!r}")
        return rows[0]

    def lookup(self, sku: str | None) -> Product | None:
        """The product with this sku; None when there is none (or no sku)."""
        if not sku:
            return None
        try:
            return self.get(sku)
        except NotFound:
            return None

    def by_generic(self, generic_id: str, limit: int = 10) -> list[Product]:
        """Products answering to a product-slot id, in stock first, then in catalog order
        (the catalog lists each generic's everyday choice first)."""
        cursor = self.db.execute(
            f"SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.generic = ? AND p.retired_at IS NULL ORDER BY p.stock > 0 DESC, p.rowid LIMIT ?",
            (generic_id, limit),
        )
        return products_from(cursor)

    def deals(self, limit: int = 5) -> list[Product]:
        """In-stock products on deal, biggest saving (by share of the price) first."""
        cursor = self.db.execute(
            f"SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.deal_price_cents IS NOT NULL AND p.stock > 0 AND p.retired_at IS NULL"
            " ORDER BY (p.price_cents - p.deal_price_cents) * 1.0 / p.price_cents DESC, p.rowid LIMIT ?",
            (limit,),
        )
        return products_from(cursor)

    def stats(self) -> CatalogStats:
        row = self.db.execute(
            "SELECT count(*), count(*) FILTER (WHERE stock > 0), count(*) FILTER (WHERE deal_price_cents IS NOT NULL),"
            " count(DISTINCT generic), count(DISTINCT category) FROM products WHERE retired_at IS NULL"
        ).fetchone()
        return CatalogStats(
            products=row[0], in_stock=row[1], on_deal=row[2], generics=row[3], categories=row[4]
        )

    # -- shopping: every word of the request honoured ------------------------------------------

    def known_tags(self) -> frozenset[str]:
        """Every tag some product carries."""
        return self._vocabulary().tags

    def shop(
        self, query: str, generic: str | None = None, *, limit: int = 9, user_id: str | None = None,
        max_price: int | None = None,
    ) -> ShopResult:
        """Products for a shopper's request: the product words found as `find` finds them (or the kind
        `generic`, an entity-resolution id), then narrowed by brand and variety words, tags, sale,
        price ceiling and pack size, and ordered by the order word said (cheapest, biggest, most
        popular). When a requirement leaves nothing, the closest products come back with it named in
        `unmet`. Without an order word, the shopper's own past purchases come first. `max_price` is a
        price limit given apart from the words (a slot's amount in the store's money units), which
        it overrides.

        Products joined by "and", "or" or "versus" that no product answers together ("pompeian olive
        oil and bertolli olive oil") are looked up one by one (`several`); "macaroni and cheese" or
        "Head and Shoulders" stay one request, since products answer to all of their words."""
        whole = self._shop_one(query, generic, limit=limit, user_id=user_id, max_price=max_price)
        parts = _alternatives(query)
        if len(parts) < 2 or len(parts) > MAX_ALTERNATIVES:
            return whole
        said = [
            w for w in whole.wants.words
            if w not in STOPWORDS and w not in _FILLER_WORDS and w not in MEASURE_WORDS and w not in ("versus", "vs")
        ]
        if whole.products and not whole.unmet and _says_all(whole.products[0], said):
            return whole
        found = [self._shop_one(part, None, limit=limit, user_id=user_id, max_price=max_price) for part in parts]
        if not all(r.products and not r.unmet for r in found):
            return whole
        firsts: list[Product] = []
        for r in found:
            best = next((p for p in r.products if p.stock > 0), r.products[0])
            if best.sku not in {p.sku for p in firsts}:
                firsts.append(best)
        if len(firsts) < 2:
            return whole
        rest = [p for r in found for p in r.products]
        kinds = {r.generic for r in found}
        return ShopResult(
            _merge(firsts, rest, limit), found[0].wants, kinds.pop() if len(kinds) == 1 else None,
            several=len(firsts),
        )

    def _shop_one(
        self, query: str, generic: str | None, *, limit: int, user_id: str | None, max_price: int | None = None
    ) -> ShopResult:
        vocab = self._vocabulary()
        wants = read_wants(query, vocab.tags)
        if max_price is not None:
            wants.max_price_cents = max_price
        words = [w for w in wants.words if w not in STOPWORDS and w not in _FILLER_WORDS]
        corrected: str | None = None
        if generic is None and words:
            generic = vocab.generics.get(normalize(" ".join(w for w in words if w not in MEASURE_WORDS)))
        if generic:
            pool = self.by_generic(generic, limit=_POOL)
            if not pool:
                generic = None
        if not generic:
            if words:
                found = self.find(" ".join(words), limit=_POOL)
                corrected = found.corrected
                generic = found.generic
                pool = found.products
                if found.generic:
                    pool = [p for p in pool if p.generic == found.generic] or pool
            elif wants.tags:
                pool = self._tagged(wants.tags[0], _POOL)
            else:
                pool = []
        if not pool:
            return ShopResult([], wants, generic, corrected)
        if not generic and any(not w.isascii() for w in words) and len({p.generic for p in pool}) > 1:
            pool = self._main_kind_first(pool, [w for w in words if not w.isascii()])
        unmet: list[Unmet] = []
        # brand and variety words the kind's name does not say ("starbucks", "dark roast", "whole")
        kind_words = set(tokens(generic.replace("_", " "))) if generic else set()
        kind_words |= {_singular(w) for w in kind_words}
        not_latin = [w for w in words if not w.isascii()]
        if not_latin and generic:
            # a Korean kind's key is English, its names are the synonyms all its products share ("김")
            shared = [set(tokens(p.synonyms)) for p in pool]
            kind_words |= {w for w in not_latin if all(w in said for said in shared)}
        extra = [
            w for w in words
            if w not in kind_words and _singular(w) not in kind_words and w not in MEASURE_WORDS
        ]
        exact = False
        if extra and generic:
            # the product's own brand and name first: a kind's synonyms ("creamy peanut butter") are
            # shared by all its products, so they only decide when the names do not
            named = [p for p in pool if _says_all(p, extra, synonyms=False)]
            named = named or [p for p in pool if _says_all(p, extra)]
            if named:
                pool, exact = _closest_named(named, extra, kind_words)
            elif (other := self._kind_elsewhere(words, generic)) is not None:
                # the kind came from one word ("whole bean" -> beans), but every word together names a
                # product of another kind (Starbucks French Roast Whole Bean Coffee): the words win
                return self._shop_one(query, other, limit=limit, user_id=user_id, max_price=max_price)
            elif corrected is None and any(vocab.knows(w) for w in extra):
                # a word the catalog knows but not for this kind ("tillamook coffee"); words it does
                # not know at all were more likely misheard than meant
                unmet.append(Unmet("words", " ".join(extra)))
        for tag in wants.tags:
            tagged = [p for p in pool if has_tag(p, tag)]
            if tagged:
                pool = tagged
            else:
                unmet.append(Unmet("tag", tag))
        if wants.on_sale:
            on_sale = [p for p in pool if p.deal_price_cents]
            if on_sale:
                pool = on_sale
            else:
                unmet.append(Unmet("sale"))
        if wants.pack:
            packed = [p for p in pool if _pack_fits(p, wants.pack)]
            if packed:
                pool = packed
                exact = exact or len(packed) == 1
            else:
                unmet.append(Unmet("pack", wants.pack[1], wants.pack[0]))
        if wants.max_price_cents is not None:
            cheap = [p for p in pool if p.effective_price_cents <= wants.max_price_cents]
            if cheap:
                pool = cheap
            else:
                unmet.append(Unmet("price", amount=wants.max_price_cents))
                pool = sorted(pool, key=lambda p: p.effective_price_cents)
        pool = self._ordered(pool, wants.sort, user_id)
        # "the cheapest coffee" names one product: the first of the order asked for
        exact = exact or (wants.sort is not None and not unmet and any(p.stock > 0 for p in pool))
        return ShopResult(pool[:limit], wants, generic, corrected, unmet, exact)

    def _main_kind_first(self, pool: list[Product], said: list[str]) -> list[Product]:
        """Products of several kinds for a name said alone (a brand: '서울우유' makes milk, butter and
        cheese): the kind the shopper most likely means first, as a shop would offer it. That is the
        kind the said word names in itself ('서울우유' says 우유), then the kind most bought from these
        products, then the kind most of them are; within a kind, the order that kind is offered in
        (its most bought first, then the catalog's order). Korean only: an English brand says a kind
        as a word of its own, which the search reads as that kind."""
        by_kind: dict[str, list[Product]] = {}
        for p in pool:
            by_kind.setdefault(p.generic, []).append(p)
        bought = self.popularity([p.sku for p in pool])

        def named(kind: list[Product]) -> bool:
            # a kind's Korean names are the synonym words all its products share ("우유")
            shared = set.intersection(*(set(tokens(p.synonyms)) for p in kind))
            return any(len(n) >= 2 and n != w and n in w for n in shared for w in said)

        order = sorted(
            by_kind.values(),
            key=lambda kind: (not named(kind), -sum(bought.get(p.sku, 0) for p in kind), -len(kind)),
        )
        ranked: list[Product] = []
        for kind in order:
            offered = {p.sku: i for i, p in enumerate(self.by_generic(kind[0].generic, limit=_POOL))}
            ranked += sorted(kind, key=lambda p: (-bought.get(p.sku, 0), offered.get(p.sku, len(offered))))
        return ranked

    def _kind_elsewhere(self, words: list[str], generic: str) -> str | None:
        """The kind of a product of another kind than `generic` that says every one of `words`."""
        said = [w for w in words if w not in MEASURE_WORDS]
        if not said:
            return None
        for product in self.find(" ".join(said), limit=10).products:
            if product.generic != generic and _says_all(product, said):
                return product.generic
        return None

    def pick(self, text: str, candidates: list[Product]) -> list[Product]:
        """The candidates (what was just read) that fit a description, best first; empty when none
        does. "the dole ones", "the organic one", "the one on sale", "the twelve roll one" keep those
        that say it; "the cheaper one", "the bigger bottle" keep the one first in that order. A counting
        word no candidate says ("bottle") describes nothing."""
        wants = read_wants(text, self.known_tags())
        pool = list(candidates)
        for tag in wants.tags:
            pool = [p for p in pool if has_tag(p, tag)]
        if wants.on_sale:
            pool = [p for p in pool if p.deal_price_cents]
        if wants.pack:
            pool = [p for p in pool if _pack_fits(p, wants.pack)]
        if wants.max_price_cents is not None:
            pool = [p for p in pool if p.effective_price_cents <= wants.max_price_cents]
        words = [w for w in wants.words if w not in _PICK_NOISE and not w.isdigit()]
        words = [w for w in words if w not in MEASURE_WORDS or any(_says_all(p, [w]) for p in candidates)]
        if words:
            named = [p for p in pool if _says_all(p, words, synonyms=False)] or [p for p in pool if _says_all(p, words)]
            kind_only = all(any(w in tokens(p.generic) or _singular(w) in tokens(p.generic) for p in pool) for w in words)
            pool = named if named or not kind_only else pool
        if wants.sort and pool:
            return self._ordered(pool, wants.sort, None)[:1]
        return pool

    def past_purchases(self, user_id: str, skus: list[str]) -> dict[str, int]:
        """How many times the user ordered each of `skus` (only those ordered at least once)."""
        if not skus:
            return {}
        marks = ", ".join("?" for _ in skus)
        rows = self.db.execute(
            f"SELECT i.sku, count(*) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
            f" WHERE o.user_id = ? AND i.sku IN ({marks}) GROUP BY i.sku",
            (user_id, *skus),
        ).fetchall()
        return {row[0]: int(row[1]) for row in rows}

    def popularity(self, skus: list[str]) -> dict[str, int]:
        """Units of each sku ordered by everyone."""
        if not skus:
            return {}
        marks = ", ".join("?" for _ in skus)
        rows = self.db.execute(
            f"SELECT sku, sum(quantity) FROM order_items WHERE sku IN ({marks}) GROUP BY sku", tuple(skus)
        ).fetchall()
        return {row[0]: int(row[1]) for row in rows}

    def _ordered(self, pool: list[Product], sort: str | None, user_id: str | None) -> list[Product]:
        """In stock first, then by the order word; without one, the user's own past purchases first."""
        rank = {p.sku: i for i, p in enumerate(pool)}
        if sort == "cheapest":
            key: Any = lambda p: p.effective_price_cents  # noqa: E731
        elif sort == "priciest":
            key = lambda p: -p.effective_price_cents  # noqa: E731
        elif sort in ("biggest", "smallest"):
            sign = -1 if sort == "biggest" else 1
            key = lambda p: sign * _amount(p)  # noqa: E731
        elif sort == "popular":
            counts = self.popularity([p.sku for p in pool])
            key = lambda p: -counts.get(p.sku, 0)  # noqa: E731
        elif user_id:
            bought = self.past_purchases(user_id, [p.sku for p in pool])
            key = lambda p: -bought.get(p.sku, 0)  # noqa: E731
        else:
            key = lambda p: 0  # noqa: E731
        return sorted(pool, key=lambda p: (p.stock <= 0, key(p), rank[p.sku]))

    def _tagged(self, tag: str, limit: int) -> list[Product]:
        cursor = self.db.execute(
            f"SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.tags LIKE ? AND p.retired_at IS NULL"
            " ORDER BY p.stock > 0 DESC, p.rowid LIMIT ?",
            (f'%"{tag}"%', limit),
        )
        return [p for p in products_from(cursor) if tag in p.tags]

    # -- search ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> list[Product]:
        """The best matches for what the user said, best first (may be empty)."""
        return self.find(query, limit).products

    def find(self, query: str, limit: int = 10) -> SearchResult:
        """`search` with how the result was reached: the generic named and any correction made."""
        if len(query) > MAX_QUERY_CHARS:
            raise QueryTooLong(f"a product request of {len(query)} characters")
        words = [w for w in tokens(query) if w not in STOPWORDS]
        if len(words) > MAX_QUERY_WORDS:
            raise QueryTooLong(f"a product request of {len(words)} words")
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
            # words only joined or split ("la croix" -> "lacroix") were heard right: no doubt to check
            respelled = "".join(corrected) != "".join(words)
            return SearchResult(merged, generic, " ".join(corrected) if more and respelled else None)
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
        # A whole catalog word is looked up as itself (stemming covers plurals); only a fragment
        # is a prefix. Prefix look-ups merge many index entries, so they are kept for when they help.
        terms = [(w, w not in vocab.words and len(w) >= 3) for w in words]
        hits, params = self.db.dialect.product_hits(terms, any_word=any_word, pool=RANK_POOL)
        # The best RANK_POOL by text relevance are ranked again with stock first: scoring stays inside the
        # text index, and only the pool is joined to products (a common word can match tens of thousands).
        cursor = self.db.execute(
            f"WITH hits AS ({hits})"
            f" SELECT {PRODUCT_COLUMNS} FROM hits JOIN products p ON p.rowid = hits.rowid WHERE p.generic != ? AND p.retired_at IS NULL"
            " ORDER BY p.stock > 0 DESC, hits.score, p.rowid LIMIT ?",
            (*params, exclude_generic or "", limit),
        )
        return products_from(cursor)

    @staticmethod
    def _correct(words: list[str], vocab: _Vocabulary) -> list[str]:
        """Each unknown word replaced by what the catalog probably meant; hopeless words dropped."""
        out: list[str] = []
        i = 0
        deadline = time.monotonic() + CORRECTION_BUDGET_S
        looked_at = 0
        while i < len(words):
            word = words[i]
            if (
                vocab.knows(word)
                or len(word) > MAX_FUZZY_WORD_CHARS
                or looked_at >= MAX_CORRECTED_WORDS
                or time.monotonic() > deadline
            ):
                out.append(word)
                i += 1
                continue
            looked_at += 1
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
        key = self.db.key
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
        tags: set[str] = set()
        for (raw,) in self.db.execute("SELECT DISTINCT tags FROM products WHERE tags != '[]' AND retired_at IS NULL"):
            tags.update(parse_tags(raw))
        vocab = _Vocabulary(words, generics, frozenset(tags))
        with _vocab_lock:
            _vocab_cache[key] = (version, vocab)
        return vocab


# Name words that say no variety ("Original Macaroni and Cheese Dinner"), and words that say only how
# many or how much ("5 Pack", "Family Pack", "12 Mega Rolls").
_PLAIN_WORDS = frozenset({"original", "classic", "regular", "plain", "and", "of", "with", "the", "a", "in"})
_AMOUNT_WORDS = frozenset({"pack", "packs", "count", "ct", "family", "value", "size", "multipack", "bulk", "mega",
                           "jumbo", "club", "roll", "rolls", "double", "triple", "oz", "lb", "each"})


def _unsaid(product: Product, said: set[str]) -> int:
    """How many words of the product's own name (beyond brand, kind, plain and amount words) were not said."""
    brand = set(tokens(product.brand))
    return sum(
        1
        for w in tokens(product.name)
        if not w.isdigit() and w not in brand and w not in _PLAIN_WORDS and w not in _AMOUNT_WORDS
        and w not in said and _singular(w) not in said
    )


def _line(product: Product) -> tuple[str, ...]:
    """Brand and name without amount words: the same for sizes and multipacks of one product."""
    name = [w for w in tokens(product.name) if not w.isdigit() and w not in _AMOUNT_WORDS]
    return (normalize(product.brand), *name)


def _closest_named(named: list[Product], extra: list[str], kind_words: set[str]) -> tuple[list[Product], bool]:
    """The products a brand or variety named, closest first, and whether they name one product: only
    one answers (or none of the others is as fully said: "cheerios" is Cheerios, not Honey Nut
    Cheerios), or all are sizes of one product line (the catalog's everyday size first)."""
    if len(named) == 1:
        return named, True
    said = set(extra) | {_singular(w) for w in extra} | kind_words
    ordered = sorted(named, key=lambda p: _unsaid(p, said))
    fully = [p for p in ordered if _unsaid(p, said) == 0]
    if len(fully) == 1:
        return ordered, True
    return ordered, len({_line(p) for p in named}) == 1


def _alternatives(query: str) -> list[str]:
    """'pompeian olive oil and bertolli olive oil' -> the two requests; one part when nothing joins."""
    parts = [p.strip() for p in re.split(r"\b(?:and|or|versus|vs)\b|,", query.lower())]
    return [p for p in parts if tokens(p)]


def has_tag(product: Product, tag: str) -> bool:
    """Whether `product` meets a tag: it carries it, or its own name says it ("Diamond Crystal Kosher
    Salt" is kosher, "Lactaid Lactose Free Milk" lactose free)."""
    if tag in product.tags:
        return True
    name = tokens(product.name)
    # a Korean name says its tags in Korean words ("곰곰 유기농 바나나"); an English name by the tag itself
    phrases = [tokens(tag_spoken(tag))] + [tokens(p) for p in ATTRIBUTE_PHRASES.get(tag, ()) if not p.isascii()]
    return any(
        name[i : i + len(phrase)] == phrase for phrase in phrases for i in range(len(name) - len(phrase) + 1)
    )


def _says_all(product: Product, words: list[str], *, synonyms: bool = True) -> bool:
    """Every word is said by the product's brand, name, size, tags or (with `synonyms`) its kind's
    synonyms: a word or a word's start."""
    said = f"{product.brand} {product.name} {product.size} {' '.join(product.tags)}"
    text = tokens(f"{said} {product.synonyms}" if synonyms else said)
    have = set(text) | {_singular(w) for w in text}
    # a Korean size counts with a counter on its number ("355ml 6캔"): the counter alone says the form too
    have |= {t.lstrip("0123456789.") for t in text if not t.isascii() and t[0].isdigit()} - {""}
    return all(
        w in have or _singular(w) in have or (len(w) > 3 and any(t.startswith(w) for t in have)) for w in words
    )


def _amount(product: Product) -> float:
    amount = size_amount(product.size)
    return amount[1] if amount else 0.0


def _pack_fits(product: Product, pack: tuple[int, str]) -> bool:
    """'6 double rolls' fits (6, 'roll'); '12 count' fits (12, 'count') and (12, 'egg')."""
    size = product.size.lower()
    if not pack[1].isascii():  # a Korean pack: "120g 5개입" is a pack of five
        return re.search(rf"(?<![\d.]){pack[0]}\s*{re.escape(pack[1])}", size) is not None or (
            pack[1] in ("개", "입") and re.search(rf"(?<![\d.]){pack[0]}\s*개입", size) is not None
        )
    number = re.match(r"(\d+)", size)
    if not number or int(number.group(1)) != pack[0]:
        return False
    word = pack[1]
    return word in size or word in ("count", "ct", "pack", "pk") or product.unit.lower().startswith(word)


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

