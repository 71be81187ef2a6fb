"""A repeated or concurrent confirming request places one order and charges once; stock never goes
below zero; a process killed while placing an order leaves all of it or none of it.

Threads share one invoker (each thread its own SQLite connection); processes are real `voiceshop
serve` servers on loopback, or a child Python process killed with SIGKILL.
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from skill.clock import SystemClock
from skill.config import SkillConfig
from skill.services.accounts import AccountService
from skill.services.cart import CartService
from skill.services.catalog import CatalogService
from skill.store.db import open_database
from tests.support.paths import REPO
from tests.support.skill import USER, Shop, Shopper, checkout_to_code, make_shop

pytestmark = pytest.mark.both_stores

VOICESHOP = Path(sys.executable).parent / "voiceshop"
CHILD = "tests.fixtures.orders.place_order_child"


def _all_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together by a barrier; results in order (exceptions re-raised)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # handed back to the test thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results


def _speech(response: dict[str, Any]) -> str:
    return str(response["response"]["outputSpeech"]["ssml"])


def _receipt(response: dict[str, Any]) -> str:
    """The receipt card's title, which names the order (the speech does not read its number)."""
    return str((response["response"].get("card") or {}).get("title", ""))


def test_concurrency_same_confirming_request_twice_one_order_one_charge(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 2})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    confirm = shopper.envelope("ProvideVoiceCodeIntent", voiceCode="1234")
    first = shop.invoke(confirm)
    second = shop.invoke(confirm)
    assert shop.orders() == 1 and shop.charges() == 1
    order_id = shop.db.execute("SELECT order_id FROM orders").fetchone()[0]
    assert order_id in _receipt(first) and order_id in _receipt(second)
    assert shop.stock("MILK-001") == 35 - 2
    assert shop.count("SELECT booked FROM delivery_slots WHERE slot_id = '2026-11-28-morning'") == 1


def test_concurrency_same_yes_twice_without_voice_code(shop: Shop) -> None:
    AccountService(shop.db, shop.clock, shop.config).set_voice_purchasing(USER, False)
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    yes = shopper.envelope("AMAZON.YesIntent")
    shop.invoke(yes)
    shop.invoke(yes)
    assert shop.orders() == 1 and shop.charges() == 1


def test_concurrency_eight_threads_same_confirmation_one_order_one_charge(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 3})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    confirm = shopper.envelope("ProvideVoiceCodeIntent", voiceCode="1234")
    responses = _all_at_once([lambda: shop.invoke(confirm) for _ in range(8)])
    assert shop.orders() == 1 and shop.charges() == 1
    order_id = shop.db.execute("SELECT order_id FROM orders").fetchone()[0]
    assert all(order_id in _receipt(r) for r in responses)
    assert shop.stock("MILK-001") == 35 - 3
    assert shop.count("SELECT SUM(booked) FROM delivery_slots") == 1


def test_concurrency_last_item_never_goes_below_zero(shop: Shop) -> None:
    users = [f"amzn1.ask.account.LAST-ITEM-{i}" for i in range(6)]
    shop.set_stock("BRED-001", 6)
    shoppers: list[Shopper] = []
    for user in users:
        shopper = shop.shopper(user)
        shopper.launch()
        AccountService(shop.db, shop.clock, shop.config).set_voice_purchasing(user, False)
        shop.fill_cart(user, {"BRED-001": 1})
        shopper.say("CheckoutIntent")
        shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
        assert shopper.pending == "confirm_order"
        shoppers.append(shopper)
    shop.set_stock("BRED-001", 1)  # everyone else bought the rest meanwhile
    yeses = [s.envelope("AMAZON.YesIntent") for s in shoppers]
    responses = _all_at_once([functools.partial(shop.invoke, e) for e in yeses])
    placed = [r for r in responses if "your order is placed" in _speech(r)]
    sold_out = [r for r in responses if "just sold out" in _speech(r)]
    assert len(placed) == 1 and len(sold_out) == 5
    assert shop.stock("BRED-001") == 0
    assert shop.count("SELECT COUNT(*) FROM orders") == 1
    assert shop.count("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND status = 'succeeded'") == 1


# -- two real server processes on one database file --------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_servers(db_path: Path) -> Iterator[list[str]]:
    open_database(db_path).conn.close()  # created and migrated once, before either server starts
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    try:
        for _ in range(2):
            port = _free_port()
            processes.append(
                subprocess.Popen(
                    [
                        str(VOICESHOP),
                        "serve",
                        "--insecure-dev",
                        "--demo-accounts",
                        "--db",
                        str(db_path),
                        "--port",
                        str(port),
                        "--workers",
                        "1",
                        "--threads",
                        "8",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        for url in urls:
            while True:
                try:
                    if requests.get(url + "/healthz", timeout=2).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server at {url} did not start")
                time.sleep(0.2)
        yield [u + "/alexa" for u in urls]
    finally:
        for p in processes:
            os.killpg(p.pid, signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


@pytest.mark.slow  # two gunicorn processes
def test_concurrency_two_server_processes_one_order_one_charge(db_path: Path, two_servers: list[str]) -> None:
    def post(url: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        return lambda envelope: requests.post(url, json=envelope, timeout=60).json()

    first, second = two_servers
    shopper = Shopper(post(first), SystemClock(), user_id="amzn1.ask.account.TWO-SERVERS")
    shopper.launch()  # the demo profile, made by the first server
    config = SkillConfig(db_path=db_path, demo_accounts=True)
    db = open_database(db_path)
    CartService(db, SystemClock(), catalog=CatalogService(db)).add(shopper.user_id, "MILK-001", 2)
    tomorrow = (datetime.now(ZoneInfo(config.timezone)) + timedelta(days=1)).date().isoformat()
    checkout_to_code(shopper, (tomorrow, "afternoon"))
    confirm = shopper.envelope("ProvideVoiceCodeIntent", voiceCode="1234")
    senders = [post(first), post(second)] * 4
    responses = _all_at_once([functools.partial(s, confirm) for s in senders])
    orders = db.execute("SELECT order_id FROM orders WHERE user_id = ?", (shopper.user_id,)).fetchall()
    assert len(orders) == 1
    charges = db.execute(
        "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'charge' AND status = 'succeeded'",
        (shopper.user_id,),
    ).fetchone()[0]
    assert charges == 1
    assert all(orders[0][0] in _receipt(r) for r in responses)


# -- SIGKILL in the middle of placing an order ---------------------------------------------------


def _child(db_path: Path, marker: Path, mode: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", CHILD, str(db_path), str(marker), mode],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for(marker: Path, child: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not marker.exists():
        if child.poll() is not None:
            raise AssertionError(
                f"child exited early: {child.stderr.read().decode() if child.stderr else ''}"
            )
        if time.monotonic() > deadline:
            child.kill()
            raise AssertionError("child never reached the marker")
        time.sleep(0.02)


@pytest.mark.slow  # a child process killed mid-transaction
def test_concurrency_sigkill_inside_the_order_transaction_leaves_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "charged"
    child = _child(db_path, marker, "hang")
    _wait_for(marker, child)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    db = open_database(db_path)
    # The charge, the order, its items and events, the stock and the slot were all written: none of it stays.
    assert db.execute("SELECT COUNT(*) FROM ledger").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM order_items").fetchone()[0] == 0
    assert db.execute("SELECT COALESCE(SUM(booked), 0) FROM delivery_slots").fetchone()[0] == 0
    assert db.execute("SELECT stock FROM products WHERE sku = 'MILK-001'").fetchone()[0] == 35
    assert db.execute("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", (USER,)).fetchone()[0] == 2
    # The database is usable at once: the same checkout goes through in this process (the child
    # turned the voice code off, so the yes places the order).
    shop = make_shop(SkillConfig(db_path=db_path, demo_accounts=True))
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    assert "your order is placed" in shopper.yes()
    assert shop.orders() == 1 and shop.charges() == 1


@pytest.mark.slow
def test_concurrency_sigkill_at_random_points_keeps_orders_whole(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    db.execute("UPDATE products SET stock = 100000 WHERE sku IN ('MILK-001', 'EGGS-001')")
    killed_after = [0.05, 0.2, 0.45]
    for i, delay in enumerate(killed_after):
        marker = tmp_path / f"placed-{i}"
        child = _child(db_path, marker, "loop")
        _wait_for(marker, child)
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    orders = db.execute("SELECT order_id, status, total_cents, charge_id FROM orders").fetchall()
    assert len(orders) >= len(killed_after)
    for order_id, status, total, charge_id in orders:
        assert status == "CONFIRMED"
        charges = db.execute(
            "SELECT id, amount_cents FROM ledger WHERE order_id = ? AND kind = 'charge' AND status = 'succeeded'",
            (order_id,),
        ).fetchall()
        assert len(charges) == 1 and charges[0][1] == total and charge_id == f"ch_{charges[0][0]}"
        assert (
            db.execute("SELECT COUNT(*) FROM order_items WHERE order_id = ?", (order_id,)).fetchone()[0] == 2
        )
    assert (
        db.execute("SELECT COUNT(*) FROM ledger WHERE order_id IS NULL AND status = 'succeeded'").fetchone()[
            0
        ]
        == 0
    )
    for sku in ("MILK-001", "EGGS-001"):
        sold = db.execute("SELECT SUM(quantity) FROM order_items WHERE sku = ?", (sku,)).fetchone()[0]
        assert db.execute("SELECT stock FROM products WHERE sku = ?", (sku,)).fetchone()[0] == 100000 - sold
    assert db.execute("SELECT SUM(booked) FROM delivery_slots").fetchone()[0] == len(orders)
