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


def _0003_product_tags(db: Database) -> None:
    # A JSON list of lowercase tags ("organic", "gluten-free"); the agreed shape shared with search.
    db.execute("ALTER TABLE products ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'")


def _0004_catalog_retirement(db: Database) -> None:
    # A product a shop stops selling is retired, not deleted: past orders keep pointing at its row.
    db.execute("ALTER TABLE products ADD COLUMN retired_at TEXT")


def _0005_order_operations(db: Database) -> None:
    # The shop's staff move orders on and refund them: each event says who did it and why, and
    # refunds are counted per order and per line so a line is never refunded twice.
    db.execute("ALTER TABLE order_events ADD COLUMN actor TEXT NOT NULL DEFAULT 'system'")
    db.execute("ALTER TABLE order_events ADD COLUMN note TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE order_events ADD COLUMN amount_cents INTEGER")
    db.execute("ALTER TABLE orders ADD COLUMN refunded_cents INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE order_items ADD COLUMN refunded_quantity INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX orders_status ON orders(status, created_at)")


def _0006_account_linking(db: Database) -> None:
    # OAuth 2.0 account linking: shop accounts with a password hash, the clients allowed to link
    # (Alexa's), and codes and tokens kept only as SHA-256 hashes.
    db.execute(
        """
        CREATE TABLE shop_accounts (
            account_id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,     -- scrypt, with its salt and parameters
            user_id TEXT NOT NULL UNIQUE REFERENCES users(user_id),
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE oauth_clients (
            client_id TEXT PRIMARY KEY,
            secret_hash TEXT NOT NULL,
            redirect_uris TEXT NOT NULL,     -- JSON list, compared exactly
            name TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE oauth_codes (
            code_hash TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES oauth_clients(client_id),
            account_id INTEGER NOT NULL REFERENCES shop_accounts(account_id),
            redirect_uri TEXT NOT NULL,
            scope TEXT NOT NULL DEFAULT '',
            code_challenge TEXT,
            code_challenge_method TEXT,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE oauth_tokens (
            token_hash TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
            client_id TEXT NOT NULL REFERENCES oauth_clients(client_id),
            account_id INTEGER NOT NULL REFERENCES shop_accounts(account_id),
            scope TEXT NOT NULL DEFAULT '',
            grant_id TEXT NOT NULL,          -- one authorization: its access and refresh tokens share it
            expires_at TEXT NOT NULL,
            revoked_at TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX oauth_tokens_grant ON oauth_tokens(grant_id)")


def _0007_checkouts(db: Database) -> None:
    # The checkout in progress, kept by the server: the client's session attributes only point at it
    # (by its id) and can never say that a read-back was heard, a yes given or a code spoken.
    db.execute(
        """
        CREATE TABLE checkouts (
            user_id TEXT NOT NULL,
            checkout_id TEXT NOT NULL,
            session_id TEXT NOT NULL,       -- the session it was started in; no other session sees it
            stage TEXT NOT NULL CHECK (stage IN ('collecting', 'confirming', 'code', 'confirmed', 'placed')),
            address_id INTEGER,
            slot_id TEXT,
            card_id INTEGER,
            total_cents INTEGER,            -- the total read back, which a yes agrees to
            fingerprint TEXT,               -- the cart as it was read back
            code_ok INTEGER NOT NULL DEFAULT 0,   -- the voice code was given right in this checkout
            started INTEGER NOT NULL DEFAULT 0,
            pending TEXT,                   -- JSON: the checkout question just asked, e.g. {"kind": "confirm_order"}
            order_id TEXT,                  -- set when placed, so a repeated confirmation is answered with it
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, checkout_id)
        )
        """
    )
    db.execute("CREATE INDEX checkouts_session ON checkouts(user_id, session_id)")
    db.execute("CREATE INDEX checkouts_updated ON checkouts(updated_at)")


def _0008_login_throttle(db: Database) -> None:
    # Wrong passwords in a row on the account-linking login page, and when the last one was.
    db.execute("ALTER TABLE shop_accounts ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE shop_accounts ADD COLUMN last_failed_at TEXT")


def _0009_health(db: Database) -> None:
    # One row that /healthz and `serve` rewrite to prove the database can still be written
    # (a full disk or a read-only file is found by writing, not by reading).
    db.execute("CREATE TABLE _health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL)")


def _0010_drop_persistent_attributes(db: Database) -> None:
    # The ask-sdk persistence adapter that wrote this table is gone; the skill keeps nothing in it.
    db.execute("DROP TABLE IF EXISTS persistent_attributes")


MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("0001_initial", _0001_initial),
    ("0002_order_charges", _0002_order_charges),
    ("0003_product_tags", _0003_product_tags),
    ("0004_catalog_retirement", _0004_catalog_retirement),
    ("0005_order_operations", _0005_order_operations),
    ("0006_account_linking", _0006_account_linking),
    ("0007_checkouts", _0007_checkouts),
    ("0008_login_throttle", _0008_login_throttle),
    ("0009_health", _0009_health),
    ("0010_drop_persistent_attributes", _0010_drop_persistent_attributes),
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
