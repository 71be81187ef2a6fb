"""Reader for audio sets: WAV files listed in a manifest (CSV, JSON or YAML) next to them.

Columns/keys: the audio file (`audioAsset`, as Amazon's ASR Evaluation names it, or `file`, `audio`,
`wav`), the expected transcription (`expectedTranscription`, `transcription`, `text`) and, optionally,
the expected intent (`intent`, `expectedIntent`) and slots (`slot[NAME]` columns, or a `slots` mapping).
Paths are relative to the manifest.

    audioAsset,expectedTranscription,intent,slot[product]
    add_milk.wav,add milk to my cart,AddToCartIntent,milk

    {"audioAssets": [{"audioAsset": "add_milk.wav", "expectedTranscription": "add milk to my cart",
                      "intent": "AddToCartIntent", "slots": {"product": "milk"}}]}
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from speech.certify.cases import AudioCase, AudioSet, ExpectedSlot
from speech.certify.lines import LineDict, LineList, line_of
from speech.certify.nlu_sets import slot_column
from speech.errors import TestFileError

__all__ = ["AUDIO_KEYS", "audio_items", "read_audio_csv", "read_audio_items"]

AUDIO_KEYS = ("audioasset", "file", "audio", "wav", "path")
TEXT_KEYS = ("expectedtranscription", "transcription", "text", "transcript")
INTENT_KEYS = ("intent", "expectedintent")
LIST_KEYS = ("audioAssets", "data", "audio", "items", "cases")


def _norm(key: str) -> str:
    return key.strip().lower().replace("_", "").replace(" ", "")


def _fail(path: Path, line: int, message: str) -> TestFileError:
    return TestFileError(f"{path}, line {line}: {message}" if line else f"{path}: {message}")


def _pick(row: dict[str, Any], names: tuple[str, ...]) -> Any:
    for key, value in row.items():
        if _norm(str(key)) in names:
            return value
    return None


def _case(row: dict[str, Any], path: Path, line: int, slots: dict[str, ExpectedSlot]) -> AudioCase:
    audio = _pick(row, AUDIO_KEYS)
    if not isinstance(audio, str) or not audio.strip():
        raise _fail(path, line, "missing the audio file (audioAsset)")
    wav = (path.parent / audio.strip()).resolve()
    if not wav.is_file():
        raise _fail(path, line, f"audio file not found: {audio.strip()}")
    text = _pick(row, TEXT_KEYS)
    intent = _pick(row, INTENT_KEYS)
    if text is None and intent is None:
        raise _fail(path, line, "give an expectedTranscription, an intent, or both")
    return AudioCase(
        audio=wav,
        transcription=str(text).strip() if text not in (None, "") else None,
        intent=str(intent).strip() if intent not in (None, "") else None,
        slots=slots,
        source=f"{path.name}:{line}",
    )


def read_audio_csv(path: Path, text: str) -> AudioSet:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if not any(_norm(h) in AUDIO_KEYS for h in header):
        raise _fail(path, 1, "the header needs an audio column (audioAsset)")
    cases = []
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise _fail(path, line, "more fields than the header has")
            if not any((v or "").strip() for v in row.values()):
                continue
            slots = {n: ExpectedSlot(v.strip()) for h, v in row.items() if (n := slot_column(h)) and (v or "").strip()}
            cases.append(_case(row, path, line, slots))
    except csv.Error as exc:
        raise _fail(path, reader.line_num, f"not valid CSV: {exc}") from exc
    if not cases:
        raise _fail(path, 1, "the audio set has no rows")
    return AudioSet(path=path, cases=cases)


def audio_items(doc: Any) -> list[Any] | None:
    """The list of recordings in a JSON/YAML manifest, None when `doc` is not one."""
    items = doc
    if isinstance(doc, dict):
        items = next((doc[k] for k in LIST_KEYS if isinstance(doc.get(k), list)), None)
    if (isinstance(items, list) and items and all(isinstance(i, dict) for i in items)
            and any(_pick(i, AUDIO_KEYS) is not None for i in items)):
        return items
    return None


def read_audio_items(path: Path, doc: Any) -> AudioSet:
    items = audio_items(doc)
    if items is None:
        raise _fail(path, line_of(doc, 1), "not an audio set: expected a list of {audioAsset, expectedTranscription}")
    cases = []
    for n, item in enumerate(items):
        line = items.line_of(n) if isinstance(items, LineList) else line_of(item)
        raw_slots = item.get("slots") or {}
        if not isinstance(raw_slots, dict):
            raise _fail(path, line, "'slots' must be a mapping")
        slots = {}
        for name, value in raw_slots.items():
            if isinstance(value, dict):
                value_line = raw_slots.line_of(name) if isinstance(raw_slots, LineDict) else line
                if "value" not in value and "id" not in value:
                    raise _fail(path, value_line, f"slot '{name}' needs a 'value' or an 'id'")
                raw_value = value.get("value")
                slots[str(name)] = ExpectedSlot(
                    None if raw_value is None else str(raw_value), value.get("id"), check_id="id" in value
                )
            else:
                slots[str(name)] = ExpectedSlot(str(value))
        cases.append(_case(item, path, line, slots))
    return AudioSet(path=path, cases=cases)
