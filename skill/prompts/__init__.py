"""Spoken strings, one folder of YAML files per locale (`skill/prompts/<locale>/<domain>.yaml`).

Each key maps to a string or a list of variants (one is picked at random, for a less robotic voice).
Values are SSML fragments written by us; parameters are user or catalog data and are escaped, so a
product named "M&M's" cannot break the response.
"""

from __future__ import annotations

import random
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
        safe = {k: v if isinstance(v, Raw) else escape(str(v)) for k, v in params.items()}
        try:
            return string.Formatter().vformat(template, (), safe)
        except (KeyError, IndexError) as exc:
            raise PromptError(f"prompt '{key}' needs parameter {exc}") from None

    def has(self, key: str) -> bool:
        return key in self.table


class Raw(str):
    """A parameter that is already safe SSML (e.g. built from other prompts); not escaped again."""


@lru_cache(maxsize=16)
def _load(locale: str) -> dict[str, str | list[str]]:
    folder = PROMPTS_DIR / locale
    if not folder.is_dir():
        folder = PROMPTS_DIR / DEFAULT_LOCALE
    table: dict[str, str | list[str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key in table:
                raise PromptError(f"prompt '{key}' is defined twice (second time in {path.name})")
            table[key] = value
    return table


def prompts_for(locale: str | None) -> Prompts:
    """The prompt table for `locale`, falling back to en-US."""
    locale = locale or DEFAULT_LOCALE
    return Prompts(_load(locale), locale)
