"""Korean words for the NLU: morphemes from a real analyser (Kiwi), numbers in both systems, dates.

    kiwi = analyser_for(["신라면", "햇반"])               # taught a model's nouns; one per set of words
    korean_tokens("우유를 두 개 장바구니에 담아 주세요", kiwi)   # ['우유', '2', '개', '장바구니', '담다']
    korean_tokens("장바구니에담아줘", kiwi)                     # ['장바구니', '담다']: spacing does not matter
    korean_tokens("일이삼사", kiwi), korean_tokens("하나 둘 셋 넷", kiwi)  # ['1', '2', '3', '4'] both
    find_korean_spans(korean_tokens("내일 오전에 두 번째 거", kiwi), today)  # DATE for 내일, ORD 2 for 두 번째

Korean glues particles and endings to words and spaces freely, so the words the NLU matches are
morphemes: Kiwi (kiwipiepy, Apache-2.0) takes a sentence apart, particles, endings and the
benefactive "-아 주다" (please) are dropped, a verb is its dictionary form ("담아", "담아요", "담을게요" ->
"담다"), and a noun+하다 verb is its noun ("결제해 줘" -> "결제"). Polite and casual speech differ only in
the endings, so they read alike. Numbers become digits: native words that count (하나, 두, 세, 열두)
and Sino-Korean words for codes, prices and dates (일, 이, 삼, 이천구백); a run of single digits said one
by one stays digits one by one, as a spoken code. Samples and utterances go through the same function.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import Any

from speech.errors import ModelError
from speech.nlu.builtin_types import BUILTIN_KINDS, Span
from speech.nlu.dates import day_of_month
from speech.nlu.korean_words import KOREAN_FILLERS
from speech.nlu.numbers import UNITS

__all__ = [
    "KOREAN_BUILTIN_PHRASES",
    "Analyser",
    "KoreanWords",
    "analyser_for",
    "teachable",
    "describes",
    "KOREAN_FILLS",
    "KOREAN_NUMBER_WORDS",
    "find_korean_spans",
    "korean_listing",
    "korean_surface",
    "value_readings",
    "korean_tokens",
    "sino_number",
    "native_number",
]

MAX_TOKENS = 60

# -- numbers ----------------------------------------------------------------------------------------

_NATIVE_UNITS = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "서": 3, "넷": 4, "네": 4,
                 "넉": 4, "너": 4, "다섯": 5, "닷": 5, "여섯": 6, "엿": 6, "일곱": 7, "여덟": 8, "여덜": 8,
                 "아홉": 9}
_NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
                "여든": 80, "아흔": 90}
_SINO_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7,
                "팔": 8, "구": 9}
_SINO_SMALL = {"십": 10, "백": 100, "천": 1000}
_SINO_LARGE = {"만": 10_000, "억": 100_000_000}
_SINO_PARTS = re.compile(r"[0-9]+|.")
"""A Sino-Korean number's parts: a syllable, or digits written before a unit word ('1만5천')."""
KOREAN_NUMBER_WORDS = frozenset([*_NATIVE_UNITS, *_NATIVE_TENS, *_SINO_DIGITS, *_SINO_SMALL, *_SINO_LARGE])
"""Every number word read here (for an ASR vocabulary)."""


def native_number(text: str) -> int | None:
    """'열두' -> 12, '스물다섯' -> 25, '셋' -> 3; None when `text` is not a native Korean number."""
    text = text.replace(" ", "")
    if not text:
        return None
    total = 0
    for word, value in sorted(_NATIVE_TENS.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(word):
            total, text = value, text[len(word):]
            break
    if not text:
        return total or None
    unit = _NATIVE_UNITS.get(text)
    return None if unit is None else total + unit


def sino_number(text: str) -> int | None:
    """'이천구백' -> 2900, '만 이천' -> 12000, '십이' -> 12, '삼' -> 3, and with digits as written on a price
    tag '1만5천' -> 15000; None when not a Sino-Korean number."""
    text = text.replace(" ", "")
    if not text:
        return None
    total = section = 0
    digit: int | None = None
    for ch in _SINO_PARTS.findall(text):
        if ch in _SINO_DIGITS or ch.isdigit():
            if digit is not None:
                return None  # two digits in a row are a code, not one number
            digit = _SINO_DIGITS[ch] if ch in _SINO_DIGITS else int(ch)
        elif ch in _SINO_SMALL:
            section += (1 if digit is None else digit) * _SINO_SMALL[ch]
            digit = None
        elif ch in _SINO_LARGE:
            section += digit or 0
            total += (section or 1) * _SINO_LARGE[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


# -- the analyser ------------------------------------------------------------------------------------

SHOP_WORDS = ("장바구니", "특가", "재주문", "배송지", "주문", "결제", "체크아웃", "할인", "택배", "품절", "비밀번호")
"""Nouns of any shop the analyser would otherwise split ('장바구니' as '장' + '바구니' in some sentences)."""

def teachable(word: str) -> bool:
    """Whether the analyser is taught `word` as a noun of the shop: a whole Hangul word of two or more
    syllables that does not describe ('작은', '저렴한': see `describes`) and is no number word ('여섯',
    '열두' stay numbers: "다섯 여섯 일곱 여덟" is a code)."""
    return (len(word) >= 2 and bool(_HANGUL_WORD.fullmatch(word)) and not describes(word)
            and native_number(word) is None and sino_number(word) is None)


class Analyser:
    """A Kiwi taught one set of nouns (the shop's and a model's: `analyser_for`), so it does not split
    them ('장바구니' as '장' + '바구니'). It loads in about a second (then a tenth of a millisecond a
    sentence), in the background when asked (`load_soon`): its first sentence waits for that. The
    typo and multi-word dictionaries are left out: they double the load time and the NLU matches
    near-misses itself."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self._kiwi: Any = None
        self._lock = threading.Lock()
        self._loading: threading.Thread | None = None
        self.read = lru_cache(maxsize=64)(partial(_read, self))
        """`_read` with this analyser, the last few kept: a slot's words said (`korean_surface`) read
        the utterance again."""

    def load_soon(self) -> None:
        """Load in a background thread, so a command reading its NLU from the disk cache goes on."""
        with self._lock:
            if self._kiwi is None and self._loading is None:
                self._loading = threading.Thread(target=self.kiwi, name="kiwi-warm-up", daemon=True)
                self._loading.start()

    def kiwi(self) -> Any:
        """The loaded Kiwi (waiting for a background load under way)."""
        loading = self._loading
        if loading is not None and loading is not threading.current_thread():
            loading.join()
        with self._lock:
            if self._kiwi is None:
                self._kiwi = _load_kiwi(self.words)
            return self._kiwi


def _load_kiwi(words: frozenset[str]) -> Any:
    try:
        from kiwipiepy import Kiwi
    except ImportError as exc:
        raise ModelError("Korean needs the kiwipiepy analyser: pip install 'voiceshop[ko]'") from exc
    kiwi = Kiwi(num_workers=-1, load_default_dict=False, load_typo_dict=False, load_multi_dict=False)
    for word in SHOP_WORDS:
        kiwi.add_user_word(word, "NNG", 0.0)
    for word in sorted(words - set(SHOP_WORDS)):
        kiwi.add_user_word(word, "NNP", 0.0)
    kiwi.tokenize("장바구니에 담아 줘")  # it builds itself on its first sentence
    return kiwi


_ANALYSERS: weakref.WeakValueDictionary[frozenset[str], Analyser] = weakref.WeakValueDictionary()
_RECENT: list[Analyser] = []
"""The last analysers asked for, kept while no NLU holds them (a model compiled again finds its own)."""
_ANALYSERS_LOCK = threading.Lock()


def analyser_for(words: Iterable[str] = (), *, soon: bool = False) -> Analyser:
    """The analyser taught the shop's nouns and those of `words` it can be taught (`teachable`): one
    for each set of words, shared by whatever asks with the same set (two compiles of one model), so
    what one model teaches never changes how another reads. `soon`: start loading it now, in the
    background."""
    taught = frozenset(w for w in words if teachable(w)) | frozenset(SHOP_WORDS)
    with _ANALYSERS_LOCK:
        found = _ANALYSERS.get(taught)
        if found is None:
            found = _ANALYSERS[taught] = Analyser(taught)
        _RECENT[:] = [found, *(a for a in _RECENT if a is not found)][:2]
    if soon:
        found.load_soon()
    return found


class KoreanWords:
    """How one compiled model reads Korean: `korean_tokens`, `value_readings` and `korean_surface` with
    its own analyser. Pickled as the words taught; read back, its analyser loads in the background."""

    def __init__(self, analyser: Analyser) -> None:
        self.analyser = analyser

    def tokens(self, text: str, *, limit: int = MAX_TOKENS) -> list[str]:
        return korean_tokens(text, self.analyser, limit=limit)

    def readings(self, form: str) -> list[list[str]]:
        return value_readings(form, self.analyser)

    def said(self, text: str, value: str) -> str | None:
        return korean_surface(text, value, self.analyser)

    def listing(self, text: str) -> tuple[str, list[_Word]]:
        return korean_listing(text, self.analyser)

    def __getstate__(self) -> dict[str, Any]:
        return {"words": sorted(self.analyser.words)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.analyser = analyser_for(state["words"], soon=True)


_MODIFIER_ENDINGS = frozenset("은운는던한")
_DESCRIBING = frozenset(["비싼", "값싼", "다진", "하얀", "빨간", "노란", "파란", "까만", "커다란", "조그만", "동그란",
                         "기다란", "절인", "말린", "얼린", "익힌", "데친", "튀긴", "매콤한", "짠"])
"""Words that describe whose ending is a bare 'ㄴ' after a vowel (as in 라면, a noun): named one by one."""


def describes(word: str) -> bool:
    """Whether `word` may be an adjective or verb that describes a noun ('작은', '부드러운', '맛있는',
    '건강한', '저렴한'): it ends in a modifier ending. Such a word of a product's name is not taught as a
    noun, so "작은 거" and "저렴한 우유" are still read as said (one-syllable words, '큰' and '싼', never
    are). Telling by the ending rather than by asking the analyser keeps its one build of its model: a
    word taught after it has read anything makes it build again. A noun left untaught ('크라운') is read
    the same way in the model's values and in what is said."""
    return word[-1] in _MODIFIER_ENDINGS or word in _DESCRIBING


# -- tokens -------------------------------------------------------------------------------------------

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_JAMO = re.compile(r"[\u1100-\u11ff\u3130-\u318f]+")
# Chat shorthand in bare consonants that people also type to a speaker app.
_JAMO_WORDS = {"ㅇㅇ": "응", "ㅇㅋ": "오케이", "ㄴㄴ": "아니", "ㄱㄱ": "그래", "ㅇㅇㅇ": "응"}
_DROP_TAGS = ("J", "E", "SF", "SP", "SS", "SE", "SO", "SW", "W_", "XSV", "XSA", "VCP", "UN")
# Auxiliary verbs that only add politeness or aspect: "담아 줘" = "담아", "찾아 봐" = "찾아".
_SOFT_AUX = frozenset(["주", "보", "싶", "두", "놓", "버리", "드리", "가", "오"])
_LEAVE_AUX = frozenset(["놓", "두"])
"""Auxiliaries that are verbs of their own ('leave it') when no verb comes before them."""
_NUMERIC_DETERMINERS = frozenset(_NATIVE_UNITS) | frozenset(_NATIVE_TENS)
_SUFFIX_DROP = frozenset(["들", "씩", "쯤", "정도"])
_COUNTERS = frozenset(["개", "병", "봉지", "봉", "팩", "캔", "박스", "상자", "묶음", "통", "판", "송이", "포대", "망", "마리",
                       "모", "단", "포기", "롤", "번째", "번", "시", "명", "세트", "줄", "알", "장", "켤레", "잔", "인분"])
"""Counter nouns: a native number word before one is a count ('네 봉지'), whatever the analyser tagged it."""
_SINO_SYLLABLES = "영공일이삼사오육칠팔구"
# A code said digit by digit in Sino-Korean ("일이삼사", "사 삼 이 일", "구팔칠육입니다"): three or more
# digit syllables from a word's start to its end (or to a copula or polite ending). The analyser reads
# such runs as other words ('일일이' one by one, '이' this), so they are turned into digits first.
_SINO_RUN = re.compile(
    rf"(?<![\uac00-\ud7a3])((?:[{_SINO_SYLLABLES}]\s*){{2,}}[{_SINO_SYLLABLES}])"
    r"(?=$|[^\uac00-\ud7a3]|(?:이에요|에요|예요|입니다|이요|요|이야|야|번)(?![\uac00-\ud7a3]))"
)


_LATIN_SPACE = re.compile(r"([A-Za-z]+)\s+(?=[\uac00-\ud7a3])")
_NOT_SPACE = re.compile(r"\S+")
_PREDICATE_TAGS = ("VV", "VA", "VX", "VCN")
KOREAN_JOINER = "그리고"
"""The word a conjunctive particle ('우유랑', '두부와', '라면 두 개하고') or a comma reads as in a list
(`korean_listing`): 'and'."""
_JOINING = frozenset(["랑", "이랑", "하고", "와", "과"])
"""Particles that join nouns ('with', 'and'): tagged JC, or JKB where the analyser reads 'with'."""
_Piece = tuple[str, str, int, int]
"""A morpheme kept: its NLU form, its kind ('w', 'n', 'nr'), and its characters [start, end)."""
_Word = tuple[str, int, int]
"""An NLU word and its characters [start, end)."""


def _digits_of_run(match: re.Match[str]) -> str:
    digits = [ch for ch in match.group(1) if ch in _SINO_DIGITS]
    after = match.string[match.end():]
    if len(digits) > 4 and digits[-1] == "이" and after.startswith("에요"):  # "사삼이일이에요": 4321 + 이에요
        digits.pop()
        return " " + " ".join(str(_SINO_DIGITS[ch]) for ch in digits) + " 이"
    return " " + " ".join(str(_SINO_DIGITS[ch]) for ch in digits) + " "


_HELPED_VERBS = {"보여주": "보이", "도와주": "돕"}
"""Verb + 주다 that the analyser keeps as one word when written unspaced ("보여줘"), read as the verb
alone, as the spaced "보여 줘" is."""


def _piece(form: str, tag: str, joiners: bool = False) -> tuple[str, str] | None:
    """A morpheme as the NLU reads it, with the kind it is ('n' number, 'w' word); None to drop.
    With `joiners`, a particle joining nouns and a comma are kept as `KOREAN_JOINER`."""
    if joiners and ((tag in ("JC", "JKB") and form in _JOINING) or (tag == "SP" and form == ",")):
        return (KOREAN_JOINER, "w")
    if tag == "JKQ" or (tag.startswith("E") and "라고" in form):  # a quotation: "두부라고 했잖아" corrects
        return ("라고", "w")
    if tag.startswith(_DROP_TAGS):
        return None
    if tag == "SN":
        digits = form.replace(",", "")
        return (digits, "n") if digits.isdigit() else None
    if tag == "SL":
        word = form.lower()
        # an English number inside Korean ("우유 two 개") counts as the number
        return (str(UNITS[word]), "n") if UNITS.get(word, 99) <= 12 else (word, "w")
    if tag == "NR":
        return (form, "nr")
    if tag == "MM" and form in _NUMERIC_DETERMINERS:
        return (form, "nr")
    if tag == "VX" or tag.startswith("VX-"):
        return None if form in _SOFT_AUX else (form + "다", "w")
    if tag in ("VV", "VA", "VCN") or tag.startswith(("VV-", "VA-")):  # "-I"/"-R": irregular, regular
        # 하다 is the light verb of "결제하다", "주문해 줘" (tagged either way): the noun says it all
        if form == "하":
            return None
        return (_HELPED_VERBS.get(form, form) + "다", "w")
    if tag == "XSN":
        return None if form in _SUFFIX_DROP else (form, "w")
    return (form, "w")


def _unit_at(pieces: list[_Piece], i: int) -> bool:
    """Whether piece `i` is a Sino-Korean unit word (십, 백, 천, 만, 억) read as a number."""
    return 0 <= i < len(pieces) and pieces[i][1] == "nr" and (pieces[i][0] in _SINO_SMALL or pieces[i][0] in _SINO_LARGE)


def _numbers(pieces: list[_Piece]) -> list[_Word]:
    """Number words to digits: a compound ('이천구백', '열두', '만 이천') is one number; single digits said
    one after another ('일 이 삼 사', '하나 둘 셋 넷') stay one digit each, as a code is said. Each word
    keeps the characters it was read from (a compound spans all of its pieces)."""
    def counted(i: int) -> bool:
        return i + 1 < len(pieces) and (pieces[i + 1][0] in _COUNTERS or pieces[i + 1][1] != "w")

    # a native number word before a counter is a count whatever it was tagged ('네 봉지'); '한' before
    # any other noun is more often '하다' read wrong ('아까 한 주문': the order I placed) than 'one'
    pieces = [
        (f, "nr", a, b) if k == "w" and f in _NUMERIC_DETERMINERS and counted(i)
        else ("한", "w", a, b) if (f, k) == ("한", "nr") and not counted(i) and i + 1 < len(pieces)
        else (f, k, a, b)
        for i, (f, k, a, b) in enumerate(pieces)
    ]
    # digits written with a unit word ('1만5천원', '1만 2000원') are one number, as they are read aloud
    pieces = [
        (f, "nr", a, b) if k == "n" and (_unit_at(pieces, i + 1) or (_unit_at(pieces, i - 1) and pieces[i - 1][0] in _SINO_LARGE))
        else (f, k, a, b)
        for i, (f, k, a, b) in enumerate(pieces)
    ]
    out: list[_Word] = []
    i = 0
    while i < len(pieces):
        form, kind, start, end = pieces[i]
        if kind != "nr":
            out.append((form, start, end))
            i += 1
            continue
        j = i
        while j < len(pieces) and pieces[j][1] == "nr":
            j += 1
        run = pieces[i:j]
        forms = [f for f, *_ in run]
        if all(len(w) == 1 and w in _SINO_DIGITS for w in forms) and len(run) > 1:
            out.extend((str(_SINO_DIGITS[f]), a, b) for f, _, a, b in run)
        elif all(w in _NATIVE_UNITS for w in forms) and len(run) > 1:
            out.extend((str(_NATIVE_UNITS[f]), a, b) for f, _, a, b in run)
        else:
            value = native_number("".join(forms))
            if value is None:
                value = sino_number("".join(forms))
            if value is None:  # read word by word
                for f, _, a, b in run:
                    v = native_number(f)
                    v = sino_number(f) if v is None else v
                    out.append((str(v) if v is not None else f, a, b))
            else:
                out.append((str(value), run[0][2], run[-1][3]))
        i = j
    return out


def _unreadable(ch: str) -> bool:
    """A character read as a space: a number sign that is not a digit (①, Ⅻ), or a control, format
    (zero-width space, joiners), private-use or lone surrogate character."""
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Co", "Cs"):
        return ch not in "\t\n\r"
    return not ch.isascii() and category.startswith("N") and not ch.isdigit()


class _Text:
    """Text being prepared for the analyser, each character tied to the character of the text as said
    it came from, so a word read from it can be given back as it was said (`korean_words`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.origin = list(range(len(text)))

    def each(self, change: Callable[[str], str]) -> None:
        """Change character by character (a change may give several characters or none)."""
        text: list[str] = []
        origin: list[int] = []
        for ch, at in zip(self.text, self.origin, strict=True):
            new = change(ch)
            text.append(new)
            origin.extend([at] * len(new))
        self.text, self.origin = "".join(text), origin

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> None:
        """`pattern.sub(repl, text)`, the characters of each replacement spread over what it replaced."""
        matches = list(pattern.finditer(self.text))
        if not matches:
            return
        text: list[str] = []
        origin: list[int] = []
        done = 0
        for m in matches:
            text.append(self.text[done:m.start()])
            origin.extend(self.origin[done:m.start()])
            new = repl(m)
            size = m.end() - m.start()
            text.append(new)
            origin.extend(
                self.origin[m.start() + (k * size) // len(new)] if size else self.origin[m.start() - 1] if m.start()
                else 0 for k in range(len(new))
            )
            done = m.end()
        text.append(self.text[done:])
        origin.extend(self.origin[done:])
        self.text, self.origin = "".join(text), origin

    def said(self, start: int, end: int) -> tuple[int, int]:
        """Characters [start, end) of this text as a range of the text as said."""
        if not self.origin:
            return 0, 0
        start = min(start, len(self.origin) - 1)
        end = max(min(end, len(self.origin)), start + 1)
        return self.origin[start], self.origin[end - 1] + 1


def _jamo_word(m: re.Match[str]) -> str:
    return _JAMO_WORDS.get(m.group().strip(".,!?~"), m.group())


def _prepared(text: str, limit: int) -> tuple[str, _Text]:
    """The text as said (NFC, cut to a length) and the text the analyser reads, tied to it."""
    said = unicodedata.normalize("NFC", text[: limit * 20])
    prepared = _Text(said)
    if any(_unreadable(ch) for ch in said):
        prepared.each(lambda ch: " " if _unreadable(ch) else ch)
    if any("\uff00" <= ch <= "\uffef" for ch in prepared.text):
        prepared.each(lambda ch: unicodedata.normalize("NFKC", ch))
    if _JAMO.search(prepared.text):
        prepared.sub(_NOT_SPACE, _jamo_word)
        prepared.sub(_JAMO, lambda m: " ")
    prepared.sub(_SINO_RUN, _digits_of_run)
    # a Latin word then a particle or a word ("{unit} 로" as the compiler marks a sample's slot, "USB 로"):
    # written together, so the analyser reads the particle as the particle it is (it splits at the script)
    prepared.sub(_LATIN_SPACE, lambda m: m.group(1))
    return said, prepared


def _analysed(analyser: Analyser, text: str) -> list[Any]:
    """The analyser's tokens of `text`. Where it read a spaced word as an ending ("만 원 이하 라면": 이하 +
    copula + the ending '-라면', if it is), which Korean never spaces apart, it reads again with each
    spaced word that is a taught noun held as that noun."""
    kiwi = analyser.kiwi()
    tokens = kiwi.tokenize(text)
    starts: set[int] = set()
    for tok in tokens:
        first = tok.start not in starts
        starts.add(tok.start)
        if first and tok.start > 0 and text[tok.start - 1].isspace() and (
            tok.tag.startswith("E") or (tok.tag == "VCP" and tok.len == 0)
        ):
            held = [(m.start(), m.end(), "NNP") for m in _NOT_SPACE.finditer(text) if m.group() in analyser.words]
            return kiwi.tokenize(text, pretokenized=held) if held else tokens
    return tokens


def _read(analyser: Analyser, text: str, limit: int, joiners: bool = False) -> tuple[str, tuple[_Word, ...]]:
    """The text as said, and its NLU words, each with the characters [start, end) of that text it was
    read from (with `joiners`, the particles that join a list too: `_piece`; `Analyser.read` keeps the
    last few)."""
    if not text or not text.strip():
        return "", ()
    said, prepared = _prepared(text, limit)
    if not prepared.text.strip():
        return said, ()
    pieces: list[_Piece] = []
    predicate = verb_seen = False
    for tok in _analysed(analyser, prepared.text):
        piece = _piece(tok.form, tok.tag, joiners)
        if piece is None and not verb_seen and tok.tag.startswith("VX") and tok.form in _LEAVE_AUX:
            # 'leave' with no verb before it is the verb ('놔 둬' = leave it, read as two auxiliaries: 놓다)
            piece = (tok.form + "다", "w")
        verb_seen = verb_seen or tok.tag.startswith((*_PREDICATE_TAGS, "XSV", "XSA", "VCP"))
        if piece is not None:
            pieces.append((*piece, tok.start, tok.start + tok.len))
            predicate = tok.tag.startswith(_PREDICATE_TAGS)
        elif predicate and tok.tag.startswith("E") and pieces and tok.start <= pieces[-1][3]:
            # an adjective's or verb's ending is part of the word said ('작은', not '작')
            form, kind, start, end = pieces[-1]
            pieces[-1] = (form, kind, start, max(end, tok.start + tok.len))
        else:
            predicate = False
    # "번째" is one word whether the analyser split it or not ("두번째", "두 번째", "두 번 째")
    merged: list[_Word] = []
    for w, start, end in _numbers(pieces):
        if w == "째" and merged and merged[-1][0] in ("번", "첫"):
            merged[-1] = ("번째" if merged[-1][0] == "번" else "첫째", merged[-1][1], end)
        else:
            merged.append((w, start, end))
    return said, tuple((w, *prepared.said(start, end)) for w, start, end in merged[:limit])


def korean_tokens(text: str, analyser: Analyser, *, limit: int = MAX_TOKENS) -> list[str]:
    """Korean text to the NLU's words (see the module doc). Latin words are lowercased and kept (a
    product said in English), Hanja is kept as an unknown word, emoji and punctuation are dropped, and
    bare consonants are read only as the chat shorthand for yes and no ('ㅇㅇ', 'ㄴㄴ')."""
    return [w for w, _, _ in analyser.read(text, limit)[1]]


def korean_listing(text: str, analyser: Analyser) -> tuple[str, list[_Word]]:
    """`text` as said (NFC) and its NLU words with the characters of it each was read from, the
    particles that join nouns and commas kept as `KOREAN_JOINER`, so a list can be cut into its items
    ("계란 한 판이랑 우유 두 개 담아줘": 계란 1 판 그리고 우유 2 개 담다) and each item said back."""
    said, words = analyser.read(text, MAX_TOKENS, True)
    return said, list(words)


def value_readings(form: str, analyser: Analyser) -> list[list[str]]:
    """A slot value that ends in a word that describes ('비싼', '할인 중인') as the analyser reads it
    before a noun ("비싼 거": 비싸다), where it reads it otherwise alone ('비싼': a noun)."""
    last = form.split()[-1] if form.split() else ""
    if len(last) < 2 or not _HANGUL_WORD.fullmatch(last) or not (last[-1] in "는던" or _final(last[-1]) == _NIEUN):
        return []
    framed = korean_tokens(form + " 거", analyser)
    return [framed[:-1]] if framed[-1:] == ["거"] and len(framed) > 1 else []


_NIEUN = 4
"""The final consonant 'ㄴ' as a Hangul syllable counts it."""


def _final(syllable: str) -> int:
    return (ord(syllable) - 0xAC00) % 28


def korean_surface(text: str, value: str, analyser: Analyser) -> str | None:
    """A slot's `value` in the NLU's words ('싸다 라면') as it was said in `text` ('싼 라면을 찾아 줘' ->
    '싼 라면'), as Alexa gives a slot the words heard: the characters from its first word to its last,
    where its words follow one another in `text` (a filler between them is passed over); None when
    they are not there."""
    want = value.split()
    said, words = analyser.read(text, MAX_TOKENS)
    for i in range(len(words)):
        j, k = i, 0
        while j < len(words) and k < len(want):
            if words[j][0] == want[k]:
                k += 1
            elif k == 0 or words[j][0] not in KOREAN_FILLERS:
                break
            j += 1
        if want and k == len(want):
            return said[words[i][1]:words[j - 1][2]]
    return None


# -- built-in slot types --------------------------------------------------------------------------------

_WEEKDAYS = {"월요일": 0, "화요일": 1, "수요일": 2, "목요일": 3, "금요일": 4, "토요일": 5, "일요일": 6}
_RELATIVE_DAYS = {"오늘": 0, "금일": 0, "내일": 1, "명일": 1, "모레": 2, "내일모레": 2, "글피": 3}
_WEEK_WORDS = {"이번": 0, "금주": 0, "다음": 1, "담": 1, "다다음": 2}
_HOURS_PM = frozenset(["오후", "저녁", "밤"])


def _is_int(word: str) -> bool:
    return word.isdigit()


_MAN_ORDINALS = {"처음": "1", "앞": "1", "끝": "last", "뒤": "last", "마지막": "last"}
"""What follows 맨 ('the very ...') to say a position: 맨 처음/앞 is the first, 맨 끝/뒤/마지막 the last."""


def _ordinal_at(words: list[str], i: int) -> tuple[str, int] | None:
    w = words[i]
    if w in ("첫째", "첫"):
        end = i + 1 + (i + 1 < len(words) and words[i + 1] == "번째")
        return "1", end
    if w == "마지막":
        return "last", i + 1
    if w == "맨" and i + 1 < len(words) and words[i + 1] in _MAN_ORDINALS:  # "맨 처음 거", "맨 끝에 거"
        return _MAN_ORDINALS[words[i + 1]], i + 2
    if _is_int(w) and i + 1 < len(words) and words[i + 1] in ("번째", "째"):
        return (w, i + 2) if int(w) > 0 else None
    if w in ("둘째", "셋째", "넷째", "다섯째"):
        return str({"둘째": 2, "셋째": 3, "넷째": 4, "다섯째": 5}[w]), i + 1
    return None


def _date_at(words: list[str], i: int, today: date) -> tuple[str, int] | None:
    w = words[i]
    if w in _RELATIVE_DAYS:
        return (today + timedelta(days=_RELATIVE_DAYS[w])).isoformat(), i + 1
    if w == "주말":
        d = today + timedelta(days=(5 - today.weekday()) % 7)
        year, number, _ = d.isocalendar()
        return f"{year}-W{number:02d}-WE", i + 1
    week: int | None = None
    j = i
    if w in _WEEK_WORDS and i + 1 < len(words) and words[i + 1] in ("주", "주의"):
        week, j = _WEEK_WORDS[w], i + 2
    elif w in ("다음주", "이번주", "다다음주"):
        week, j = {"이번주": 0, "다음주": 1, "다다음주": 2}[w], i + 1
    if j < len(words) and words[j] in _WEEKDAYS:
        target = _WEEKDAYS[words[j]]
        if week is None:  # the coming one (today's weekday means a week on: "토요일" said on Saturday)
            ahead = (target - today.weekday()) % 7 or 7
        else:
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=week)
            ahead = (monday + timedelta(days=target) - today).days
            if ahead < 0:
                return None
        return (today + timedelta(days=ahead)).isoformat(), j + 1
    if week is not None:
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=week)
        year, wk, _ = monday.isocalendar()
        return f"{year}-W{wk:02d}", j
    # "3월 5일", "5일"
    if _is_int(w) and i + 1 < len(words) and words[i + 1] == "월" and i + 3 < len(words) \
            and _is_int(words[i + 2]) and words[i + 3] == "일":
        month, day = int(w), int(words[i + 2])
        try:
            d = date(today.year, month, day)
        except ValueError:
            return None
        if d < today:
            try:
                d = date(today.year + 1, month, day)
            except ValueError:
                return None
        return d.isoformat(), i + 4
    if _is_int(w) and i + 1 < len(words) and words[i + 1] == "일" and 1 <= int(w) <= 31:
        iso = day_of_month(int(w), today)
        return (iso, i + 2) if iso else None
    return None


def _time_at(words: list[str], i: int) -> tuple[str, int] | None:
    pm = False
    j = i
    if words[i] in _HOURS_PM or words[i] in ("오전", "아침"):
        pm = words[i] in _HOURS_PM
        j = i + 1
    if j + 1 < len(words) and _is_int(words[j]) and words[j + 1] == "시":
        hour = int(words[j])
        if not 0 < hour <= 24:
            return None
        minute, end = 0, j + 2
        if end < len(words) and words[end] == "반":
            minute, end = 30, end + 1
        elif end + 1 < len(words) and _is_int(words[end]) and words[end + 1] == "분":
            minute, end = int(words[end]) % 60, end + 2
        if pm and hour < 12:
            hour += 12
        return f"{hour % 24:02d}:{minute:02d}", end
    return None


def find_korean_spans(words: list[str], today: date, kinds: frozenset[str] | None = None) -> list[Span]:
    """Numbers, ordinals, four-digit codes, dates and times in Korean words (kinds limits which)."""
    want = kinds or frozenset(BUILTIN_KINDS.values())
    spans: list[Span] = []
    n = len(words)
    ordinal_numbers: set[int] = set()
    for i in range(n):
        if "ORD" in want or "NUM" in want:
            o = _ordinal_at(words, i)
            if o:
                ordinal_numbers.add(i)
                if "ORD" in want:
                    spans.append(Span(i, o[1], "ORD", o[0]))
        if "DATE" in want:
            dt = _date_at(words, i, today)
            if dt:
                spans.append(Span(i, dt[1], "DATE", dt[0]))
        if "TIME" in want:
            t = _time_at(words, i)
            if t:
                spans.append(Span(i, t[1], "TIME", t[0]))
    for i in range(n):
        w = words[i]
        if not _is_int(w) or i in ordinal_numbers:
            continue
        if "NUM" in want and not (i > 0 and _is_int(words[i - 1]) and len(words[i - 1]) == 1 and len(w) == 1):
            spans.append(Span(i, i + 1, "NUM", str(int(w))))
        if "DIGITS" in want:
            if len(w) == 4 and not (i > 0 and _is_int(words[i - 1])):
                spans.append(Span(i, i + 1, "DIGITS", w))
            elif len(w) == 1 and not (i > 0 and _is_int(words[i - 1]) and len(words[i - 1]) == 1):
                j = i
                while j < n and _is_int(words[j]) and len(words[j]) == 1:
                    j += 1
                if j - i == 4:
                    spans.append(Span(i, j, "DIGITS", "".join(words[i:j])))
    return spans


KOREAN_FILLS = {
    "AMAZON.NUMBER": ["두"],
    "AMAZON.Ordinal": ["두 번째"],
    "AMAZON.FOUR_DIGIT_NUMBER": ["일 이 삼 사"],
    "AMAZON.DATE": ["내일", "토요일", "삼월 오일"],
    "AMAZON.TIME": ["오후 세 시"],
}
"""Slot fills the compiler expands samples with (the Korean of its English fills)."""

KOREAN_SLOT_WORDS: dict[str, list[str]] = {
    "AMAZON.NUMBER": ["한", "두", "세", "네", "다섯", "여섯", "열", "열두", "스무", "하나", "둘", "셋"],
    "AMAZON.Ordinal": ["첫 번째", "두 번째", "세 번째", "네 번째", "다섯 번째", "마지막"],
    # codes in both systems, between them every pair of digits a code can follow with
    "AMAZON.FOUR_DIGIT_NUMBER": ["일 이 삼 사", "사 삼 이 일", "오 오 오 오", "구 팔 칠 육", "공 일 이 삼", "이 사 육 팔",
                                 "일 삼 오 칠", "육 칠 팔 구", "삼 일 사 일", "팔 공 공 이", "칠 이 구 일", "영 사 일 육",
                                 "하나 둘 셋 넷", "넷 셋 둘 하나", "다섯 여섯 일곱 여덟"],
    "AMAZON.DATE": ["오늘", "내일", "모레", "주말", "월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일",
                    "다음 주 월요일", "다음 주 금요일"],
}
"""What a Korean speech grammar fills the built-in slot types with (`speech.grammar.build_grammar`)."""
KOREAN_LAUNCH = ["{inv}", "{inv} 열어 줘", "{inv} 시작", "{inv} 켜 줘", "{inv} 실행해 줘"]
KOREAN_ONE_SHOT = ["{inv}에서"]

KOREAN_BUILTIN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("네", "예", "응", "어 그래", "그래", "그래요", "좋아", "좋아요", "맞아", "맞아요", "그렇게 해 줘",
                         "그렇게 해 주세요", "오케이", "확인", "네 주문해 줘", "응 주문해", "주문 확정", "네 취소해 주세요", "응 취소해 줘",
                         "네 빼 주세요", "응 그거로 해",
                         "당연하지", "물론이죠", "네 맞아요", "알겠어",
                         "콜", "좋습니다", "네 그렇게 해 주세요", "넣어 줘", "담아 줘", "그걸로 해 줘", "그걸로 할게",
                         "그거로 해요", "그걸로 주문해 줘"),
    "AMAZON.NoIntent": ("아니", "아니요", "아뇨", "아니야", "아냐", "아니에요", "싫어", "싫어요", "괜찮아", "괜찮아요",
                        "필요 없어", "안 할래", "아니 됐어", "됐어요", "아니 괜찮아", "안 돼", "하지 마", "그냥 둬",
                        "그대로 둬", "놔 둬", "놔둬", "냅둬", "내버려 둬", "아직이야", "아니 아직", "아직 아니에요"),
    "AMAZON.StopIntent": ("그만", "그만해", "그만해 줘", "멈춰", "종료", "종료해 줘", "끝", "끝내", "끝낼게",
                          "나가기", "꺼 줘", "이제 됐어", "그만할래", "끌게", "끌게요", "그만할게요", "꺼 주세요", "이만 끝낼게요"),
    "AMAZON.CancelIntent": ("취소", "취소해", "취소할게", "됐어", "없던 걸로 해", "안 할래요", "하지 말고"),
    "AMAZON.HelpIntent": ("도움말", "도움말 알려 줘", "도와줘", "도와주세요", "뭘 할 수 있어", "뭐 할 수 있어요", "사용법", "쓰는 법 알려 줘", "어떻게 해",
                          "어떻게 써", "무슨 말을 해야 돼", "뭐라고 말해야 돼", "도움이 필요해", "도움말 들려 줘", "사용법 좀 들려줄래요"),
    "AMAZON.RepeatIntent": ("다시 말해 줘", "뭐라고", "다시 한번", "한 번 더 말해 줘", "못 들었어", "다시 말해 주세요",
                            "방금 뭐라고 했어", "반복해 줘"),
    # "다른 거 있어", "다른 것도 들려 줘": OtherOptionsIntent, as en-US "other options" (the skill answers both alike)
    "AMAZON.NextIntent": ("다음", "다음 거", "다음 거 보여 줘", "더 보여 줘", "또 뭐 있어", "더 없어", "다음 페이지", "계속",
                          "계속 읽어 줘", "다음 것도"),
    "AMAZON.StartOverIntent": ("처음부터", "처음부터 다시", "다시 시작", "다시 시작해 줘", "처음으로"),
    "AMAZON.NavigateHomeIntent": ("홈으로", "홈 화면", "메인으로", "처음 화면으로"),
}
"""How Korean speakers say the built-in intents (a Korean skill on a real speaker gets these free)."""
