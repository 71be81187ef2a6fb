"""Model download against a real HTTP server on loopback: progress, resume, checksum, atomic install."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from speech.errors import ModelError
from speech.models import ModelEntry, download_model, installed_model_dir, verify_model


def _model_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("vosk-model-tiny/am/final.mdl", b"\0" * 50_000)
        z.writestr("vosk-model-tiny/conf/model.conf", "--beam=10\n")
        z.writestr("vosk-model-tiny/graph/HCLG.fst", b"\1" * 20_000)
        z.writestr("vosk-model-tiny/graph/words.txt", "<eps> 0\nmilk 1\ncoffee 2\n")
    return buf.getvalue()


class _Server:
    def __init__(self, payload: bytes) -> None:
        self.payload = payload
        self.cut_after: int | None = None
        """Close the connection after this many bytes of the next response (then serve fully)."""
        self.ranges: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                rng = self.headers.get("Range")
                server.ranges.append(rng)
                start = int(rng.split("=")[1].split("-")[0]) if rng else 0
                body = server.payload[start:]
                self.send_response(206 if rng else 200)
                self.send_header("Content-Length", str(len(body)))
                if rng:
                    self.send_header("Content-Range", f"bytes {start}-{len(server.payload) - 1}/{len(server.payload)}")
                self.end_headers()
                if server.cut_after is not None:
                    cut, server.cut_after = server.cut_after, None
                    self.wfile.write(body[:cut])
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/vosk-model-tiny.zip"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[_Server]:
    s = _Server(_model_zip())
    yield s
    s.httpd.shutdown()


def _manifest(server: _Server, sha: str | None = None) -> dict[str, ModelEntry]:
    digest = sha or hashlib.sha256(server.payload).hexdigest()
    return {"xx-XX": ModelEntry(locale="xx-XX", name="vosk-model-tiny", kind="archive", url=server.url, sha256=digest)}


def test_download_installs_and_reports_progress(server: _Server, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    path = download_model("xx-XX", models_dir=tmp_path, manifest=_manifest(server),
                          progress=lambda d, t: seen.append((d, t)))
    assert path == tmp_path / "vosk-model-tiny" and (path / "am" / "final.mdl").is_file()
    assert seen[-1] == (len(server.payload), len(server.payload))
    assert not list(tmp_path.glob("*.part"))
    assert installed_model_dir("xx-XX", tmp_path, _manifest(server)) == path
    assert verify_model("xx-XX", tmp_path, _manifest(server)).problem is None


def test_interrupted_download_resumes_with_a_range_request(server: _Server, tmp_path: Path) -> None:
    server.cut_after = 10_000
    with pytest.raises(ModelError, match="interrupted|checksum"):
        download_model("xx-XX", models_dir=tmp_path, manifest=_manifest(server), timeout=5)
    part = tmp_path / "vosk-model-tiny.zip.part"
    assert part.is_file() and 0 < part.stat().st_size < len(server.payload)
    assert not (tmp_path / "vosk-model-tiny").exists()
    have = part.stat().st_size
    path = download_model("xx-XX", models_dir=tmp_path, manifest=_manifest(server))
    assert server.ranges[-1] == f"bytes={have}-"
    assert (path / "graph" / "words.txt").read_text().startswith("<eps>")


def test_checksum_mismatch_installs_nothing(server: _Server, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="checksum mismatch"):
        download_model("xx-XX", models_dir=tmp_path, manifest=_manifest(server, sha="0" * 64))
    assert list(tmp_path.iterdir()) == []


def test_models_command_lists_the_manifest() -> None:
    from click.testing import CliRunner

    from voiceshop.cli import cli

    result = CliRunner().invoke(cli, ["models", "list"])
    assert result.exit_code == 0
    assert "vosk-model-small-en-us-0.15" in result.output and "ko-KR" in result.output
    bad = CliRunner().invoke(cli, ["models", "download", "xx-XX"])
    assert bad.exit_code != 0 and "xx-XX" in bad.output
