"""Fixtures for the console: its Flask app with a test client, and the real `voiceshop console` (gunicorn)
for the browser tests, which drive Debian's chromium through Playwright (`./dev` installs it)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from voiceshop.console import ConsoleSettings, create_app
from voiceshop.console.app import CSRF_HEADER

VOICESHOP = Path(sys.executable).parent / "voiceshop"
expect.set_options(timeout=15_000)  # the shared machine can be slow: a page's answer may take seconds
CHROMIUM = Path(os.environ.get("VOICESHOP_CHROMIUM", "/usr/lib/chromium/chromium"))
"""Debian's chromium (`playwright install` cannot download browsers here, and CI must not)."""


def espeak(text: str, path: Path, voice: str = "en-us+m3", rate: int = 165, pad_seconds: float = 0.0) -> Path:
    """The espeak-ng program's clip of `text` (the same audio every run), with silence after it if asked."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True, capture_output=True)
    if pad_seconds:
        import wave

        with wave.open(str(path), "rb") as w:
            params, frames = w.getparams(), w.readframes(w.getnframes())
        silence = b"\x00" * int(params.framerate * pad_seconds) * params.sampwidth * params.nchannels
        with wave.open(str(path), "wb") as w:
            w.setparams(params)
            w.writeframes(silence + frames + silence)
    return path


class Client:
    """The Flask test client with the console's header on every POST, as its pages send it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.raw = app.test_client()

    def get(self, url: str, **kw: Any) -> Any:
        return self.raw.get(url, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        headers = {CSRF_HEADER: "1", **kw.pop("headers", {})}
        return self.raw.post(url, headers=headers, **kw)

    def sim(self, user: str | None = None) -> str:
        reply = self.post("/api/sim", json={"user": user} if user else {})
        assert reply.status_code == 201, reply.get_json()
        return str(reply.get_json()["state"]["id"])

    def say(self, sim: str, text: str) -> dict[str, Any]:
        reply = self.post(f"/api/sim/{sim}/say", json={"text": text})
        assert reply.status_code == 200, reply.get_json()
        data: dict[str, Any] = reply.get_json()
        return data


@pytest.fixture
def console_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "console"
    folder.mkdir()
    return folder


@pytest.fixture
def console_settings(console_dir: Path, tmp_path: Path) -> ConsoleSettings:
    return ConsoleSettings(directory=console_dir, db_path=tmp_path / "shop.db", asr_engine="pocketsphinx",
                           rescore=False, warm_up=False, max_upload=512 * 1024)


@pytest.fixture
def client(console_settings: ConsoleSettings) -> Iterator[Client]:
    app = create_app(console_settings)
    yield Client(app)
    app.extensions["voiceshop_console"]["engines"].close()


# -- the real console, for the browser --------------------------------------------------------------


@dataclass
class RunningConsole:
    url: str
    directory: Path
    db: Path
    process: subprocess.Popen[str]


def start_console(folder: Path, *extra: str) -> RunningConsole:
    """`voiceshop console` on a free loopback port; the URL is read from the line it prints."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder.parent / "console-shop.db"
    log = open(folder.parent / "console.log", "w+")  # noqa: SIM115  (closed with the process)
    proc = subprocess.Popen(
        [str(VOICESHOP), "console", "--port", "0", "--dir", str(folder), "--db", str(db),
         "--asr", "pocketsphinx", "--no-rescore", *extra],
        stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not match:
        proc.kill()
        log.seek(0)
        raise AssertionError(f"voiceshop console did not start: {line!r} {log.read()[-2000:]}")
    return RunningConsole(match.group(0), folder, db, proc)


def stop_console(running: RunningConsole) -> None:
    os.killpg(running.process.pid, signal.SIGTERM)
    try:
        running.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait(timeout=5)


@pytest.fixture(scope="session")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningConsole]:
    running = start_console(tmp_path_factory.mktemp("browser") / "console")
    yield running
    stop_console(running)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's browser is Debian's chromium, headless, without the sandbox (we run as root)."""
    if not CHROMIUM.exists():
        pytest.fail(f"no chromium at {CHROMIUM}: `./dev setup` installs Debian's chromium package")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": ["--no-sandbox"],
            "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 950}, "accept_downloads": True}


def wait_for_turns(page: Any, count: int, timeout: float = 30_000) -> None:
    """Until the page shows `count` turns (the page's policy allows no string evaluation, so no wait_for_function)."""
    page.locator("#turns .turn").nth(count - 1).wait_for(timeout=timeout)


def type_turn(page: Any, text: str) -> Any:
    """Type a line and send it with Enter, as a person would; returns the new turn's element."""
    before = page.locator("#turns .turn").count()
    page.get_by_label("What you say").fill(text)
    page.get_by_label("What you say").press("Enter")
    wait_for_turns(page, before + 1)
    return page.locator("#turns .turn").nth(before)


def wait_until(predicate: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)
