"""The floor: a hello-world ask-sdk-core skill (LaunchRequest and one intent), nothing else.

Used by bench/skill_http.py to show what ask-sdk, Flask and gunicorn cost before any shopping
logic runs. Three forms:

    hello_invoker()          dict -> dict, the same JSON path as skill.app.create_invoker
    hello_wsgi               a bare WSGI app (no Flask), for the web layer's own cost
    python bench/hello_skill.py                     # prints in-process turns per second
    python bench/hello_skill.py --serve --port P    # served by the gunicorn setup of `voiceshop serve`
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import RequestEnvelope, Response

Invoker = Callable[[dict[str, Any]], dict[str, Any]]


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello. Say hello.").ask("Say hello.").response


class HelloWorldIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("HelloWorldIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello world!").set_should_end_session(True).response


def create_hello_skill() -> CustomSkill:
    builder = SkillBuilder()
    builder.add_request_handler(LaunchRequestHandler())
    builder.add_request_handler(HelloWorldIntentHandler())
    return builder.create()


def hello_invoker() -> Invoker:
    """Request JSON -> response JSON through ask-sdk, exactly as `create_invoker` does it."""
    skill = create_hello_skill()
    serializer = DefaultSerializer()

    def invoke(request: dict[str, Any]) -> dict[str, Any]:
        envelope = serializer.deserialize(json.dumps(request), RequestEnvelope)
        response = skill.invoke(request_envelope=envelope, context=None)
        out = serializer.serialize(response)
        assert isinstance(out, dict)  # a response envelope serialises to a JSON object
        return out

    return invoke


_wsgi_invoker: Invoker | None = None


def hello_wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """A bare WSGI app around the hello skill: no Flask, no verification, no error pages."""
    global _wsgi_invoker
    if _wsgi_invoker is None:
        _wsgi_invoker = hello_invoker()
    if environ.get("REQUEST_METHOD") == "GET":  # /healthz, so the bench knows it is up
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "15")])
        return [b'{"status":"ok"}']
    length = int(environ.get("CONTENT_LENGTH") or 0)
    request = json.loads(environ["wsgi.input"].read(length))
    body = json.dumps(_wsgi_invoker(request)).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def hello_envelope(kind: str, user: str = "amzn1.ask.account.HELLO") -> dict[str, Any]:
    """An Alexa request for the hello skill, in the exact Alexa JSON shape."""
    app = {"applicationId": "amzn1.ask.skill.hello"}
    request: dict[str, Any] = {
        "type": "LaunchRequest" if kind == "launch" else "IntentRequest",
        "requestId": "amzn1.echo-api.request.hello",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "locale": "en-US",
    }
    if kind != "launch":
        request["intent"] = {"name": "HelloWorldIntent", "confirmationStatus": "NONE", "slots": {}}
    return {
        "version": "1.0",
        "session": {
            "new": kind == "launch",
            "sessionId": "amzn1.echo-api.session.hello",
            "application": app,
            "user": {"userId": user},
            "attributes": {},
        },
        "context": {
            "System": {
                "application": app,
                "user": {"userId": user},
                "device": {"deviceId": "amzn1.ask.device.HELLO", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
                "apiAccessToken": "hello-token",
            }
        },
        "request": request,
    }


def serve(port: int, workers: int, threads: int, bare: bool) -> None:
    """Serve the hello skill with `voiceshop serve`'s gunicorn settings (Flask app, or bare WSGI)."""
    from skill.config import SkillConfig
    from voiceshop.commands.serve import EmbeddedApplication, gunicorn_options

    db = Path(tempfile.mkdtemp(prefix="hello-skill-")) / "unused.db"

    def build() -> Any:
        if bare:
            return hello_wsgi
        from skill.webservice import create_app

        return create_app(SkillConfig(db_path=db), verify=False, invoker=hello_invoker())

    options = gunicorn_options("127.0.0.1", port, workers=workers, threads=threads)
    options["proc_name"] = "hello-skill"
    EmbeddedApplication(options, build).run()


def measure_in_process(seconds: float = 3.0) -> list[float]:
    """Per-turn latencies (s) of launch + hello turns, for `seconds`."""
    invoke = hello_invoker()
    turns = [hello_envelope("launch"), hello_envelope("hello")]
    for turn in turns * 20:  # warm up
        invoke(turn)
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for turn in turns:
            t0 = time.perf_counter()
            invoke(turn)
            latencies.append(time.perf_counter() - t0)
    return latencies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="serve over HTTP with gunicorn")
    parser.add_argument("--bare", action="store_true", help="serve the bare WSGI app instead of Flask")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.port, args.workers, args.threads, args.bare)
        return
    lat = measure_in_process()
    print(
        f"hello skill in process: {len(lat) / sum(lat):,.0f} turns/s, "
        f"p50 {statistics.median(lat) * 1e3:.3f} ms, p99 {statistics.quantiles(lat, n=100)[98] * 1e3:.3f} ms"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
