"""Delivery slots (timezone, capacity, past and full slots, AMAZON.DATE values) and addresses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.clock import FixedClock
from skill.config import SkillConfig
from skill.services.delivery import DeliveryService, SlotRequest, SlotUnavailable, parse_alexa_date
from skill.store.db import open_database
from tests.support.skill import NOW, USER, Shop

pytestmark = pytest.mark.both_stores

TODAY = date(2026, 11, 27)  # a Friday in New York at NOW


def _delivery(db_path: Path, at: datetime = NOW, **config: Any) -> DeliveryService:
    return DeliveryService(open_database(db_path), FixedClock(at), SkillConfig(db_path=db_path, **config))


def test_delivery_slots_cover_seven_days_in_shop_timezone(db_path: Path) -> None:
    delivery = _delivery(db_path)
    delivery.ensure_slots()
    rows = delivery.db.execute(
        "SELECT slot_id, starts_at, ends_at FROM delivery_slots ORDER BY starts_at"
    ).fetchall()
    assert len(rows) == 21
    assert rows[0][0] == "2026-11-27-morning" and rows[-1][0] == "2026-12-03-evening"
    # 8 AM in New York in November is 13:00 UTC (EST, UTC-5).
    assert rows[0][1] == "2026-11-27T13:00:00+00:00" and rows[0][2] == "2026-11-27T17:00:00+00:00"
    delivery.ensure_slots()  # idempotent
    assert delivery.db.execute("SELECT COUNT(*) FROM delivery_slots").fetchone()[0] == 21


def test_delivery_slots_follow_the_configured_timezone(db_path: Path) -> None:
    delivery = _delivery(db_path, timezone="Europe/Berlin")
    slot = delivery.choose(SlotRequest((date(2026, 11, 28),), "evening"))
    assert slot.starts_at == datetime(2026, 11, 28, 16, 0, tzinfo=UTC)  # 17:00 CET


def test_delivery_upcoming_skips_slots_that_started_or_start_within_the_hour(db_path: Path) -> None:
    delivery = _delivery(db_path)  # 10:00 local: the morning has started, the afternoon starts in 2 h
    assert [s.slot_id for s in delivery.upcoming()[:2]] == ["2026-11-27-afternoon", "2026-11-27-evening"]
    late = _delivery(db_path, at=NOW + timedelta(hours=1, minutes=30))  # 11:30: noon is within the hour
    assert late.upcoming()[0].slot_id == "2026-11-27-evening"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-28", (date(2026, 11, 28),)),
        ("2026-W48", (date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29))),
        ("2026-W48-WE", (date(2026, 11, 28), date(2026, 11, 29))),
        ("2026-W47", ()),
        ("PRESENT_REF", ()),
        ("", ()),
        (None, ()),
        ("2026-13-45", ()),
    ],
)
def test_parse_alexa_date_values(value: str | None, expected: tuple[date, ...]) -> None:
    assert parse_alexa_date(value, TODAY) == expected


def test_delivery_choose_tomorrow_morning_and_saturday_afternoon(db_path: Path) -> None:
    delivery = _delivery(db_path)
    assert delivery.choose(SlotRequest((date(2026, 11, 28),), "morning")).slot_id == "2026-11-28-morning"
    assert delivery.choose(SlotRequest(parse_alexa_date("2026-W48-WE", TODAY), "afternoon")).slot_id == (
        "2026-11-28-afternoon"
    )
    # A day without a window: the first free window that day; a window without a day: the first day.
    assert delivery.choose(SlotRequest((date(2026, 11, 29),), None)).slot_id == "2026-11-29-morning"
    assert delivery.choose(SlotRequest((), "morning")).slot_id == "2026-11-28-morning"


def test_delivery_full_slot_raises_with_nearest_free_alternatives(db_path: Path) -> None:
    delivery = _delivery(db_path, slot_capacity=1)
    delivery.ensure_slots()
    delivery.book("2026-11-28-afternoon")
    with pytest.raises(SlotUnavailable) as raised:
        delivery.book("2026-11-28-afternoon")
    assert raised.value.reason == "full"
    with pytest.raises(SlotUnavailable) as raised:
        delivery.choose(SlotRequest((date(2026, 11, 28),), "afternoon"))
    assert raised.value.reason == "full"
    assert [s.slot_id for s in raised.value.alternatives] == ["2026-11-28-morning", "2026-11-28-evening"]


def test_delivery_past_and_too_far_slots_are_refused(db_path: Path) -> None:
    delivery = _delivery(db_path)
    with pytest.raises(SlotUnavailable) as raised:
        delivery.choose(SlotRequest((TODAY,), "morning"))
    assert raised.value.reason == "past"
    assert raised.value.alternatives[0].slot_id == "2026-11-27-afternoon"
    with pytest.raises(SlotUnavailable) as raised:
        delivery.choose(SlotRequest((date(2026, 12, 20),), "morning"))
    assert raised.value.reason == "too_far"
    assert raised.value.alternatives  # the latest slots of the week are offered


def test_delivery_booking_never_exceeds_capacity_and_release_frees(db_path: Path) -> None:
    delivery = _delivery(db_path, slot_capacity=2)
    delivery.ensure_slots()
    delivery.book("2026-11-29-evening")
    delivery.book("2026-11-29-evening")
    with pytest.raises(SlotUnavailable):
        delivery.book("2026-11-29-evening")
    delivery.release("2026-11-29-evening")
    delivery.book("2026-11-29-evening")
    assert delivery.get("2026-11-29-evening").booked == 2


def test_delivery_addresses_by_label_and_default(shop: Shop) -> None:
    delivery = DeliveryService(shop.db, shop.clock, shop.config)
    assert [a.label for a in delivery.addresses(USER)] == ["home", "work"]
    default = delivery.default_address(USER)
    assert default is not None and default.label == "home"
    assert delivery.address_by_label(USER, "Work").line1.startswith("400 Market")


def test_skill_full_slot_offers_alternatives_and_yes_takes_the_first(shop: Shop) -> None:
    DeliveryService(shop.db, shop.clock, shop.config).ensure_slots()
    shop.db.execute("UPDATE delivery_slots SET booked = capacity WHERE slot_id = '2026-11-28-afternoon'")
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    speech = shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("afternoon", "afternoon"))
    assert "tomorrow between noon and 5 PM is fully booked" in speech
    assert "tomorrow between 8 AM and noon, or tomorrow between 5 and 9 PM" in speech
    assert shopper.pending == "accept_slot"
    speech = shopper.yes()
    assert shopper.pending == "confirm_order" and "tomorrow between 8 AM and noon" in speech


def test_skill_past_slot_offers_alternatives_and_no_asks_again(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    speech = shopper.say("ScheduleDeliveryIntent", date="2026-11-27", timeSlot=("morning", "morning"))
    assert "too late to book today between 8 AM and noon" in speech
    assert "today between noon and 5 PM" in speech
    assert "When would you like it delivered" in shopper.no()
    assert shopper.pending == "delivery_slot"


def test_skill_slot_filled_while_read_back_was_waiting_is_offered_again(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    shopper.yes()
    shop.db.execute("UPDATE delivery_slots SET booked = capacity WHERE slot_id = '2026-11-28-morning'")
    speech = shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "fully booked" in speech and shopper.pending == "accept_slot"
    assert shop.orders() == 0 and shop.charges() == 0
    shopper.yes()
    assert shopper.pending == "confirm_order"  # a new slot means a new read-back and a new yes


def test_skill_week_value_and_weekend_pick_a_day(shop: Shop) -> None:
    shopper = shop.shopper()
    speech = shopper.say("ScheduleDeliveryIntent", date="2026-W48-WE", timeSlot=("evening", "evening"))
    assert "tomorrow between 5 and 9 PM" in speech  # Saturday is the first day of that weekend
    assert "on Sunday, November 29, between 8 AM and noon" in shopper.say(
        "ScheduleDeliveryIntent", date="2026-11-29", timeSlot="morning"
    )
    assert "today between 5 and 9 PM" in shopper.say(
        "ScheduleDeliveryIntent", date="2026-W48", timeSlot="evening"
    )


def test_skill_unknown_day_is_asked_again(shop: Shop) -> None:
    shopper = shop.shopper()
    assert "didn't catch when" in shopper.say("ScheduleDeliveryIntent", date="PRESENT_REF")
    assert "didn't catch when" in shopper.say("ScheduleDeliveryIntent")


def test_skill_unknown_address_label_lists_the_ones_on_file(shop: Shop) -> None:
    speech = shop.shopper().say("SetDeliveryAddressIntent", addressLabel="cabin")
    assert "don't have a cabin address" in speech and "home or work" in speech
