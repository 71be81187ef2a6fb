"""Users, their addresses, cards and purchase settings; the demo profile; voice codes.

A voice code is kept only as a salted scrypt hash: it is never stored in clear and never spoken back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlite_utils

from skill.clock import Clock
from skill.config import SkillConfig
from skill.store.db import transaction

DEMO_VOICE_CODE = "1234"


@dataclass(frozen=True)
class User:
    user_id: str
    name: str


def hash_code(code: str, salt: str) -> str:
    return hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()


class AccountService:
    """Looks users up and, with `config.demo_accounts`, gives a new user the demo profile."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock, config: SkillConfig) -> None:
        self.db = db
        self.clock = clock
        self.config = config

    def get(self, user_id: str) -> User | None:
        row = self.db.execute("SELECT user_id, name FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return User(*row) if row else None

    def ensure_user(self, user_id: str, access_token: str | None = None) -> User | None:
        """The user, created when allowed: with demo accounts (full demo profile) or a linked-account
        token (a bare profile); None means 'not linked', and the skill asks for account linking."""
        user = self.get(user_id)
        if user is not None:
            return user
        if self.config.demo_accounts:
            return self.create_demo_user(user_id)
        if access_token:
            return self.create_user(user_id, name="")
        return None

    def create_user(self, user_id: str, name: str = "", voice_code: str | None = None) -> User:
        now = self.clock.now().isoformat()
        with transaction(self.db):
            self._insert_user(user_id, name, now, voice_code)
        return User(user_id, name)

    def _insert_user(self, user_id: str, name: str, now: str, voice_code: str | None) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO users (user_id, name, linked, created_at) VALUES (?, ?, 1, ?)",
            (user_id, name, now),
        )
        salt = secrets.token_hex(16)
        self.db.execute(
            "INSERT OR IGNORE INTO purchase_settings"
            " (user_id, voice_purchasing, code_hash, code_salt, spending_limit_cents) VALUES (?, ?, ?, ?, ?)",
            (
                user_id,
                1 if voice_code else 0,
                hash_code(voice_code, salt) if voice_code else None,
                salt if voice_code else None,
                self.config.default_spending_limit_cents,
            ),
        )

    def create_demo_user(self, user_id: str) -> User:
        """The contract's demo profile: home and work addresses, a sandbox Visa and Mastercard,
        voice purchasing on with voice code 1234."""
        now = self.clock.now()
        with transaction(self.db):
            if self.db.execute("SELECT 1 FROM users WHERE user_id = ?", (user_id,)).fetchone():
                return self.get(user_id)  # type: ignore[return-value]
            self._insert_user(user_id, "Demo Shopper", now.isoformat(), DEMO_VOICE_CODE)
            self.db.execute(
                "INSERT INTO addresses (user_id, label, line1, city, postal_code, is_default)"
                " VALUES (?, 'home', '12 Maple Street', 'Springfield', '01105', 1),"
                " (?, 'work', '400 Market Street, Suite 9', 'Springfield', '01103', 0)",
                (user_id, user_id),
            )
            year = now.year + 3
            self.db.execute(
                "INSERT INTO payment_methods (user_id, label, brand, last4, exp_month, exp_year, token, is_default)"
                " VALUES (?, 'visa', 'Visa', '4242', 12, ?, 'tok_visa', 1),"
                " (?, 'mastercard', 'Mastercard', '4444', 6, ?, 'tok_mastercard', 0)",
                (user_id, year, user_id, year),
            )
        return User(user_id, "Demo Shopper")

    def check_voice_code(self, user_id: str, code: str) -> bool:
        """Constant-time comparison of `code` with the stored hash (no attempt counting here)."""
        row = self.db.execute(
            "SELECT code_hash, code_salt FROM purchase_settings WHERE user_id = ?", (user_id,)
        ).fetchone()
        if not row or not row[0]:
            return False
        return hmac.compare_digest(row[0], hash_code(code, row[1]))
