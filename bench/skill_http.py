"""Throughput and latency of shopping turns: in process and over HTTP, against the hello-world floor.

    .venv/bin/python bench/skill_http.py            # about a minute on 2 cores
    .venv/bin/python bench/skill_http.py --quick    # shorter runs

A turn mix of a real shopping session (launch, search coffee, pick the second, add two milk, view
the cart), each request carrying the session attributes the previous turn returned, for 16 users.

1. In process: `skill.app.create_invoker` against the hello-world ask-sdk skill (bench/hello_skill.py),
   per turn type, and a profile of where a shopping turn's time goes.
2. Over HTTP on loopback: `voiceshop serve --insecure-dev --demo-accounts` and the hello skill served
   by the same gunicorn setup, loaded by wrk when installed (else a Python keep-alive client).

Targets: a shopping turn in process within 3x the floor; over HTTP >= 500 requests/s, p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import json
import logging
import os
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from hello_skill import create_hello_skill, hello_envelope, hello_invoker  # noqa: E402

from skill.app import create_invoker  # noqa: E402
from skill.config import SkillConfig  # noqa: E402

VOICESHOP = Path(sys.executable).parent / "voiceshop"
USERS = 16
TURNS: list[tuple[str, str | None, dict[str, str]]] = [
    ("LaunchRequest", None, {}),
    ("IntentRequest", "SearchProductIntent", {"product": "coffee"}),
    ("IntentRequest", "SelectItemIntent", {"position": "2"}),
    ("IntentRequest", "AddToCartIntent", {"product": "milk", "quantity": "2"}),
    ("IntentRequest", "ViewCartIntent", {}),
]
Invoker = Callable[[dict[str, Any]], dict[str, Any]]


def envelope(
    user: int, kind: str, intent: str | None, slots: dict[str, str], attributes: dict[str, Any]
) -> dict[str, Any]:
    """One Alexa request in the exact shape the Alexa service sends."""
    app = {"applicationId": "amzn1.ask.skill.voiceshop-bench"}
    user_obj = {"userId": f"amzn1.ask.account.BENCH{user:04d}"}
    request: dict[str, Any] = {
        "type": kind,
        "requestId": f"amzn1.echo-api.request.bench-{user}-{intent or kind}",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "locale": "en-US",
    }
    if intent:
        request["intent"] = {
            "name": intent,
            "confirmationStatus": "NONE",
            "slots": {n: {"name": n, "value": v, "confirmationStatus": "NONE"} for n, v in slots.items()},
        }
    return {
        "version": "1.0",
        "session": {
            "new": kind == "LaunchRequest",
            "sessionId": f"amzn1.echo-api.session.bench-{user}",
            "application": app,
            "user": user_obj,
            "attributes": attributes,
        },
        "context": {
            "System": {
                "application": app,
                "user": user_obj,
                "device": {"deviceId": f"amzn1.ask.device.BENCH{user:04d}", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
                "apiAccessToken": "bench-token",
            }
        },
        "request": request,
    }


def conversation(invoke: Invoker, user: int) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The five turns for one user, each carrying the attributes the previous answer returned."""
    attributes: dict[str, Any] = {}
    for kind, intent, slots in TURNS:
        request = envelope(user, kind, intent, slots, attributes)
        response = invoke(request)
        attributes = response.get("sessionAttributes") or {}
        yield intent or kind, request, response


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] if len(values) > 1 else values[0]


# --- a proposed faster serializer for skill/app.py, measured here ------------------------------------


def time_conversations(invoke: Invoker, seconds: float) -> dict[str, list[float]]:
    """Per-turn-type latencies (s) of whole conversations, round robin over the users, for `seconds`."""
    for user in range(USERS):  # warm up: users created, catalog loaded, caches filled
        for _ in conversation(invoke, user):
            pass
    per_turn: dict[str, list[float]] = defaultdict(list)
    last: list[float] = [0.0]

    def timed_invoke(request: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        response = invoke(request)
        last[0] = time.perf_counter() - t0
        return response

    end = time.perf_counter() + seconds
    user = 0
    while time.perf_counter() < end:
        for name, _, _ in conversation(timed_invoke, user % USERS):
            per_turn[name].append(last[0])
        user += 1
    return per_turn


def in_process(seconds: float) -> tuple[dict[str, list[float]], list[float], list[float], list[float]]:
    """Shopping turns per type, all shopping turns, the hello-world floor (ask-sdk's stock serializer),
    and the hello-world skill through Voice Shop's own invoker (`create_invoker`, the same serializer)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-skill-"))
    per_turn = time_conversations(
        create_invoker(SkillConfig(db_path=tmp / "voiceshop.db", demo_accounts=True)), seconds
    )
    shopping = [t for ts in per_turn.values() for t in ts]
    hello_turns = [hello_envelope("launch"), hello_envelope("hello")]
    floors: list[list[float]] = []
    for hello in (hello_invoker(), create_invoker(skill=create_hello_skill())):
        for turn in hello_turns * 50:
            hello(turn)
        floor: list[float] = []
        end = time.perf_counter() + seconds / 2
        while time.perf_counter() < end:
            for turn in hello_turns:
                t0 = time.perf_counter()
                hello(turn)
                floor.append(time.perf_counter() - t0)
        floors.append(floor)
    return per_turn, shopping, floors[0], floors[1]


def profile_turns(seconds: float) -> None:
    """Where a shopping turn's time goes, grouped by layer, and the top functions by own time."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    invoke = create_invoker(SkillConfig(db_path=tmp / "voiceshop.db", demo_accounts=True))
    for user in range(USERS):
        for _ in conversation(invoke, user):
            pass
    profiler = cProfile.Profile()
    turns = 0
    end = time.perf_counter() + seconds
    profiler.enable()
    while time.perf_counter() < end:
        for _ in conversation(invoke, turns % USERS):
            turns += 1
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    layers: dict[str, float] = defaultdict(float)
    for (filename, _, func), (_, _, tottime, _, _) in raw.items():
        layers[_layer(filename, func)] += tottime
    total = sum(layers.values())
    print(
        f"\nprofile of {turns} shopping turns in process ({total / turns * 1e3:.3f} ms a turn under the profiler):"
    )
    for layer, t in sorted(layers.items(), key=lambda kv: -kv[1]):
        print(f"  {layer:<44} {t / total:6.1%}  {t / turns * 1e3:7.3f} ms/turn")
    print("  cumulative, per turn:")
    for label, pattern in [
        ("ask-sdk deserialize (JSON -> model objects)", ("ask_sdk_core/serialize.py", "deserialize")),
        ("ask-sdk serialize (model objects -> JSON)", ("ask_sdk_core/serialize.py", "serialize")),
        ("skill.invoke (interceptors + handlers)", ("ask_sdk_core/skill.py", "invoke")),
        ("request interceptors", ("skill/app.py", "process")),
    ]:
        cum = sum(v[3] for k, v in raw.items() if k[0].endswith(pattern[0]) and k[2] == pattern[1])
        print(f"    {label:<46} {cum / turns * 1e3:7.3f} ms")


def _layer(filename: str, func: str) -> str:
    f = filename.replace("\\", "/")
    if "ask_sdk_core/serialize" in f or "ask_sdk_model" in f or "/six.py" in f:
        return "ask-sdk model (de)serialisation"
    if "dateutil" in f:
        return "dateutil (ask-sdk parsing the timestamp)"
    if f.endswith("copy.py"):
        return "deepcopy (ask-sdk session attributes)"
    if f.endswith("string.py") or f.endswith("random.py") or "Random" in func:
        return "prompts (YAML, SSML escaping)"
    if "ask_sdk" in f:
        return "ask-sdk dispatch"
    if "sqlite_utils" in f or "sqlite3" in func or "sqlite3" in f:
        return "SQLite (sqlite3 + sqlite-utils)"
    if "/skill/services" in f or "/skill/store" in f:
        return "skill services + store (Python)"
    if "/skill/handlers" in f:
        return "skill handlers"
    if "/skill/prompts" in f or "yaml" in f or "saxutils" in f:
        return "prompts (YAML, SSML escaping)"
    if "/skill/" in f:
        return "skill app wiring (interceptors)"
    if "json" in f or "json" in func:
        return "json"
    if "rapidfuzz" in f:
        return "rapidfuzz"
    if f == "~":
        return "builtins (isinstance, getattr, __import__...)"
    return "python stdlib / other"


# --- the web layer's own cost, in process -------------------------------------------------------------


def web_layer_cost(seconds: float) -> None:
    """Flask around the hello skill (no sockets), and request verification with a cached chain."""
    import io

    from skill.webservice import create_app

    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    invoke = hello_invoker()
    app = create_app(SkillConfig(db_path=tmp / "unused.db"), verify=False, invoker=invoke)
    body = json.dumps(hello_envelope("hello")).encode()
    base = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/alexa",
        "SERVER_NAME": "bench",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.errors": sys.stderr,
    }

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
        return lambda data: None  # the body comes back from wsgi_app; nothing is written on the side

    def through_flask() -> None:
        environ = {**base, "wsgi.input": io.BytesIO(body)}
        b"".join(app.wsgi_app(environ, start_response))

    def direct() -> None:
        json.dumps(invoke(json.loads(body)))

    flask_ms = _per_call_ms(through_flask, seconds / 3)
    direct_ms = _per_call_ms(direct, seconds / 3)
    verify_ms = _verify_cost_ms(body, seconds / 3)
    print("\nweb layer in process (hello skill, no sockets):")
    print(f"  invoker + json                 {direct_ms:7.3f} ms")
    print(f"  through Flask create_app       {flask_ms:7.3f} ms   (Flask adds {flask_ms - direct_ms:.3f} ms)")
    print(
        f"  request verification, cached chain: {verify_ms:.3f} ms a request (URL check, RSA-2048 verify, timestamp)"
    )


def _per_call_ms(fn: Callable[[], None], seconds: float) -> float:
    for _ in range(200):
        fn()
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn()
        n += 1
    return (time.perf_counter() - t0) / n * 1e3


def _verify_cost_ms(body: bytes, seconds: float) -> float:
    """A throwaway CA and signing certificate, as in tests/skill/conftest.py, to time `AlexaRequestVerifier.verify`."""
    import base64
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from skill.verifier import AlexaRequestVerifier

    now = datetime.now(UTC)
    ca_key, key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench root")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "echo-api")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("echo-api.amazon.com")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    verifier = AlexaRequestVerifier(fetcher=lambda url: leaf.public_bytes(Encoding.PEM), roots=[ca])
    request = json.loads(body)
    request["request"]["timestamp"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    body = json.dumps(request).encode()
    headers = {
        "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "Signature-256": base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode(),
    }
    return _per_call_ms(lambda: verifier.verify(headers, body, request), seconds)


# --- over HTTP ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(command: list[str], port: int, log: Path) -> Iterator[None]:
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"server exited early: {' '.join(command)}\n{log.read_text()[-2000:]}")
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    conn.request("GET", "/healthz")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {' '.join(command)}")
                time.sleep(0.1)
            yield
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def http_bodies(make: Callable[[], list[dict[str, Any]]]) -> list[bytes]:
    return [json.dumps(r).encode() for r in make()]


def shopping_requests() -> list[dict[str, Any]]:
    """The shopping mix with realistic session attributes, taken from a run in process."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-bodies-"))
    invoke = create_invoker(SkillConfig(db_path=tmp / "voiceshop.db", demo_accounts=True))
    return [request for user in range(USERS) for _, request, _ in conversation(invoke, user)]


def hello_requests() -> list[dict[str, Any]]:
    return [hello_envelope("launch"), hello_envelope("hello")]


def load_wrk(port: int, bodies: list[bytes], seconds: float, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        items = ",\n".join("[==[" + b.decode() + "]==]" for b in bodies)
        script.write(
            "local bodies = {\n" + items + "\n}\nlocal i = 0\n"
            "local headers = {['Content-Type'] = 'application/json'}\n"
            "request = function()\n  i = i + 1\n"
            "  return wrk.format('POST', '/alexa', headers, bodies[(i % #bodies) + 1])\nend\n"
        )
    out = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{seconds:.0f}s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {p: _ms(re.search(rf"^\s+{p}%\s+([\d.]+\w+)", out, re.M).group(1)) for p in (50, 99)}  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    return {
        "rps": rps,
        "p50": lat[50],
        "p99": lat[99],
        "non_2xx": float(bad.group(1)) if bad else 0.0,
        "socket_errors": 1.0 if errors else 0.0,
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def _client(port: int, bodies: list[bytes], count: int, threads: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def worker(offset: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        for i in range(offset, count, threads):
            body = bodies[i % len(bodies)]
            t0 = time.perf_counter()
            conn.request("POST", "/alexa", body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - t0)
            bad += response.status != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, errors


def load_python(port: int, bodies: list[bytes], requests_total: int, connections: int) -> dict[str, float]:
    """Keep-alive http.client connections in 2 processes (the GIL would make one the bottleneck)."""
    per_process = requests_total // 2
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_client, [port] * 2, [bodies] * 2, [per_process] * 2, [connections // 2] * 2))
    wall = time.perf_counter() - t0
    latencies = [x for lat, _ in results for x in lat]
    return {
        "rps": len(latencies) / wall,
        "p50": pct(latencies, 50) * 1e3,
        "p99": pct(latencies, 99) * 1e3,
        "non_2xx": float(sum(e for _, e in results)),
        "socket_errors": 0.0,
    }


def over_http(seconds: float, connections: int, workers: int) -> dict[str, dict[str, float]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-http-"))
    use_wrk = shutil.which("wrk") is not None
    results: dict[str, dict[str, float]] = {}
    servers = {
        "shopping (voiceshop serve)": (
            [
                str(VOICESHOP),
                "serve",
                "--insecure-dev",
                "--demo-accounts",
                "--db",
                str(tmp / "voiceshop.db"),
                "--workers",
                str(workers),
                "--port",
                "{port}",
            ],
            http_bodies(shopping_requests),
        ),
        "hello world (same Flask + gunicorn)": (
            [
                sys.executable,
                str(REPO / "bench" / "hello_skill.py"),
                "--serve",
                "--workers",
                str(workers),
                "--port",
                "{port}",
            ],
            http_bodies(hello_requests),
        ),
        "hello world (bare WSGI, same gunicorn)": (
            [
                sys.executable,
                str(REPO / "bench" / "hello_skill.py"),
                "--serve",
                "--bare",
                "--workers",
                str(workers),
                "--port",
                "{port}",
            ],
            http_bodies(hello_requests),
        ),
    }
    for name, (command, bodies) in servers.items():
        port = free_port()
        command = [c.replace("{port}", str(port)) for c in command]
        with running(command, port, tmp / f"{len(results)}.log"):
            # warm-up: every worker opens its database and loads prompts before the clock starts
            _client(port, bodies, 4 * len(bodies), 4)
            if use_wrk:
                results[name] = load_wrk(port, bodies, seconds, connections)
            else:
                results[name] = load_python(port, bodies, int(400 * seconds), connections)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nover HTTP on loopback (machine load average {load} on {os.cpu_count()} cores: other work skews these; "
        f"{workers} gunicorn workers x 4 threads, {connections} keep-alive connections, "
        f"{'wrk' if use_wrk else 'Python http.client'} load, {seconds:.0f} s each):"
    )
    for name, r in results.items():
        print(
            f"  {name:<40} {r['rps']:8,.0f} req/s   p50 {r['p50']:6.2f} ms   p99 {r['p99']:6.2f} ms"
            f"   non-200: {r['non_2xx']:.0f}"
        )
    return results


def main(argv: list[str] | None = None) -> None:
    # The skill logs each unhandled turn with its traceback; kept out of the figures and the screen.
    logging.disable(logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args(argv)
    seconds = 3.0 if args.quick else 8.0

    per_turn, shopping, floor, fast = in_process(seconds)
    floor_ms = statistics.fmean(floor) * 1e3
    shop_ms = statistics.fmean(shopping) * 1e3
    print(f"in process ({len(shopping)} shopping turns, {len(floor)} hello-world turns):")
    for name, ts in per_turn.items():
        print(
            f"  {name:<28} mean {statistics.fmean(ts) * 1e3:7.3f} ms   p50 {pct(ts, 50) * 1e3:7.3f} ms"
            f"   p99 {pct(ts, 99) * 1e3:7.3f} ms"
        )
    print(
        f"  {'shopping mix':<28} mean {shop_ms:7.3f} ms   p50 {pct(shopping, 50) * 1e3:7.3f} ms"
        f"   p99 {pct(shopping, 99) * 1e3:7.3f} ms   {1e3 / shop_ms:8,.0f} turns/s"
    )
    print(
        f"  {'hello-world floor':<28} mean {floor_ms:7.3f} ms   p50 {pct(floor, 50) * 1e3:7.3f} ms"
        f"   p99 {pct(floor, 99) * 1e3:7.3f} ms   {1e3 / floor_ms:8,.0f} turns/s"
    )
    fast_ms = statistics.fmean(fast) * 1e3
    print(
        f"  {'hello-world, our invoker':<28} mean {fast_ms:7.3f} ms   p50 {pct(fast, 50) * 1e3:7.3f} ms"
        f"   p99 {pct(fast, 99) * 1e3:7.3f} ms   {1e3 / fast_ms:8,.0f} turns/s"
    )
    # The median is the figure to judge by on a shared machine: means and p99 carry other processes' stalls.
    ratio = pct(shopping, 50) / pct(floor, 50)
    print(
        f"  ratio shopping/floor: p50 {ratio:.1f}x, mean {shop_ms / floor_ms:.1f}x "
        f"(target <= 3x on p50: {'MET' if ratio <= 3 else 'NOT MET'}); against the hello-world skill "
        f"through our own invoker: p50 {pct(shopping, 50) / pct(fast, 50):.1f}x, mean {shop_ms / fast_ms:.1f}x"
    )
    profile_turns(2.0 if args.quick else 4.0)
    web_layer_cost(seconds / 2)

    if not args.no_http:
        results = over_http(seconds, args.connections, args.workers)
        shop = results["shopping (voiceshop serve)"]
        hello = results["hello world (same Flask + gunicorn)"]
        print(f"  ratio hello/shopping throughput: {hello['rps'] / shop['rps']:.1f}x")
        met = shop["rps"] >= 500 and shop["p99"] < 50
        print(
            f"  target >= 500 req/s with p99 < 50 ms on {os.cpu_count()} cores: {'MET' if met else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
