"""`voiceshop serve` for real: a gunicorn subprocess on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import json
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

pytestmark = pytest.mark.slow


def test_serve_healthz_reports_ok(dev_server):
    r = requests.get(dev_server.url + "/healthz", timeout=5)
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["verification"] is False


def test_serve_answers_a_launch_request(dev_server, kit):
    r = dev_server.post(kit.body_of(kit.envelope()))
    assert r.status_code == 200
    assert r.json()["response"]["outputSpeech"]["ssml"].startswith("<speak>")


def test_serve_answers_a_shopping_conversation_over_keep_alive(dev_server, kit):
    turns = [
        kit.envelope(),
        kit.envelope("IntentRequest", intent="SearchProductIntent", slots={"product": "coffee"}, new=False),
        kit.envelope("IntentRequest", intent="SelectItemIntent", slots={"position": "2"}, new=False),
        kit.envelope(
            "IntentRequest", intent="AddToCartIntent", slots={"product": "milk", "quantity": "2"}, new=False
        ),
        kit.envelope("IntentRequest", intent="ViewCartIntent", new=False),
    ]
    with requests.Session() as session:
        attributes: dict = {}
        for turn in turns:
            turn["session"]["attributes"] = attributes
            r = session.post(dev_server.url + "/alexa", json=turn, timeout=10)
            assert r.status_code == 200, r.text
            attributes = r.json().get("sessionAttributes") or {}
            assert r.json()["response"]["outputSpeech"]["ssml"]


def test_serve_answers_concurrent_writers_on_two_workers_without_errors(dev_server, kit):
    def shopper(n: int) -> list[int]:
        statuses = []
        with requests.Session() as session:
            for _ in range(6):
                turn = kit.envelope(
                    "IntentRequest",
                    intent="AddToCartIntent",
                    slots={"product": "milk", "quantity": "1"},
                    user_id=f"amzn1.ask.account.CONCURRENT{n}",
                    new=False,
                )
                statuses.append(session.post(dev_server.url + "/alexa", json=turn, timeout=30).status_code)
        return statuses

    with ThreadPoolExecutor(6) as pool:
        statuses = [s for batch in pool.map(shopper, range(6)) for s in batch]
    assert statuses == [200] * 36


def test_serve_answers_an_unknown_intent_and_non_ascii_text(dev_server, kit):
    unknown = kit.envelope("IntentRequest", intent="NoSuchIntent", new=False)
    assert dev_server.post(kit.body_of(unknown)).status_code == 200
    accented = kit.envelope(
        "IntentRequest", intent="SearchProductIntent", slots={"product": "crème brûlée"}, new=False
    )
    r = dev_server.post(json.dumps(accented, ensure_ascii=False).encode())
    assert r.status_code == 200
    assert r.json()["response"]["outputSpeech"]["ssml"]


def test_serve_refuses_bad_bodies_with_json_errors(dev_server, kit):
    r = dev_server.post(b"{oops")
    assert (r.status_code, r.json()["error"]) == (400, "BadAlexaRequest")
    r = dev_server.post(b"")
    assert (r.status_code, r.json()["message"]) == (400, "empty request body")
    r = dev_server.post(b'{"greeting": "hello"}')
    assert r.status_code == 400
    assert "not an Alexa request" in r.json()["message"]
    r = dev_server.post(b"{" + b" " * (200 * 1024) + b"}")
    assert (r.status_code, r.json()["error"]) == (413, "RequestEntityTooLarge")


def test_serve_verifies_requests_by_default(secure_server, kit):
    assert requests.get(secure_server.url + "/healthz", timeout=5).json()["verification"] is True
    body = kit.body_of(kit.envelope())
    r = secure_server.post(body)
    assert r.status_code == 400
    assert r.json()["message"] == "missing SignatureCertChainUrl header"
    foreign = {"SignatureCertChainUrl": "https://evil.example.com/echo.api/cert.pem", "Signature-256": "AAAA"}
    r = secure_server.post(body, foreign)
    assert r.status_code == 400
    assert "host must be s3.amazonaws.com" in r.json()["message"]


def test_serve_reports_a_busy_port_in_one_line(kit, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(kit.voiceshop), "serve", "--port", str(port), "--db", str(tmp_path / "v.db")],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert result.stderr.strip() == f"error: port {port} on 127.0.0.1 is already in use"


def test_serve_reports_a_bad_database_path_in_one_line(kit, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    result = subprocess.run(
        [str(kit.voiceshop), "serve", "--port", "0", "--db", str(tmp_path / "file" / "v.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.startswith("error: cannot open database")
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_insecure_dev_warns_and_says_where_it_listens(serve_process):
    server = serve_process("--insecure-dev")
    server.process.terminate()
    out, err = server.process.communicate(timeout=15)
    assert "warning: --insecure-dev" in err
    assert f"serving the skill at {server.url}/alexa" in out
    assert "request verification OFF" in out


def test_serve_startup_line_says_verification_is_on(serve_process):
    server = serve_process()
    server.process.terminate()
    out, err = server.process.communicate(timeout=15)
    assert "request verification on" in out
    assert "warning" not in err


def test_serve_help_has_an_example(kit):
    result = subprocess.run(
        [str(kit.voiceshop), "serve", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "voiceshop serve --port 8080" in result.stdout


def test_serve_speaks_https_with_certfile_and_keyfile(serve_process, pki, kit, tmp_path):
    from cryptography.hazmat.primitives import serialization

    leaf, key = kit.make_leaf(
        pki.intermediate,
        dns="localhost",
        not_before=kit.now.replace(year=2020),
        not_after=kit.now.replace(year=2099),
    )
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert_file.write_bytes(kit.pem_chain(leaf, pki.intermediate[0]))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    ca_file.write_bytes(kit.pem_chain(pki.root))
    server = serve_process(
        "--insecure-dev", "--certfile", str(cert_file), "--keyfile", str(key_file), scheme="https"
    )
    https_url = server.url.replace("127.0.0.1", "localhost")
    r = requests.post(https_url + "/alexa", json=kit.envelope(), verify=str(ca_file), timeout=10)
    assert r.status_code == 200
    assert r.json()["response"]["outputSpeech"]["ssml"]


def test_serve_refuses_a_certfile_without_a_keyfile(kit, tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("placeholder")
    result = subprocess.run(
        [str(kit.voiceshop), "serve", "--port", "0", "--db", str(tmp_path / "v.db"), "--certfile", str(cert)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == "error: --certfile and --keyfile go together"
