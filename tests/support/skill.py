"""Talking to the skill in tests: one `Shopper` for every skill-facing test.

A shopper sends Alexa request envelopes built by `speech.envelope` (the same builder the voice cloud
uses) to the skill in process, carries the session attributes the skill returns into the next turn as
the Alexa service does, and parses every response's SSML with xml.etree, so a malformed one fails the
test. `Shop` is the skill with its database and a fixed clock, for the checkout, order, delivery,
payment and account tests.
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from skill.app import create_invoker
from skill.clock import Clock, FixedClock, SystemClock
from skill.config import SkillConfig
from skill.services.cart import CartService
from skill.services.catalog import CatalogService
from skill.store.db import Database, open_database
from speech.envelope import Caller, SessionInfo, intent_json, intent_request, launch_request
from tests.support.paths import FIXTURES

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
"""Friday 27 November 2026, 10:00 in New York (the shop's timezone)."""
USER = "amzn1.ask.account.ORDERS-TEST-SHOPPER"
APP = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001"
DEVICE = "amzn1.ask.device.ORDERS-TEST"

Invoke = Callable[[dict[str, Any]], dict[str, Any]]
SlotArg = str | tuple[str, str | None] | dict[str, Any] | None
"""A slot as a test gives it: a value; (value, id) for an ER_SUCCESS_MATCH; (value, None) for an
ER_SUCCESS_NO_MATCH; None for a slot sent without a value; or the slot's Alexa JSON as it is."""


def load_request(name: str) -> dict[str, Any]:
    """A fresh copy of tests/fixtures/requests/<name>.json."""
    return json.loads((FIXTURES / "requests" / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def slot_json(name: str, value: str | None, slot_id: str | None = None, *, no_match: bool = False) -> dict[str, Any]:
    """A slot as Alexa sends it: plain, with an ER_SUCCESS_MATCH for `slot_id`, or with ER_SUCCESS_NO_MATCH."""
    slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        slot["value"] = value
    if slot_id is not None or no_match:
        authority: dict[str, Any] = {
            "authority": f"amzn1.er-authority.echo-sdk.{APP}.{name}",
            "status": {"code": "ER_SUCCESS_NO_MATCH" if no_match else "ER_SUCCESS_MATCH"},
        }
        if not no_match:
            authority["values"] = [{"value": {"name": value, "id": slot_id}}]
        slot["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return slot


def record_purchase(db: Database, sku: str, quantity: int, *, user_id: str = "u1", unit_price_cents: int = 1) -> None:
    """A new user `user_id` with one delivered past order of `quantity` x `sku`, written straight to the
    store (what "the kind shoppers buy" and "your usual" rank by)."""
    db.execute("INSERT INTO users (user_id, created_at) VALUES (?, '2026-01-01')", (user_id,))
    db.execute(
        "INSERT INTO orders (order_id, user_id, status, subtotal_cents, tax_cents, delivery_fee_cents,"
        " total_cents, idempotency_key, created_at, updated_at)"
        " VALUES ('o1', ?, 'delivered', 1, 0, 0, 1, 'k', '2026-01-01', '2026-01-01')",
        (user_id,),
    )
    db.execute(
        "INSERT INTO order_items (order_id, sku, name, quantity, unit_price_cents) VALUES ('o1', ?, 'x', ?, ?)",
        (sku, quantity, unit_price_cents),
    )


def listed_slot(values: list[tuple[str, str | None]]) -> dict[str, Any]:
    """A multiple-value slot as Alexa sends it ("milk and eggs"): each (value, id or None) a list item."""
    items = []
    for value, ident in values:
        item: dict[str, Any] = {"type": "Simple", "value": value}
        if ident is not None:
            item["resolutions"] = {"resolutionsPerAuthority": [{
                "authority": "amzn1.er-authority.echo-sdk.x.PRODUCT", "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": value, "id": ident}}],
            }]}
        items.append(item)
    return {"confirmationStatus": "NONE", "slotValue": {"type": "List", "values": items}}


def _slot(name: str, given: SlotArg) -> dict[str, Any]:
    if isinstance(given, dict):
        return {"name": name, **given}
    if isinstance(given, tuple):
        value, slot_id = given
        return slot_json(name, value, slot_id, no_match=slot_id is None)
    return slot_json(name, given)


def ssml_text(ssml: str) -> str:
    """The spoken text of an SSML document, tags removed; asserts it is well-formed XML in <speak>."""
    root = ET.fromstring(ssml)  # raises on malformed SSML
    assert root.tag == "speak"
    return " ".join("".join(root.itertext()).split())


def speech_text(response: dict[str, Any]) -> str:
    """What a response says, as plain text ('' when it says nothing)."""
    speech = response.get("response", {}).get("outputSpeech")
    return ssml_text(speech["ssml"]) if speech else ""


def reprompt_text(response: dict[str, Any]) -> str:
    """A response's reprompt, as plain text ('' when none)."""
    reprompt = response.get("response", {}).get("reprompt")
    return ssml_text(reprompt["outputSpeech"]["ssml"]) if reprompt else ""


@dataclass
class Shopper:
    """One user talking to the skill, one session at a time, session attributes carried over."""

    invoke: Invoke
    clock: Clock = field(default_factory=SystemClock)
    user_id: str = USER
    access_token: str | None = None
    locale: str = "en-US"
    session: SessionInfo = field(default_factory=SessionInfo.start)
    last: dict[str, Any] = field(default_factory=dict)

    @property
    def caller(self) -> Caller:
        return Caller(self.user_id, APP, DEVICE, self.access_token)

    @property
    def attributes(self) -> dict[str, Any]:
        """The session attributes the skill returned last (sent with the next request)."""
        return self.session.attributes

    @attributes.setter
    def attributes(self, attributes: dict[str, Any]) -> None:
        self.session.attributes = attributes

    def new_session(self) -> None:
        """The session is over: the next request opens a new one."""
        self.session = SessionInfo.start()

    def envelope(self, intent: str, **slots: SlotArg) -> dict[str, Any]:
        """The request for `intent` in the current session (slots: see `SlotArg`)."""
        filled = {name: _slot(name, given) for name, given in slots.items()}
        request = intent_request(
            self.caller, self.session, intent_json(None, intent, filled), locale=self.locale, now=self.clock.now()
        )
        if not filled:
            request["request"]["intent"]["slots"] = {}
        return request

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send an envelope; the session goes on with the attributes the skill returned, or ends."""
        response = self.invoke(copy.deepcopy(envelope))
        self.last = response
        speech_text(response)  # well-formed SSML, always
        reprompt_text(response)
        self.session.new = False
        self.session.attributes = response.get("sessionAttributes") or {}
        if response.get("response", {}).get("shouldEndSession"):
            self.new_session()
        return response

    def intent(self, name: str, **slots: SlotArg) -> dict[str, Any]:
        """Send an intent; the skill's whole response."""
        return self.send(self.envelope(name, **slots))

    def say(self, name: str, **slots: SlotArg) -> str:
        """Send an intent and return what the skill said, as plain text."""
        self.intent(name, **slots)
        return self.speech

    def launch(self) -> str:
        """Open the skill; what it said, as plain text."""
        self.send(launch_request(self.caller, self.session, locale=self.locale, now=self.clock.now()))
        return self.speech

    def yes(self) -> str:
        return self.say("AMAZON.YesIntent")

    def no(self) -> str:
        return self.say("AMAZON.NoIntent")

    @property
    def speech(self) -> str:
        """What the skill said last, as plain text."""
        return speech_text(self.last)

    @property
    def ssml(self) -> str:
        """What the skill said last, as SSML."""
        return str(self.last.get("response", {}).get("outputSpeech", {}).get("ssml", ""))

    @property
    def reprompt(self) -> str:
        """The last reprompt, as plain text ('' when none)."""
        return reprompt_text(self.last)

    @property
    def ends_session(self) -> bool:
        """The last response closed the session (shouldEndSession true)."""
        return bool(self.last.get("response", {}).get("shouldEndSession"))

    @property
    def card(self) -> dict[str, Any] | None:
        return self.last.get("response", {}).get("card")

    @property
    def pending(self) -> str | None:
        """The kind of question the skill is waiting on an answer to, if any."""
        return (self.session.attributes.get("pending") or {}).get("kind")


@dataclass
class Shop:
    """The skill under test with its database and a fixed clock."""

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
