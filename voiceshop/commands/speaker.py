"""`voiceshop speaker`: the offline voice loop (audio in, ASR, NLU, skill, TTS out)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from speech.errors import SpeechError
from voiceshop import settings
from voiceshop.errors import UserError
from voiceshop.options import DATABASE

DEMO_USER = "amzn1.ask.account.voiceshop-demo"


@dataclass
class Loop:
    """Everything a voice session needs, built once."""

    speaker: Any
    """speech.speaker.Speaker"""
    recognizer: Any
    grammar: Any
    nlu: Any


MISSING_SHOWN = 12
"""Words the missing-vocabulary warning names before it counts the rest."""


def build_loop(
    *,
    model_path: Path | None,
    locale: str,
    engine: str | None,
    endpoint: str | None,
    db: Path | None,
    user_id: str,
    out_dir: Path,
    voice: str | None = None,
    demo_accounts: bool = True,
    voice_profile: str | None = None,
    adapt: bool | None = False,
    rescore: bool | None = None,
) -> Loop:
    """Wire the engines, the NLU, the cloud and the skill (in process unless `endpoint`). `adapt`: learn
    the voice from the session's turns (None: when the engine and the training tools allow). `rescore`:
    Whisper's second opinion between the sentences heard (None: when it is installed)."""
    from speech.asr import ListensForAnswers, create_recognizer
    from speech.cloud import VoiceCloud
    from speech.grammar import build_grammar
    from speech.interaction_model import load_interaction_model, model_path_for
    from speech.nlu import compile_model
    from speech.speaker import Speaker
    from speech.tts import Synthesizer
    from voiceshop.endpoints import skill_endpoint

    model_file = model_path or model_path_for(locale)
    model = load_interaction_model(model_file)
    from voiceshop.settings import nlu_cache_dir

    nlu = compile_model(model_file, locale=locale, cache_dir=nlu_cache_dir())
    skill, application_id = skill_endpoint(endpoint, db, demo_accounts=demo_accounts)
    cloud = VoiceCloud(nlu, skill, model, user_id=user_id, locale=locale, application_id=application_id)
    grammar = build_grammar(model, locale=locale)
    transform = None
    if voice_profile:
        from speech.asr.adapt import load_profile

        transform = load_profile(voice_profile, settings.voices_dir()).transform
    recognizer = create_recognizer(locale, engine=engine, grammar=grammar, understand=nlu.intent_confidence,
                                   voice_profile=transform, rescore=rescore, models_dir=settings.models_dir(),
                                   rescorer_model=settings.rescorer_model())
    if recognizer.missing:  # Vosk drops them silently: say which sentences cannot be heard
        shown = ", ".join(recognizer.missing[:MISSING_SHOWN])
        more = f" and {len(recognizer.missing) - MISSING_SHOWN} more" if len(recognizer.missing) > MISSING_SHOWN else ""
        click.echo(f"warning: the {recognizer.engine} model lacks {len(recognizer.missing)} word(s) of the interaction "
                   f"model; sentences with them cannot be heard: {shown}{more}", err=True)
    if isinstance(recognizer, ListensForAnswers):  # load the model and build its search now, not in the first turn
        recognizer.listen_for(None)
    out_dir.mkdir(parents=True, exist_ok=True)
    adapter = _session_adapter(recognizer, adapt, voice_profile)
    # the answers are spoken in the locale's language: espeak-ng's Korean voice for ko-KR
    answer_voice = voice or ("ko" if locale.startswith("ko") else None)
    speaker = Speaker(cloud, recognizer, Synthesizer(voice=answer_voice), out_dir, voice=voice, adapter=adapter)
    return Loop(speaker=speaker, recognizer=recognizer, grammar=grammar, nlu=nlu)


def _session_adapter(recognizer: Any, adapt: bool | None, voice_profile: str | None) -> Any:
    """A SessionAdapter when asked for (or, with `adapt` None, when pocketsphinx and the training tools
    are there and no trained voice is given); None otherwise."""
    if adapt is False or voice_profile:
        return None
    from speech.asr import voice_learner
    from speech.asr.adapt import SessionAdapter

    if voice_learner(recognizer) is None or recognizer.engine != "pocketsphinx":
        if adapt:
            raise UserError("--adapt works with the pocketsphinx engine (its grammar bigram) only")
        return None
    try:
        return SessionAdapter(recognizer)
    except SpeechError:
        if adapt:
            raise
        return None


def keep_learnt_voice(adapter: Any, name: str) -> None:
    """Save the session's learnt voice as `name`, saying so on stderr (or why it could not be kept)."""
    if adapter is None:  # adaptation failed during the session; the turn said why
        raise UserError(f"the voice was not kept as {name!r}: learning stopped during the session", exit_code=1)
    try:
        profile = adapter.save_voice(name, settings.voices_dir())
    except SpeechError as exc:
        raise UserError(f"the voice was not kept as {name!r}: {exc}", exit_code=1) from None
    click.echo(f"kept this session's voice as {name!r} ({profile.sentences} turns); next time: "
               f"voiceshop speaker --voice-profile {name}", err=True)


def print_turn(vt: Any, as_json: bool) -> None:
    if vt.error and vt.transcript is None:  # nothing was heard: one line on stderr, no JSON object
        click.echo(f"error: {vt.error}", err=True)
        return
    if as_json:
        click.echo(json.dumps(vt.to_json()))
        if vt.error:
            click.echo(f"warning: {vt.error}", err=True)
        return
    t = vt.transcript
    heard = t.text if t and t.text else f"(not understood: {t.raw!r})" if t else ""
    engine_heard = f"; the engine heard {t.raw!r}" if t and t.rewritten else ""
    click.echo(f"> {heard}   [{t.engine if t else '?'} {vt.timings.get('asr', 0):.2f}s{engine_heard}]")
    click.echo(vt.speech)
    if vt.audio_out:
        click.echo(f"  audio: {vt.audio_out}")
    if "adapt" in vt.timings:
        click.echo(f"  (adapted to this voice in {vt.timings['adapt']:.1f}s)", err=True)
    if vt.error:
        click.echo(f"warning: {vt.error}", err=True)


@click.command()
@click.option("--wav", "wavs", multiple=True, type=click.Path(path_type=Path), help="A WAV file to say (repeatable; one turn each).")
@click.option("--mic", is_flag=True, help="Listen on the microphone (needs the 'mic' extra and PortAudio).")
@click.option("--asr", "engine", type=click.Choice(["vosk", "pocketsphinx", "pocketsphinx-jsgf", "pocketsphinx-open"]),
              help="ASR engine (default: Vosk when a model for the locale is installed, else pocketsphinx).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True,
              help="Where the response WAVs are written.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a turn: chat's fields plus 'asr'.")
@click.option("--user", "user_id", default=DEMO_USER, show_default=True, help="The Alexa user id to speak as.")
@click.option("--endpoint", help="A skill's HTTP(S) endpoint; without it the Voice Shop skill runs in process.")
@click.option("--db", type=DATABASE, help="Database of the in-process skill.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), help="Interaction model JSON.")
@click.option("--locale", default="en-US", show_default=True)
@click.option("--voice", help="espeak-ng voice for the answers, e.g. en-us+f3.")
@click.option("--play", is_flag=True, help="Also play each answer (aplay or sounddevice), when a device exists.")
@click.option("--voice-profile", metavar="NAME", help="Decode with a trained voice (`voiceshop voice train NAME`).")
@click.option("--adapt/--no-adapt", default=None,
              help="Learn the voice from the session's turns (default: on with pocketsphinx when Debian's "
                   "sphinxtrain is installed and no --voice-profile is given).")
@click.option("--keep-voice", metavar="NAME",
              help="At the end, keep what the session learnt of your voice as trained voice NAME, for "
                   "--voice-profile NAME next time (off by default: nothing of your voice is stored).")
@click.option("--rescore/--no-rescore", default=None,
              help="Let Whisper tiny.en choose between the sentences the recogniser heard, and what it hears itself "
                   "(default: on when "
                   "the 'rescore' extra is installed; English only).")
def speaker(
    wavs: tuple[Path, ...], mic: bool, engine: str | None, out_dir: Path, as_json: bool, user_id: str,
    endpoint: str | None, db: Path | None, model_path: Path | None, locale: str, voice: str | None, play: bool,
    voice_profile: str | None, adapt: bool | None, keep_voice: str | None, rescore: bool | None,
) -> None:
    """The offline voice loop: audio in, ASR, NLU, skill, TTS out.

    Each --wav file is one spoken turn (any rate or channel count; 16 kHz mono is used inside). The
    answers are written as WAV files to --out-dir. With --mic, press Enter, speak, and the turn ends
    after ~0.8 s of silence; an empty line at the prompt ends the session.

    \b
    Examples:
      voiceshop speaker --wav open.wav --wav search-coffee.wav --out-dir out/
      voiceshop speaker --mic --asr pocketsphinx
      voiceshop speaker --json --wav turn.wav
      voiceshop speaker --mic --voice-profile alex     # decoded with a trained voice
      voiceshop speaker --mic --keep-voice alex        # learnt in this session, kept for next time
    """
    if not wavs and not mic:
        raise UserError("give one or more --wav FILE, or --mic")
    if wavs and mic:
        raise UserError("use either --wav or --mic, not both")
    if adapt and voice_profile:
        raise UserError("use either --voice-profile (a trained voice) or --adapt (learn it in this session)")
    if keep_voice is not None:
        if voice_profile:
            raise UserError("use either --voice-profile (a trained voice) or --keep-voice (learn one in this session)")
        if adapt is False:
            raise UserError("--keep-voice keeps what the session learns: it cannot go with --no-adapt")
        from speech.asr.adapt import valid_name

        valid_name(keep_voice)  # a bad name is an EngineError: one line and status 2, before the session
        adapt = True
    loop = build_loop(model_path=model_path, locale=locale, engine=engine, endpoint=endpoint, db=db,
                      user_id=user_id, out_dir=out_dir, voice=voice, voice_profile=voice_profile, adapt=adapt,
                      rescore=rescore)
    failed = 0
    sp = loop.speaker
    try:
        if wavs:
            for path in wavs:
                vt = sp.hear_wav(path)
                print_turn(vt, as_json)
                failed += vt.error is not None and vt.transcript is None
                if play and vt.audio_out:
                    from speech.tts import play as play_wav

                    play_wav(vt.audio_out)
        else:
            from speech.audio import record_utterance
            from speech.tts import play as play_wav

            while True:
                try:
                    line = input("press Enter and speak (q to quit)> ")
                except EOFError:
                    break
                if line.strip().lower() in ("q", "quit", "exit"):
                    break
                vt = sp.hear(record_utterance(), source="mic")
                print_turn(vt, as_json)
                if vt.audio_out:
                    play_wav(vt.audio_out)
                if vt.turn is not None and not vt.session_open:
                    break
        if keep_voice is not None:
            keep_learnt_voice(sp.adapter, keep_voice)
    finally:
        sp.close()
        if sp.synthesizer is not None:
            sp.synthesizer.close()
        if sp.adapter is not None:
            sp.adapter.close()
    if failed:
        raise UserError(f"{failed} of {len(wavs)} audio files could not be used", exit_code=1)
