"""The console's Flask app: three pages and the JSON API they call.

Safety: answers only to the Host names it is bound for (a DNS-rebinding page cannot reach it); every POST
must carry the `X-Voiceshop-Console` header, which a cross-site form cannot send; bodies are limited in
size; pages load no script or style from anywhere but the console (a strict Content-Security-Policy); no
request runs a program of its choosing or names a file outside the console's directory.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Flask, abort, jsonify, render_template, request, send_file
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from speech.errors import SpeechError
from voiceshop.console.cases import CASES_FILE, add_case
from voiceshop.console.certification import REPORT_FILES, CertificationRuns
from voiceshop.console.settings import ConsoleSettings
from voiceshop.console.simulator import Backend, SimulatorError, Simulators, VoiceEngines
from voiceshop.console.workspace import AUDIO, Workspace, WorkspaceError

__all__ = ["create_app", "CSRF_HEADER"]

log = logging.getLogger(__name__)

CSRF_HEADER = "X-Voiceshop-Console"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(settings: ConsoleSettings, backend: Backend | None = None) -> Flask:
    """The console over `backend` (default: the skill `settings` name, wired by `create_backend`)."""
    if backend is None:
        from voiceshop.console.backend import create_backend

        backend = create_backend(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload
    app.json.sort_keys = False  # type: ignore[attr-defined]
    workspace = Workspace(settings.directory)
    engines = VoiceEngines(backend, engine=settings.asr_engine, rescore=settings.rescore, voice=settings.voice)
    sims = Simulators(backend, engines, workspace, settings.user_id)
    runs = CertificationRuns(workspace, _certify_runner(settings))
    app.extensions["voiceshop_console"] = {"workspace": workspace, "engines": engines, "simulators": sims,
                                           "runs": runs, "backend": backend, "settings": settings}
    if settings.warm_up:
        engines.warm_up()

    @app.before_request
    def guard() -> Any:
        if settings.allowed_hosts is not None:
            host = (request.host or "").rsplit(":", 1)[0] if not request.host.startswith("[") \
                else request.host.split("]")[0] + "]"
            if host.lower() not in settings.allowed_hosts:
                return _error(f"this console answers on 127.0.0.1 only, not as {request.host!r}", 403)
        if request.method == "POST" and request.headers.get(CSRF_HEADER) != "1":
            return _error(f"a console request carries the {CSRF_HEADER} header (the console's pages send it)", 403)
        return None

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_: Any) -> Any:
        return _error(f"that upload is larger than the console accepts ({settings.max_upload // 1024} KiB)", 413)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            return _error(exc.description or exc.name, exc.code or 500)
        return exc

    @app.errorhandler(SimulatorError)
    def simulator_error(exc: SimulatorError) -> Any:
        return _error(str(exc), exc.status)

    @app.errorhandler(WorkspaceError)
    def workspace_error(exc: WorkspaceError) -> Any:
        return _error(str(exc), exc.status)

    @app.errorhandler(SpeechError)
    def bad_input(exc: Exception) -> Any:
        return _error(str(exc), 400)

    # -- pages ------------------------------------------------------------------------------------

    page = {"skill": backend.description, "locale": backend.locale, "directory": str(workspace.root),
            "remote": settings.endpoint is not None}

    @app.get("/")
    def simulator_page() -> Any:
        return render_template("simulator.html", active="simulator", user=settings.user_id, **page)

    @app.get("/certify")
    def certify_page() -> Any:
        return render_template("certify.html", active="certify", **page)

    @app.get("/nlu")
    def nlu_page() -> Any:
        intents = {i.name: [s.name for s in i.slots] for i in backend.model.intents}
        return render_template("nlu.html", active="nlu", intents=intents, cases_file=CASES_FILE, **page)

    # -- simulator --------------------------------------------------------------------------------

    @app.post("/api/sim")
    def sim_create() -> Any:
        body = _json_body(optional=True)
        sim = sims.create(body.get("user") if isinstance(body.get("user"), str) else None)
        return jsonify({"state": sim.state(), "voice": engines.status()}), 201

    @app.get("/api/sim/<sim_id>")
    def sim_state(sim_id: str) -> Any:
        return jsonify({"state": sims.get(sim_id).state(), "voice": engines.status()})

    @app.post("/api/sim/<sim_id>/say")
    def sim_say(sim_id: str) -> Any:
        text = _json_body().get("text")
        if not isinstance(text, str):
            raise SimulatorError("send {\"text\": \"what you would say\"}")
        return jsonify(sims.get(sim_id).say(text))

    @app.post("/api/sim/<sim_id>/audio")
    def sim_audio(sim_id: str) -> Any:
        sim = sims.get(sim_id)
        upload = request.files.get("audio")
        if upload is None:
            raise SimulatorError("send the recording as the form field 'audio' (a WAV file)")
        data = upload.read()
        if not data:
            raise SimulatorError("the recording is empty")
        source = "mic" if request.form.get("source") == "mic" else "upload"
        path = sims.user_audio_path(sim)
        path.write_bytes(data)
        return jsonify(sim.hear_wav(path, source, settings.max_audio_seconds))

    @app.post("/api/sim/<sim_id>/silence")
    def sim_silence(sim_id: str) -> Any:
        return jsonify(sims.get(sim_id).silence())

    @app.post("/api/sim/<sim_id>/new-session")
    def sim_new_session(sim_id: str) -> Any:
        return jsonify(sims.get(sim_id).new_session())

    @app.post("/api/sim/<sim_id>/end-session")
    def sim_end_session(sim_id: str) -> Any:
        return jsonify(sims.get(sim_id).end_session())

    @app.post("/api/sim/<sim_id>/user")
    def sim_user(sim_id: str) -> Any:
        user = _json_body().get("user")
        if not isinstance(user, str):
            raise SimulatorError("send {\"user\": \"amzn1.ask.account....\"}")
        return jsonify({"state": sims.get(sim_id).switch_user(user)})

    @app.get("/audio/<sim_id>/<name>")
    def audio(sim_id: str, name: str) -> Any:
        sims.get(sim_id)
        if not name.endswith(".wav"):
            abort(404)
        path = workspace.path(f"{AUDIO}/{sim_id}/{name}")
        if not path.is_file():
            abort(404)
        return send_file(path, mimetype="audio/wav")

    # -- NLU --------------------------------------------------------------------------------------

    @app.post("/api/nlu")
    def nlu_explain() -> Any:
        text = _json_body().get("text")
        if not isinstance(text, str) or not text.strip():
            raise WorkspaceError("type a sentence")
        if len(text) > 500:
            raise WorkspaceError("that sentence is too long (500 characters at most)")
        now = datetime.now(UTC).replace(microsecond=0)
        data = backend.nlu.explain_data(text, reference_time=now)
        data["referenceTimestamp"] = now.isoformat().replace("+00:00", "Z")
        return jsonify(data)

    @app.post("/api/nlu/cases")
    def nlu_add_case() -> Any:
        body = _json_body()
        added = add_case(workspace, backend.model, body.get("file") or CASES_FILE, body.get("utterance"),
                         body.get("intent"), body.get("slots") or {}, body.get("referenceTimestamp"))
        return jsonify(added), 201

    # -- certification ----------------------------------------------------------------------------

    @app.get("/api/certify/files")
    def certify_files() -> Any:
        return jsonify({"files": [f.to_json() for f in workspace.test_files()], "directory": str(workspace.root)})

    @app.post("/api/certify/upload")
    def certify_upload() -> Any:
        uploads = [(f.filename or "", f.read()) for f in request.files.getlist("files")]
        saved = workspace.save_uploads(uploads, settings.max_upload)
        return jsonify({"saved": [s.to_json() for s in saved]}), 201

    @app.post("/api/certify/runs")
    def certify_start() -> Any:
        body = _json_body()
        files = body.get("files")
        minimum = body.get("min_intent_accuracy", 1.0)
        if isinstance(minimum, bool) or not isinstance(minimum, (int, float)) or not 0 <= minimum <= 1:
            raise WorkspaceError("min_intent_accuracy is a number from 0 to 1")
        job = runs.start(files if isinstance(files, list) else [],
                         {"checks": body.get("checks", True) is not False, "min_intent_accuracy": float(minimum)})
        return jsonify(job.to_json()), 202

    @app.get("/api/certify/runs/<job_id>")
    def certify_job(job_id: str) -> Any:
        return jsonify(runs.get(job_id).to_json())

    @app.get("/api/certify/runs/<job_id>/<name>")
    def certify_download(job_id: str, name: str) -> Any:
        job = runs.get(job_id)
        if name not in REPORT_FILES or not (job.folder / name).is_file():
            abort(404)
        inline = name == "matrix.svg"
        return send_file(job.folder / name, mimetype=REPORT_FILES[name], as_attachment=not inline,
                         download_name=f"certify-{job.id}-{name}")

    @app.get("/api/status")
    def status() -> Any:
        return jsonify({"skill": backend.description, "locale": backend.locale, "voice": engines.status(),
                        "directory": str(workspace.root)})

    return app


def _error(message: str, status: int) -> Any:
    return jsonify({"error": message}), status


def _json_body(optional: bool = False) -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None and optional and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise WorkspaceError("send a JSON object (Content-Type: application/json)")
    return body


def _certify_runner(settings: ConsoleSettings) -> Any:
    """`voiceshop certify`'s own run, with the console's skill, model, locale and recogniser."""
    from speech.certify.results import Thresholds

    def run(files: list[Any], options: dict[str, Any], progress: Any) -> Any:
        from voiceshop.commands.certify import run_certification

        minimum = options.get("min_intent_accuracy", 1.0)
        return run_certification(
            files, Thresholds(min_intent_accuracy=minimum), endpoint=settings.endpoint,
            model_path=settings.model_path, locale=settings.locale, asr_engine=settings.asr_engine,
            rescore=settings.rescore, checks=options.get("checks", True), progress=progress,
        )

    return run
