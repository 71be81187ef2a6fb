"""Schema migrations, applied in order and recorded in `_migrations`.

Append new migrations to `MIGRATIONS`; never edit one that has shipped. Each runs inside one
transaction together with its record, so a crash leaves the schema either before or after it.

Money is always integer cents. Times are ISO-8601 UTC strings.

The same list runs on SQLite and PostgreSQL: steps write SQLite's SQL, which the dialect translates
(skill/store/dialect.py), and full-text search is made with `db.dialect.create_text_search`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from skill.store.dialect import PRODUCT_SEARCH_WEIGHTS

if TYPE_CHECKING:
    from skill.store.db import Database


def _0001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE products (
            sku TEXT PRIMARY KEY,
            brand TEXT NOT NULL,
            name TEXT NOT NULL,             -- full display name, e.g. 'Organic Whole Milk'
            generic TEXT NOT NULL,          -- the product-slot id it answers to, e.g. 'milk'
            size TEXT NOT NULL,             -- e.g. '1 gallon', '12 oz'
            unit TEXT NOT NULL,             -- counting unit: bottle, carton, bag, loaf, pack, ...
            price_cents INTEGER NOT NULL CHECK (price_cents > 0),
            deal_price_cents INTEGER CHECK (deal_price_cents IS NULL OR deal_price_cents > 0),
            category TEXT NOT NULL,
            stock INTEGER NOT NULL CHECK (stock >= 0),
            synonyms TEXT NOT NULL DEFAULT '',   -- space-separated extra words for search
            description TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX products_generic ON products(generic)")
    db.dialect.create_text_search(db, "products", PRODUCT_SEARCH_WEIGHTS)
    db.execute(
        """
        CREATE TABLE users (
            user_id TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            linked INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE addresses (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(user_id),
            label TEXT NOT NULL,            -- home, work, ...
            line1 TEXT NOT NULL,
            city TEXT NOT NULL,
            postal_code TEXT NOT NULL,
            is_default INTEGER NOT NULL DEFAULT 0,
            UNIQUE (user_id, label)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE payment_methods (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(user_id),
            label TEXT NOT NULL,            -- what the user calls it: visa, mastercard, work card
            brand TEXT NOT NULL,
            last4 TEXT NOT NULL CHECK (length(last4) = 4),
            exp_month INTEGER NOT NULL,
            exp_year INTEGER NOT NULL,
            token TEXT NOT NULL,            -- gateway token; never a card number
            is_default INTEGER NOT NULL DEFAULT 0,
            UNIQUE (user_id, label)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE purchase_settings (
            user_id TEXT PRIMARY KEY REFERENCES users(user_id),
            voice_purchasing INTEGER NOT NULL DEFAULT 1,
            code_hash TEXT,                 -- scrypt of the voice code; the code is never stored
            code_salt TEXT,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked INTEGER NOT NULL DEFAULT 0,
            spending_limit_cents INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE cart_items (
            user_id TEXT NOT NULL REFERENCES users(user_id),
            sku TEXT NOT NULL REFERENCES products(sku),
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            added_at TEXT NOT NULL,
            PRIMARY KEY (user_id, sku)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE delivery_slots (
            slot_id TEXT PRIMARY KEY,       -- e.g. '2026-11-28-morning'
            date TEXT NOT NULL,             -- local date in the shop's timezone
            window TEXT NOT NULL CHECK (window IN ('morning', 'afternoon', 'evening')),
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            capacity INTEGER NOT NULL,
            booked INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE orders (
            order_id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(user_id),
            status TEXT NOT NULL,
            subtotal_cents INTEGER NOT NULL,
            tax_cents INTEGER NOT NULL,
            delivery_fee_cents INTEGER NOT NULL,
            total_cents INTEGER NOT NULL,
            address_id INTEGER REFERENCES addresses(id),
            payment_method_id INTEGER REFERENCES payment_methods(id),
            slot_id TEXT REFERENCES delivery_slots(slot_id),
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX orders_user ON orders(user_id, created_at)")
    db.execute(
        """
        CREATE TABLE order_items (
            order_id TEXT NOT NULL REFERENCES orders(order_id),
            sku TEXT NOT NULL REFERENCES products(sku),
            name TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            unit_price_cents INTEGER NOT NULL,
            PRIMARY KEY (order_id, sku)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE order_events (
            id INTEGER PRIMARY KEY,
            order_id TEXT NOT NULL REFERENCES orders(order_id),
            status TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE ledger (
            id INTEGER PRIMARY KEY,
            order_id TEXT REFERENCES orders(order_id),
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('charge', 'refund')),
            amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
            payment_method_id INTEGER,
            idempotency_key TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL CHECK (status IN ('succeeded', 'declined')),
            decline_reason TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE persistent_attributes (
            user_id TEXT PRIMARY KEY,
            attributes TEXT NOT NULL,       -- JSON, ask-sdk persistent attributes
            updated_at TEXT NOT NULL
        )
        """
    )


def _0002_order_charges(db: Database) -> None:
    # The gateway's reference for an order's charge: refunds name it, and a real processor's
    # charges are not rows of `ledger`.
    db.execute("ALTER TABLE orders ADD COLUMN charge_id TEXT")
    db.execute("CREATE INDEX ledger_order ON ledger(order_id)")
    db.execute("CREATE INDEX order_events_order ON order_events(order_id, id)")


MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("0001_initial", _0001_initial),
    ("0002_order_charges", _0002_order_charges),
]


def migrate(db: Database) -> list[str]:
    """Apply every migration not yet recorded; returns the names applied.

    Safe to call from many processes at once: each step runs in its own transaction under one named
    lock (SQLite's write lock; a PostgreSQL advisory lock), after checking again that it is still due.
    """
    done = _applied(db)
    if done is not None and all(name in done for name, _ in MIGRATIONS):
        return []
    with db.transaction():
        db.lock("voiceshop:migrations")
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied: list[str] = []
    for name, step in MIGRATIONS:
        if done and name in done:
            continue
        with db.transaction():
            db.lock("voiceshop:migrations")
            # Another process may have applied it while we waited for the lock.
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                continue
            step(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, datetime.now(UTC).isoformat())
            )
        applied.append(name)
    return applied


def _applied(db: Database) -> set[str] | None:
    """The migrations recorded, or None before the first (no `_migrations` table yet)."""
    try:
        return {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    except Exception:
        return None
