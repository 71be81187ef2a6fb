"""Delivery: a user's addresses, and the delivery slots of the next seven days.

Days and windows are in the shop's timezone (`SkillConfig.timezone`): morning 8-12, afternoon 12-17,
evening 17-21. Each slot takes `slot_capacity` orders; an order books its slot inside the order
transaction with a conditional UPDATE, so a slot is never overbooked. A slot can be booked until
`LEAD_TIME` before it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from skill.clock import Clock
from skill.config import SkillConfig
from skill.errors import NotFound, SkillError
from skill.store.db import Database

__all__ = [
    "WINDOWS",
    "Address",
    "DeliveryService",
    "Slot",
    "SlotRequest",
    "SlotUnavailable",
    "parse_alexa_date",
]

WINDOWS: dict[str, tuple[int, int]] = {"morning": (8, 12), "afternoon": (12, 17), "evening": (17, 21)}
"""Window id -> (first hour, end hour), local time."""
DAYS_AHEAD = 7
LEAD_TIME = timedelta(hours=1)
"""How long before its start a slot stops taking orders (the van has to be loaded)."""


class SlotUnavailable(SkillError):
    """The slot asked for is full, past or too far ahead; `alternatives` are the nearest free ones."""

    def __init__(self, reason: str, requested: Slot | None, alternatives: list[Slot]) -> None:
        super().__init__(f"slot unavailable: {reason}")
        self.reason = reason
        """'full', 'past' or 'too_far'."""
        self.requested = requested
        self.alternatives = alternatives


@dataclass(frozen=True)
class Address:
    """A delivery address on file (a row of `addresses`)."""

    id: int
    label: str
    """home, work, ..."""
    line1: str
    city: str
    postal_code: str
    is_default: bool = False


@dataclass(frozen=True)
class Slot:
    """A delivery window on one day (a row of `delivery_slots`)."""

    slot_id: str
    """'2026-11-28-morning'."""
    date: date
    """The local date in the shop's timezone."""
    window: str
    """'morning', 'afternoon' or 'evening'."""
    starts_at: datetime
    """UTC."""
    ends_at: datetime
    """UTC."""
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return self.capacity - self.booked


@dataclass(frozen=True)
class SlotRequest:
    """What the shopper asked for: a day, several candidate days (a week), and/or a window."""

    dates: tuple[date, ...] = ()
    """Candidate days in order of preference; empty means 'any day'."""
    window: str | None = None
    """'morning', 'afternoon', 'evening' or None for any."""

    @property
    def empty(self) -> bool:
        return not self.dates and self.window is None


_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})(-WE)?$")


def parse_alexa_date(value: str | None, today: date) -> tuple[date, ...]:
    """Candidate days from an AMAZON.DATE value.

    '2026-11-28' is that day; '2026-W48' the days of that week from today on; '2026-W48-WE' its
    weekend; '2026-11' the days of that month from today on. Anything else (past references such as
    'PRESENT_REF', decades, seasons) gives no candidates, and the shopper is asked again.
    """
    if not value:
        return ()
    value = value.strip()
    week = _WEEK.match(value)
    if week:
        try:
            monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError:
            return ()
        days = [monday + timedelta(days=i) for i in ((5, 6) if week[3] else range(7))]
        return tuple(d for d in days if d >= today)
    month = re.match(r"^(\d{4})-(\d{2})$", value)
    if month:
        try:
            first = date(int(month[1]), int(month[2]), 1)
        except ValueError:
            return ()
        days = [first + timedelta(days=i) for i in range(31)]
        return tuple(d for d in days if d.month == first.month and d >= today)
    if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        try:
            return (date.fromisoformat(value),)
        except ValueError:
            return ()
    return ()


class DeliveryService:
    """Addresses and delivery slots."""

    def __init__(self, db: Database, clock: Clock, config: SkillConfig) -> None:
        self.db = db
        self.clock = clock
        self.config = config
        self.tz = ZoneInfo(config.timezone)

    # -- addresses ---------------------------------------------------------------------------

    def addresses(self, user_id: str) -> list[Address]:
        """The user's addresses, the default first."""
        rows = self.db.execute(
            "SELECT id, label, line1, city, postal_code, is_default FROM addresses WHERE user_id = ?"
            " ORDER BY is_default DESC, id",
            (user_id,),
        ).fetchall()
        return [Address(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]

    def address(self, user_id: str, address_id: int) -> Address:
        for address in self.addresses(user_id):
            if address.id == address_id:
                return address
        raise NotFound(f"no address {address_id} for this user")

    def address_by_label(self, user_id: str, label: str) -> Address:
        wanted = label.strip().lower()
        for address in self.addresses(user_id):
            if address.label.lower() == wanted:
                return address
        raise NotFound(f"no address called {label!r} for this user")

    def default_address(self, user_id: str) -> Address | None:
        """The default address, or the only one; None when there is no clear choice."""
        addresses = self.addresses(user_id)
        for address in addresses:
            if address.is_default:
                return address
        return addresses[0] if len(addresses) == 1 else None

    # -- slots -------------------------------------------------------------------------------

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def ensure_slots(self) -> None:
        """Create the slot rows of the next seven days (idempotent; existing bookings are kept)."""
        rows = []
        for offset in range(DAYS_AHEAD):
            day = self.today() + timedelta(days=offset)
            for window in WINDOWS:
                starts, ends = self._bounds(day, window)
                rows.append(
                    (
                        f"{day.isoformat()}-{window}",
                        day.isoformat(),
                        window,
                        starts.isoformat(),
                        ends.isoformat(),
                        self.config.slot_capacity,
                    )
                )
        self.db.executemany(
            "INSERT OR IGNORE INTO delivery_slots (slot_id, date, window, starts_at, ends_at, capacity)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _bounds(self, day: date, window: str) -> tuple[datetime, datetime]:
        first, end = WINDOWS[window]
        starts = datetime.combine(day, time(first), self.tz).astimezone(UTC)
        ends = datetime.combine(day, time(end), self.tz).astimezone(UTC)
        return starts, ends

    def get(self, slot_id: str) -> Slot:
        row = self.db.execute(
            "SELECT slot_id, date, window, starts_at, ends_at, capacity, booked FROM delivery_slots WHERE slot_id = ?",
            (slot_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no delivery slot {slot_id}")
        return _slot(row)

    def bookable(self, slot: Slot) -> bool:
        return slot.free > 0 and slot.starts_at - LEAD_TIME > self.clock.now()

    def upcoming(self) -> list[Slot]:
        """Every slot of the next seven days that can still be booked, earliest first."""
        self.ensure_slots()
        last = (self.today() + timedelta(days=DAYS_AHEAD - 1)).isoformat()
        rows = self.db.execute(
            "SELECT slot_id, date, window, starts_at, ends_at, capacity, booked FROM delivery_slots"
            " WHERE date >= ? AND date <= ? ORDER BY starts_at",
            (self.today().isoformat(), last),
        ).fetchall()
        return [s for s in map(_slot, rows) if self.bookable(s)]

    def choose(self, request: SlotRequest) -> Slot:
        """The slot for `request`: the first bookable one among its days and window.

        Raises `SlotUnavailable` with the nearest free alternatives when none fits.
        """
        self.ensure_slots()
        free = self.upcoming()
        days = request.dates or tuple(sorted({s.date for s in free}))
        windows = (request.window,) if request.window else tuple(WINDOWS)
        for day in days:
            for window in windows:
                for slot in free:
                    if slot.date == day and slot.window == window:
                        return slot
        # Nothing fits: say why, about the first slot asked for, and offer the nearest free ones.
        target_day = request.dates[0] if request.dates else self.today()
        target_window = request.window or "morning"
        requested = self._maybe(f"{target_day.isoformat()}-{target_window}")
        starts, _ = self._bounds(target_day, target_window)
        if requested is not None and requested.free <= 0 and starts - LEAD_TIME > self.clock.now():
            reason = "full"
        elif starts - LEAD_TIME <= self.clock.now():
            reason = "past"
        elif target_day >= self.today() + timedelta(days=DAYS_AHEAD):
            reason = "too_far"
        else:
            reason = "full"
        raise SlotUnavailable(reason, requested, self.nearest(starts, free))

    def nearest(self, around: datetime, free: list[Slot] | None = None, limit: int = 2) -> list[Slot]:
        """The `limit` bookable slots starting closest to `around` (ties: the earlier one)."""
        free = self.upcoming() if free is None else free
        return sorted(free, key=lambda s: (abs((s.starts_at - around).total_seconds()), s.starts_at))[:limit]

    def _maybe(self, slot_id: str) -> Slot | None:
        try:
            return self.get(slot_id)
        except NotFound:
            return None

    def book(self, slot_id: str) -> None:
        """Take one place in the slot; call inside the order transaction. Raises SlotUnavailable."""
        cur = self.db.execute(
            "UPDATE delivery_slots SET booked = booked + 1 WHERE slot_id = ? AND booked < capacity AND starts_at > ?",
            (slot_id, (self.clock.now().astimezone(UTC) + LEAD_TIME).isoformat()),
        )
        if cur.rowcount != 1:
            slot = self._maybe(slot_id)
            reason = "full" if slot is not None and slot.free <= 0 else "past"
            around = slot.starts_at if slot else self.clock.now()
            raise SlotUnavailable(reason, slot, self.nearest(around))

    def release(self, slot_id: str) -> None:
        """Give a place back (a cancelled order); call inside the cancelling transaction."""
        self.db.execute(
            "UPDATE delivery_slots SET booked = booked - 1 WHERE slot_id = ? AND booked > 0", (slot_id,)
        )

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)


def _slot(row: tuple) -> Slot:
    return Slot(
        slot_id=row[0],
        date=date.fromisoformat(row[1]),
        window=row[2],
        starts_at=datetime.fromisoformat(row[3]),
        ends_at=datetime.fromisoformat(row[4]),
        capacity=row[5],
        booked=row[6],
    )
