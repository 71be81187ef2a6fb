"""What a shopper asks for, beyond the product's name: attributes, order, price, size and pack size.

`read_wants("the cheapest gluten free bread under five dollars", known_tags)` gives the product words
(['bread']) and the requirements: tags {'gluten-free'}, sort 'cheapest', a price ceiling of 500 cents.
Attribute words are requirements, never loose search words: "gluten free bread" must not match a
mouthwash on "free". Which tags exist comes from the catalog (`products.tags`); the phrases below are
only how people say them. Korean words are in the same tables (a Hangul phrase never meets an English
one): "제일 싼" is cheapest, "유기농" organic, "다섯 개입짜리" a pack of five.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from skill.services.number_words import CARDINALS, DOZEN

__all__ = ["ATTRIBUTE_PHRASES", "ORDER_PHRASES", "SALE_PHRASES", "Wants", "number_value", "read_wants", "size_amount", "tag_spoken"]

# tag -> phrases people say for it (besides the tag itself with spaces for hyphens). Dietary words that
# no product of the demo catalog carries are listed too, so "keto bread" is answered honestly.
ATTRIBUTE_PHRASES: dict[str, tuple[str, ...]] = {
    "organic": ("organic",),
    "gluten-free": ("gluten free", "no gluten", "without gluten", "celiac friendly"),
    "lactose-free": ("lactose free", "no lactose", "without lactose"),
    "dairy-free": ("dairy free", "non dairy", "no dairy", "without dairy"),
    "unsweetened": ("unsweetened", "no sugar added", "without sugar added"),
    "decaf": ("decaf", "decaffeinated", "caffeine free", "no caffeine"),
    "low-sodium": ("low sodium", "low salt", "reduced sodium", "light sodium", "less salt"),
    "unsalted": ("unsalted", "no salt", "salt free"),
    "sugar-free": ("sugar free", "no sugar", "zero sugar", "sugarless", "diet"),
    "fat-free": ("fat free", "non fat", "nonfat", "skim", "no fat", "zero fat"),
    "low-fat": ("low fat", "reduced fat", "part skim", "two percent"),
    "whole-grain": ("whole grain", "whole wheat", "wholemeal"),
    "free-range": ("free range", "cage free", "pasture raised"),
    "alcohol-free": ("alcohol free", "no alcohol"),
    "unscented": ("unscented", "fragrance free", "no fragrance", "no scent"),
    "vegan": ("vegan", "plant based"),
    "vegetarian": ("vegetarian",),
    "keto": ("keto", "keto friendly"),
    "kosher": ("kosher",),
    "halal": ("halal",),
    "nut-free": ("nut free", "no nuts", "peanut free"),
    "low-carb": ("low carb", "low carbohydrate"),
    # Korean: the words a Korean product's name says its tags with (`catalog.has_tag` reads them in the name)
    "domestic": ("국산", "국내산"),
    "antibiotic-free": ("무항생제",),
}
_KOREAN_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "organic": ("유기농", "친환경"),
    "low-fat": ("저지방",),
    "lactose-free": ("락토프리", "무유당", "유당 없는"),
    "unsweetened": ("무가당", "무설탕", "설탕 없는"),
    "sugar-free": ("제로", "제로 슈거", "무당", "당 없는"),
    "unsalted": ("무염", "저염"),
}
for _tag, _said in _KOREAN_ATTRIBUTES.items():
    ATTRIBUTE_PHRASES[_tag] = (*ATTRIBUTE_PHRASES[_tag], *_said)

# order words -> how to sort what is read
ORDER_PHRASES: dict[str, tuple[str, ...]] = {
    "cheapest": ("cheapest", "cheaper", "least expensive", "less expensive", "lowest price", "cheap",
                 "inexpensive", "budget", "lower priced", "best price", "best value"),
    "priciest": ("most expensive", "more expensive", "priciest", "pricier", "premium", "fanciest",
                 "expensive", "nicest"),
    "popular": ("most popular", "best selling", "bestselling", "best seller", "popular",
                "top rated", "most bought"),
    "biggest": ("biggest", "bigger", "largest", "larger", "big", "family size", "family sized",
                "bulk", "jumbo", "value size", "value pack", "giant", "huge"),
    "smallest": ("smallest", "smaller", "small", "little", "mini", "travel size"),
}
_KOREAN_ORDER: dict[str, tuple[str, ...]] = {
    "cheapest": ("싼", "저렴한", "최저가", "값싼", "싸", "저렴해", "싼 편인"),
    "priciest": ("비싼", "고급", "프리미엄", "비싸", "비싼 편인"),
    "popular": ("인기 있는", "인기 많은", "잘 팔리는", "많이 사는", "인기", "베스트"),
    "biggest": ("큰", "대용량", "넉넉한", "많이 든", "커", "양이 많은", "양 많은", "많이 들은", "많이 들어 있는"),
    "smallest": ("작은", "소용량", "조그만", "작아", "양이 적은"),
}
for _key, _said in _KOREAN_ORDER.items():
    ORDER_PHRASES[_key] = (*ORDER_PHRASES[_key], *_said)
SALE_PHRASES = ("on sale", "on special", "on offer", "on deal", "discounted", "on discount", "reduced",
         "a deal", "deal", "deals", "sale", "special offer", "on promotion",
         "할인하는", "할인 중인", "할인 중", "세일하는", "세일 중인", "행사하는", "행사 중인", "할인", "세일", "행사", "특가")
_PRICE_LEADS = ("under", "below", "less than", "cheaper than", "no more than", "at most", "up to",
                "max", "maximum", "within", "for under", "for less than")
_NUMBERS = {**CARDINALS, "a": 1, "dozen": DOZEN, "half": 0}
# words counting what a pack holds ("the six roll one", "the 12 count")
PACK_WORDS = frozenset({"roll", "rolls", "count", "ct", "pack", "packs", "pk", "can", "cans", "pods", "pod",
                        "bottle", "bottles", "bar", "bars", "box", "boxes", "piece", "pieces", "egg", "eggs",
                        "sheet", "sheets", "bag", "bags", "cup", "cups", "oz", "ounce", "ounces", "lb",
                        "pound", "pounds", "liter", "litre", "liters",
                        "개", "개입", "입", "봉지", "봉", "롤", "병", "캔", "팩", "구"})
_WORD = re.compile(r"[^\W_]+(?:\.\d+)?")
_KOREAN_MOST = frozenset({"제일", "가장", "젤", "더", "제일로"})
"""'most', 'more' before a Korean order word."""


def tag_spoken(tag: str) -> str:
    """How a tag is said: 'gluten-free' -> 'gluten free'."""
    return tag.replace("-", " ").replace("_", " ")


@dataclass
class Wants:
    """A request read into product words and requirements."""

    words: list[str] = field(default_factory=list)
    """The words left to name the product ('bread'), in the order said."""
    tags: list[str] = field(default_factory=list)
    """Tags every answer must carry ('gluten-free')."""
    sort: str | None = None
    """'cheapest', 'priciest', 'popular', 'biggest' or 'smallest'."""
    on_sale: bool = False
    max_price_cents: int | None = None
    pack: tuple[int, str] | None = None
    """A pack size that picks a product ('six roll' -> (6, 'roll')), never a quantity."""

    @property
    def requirements(self) -> bool:
        """Whether anything beyond the product's name was asked."""
        return bool(self.tags or self.sort or self.on_sale or self.max_price_cents or self.pack)


def number_value(words: list[str]) -> float | None:
    """'five' -> 5, 'twenty five' -> 25, '4.99' -> 4.99, 'three fifty' -> 3.5; None when not a number."""
    if not words:
        return None
    if len(words) == 1 and re.fullmatch(r"\d+(\.\d+)?", words[0]):
        return float(words[0])
    total = 0
    parts: list[int] = []
    for w in words:
        if w.isdigit():
            parts.append(int(w))
            continue
        if w not in _NUMBERS or w == "half":
            return None
        value = _NUMBERS[w]
        if value == 100 and parts:
            parts[-1] *= 100
        elif parts and parts[-1] >= 20 and parts[-1] % 10 == 0 and 0 < value < 10:
            parts[-1] += value
        else:
            parts.append(value)
    if len(parts) == 1:
        return float(parts[0])
    if len(parts) == 2 and parts[1] < 100:  # "three fifty": dollars and cents
        return parts[0] + parts[1] / 100
    total = sum(parts)
    return float(total)


def _phrases(known_tags: set[str] | frozenset[str]) -> list[tuple[tuple[str, ...], str]]:
    table: dict[tuple[str, ...], str] = {}
    for tag in sorted(known_tags | set(ATTRIBUTE_PHRASES)):
        for phrase in (tag_spoken(tag), *ATTRIBUTE_PHRASES.get(tag, ())):
            table.setdefault(tuple(phrase.split()), tag)
    return sorted(table.items(), key=lambda item: -len(item[0]))


def read_wants(text: str, known_tags: set[str] | frozenset[str] = frozenset()) -> Wants:
    """Read `text` into product words and requirements (see the module docstring)."""
    text = re.sub(r"\$\s*(\d+(?:\.\d+)?)", r" \1 dollars ", text.lower())
    words = _WORD.findall(text.replace("-", " ").replace("$", " "))
    wants = Wants()
    phrases = _phrases(known_tags)
    sorts = sorted(((tuple(p.split()), key) for key, ps in ORDER_PHRASES.items() for p in ps), key=lambda x: -len(x[0]))
    sale = sorted((tuple(p.split()) for p in SALE_PHRASES), key=len, reverse=True)
    leads = sorted((tuple(p.split()) for p in _PRICE_LEADS), key=len, reverse=True)
    i = 0
    while i < len(words):
        if words[i] in _KOREAN_MOST and i + 1 < len(words):
            i += 1  # "제일 싼", "가장 큰": the order word says it
            continue
        matched = False
        for lead in leads:
            if tuple(words[i : i + len(lead)]) == lead:
                j = i + len(lead)
                k = j
                while k < len(words) and (words[k] in _NUMBERS or re.fullmatch(r"\d+(\.\d+)?", words[k])):
                    k += 1
                amount = number_value(words[j:k])
                if amount is not None and k > j:
                    cents = int(round(amount * 100))
                    end = k
                    if end < len(words) and words[end] in ("dollars", "dollar", "bucks", "buck"):
                        end += 1
                    if end + 1 < len(words) and words[end] == "and" and words[end + 1].isdigit():
                        end += 2
                    wants.max_price_cents = cents
                    i = end
                    matched = True
                break
        if matched:
            continue
        for phrase, tag in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                if tag not in wants.tags:
                    wants.tags.append(tag)
                i += len(phrase)
                matched = True
                break
        if matched:
            continue
        for phrase in sale:
            if tuple(words[i : i + len(phrase)]) == phrase:
                wants.on_sale = True
                i += len(phrase)
                matched = True
                break
        if matched:
            continue
        for phrase, key in sorts:
            if tuple(words[i : i + len(phrase)]) == phrase:
                wants.sort = wants.sort or key
                i += len(phrase)
                matched = True
                break
        if matched:
            continue
        # a pack size: "six roll", "12 count", "eighteen pack"
        if i + 1 < len(words) and words[i + 1] in PACK_WORDS:
            amount = number_value([words[i]])
            if amount is not None and amount >= 2 and words[i] not in ("a", "one"):
                wants.pack = (int(amount), words[i + 1].rstrip("s"))
                i += 2
                continue
        wants.words.append(words[i])
        i += 1
    return wants


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(gallon|half gallon|fl oz|oz|ounce|lb|pound|liter|litre|ml|quart|pint|kg|g|count|ct|pack|rolls?|double rolls|mega rolls|family mega rolls|cans|boxes|bags|each|l(?![a-z]))?")
_TO_OZ = {"gallon": 128.0, "quart": 32.0, "pint": 16.0, "liter": 33.8, "litre": 33.8, "ml": 0.0338,
          "oz": 1.0, "fl oz": 1.0, "ounce": 1.0, "lb": 16.0, "pound": 16.0, "kg": 35.27, "g": 0.03527,
          "l": 33.8}


def size_amount(size: str) -> tuple[str, float] | None:
    """A size made comparable: ('oz', 64.0) for 'half gallon' or '64 oz', ('count', 12) for '12 count',
    '12 pack' or '12 mega rolls'; None when it says no amount ('about 2.5 lb' is weight 40)."""
    text = size.lower().strip()
    if not text.isascii():
        return _korean_size(text)
    if text.startswith("half gallon"):
        return ("oz", 64.0)
    match = _SIZE.search(text)
    if not match:
        return None
    number = float(match.group(1))
    unit = (match.group(2) or "").strip()
    if unit in _TO_OZ:
        return ("oz", number * _TO_OZ[unit])
    if not unit:
        for word, factor in _TO_OZ.items():
            if re.search(rf"\b{word}\b", text):
                return ("oz", number * factor)
        return ("count", number)
    return ("count", number)


_KOREAN_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(ml|kg|l|g)(?![a-z])")
_KOREAN_COUNT = re.compile(r"(\d+)\s*(개입|병|캔|롤|구|매|봉지|봉|팩|개)")
_METRIC_OZ = {"ml": 0.0338, "l": 33.8, "g": 0.03527, "kg": 35.27}


def _korean_size(text: str) -> tuple[str, float] | None:
    """A Korean catalog's size made comparable: the whole pack ('2l 6병' is 12 litres, in oz), or a count
    ('10구', '30롤') when it says no amount."""
    amount = _KOREAN_AMOUNT.search(text)
    count = _KOREAN_COUNT.search(text)
    times = int(count.group(1)) if count else 1
    if amount:
        return ("oz", float(amount.group(1)) * _METRIC_OZ[amount.group(2)] * times)
    return ("count", float(times)) if count else None
