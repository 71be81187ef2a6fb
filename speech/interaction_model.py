"""An Alexa interaction model, parsed: intents with samples and slots, slot types with values.

    model = load_interaction_model("interaction_model.json")
    model.intent("AddToCartIntent").samples      # ['add {quantity} {unit} of {product}', ...]
    model.slot_type("PRODUCT").values[0].synonyms

Parsing is strict about structure (a missing name or a slot of no type is a `ModelError` naming the
element) and says nothing about Amazon's build rules: those are `speech.validate`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from speech.errors import ModelError

SLOT_REF = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class SlotTypeValue:
    """One value of a custom slot type."""

    value: str
    """The canonical spoken value (`name.value`)."""
    id: str | None
    """Entity-resolution id (`id`); None when the model gives none."""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlotType:
    name: str
    values: tuple[SlotTypeValue, ...] = ()


@dataclass(frozen=True)
class Slot:
    name: str
    type: str
    samples: tuple[str, ...] = ()
    """Slot samples (what to say when the slot is elicited)."""
    multiple_values: bool = False
    """`multipleValues.enabled`: the slot takes a list ("milk, eggs and bread")."""


@dataclass(frozen=True)
class Intent:
    name: str
    slots: tuple[Slot, ...] = ()
    samples: tuple[str, ...] = ()

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)


@dataclass(frozen=True)
class DialogSlot:
    """A slot's dialog rules for one intent."""

    name: str
    type: str
    elicitation_required: bool = False
    confirmation_required: bool = False
    elicitation_prompt: str | None = None
    """Prompt id."""
    confirmation_prompt: str | None = None


@dataclass(frozen=True)
class DialogIntent:
    name: str
    delegation_strategy: str | None
    confirmation_required: bool
    confirmation_prompt: str | None
    slots: tuple[DialogSlot, ...]


@dataclass(frozen=True)
class Prompt:
    """A dialog prompt: its variations are SSML or plain text with {slot} references."""

    id: str
    variations: tuple[tuple[str, str], ...]
    """(type, value) pairs, type 'PlainText' or 'SSML'."""


@dataclass(frozen=True)
class InteractionModel:
    invocation_name: str
    intents: tuple[Intent, ...]
    types: tuple[SlotType, ...]
    dialog_intents: tuple[DialogIntent, ...] = ()
    delegation_strategy: str | None = None
    prompts: tuple[Prompt, ...] = ()
    fallback_sensitivity: str = "LOW"
    """modelConfiguration.fallbackIntentSensitivity.level: LOW, MEDIUM or HIGH."""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def intent(self, name: str) -> Intent | None:
        return next((i for i in self.intents if i.name == name), None)

    def slot_type(self, name: str) -> SlotType | None:
        return next((t for t in self.types if t.name == name), None)

    def dialog_intent(self, name: str) -> DialogIntent | None:
        return next((d for d in self.dialog_intents if d.name == name), None)

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


def _req(obj: Any, key: str, where: str, kind: type = str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise ModelError(f"{where}: missing '{key}'")
    value = obj[key]
    if not isinstance(value, kind):
        raise ModelError(f"{where}.{key}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def parse_interaction_model(data: dict[str, Any]) -> InteractionModel:
    """Parse the JSON of an interaction model (with or without the outer 'interactionModel')."""
    root = data.get("interactionModel", data) if isinstance(data, dict) else data
    lm = _req(root, "languageModel", "interactionModel", dict)
    invocation = _req(lm, "invocationName", "languageModel")
    intents = []
    for n, raw_intent in enumerate(_req(lm, "intents", "languageModel", list)):
        where = f"languageModel.intents[{n}]"
        name = _req(raw_intent, "name", where)
        where = f"intent {name}"
        slots = []
        for m, raw_slot in enumerate(raw_intent.get("slots", []) or []):
            swhere = f"{where}.slots[{m}]"
            slots.append(
                Slot(
                    name=_req(raw_slot, "name", swhere),
                    type=_req(raw_slot, "type", swhere),
                    samples=tuple(raw_slot.get("samples", []) or []),
                    multiple_values=bool((raw_slot.get("multipleValues") or {}).get("enabled") is True)
                    if isinstance(raw_slot.get("multipleValues"), dict)
                    else False,
                )
            )
        samples = raw_intent.get("samples", []) or []
        if not isinstance(samples, list) or not all(isinstance(s, str) for s in samples):
            raise ModelError(f"{where}.samples: expected a list of strings")
        intents.append(Intent(name=name, slots=tuple(slots), samples=tuple(samples)))
    types = []
    for n, raw_type in enumerate(lm.get("types", []) or []):
        where = f"languageModel.types[{n}]"
        tname = _req(raw_type, "name", where)
        values = []
        for m, raw_value in enumerate(raw_type.get("values", []) or []):
            vwhere = f"type {tname}.values[{m}]"
            name_obj = _req(raw_value, "name", vwhere, dict)
            values.append(
                SlotTypeValue(
                    value=_req(name_obj, "value", vwhere + ".name"),
                    id=raw_value.get("id"),
                    synonyms=tuple(name_obj.get("synonyms", []) or []),
                )
            )
        types.append(SlotType(name=tname, values=tuple(values)))
    dialog = root.get("dialog", {}) or {}
    dialog_intents = []
    for n, raw_di in enumerate(dialog.get("intents", []) or []):
        where = f"dialog.intents[{n}]"
        dslots = []
        for m, raw_ds in enumerate(raw_di.get("slots", []) or []):
            prompts = raw_ds.get("prompts", {}) or {}
            dslots.append(
                DialogSlot(
                    name=_req(raw_ds, "name", f"{where}.slots[{m}]"),
                    type=raw_ds.get("type", ""),
                    elicitation_required=bool(raw_ds.get("elicitationRequired", False)),
                    confirmation_required=bool(raw_ds.get("confirmationRequired", False)),
                    elicitation_prompt=prompts.get("elicitation"),
                    confirmation_prompt=prompts.get("confirmation"),
                )
            )
        dialog_intents.append(
            DialogIntent(
                name=_req(raw_di, "name", where),
                delegation_strategy=raw_di.get("delegationStrategy"),
                confirmation_required=bool(raw_di.get("confirmationRequired", False)),
                confirmation_prompt=(raw_di.get("prompts", {}) or {}).get("confirmation"),
                slots=tuple(dslots),
            )
        )
    prompts_list = []
    for n, raw_p in enumerate(root.get("prompts", []) or []):
        where = f"prompts[{n}]"
        variations = tuple(
            (_req(v, "type", f"{where}.variations"), _req(v, "value", f"{where}.variations"))
            for v in _req(raw_p, "variations", where, list)
        )
        prompts_list.append(Prompt(id=_req(raw_p, "id", where), variations=variations))
    sensitivity = ((lm.get("modelConfiguration") or {}).get("fallbackIntentSensitivity") or {}).get(
        "level", "LOW"
    )
    return InteractionModel(
        invocation_name=invocation,
        intents=tuple(intents),
        types=tuple(types),
        dialog_intents=tuple(dialog_intents),
        delegation_strategy=dialog.get("delegationStrategy"),
        prompts=tuple(prompts_list),
        fallback_sensitivity=str(sensitivity).upper(),
        raw=data,
    )


def read_model_json(path: Path | str) -> dict[str, Any]:
    """Read an interaction model file; `ModelError` names the file (and the line of a JSON error)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ModelError(f"{path}: is a directory, not an interaction model file") from None
    except UnicodeDecodeError as exc:
        raise ModelError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ModelError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        model = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}") from None
    if not isinstance(model, dict):
        raise ModelError(f"{path}: an interaction model is a JSON object, found a {type(model).__name__}")
    return model


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> InteractionModel:
    try:
        return parse_interaction_model(read_model_json(path))
    except ModelError as exc:
        if str(exc).startswith(path):
            raise
        raise ModelError(f"{path}: {exc}") from exc


def load_interaction_model(path: Path | str) -> InteractionModel:
    """Load and parse a model file (cached while the file is unchanged)."""
    p = Path(path)
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as exc:
        raise ModelError(f"cannot read interaction model {p}: {exc.strerror or exc}") from exc
    return _load_cached(str(p), mtime)


MODEL_FILES = {"en-US": "interaction_model.json", "ko-KR": "interactionModels/custom/ko-KR.json"}
"""Each locale's interaction model, relative to the repository (en-US is the file the contract names; the
others sit in the ASK skill-package layout)."""


def model_path_for(locale: str) -> Path:
    """The interaction model of `locale` (the working directory's first, if it has one); a one-line
    `ModelError` for a locale without a model."""
    if locale == "en-US":
        return default_model_path()
    relative = MODEL_FILES.get(locale)
    if relative is None:
        raise ModelError(f"unknown locale '{locale}' (supported: {', '.join(MODEL_FILES)})")
    here = Path.cwd() / relative
    if here.is_file():
        return here
    return Path(__file__).resolve().parent.parent / relative


def default_model_path() -> Path:
    """The repository's interaction_model.json (the working directory's first, if it has one)."""
    here = Path.cwd() / "interaction_model.json"
    if here.is_file():
        return here
    return Path(__file__).resolve().parent.parent / "interaction_model.json"
