"""Spoken strings, one folder of YAML files per locale (`skill/prompts/<locale>/<domain>.yaml`).

Each key maps to a string or a list of variants (one is picked at random, for a less robotic voice).
Values are SSML fragments written by us; parameters are user or catalog data and are escaped, so a
product named "M&M's" cannot break the response.
"""

from __future__ import annotations

import random
import re
import string
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from skill.errors import SkillError
from skill.services.money import format_price

PROMPTS_DIR = Path(__file__).parent
# One generator for all prompt tables: seeding a new one per request is a noticeable share of a turn.
_RNG = random.Random()
DEFAULT_LOCALE = "en-US"


class PromptError(SkillError):
    """A prompt key is missing or its template does not fit the parameters given."""


class Prompts:
    """The prompt table of one locale."""

    def __init__(self, table: dict[str, str | list[str]], locale: str, rng: random.Random | None = None):
        self.table = table
        self.locale = locale
        self._rng = rng or _RNG

    def say(self, key: str, **params: object) -> str:
        """The SSML fragment for `key`, with `params` escaped and filled in."""
        try:
            template = self.table[key]
        except KeyError:
            raise PromptError(f"no prompt '{key}' for locale {self.locale}") from None
        if isinstance(template, list):
            template = self._rng.choice(template)
        safe = {k: v if isinstance(v, Raw) else escape(xml_safe(str(v))) for k, v in params.items()}
        try:
            text = string.Formatter().vformat(template, (), safe)
        except (KeyError, IndexError) as exc:
            raise PromptError(f"prompt '{key}' needs parameter {exc}") from None
        return _PARTICLE_PAIR.sub(_particle, text) if "/" in text else text

    def has(self, key: str) -> bool:
        return key in self.table

    def price(self, cents: int, *, exact: bool = False) -> str:
        """An amount as this locale says it ('$3.49', '12,900원'; '$3.00' for a limit when `exact`)."""
        return format_price(cents, self.locale, exact=exact)

    def label(self, kind: str, value: str) -> str:
        """A stored label ('home', a card's brand) in this locale's words: prompt `label_<kind>_<value>`
        when the locale has one, else the label as stored."""
        key = f"label_{kind}_{value.lower()}"
        return self.say(key) if key in self.table else value


# Korean particles that depend on the word before them: a prompt writes both forms ("{title}을/를") and
# the one that fits the filled-in word is kept ("신라면을", "우유를"; "3병이", "2개가").
_PARTICLE_PAIR = re.compile(r"(?<=(\S))(을/를|이/가|은/는|과/와|으로/로|이에요/예요|이라는/라는)")
_DIGIT_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True, "7": True,
                "8": True, "9": False}
"""Whether a digit's Korean reading ends in a consonant (영, 일, 삼, 육, 칠, 팔; not 이, 사, 오, 구)."""


_LATIN_END = re.compile(r"(\d\s*)?([a-zA-Z]+)$")
_UNIT_FINAL = {"g": "m", "kg": "m", "mg": "m"}
"""Units after a number read as Korean words: 그램 ends in ㅁ; 리터, 미터 (l, ml, m, cm...) in a vowel."""
_LETTER_FINAL = {"l": "l", "m": "m", "n": "n", "r": "l"}
"""Latin letters whose Korean names end in a consonant: 엘, 엠, 엔, 알 (ㄹ for l and r)."""


def _latin_final(word: str) -> str:
    """The final consonant ('l' for ㄹ, another letter for any other, '' for none) of a word that ends in
    Latin letters, read as Korean says it: a unit after a number ('114g' 그램), else the last letter's name."""
    m = _LATIN_END.search(word)
    if not m:
        return ""
    letters = m.group(2).lower()
    if m.group(1):
        return _UNIT_FINAL.get(letters, "")
    return _LETTER_FINAL.get(letters[-1], "")


def _particle(match: re.Match[str]) -> str:
    before, pair = match.group(1), match.group(2)
    first, second = pair.split("/")
    if before.isascii() and before.isalpha():
        latin = _latin_final((match.string[: match.start()].split() or [before])[-1])
        if pair == "으로/로" and latin == "l":
            return second
        return first if latin else second
    if "\uac00" <= before <= "\ud7a3":
        final = (ord(before) - 0xAC00) % 28
        if pair == "으로/로" and final == 8:  # ㄹ takes 로: 서울로
            return second
        return first if final else second
    if before in _DIGIT_FINAL:
        if pair == "으로/로" and before in "178":  # 일, 칠, 팔 end in ㄹ: 1234로
            return second
        return first if _DIGIT_FINAL[before] else second
    return second


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE, U+FFFF): SSML cannot hold them."""


def xml_safe(text: str) -> str:
    """`text` without the characters XML forbids, so that any text can enter speech."""
    return _NOT_XML.sub("", text)


class Raw(str):
    """A parameter that is already safe SSML (e.g. built from other prompts); not escaped again."""


_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
"""The shape of a locale folder's name ("en-US"); nothing else is ever a locale here."""


@lru_cache(maxsize=1)
def supported_locales() -> frozenset[str]:
    """The locales the skill speaks: the prompt folders that exist and are named like a locale (`ko-KR`)."""
    return frozenset(d.name for d in PROMPTS_DIR.iterdir() if d.is_dir() and _LOCALE.fullmatch(d.name))


@lru_cache(maxsize=16)
def _load(locale: str) -> dict[str, str | list[str]]:
    # Only a name read from this folder (supported_locales()) is joined to the path, never request data.
    folder = PROMPTS_DIR / (locale if locale in supported_locales() else DEFAULT_LOCALE)
    table: dict[str, str | list[str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key in table:
                raise PromptError(f"prompt '{key}' is defined twice (second time in {path.name})")
            table[key] = value
    return table


def prompts_for(locale: object) -> Prompts:
    """The prompt table for `locale` when the project has it, else en-US's (whatever a request says)."""
    chosen = next((x for x in supported_locales() if x == locale), DEFAULT_LOCALE)
    return Prompts(_load(chosen), chosen)
