"""How amounts are spoken: prices and counts of units, per locale.

One place decides the spoken form so every prompt says money the same way. In en-US prices are spoken
as "$3.49" (Alexa and espeak-ng both read that as "three dollars forty-nine"); whole dollars drop the
cents ("$3"), which reads more naturally than "$3.00". In ko-KR amounts are whole won ("12,900원"): the
won has no minor unit, so the store's `*_cents` fields hold won there.
"""

from __future__ import annotations

import re

__all__ = ["BARE_UNITS", "SILENT_UNITS", "WHOLE_UNIT_LOCALES", "format_price", "minor_units", "plural_unit"]

WHOLE_UNIT_LOCALES = frozenset({"ko-KR"})
"""Locales whose currency has no minor unit: amounts are stored and said whole."""

# Units whose plural is not the regular English one.
_IRREGULAR = {"loaf": "loaves", "knife": "knives", "half": "halves", "each": "each", "dozen": "dozen"}
# Units that are not spoken before the product name ("2 Acme Bananas", not "2 each of ...").
SILENT_UNITS = {"each", "item", "unit", "piece", "ea", ""}
# Units that count like numbers: said before the name with no "of" ("2 dozen Acme Eggs").
BARE_UNITS = {"dozen"}


def format_price(cents: int, locale: str = "en-US", *, exact: bool = False) -> str:
    """'$3.49' for 349, '$3' for 300 ('$3.00' when `exact`: a limit said to the cent), '$1,250.50' for
    125050; in ko-KR '12,900원' for 12900."""
    sign = "-" if cents < 0 else ""
    if locale in WHOLE_UNIT_LOCALES:
        return f"{sign}{abs(int(cents)):,}원"
    dollars, rest = divmod(abs(int(cents)), 100)
    if rest == 0 and not exact:
        return f"{sign}${dollars:,}"
    return f"{sign}${dollars:,}.{rest:02d}"


def minor_units(amount: str | None, locale: str = "en-US") -> int | None:
    """An amount said in the locale's money, as a slot gives it ('4.99' dollars, '15000' won), in the
    store's units: cents in en-US (499), whole won in ko-KR (15000); None when it is not a number, or
    nothing ('0': a limit nothing can meet was misheard, not meant)."""
    text = (amount or "").strip().replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return None
    value = float(text)
    units = int(round(value if locale in WHOLE_UNIT_LOCALES else value * 100))
    return units or None


def plural_unit(unit: str, count: int) -> str:
    """The unit word for `count` of them: bottle, bottles; loaf, loaves; box, boxes; dozen, dozen."""
    unit = unit.strip()
    if count == 1 or not unit or not unit.isascii():  # a Korean counter does not change: 두 개, 세 병
        return unit
    lower = unit.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower.endswith(("s", "x", "ch", "sh", "z")):
        return unit + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + "s"
