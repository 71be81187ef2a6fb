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
            return string.Formatter().vformat(template, (), safe)
        except (KeyError, IndexError) as exc:
            raise PromptError(f"prompt '{key}' needs parameter {exc}") from None

    def has(self, key: str) -> bool:
        return key in self.table


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
    """The locales the project has: the prompt folders that exist and are named like a locale."""
    return frozenset(
        p.name for p in PROMPTS_DIR.iterdir() if p.is_dir() and _LOCALE.fullmatch(p.name)
    )


@lru_cache(maxsize=16)
def _load(locale: str) -> dict[str, str | list[str]]:
    # `locale` is one of supported_locales(): a name read from this folder, never request data.
    folder = PROMPTS_DIR / locale
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
