"""JUnit XML for CI systems: a <testsuite> per test file and one for the checks, a <testcase> per case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from speech.certify.results import CertifyReport

__all__ = ["junit_xml", "write_junit"]


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, whatever the escaping: drop them."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def junit_xml(report: CertifyReport) -> str:
    root = ET.Element("testsuites", name="voiceshop certify")
    total = failures = 0
    for f in report.files:
        suite = ET.SubElement(
            root, "testsuite", name=_clean(f.path), tests=str(len(f.cases)), failures=str(f.failed),
            errors="0", skipped="0", time=f"{f.seconds:.3f}",
        )
        for case in f.cases:
            tc = ET.SubElement(suite, "testcase", classname=_clean(f"{f.kind}.{Path(f.path).name}"),
                               name=_clean(case.name), file=_clean(f.path))
            if case.source:
                tc.set("source", _clean(case.source))
            if not case.passed:
                message = case.failures[0] if case.failures else "failed"
                failure = ET.SubElement(tc, "failure", message=_clean(message), type="AssertionError")
                failure.text = _clean("\n".join(case.failures))
        total += len(f.cases)
        failures += f.failed
    if report.checks:
        failed = [c for c in report.checks if c.status == "FAILED"]
        suite = ET.SubElement(root, "testsuite", name="certification checks", tests=str(len(report.checks)),
                              failures=str(len(failed)), errors="0", skipped="0", time="0")
        for check in report.checks:
            tc = ET.SubElement(suite, "testcase", classname=f"checks.{check.severity}", name=_clean(check.title))
            if check.status == "FAILED":
                failure = ET.SubElement(tc, "failure", message=_clean(check.details[0] if check.details else check.title),
                                        type=check.severity)
                failure.text = _clean("\n".join(check.details))
            elif check.status == "WARNING":
                out = ET.SubElement(tc, "system-out")
                out.text = _clean("WARNING: " + "\n".join(check.details))
        total += len(report.checks)
        failures += len(failed)
    missed = report.threshold_failures()
    if missed:
        suite = ET.SubElement(root, "testsuite", name="thresholds", tests=str(len(missed)),
                              failures=str(len(missed)), errors="0", skipped="0", time="0")
        for sentence in missed:
            tc = ET.SubElement(suite, "testcase", classname="thresholds", name=_clean(sentence.split(" is ")[0]))
            ET.SubElement(tc, "failure", message=_clean(sentence), type="threshold").text = _clean(sentence)
        total += len(missed)
        failures += len(missed)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(report: CertifyReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(report), encoding="utf-8")
