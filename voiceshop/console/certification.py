"""Certification runs started from the console's page: one at a time, in a background thread, with the
progress the page polls and the reports (JSON, JUnit, HTML, the confusion matrix) kept in the directory.

    runs = CertificationRuns(workspace, run=lambda files, progress: report)
    job = runs.start(["uploads/cases.json"])     # read and checked first: a bad file is an error now
    runs.get(job.id).to_json()                   # state, done / total, the report when finished
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from speech.certify.results import CertifyReport
from voiceshop.console.workspace import REPORTS, Conflict, Missing, Workspace, WorkspaceError

__all__ = ["CertificationRuns", "Job", "REPORT_FILES", "page_report"]

log = logging.getLogger(__name__)

REPORT_FILES = {
    "report.json": "application/json",
    "junit.xml": "application/xml",
    "report.html": "text/html",
    "matrix.svg": "image/svg+xml",
}
"""What a finished run leaves in reports/<run id>/, and how each is served."""
KEPT_JOBS = 20

Runner = Callable[[list[Any], dict[str, Any], Callable[[int], None]], CertifyReport]
"""(read test files, options, progress callback) -> the report: `run_certification` with the console's
settings; options: 'checks' (run the model and skill checks too), 'min_intent_accuracy'."""


@dataclass
class Job:
    id: str
    files: list[str]
    total: int
    folder: Path
    done: int = 0
    state: str = "running"
    """'running', 'finished' or 'failed'."""
    phase: str = "cases"
    """'cases', then 'checks' (the model and skill checks, after the files' cases, when asked for)."""
    error: str | None = None
    report: dict[str, Any] | None = None
    started: float = field(default_factory=time.time)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "state": self.state, "phase": self.phase, "done": self.done, "total": self.total,
            "files": self.files, "error": self.error, "seconds": round(self.seconds, 2),
        }
        if self.report is not None:
            out["report"] = self.report
            out["downloads"] = {name: f"/api/certify/runs/{self.id}/{name}" for name in REPORT_FILES
                                if (self.folder / name).is_file()}
        return out


class CertificationRuns:
    def __init__(self, workspace: Workspace, run: Runner) -> None:
        self.workspace = workspace
        self.run = run
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, names: list[str], options: dict[str, Any] | None = None) -> Job:
        from speech.certify.runner import count_cases

        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise WorkspaceError("files must be a list of file names")
        with self._lock:
            if any(j.state == "running" for j in self._jobs.values()):
                raise Conflict("a certification run is already in progress; wait for it to finish")
            files = self.workspace.read_tests(names)  # a malformed file fails here, with its line
            job_id = time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)
            folder = self.workspace.subdir(f"{REPORTS}/{job_id}")
            job = Job(job_id, list(names), count_cases(files), folder)
            self._jobs[job_id] = job
            for old in sorted(self._jobs.values(), key=lambda j: j.started)[:-KEPT_JOBS]:
                del self._jobs[old.id]
        threading.Thread(target=self._run, args=(job, files, options or {}), name=f"certify-{job_id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise Missing(f"no certification run {job_id!r}")
        return job

    def _run(self, job: Job, files: list[Any], options: dict[str, Any]) -> None:
        start = time.perf_counter()

        def progress(n: int) -> None:
            job.done = min(job.total, job.done + n)
            if job.done >= job.total:
                job.phase = "checks"

        try:
            if job.total == 0:
                job.phase = "checks"
            report = self.run(files, options, progress)
            self._write(job, report)
            job.report = page_report(report)
            job.state = "finished"
        except Exception as exc:  # the run is the skill's and the engines' code: say what broke, keep serving
            log.warning("certification run %s failed", job.id, exc_info=True)
            job.error = f"{exc.__class__.__name__}: {exc}" if not str(exc).startswith(exc.__class__.__name__) else str(exc)
            job.state = "failed"
        finally:
            job.seconds = time.perf_counter() - start

    def _write(self, job: Job, report: CertifyReport) -> None:
        import json

        from speech.certify.html import confusion_svg, write_html
        from speech.certify.junit import write_junit

        (job.folder / "report.json").write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
        write_junit(report, job.folder / "junit.xml")
        write_html(report, job.folder / "report.html")
        if report.cases("nlu"):
            (job.folder / "matrix.svg").write_text(confusion_svg(report.confusion("nlu")), encoding="utf-8")


def page_report(report: CertifyReport) -> dict[str, Any]:
    """What the page draws: the summary, per-intent figures, the checks and the failing cases."""
    data = report.to_json()
    failing = [
        {"file": f.path.rsplit("/", 1)[-1], "source": c.source, "kind": c.kind, "name": c.name,
         "expected": c.expected_intent, "actual": c.actual_intent, "failures": c.failures,
         "record": c.record}
        for f in report.files for c in f.cases if not c.passed
    ]
    return {
        "ok": data["ok"],
        "passed": data["passed"],
        "failed": data["failed"],
        "intent_accuracy": data["intent_accuracy"],
        "slot_accuracy": data["slot_accuracy"],
        "audio": data["audio"],
        "dialogs": data["dialogs"],
        "thresholds": data["thresholds"],
        "intents": data["intents"],
        "matrix": bool(report.cases("nlu")),
        "checks": data["checks"],
        "files": [{k: v for k, v in f.items() if k != "cases"} | {"path": Path(f["path"]).name}
                  for f in data["files"]],
        "failing": failing,
        "recognizer": report.recognizer_line(),
    }
