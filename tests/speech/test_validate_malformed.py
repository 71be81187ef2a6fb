"""The checks never crash: every element of a model, deleted or replaced by a value of the wrong kind,
still gives a full report (the structure check names what is missing)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from speech.validate import validate_model

Path_ = tuple[Any, ...]
WRONG_VALUES: list[Any] = [None, [], {}, "x", 7, ["x"], [{}], {"name": []}]


def _small(model: dict[str, Any]) -> dict[str, Any]:
    """The committed model cut down to a few of each element, so every mutation runs quickly."""
    small = copy.deepcopy(model)
    language = small["interactionModel"]["languageModel"]
    keep = {"AddToCartIntent", "SetPaymentMethodIntent", "AMAZON.HelpIntent"}
    language["intents"] = [i for i in language["intents"] if i["name"] in keep]
    for intent in language["intents"]:
        intent["samples"] = intent["samples"][:3]
    language["types"] = [t for t in language["types"] if t["name"] in ("UNIT", "PAYMENT_LABEL")]
    for slot_type in language["types"]:
        slot_type["values"] = slot_type["values"][:2]
    dialog = small["interactionModel"]["dialog"]
    dialog["intents"] = [i for i in dialog["intents"] if i["name"] in keep]
    return small


def _paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _parent(root: Any, path: Path_) -> Any:
    for key in path[:-1]:
        root = root[key]
    return root


def test_validate_never_raises_on_any_deleted_or_mistyped_element(model: dict[str, Any]) -> None:
    small = _small(model)
    baseline = len(validate_model(small))
    mutations = 0
    for path in list(_paths(small)):
        for wrong in [*WRONG_VALUES, "delete"]:
            broken = copy.deepcopy(small)
            parent = _parent(broken, path)
            if wrong == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(wrong)
            results = validate_model(broken)
            assert len(results) == baseline, path
            mutations += 1
    assert mutations > 500


def test_validate_reports_a_mistyped_intents_list_by_name(model: dict[str, Any]) -> None:
    model["interactionModel"]["languageModel"]["intents"] = {"name": "AddToCartIntent"}
    result = validate_model(model)[0]
    assert result.status == "FAILED" and any("intents" in d for d in result.details)
