"""Users, their addresses, cards and purchase settings; the demo profile; voice codes.

A voice code is kept only as a salted scrypt hash: it is never stored in clear and never spoken back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING

from skill.clock import Clock
from skill.config import SkillConfig
from skill.errors import NotFound, SkillError
from skill.services.payments import Card
from skill.store.db import Database, transaction

if TYPE_CHECKING:
    from skill.services.linking import LinkingService

DEMO_VOICE_CODE = "1234"
MAX_CODE_ATTEMPTS = 3
"""Wrong voice codes in a row that lock voice purchasing until it is reset."""


class InvalidVoiceCode(SkillError):
    """A voice code that is not exactly four digits."""


@dataclass(frozen=True)
class User:
    user_id: str
    """The Alexa user id."""
    name: str
    """How the shop greets the user; may be empty."""


@dataclass(frozen=True)
class PurchaseSettings:
    """A user's voice purchasing settings (a row of `purchase_settings`)."""

    voice_code_required: bool
    """Voice purchasing protection is on: the four-digit code is asked before every order."""
    has_code: bool
    """A voice code is set."""
    failed_attempts: int
    """Wrong codes in a row since the last right one."""
    locked: bool
    """Voice purchasing is locked after too many wrong codes, until `reset_voice_purchasing`."""
    spending_limit_cents: int
    """The most one voice order may cost."""

    @property
    def attempts_left(self) -> int:
        return max(0, MAX_CODE_ATTEMPTS - self.failed_attempts)


class CodeCheck(Enum):
    """The outcome of `AccountService.verify_voice_code`."""

    ACCEPTED = "accepted"
    WRONG = "wrong"
    """Wrong, with attempts left."""
    LOCKED = "locked"
    """Wrong for the last time (or already locked): voice purchasing is now locked."""


def hash_code(code: str, salt: str) -> str:
    return hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()


@lru_cache(maxsize=1)
def demo_code_hash() -> tuple[str, str]:
    """(salt, scrypt hash) of the demo code, computed once a process: the code is public, and scrypt
    per new demo user made a new user's first request wait seconds under load."""
    salt = secrets.token_hex(16)
    return salt, hash_code(DEMO_VOICE_CODE, salt)


class AccountService:
    """Looks users up and, with `config.demo_accounts`, gives a new user the demo profile."""

    def __init__(
        self, db: Database, clock: Clock, config: SkillConfig, *, linking: LinkingService | None = None
    ) -> None:
        """`linking` (handed over by `skill.services.Services`) resolves the access tokens of linked
        accounts; without it, `ensure_user` takes no token."""
        self.db = db
        self.clock = clock
        self.config = config
        self.linking = linking

    def get(self, user_id: str) -> User | None:
        row = self.db.execute("SELECT user_id, name FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return User(*row) if row else None

    def ensure_user(self, user_id: str, access_token: str | None = None) -> User | None:
        """The user, created when allowed: with demo accounts (full demo profile) or a linked-account
        token (the shop account it was issued for); None means 'not linked', and the skill asks for
        account linking. A token this shop did not issue, or one expired, revoked or issued to another
        client than `config.linking_client_id`, links nothing."""
        if access_token:
            if self.linking is None:
                raise SkillError("an access token needs the linking service (build accounts with skill.services.Services)")
            linked = self.linking.user_for_access_token(access_token, self.config.linking_client_id)
            return self.get(linked) if linked else None
        user = self.get(user_id)
        if user is not None:
            return user
        if self.config.demo_accounts:
            return self.create_demo_user(user_id)
        return None

    def create_user(self, user_id: str, name: str = "", voice_code: str | None = None) -> User:
        now = self.clock.now().isoformat()
        with transaction(self.db):
            self._insert_user(user_id, name, now, voice_code)
        return User(user_id, name)

    def _insert_user(
        self, user_id: str, name: str, now: str, voice_code: str | None, *, hashed: tuple[str, str] | None = None
    ) -> bool:
        """Insert the user and their settings; False when the user already existed.
        `hashed`: the code's (salt, hash) already computed (the demo code's, shared)."""
        created = self.db.execute(
            "INSERT OR IGNORE INTO users (user_id, name, linked, created_at) VALUES (?, ?, 1, ?)",
            (user_id, name, now),
        ).rowcount == 1
        if voice_code and hashed is None:
            salt = secrets.token_hex(16)
            hashed = (salt, hash_code(voice_code, salt))
        self.db.execute(
            "INSERT OR IGNORE INTO purchase_settings"
            " (user_id, voice_purchasing, code_hash, code_salt, spending_limit_cents) VALUES (?, ?, ?, ?, ?)",
            (
                user_id,
                1 if voice_code else 0,
                hashed[1] if hashed else None,
                hashed[0] if hashed else None,
                self.config.default_spending_limit_cents,
            ),
        )
        return created

    def create_demo_user(self, user_id: str) -> User:
        """The contract's demo profile: home and work addresses, a sandbox Visa and Mastercard,
        voice purchasing on with voice code 1234."""
        now = self.clock.now()
        with transaction(self.db):
            # Two first requests at once: the second finds the user made by the first and stops here.
            if not self._insert_user(
                user_id, "Demo Shopper", now.isoformat(), DEMO_VOICE_CODE, hashed=demo_code_hash()
            ):
                return self.get(user_id)  # type: ignore[return-value]
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

    # -- cards ---------------------------------------------------------------------------------

    def cards(self, user_id: str) -> list[Card]:
        """The user's tokenized cards, the default first."""
        rows = self.db.execute(
            "SELECT id, label, brand, last4, exp_month, exp_year, token, is_default FROM payment_methods"
            " WHERE user_id = ? ORDER BY is_default DESC, id",
            (user_id,),
        ).fetchall()
        return [Card(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7])) for r in rows]

    def card(self, user_id: str, card_id: int) -> Card:
        for card in self.cards(user_id):
            if card.id == card_id:
                return card
        raise NotFound(f"no card {card_id} for this user")

    def card_by_label(self, user_id: str, label: str) -> Card:
        """The card the user calls `label` ('visa', 'my mastercard'): its label, or else its brand."""
        wanted = label.strip().lower().removeprefix("my ").strip()
        cards = self.cards(user_id)
        for match in (
            lambda c: c.label.lower() == wanted,
            lambda c: c.brand.lower() == wanted,
            lambda c: wanted.endswith(c.last4),
        ):
            for card in cards:
                if match(card):
                    return card
        raise NotFound(f"no card called {label!r} for this user")

    def default_card(self, user_id: str) -> Card | None:
        """The default card, or the only card; None when there is no clear choice."""
        cards = self.cards(user_id)
        for card in cards:
            if card.is_default:
                return card
        return cards[0] if len(cards) == 1 else None

    def add_card(
        self, user_id: str, label: str, brand: str, last4: str, exp_month: int, exp_year: int, token: str
    ) -> Card:
        """Keep a tokenized card for the user (used by tests and account tooling)."""
        with transaction(self.db):
            cur = self.db.execute(
                "INSERT INTO payment_methods (user_id, label, brand, last4, exp_month, exp_year, token, is_default)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                (user_id, label, brand, last4, exp_month, exp_year, token),
            )
        assert cur.lastrowid is not None
        return self.card(user_id, cur.lastrowid)

    # -- purchase settings and the voice code --------------------------------------------------

    def purchase_settings(self, user_id: str) -> PurchaseSettings:
        row = self.db.execute(
            "SELECT voice_purchasing, code_hash, failed_attempts, locked, spending_limit_cents"
            " FROM purchase_settings WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            return PurchaseSettings(False, False, 0, False, self.config.default_spending_limit_cents)
        return PurchaseSettings(bool(row[0]), bool(row[1]), row[2], bool(row[3]), row[4])

    def set_voice_code(self, user_id: str, code: str) -> None:
        """Set a new four-digit code (hashed), turn the protection on and clear any lock."""
        if len(code) != 4 or not code.isdigit():
            raise InvalidVoiceCode("a voice code is four digits")
        salt = secrets.token_hex(16)
        digest = hash_code(code, salt)
        with transaction(self.db):
            self._ensure_settings(user_id)
            self.db.execute(
                "UPDATE purchase_settings SET code_hash = ?, code_salt = ?, voice_purchasing = 1,"
                " failed_attempts = 0, locked = 0 WHERE user_id = ?",
                (digest, salt, user_id),
            )

    def set_voice_purchasing(self, user_id: str, code_required: bool) -> None:
        """Turn the voice code protection on or off (on needs a code to be set)."""
        if code_required and not self.purchase_settings(user_id).has_code:
            raise InvalidVoiceCode("set a voice code before turning the protection on")
        with transaction(self.db):
            self._ensure_settings(user_id)
            self.db.execute(
                "UPDATE purchase_settings SET voice_purchasing = ? WHERE user_id = ?",
                (int(code_required), user_id),
            )

    def set_spending_limit(self, user_id: str, limit_cents: int) -> None:
        if limit_cents <= 0:
            raise SkillError("a spending limit must be positive")
        with transaction(self.db):
            self._ensure_settings(user_id)
            self.db.execute(
                "UPDATE purchase_settings SET spending_limit_cents = ? WHERE user_id = ?",
                (limit_cents, user_id),
            )

    def reset_voice_purchasing(self, user_id: str) -> None:
        """Unlock voice purchasing after too many wrong codes (what 'reset it in the Alexa app' does)."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE purchase_settings SET failed_attempts = 0, locked = 0 WHERE user_id = ?", (user_id,)
            )

    def verify_voice_code(self, user_id: str, code: str) -> CodeCheck:
        """Check a spoken code and count it: a right code clears the count, the third wrong one locks.

        The hash is computed before the write lock is taken (scrypt is slow on purpose); the count is
        read and written inside one transaction, so concurrent attempts are all counted.
        """
        row = self.db.execute(
            "SELECT code_hash, code_salt FROM purchase_settings WHERE user_id = ?", (user_id,)
        ).fetchone()
        right = bool(row and row[0]) and hmac.compare_digest(row[0], hash_code(code, row[1]))
        with transaction(self.db):
            locked, failed = self.db.execute(
                "SELECT locked, failed_attempts FROM purchase_settings WHERE user_id = ? FOR UPDATE", (user_id,)
            ).fetchone() or (0, 0)
            if locked:
                return CodeCheck.LOCKED
            if right:
                if failed:
                    self.db.execute(
                        "UPDATE purchase_settings SET failed_attempts = 0 WHERE user_id = ?", (user_id,)
                    )
                return CodeCheck.ACCEPTED
            failed += 1
            lock = failed >= MAX_CODE_ATTEMPTS
            self.db.execute(
                "UPDATE purchase_settings SET failed_attempts = ?, locked = ? WHERE user_id = ?",
                (failed, int(lock), user_id),
            )
            if lock:
                # A code given in a checkout still open elsewhere no longer counts (even after a reset).
                self.db.execute("UPDATE checkouts SET code_ok = 0 WHERE user_id = ?", (user_id,))
        return CodeCheck.LOCKED if lock else CodeCheck.WRONG

    def _ensure_settings(self, user_id: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO purchase_settings (user_id, voice_purchasing, spending_limit_cents)"
            " VALUES (?, 0, ?)",
            (user_id, self.config.default_spending_limit_cents),
        )

    def check_voice_code(self, user_id: str, code: str) -> bool:
        """Constant-time comparison of `code` with the stored hash (no attempt counting here)."""
        row = self.db.execute(
            "SELECT code_hash, code_salt FROM purchase_settings WHERE user_id = ?", (user_id,)
        ).fetchone()
        if not row or not row[0]:
            return False
        return hmac.compare_digest(row[0], hash_code(code, row[1]))
