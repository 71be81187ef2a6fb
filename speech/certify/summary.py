"""The terminal summary of a certify run: per file, per intent, the checks, the failing cases."""

from __future__ import annotations

from speech.certify.results import CertifyReport

__all__ = ["text_summary"]

MAX_FAILURES_SHOWN = 50


def _pct(value: float | None) -> str:
    return "   –  " if value is None else f"{value:6.1%}"


def text_summary(report: CertifyReport) -> str:
    lines: list[str] = ["Files"]
    for f in report.files:
        numbers = f.figures()
        extra = ""
        if "intent_accuracy" in numbers:
            extra += f"  intent accuracy {numbers['intent_accuracy']:.1%}"
        if numbers.get("wer") is not None:
            extra += f"  WER {numbers['wer']:.1%}"
        lines.append(f"  {f.path}  [{f.kind}]  {f.passed} passed, {f.failed} failed{extra}")
    figures = report.intent_figures("nlu")
    if figures:
        width = max(len(n) for n in figures)
        lines += ["", f"  {'intent':<{width}}  precision  recall      F1   slots  support"]
        for name, fig in figures.items():
            lines.append(
                f"  {name:<{width}}   {_pct(fig.precision)}  {_pct(fig.recall)}  {_pct(fig.f1)}"
                f"  {_pct(fig.slot_accuracy)}  {fig.support:7d}"
            )
    if report.checks:
        lines += ["", "Checks"]
        for check in report.checks:
            lines.append(f"  {check.status:<7} {check.severity:<11} {check.title}")
            if check.status != "PASSED":
                lines += [f"      {d}" for d in check.details[:10]]
                if len(check.details) > 10:
                    lines.append(f"      ... and {len(check.details) - 10} more")
    failing = [c for c in report.cases() if not c.passed]
    if failing:
        lines += ["", f"Failing cases ({len(failing)})"]
        for case in failing[:MAX_FAILURES_SHOWN]:
            lines.append(f"  {case.source}  {case.kind}: {case.name}")
            lines += [f"      {msg}" for msg in case.failures[:8]]
        if len(failing) > MAX_FAILURES_SHOWN:
            lines.append(f"  ... and {len(failing) - MAX_FAILURES_SHOWN} more (see --report or --json)")
    intent_acc, slot_acc = report.accuracy("nlu")
    audio_acc, _ = report.accuracy("audio")
    wer = report.wer()
    verdict = "PASSED" if report.ok() else "FAILED"
    totals = f"{report.passed} passed, {report.failed} failed"
    figures_line = []
    if intent_acc is not None:
        figures_line.append(f"intent accuracy {intent_acc:.1%}")
    if slot_acc is not None:
        figures_line.append(f"slot accuracy {slot_acc:.1%}")
    if audio_acc is not None:
        figures_line.append(f"audio intent accuracy {audio_acc:.1%}")
    if wer is not None:
        figures_line.append(f"WER {wer:.1%}")
    lines += ["", f"{verdict}: {totals}" + (f"; {', '.join(figures_line)}" if figures_line else "")]
    heard = report.recognizer_line()
    if heard:
        lines.append(f"  audio {heard}")
    for missed in report.threshold_failures():
        lines.append(f"  threshold missed: {missed}")
    for check in report.required_check_failures():
        lines.append(f"  REQUIRED check failed: {check.title}")
    return "\n".join(lines)
