"""`voiceshop certify`: run test utterance files offline with a pass/fail report, plus the model checks."""

from __future__ import annotations

import contextlib
import json
import random
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import yaml

from speech.certify.cases import AudioSet, DialogScript, NluSet, TestFile
from speech.certify.checks import DEFAULT_ERROR_PHRASES, certification_checks
from speech.certify.files import read_test_files
from speech.certify.results import CertifyReport, Thresholds
from speech.certify.runner import Certifier, count_cases, parse_reference_time
from speech.interaction_model import model_path_for, parse_interaction_model
from speech.transport import Endpoint, HttpEndpoint
from speech.validate import load_model_json
from voiceshop import settings
from voiceshop.errors import UserError

DEFAULT_REFERENCE_TIME = "2026-11-27T15:00:00Z"
"""The in-process skill's clock and the NLU's 'today' unless a file or --reference-time says otherwise:
fixed, so dates such as 'tomorrow' and delivery slots come out the same on every run."""


def _tested_intents(files: list[TestFile]) -> set[str]:
    """Intents the files test: expected intents of text and audio cases, intents dialog steps assert or send."""
    found: set[str] = set()
    for f in files:
        if isinstance(f, NluSet):
            found |= {c.intent for c in f.cases}
        elif isinstance(f, AudioSet):
            found |= {c.intent for c in f.cases if c.intent}
        elif isinstance(f, DialogScript):
            for test in f.tests:
                for step in test.steps:
                    if step.intent:
                        found.add(step.intent)
                    for a in step.assertions:
                        if a.path == "intent" and a.operator in (":", "=="):
                            found |= set(a.expected) if isinstance(a.expected, list) else {str(a.expected)}
    return found


def _skill_error_phrases(locale: str) -> list[str]:
    """The in-process skill's own 'something went wrong' prompts, as plain text."""
    import skill.prompts
    from speech.session import ssml_to_text

    phrases = list(DEFAULT_ERROR_PHRASES)
    folder = Path(skill.prompts.__file__).parent / locale
    for path in sorted(folder.glob("*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in table.items() if isinstance(table, dict) else ():
            if key == "error_generic":
                for variant in value if isinstance(value, list) else [value]:
                    phrases.append(ssml_to_text(str(variant)))
    return phrases


class _Skills:
    """Endpoints for the run: a fresh in-process skill (own temporary database) each time, or a URL."""

    def __init__(self, stack: contextlib.ExitStack, url: str | None, now: datetime) -> None:
        self.stack = stack
        self.url = url
        self.now = now
        self._tmp: Path | None = None
        self._count = 0

    def new(self, now: datetime | None = None) -> Endpoint:
        if self.url:
            return HttpEndpoint(self.url)
        from skill.app import create_invoker
        from skill.clock import FixedClock
        from skill.config import SkillConfig

        if self._tmp is None:
            self._tmp = Path(self.stack.enter_context(tempfile.TemporaryDirectory(prefix="voiceshop-certify-")))
        self._count += 1
        config = SkillConfig(db_path=self._tmp / f"skill-{self._count}.db", demo_accounts=True)
        return create_invoker(config, clock=FixedClock(now or self.now))


def _compiler() -> Callable[..., Any]:
    """`speech.nlu.compile_model`, imported when a run needs it (the NLU is slow to import)."""
    from speech.nlu import compile_model

    return compile_model


def _recognizer_factory(engine: str | None, model: Any, locale: str, nlu: Any,
                        rescore: bool | None = None) -> Callable[[], Any]:
    """The recogniser `voiceshop speaker` uses (same engine choice, grammar, snapping and NLU check), so
    that an audio set certifies what a user of the speaker would get."""

    def make() -> Any:
        from speech.asr import create_recognizer
        from speech.grammar import build_grammar

        understand = getattr(nlu, "intent_confidence", None)
        return create_recognizer(locale, engine=engine, grammar=build_grammar(model, locale=locale), understand=understand,
                                 rescore=rescore, models_dir=settings.models_dir(),
                                 rescorer_model=settings.rescorer_model())

    return make


def run_certification(
    test_files: list[TestFile],
    thresholds: Thresholds,
    *,
    endpoint: str | None = None,
    model_path: Path | None = None,
    locale: str = "en-US",
    asr_engine: str | None = None,
    rescore: bool | None = None,
    reference_time: str | None = None,
    checks: bool = True,
    progress: Callable[[int], None] | None = None,
) -> CertifyReport:
    """Run read test files and (with `checks`) the model and skill checks against a fresh in-process
    skill or `endpoint`: what `voiceshop certify` and the console's certification page both do.
    `progress` is called with the number of cases (text cases, dialog steps, recordings) just done."""
    compile_model = _compiler()
    model_file = model_path or model_path_for(locale)
    model_json = load_model_json(model_file)
    model = parse_interaction_model(model_json)
    default_now = parse_reference_time(reference_time, "--reference-time") if reference_time else None
    now = default_now or (datetime.now(UTC) if endpoint else parse_reference_time(DEFAULT_REFERENCE_TIME))
    assert now is not None
    nlu = compile_model(model_file, locale=locale)

    with contextlib.ExitStack() as stack:
        skills = _Skills(stack, endpoint, now)

        def conversation(script: DialogScript) -> Any:
            from skill.clock import FixedClock
            from speech.certify.conversation import ScriptedConversation
            from speech.cloud import DEMO_USER_ID, VoiceCloud

            conf = script.configuration
            script_now = parse_reference_time(
                str(conf["referenceTimestamp"]) if conf.get("referenceTimestamp") else None, str(script.path)
            ) or now
            cloud = VoiceCloud(
                nlu, skills.new(script_now), model,
                user_id=str(conf.get("userId") or DEMO_USER_ID),
                locale=str(conf.get("locale") or locale),
                clock=None if endpoint and not conf.get("referenceTimestamp") else FixedClock(script_now),
                rng=random.Random(7),
            )
            return ScriptedConversation(cloud)

        certifier = Certifier(
            nlu,
            conversations=conversation,
            recognizer=_recognizer_factory(asr_engine, model, locale, nlu, rescore),
            reference_time=now,
        )
        file_results = certifier.run(test_files, progress=progress)
        check_results = []
        if checks:
            phrases = DEFAULT_ERROR_PHRASES if endpoint else tuple(_skill_error_phrases(locale))
            check_results = certification_checks(
                model_json, lambda: skills.new(), tested_intents=_tested_intents(test_files), now=now,
                locale=locale, error_phrases=phrases,
            )
    return CertifyReport(file_results, check_results, thresholds, recognizer=certifier.recognizer)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--endpoint", help="A skill's HTTP(S) endpoint; without it the Voice Shop skill runs in process.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Interaction model JSON (default: ./interaction_model.json).")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit XML here.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a self-contained HTML report here.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary object instead of the text summary.")
@click.option("--min-intent-accuracy", type=click.FloatRange(0, 1), default=1.0, show_default=True,
              help="Intent accuracy the text (and the audio) cases must reach.")
@click.option("--min-slot-accuracy", type=click.FloatRange(0, 1), default=1.0, show_default=True,
              help="Slot accuracy (of cases with the right intent) they must reach.")
@click.option("--max-wer", type=click.FloatRange(0), help="Highest word error rate allowed for audio sets.")
@click.option("--min-audio-intent-accuracy", type=click.FloatRange(0, 1),
              help="Intent accuracy the audio cases must reach [default: --min-intent-accuracy].")
@click.option("--asr", "asr_engine", help="Speech recognizer for audio sets: vosk, pocketsphinx, pocketsphinx-open.")
@click.option("--rescore/--no-rescore", default=None,
              help="Let Whisper tiny.en choose between the sentences the recognizer heard, and what it hears itself, "
                   "as `voiceshop speaker` "
                   "does (default: on when the 'rescore' extra is installed; English only). The report says which.")
@click.option("--locale", default="en-US", show_default=True, help="Locale of the NLU and of the requests.")
@click.option("--reference-time", help=f"ISO time the skill and the NLU take as now [default: {DEFAULT_REFERENCE_TIME}"
              " in process, the clock with --endpoint].")
@click.option("--no-checks", is_flag=True, help="Run the test files only, not the model and skill checks.")
def certify(
    files: tuple[Path, ...],
    endpoint: str | None,
    model_path: Path | None,
    junit_path: Path | None,
    report_path: Path | None,
    as_json: bool,
    min_intent_accuracy: float,
    min_slot_accuracy: float,
    max_wer: float | None,
    min_audio_intent_accuracy: float | None,
    asr_engine: str | None,
    rescore: bool | None,
    locale: str,
    reference_time: str | None,
    no_checks: bool,
) -> None:
    """Run test files offline and report pass/fail, with the certification checks.

    FILE may be an NLU annotation set (Amazon's JSON, or the console's CSV), a sentence file
    (intent + sentences YAML), a Bespoken dialog script (YAML), an audio-set manifest (CSV, JSON or
    YAML listing WAVs with audioAsset / expectedTranscription / intent), or a folder of them. Every run
    also checks the interaction model (build rules, utterance conflicts, test coverage) and the skill
    (launch, one-shot, help, stop, cancel, fallback, every sample utterance, questions keep the session
    open) unless --no-checks is given.

    Exit status: 0 when everything passes, 1 when a test or a REQUIRED check fails or a threshold is
    missed, 2 when a file cannot be read.

    \b
    Examples:
      voiceshop certify tests/certify/ --min-intent-accuracy 0.95
      voiceshop certify annotations.json --json
      voiceshop certify dialogs/ --endpoint http://localhost:8080/alexa --junit out/junit.xml
      voiceshop certify tests/certify/audio/manifest.csv --asr pocketsphinx --max-wer 0.2
      voiceshop certify tests/certify/audio/ --no-rescore   # what pocketsphinx alone hears
    """
    if model_path is None:
        model_path_for(locale)  # an unknown locale is one line, before any progress is shown
    thresholds = Thresholds(min_intent_accuracy, min_slot_accuracy, max_wer, min_audio_intent_accuracy)
    test_files = read_test_files(list(files))
    with click.progressbar(length=count_cases(test_files), label="certifying", file=sys.stderr,
                           show_pos=True) as bar:
        report = run_certification(
            test_files, thresholds, endpoint=endpoint, model_path=model_path, locale=locale,
            asr_engine=asr_engine, rescore=rescore, reference_time=reference_time, checks=not no_checks,
            progress=bar.update,
        )
    if junit_path:
        from speech.certify.junit import write_junit

        _write(lambda: write_junit(report, junit_path), junit_path)
    if report_path:
        from speech.certify.html import write_html

        _write(lambda: write_html(report, report_path), report_path)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        from speech.certify.summary import text_summary

        click.echo(text_summary(report))
    click.get_current_context().exit(report.exit_status())


def _write(action: Callable[[], None], path: Path) -> None:
    try:
        action()
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc

