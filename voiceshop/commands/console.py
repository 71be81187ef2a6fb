"""`voiceshop console`: the browser console (simulator, certification, NLU) on gunicorn, local by default."""

from __future__ import annotations

import functools
import ipaddress
from pathlib import Path
from typing import Any

import click
from platformdirs import user_data_path

from speech.cloud import DEMO_USER_ID
from voiceshop.errors import UserError
from voiceshop.options import DATABASE


def default_directory() -> Path:
    return user_data_path("voiceshop") / "console"


@click.command()
@click.option("--host", default=None, help="Address to listen on [default: 127.0.0.1]; any other is reachable "
              "from other machines, and the console has no login.")
@click.option("--port", default=8090, show_default=True, type=click.IntRange(0, 65535), help="TCP port (0: any free).")
@click.option("--db", type=DATABASE, help="Database of the in-process skill (a file or a postgresql:// URL).")
@click.option("--endpoint", help="A skill's HTTP(S) endpoint; without it the Voice Shop skill runs in process.")
@click.option("--locale", default="en-US", show_default=True, help="Locale of the requests, the NLU and speech.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="The one folder the console reads test files from and writes uploads, test cases, reports "
                   "and audio to [default: ~/.local/share/voiceshop/console].")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Interaction model JSON (default: the repository's).")
@click.option("--asr", "engine", type=click.Choice(["vosk", "pocketsphinx", "pocketsphinx-jsgf", "pocketsphinx-open"]),
              help="ASR engine, as for `voiceshop speaker`.")
@click.option("--rescore/--no-rescore", default=None,
              help="Whisper's second opinion, as for `voiceshop speaker` (default: on when installed).")
@click.option("--voice", help="espeak-ng voice of the answers, e.g. en-us+f3.")
@click.option("--user", "user_id", default=DEMO_USER_ID, show_default=True, help="The user a new tab speaks as.")
@click.option("--max-upload", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Largest upload accepted, MiB (a recording, a test file).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 32), help="Requests served at once.")
def console(
    host: str | None, port: int, db: Path | str | None, endpoint: str | None, locale: str, directory: Path | None,
    model_path: Path | None, engine: str | None, rescore: bool | None, voice: str | None, user_id: str,
    max_upload: int, threads: int,
) -> None:
    """The browser console: talk or type to a skill, certify it, and see how the NLU reads a sentence.

    It runs on this machine only (127.0.0.1) unless --host is given. Uploads, test cases made on the NLU
    page, reports and recordings stay in --dir, and the pages can name no file outside it.

    \b
    Examples:
      voiceshop console                                   # then open http://127.0.0.1:8090/
      voiceshop console --dir ./console --db shop.db --no-rescore
      voiceshop console --endpoint http://localhost:8080/alexa
    """
    from speech.nlu.compiler import SUPPORTED_LOCALES
    from voiceshop.commands.serve import (
        EmbeddedApplication,
        _announce,
        _check_database,
        _check_port_free,
        _display_host,
        gunicorn_options,
    )
    from voiceshop.console.settings import LOOPBACK_HOSTS, MIB, ConsoleSettings

    if locale not in SUPPORTED_LOCALES:
        raise UserError(f"unsupported locale '{locale}' (supported: {', '.join(sorted(SUPPORTED_LOCALES))})")
    if endpoint and db is not None:
        raise UserError("--db applies only to the in-process skill, not to --endpoint")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise UserError(f"--endpoint must be an http:// or https:// URL, got {endpoint!r}")
    if voice:
        from speech.errors import EngineError
        from speech.tts import check_voice

        try:
            check_voice(voice)
        except EngineError as exc:
            raise UserError(str(exc)) from None
    folder = directory or default_directory()
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--dir {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot use --dir {folder}: {exc.strerror or exc}") from None
    if not endpoint:
        from skill.config import SkillConfig

        config = SkillConfig.from_env(db_path=db, demo_accounts=True)
        if config.db_url is None:
            config.db_path.parent.mkdir(parents=True, exist_ok=True)
        _check_database(config.database)
        db = config.database
    bind = host or "127.0.0.1"
    loopback = _is_loopback(bind)
    _check_port_free(bind, port)
    if host is not None and not loopback:
        click.echo(f"warning: --host {host}: the console is reachable from other machines on the network; it has no "
                   "login, and anyone who reaches it can talk to the skill and run certification", err=True)
    settings = ConsoleSettings(
        directory=folder.resolve(), locale=locale, endpoint=endpoint, db_path=db, model_path=model_path,
        asr_engine=engine, rescore=rescore, voice=voice, user_id=user_id, max_upload=max_upload * MIB,
        allowed_hosts=LOOPBACK_HOSTS if loopback else None,
    )
    skill = endpoint or f"Voice Shop in process (database {db})"
    banner = (f"voiceshop console: open http://{_display_host(bind)}:{{port}}/ in a browser "
              f"(skill: {skill}; directory: {settings.directory}); Ctrl-C stops it")
    options = gunicorn_options(bind, port, workers=1, threads=threads)
    # One worker: the tabs' sessions and the certification runs live in its memory. Threads serve the
    # page while a spoken turn or a run is busy; a run goes on in the background, so requests are short.
    options.update(proc_name="voiceshop-console", timeout=120, keepalive=2)
    options["when_ready"] = lambda server: _announce(server, banner)
    EmbeddedApplication(options, functools.partial(_console_app, settings)).run()


def _is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _console_app(settings: Any) -> Any:
    """The console's Flask app, imported in the worker so that nothing is built before the fork."""
    from voiceshop.console.app import create_app

    return create_app(settings)
