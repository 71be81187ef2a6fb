"""`voiceshop console` itself: its errors are one line, it says where it is, and it warns when not local."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from voiceshop.cli import cli
from voiceshop.commands.console import _is_loopback

from .conftest import VOICESHOP


@pytest.mark.parametrize("args,message", [
    (["--locale", "xx-XX"], "unsupported locale 'xx-XX'"),
    (["--endpoint", "http://127.0.0.1:9/alexa", "--db", "shop.db"], "--db applies only to the in-process skill"),
    (["--endpoint", "ftp://example.com/alexa"], "must be an http:// or https:// URL"),
    (["--voice", "no-such-voice"], "espeak-ng has no voice"),
])
def test_console_command_refuses_bad_options_in_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["console", "--dir", str(tmp_path / "c"), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_console_command_refuses_a_file_as_its_directory(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = CliRunner().invoke(cli, ["console", "--dir", str(not_a_folder)])
    assert result.exit_code == 2
    assert "is a file" in result.output and "Traceback" not in result.output


def test_console_command_reports_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["console", "--dir", str(tmp_path / "c"), "--db", str(tmp_path / "s.db"),
                                          "--port", str(port)])
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.output


@pytest.mark.parametrize("host,loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                           ("[::1]", True), ("127.0.0.2", True), ("0.0.0.0", False),
                                           ("192.0.2.10", False), ("my-box.lan", False)])
def test_console_command_knows_a_loopback_address(host: str, loopback: bool) -> None:
    assert _is_loopback(host) is loopback


@pytest.mark.slow  # starts the console in a subprocess
def test_console_command_warns_when_given_a_host_beyond_loopback(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [str(VOICESHOP), "console", "--host", "0.0.0.0", "--port", "0", "--dir", str(tmp_path / "c"),
         "--db", str(tmp_path / "s.db"), "--no-rescore"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        banner = proc.stdout.readline()
        port = re.search(r"http://0\.0\.0\.0:(\d+)/", banner)
        assert port, banner
        warning = proc.stderr.readline()
        assert warning.startswith("warning: --host 0.0.0.0: the console is reachable from other machines")
        # bound to every address, it answers whatever name it is reached by (only loopback is used here)
        reply = requests.get(f"http://127.0.0.1:{port.group(1)}/nlu", headers={"Host": "shop-box.lan"}, timeout=10)
        assert reply.status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
