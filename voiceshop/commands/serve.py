"""`voiceshop serve`: the skill as a web service on gunicorn, for a real smart speaker."""

from __future__ import annotations

import errno
import functools
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from voiceshop.errors import UserError
from voiceshop.options import DATABASE


def default_workers() -> int:
    """One worker a core, at least two, so one slow request never stalls the endpoint."""
    return max(2, os.cpu_count() or 2)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: all).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--db", "db", type=DATABASE, help="SQLite database file or postgresql:// URL.")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes [default: cores, at least 2].")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Threads a worker.")
@click.option("--skill-id", help="Refuse requests for any other application id (amzn1.ask.skill...).")
@click.option(
    "--demo-accounts", is_flag=True, help="Give unknown users the demo profile instead of account linking."
)
@click.option(
    "--insecure-dev", is_flag=True, help="Skip signature and timestamp checks (local testing only)."
)
@click.option(
    "--allow-read-only",
    is_flag=True,
    help="Serve even when the database cannot be written (browsing works; nothing can be ordered).",
)
@click.option(
    "--certfile", type=click.Path(exists=True, dir_okay=False), help="TLS certificate (PEM) for HTTPS."
)
@click.option(
    "--keyfile", type=click.Path(exists=True, dir_okay=False), help="TLS private key (PEM) for HTTPS."
)
def serve(
    host: str,
    port: int,
    db: Path | str | None,
    workers: int | None,
    threads: int,
    skill_id: str | None,
    demo_accounts: bool,
    insecure_dev: bool,
    allow_read_only: bool,
    certfile: str | None,
    keyfile: str | None,
) -> None:
    """Serve the skill: POST /alexa (Alexa request JSON) and GET /healthz.

    Requests are checked as Amazon requires (signature, certificate chain, timestamp) unless
    --insecure-dev is given. Put it behind HTTPS on port 443 (a reverse proxy, or --certfile and
    --keyfile) and give its URL as the skill endpoint in the developer console.

    \b
    Examples:
      voiceshop serve --port 8080 --skill-id amzn1.ask.skill.1234
      voiceshop serve --insecure-dev --demo-accounts     # for `voiceshop chat --endpoint`
    """
    from skill.config import SkillConfig
    from skill.store.db import describe

    if bool(certfile) != bool(keyfile):
        raise UserError("--certfile and --keyfile go together")
    config = SkillConfig.from_env(db_path=db, demo_accounts=demo_accounts or None, skill_id=skill_id)
    _check_database(config.database, allow_read_only=allow_read_only)
    _check_port_free(host, port)
    workers = workers or default_workers()
    scheme = "https" if certfile else "http"
    verification = "OFF (--insecure-dev)" if insecure_dev else "on"
    if insecure_dev:
        click.echo(
            "warning: --insecure-dev: request signatures and timestamps are NOT checked; "
            "never expose this endpoint to the internet",
            err=True,
        )
    banner = (
        f"voiceshop: serving the skill at {scheme}://{_display_host(host)}:{{port}}/alexa "
        f"({workers} workers x {threads} threads, request verification {verification}, "
        f"database {describe(config.database)})"
    )
    options = gunicorn_options(
        host, port, workers=workers, threads=threads, certfile=certfile, keyfile=keyfile
    )
    options["when_ready"] = lambda server: _announce(server, banner)
    EmbeddedApplication(options, functools.partial(skill_app, config, not insecure_dev)).run()


def gunicorn_options(
    host: str,
    port: int,
    *,
    workers: int,
    threads: int = 4,
    certfile: str | None = None,
    keyfile: str | None = None,
) -> dict[str, Any]:
    """The gunicorn settings of `voiceshop serve` (the benchmarks serve the hello-world skill with them too)."""
    options: dict[str, Any] = {
        "bind": f"{_bind_host(host)}:{port}",
        "workers": workers,
        # Threaded workers keep connections alive (Alexa reuses them); sync workers close each one.
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": 5,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "voiceshop-serve",
        # Each worker builds its own app after the fork: SQLite connections must not cross a fork.
        "preload_app": False,
    }
    if certfile:
        options.update(certfile=certfile, keyfile=keyfile)
    return options


def _announce(server: Any, banner: str) -> None:
    port = server.LISTENERS[0].sock.getsockname()[1] if server.LISTENERS else "?"
    click.echo(banner.replace("{port}", str(port)))
    sys.stdout.flush()


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _bind_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _check_database(path: Path | str, *, allow_read_only: bool = False) -> None:
    """Open the database once in the master, so a bad path or URL is one line here, not a worker crash loop;
    one that cannot be written is refused unless `allow_read_only`."""
    from skill.errors import StoreError
    from skill.store.db import check_writable, open_database

    if isinstance(path, Path) and path.is_dir():
        raise UserError(f"--db {path} is a directory, not a database file")
    try:
        db = open_database(path)
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    except Exception as exc:  # sqlite3.DatabaseError: not a database, or a schema we cannot migrate
        raise UserError(f"cannot use database {path}: {exc}") from exc
    problem = check_writable(db)
    db.close()  # closed before gunicorn forks; the workers open their own
    if problem is not None:
        if not allow_read_only:
            raise UserError(f"{problem} (give --allow-read-only to serve it anyway)")
        click.echo(f"warning: {problem}; serving read-only: nothing can be ordered", err=True)


def _check_port_free(host: str, port: int) -> None:
    """Gunicorn retries a busy port for seconds and then logs a traceback; say it in one line instead."""
    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        probe.bind((host.strip("[]"), port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} on {host} is already in use") from exc
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    finally:
        probe.close()


class EmbeddedApplication(BaseApplication):
    """Gunicorn embedded: the options come from here, not from a config file or the command line;
    `build` makes the WSGI app in each worker, after the fork (preload_app is off)."""

    def __init__(self, options: dict[str, Any], build: Callable[[], Any]) -> None:
        self.options = options
        self.build = build
        super().__init__()

    def init(self, parser: Any, opts: Any, args: Any) -> None:
        """Unused: BaseApplication requires it, but the options never come from a command line."""

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Any:
        return self.build()


def skill_app(config: Any, verify: bool) -> Any:
    """The skill's Flask app, imported in the worker so that nothing is built before the fork."""
    from skill.webservice import create_app

    return create_app(config, verify=verify)
