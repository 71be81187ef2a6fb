"""Payments: the `PaymentGateway` interface and `SandboxGateway`, a test processor that behaves like one.

Users hold tokenized cards only (label, brand, last four, expiry, gateway token); a card number never
reaches the skill. Every charge and refund carries an idempotency key derived from the order, so a
retried or duplicated request returns the first result instead of moving money twice.

The sandbox keeps its records in the shop's own `ledger` table. `OrderService` re-binds it to the
request's connection (`bind`), so a charge commits or rolls back together with its order. A real
processor plugged in through `create_skill(config, gateway=...)` has no `bind`; it dedupes on the
idempotency key on its side, which is what makes a retry after a failed commit safe.

Sandbox test tokens (any other token succeeds):

| token | declines with |
|---|---|
| `tok_insufficient_funds` | `insufficient_funds` |
| `tok_expired_card` | `expired_card` |
| `tok_processing_error` | `processing_error` (temporary: try again later) |
| `tok_card_declined` | `card_declined` |

A card whose expiry month is over also declines with `expired_card`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from skill.clock import Clock
from skill.errors import SkillError
from skill.store.db import Database

__all__ = [
    "DECLINE_REASONS",
    "Card",
    "ChargeResult",
    "PaymentGateway",
    "RefundError",
    "RefundResult",
    "SandboxGateway",
    "card_expired",
    "record_decline",
]

TEST_TOKENS: dict[str, str] = {
    "tok_insufficient_funds": "insufficient_funds",
    "tok_expired_card": "expired_card",
    "tok_processing_error": "processing_error",
    "tok_card_declined": "card_declined",
}
DECLINE_REASONS = frozenset(TEST_TOKENS.values())
"""Every decline reason the skill knows how to explain."""


class RefundError(SkillError):
    """A refund was refused: there is no such charge, or it was already refunded for a larger amount."""


@dataclass(frozen=True)
class Card:
    """A tokenized card on file (a row of `payment_methods`)."""

    id: int
    label: str
    """What the user calls it: 'visa', 'mastercard', 'work card'."""
    brand: str
    """'Visa', 'Mastercard', ..."""
    last4: str
    exp_month: int
    exp_year: int
    token: str
    """The gateway's token for the card; never a card number."""
    is_default: bool = False


@dataclass(frozen=True)
class ChargeResult:
    """What a gateway answered to a charge."""

    succeeded: bool
    amount_cents: int
    idempotency_key: str
    charge_id: str | None = None
    """The gateway's reference for a successful charge (refunds name it)."""
    decline_reason: str | None = None
    """A machine code such as 'insufficient_funds' when the charge was declined."""
    replayed: bool = False
    """True when the key had been used before and this is the first answer again."""


@dataclass(frozen=True)
class RefundResult:
    """What a gateway answered to a refund."""

    refund_id: str
    amount_cents: int
    idempotency_key: str
    replayed: bool = False


@runtime_checkable
class PaymentGateway(Protocol):
    """A payment processor as the skill sees it."""

    def charge(
        self,
        amount_cents: int,
        token: str,
        idempotency_key: str,
        *,
        user_id: str,
        order_id: str | None = None,
        card: Card | None = None,
    ) -> ChargeResult:
        """Charge `amount_cents` to the card `token`; the same key never charges twice."""
        ...

    def refund(
        self,
        charge_id: str,
        amount_cents: int,
        idempotency_key: str,
        *,
        user_id: str,
        order_id: str | None = None,
    ) -> RefundResult:
        """Give back `amount_cents` of the charge `charge_id`; the same key never refunds twice."""
        ...


def card_expired(card: Card, now: datetime) -> bool:
    """A card is good through the last day of its expiry month."""
    return (card.exp_year, card.exp_month) < (now.year, now.month)


class SandboxGateway:
    """A processor that never leaves the machine: charges and refunds are rows of `ledger`."""

    def __init__(self, db: Database | None, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def bind(self, db: Database) -> SandboxGateway:
        """The same gateway on `db`, so its ledger rows share the caller's transaction."""
        return SandboxGateway(db, self.clock)

    def _conn(self) -> Database:
        if self.db is None:
            raise SkillError("the sandbox gateway has no database; bind() it to one first")
        return self.db

    def charge(
        self,
        amount_cents: int,
        token: str,
        idempotency_key: str,
        *,
        user_id: str,
        order_id: str | None = None,
        card: Card | None = None,
    ) -> ChargeResult:
        if amount_cents <= 0:
            raise SkillError(f"a charge must be positive, not {amount_cents}")
        db = self._conn()
        row = db.execute(
            "SELECT id, amount_cents, status, decline_reason FROM ledger WHERE idempotency_key = ? AND kind = 'charge'",
            (idempotency_key,),
        ).fetchone()
        if row is not None:
            return ChargeResult(
                succeeded=row[2] == "succeeded",
                amount_cents=row[1],
                idempotency_key=idempotency_key,
                charge_id=f"ch_{row[0]}" if row[2] == "succeeded" else None,
                decline_reason=row[3],
                replayed=True,
            )
        now = self.clock.now()
        reason = TEST_TOKENS.get(token)
        if reason is None and card is not None and card_expired(card, now):
            reason = "expired_card"
        if reason is not None:
            # Declines are not written here: the caller's transaction rolls back, and it records the
            # decline afterwards with `record_decline`, so a later attempt can still succeed.
            return ChargeResult(False, amount_cents, idempotency_key, decline_reason=reason)
        cur = db.execute(
            "INSERT INTO ledger (order_id, user_id, kind, amount_cents, payment_method_id, idempotency_key,"
            " status, created_at) VALUES (?, ?, 'charge', ?, ?, ?, 'succeeded', ?)",
            (order_id, user_id, amount_cents, card.id if card else None, idempotency_key, now.isoformat()),
        )
        return ChargeResult(True, amount_cents, idempotency_key, charge_id=f"ch_{cur.lastrowid}")

    def refund(
        self,
        charge_id: str,
        amount_cents: int,
        idempotency_key: str,
        *,
        user_id: str,
        order_id: str | None = None,
    ) -> RefundResult:
        db = self._conn()
        row = db.execute(
            "SELECT id, amount_cents FROM ledger WHERE idempotency_key = ? AND kind = 'refund'",
            (idempotency_key,),
        ).fetchone()
        if row is not None:
            return RefundResult(f"re_{row[0]}", row[1], idempotency_key, replayed=True)
        charge = _charge_row(db, charge_id)
        if charge is None:
            raise RefundError(f"no successful charge {charge_id}")
        refunded = db.execute(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM ledger WHERE kind = 'refund'"
            " AND order_id IS NOT DISTINCT FROM ? AND payment_method_id IS NOT DISTINCT FROM ?",
            (charge[1], charge[3]),
        ).fetchone()[0]
        if amount_cents <= 0 or refunded + amount_cents > charge[2]:
            raise RefundError(f"cannot refund {amount_cents} of {charge_id}: {refunded} already refunded")
        cur = db.execute(
            "INSERT INTO ledger (order_id, user_id, kind, amount_cents, payment_method_id, idempotency_key,"
            " status, created_at) VALUES (?, ?, 'refund', ?, ?, ?, 'succeeded', ?)",
            (
                order_id or charge[1],
                user_id,
                amount_cents,
                charge[3],
                idempotency_key,
                self.clock.now().isoformat(),
            ),
        )
        return RefundResult(f"re_{cur.lastrowid}", amount_cents, idempotency_key)


def _charge_row(db: Database, charge_id: str) -> tuple[int, str | None, int, int | None] | None:
    if not charge_id.startswith("ch_") or not charge_id[3:].isdigit():
        return None
    row = db.execute(
        "SELECT id, order_id, amount_cents, payment_method_id FROM ledger"
        " WHERE id = ? AND kind = 'charge' AND status = 'succeeded'",
        (int(charge_id[3:]),),
    ).fetchone()
    return tuple(row) if row else None


def record_decline(
    db: Database,
    clock: Clock,
    *,
    user_id: str,
    amount_cents: int,
    card_id: int | None,
    idempotency_key: str,
    reason: str,
) -> None:
    """Keep a declined attempt in the ledger for the record (no order row: the order was rolled back).

    Each attempt gets its own key (`<charge key>/declined/<n>`), so a later attempt with the same
    charge key can still succeed once the shopper picks another card or the processor recovers.
    """
    n = db.execute(
        "SELECT COUNT(*) FROM ledger WHERE idempotency_key LIKE ? ESCAPE '\\'",
        (_like_prefix(idempotency_key + "/declined/"),),
    ).fetchone()[0]
    db.execute(
        "INSERT OR IGNORE INTO ledger (order_id, user_id, kind, amount_cents, payment_method_id, idempotency_key,"
        " status, decline_reason, created_at) VALUES (NULL, ?, 'charge', ?, ?, ?, 'declined', ?, ?)",
        (
            user_id,
            amount_cents,
            card_id,
            f"{idempotency_key}/declined/{n + 1}",
            reason,
            clock.now().isoformat(),
        ),
    )


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
