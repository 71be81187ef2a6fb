"""The interaction model built from a shop's database catalog, within Alexa's limits.

`build_from_database(db)` reads the active products (retired ones left out) and builds the PRODUCT slot
type as `build_model.product_type` does for the demo file: a value per product kind, with the kind's
synonyms, product names and brands as synonyms. Then the model is measured against Alexa's limits:

- `MAX_SLOT_VALUES`: custom slot values and synonyms, counted over every custom slot type of the model;
- `MAX_MODEL_BYTES`: the size of the interaction model JSON;
- `MAX_VALUE_CHARS`: one value or synonym (longer product names are left out of the model).

A catalog too large for them falls back to product kinds only (each kind's name and its singular). The
skill still finds every product by name: a product slot without an entity-resolution id is searched in
the catalog for the words heard (`skill.handlers.steps.results.find_products` -> `CatalogService.find`), so
names and brands left out of the model are matched by the full-text search instead. A catalog with
more kinds than the limit allows fails with a clear error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from skill.data.build_model import build_model, render
from skill.errors import CatalogError
from skill.store.db import Database

__all__ = ["MAX_MODEL_BYTES", "MAX_SLOT_VALUES", "MAX_VALUE_CHARS", "ModelBuild", "build_from_database", "catalog_from_database", "measure"]

MAX_SLOT_VALUES = 50_000
"""Alexa: 50,000 values for a custom slot type; counted here with their synonyms, over every custom type."""
MAX_MODEL_BYTES = 1_000_000
"""The model definition the Skill Management API takes (its constraint: length at most 1,000,000)."""
MAX_VALUE_CHARS = 140
"""Alexa: a slot value or synonym longer than this is refused; longer product names are left out."""


@dataclass(frozen=True)
class ModelBuild:
    """A built model and how it was built."""

    model: dict[str, Any]
    mode: str
    """'full' (kinds with names, brands and synonyms) or 'kinds' (the fallback)."""
    products: int
    kinds: int
    slot_values: int
    """Values plus synonyms over every custom slot type."""
    size_bytes: int
    """The rendered JSON, in bytes."""
    reason: str = ""
    """Why the fallback was taken."""

    @property
    def text(self) -> str:
        return render(self.model)


def catalog_from_database(db: Database) -> list[dict[str, Any]]:
    """Active products as the model builder takes them (synonyms as a list of phrases)."""
    rows = db.execute(
        "SELECT generic, name, brand, synonyms FROM products WHERE retired_at IS NULL ORDER BY rowid"
    ).fetchall()
    return [
        {"generic": generic, "name": name, "brand": brand, "synonyms": _phrases(synonyms)}
        for generic, name, brand, synonyms in rows
    ]


def _phrases(stored: str) -> list[str]:
    # An import keeps phrases apart with ';' (the search index reads the words either way).
    return [p.strip() for p in stored.split(";") if p.strip()]


def measure(model: dict[str, Any]) -> tuple[int, int]:
    """(custom slot values and synonyms, JSON bytes) of a model."""
    types = model["interactionModel"]["languageModel"].get("types", [])
    values = sum(1 + len(v["name"].get("synonyms", [])) for t in types for v in t.get("values", []))
    return values, len(render(model).encode("utf-8"))


def build_from_database(
    db: Database,
    *,
    max_values: int = MAX_SLOT_VALUES,
    max_bytes: int = MAX_MODEL_BYTES,
    locale: str = "en-US",
) -> ModelBuild:
    """The model of `locale` for the database's catalog: full when it fits Alexa's limits, else product
    kinds only."""
    catalog = catalog_from_database(db)
    if not catalog:
        raise CatalogError("the catalog is empty: import products first (voiceshop catalog import FILE)")
    kinds = len({p["generic"] for p in catalog})
    model = _within_value_length(build_model(catalog, locale))
    values, size = measure(model)
    if values <= max_values and size <= max_bytes:
        return ModelBuild(model, "full", len(catalog), kinds, values, size)
    reason = (
        f"{values:,} slot values and synonyms (limit {max_values:,})"
        if values > max_values
        else f"{size:,} bytes (limit {max_bytes:,})"
    )
    slim = build_model([{"generic": g, "name": "", "brand": "", "synonyms": []} for g in _kinds(catalog)], locale)
    slim_values, slim_size = measure(slim)
    if slim_values > max_values or slim_size > max_bytes:
        raise CatalogError(
            f"the catalog's {kinds:,} product kinds alone make {slim_values:,} slot values and {slim_size:,}"
            f" bytes, over Alexa's limits ({max_values:,} values, {max_bytes:,} bytes): use fewer kinds"
        )
    return ModelBuild(slim, "kinds", len(catalog), kinds, slim_values, slim_size, reason)


def _within_value_length(model: dict[str, Any]) -> dict[str, Any]:
    """Synonyms over `MAX_VALUE_CHARS` dropped (the search still finds those products by their words)."""
    for slot_type in model["interactionModel"]["languageModel"]["types"]:
        for value in slot_type["values"]:
            name = value["name"]
            name["synonyms"] = [s for s in name.get("synonyms", []) if len(s) <= MAX_VALUE_CHARS]
    return model


def _kinds(catalog: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for product in catalog:
        seen.setdefault(product["generic"], None)
    return list(seen)


def summary(build: ModelBuild) -> dict[str, Any]:
    """The figures `voiceshop model build --json` prints."""
    return {
        "mode": build.mode,
        "products": build.products,
        "kinds": build.kinds,
        "slot_values": build.slot_values,
        "max_slot_values": MAX_SLOT_VALUES,
        "size_bytes": build.size_bytes,
        "max_size_bytes": MAX_MODEL_BYTES,
        "reason": build.reason,
    }


def dumps_summary(build: ModelBuild) -> str:
    return json.dumps(summary(build))
