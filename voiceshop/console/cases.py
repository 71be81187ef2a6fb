"""Test cases made on the NLU page: a sentence with its corrected intent and slots, appended to an Amazon
NLU annotation set in the console's directory (the format `voiceshop certify` reads).

    add_case(workspace, model, "nlu-cases.json", "grab me some oat milk", "AddToCartIntent",
             {"product": "oat milk"}, reference_time="2026-12-07T12:00:00Z")
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from speech.interaction_model import InteractionModel
from voiceshop.console.workspace import Conflict, Workspace, WorkspaceError

__all__ = ["CASES_FILE", "add_case", "CaseConflict"]

CASES_FILE = "nlu-cases.json"
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,60}\.json$")
"""An annotation set the page may write: a plain .json name at the top of the directory."""
MAX_VALUE = 200
_LOCK = threading.Lock()


class CaseConflict(Conflict):
    """The sentence is already a case in that file."""


def add_case(
    workspace: Workspace,
    model: InteractionModel,
    file_name: str,
    utterance: Any,
    intent: Any,
    slots: Any,
    reference_time: str | None = None,
) -> dict[str, Any]:
    """Append one annotation and return it with the file's name and its number of cases."""
    file_name = file_name or CASES_FILE
    if not isinstance(file_name, str) or not FILE_NAME.match(file_name):
        raise WorkspaceError("the annotation file is a plain name ending in .json (letters, digits, _ and -)")
    if not isinstance(utterance, str) or not utterance.strip() or len(utterance) > 500:
        raise WorkspaceError("the sentence is empty or too long")
    known = {i.name: i for i in model.intents}
    if not isinstance(intent, str) or intent not in known:
        raise WorkspaceError(f"{intent!r} is not an intent of the interaction model")
    if not isinstance(slots, dict):
        raise WorkspaceError("slots must be an object of slot name to value")
    names = {s.name for s in known[intent].slots}
    expected_slots: dict[str, dict[str, str]] = {}
    for name, value in slots.items():
        if name not in names:
            raise WorkspaceError(f"{intent} has no slot {name!r}" + (f" (its slots: {', '.join(sorted(names))})"
                                                                     if names else ""))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # a slot left empty is not expected
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or len(str(value)) > MAX_VALUE:
            raise WorkspaceError(f"slot {name!r}: give its value as text")
        expected_slots[name] = {"value": str(value).strip()}
    inputs: dict[str, str] = {"utterance": " ".join(utterance.split())}
    if reference_time:
        try:
            datetime.fromisoformat(str(reference_time).replace("Z", "+00:00"))
        except ValueError:
            raise WorkspaceError("referenceTimestamp is not an ISO 8601 time") from None
        inputs["referenceTimestamp"] = str(reference_time)
    entry = {"inputs": inputs, "expected": [{"intent": {"name": intent, "slots": expected_slots}}]}
    path = workspace.path(file_name)
    with _LOCK:
        document = _load(path, file_name)
        said = inputs["utterance"].lower()
        if any(str((d.get("inputs") or {}).get("utterance", "")).strip().lower() == said
               for d in document["data"] if isinstance(d, dict)):
            raise CaseConflict(f"“{inputs['utterance']}” is already a case in {file_name}")
        document["data"].append(entry)
        _write_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return {"file": file_name, "cases": len(document["data"]), "case": entry}


def _load(path: Path, file_name: str) -> dict[str, Any]:
    if not path.exists():
        return {"data": []}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkspaceError(f"{file_name} exists but is not an annotation set ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise WorkspaceError(f"{file_name} exists but is not an annotation set (no \"data\" list)")
    return document


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cases-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
