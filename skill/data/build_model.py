"""Builds `interaction_model.json` (repo root) from `model_source.py` and the catalog, and the ko-KR model
`interactionModels/custom/ko-KR.json` (the ASK skill-package layout) from `model_source_ko.py` and the
Korean catalog.

The PRODUCT slot type is generated: one value per catalog `generic` key (id = the key, value = the
spoken name), with the catalog's synonyms, singular forms, product names and brand names as synonyms.
Rebuild after changing the catalog or the samples, and check the committed file is current:

    .venv/bin/python -m skill.data.build_model          # writes interaction_model.json
    .venv/bin/python -m skill.data.build_model --check  # exit 1 when the committed file is stale
    .venv/bin/python -m skill.data.build_model --locale ko-KR [--check]
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skill.data.build_catalog import CATALOG_PATH
from skill.data.model_source import BUILTIN_INTENTS, BUILTIN_SAMPLES, DIALOG, FIXED_TYPES, INTENTS, PROMPTS

__all__ = ["INVOCATION_NAME", "MODEL_PATH", "MODEL_PATHS", "build_model", "load_catalog", "product_type",
           "product_type_ko", "spoken"]

_REPO = Path(__file__).resolve().parents[2]
MODEL_PATH = _REPO / "interaction_model.json"
MODEL_PATHS = {"en-US": MODEL_PATH, "ko-KR": _REPO / "interactionModels" / "custom" / "ko-KR.json"}
"""Each locale's interaction model: en-US is the file the contract names, the others sit in the ASK
skill-package layout."""
INVOCATION_NAME = "voice shop"

# Store-brand labels on loose produce and meat: nobody asks for "fresh produce bananas".
_HOUSE_LABELS = {"fresh produce", "fresh meat", "fresh seafood"}
_NOT_SPOKEN = re.compile(r"[^\w\s'.\-]|\d|_")


def spoken(text: str) -> str:
    """Text as a slot value may hold it: lowercase words, '&' said as 'and', no digits or symbols.

    Returns '' when the text needs digits to be said (e.g. '2% milk'): such names are left out rather
    than guessed at.
    """
    text = text.lower().replace("&", " and ").replace("\u2019", "'")
    if re.search(r"\d", text):
        return ""
    text = _NOT_SPOKEN.sub(" ", text)
    return " ".join(text.split())


def _singular(words: str) -> str:
    last = words.rsplit(" ", 1)[-1]
    if last.endswith("ies") and len(last) > 4:
        stem = last[:-3] + "y"
    elif last.endswith("oes"):
        stem = last[:-2]
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        stem = last[:-1]
    else:
        return words
    return words[: len(words) - len(last)] + stem


def load_catalog(path: Path = CATALOG_PATH) -> list[dict[str, Any]]:
    """The catalog products as dicts."""
    products: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return products


def product_type(catalog: list[dict[str, Any]]) -> dict[str, Any]:
    """The PRODUCT slot type: a value per generic key, synonyms unique across the whole type."""
    generics: dict[str, list[dict[str, Any]]] = {}
    for product in catalog:
        generics.setdefault(product["generic"], []).append(product)
    names = {key: key.replace("_", " ") for key in generics}
    brand_generics: dict[str, set[str]] = {}
    for product in catalog:
        brand_generics.setdefault(spoken(product["brand"]), set()).add(product["generic"])

    claimed = set(names.values())
    values = []
    for key, products in generics.items():
        name = names[key]
        candidates: list[str] = [_singular(name)]
        for product in products:
            candidates += product["synonyms"]
        for product in products:
            candidates.append(product["name"])
        for product in products:
            brand = spoken(product["brand"])
            if brand and brand not in _HOUSE_LABELS:
                if brand_generics[brand] == {key}:
                    candidates.append(brand)
                candidates.append(f"{brand} {name}")
        synonyms = []
        for candidate in candidates:
            text = spoken(candidate)
            if text and text not in claimed:
                claimed.add(text)
                synonyms.append(text)
        values.append({"id": key, "name": {"value": name, "synonyms": synonyms}})
    return {"name": "PRODUCT", "values": values}


def _fixed_type(name: str, rows: Iterable[tuple[str, str, list[str]]]) -> dict[str, Any]:
    return {"name": name, "values": [{"id": i, "name": {"value": v, "synonyms": list(s)}} for i, v, s in rows]}


def brand_features_ko(
    catalog: list[dict[str, Any]], fixed: dict[str, list[tuple[str, str, list[str]]]]
) -> list[tuple[str, str, list[str]]]:
    """The Korean catalog's brands as FEATURE values: "서울우유로 할게" picks by brand among what was read,
    as "the Lactaid one" does in en-US, where the brand is a product word. A Korean brand often makes
    several kinds (서울우유: milk, butter, cheese), so it is no PRODUCT value; the skill picks by the
    words said. QUESTION_FEATURE's tag words join them ("유기농 걸로")."""
    taken = {v for _, value, synonyms in fixed["FEATURE"] for v in (value, *synonyms)}
    rows = [(tag, value, list(synonyms)) for tag, value, synonyms in fixed.get("QUESTION_FEATURE", [])
            if tag not in {i for i, _, _ in fixed["FEATURE"]} and tag not in ("in_stock", "on_sale")
            and tag not in ("cheapest", "priciest", "biggest", "smallest")]
    for brand in dict.fromkeys(str(p["brand"]).lower() for p in catalog):
        words = " ".join(re.sub(r"[^\w\s]|_", " ", brand).split())
        if words and words not in taken:
            taken.add(words)
            rows.append((f"brand:{words}", words, []))
    return rows


def product_type_ko(catalog: list[dict[str, Any]]) -> dict[str, Any]:
    """The ko-KR PRODUCT type: a value per generic key, named as shoppers call it (the first synonym the
    Korean catalog gives every product of the kind); product names, brands, "brand name" and the
    catalog's synonyms and common mis-hearings as synonyms, unique across the type."""
    from skill.data.build_catalog_ko import GENERICS

    names = {g.key: g.name for g in GENERICS}
    generics: dict[str, list[dict[str, Any]]] = {}
    for product in catalog:
        generics.setdefault(product["generic"], []).append(product)
    brand_generics: dict[str, set[str]] = {}
    for product in catalog:
        brand_generics.setdefault(product["brand"], set()).add(product["generic"])
    claimed = {names.get(k, k) for k in generics}
    values = []
    for key, products in generics.items():
        name = names.get(key) or next(iter(products[0]["synonyms"]), "") or key.replace("_", " ")
        candidates: list[str] = []
        for product in products:
            candidates += product["synonyms"]
            candidates.append(product["name"])
            if brand_generics[product["brand"]] == {key}:
                candidates.append(product["brand"])
            candidates.append(f"{product['brand']} {name}")
        synonyms = []
        for candidate in candidates:
            text = " ".join(re.sub(r"[^\w\s]|\d|_", " ", candidate.lower()).split())
            if text and text not in claimed:
                claimed.add(text)
                synonyms.append(text)
        values.append({"id": key, "name": {"value": name, "synonyms": synonyms}})
    return {"name": "PRODUCT", "values": values}


def _dialog(locale: str = "en-US") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    INTENTS, DIALOG, PROMPTS = _sources(locale)[:3]  # noqa: N806
    required = {(d.intent, d.slot): d for d in DIALOG}
    intents = []
    for intent in INTENTS:
        if not any(intent.name == d.intent for d in DIALOG):
            continue
        slots = []
        for slot, slot_type in intent.slots.items():
            elicit = (intent.name, slot) in required
            entry: dict[str, Any] = {"name": slot, "type": slot_type, "confirmationRequired": False,
                                     "elicitationRequired": elicit, "prompts": {}}
            if elicit:
                entry["prompts"]["elicitation"] = PROMPTS[(intent.name, slot)]
            slots.append(entry)
        intents.append({"name": intent.name, "delegationStrategy": "ALWAYS", "confirmationRequired": False,
                        "prompts": {}, "slots": slots})
    prompts = [{"id": PROMPTS[(d.intent, d.slot)],
                "variations": [{"type": "PlainText", "value": text} for text in d.prompt]} for d in DIALOG]
    # Skill-wide the skill drives the dialog; only the intents above are auto-delegated to Alexa.
    return {"delegationStrategy": "SKILL_RESPONSE", "intents": intents}, prompts


def _sources(locale: str) -> tuple[Any, Any, Any, Any, str]:
    """(intents, dialog slots, prompt ids, fixed types, invocation name) of a locale's model source."""
    if locale == "ko-KR":
        from skill.data import model_source_ko as ko

        return ko.INTENTS, ko.DIALOG, ko.PROMPTS, ko.FIXED_TYPES, ko.INVOCATION_NAME
    if locale != "en-US":
        raise ValueError(f"no interaction model source for locale {locale!r} (known: {', '.join(MODEL_PATHS)})")
    return INTENTS, DIALOG, PROMPTS, FIXED_TYPES, INVOCATION_NAME


def _builtin_samples(locale: str) -> dict[str, tuple[str, ...]]:
    """A locale's own samples for built-in intents (none unless its model source writes some)."""
    if locale == "ko-KR":
        from skill.data import model_source_ko as ko

        return ko.BUILTIN_SAMPLES
    return {}


def build_model(catalog: list[dict[str, Any]] | None = None, locale: str = "en-US") -> dict[str, Any]:
    """The whole interaction model of `locale`, in the ASK CLI's JSON format."""
    INTENTS, DIALOG, _, FIXED_TYPES, invocation = _sources(locale)  # noqa: N806
    if catalog is None:
        if locale == "ko-KR":
            from skill.data.build_catalog_ko import CATALOG_PATH as KO_CATALOG

            catalog = load_catalog(KO_CATALOG)
        else:
            catalog = load_catalog()
    slot_samples = {(d.intent, d.slot): list(d.samples) for d in DIALOG}
    intents: list[dict[str, Any]] = []
    for intent in INTENTS:
        slots = []
        for slot, slot_type in intent.slots.items():
            entry: dict[str, Any] = {"name": slot, "type": slot_type}
            if slot in intent.multiple:
                entry["multipleValues"] = {"enabled": True}
            if (intent.name, slot) in slot_samples:
                entry["samples"] = slot_samples[(intent.name, slot)]
            slots.append(entry)
        intents.append({"name": intent.name, "slots": slots, "samples": list(intent.samples)})
    builtin_samples = BUILTIN_SAMPLES if locale == "en-US" else _builtin_samples(locale)
    intents += [{"name": name, "samples": list(builtin_samples.get(name, ()))} for name in BUILTIN_INTENTS]
    products = product_type_ko(catalog) if locale == "ko-KR" else product_type(catalog)
    fixed = dict(FIXED_TYPES)
    if locale == "ko-KR":
        fixed["FEATURE"] = [*fixed["FEATURE"], *brand_features_ko(catalog, fixed)]
    types = [products] + [_fixed_type(name, rows) for name, rows in fixed.items()]
    dialog, prompts = _dialog(locale)
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": invocation,
                "modelConfiguration": {"fallbackIntentSensitivity": {"level": "LOW"}},
                "intents": intents,
                "types": types,
            },
            "dialog": dialog,
            "prompts": prompts,
        }
    }


def render(model: dict[str, Any]) -> str:
    """The JSON text as committed."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    locale = "en-US"
    if "--locale" in args:
        at = args.index("--locale")
        locale = args[at + 1] if at + 1 < len(args) else ""
        if locale not in MODEL_PATHS:
            print(f"error: unknown locale {locale!r} (known: {', '.join(MODEL_PATHS)})", file=sys.stderr)
            return 2
    path = MODEL_PATHS[locale]
    text = render(build_model(locale=locale))
    if "--check" in args:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            flag = "" if locale == "en-US" else f" --locale {locale}"
            print(f"{path} is stale: run python -m skill.data.build_model{flag}", file=sys.stderr)
            return 1
        print(f"{path} is current")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
