"""The console's directory: every path the pages name is resolved here, and nothing gets outside it.

    ws = Workspace(Path("console"))
    ws.path("uploads/cases.json")          # inside the directory, or WorkspaceError
    ws.save_uploads([("cases.json", data)])  # names cleaned, size and content checked, all or nothing
    ws.test_files()                         # the test files it holds, by kind
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.utils import secure_filename

from speech.errors import AudioError, SpeechError

__all__ = ["Conflict", "Missing", "Workspace", "WorkspaceError", "UPLOADS", "REPORTS", "AUDIO", "TEST_SUFFIXES"]

UPLOADS = "uploads"
REPORTS = "reports"
AUDIO = "audio"
TEST_SUFFIXES = (".json", ".csv", ".yaml", ".yml", ".wav")
"""What may be uploaded on the certification page: test files and the recordings of audio sets."""
_LISTED_MAX = 500
"""Test files listed at most (a directory with more is not a test folder to pick from one by one)."""
_TEXT_MAX = 2 * 1024 * 1024
"""Larger text files are not offered as test files."""
_UPLOAD_LOCK = threading.Lock()


class WorkspaceError(Exception):
    """A name the page sent that is not allowed, or a file that is not what it claims: the message says why."""

    status = 400


class Missing(WorkspaceError):
    """What the page asked for is not there (HTTP 404)."""

    status = 404


class Conflict(WorkspaceError):
    """The request clashes with what is there or under way (HTTP 409)."""

    status = 409


@dataclass
class TestFileEntry:
    name: str
    """Path relative to the directory, with '/'."""
    kind: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "size": self.size}


class Workspace:
    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root.resolve()

    def path(self, name: str) -> Path:
        """`name` (relative, '/'-separated) as a path inside the directory; symbolic links are followed
        before the check, so a link cannot lead out either."""
        if not isinstance(name, str) or not name.strip():
            raise WorkspaceError("no file name given")
        if "\x00" in name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\\" in name:
            raise WorkspaceError(f"{name!r} is not a name inside the console's directory")
        target = (self.root / name).resolve()
        if target != self.root and self.root not in target.parents:
            raise WorkspaceError(f"{name!r} is outside the console's directory")
        return target

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def contains(self, path: Path) -> bool:
        resolved = path.resolve()
        return resolved == self.root or self.root in resolved.parents

    def subdir(self, name: str) -> Path:
        folder = self.path(name)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    # -- test files -------------------------------------------------------------------------------

    def test_files(self) -> list[TestFileEntry]:
        """Test files anywhere in the directory (not its audio and reports), recognised by content."""
        from speech.certify.files import sniff

        found: list[TestFileEntry] = []
        for path in self._files():
            if len(found) >= _LISTED_MAX:
                break
            rel = path.relative_to(self.root)
            if path.suffix.lower() not in TEST_SUFFIXES[:-1] or not self.contains(path):
                continue
            size = path.stat().st_size
            if size > _TEXT_MAX:
                continue
            try:
                kind = sniff(path)
            except (SpeechError, OSError, UnicodeDecodeError):
                kind = None
            if kind:
                found.append(TestFileEntry(rel.as_posix(), kind, size))
        return found

    def _files(self) -> list[Path]:
        """Files of the directory in name order, leaving out its audio, its reports and hidden entries."""
        out: list[Path] = []
        for folder, dirs, files in os.walk(self.root):
            top = Path(folder) == self.root
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (top and d in (AUDIO, REPORTS)))
            out += [Path(folder) / f for f in sorted(files) if not f.startswith(".")]
        return sorted(out)

    def read_tests(self, names: list[str]) -> list[Any]:
        """The named test files, read; an audio set's recordings must lie in the directory too."""
        from speech.certify.cases import AudioSet
        from speech.certify.files import read_test_file

        if not names:
            raise WorkspaceError("pick at least one test file")
        files = []
        for name in names:
            path = self.path(name)
            if not path.is_file():
                raise Missing(f"{name}: no such file in the console's directory")
            test_file = read_test_file(path)
            if isinstance(test_file, AudioSet):
                for case in test_file.cases:
                    if not self.contains(Path(case.audio)):
                        raise WorkspaceError(f"{name}: {case.audio.name} is outside the console's directory")
                    if not Path(case.audio).is_file():
                        raise WorkspaceError(f"{name}: the recording {case.audio.name} is missing (upload it too)")
            files.append(test_file)
        return files

    # -- uploads ----------------------------------------------------------------------------------

    def save_uploads(self, uploads: list[tuple[str, bytes]], max_bytes: int) -> list[TestFileEntry]:
        """Store uploaded test files (and recordings) in `uploads/`, after checking each: a known kind
        of name, a size within `max_bytes`, and content that reads as a test file or a WAV (an audio
        set's recordings in the directory). Either all are kept or none: a file of the same name is put
        back when another upload of the batch is refused, and the refused one names itself."""
        if not uploads:
            raise WorkspaceError("choose one or more files to upload")
        checked: list[tuple[str, bytes]] = []
        for original, data in uploads:
            name = secure_filename(original or "")
            if not name or Path(name).suffix.lower() not in TEST_SUFFIXES:
                raise WorkspaceError(f"{original or '(no name)'}: not a test file name (use .json, .csv, .yaml or .wav)")
            if not data:
                raise WorkspaceError(f"{original}: the file is empty")
            if len(data) > max_bytes:
                raise WorkspaceError(f"{original}: larger than {max_bytes // 1024} KiB")
            checked.append((name, data))
        folder = self.subdir(UPLOADS)
        with _UPLOAD_LOCK:
            placed: list[Path] = []
            backups: dict[Path, Path] = {}
            try:
                for name, data in checked:
                    final = folder / name
                    if final.exists() and final not in backups:
                        backups[final] = final.with_name(f".replaced-{secrets.token_hex(4)}-{name}")
                        os.replace(final, backups[final])
                    final.write_bytes(data)
                    placed.append(final)
                entries = []
                for final in placed:  # recordings first, as a manifest of the batch reads them
                    if final.suffix.lower() == ".wav":
                        _check_wav(final)
                        entries.append(TestFileEntry(self.relative(final), "recording", final.stat().st_size))
                for final in placed:
                    if final.suffix.lower() != ".wav":
                        entries.insert(0, self._check_test_file(final))
            except BaseException:
                for final in placed:
                    final.unlink(missing_ok=True)
                for final, backup in backups.items():
                    os.replace(backup, final)
                raise
            for backup in backups.values():
                backup.unlink(missing_ok=True)
        return entries

    def _check_test_file(self, path: Path) -> TestFileEntry:
        from speech.certify.cases import AudioSet
        from speech.certify.files import read_test_file, sniff

        try:
            test_file = read_test_file(path)
            kind = sniff(path) or "test file"
        except (SpeechError, UnicodeDecodeError) as exc:
            raise WorkspaceError(self._quiet(str(exc))) from None
        if isinstance(test_file, AudioSet):
            for case in test_file.cases:
                if not self.contains(Path(case.audio)):
                    raise WorkspaceError(f"{path.name}: {case.audio.name} is outside the console's directory")
        return TestFileEntry(self.relative(path), kind, path.stat().st_size)

    def _quiet(self, message: str) -> str:
        """A library's message without the directory's own path (the page knows the names it sent)."""
        return message.replace(str(self.root) + "/", "")


def _check_wav(path: Path) -> None:
    from speech.audio import load_wav

    try:
        load_wav(path)
    except AudioError as exc:
        raise WorkspaceError(f"{path.name}: " + str(exc).split(": ", 1)[-1]) from None
