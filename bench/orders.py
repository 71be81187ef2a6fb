"""Orders placed per second, end to end, and what 100 concurrent duplicate confirmations create.

    .venv/bin/python bench/orders.py [--orders 60] [--http-orders 40] [--servers 2,4] [--no-http]
                                     [--db sqlite|postgresql|both|URL]

One order is the whole spoken checkout as Alexa sends it: "check out", "tomorrow afternoon", "yes",
"one two three four" (the voice code is checked with scrypt, on purpose slow), on a cart filled
through the cart service. Figures: orders per second, and p50/p99 of the whole dialog and of the
confirming request alone (the one that takes stock, books the slot, charges and commits).

In process: `skill.app.create_invoker`, sequential. Over HTTP: 2, then 4, `voiceshop serve` processes
on loopback (1 worker x 4 threads each) sharing one database, 8 shoppers at once spread over them.
Then 100 threads send the same confirming request at once (over HTTP: spread over two servers): the
orders and charges created must be 1 and 1. `--db` picks the database (bench/databases.py).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests

from skill.app import create_invoker
from skill.clock import SystemClock
from skill.config import SkillConfig
from skill.services.cart import CartService
from skill.services.catalog import CatalogService
from skill.services.delivery import DeliveryService
from skill.store.db import open_database
from speech.envelope import Caller, SessionInfo, intent_json, intent_request, launch_request

sys.path.insert(0, str(Path(__file__).resolve().parent))
from databases import Target, add_db_option, databases  # noqa: E402

APP = "amzn1.ask.skill.00000000-0000-0000-0000-00000000b0b0"
Invoke = Callable[[dict[str, Any]], dict[str, Any]]


def _slot(name: str, value: str) -> dict[str, Any]:
    return {"name": name, "value": value, "confirmationStatus": "NONE"}


class Dialog:
    """One shopper's session against an endpoint."""

    def __init__(self, invoke: Invoke, user_id: str) -> None:
        self.invoke = invoke
        self.caller = Caller(user_id, APP, "amzn1.ask.device.BENCH")
        self.session = SessionInfo.start()

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        response = self.invoke(envelope)
        self.session.new = False
        self.session.attributes = response.get("sessionAttributes") or {}
        return response

    def envelope(self, intent: str, **slots: str) -> dict[str, Any]:
        filled = {k: _slot(k, v) for k, v in slots.items()}
        return intent_request(
            self.caller, self.session, intent_json(None, intent, filled), locale="en-US", now=datetime.now()
        )

    def launch(self) -> None:
        self.send(launch_request(self.caller, self.session, locale="en-US", now=datetime.now(UTC)))

    def to_code(self, day: str) -> None:
        # Each request carries the session attributes the previous response returned.
        self.send(self.envelope("CheckoutIntent"))
        self.send(self.envelope("ScheduleDeliveryIntent", date=day, timeSlot="afternoon"))
        self.send(self.envelope("AMAZON.YesIntent"))
        pending = (self.session.attributes.get("pending") or {}).get("kind")
        if pending != "voice_code":
            said = self.session.attributes.get("last_speech")
            raise SystemExit(f"checkout did not reach the voice code (pending {pending}): {said}")


def _tomorrow(config: SkillConfig) -> str:
    return (datetime.now(ZoneInfo(config.timezone)) + timedelta(days=1)).date().isoformat()


def _prepare(config: SkillConfig, users: list[str], invoke: Invoke) -> None:
    for user in users:
        Dialog(invoke, user).launch()  # the demo profile
    db = open_database(config.database)
    DeliveryService(db, SystemClock(), config).ensure_slots()
    db.execute("UPDATE products SET stock = 1000000 WHERE sku IN ('MILK-001', 'EGGS-001')")
    db.execute("UPDATE delivery_slots SET capacity = 1000000")
    db.close()


def _one_order(invoke: Invoke, cart: CartService, user: str, day: str) -> tuple[float, float]:
    """(seconds for the whole dialog, seconds for the confirming request)."""
    start = time.perf_counter()
    cart.add(user, "MILK-001", 2)
    cart.add(user, "EGGS-001", 1)
    dialog = Dialog(invoke, user)
    dialog.to_code(day)
    confirm_start = time.perf_counter()
    response = dialog.send(dialog.envelope("ProvideVoiceCodeIntent", voiceCode="1234"))
    end = time.perf_counter()
    if "order is placed" not in response["response"]["outputSpeech"]["ssml"]:
        raise SystemExit("an order was not placed: " + response["response"]["outputSpeech"]["ssml"])
    return end - start, end - confirm_start


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _report(label: str, n: int, wall: float, whole: list[float], confirm: list[float]) -> None:
    print(
        f"{label}: {n} orders in {wall:.2f} s = {n / wall:.1f} orders/s; "
        f"dialog p50 {1000 * statistics.median(whole):.0f} ms p99 {1000 * _pct(whole, 0.99):.0f} ms; "
        f"confirming request p50 {1000 * statistics.median(confirm):.0f} ms p99 {1000 * _pct(confirm, 0.99):.0f} ms"
    )


def _run(invokes: list[Invoke], config: SkillConfig, n: int, shoppers: int, label: str) -> None:
    """`shoppers` at once, shopper i talking to `invokes[i % len(invokes)]` (a server each)."""
    users = [f"amzn1.ask.account.BENCH-{label.replace(' ', '-')}-{i}" for i in range(shoppers)]
    _prepare(config, users, invokes[0])
    day = _tomorrow(config)
    whole: list[float] = []
    confirm: list[float] = []
    lock = threading.Lock()
    per_shopper = [n // shoppers + (1 if i < n % shoppers else 0) for i in range(shoppers)]

    failures: list[BaseException] = []

    def shop(i: int, user: str, count: int) -> None:
        db = open_database(config.database)
        cart = CartService(db, SystemClock(), catalog=CatalogService(db))
        invoke = invokes[i % len(invokes)]
        try:
            for _ in range(count):
                w, c = _one_order(invoke, cart, user, day)
                with lock:
                    whole.append(w)
                    confirm.append(c)
        except BaseException as exc:  # SystemExit too: a thread would swallow it
            failures.append(exc)

    start = time.perf_counter()
    threads = [
        threading.Thread(target=shop, args=(i, u, k))
        for i, (u, k) in enumerate(zip(users, per_shopper, strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"{label}: {failures[0]}")
    _report(label, n, time.perf_counter() - start, whole, confirm)


def _duplicates(invokes: list[Invoke], config: SkillConfig, label: str, copies: int = 100) -> None:
    """`copies` threads send one confirming request at once, copy j to `invokes[j % len(invokes)]`."""
    user = f"amzn1.ask.account.BENCH-DUP-{label.replace(' ', '-')}"
    _prepare(config, [user], invokes[0])
    db = open_database(config.database)
    CartService(db, SystemClock(), catalog=CatalogService(db)).add(user, "MILK-001", 1)
    dialog = Dialog(invokes[0], user)
    dialog.to_code(_tomorrow(config))
    confirm = dialog.envelope("ProvideVoiceCodeIntent", voiceCode="1234")
    barrier = threading.Barrier(copies)
    errors: list[BaseException] = []

    def send(j: int) -> None:
        barrier.wait()
        try:
            invokes[j % len(invokes)](confirm)
        except BaseException as exc:
            errors.append(exc)

    start = time.perf_counter()
    threads = [threading.Thread(target=send, args=(j,)) for j in range(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    orders = db.execute("SELECT COUNT(*) FROM orders WHERE user_id = ?", (user,)).fetchone()[0]
    charges = db.execute(
        "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'charge' AND status = 'succeeded'", (user,)
    ).fetchone()[0]
    verdict = "OK" if orders == 1 and charges == 1 and not errors else "WRONG"
    print(
        f"{label}: {copies} concurrent duplicate confirmations in {wall:.2f} s -> "
        f"orders {orders}, charges {charges}, errors {len(errors)} [{verdict}]"
    )


def _serve(db: Target, workers: int = 1, threads: int = 4) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    voiceshop = Path(sys.executable).parent / "voiceshop"
    process = subprocess.Popen(
        [
            str(voiceshop),
            "serve",
            "--insecure-dev",
            "--demo-accounts",
            "--db",
            str(db),
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                return process, url + "/alexa"
        except requests.ConnectionError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit("voiceshop serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=60, help="orders placed in process")
    parser.add_argument("--http-orders", type=int, default=40, help="orders placed over HTTP, per server count")
    parser.add_argument("--servers", default="2,4", help="server counts to measure over HTTP")
    parser.add_argument("--shoppers", type=int, default=8, help="shoppers at once over HTTP")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP figures")
    add_db_option(parser)
    args = parser.parse_args()
    counts = [int(n) for n in args.servers.split(",") if n.strip()]
    print(f"machine: {os.cpu_count()} cores (shared with whatever else runs: figures are noisy)")
    with tempfile.TemporaryDirectory() as tmp, databases(args.db, Path(tmp)) as chosen:
        for label, fresh in chosen:
            config = SkillConfig(db_path=fresh("voiceshop_orders"), demo_accounts=True)  # type: ignore[arg-type]
            invoke = create_invoker(config)
            _run([invoke], config, args.orders, 1, f"{label} in-process")
            _duplicates([invoke], config, f"{label} in-process")
            if args.no_http or not (Path(sys.executable).parent / "voiceshop").exists():
                continue
            for count in counts:
                _over_http(config, count, args, label)


def _over_http(config: SkillConfig, count: int, args: argparse.Namespace, label: str) -> None:
    open_database(config.database).close()  # migrated once, before the servers start
    servers = [_serve(config.database) for _ in range(count)]
    local = threading.local()

    def poster(url: str) -> Invoke:
        def post(envelope: dict[str, Any]) -> dict[str, Any]:
            s = getattr(local, url, None) or requests.Session()
            setattr(local, url, s)
            return s.post(url, json=envelope, timeout=60).json()

        return post

    posts = [poster(url) for _, url in servers]
    try:
        _run(posts, config, args.http_orders, args.shoppers, f"{label} http {count} servers")
        if count == 2:
            _duplicates(posts, config, f"{label} http 2 servers")
    finally:
        for process, _ in servers:
            os.killpg(process.pid, signal.SIGTERM)
        for process, _ in servers:
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
