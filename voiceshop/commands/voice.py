"""`voiceshop voice`: train the recogniser on one speaker's voice, list and remove trained voices."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import click

from speech.errors import SpeechError
from voiceshop.errors import UserError

_VOICES_HELP = "Where trained voices live (default: $VOICESHOP_VOICES or ~/.local/share/voiceshop/voices)."


@click.group()
def voice() -> None:
    """Train the recogniser on your voice (speaker adaptation), as Alexa's voice training did.

    You read sentences from the shop's own language; a transform of the acoustic model is estimated
    from them (MLLR, with Debian's sphinxtrain) and `voiceshop speaker --voice-profile NAME` decodes
    with it. 25 sentences take under a minute to read.

    \b
    Examples:
      voiceshop voice train alex --mic                  # read the sentences shown, one at a time
      voiceshop voice sentences --count 25 > read.txt   # the sentences, to record elsewhere
      voiceshop voice train alex --recordings rec.tsv   # lines: file.wav<TAB>what was read
      voiceshop voice list
      voiceshop speaker --mic --voice-profile alex
    """


def _grammar(model_path: Path | None) -> Any:
    from speech.grammar import build_grammar
    from speech.interaction_model import default_model_path, load_interaction_model

    return build_grammar(load_interaction_model(model_path or default_model_path()))


@voice.command("sentences")
@click.option("--count", type=click.IntRange(1, 200), default=25, show_default=True)
@click.option("--seed", type=int, default=3, show_default=True, help="Another seed draws other sentences.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), help="Interaction model JSON.")
def sentences(count: int, seed: int, model_path: Path | None) -> None:
    """Print the sentences to read, one a line.

    \b
    Example:
      voiceshop voice sentences --count 10
    """
    from speech.asr.adapt import training_sentences

    for s in training_sentences(_grammar(model_path), count, seed=seed):
        click.echo(s)


def _read_recordings(tsv: Path) -> list[tuple[Any, str]]:
    from speech.audio import load_wav

    if not tsv.is_file():
        raise UserError(f"{tsv}: no such file")
    out = []
    with tsv.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.reader(f, delimiter="\t"), start=1):
            if not row or not "".join(row).strip() or row[0].startswith("#"):
                continue
            if len(row) != 2 or not row[1].strip():
                raise UserError(f"{tsv}:{n}: expected 'file.wav<TAB>sentence read'")
            path = Path(row[0])
            if not path.is_absolute():
                path = tsv.parent / path
            out.append((load_wav(path), row[1]))
    return out


def _synthesised(texts: list[str], espeak_voice: str, work: Path) -> list[tuple[Any, str]]:
    from speech.audio import load_wav
    from speech.tts import Synthesizer

    with Synthesizer() as tts:
        return [(load_wav(tts.synthesize(t, work / f"{i:03d}.wav", voice=espeak_voice)), t) for i, t in enumerate(texts)]


def _recorded(texts: list[str]) -> list[tuple[Any, str]]:
    from speech.audio import check_microphone, record_utterance

    check_microphone()  # before the first sentence is shown
    out = []
    for i, text in enumerate(texts, start=1):
        click.echo(f"\n[{i}/{len(texts)}] read this, then stop: {text}", err=True)
        try:
            input("press Enter and read the sentence> ")
        except EOFError:
            raise UserError(f"stopped after {i - 1} of {len(texts)} sentences; nothing was trained") from None
        out.append((record_utterance(), text))
    return out


@voice.command("train")
@click.argument("name")
@click.option("--mic", is_flag=True, help="Read the sentences into the microphone, one at a time.")
@click.option("--recordings", type=click.Path(dir_okay=False, path_type=Path),
              help="A TSV of recordings: file.wav<TAB>the sentence read (paths relative to the TSV).")
@click.option("--synth", "espeak_voice", metavar="ESPEAK_VOICE",
              help="Let espeak-ng read the sentences in this voice (to try the feature, or for tests).")
@click.option("--count", type=click.IntRange(3, 200), default=25, show_default=True, help="Sentences to read (--mic, --synth).")
@click.option("--seed", type=int, default=3, show_default=True, help="Which sentences are drawn.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), help="Interaction model JSON.")
@click.option("--voices-dir", type=click.Path(file_okay=False, path_type=Path), envvar="VOICESHOP_VOICES",
              help=_VOICES_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the trained profile as JSON.")
def train(name: str, mic: bool, recordings: Path | None, espeak_voice: str | None, count: int, seed: int,
          model_path: Path | None, voices_dir: Path | None, as_json: bool) -> None:
    """Train voice NAME from sentences read aloud (--mic, --recordings or --synth).

    \b
    Examples:
      voiceshop voice train alex --mic
      voiceshop voice train alex --recordings alex/recordings.tsv
      voiceshop voice train robot --synth en-us --count 10
    """
    from speech.asr.adapt import check_tools, train_voice, training_sentences
    from speech.asr.sphinx_engine import PocketSphinxRecognizer

    if sum(bool(x) for x in (mic, recordings, espeak_voice)) != 1:
        raise UserError("give exactly one of --mic, --recordings FILE or --synth VOICE")
    check_tools()  # before anyone reads 25 sentences
    with tempfile.TemporaryDirectory() as work_name:
        if recordings is not None:
            said = _read_recordings(recordings)
        else:
            texts = training_sentences(_grammar(model_path), count, seed=seed)
            said = _synthesised(texts, espeak_voice, Path(work_name)) if espeak_voice else _recorded(texts)
        profile = train_voice(name, said, clean=PocketSphinxRecognizer(None).clean, base=voices_dir,
                              progress=lambda m: click.echo(f"  {m}", err=True))
    if as_json:
        click.echo(json.dumps({"name": profile.name, "path": str(profile.path), "sentences": profile.sentences,
                               "speech_seconds": profile.speech_seconds, "created": profile.created}))
        return
    click.echo(f"trained voice {profile.name!r} from {profile.sentences} sentences "
               f"({profile.speech_seconds:.0f} s of speech): {profile.path}")
    click.echo(f"use it with: voiceshop speaker --voice-profile {profile.name} ...")


@voice.command("list")
@click.option("--voices-dir", type=click.Path(file_okay=False, path_type=Path), envvar="VOICESHOP_VOICES",
              help=_VOICES_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a voice.")
def list_voices(voices_dir: Path | None, as_json: bool) -> None:
    """The trained voices.

    \b
    Example:
      voiceshop voice list
    """
    from speech.asr.adapt import list_profiles, profiles_dir

    found = list_profiles(voices_dir)
    for p in found:
        if as_json:
            click.echo(json.dumps({"name": p.name, "path": str(p.path), "sentences": p.sentences,
                                   "speech_seconds": p.speech_seconds, "created": p.created}))
        else:
            click.echo(f"{p.name:20} {p.sentences:3} sentences, {p.speech_seconds:4.0f} s, trained {p.created}")
    if not found and not as_json:
        click.echo(f"no trained voices in {profiles_dir(voices_dir)}", err=True)


@voice.command("remove")
@click.argument("name")
@click.option("--voices-dir", type=click.Path(file_okay=False, path_type=Path), envvar="VOICESHOP_VOICES",
              help=_VOICES_HELP)
def remove(name: str, voices_dir: Path | None) -> None:
    """Delete trained voice NAME.

    \b
    Example:
      voiceshop voice remove alex
    """
    from speech.asr.adapt import load_profile

    try:
        profile = load_profile(name, voices_dir)
    except SpeechError as exc:
        raise UserError(str(exc)) from exc
    shutil.rmtree(profile.path)
    click.echo(f"removed voice {name!r}", err=True)
