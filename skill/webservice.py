"""The skill as a web service: `POST /alexa` for Alexa request JSON, `GET /healthz` for probes.

    app = create_app(SkillConfig(db_path=...))               # verification on, system CA bundle
    app = create_app(config, verify=False)                     # local development only

Built per process by `create_app` (nothing happens at import time), so each gunicorn worker opens
its own SQLite connections after the fork. Every error is a JSON body; a bad signature is a 400,
as Amazon expects, and a real bug is a 500 without internals (the traceback goes to the log).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from skill.config import SkillConfig
from skill.errors import StoreError
from skill.store.db import Store, describe
from skill.verifier import AlexaRequestVerifier, VerificationError, check_application_id

__all__ = ["MAX_BODY_BYTES", "BadAlexaRequest", "create_app"]

log = logging.getLogger("voiceshop.web")

MAX_BODY_BYTES = 128 * 1024
"""Alexa requests are a few KiB; anything far larger is refused with 413 before it is read."""

Invoker = Callable[[dict[str, Any]], dict[str, Any]]


class BadAlexaRequest(VerificationError):
    """The body is not JSON, or JSON that is not an Alexa request envelope."""


def create_app(
    config: SkillConfig | None = None,
    *,
    verify: bool = True,
    verifier: AlexaRequestVerifier | None = None,
    invoker: Invoker | None = None,
) -> Flask:
    """The Flask app. `verifier` and `invoker` replace the real ones (tests, benchmarks)."""
    config = config or SkillConfig.from_env()
    app = Flask("voiceshop")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    from skill.app import create_invoker, create_skill

    store = Store(config.database)
    if invoker is None:
        invoker = create_invoker(skill=create_skill(config, store=store))
    if verify and verifier is None:
        verifier = AlexaRequestVerifier()
    app.extensions["voiceshop"] = _Service(config, store, invoker, verifier if verify else None)

    app.add_url_rule("/alexa", "alexa", _alexa, methods=["POST"])
    app.add_url_rule("/healthz", "healthz", _healthz, methods=["GET"])
    from skill.oauth import install_oauth

    install_oauth(app, store)  # account linking: /oauth/authorize, /oauth/token, /oauth/revoke
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


@dataclass
class _Service:
    """What the views need, held on the app (`app.extensions`) rather than in module globals."""

    config: SkillConfig
    store: Store
    """The skill's database, one connection per thread; /healthz checks it opens."""
    invoker: Invoker
    """Alexa request dict -> response dict: the in-process skill, built once per app (per worker)."""
    verifier: AlexaRequestVerifier | None
    """None when verification is off (--insecure-dev)."""


def _service() -> _Service:
    service: _Service = current_app.extensions["voiceshop"]
    return service


def _alexa() -> Response | tuple[Response, int]:
    svc = _service()
    # The signature covers the exact bytes Amazon sent, so verify those, not a re-encoding.
    body = request.get_data(cache=False)
    try:
        envelope = _parse_envelope(body)
        if svc.verifier is not None:
            svc.verifier.verify(dict(request.headers), body, envelope)
        check_application_id(envelope, svc.config.skill_id)
    except VerificationError as exc:
        log.warning("rejected request: %s", exc.reason)
        return _error(400, type(exc).__name__, exc.reason)
    try:
        response = svc.invoker(envelope)
    except SerializationException as exc:
        # Valid JSON with the envelope's keys, but fields ask-sdk cannot read (a string where an object goes).
        return _error(400, "BadAlexaRequest", f"not a valid Alexa request: {exc}")
    return jsonify(response)


def _parse_envelope(body: bytes) -> dict[str, Any]:
    if not body:
        raise BadAlexaRequest("empty request body")
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadAlexaRequest(f"request body is not JSON: {exc}") from exc
    if not isinstance(envelope, dict):
        raise BadAlexaRequest("request body is not a JSON object")
    missing = [k for k in ("version", "context", "request") if k not in envelope]
    if missing:
        raise BadAlexaRequest(f"not an Alexa request: missing {', '.join(missing)}")
    inner = envelope["request"]
    if not isinstance(inner, dict) or not isinstance(inner.get("type"), str):
        raise BadAlexaRequest("not an Alexa request: request.type is missing")
    if not isinstance(envelope["context"], dict) or not isinstance(envelope["context"].get("System"), dict):
        raise BadAlexaRequest("not an Alexa request: context.System is missing")
    return envelope


def _healthz() -> tuple[Response, int]:
    svc = _service()
    try:
        db = svc.store.db()
        db.execute("SELECT count(*) FROM _migrations").fetchone()
    except (StoreError, OSError) as exc:
        return jsonify({"status": "error", "reason": str(exc)}), 503
    except Exception as exc:  # sqlite3.Error, psycopg.Error and friends: the database is unusable
        log.error("health check failed", exc_info=True)
        return jsonify({"status": "error", "reason": f"database check failed: {type(exc).__name__}"}), 503
    return jsonify(
        {"status": "ok", "database": describe(svc.config.database), "verification": svc.verifier is not None}
    ), 200


def _error(status: int, error: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": error, "message": message}), status


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    if isinstance(exc, RequestEntityTooLarge):
        return _error(413, "RequestEntityTooLarge", f"request body is larger than {MAX_BODY_BYTES} bytes")
    return _error(exc.code or 500, type(exc).__name__, exc.description or exc.name)


def _unexpected_error(exc: Exception) -> tuple[Response, int]:
    log.error("unhandled error serving %s %s", request.method, request.path, exc_info=exc)
    return _error(500, "InternalServerError", "the skill failed to answer; the error has been logged")
