"""Helpers for the checkout, order, delivery, payment and account tests: a shopper who talks to the
skill with real Alexa request envelopes (`speech.envelope`) through `skill.app.create_invoker`, a
FixedClock, and a real SQLite file.

Not a conftest.py (tests/skill/conftest.py belongs to the catalog and cart tests): each test module
imports `tests.skill.order_conftest`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from skill.app import create_invoker
from skill.clock import Clock, FixedClock
from skill.config import SkillConfig
from skill.services.cart import CartService
from skill.services.catalog import CatalogService
from skill.store.db import Database, open_database
from speech.envelope import Caller, SessionInfo, intent_json, intent_request, launch_request
from tests.support import paths

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
"""Friday 27 November 2026, 10:00 in New York (the shop's timezone)."""
USER = "amzn1.ask.account.ORDERS-TEST-SHOPPER"
APP = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001"
FIXTURES = paths.FIXTURES / "orders"

Invoke = Callable[[dict[str, Any]], dict[str, Any]]


def slot_json(name: str, value: str, slot_id: str | None = None) -> dict[str, Any]:
    """A filled slot as Alexa sends it, with an entity-resolution match when `slot_id` is given."""
    slot: dict[str, Any] = {"name": name, "value": value, "confirmationStatus": "NONE"}
    if slot_id is not None:
        slot["resolutions"] = {
            "resolutionsPerAuthority": [
                {
                    "authority": f"amzn1.er-authority.echo-sdk.{APP}.{name}",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": value, "id": slot_id}}],
                }
            ]
        }
    return slot


@dataclass
class Shopper:
    """One user talking to the skill, one session at a time; keeps the session attributes."""

    invoke: Invoke
    clock: Clock
    user_id: str = USER
    access_token: str | None = None
    session: SessionInfo = field(default_factory=SessionInfo.start)
    last: dict[str, Any] = field(default_factory=dict)

    @property
    def caller(self) -> Caller:
        return Caller(self.user_id, APP, "amzn1.ask.device.ORDERS-TEST", self.access_token)

    def new_session(self) -> None:
        self.session = SessionInfo.start()

    def envelope(self, intent: str, **slots: str | tuple[str, str]) -> dict[str, Any]:
        """The request for `intent` in the current session (slots: value, or (value, id))."""
        filled = {name: slot_json(name, *(v if isinstance(v, tuple) else (v,))) for name, v in slots.items()}
        return intent_request(
            self.caller, self.session, intent_json(None, intent, filled), locale="en-US", now=self.clock.now()
        )

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send an envelope; the session goes on with the attributes the skill returned."""
        response = self.invoke(copy.deepcopy(envelope))
        self.last = response
        self.session.new = False
        self.session.attributes = response.get("sessionAttributes") or {}
        if response.get("response", {}).get("shouldEndSession"):
            self.new_session()
        return response

    def say(self, intent: str, **slots: str | tuple[str, str]) -> str:
        """Send the intent and return what the skill said (SSML)."""
        self.send(self.envelope(intent, **slots))
        return self.speech

    def launch(self) -> str:
        self.send(launch_request(self.caller, self.session, locale="en-US", now=self.clock.now()))
        return self.speech

    def yes(self) -> str:
        return self.say("AMAZON.YesIntent")

    def no(self) -> str:
        return self.say("AMAZON.NoIntent")

    @property
    def speech(self) -> str:
        return str(self.last.get("response", {}).get("outputSpeech", {}).get("ssml", ""))

    @property
    def card(self) -> dict[str, Any] | None:
        return self.last.get("response", {}).get("card")

    @property
    def pending(self) -> str | None:
        return (self.session.attributes.get("pending") or {}).get("kind")


@dataclass
class Shop:
    """The skill under test with its database and clock."""

    config: SkillConfig
    clock: FixedClock
    invoke: Invoke
    db: Database

    def shopper(self, user_id: str = USER) -> Shopper:
        return Shopper(self.invoke, self.clock, user_id)

    def fill_cart(self, user_id: str, items: dict[str, int]) -> None:
        """Put products in the cart through the cart service (the demo user must exist first)."""
        cart = CartService(self.db, self.clock, catalog=CatalogService(self.db))
        for sku, quantity in items.items():
            cart.add(user_id, sku, quantity)

    def count(self, sql: str, *params: Any) -> int:
        return int(self.db.execute(sql, params).fetchone()[0])

    def stock(self, sku: str) -> int:
        return self.count("SELECT stock FROM products WHERE sku = ?", sku)

    def set_stock(self, sku: str, stock: int) -> None:
        self.db.execute("UPDATE products SET stock = ? WHERE sku = ?", (stock, sku))

    def charges(self, user_id: str = USER) -> int:
        return self.count(
            "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'charge' AND status = 'succeeded'",
            user_id,
        )

    def orders(self, user_id: str = USER) -> int:
        return self.count("SELECT COUNT(*) FROM orders WHERE user_id = ?", user_id)


def make_shop(config: SkillConfig, at: datetime = NOW, gateway: Any = None) -> Shop:
    clock = FixedClock(at)
    invoke = create_invoker(config, clock=clock, gateway=gateway)
    return Shop(config, clock, invoke, open_database(config.database))


def checkout_to_code(shopper: Shopper, when: tuple[str, str] = ("2026-11-28", "morning")) -> str:
    """Check out, pick a slot, say yes to the read-back: the skill is now asking for the voice code."""
    shopper.say("CheckoutIntent")
    assert shopper.pending == "delivery_slot", shopper.speech
    shopper.say("ScheduleDeliveryIntent", date=when[0], timeSlot=(when[1], when[1]))
    assert shopper.pending == "confirm_order", shopper.speech
    shopper.yes()
    assert shopper.pending == "voice_code", shopper.speech
    return shopper.speech


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
