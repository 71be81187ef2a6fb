"""`voiceshop chat`: talk to a skill by typing what you would say to a smart speaker."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click
from platformdirs import user_data_path

from speech.cloud import DEMO_USER_ID, Turn, VoiceCloud
from speech.interaction_model import load_interaction_model, model_path_for
from voiceshop.endpoints import skill_endpoint
from voiceshop.errors import UserError
from voiceshop.options import DATABASE

BANNER = "Voice Shop chat: say 'open voice shop' to start; an empty line is silence; Ctrl-D to quit."


def _history_path() -> Path:
    return user_data_path("voiceshop") / "chat_history"


def _understander(model_path: Path, locale: str) -> Any:
    from speech.nlu.compiler import compile_model
    from voiceshop.settings import nlu_cache_dir

    return compile_model(model_path, locale=locale, cache_dir=nlu_cache_dir())


def _interactive_lines() -> Iterator[str]:
    """Lines typed at a prompt, with history kept between runs."""
    try:
        import readline
    except ImportError:  # no readline on this platform: plain input() still works
        readline = None  # type: ignore[assignment]
    history = _history_path()
    if readline is not None:
        try:
            history.parent.mkdir(parents=True, exist_ok=True)
            if history.exists():
                readline.read_history_file(str(history))
        except OSError:
            pass
    click.echo(BANNER)
    try:
        while True:
            try:
                yield input("you> ")
            except (EOFError, KeyboardInterrupt):
                click.echo()
                return
    finally:
        if readline is not None:
            try:
                readline.set_history_length(1000)
                readline.write_history_file(str(history))
            except OSError:
                pass


def _print_turn(turn: Turn, as_json: bool, echo_heard: bool) -> None:
    if as_json:
        click.echo(json.dumps(turn.to_json()))
        return
    if echo_heard and turn.heard.strip():
        click.echo(f"> {turn.heard}")
    if turn.speech:
        click.echo(turn.speech)
    if turn.session_open and turn.reprompt and turn.reprompt != turn.speech:
        click.echo(f"  (if you say nothing: {turn.reprompt})")


def _talk(cloud: VoiceCloud, lines: Iterable[str], as_json: bool, echo_heard: bool) -> None:
    from voiceshop.textio import readable

    for line in lines:
        line = readable(line.rstrip("\r\n"))
        turn = cloud.hear(line) if line.strip() else cloud.timeout()
        turn.heard = line
        if turn.error and cloud.answered == 0:
            raise UserError(turn.error)
        _print_turn(turn, as_json, echo_heard)
        if turn.error:
            click.echo(f"warning: {turn.error}", err=True)
    # The user is gone: an open session ends as when they say "exit".
    if cloud.session_open:
        cloud.end_session("USER_INITIATED")


@click.command()
@click.option(
    "--user", "user_id", default=DEMO_USER_ID, show_default=True, help="The Alexa user id to speak as."
)
@click.option(
    "--endpoint", help="A skill's HTTP(S) endpoint; without it the Voice Shop skill runs in process."
)
@click.option(
    "--db",
    type=DATABASE,
    help="Database of the in-process skill (default: VOICESHOP_DB_PATH or ~/.local/share/voiceshop).",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Interaction model JSON (default: ./interaction_model.json).",
)
@click.option("--locale", default="en-US", show_default=True, help="Locale of the requests and the NLU.")
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object a turn: heard, request, response, speech."
)
@click.argument("lines", nargs=-1)
def chat(
    user_id: str,
    endpoint: str | None,
    db: Path | None,
    model_path: Path | None,
    locale: str,
    as_json: bool,
    lines: tuple[str, ...],
) -> None:
    """Talk to a skill by typing what you would say to a smart speaker.

    Each LINE is one spoken turn; without LINEs, lines are read from stdin (one a turn), or typed at a
    prompt when stdin is a terminal. An empty line is silence: the speaker repeats its question once,
    then ends the session. Without --endpoint the Voice Shop skill runs in process and a new user gets
    the demo profile (addresses, cards, voice code 1234).

    \b
    Examples:
      voiceshop chat "open voice shop" "search for coffee" "the second one" "add it" "stop"
      voiceshop chat "ask voice shop to add two bottles of milk"
      echo "ask voice shop what's in my cart" | voiceshop chat --json
      voiceshop chat --endpoint http://localhost:8080/alexa
      voiceshop chat --locale ko-KR "보이스 샵 열어 줘" "라면 찾아 줘" "첫 번째 거 담아 줘"
    """
    if not user_id.strip():
        raise UserError("--user must not be empty")
    model_file = model_path or model_path_for(locale)
    model = load_interaction_model(model_file)
    skill, application_id = skill_endpoint(endpoint, db)
    cloud = VoiceCloud(
        _understander(model_file, locale),
        skill,
        model,
        user_id=user_id,
        locale=locale,
        application_id=application_id,
    )
    from voiceshop.textio import stdin_lines

    if lines:
        _talk(cloud, lines, as_json, echo_heard=not as_json)
    elif not sys.stdin.isatty():
        _talk(cloud, stdin_lines(), as_json, echo_heard=not as_json)
    else:
        _talk(cloud, _interactive_lines(), as_json, echo_heard=False)
