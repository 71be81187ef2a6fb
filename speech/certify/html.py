"""A self-contained HTML report: summary, the confusion matrix as an inline SVG heatmap, the per-intent
table, the checks and the failing cases. No scripts, no external files; every text is escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from speech.certify.results import CertifyReport
from speech.certify.scoring import Confusion

__all__ = ["confusion_svg", "html_report", "write_html"]

_CELL = 22
_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:14px}
th{background:#f3f3f3}.PASSED{color:#176117}.FAILED{color:#a31515;font-weight:bold}.WARNING{color:#8a6100}
.ok{background:#e8f5e9;padding:.5em 1em}.bad{background:#fdecea;padding:.5em 1em}code{font-size:13px}
"""


def _fill(count: int, peak: int, diagonal: bool) -> str:
    """White to green on the diagonal (right), white to red off it (confusions)."""
    if count == 0:
        return "#ffffff"
    share = count / peak if peak else 0
    level = int(235 - 175 * share)
    return f"rgb({level},{min(255, level + 40)},{level})" if diagonal else f"rgb(255,{level},{level})"


def confusion_svg(confusion: Confusion) -> str:
    """The matrix as an SVG heatmap: rows expected, columns actual, counts in the cells."""
    labels = confusion.labels
    matrix = confusion.matrix()
    n = len(labels)
    longest = max((len(label) for label in labels), default=4)
    margin = 8 + 7 * longest
    size = margin + n * _CELL + 10
    width = size + int(3.5 * longest)  # the column labels lean right, past the last column
    peak = max((v for row in matrix for v in row), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{size}" '
        f'viewBox="0 0 {width} {size}" role="img" aria-label="confusion matrix" font-family="sans-serif" font-size="11">'
    ]
    for i, label in enumerate(labels):
        y = margin + i * _CELL + _CELL * 0.7
        parts.append(f'<text x="{margin - 4}" y="{y:.1f}" text-anchor="end">{escape(label)}</text>')
        x = margin + i * _CELL + _CELL * 0.7
        parts.append(
            f'<text x="{x:.1f}" y="{margin - 4}" transform="rotate(-60 {x:.1f} {margin - 4})">{escape(label)}</text>'
        )
    for r, row in enumerate(matrix):
        for c, count in enumerate(row):
            x, y = margin + c * _CELL, margin + r * _CELL
            title = f"expected {labels[r]}, got {labels[c]}: {count}"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{_CELL}" height="{_CELL}" fill="{_fill(count, peak, r == c)}" '
                f'stroke="#ccc"><title>{escape(title)}</title></rect>'
            )
            if count:
                parts.append(
                    f'<text x="{x + _CELL / 2:.1f}" y="{y + _CELL * 0.68:.1f}" text-anchor="middle">{count}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def html_report(report: CertifyReport, title: str = "Voice Shop certification") -> str:
    data = report.to_json()
    ok = report.ok()
    out = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title><style>{_STYLE}</style></head><body>',
        f"<h1>{escape(title)}</h1>",
        f'<p class="{"ok" if ok else "bad"}"><b>{"PASSED" if ok else "FAILED"}</b>: {data["passed"]} passed, '
        f'{data["failed"]} failed; text intent accuracy {_pct(data["intent_accuracy"])}, '
        f'slot accuracy {_pct(data["slot_accuracy"])}; audio WER {_pct(data["audio"]["wer"])}</p>',
    ]
    heard = report.recognizer_line()
    if heard:
        out.append(f"<p>Audio {escape(heard)}.</p>")
    for missed in report.threshold_failures():
        out.append(f'<p class="bad">{escape(missed)}</p>')
    out.append("<h2>Files</h2><table><tr><th>file</th><th>kind</th><th>passed</th><th>failed</th></tr>")
    for f in report.files:
        out.append(f"<tr><td>{escape(f.path)}</td><td>{escape(f.kind)}</td><td>{f.passed}</td><td>{f.failed}</td></tr>")
    out.append("</table>")
    figures = report.intent_figures("nlu")
    if figures:
        out.append("<h2>Intents</h2><table><tr><th>intent</th><th>precision</th><th>recall</th><th>F1</th>"
                   "<th>slot accuracy</th><th>support</th></tr>")
        for name, fig in figures.items():
            out.append(
                f"<tr><td>{escape(name)}</td><td>{_pct(fig.precision)}</td><td>{_pct(fig.recall)}</td>"
                f"<td>{_pct(fig.f1)}</td><td>{_pct(fig.slot_accuracy)}</td><td>{fig.support}</td></tr>"
            )
        out.append("</table><h2>Confusion matrix</h2><p>Rows: expected intent; columns: actual intent.</p>")
        out.append(confusion_svg(report.confusion("nlu")))
    if report.checks:
        out.append("<h2>Checks</h2><table><tr><th>check</th><th>severity</th><th>status</th><th>details</th></tr>")
        for check in report.checks:
            details = "<br>".join(escape(d) for d in check.details)
            out.append(
                f'<tr><td>{escape(check.title)}</td><td>{escape(check.severity)}</td>'
                f'<td class="{escape(check.status)}">{escape(check.status)}</td><td>{details}</td></tr>'
            )
        out.append("</table>")
    failing = [(f, c) for f in report.files for c in f.cases if not c.passed]
    out.append(f"<h2>Failing cases ({len(failing)})</h2>")
    if failing:
        out.append("<table><tr><th>source</th><th>case</th><th>expected</th><th>actual</th><th>why</th></tr>")
        for _, case in failing:
            why = "<br>".join(escape(x) for x in case.failures)
            out.append(
                f"<tr><td>{escape(case.source)}</td><td>{escape(case.name)}</td>"
                f"<td>{escape(case.expected_intent or '')}</td><td>{escape(case.actual_intent or '')}</td><td>{why}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_html(report: CertifyReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_report(report), encoding="utf-8")
