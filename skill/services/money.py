"""How amounts are spoken: prices and counts of units.

One place decides the spoken form so every prompt says money the same way. Prices are spoken as
"$3.49" (Alexa and espeak-ng both read that as "three dollars forty-nine"); whole dollars drop the
cents ("$3"), which reads more naturally than "$3.00".
"""

from __future__ import annotations

__all__ = ["BARE_UNITS", "SILENT_UNITS", "format_price", "plural_unit"]

# Units whose plural is not the regular English one.
_IRREGULAR = {"loaf": "loaves", "knife": "knives", "half": "halves", "each": "each", "dozen": "dozen"}
# Units that are not spoken before the product name ("2 Acme Bananas", not "2 each of ...").
SILENT_UNITS = {"each", "item", "unit", "piece", "ea", ""}
# Units that count like numbers: said before the name with no "of" ("2 dozen Acme Eggs").
BARE_UNITS = {"dozen"}


def format_price(cents: int) -> str:
    """'$3.49' for 349, '$3' for 300, '$1,250.50' for 125050."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(int(cents)), 100)
    if rest == 0:
        return f"{sign}${dollars:,}"
    return f"{sign}${dollars:,}.{rest:02d}"


def plural_unit(unit: str, count: int) -> str:
    """The unit word for `count` of them: bottle, bottles; loaf, loaves; box, boxes; dozen, dozen."""
    unit = unit.strip()
    if count == 1 or not unit:
        return unit
    lower = unit.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower.endswith(("s", "x", "ch", "sh", "z")):
        return unit + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + "s"
