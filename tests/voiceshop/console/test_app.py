"""The console's pages and JSON API through Flask's test client: every endpoint, good input and bad."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from voiceshop.console import ConsoleSettings, create_app

from .conftest import Client, espeak

USER = "amzn1.ask.account.console-test"


# -- pages and the guards ------------------------------------------------------------------------


@pytest.mark.parametrize("url,marker", [("/", 'id="utterance"'), ("/certify", 'id="upload-files"'),
                                        ("/nlu", 'id="sentence"')])
def test_console_pages_render_with_a_strict_content_security_policy(client: Client, url: str, marker: str) -> None:
    reply = client.get(url)
    assert reply.status_code == 200
    page = reply.get_data(as_text=True)
    assert marker in page
    assert "<script>" not in page  # no inline script: the policy forbids it
    policy = reply.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_console_static_files_are_served(client: Client) -> None:
    for name in ("console.css", "common.js", "simulator.js", "certify.js", "nlu.js", "recorder-worklet.js"):
        assert client.get(f"/static/{name}").status_code == 200, name


def test_console_refuses_a_foreign_host_header(client: Client) -> None:
    reply = client.get("/", headers={"Host": "attacker.example:8090"})
    assert reply.status_code == 403
    assert "127.0.0.1" in reply.get_json()["error"]
    assert client.get("/", headers={"Host": "localhost:8090"}).status_code == 200


def test_console_answers_any_host_when_bound_beyond_loopback(console_settings: ConsoleSettings) -> None:
    from dataclasses import replace

    app = create_app(replace(console_settings, allowed_hosts=None))
    assert app.test_client().get("/", headers={"Host": "shop-box.lan:8090"}).status_code == 200


def test_console_refuses_a_post_without_its_header(client: Client) -> None:
    reply = client.raw.post("/api/sim", json={})
    assert reply.status_code == 403
    assert "X-Voiceshop-Console" in reply.get_json()["error"]


def test_console_status_names_the_skill_and_directory(client: Client, console_dir: Path) -> None:
    data = client.get("/api/status").get_json()
    assert data["skill"].startswith("Voice Shop in process")
    assert data["directory"] == str(console_dir.resolve())
    assert data["voice"]["ready"] is False  # not warmed up in these tests: loaded on the first spoken turn


def test_console_unknown_api_path_is_json_404(client: Client) -> None:
    reply = client.get("/api/nothing-here")
    assert reply.status_code == 404
    assert "error" in reply.get_json()


# -- the simulator ---------------------------------------------------------------------------------


def test_console_simulator_typed_turns_fill_the_cart_and_the_panels(client: Client) -> None:
    sim = client.sim(USER)
    welcome = client.say(sim, "open voice shop")
    assert welcome["turn"]["request_type"] == "LaunchRequest"
    assert welcome["state"]["session"]["open"] is True
    assert welcome["turn"]["audio"].startswith(sim + "/")
    found = client.say(sim, "i'd like a jar of peanut butter")
    turn = found["turn"]
    assert turn["intent"] in ("SearchProductIntent", "AddToCartIntent")
    assert turn["confidence"] is not None and 0 < turn["confidence"] <= 1
    assert turn["slots"]["product"]["id"] == "peanut_butter"
    assert turn["request"]["request"]["intent"]["name"] == turn["intent"]
    assert turn["response"]["response"]["outputSpeech"]
    assert {"nlu_skill", "tts_out", "response_latency"} <= set(turn["timings"])
    added = client.say(sim, "the first one")
    cart = added["state"]["shop"]["cart"]
    assert [line["sku"] for line in cart] and cart[0]["quantity"] == 1
    assert added["state"]["shop"]["subtotal_cents"] == cart[0]["line_total_cents"] > 0
    assert added["state"]["session"]["attributes"], "the skill's session attributes are shown"


def test_console_simulator_audio_files_of_answers_are_wavs(client: Client) -> None:
    sim = client.sim()
    turn = client.say(sim, "open voice shop")["turn"]
    reply = client.get(f"/audio/{turn['audio']}")
    assert reply.status_code == 200
    assert reply.mimetype == "audio/wav"
    assert reply.data[:4] == b"RIFF" and reply.data[8:12] == b"WAVE"


def test_console_simulator_says_nothing_then_the_session_ends(client: Client) -> None:
    sim = client.sim()
    welcome = client.say(sim, "open voice shop")["turn"]
    first = client.post(f"/api/sim/{sim}/silence").get_json()
    assert first["turn"]["speech"] == welcome["reprompt"]
    assert first["state"]["session"]["open"] is True
    second = client.post(f"/api/sim/{sim}/silence").get_json()
    assert second["turn"]["request"]["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert second["state"]["session"]["open"] is False
    assert second["state"]["session"]["attributes"] == {}


def test_console_simulator_new_and_end_session(client: Client) -> None:
    sim = client.sim()
    opened = client.post(f"/api/sim/{sim}/new-session").get_json()
    assert opened["turn"]["request_type"] == "LaunchRequest"
    first_id = opened["state"]["session"]["id"]
    again = client.post(f"/api/sim/{sim}/new-session").get_json()
    assert again["state"]["session"]["id"] != first_id
    ended = client.post(f"/api/sim/{sim}/end-session").get_json()
    assert ended["turn"]["request"]["request"]["type"] == "SessionEndedRequest"
    assert ended["state"]["session"]["open"] is False
    # ending a closed session sends nothing
    assert client.post(f"/api/sim/{sim}/end-session").get_json()["turn"]["request"] is None


def test_console_simulator_dialog_state_shows_the_question_waited_on(client: Client) -> None:
    sim = client.sim("amzn1.ask.account.console-dialog")
    client.say(sim, "open voice shop")
    client.say(sim, "put two cartons of eggs in my cart")
    client.say(sim, "the first one")
    asked = client.say(sim, "check out")
    state = asked["state"]
    assert asked["turn"]["session_open"] is True
    # the skill asks for the delivery time; whichever way it asks, the page shows the session's state
    assert state["session"]["open"] and state["session"]["attributes"]
    if state["dialog"] is not None:
        assert state["dialog"]["waiting"] in ("elicit", "confirm_slot", "confirm_intent")


def test_console_simulator_switch_user_keeps_carts_apart(client: Client) -> None:
    sim = client.sim("amzn1.ask.account.console-a")
    client.say(sim, "open voice shop")
    client.say(sim, "add a bag of coffee")
    first = client.say(sim, "the first one")["state"]
    assert first["shop"]["cart"]
    switched = client.post(f"/api/sim/{sim}/user", json={"user": "amzn1.ask.account.console-b"}).get_json()
    assert switched["state"]["user"] == "amzn1.ask.account.console-b"
    assert switched["state"]["session"]["open"] is False
    assert switched["state"]["shop"]["cart"] == []


@pytest.mark.parametrize("user", ["", "bad user id", "x" * 201, "amzn1/../../etc"])
def test_console_simulator_refuses_a_bad_user_id(client: Client, user: str) -> None:
    sim = client.sim()
    reply = client.post(f"/api/sim/{sim}/user", json={"user": user})
    assert reply.status_code == 400
    assert "user id" in reply.get_json()["error"]
    assert client.post("/api/sim", json={"user": "two words"}).status_code == 400


@pytest.mark.parametrize("body,message", [({"text": ""}, "type what you would say"),
                                           ({"text": "a" * 501}, "longer than"),
                                           ({"text": 5}, "send {"),
                                           ({}, "send {")])
def test_console_simulator_refuses_bad_text(client: Client, body: dict[str, Any], message: str) -> None:
    sim = client.sim()
    reply = client.post(f"/api/sim/{sim}/say", json=body)
    assert reply.status_code == 400
    assert message in reply.get_json()["error"]


def test_console_simulator_refuses_a_body_that_is_not_json(client: Client) -> None:
    sim = client.sim()
    reply = client.post(f"/api/sim/{sim}/say", data="open voice shop", content_type="text/plain")
    assert reply.status_code == 400
    assert "JSON" in reply.get_json()["error"]


def test_console_simulator_unknown_session_is_404(client: Client) -> None:
    reply = client.post("/api/sim/0123456789abcdef/say", json={"text": "hello"})
    assert reply.status_code == 404
    assert "reload the page" in reply.get_json()["error"]
    assert client.get("/api/sim/nope").status_code == 404


def test_console_simulator_audio_paths_stay_in_the_directory(client: Client, console_dir: Path) -> None:
    sim = client.sim()
    (console_dir.parent / "secret.wav").write_bytes(b"RIFF")
    for name in ("..%2F..%2Fsecret.wav", "../../secret.wav", "%2e%2e%2fsecret.wav"):
        assert client.get(f"/audio/{sim}/{name}").status_code in (400, 404), name
    assert client.get(f"/audio/{sim}/turn-01-response.txt").status_code == 404


@pytest.mark.slow
def test_console_simulator_hears_an_uploaded_wav(client: Client, tmp_path: Path, console_dir: Path) -> None:
    sim = client.sim()
    client.say(sim, "open voice shop")
    wav = espeak("search for coffee", tmp_path / "turn.wav", pad_seconds=0.3)
    with wav.open("rb") as f:
        reply = client.post(f"/api/sim/{sim}/audio", data={"audio": (f, "turn.wav"), "source": "upload"})
    assert reply.status_code == 200, reply.get_json()
    turn = reply.get_json()["turn"]
    assert turn["source"] == "upload"
    assert turn["asr"]["engine"] == "pocketsphinx"
    assert turn["heard"] == "search for coffee"
    assert turn["intent"] == "SearchProductIntent"
    assert "timings" in turn and turn["timings"]["asr"] > 0
    assert (console_dir / "audio" / turn["user_audio"]).is_file(), "the spoken turn is kept for replay"
    assert client.get(f"/audio/{turn['audio']}").data[:4] == b"RIFF"
    assert client.get("/api/status").get_json()["voice"]["engine"] == "pocketsphinx"


@pytest.mark.parametrize("data,name,message", [
    (b"this is not audio at all", "turn.wav", "not a WAV file"),
    (b"", "turn.wav", "empty"),
])
def test_console_simulator_refuses_a_bad_recording(client: Client, data: bytes, name: str, message: str) -> None:
    sim = client.sim()
    import io

    reply = client.post(f"/api/sim/{sim}/audio", data={"audio": (io.BytesIO(data), name)})
    assert reply.status_code == 400
    assert message in reply.get_json()["error"]


def test_console_simulator_refuses_a_request_without_a_recording(client: Client) -> None:
    sim = client.sim()
    reply = client.post(f"/api/sim/{sim}/audio", data={"source": "mic"})
    assert reply.status_code == 400
    assert "'audio'" in reply.get_json()["error"]


def test_console_simulator_refuses_a_recording_over_the_size_limit(client: Client) -> None:
    import io

    sim = client.sim()
    reply = client.post(f"/api/sim/{sim}/audio", data={"audio": (io.BytesIO(b"RIFF" + b"\0" * 600_000), "big.wav")})
    assert reply.status_code == 413
    assert "larger than the console accepts" in reply.get_json()["error"]


def test_console_simulator_refuses_a_recording_too_long(client: Client, tmp_path: Path) -> None:
    import io
    import wave

    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as w:  # 31 s of quiet noise at 8 kHz: small, but longer than a turn
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        import numpy as np

        w.writeframes((np.random.default_rng(1).normal(0, 300, 8000 * 31)).astype("<i2").tobytes())
    sim = client.sim()
    reply = client.post(f"/api/sim/{sim}/audio", data={"audio": (io.BytesIO(path.read_bytes()), "long.wav")})
    assert reply.status_code == 400
    assert "at most 30 s" in reply.get_json()["error"]


# -- the NLU page ----------------------------------------------------------------------------------


def test_console_nlu_explains_ranked_intents_with_factors(client: Client) -> None:
    reply = client.post("/api/nlu", json={"text": "could you put three cans of tomato soup in my basket"})
    assert reply.status_code == 200
    data = reply.get_json()
    assert data["intent"] == "AddToCartIntent"
    assert data["slots"]["product"]["id"] == "tomato_soup"
    assert data["slots"]["quantity"]["value"] == "3"
    assert data["referenceTimestamp"].endswith("Z")
    top = data["ranked"][0]
    assert top["intent"] == "AddToCartIntent"
    assert {"similarity", "alignment_fit", "known_words", "evidence", "explained"} <= set(top["factors"])
    assert top["sample"]
    assert len(data["ranked"]) > 2
    assert any(v["kind"] == "PRODUCT" for v in data["values"])


@pytest.mark.parametrize("body,message", [({"text": ""}, "type a sentence"), ({"text": "x" * 501}, "too long"),
                                           ({"words": "hi"}, "type a sentence")])
def test_console_nlu_refuses_bad_input(client: Client, body: dict[str, Any], message: str) -> None:
    reply = client.post("/api/nlu", json=body)
    assert reply.status_code == 400
    assert message in reply.get_json()["error"]


def test_console_nlu_adds_a_corrected_case_that_certify_reads(client: Client, console_dir: Path) -> None:
    reading = client.post("/api/nlu", json={"text": "chuck the bananas"}).get_json()
    reply = client.post("/api/nlu/cases", json={
        "utterance": reading["utterance"], "intent": "RemoveFromCartIntent", "slots": {"product": "bananas"},
        "referenceTimestamp": reading["referenceTimestamp"]})
    assert reply.status_code == 201, reply.get_json()
    assert reply.get_json()["cases"] == 1
    document = json.loads((console_dir / "nlu-cases.json").read_text())
    assert document["data"][0]["inputs"]["utterance"] == "chuck the bananas"
    assert document["data"][0]["expected"][0]["intent"] == {"name": "RemoveFromCartIntent",
                                                            "slots": {"product": {"value": "bananas"}}}
    second = client.post("/api/nlu/cases", json={"utterance": "show me the cart", "intent": "ViewCartIntent",
                                                 "slots": {}})
    assert second.get_json()["cases"] == 2
    from speech.certify.files import read_test_file

    cases = read_test_file(console_dir / "nlu-cases.json").cases
    assert [c.intent for c in cases] == ["RemoveFromCartIntent", "ViewCartIntent"]
    duplicate = client.post("/api/nlu/cases", json={"utterance": "Chuck the  bananas", "intent": "ClearCartIntent"})
    assert duplicate.status_code == 409


@pytest.mark.parametrize("body,message", [
    ({"utterance": "hi", "intent": "NoSuchIntent"}, "not an intent"),
    ({"utterance": "hi", "intent": "ViewCartIntent", "slots": {"product": "milk"}}, "has no slot"),
    ({"utterance": "", "intent": "ViewCartIntent"}, "empty"),
    ({"utterance": "hi", "intent": "ViewCartIntent", "file": "../outside.json"}, "plain name"),
    ({"utterance": "hi", "intent": "ViewCartIntent", "file": "/etc/cases.json"}, "plain name"),
    ({"utterance": "hi", "intent": "ViewCartIntent", "file": "cases.txt"}, "plain name"),
    ({"utterance": "hi", "intent": "AddToCartIntent", "slots": {"product": {"x": 1}}}, "as text"),
    ({"utterance": "hi", "intent": "ViewCartIntent", "referenceTimestamp": "yesterday"}, "ISO 8601"),
])
def test_console_nlu_case_refuses_bad_input(client: Client, console_dir: Path, body: dict[str, Any],
                                            message: str) -> None:
    reply = client.post("/api/nlu/cases", json=body)
    assert reply.status_code == 400
    assert message in reply.get_json()["error"]
    assert not (console_dir.parent / "outside.json").exists()


def test_console_nlu_case_will_not_overwrite_a_file_that_is_no_annotation_set(client: Client,
                                                                              console_dir: Path) -> None:
    (console_dir / "notes.json").write_text('["my notes"]')
    reply = client.post("/api/nlu/cases", json={"utterance": "hi", "intent": "ViewCartIntent", "file": "notes.json"})
    assert reply.status_code == 400
    assert "not an annotation set" in reply.get_json()["error"]
    assert (console_dir / "notes.json").read_text() == '["my notes"]'


# -- certification ---------------------------------------------------------------------------------

ANNOTATIONS = {"data": [
    {"inputs": {"utterance": "could you put some eggs in my basket"},
     "expected": [{"intent": {"name": "AddToCartIntent", "slots": {"product": {"value": "eggs"}}}}]},
    {"inputs": {"utterance": "read me my cart"}, "expected": [{"intent": {"name": "ViewCartIntent"}}]},
    {"inputs": {"utterance": "where's my stuff"}, "expected": [{"intent": {"name": "DealsIntent"}}]},
]}


def _upload(client: Client, *files: tuple[str, bytes]) -> Any:
    import io

    return client.post("/api/certify/upload", data={"files": [(io.BytesIO(data), name) for name, data in files]})


def _run(client: Client, files: list[str], **options: Any) -> dict[str, Any]:
    reply = client.post("/api/certify/runs", json={"files": files, **options})
    assert reply.status_code == 202, reply.get_json()
    job = reply.get_json()
    deadline = time.monotonic() + 120
    while job["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        job = client.get(f"/api/certify/runs/{job['id']}").get_json()
    return job


def test_console_certify_upload_run_report_and_downloads(client: Client, console_dir: Path) -> None:
    reply = _upload(client, ("my cases.json", json.dumps(ANNOTATIONS).encode()))
    assert reply.status_code == 201, reply.get_json()
    saved = reply.get_json()["saved"]
    assert saved == [{"name": "uploads/my_cases.json", "kind": "annotation-json", "size": len(json.dumps(ANNOTATIONS))}]
    listed = client.get("/api/certify/files").get_json()["files"]
    assert {"name": "uploads/my_cases.json", "kind": "annotation-json"}.items() <= listed[0].items()
    job = _run(client, ["uploads/my_cases.json"], checks=False)
    assert job["state"] == "finished", job
    assert (job["done"], job["total"]) == (3, 3)
    report = job["report"]
    assert (report["passed"], report["failed"], report["ok"]) == (2, 1, False)
    assert report["failing"][0]["name"] == "where's my stuff"
    assert report["failing"][0]["expected"] == "DealsIntent"
    assert report["failing"][0]["actual"] == "TrackOrderIntent"
    assert report["intents"]["AddToCartIntent"]["f1"] == 1.0
    assert report["matrix"] is True
    assert report["checks"] == []
    downloads = job["downloads"]
    assert set(downloads) == {"report.json", "junit.xml", "report.html", "matrix.svg"}
    as_json = client.get(downloads["report.json"])
    assert as_json.headers["Content-Disposition"].startswith("attachment")
    assert json.loads(as_json.data)["failed"] == 1
    assert b"<testsuite" in client.get(downloads["junit.xml"]).data
    assert b"Confusion matrix" in client.get(downloads["report.html"]).data
    svg = client.get(downloads["matrix.svg"])
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert (console_dir / "reports" / job["id"] / "junit.xml").is_file()


def test_console_certify_runs_the_checks_and_threshold_when_asked(client: Client) -> None:
    _upload(client, ("cases.json", json.dumps(ANNOTATIONS).encode()))
    job = _run(client, ["uploads/cases.json"], checks=True, min_intent_accuracy=0.5)
    assert job["state"] == "finished", job
    report = job["report"]
    assert report["thresholds"]["missed"] == []
    assert report["ok"] is True  # 2 of 3 is over the minimum asked for, and every check passes
    assert any(c["title"] == "Fallback is handled" for c in report["checks"])


def test_console_certify_runs_a_dialog_script(client: Client) -> None:
    script = (b"configuration:\n  locale: en-US\n---\n- test: a look at the cart\n"
              b"- LaunchRequest: \"*Welcome*\"\n- what have i got in the cart:\n  - intent: ViewCartIntent\n- exit\n")
    assert _upload(client, ("look.yaml", script)).status_code == 201
    job = _run(client, ["uploads/look.yaml"], checks=False)
    assert job["state"] == "finished", job
    assert job["report"]["dialogs"] == {"passed": 1, "failed": 0}


def test_console_certify_one_run_at_a_time(client: Client) -> None:
    _upload(client, ("cases.json", json.dumps(ANNOTATIONS).encode()))
    gate = threading.Event()
    runs = client.app.extensions["voiceshop_console"]["runs"]
    real = runs.run
    runs.run = lambda files, options, progress: (gate.wait(30), real(files, options, progress))[1]
    first = client.post("/api/certify/runs", json={"files": ["uploads/cases.json"], "checks": False})
    assert first.status_code == 202
    second = client.post("/api/certify/runs", json={"files": ["uploads/cases.json"], "checks": False})
    assert second.status_code == 409
    assert "already in progress" in second.get_json()["error"]
    gate.set()


@pytest.mark.parametrize("files,status,message", [
    ([], 400, "pick at least one"),
    (["uploads/none.json"], 404, "no such file"),
    (["../shop.db"], 400, "outside the console's directory"),
    (["/etc/passwd"], 400, "not a name inside"),
    ("uploads/cases.json", 400, "pick at least one"),
])
def test_console_certify_run_refuses_bad_file_names(client: Client, files: Any, status: int, message: str) -> None:
    reply = client.post("/api/certify/runs", json={"files": files})
    assert reply.status_code == status
    assert message in reply.get_json()["error"]


def test_console_certify_run_refuses_a_bad_threshold(client: Client) -> None:
    reply = client.post("/api/certify/runs", json={"files": ["x.json"], "min_intent_accuracy": 2})
    assert reply.status_code == 400
    assert "from 0 to 1" in reply.get_json()["error"]


def test_console_certify_unknown_run_is_404(client: Client) -> None:
    assert client.get("/api/certify/runs/nope").status_code == 404
    assert client.get("/api/certify/runs/nope/report.json").status_code == 404


@pytest.mark.parametrize("name,data,message", [
    ("notes.txt", b"hello", "not a test file name"),
    ("cases.json", b"{\"data\": [", "cases.json"),
    ("cases.json", b"{\"data\": []}", "not a test file"),
    ("cases.json", b"", "empty"),
    ("script.yaml", b"- just: a list\n", "not a test file this runner knows"),
    ("fake.wav", b"RIFF0000WAVEjunk", "fake.wav"),
])
def test_console_certify_refuses_bad_uploads_and_keeps_none(client: Client, console_dir: Path, name: str,
                                                            data: bytes, message: str) -> None:
    reply = _upload(client, ("good.json", json.dumps(ANNOTATIONS).encode()), (name, data))
    assert reply.status_code == 400
    assert message in reply.get_json()["error"]
    assert str(console_dir) not in reply.get_json()["error"]  # names the upload, not our staging file
    uploads = console_dir / "uploads"
    assert not uploads.exists() or not list(uploads.iterdir()), "all or nothing: the good file is not kept either"


def test_console_certify_upload_names_cannot_leave_the_directory(client: Client, console_dir: Path) -> None:
    reply = _upload(client, ("../../escape.json", json.dumps(ANNOTATIONS).encode()))
    assert reply.status_code == 201
    assert reply.get_json()["saved"][0]["name"] == "uploads/escape.json"
    assert not (console_dir.parent / "escape.json").exists()


def test_console_certify_upload_refuses_nothing_and_too_much(client: Client) -> None:
    assert client.post("/api/certify/upload", data={}).status_code == 400
    reply = _upload(client, ("big.json", b"{" + b" " * 600_000 + b"}"))
    assert reply.status_code == 413


def test_console_certify_audio_set_needs_its_recordings_inside(client: Client, console_dir: Path,
                                                              tmp_path: Path) -> None:
    espeak("show my cart", console_dir.parent / "outside.wav")
    manifest = b"audioAsset,expectedTranscription,intent\n../../outside.wav,show my cart,ViewCartIntent\n"
    reply = _upload(client, ("set.csv", manifest))
    assert reply.status_code == 400
    assert "outside.wav is outside the console's directory" in reply.get_json()["error"]
    missing = b"audioAsset,expectedTranscription,intent\nclip.wav,show my cart,ViewCartIntent\n"
    reply = _upload(client, ("set.csv", missing))
    assert reply.status_code == 400
    assert "not found: clip.wav" in reply.get_json()["error"]
    assert not (console_dir / "uploads" / "set.csv").exists()


@pytest.mark.slow
def test_console_certify_runs_an_audio_set_uploaded_with_its_recordings(client: Client, tmp_path: Path) -> None:
    clip = espeak("what's in my cart", tmp_path / "clip.wav", pad_seconds=0.3).read_bytes()
    manifest = b"audioAsset,expectedTranscription,intent\nclip.wav,what's in my cart,ViewCartIntent\n"
    reply = _upload(client, ("set.csv", manifest), ("clip.wav", clip))
    assert reply.status_code == 201, reply.get_json()
    assert {s["kind"] for s in reply.get_json()["saved"]} == {"audio-set", "recording"}
    job = _run(client, ["uploads/set.csv"], checks=False)
    assert job["state"] == "finished", job
    assert job["report"]["audio"]["cases"] == 1
    assert job["report"]["passed"] == 1


# -- another skill over HTTP -------------------------------------------------------------------------


def _skill_server(db: Path) -> Any:
    from skill.config import SkillConfig
    from skill.webservice import create_app as skill_app

    server = make_server("127.0.0.1", 0, skill_app(SkillConfig(db_path=db, demo_accounts=True), verify=False),
                         threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_console_drives_a_skill_over_http(console_dir: Path, tmp_path: Path) -> None:
    server = _skill_server(tmp_path / "remote.db")
    try:
        settings = ConsoleSettings(directory=console_dir, endpoint=f"http://127.0.0.1:{server.port}/alexa",
                                   rescore=False, warm_up=False)
        client = Client(create_app(settings))
        sim = client.sim()
        data = client.say(sim, "ask voice shop what's in my cart")
        assert data["turn"]["intent"] == "ViewCartIntent"
        assert data["turn"]["error"] is None and data["turn"]["speech"]
        assert data["state"]["shop"] is None  # a remote skill's shop is not ours to look into
        assert client.get("/api/status").get_json()["skill"] == settings.endpoint
        page = client.get("/").get_data(as_text=True)
        assert "Shown for the in-process Voice Shop skill only" in page
    finally:
        server.shutdown()


def test_console_says_when_the_skill_is_unreachable(console_dir: Path) -> None:
    settings = ConsoleSettings(directory=console_dir, endpoint="http://127.0.0.1:9/alexa", rescore=False,
                               warm_up=False)
    client = Client(create_app(settings))
    sim = client.sim()
    turn = client.say(sim, "open voice shop")["turn"]
    assert "cannot reach" in turn["error"]
    assert turn["speech"] == "Sorry, the requested skill is not responding right now."


def test_console_in_process_orders_reach_the_database(client: Client, console_settings: ConsoleSettings) -> None:
    sim = client.sim("amzn1.ask.account.console-order")
    for line in ("open voice shop", "i need some peanut butter", "the first one", "that's everything, check out",
                 "tomorrow afternoon is fine", "yes", "one two three four"):
        last = client.say(sim, line)
    orders = last["state"]["shop"]["orders"]
    assert len(orders) == 1, last["turn"]["speech"]
    assert "order is placed" in last["turn"]["speech"]
    assert console_settings.db_path is not None
    with sqlite3.connect(console_settings.db_path) as db:
        rows = db.execute("SELECT order_id, total_cents FROM orders WHERE user_id = ?",
                          ("amzn1.ask.account.console-order",)).fetchall()
    assert rows == [(orders[0]["order_id"], orders[0]["total_cents"])]


def test_console_certify_a_link_out_of_the_directory_is_refused(client: Client, console_dir: Path) -> None:
    outside = console_dir.parent / "elsewhere.json"
    outside.write_text(json.dumps(ANNOTATIONS))
    (console_dir / "link.json").symlink_to(outside)
    reply = client.post("/api/certify/runs", json={"files": ["link.json"]})
    assert reply.status_code == 400
    assert "outside the console's directory" in reply.get_json()["error"]
    assert "link.json" not in [f["name"] for f in client.get("/api/certify/files").get_json()["files"]]


def test_console_certify_a_refused_batch_puts_back_the_file_it_replaced(client: Client, console_dir: Path) -> None:
    first = json.dumps(ANNOTATIONS).encode()
    assert _upload(client, ("cases.json", first)).status_code == 201
    reply = _upload(client, ("cases.json", b'{"data": [{"inputs": {}}]}'), ("more.json", first))
    assert reply.status_code == 400
    assert (console_dir / "uploads" / "cases.json").read_bytes() == first
    assert sorted(p.name for p in (console_dir / "uploads").iterdir()) == ["cases.json"]


class _HeardOtherwise:
    """A recogniser double whose sentence is not its own words (snapped, or chosen by the second opinion)."""

    engine = "pocketsphinx"
    missing: list[str] = []

    def __init__(self, text: str, raw: str) -> None:
        self.text, self.raw = text, raw

    def recognize(self, audio: Any, on_partial: Any = None) -> Any:
        from speech.asr.base import Transcript

        return Transcript(self.text, 0.4, self.engine, 0.05, raw=self.raw)

    def new_session(self) -> None:
        pass


@pytest.mark.parametrize("text,raw", [("search for coffee", "set a m is coffee"), ("", "mumble grumble")])
def test_console_simulator_shows_what_the_engine_itself_heard(client: Client, tmp_path: Path, text: str,
                                                             raw: str) -> None:
    engines = client.app.extensions["voiceshop_console"]["engines"]
    engines._recognizer = _HeardOtherwise(text, raw)
    sim = client.sim()
    client.say(sim, "open voice shop")
    wav = espeak("search for coffee", tmp_path / "turn.wav")
    with wav.open("rb") as f:
        turn = client.post(f"/api/sim/{sim}/audio", data={"audio": (f, "turn.wav")}).get_json()["turn"]
    assert turn["asr"]["raw"] == raw
    if text:
        assert turn["heard"] == text and turn["asr"]["engine_heard"] == raw
        assert turn["intent"] == "SearchProductIntent"
    else:  # rejected: the speaker itself asks again, and nothing reaches the skill
        assert turn["asr"]["rejected"] is True and turn["request"] is None
        assert turn["speech"] == "Sorry, I didn't catch that."


def test_console_certify_lists_test_files_but_not_its_own_reports_and_audio(client: Client, console_dir: Path) -> None:
    text = json.dumps(ANNOTATIONS)
    for rel in ("mine/cases.json", "reports/run-1/report.json", "audio/abc/cases.json", ".hidden/cases.json",
                "notes.json"):
        (console_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (console_dir / rel).write_text(text if rel != "notes.json" else '{"just": "notes"}')
    listed = [f["name"] for f in client.get("/api/certify/files").get_json()["files"]]
    assert listed == ["mine/cases.json"]
