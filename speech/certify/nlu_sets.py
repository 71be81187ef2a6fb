"""Readers for text NLU test sets.

Amazon's annotation set JSON (NLU Evaluation tool / SMAPI):

    {"data": [{"inputs": {"utterance": "put two bags of rice in my basket",
                          "referenceTimestamp": "2026-11-27T10:00:00.000Z"},
               "expected": [{"intent": {"name": "AddToCartIntent",
                                        "slots": {"quantity": {"value": "2"}, "product": {"value": "rice"}}}}]}]}

The developer console's CSV: a header row with `utterance`, `intent`, optional `referenceTimestamp`
and one `slot[NAME]` column per slot (`slot:NAME` and `slot.NAME` are accepted too):

    utterance,referenceTimestamp,intent,slot[product],slot[quantity]
    put two bags of rice in my basket,,AddToCartIntent,rice,2

The NLU helper's sentence files (tests/speech/nlu/data/<Intent>.yaml):

    intent: AddToCartIntent
    sentences:
      - text: add two bottles of milk
        slots: {quantity: "2", product: {value: milk, id: milk}, unit: {id: bottle}}
      - {intent: AMAZON.HelpIntent, text: "what can i say"}    # a sentence may expect another intent

In sentence files, slots not listed are not checked; `id: null` expects no entity match.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from speech.certify.cases import ExpectedSlot, NluCase, NluSet
from speech.certify.lines import LineDict, LineList, line_of, load_all_with_lines
from speech.errors import TestFileError

__all__ = ["read_annotation_csv", "read_annotation_json", "read_sentences_yaml", "slot_column"]

_SLOT_COLUMN = re.compile(r"^\s*slot\s*(?:\[\s*([^\]]+?)\s*\]|[:.]\s*(\S+))\s*$", re.IGNORECASE)


def slot_column(header: str) -> str | None:
    """The slot name of a `slot[NAME]` column, None for any other column."""
    m = _SLOT_COLUMN.match(header)
    return (m.group(1) or m.group(2)) if m else None


def _fail(path: Path, line: int, message: str) -> TestFileError:
    return TestFileError(f"{path}, line {line}: {message}" if line else f"{path}: {message}")


def _expected_slot(raw: Any, path: Path, line: int, name: str) -> ExpectedSlot:
    if isinstance(raw, dict):
        value = raw.get("value")
        if ("value" not in raw and "id" not in raw) or isinstance(value, (dict, list)):
            raise _fail(path, line_of(raw, line), f"slot '{name}' needs a 'value' or an 'id'")
        sid = raw.get("id")
        return ExpectedSlot(
            value=None if value is None else str(value), id=None if sid is None else str(sid), check_id="id" in raw
        )
    if raw is None or isinstance(raw, list):
        raise _fail(path, line, f"slot '{name}' needs a value")
    if isinstance(raw, bool):
        raise _fail(path, line, f"slot '{name}': expected a value, got a boolean")
    return ExpectedSlot(value=str(raw))


def _json_document(text: str, path: Path) -> Any:
    """JSON with line numbers: syntax checked by `json`, structure read through the YAML composer."""
    try:
        plain = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(path, exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})") from exc
    try:
        docs = load_all_with_lines(text, path)
    except TestFileError:
        return plain  # valid JSON PyYAML cannot compose (rare escapes): no line numbers, same data
    return docs[0] if docs else plain


def read_annotation_json(path: Path, text: str) -> NluSet:
    data = _json_document(text, path)
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise _fail(path, line_of(data, 1), "an annotation set needs a top-level \"data\" list")
    items: LineList | list[Any] = data["data"]
    cases: list[NluCase] = []
    for n, item in enumerate(items):
        line = items.line_of(n) if isinstance(items, LineList) else 0
        where = f"data[{n}]"
        if not isinstance(item, dict):
            raise _fail(path, line, f"{where}: expected an object with 'inputs' and 'expected'")
        inputs = item.get("inputs")
        if not isinstance(inputs, dict) or not isinstance(inputs.get("utterance"), str):
            raise _fail(path, line, f"{where}: missing inputs.utterance")
        utterance = inputs["utterance"].strip()
        if not utterance:
            raise _fail(path, line_of(inputs, line), f"{where}: inputs.utterance is empty")
        ref = inputs.get("referenceTimestamp")
        expected = item.get("expected")
        if not isinstance(expected, list) or not expected:
            raise _fail(path, line, f"{where}: 'expected' must be a list with one intent")
        first = expected[0]
        intent = first.get("intent") if isinstance(first, dict) else None
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str) or not intent["name"]:
            raise _fail(path, line_of(first, line), f"{where}: expected[0].intent.name is missing")
        raw_slots = intent.get("slots") or {}
        if not isinstance(raw_slots, dict):
            raise _fail(path, line_of(intent, line), f"{where}: expected[0].intent.slots must be an object")
        slots = {
            str(name): _expected_slot(
                raw, path, raw_slots.line_of(name) if isinstance(raw_slots, LineDict) else line, str(name)
            )
            for name, raw in raw_slots.items()
        }
        cases.append(
            NluCase(
                utterance=utterance,
                intent=intent["name"],
                slots=slots,
                reference_time=str(ref) if ref else None,
                source=f"{path.name}:{line}" if line else f"{path.name}#{n}",
            )
        )
    if not cases:
        raise _fail(path, line_of(items, 1), "the annotation set has no annotations")
    return NluSet(path=path, format="annotation-json", cases=cases)


def _header_index(header: list[str]) -> dict[str, int]:
    return {h.strip().lower().replace(" ", "").replace("_", ""): i for i, h in enumerate(header)}


def read_annotation_csv(path: Path, text: str) -> NluSet:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise _fail(path, 1, "empty CSV: expected a header row (utterance,intent,slot[NAME]...)") from exc
    index = _header_index(header)
    col_utt = index.get("utterance")
    col_intent = index.get("intent", index.get("expectedintent"))
    col_ref = index.get("referencetimestamp")
    if col_utt is None or col_intent is None:
        raise _fail(path, 1, "the header needs 'utterance' and 'intent' columns")
    slot_cols = [(i, name) for i, h in enumerate(header) if (name := slot_column(h))]
    cases: list[NluCase] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise _fail(path, line, f"{len(row)} fields, but the header has {len(header)}")
            row = row + [""] * (len(header) - len(row))
            utterance, intent = row[col_utt].strip(), row[col_intent].strip()
            if not utterance:
                raise _fail(path, line, "the utterance is empty")
            if not intent:
                raise _fail(path, line, "the intent is empty")
            slots = {name: ExpectedSlot(row[i].strip()) for i, name in slot_cols if row[i].strip()}
            ref = row[col_ref].strip() if col_ref is not None else ""
            cases.append(
                NluCase(utterance, intent, slots, ref or None, source=f"{path.name}:{line}")
            )
    except csv.Error as exc:
        raise _fail(path, reader.line_num, f"not valid CSV: {exc}") from exc
    if not cases:
        raise _fail(path, 1, "the annotation set has no rows")
    return NluSet(path=path, format="annotation-csv", cases=cases)


def read_sentences_yaml(path: Path, doc: LineDict) -> NluSet:
    intent = doc.get("intent")
    if not isinstance(intent, str) or not intent:
        raise _fail(path, doc.line_of("intent"), "'intent' must be an intent name")
    sentences = doc.get("sentences")
    if not isinstance(sentences, list) or not sentences:
        raise _fail(path, doc.line_of("sentences"), "'sentences' must be a non-empty list")
    cases: list[NluCase] = []
    for n, item in enumerate(sentences):
        line = sentences.line_of(n) if isinstance(sentences, LineList) else doc.line
        raw_slots: Any
        case_intent = intent
        if isinstance(item, str):
            text, raw_slots, ref = item, {}, None
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            text, raw_slots, ref = item["text"], item.get("slots") or {}, item.get("reference_time")
            case_intent = item.get("intent") or intent  # a sentence may expect another intent
            if not isinstance(case_intent, str):
                raise _fail(path, line, "'intent' must be an intent name")
        else:
            raise _fail(path, line, "a sentence is a string or a mapping with 'text' (and 'slots')")
        if not text.strip():
            raise _fail(path, line, "the sentence is empty")
        if not isinstance(raw_slots, dict):
            raise _fail(path, line, "'slots' must be a mapping of slot name to value")
        slots = {
            str(k): _expected_slot(v, path, raw_slots.line_of(k) if isinstance(raw_slots, LineDict) else line, str(k))
            for k, v in raw_slots.items()
        }
        cases.append(
            NluCase(text.strip(), case_intent, slots, str(ref) if ref else None, f"{path.name}:{line}", strict_slots=False)
        )
    return NluSet(path=path, format="sentences-yaml", cases=cases)
