"""Which kind of test file a file is, told from its content, and reading it.

    kind = sniff(path)                  # 'annotation-json', 'annotation-csv', 'sentences-yaml',
                                        # 'dialog', 'audio-set' or None (not a test file)
    files = read_test_files([Path("tests/certify")])     # folders: every recognised file in them

A file named on the command line that is not a test file is an error; inside a folder it is skipped
(a README or the WAVs of an audio set live there too). A file that is recognised but malformed is
always an error naming the file and line.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from speech.certify.audio_sets import AUDIO_KEYS, audio_items, read_audio_csv, read_audio_items
from speech.certify.cases import TestFile
from speech.certify.dialogs import is_dialog_document, read_dialog_script
from speech.certify.lines import LineDict, load_all_with_lines, read_text
from speech.certify.nlu_sets import read_annotation_csv, read_annotation_json, read_sentences_yaml
from speech.errors import TestFileError

__all__ = ["read_test_file", "read_test_files", "sniff"]

_STRUCTURED = {".json", ".yaml", ".yml", ".csv", ".tsv"}
_BINARY = {".wav", ".mp3", ".flac", ".ogg", ".png", ".svg", ".html", ".xml"}


def _csv_header(text: str) -> list[str] | None:
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    if "," not in first:
        return None
    try:
        return [h.strip().lower().replace("_", "").replace(" ", "") for h in next(csv.reader(io.StringIO(first)))]
    except (csv.Error, StopIteration):
        return None


def _classify(path: Path, text: str) -> tuple[str | None, Any]:
    """(kind, parsed documents or None)."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) and path.suffix.lower() not in (".yaml", ".yml"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if path.suffix.lower() == ".json":
                raise TestFileError(f"{path}, line {exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})") from exc
            data = None
        if data is not None:
            if isinstance(data, dict) and isinstance(data.get("data"), list) and any(
                isinstance(i, dict) and "inputs" in i for i in data["data"]
            ):
                return "annotation-json", None
            if audio_items(data) is not None:
                return "audio-set", load_all_with_lines(text, path)[0]
            return None, None
    header = _csv_header(text)
    if header is not None and path.suffix.lower() not in (".yaml", ".yml", ".json"):
        if "utterance" in header:
            return "annotation-csv", None
        if any(h in AUDIO_KEYS for h in header):
            return "audio-set-csv", None
        if path.suffix.lower() == ".csv":
            return None, None
    if path.suffix.lower() in (".yaml", ".yml") or stripped.startswith(("---", "configuration:", "- test:")):
        docs = load_all_with_lines(text, path)
        docs = [d for d in docs if d is not None]
        if not docs:
            return None, None
        first = docs[0]
        if isinstance(first, LineDict) and "intent" in first and "sentences" in first:
            return "sentences-yaml", first
        if is_dialog_document(docs):
            return "dialog", docs
        if audio_items(first) is not None:
            return "audio-set", first
    return None, None


def sniff(path: Path) -> str | None:
    """The kind of test file `path` is, or None."""
    kind, _ = _classify(path, read_text(path))
    return "audio-set" if kind == "audio-set-csv" else kind


def read_test_file(path: Path) -> TestFile:
    """Read one test file of any kind; `TestFileError` when it is none or is malformed."""
    text = read_text(path)
    if not text.strip():
        raise TestFileError(f"{path}: the file is empty")
    kind, docs = _classify(path, text)
    if kind == "annotation-json":
        return read_annotation_json(path, text)
    if kind == "annotation-csv":
        return read_annotation_csv(path, text)
    if kind == "audio-set-csv":
        return read_audio_csv(path, text)
    if kind == "audio-set":
        return read_audio_items(path, docs)
    if kind == "sentences-yaml":
        return read_sentences_yaml(path, docs)
    if kind == "dialog":
        return read_dialog_script(path, docs)
    raise TestFileError(
        f"{path}: not a test file this runner knows (an NLU annotation set in JSON or CSV, "
        "a sentence file, a Bespoken dialog script, or an audio-set manifest)"
    )


def read_test_files(paths: list[Path]) -> list[TestFile]:
    """Every test file named, folders searched recursively in name order."""
    out: list[TestFile] = []
    for path in paths:
        if path.is_dir():
            found = False
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in _BINARY or child.name.startswith("."):
                    continue
                text = read_text(child)
                if not text.strip():
                    continue
                try:
                    kind, _ = _classify(child, text)
                except TestFileError:
                    if child.suffix.lower() in _STRUCTURED:
                        raise  # a broken .json/.yaml/.csv in a test folder is an error, not noise
                    continue
                if kind is not None:
                    out.append(read_test_file(child))
                    found = True
            if not found:
                raise TestFileError(f"{path}: no test files in this folder")
        elif path.is_file():
            out.append(read_test_file(path))
        else:
            raise TestFileError(f"{path}: no such file or folder")
    return out
