"""Account linking's store: shop accounts (a password hash), OAuth clients, authorization codes and tokens.

Nothing secret is stored as it was given: passwords as salted scrypt, client secrets, codes and tokens as
SHA-256 (they are long random strings, so a plain digest is enough to make a stolen table useless).
`skill.oauth` puts Authlib's authorization server over these; the skill maps a request's access token
to its shop account with `LinkingService.user_for_access_token`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from skill.clock import Clock
from skill.errors import NotFound, SkillError
from skill.store.db import Database, transaction

__all__ = [
    "ACCESS_TOKEN_LIFETIME",
    "CODE_LIFETIME",
    "REFRESH_TOKEN_LIFETIME",
    "LinkingError",
    "LoginThrottled",
    "LinkingService",
    "OAuthClient",
    "ShopAccount",
    "StoredCode",
    "StoredToken",
    "digest",
]

ACCESS_TOKEN_LIFETIME = timedelta(hours=1)
"""Short-lived: Alexa refreshes it with the refresh token when it runs out."""
REFRESH_TOKEN_LIFETIME = timedelta(days=180)
CODE_LIFETIME = timedelta(minutes=5)
MAX_FAILED_LOGINS = 5
LOGIN_HOLD = timedelta(minutes=15)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@+-]{2,63}")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class LinkingError(SkillError):
    """A shop account or client that cannot be created as asked."""


class LoginThrottled(SkillError):
    """Too many wrong passwords in a row for one account: it is held for a while."""


def digest(secret: str) -> str:
    """The stored form of a code, token or client secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${key.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    found = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(found.hex(), key)


@dataclass(frozen=True)
class ShopAccount:
    account_id: int
    username: str
    user_id: str
    """The skill's user id for this account: its cart, addresses, cards and orders."""


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    secret_hash: str
    redirect_uris: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class StoredCode:
    code_hash: str
    client_id: str
    account_id: int
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class StoredToken:
    token_hash: str
    kind: str
    client_id: str
    account_id: int
    scope: str
    grant_id: str
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime


_TOKEN_COLUMNS = "token_hash, kind, client_id, account_id, scope, grant_id, expires_at, revoked_at, created_at"
_CODE_COLUMNS = (
    "code_hash, client_id, account_id, redirect_uri, scope, code_challenge, code_challenge_method, expires_at, used_at"
)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class LinkingService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # -- shop accounts ----------------------------------------------------------------------

    def create_account(self, username: str, password: str, *, name: str = "") -> ShopAccount:
        """A shop account and the skill user it links to (`shop:<username>`)."""
        username = username.strip().lower()
        if not _USERNAME.fullmatch(username):
            raise LinkingError("a username is 3-64 characters: letters, digits and . _ @ + -")
        if len(password) < 8:
            raise LinkingError("a password has at least 8 characters")
        user_id = f"shop:{username}"
        now = self.clock.now().isoformat()
        password_hash = hash_password(password)
        with transaction(self.db):
            if self.db.execute("SELECT 1 FROM shop_accounts WHERE username = ?", (username,)).fetchone():
                raise LinkingError(f"a shop account {username!r} already exists")
            self.db.execute(
                "INSERT INTO users (user_id, name, linked, created_at) VALUES (?, ?, 1, ?)"
                " ON CONFLICT(user_id) DO NOTHING",
                (user_id, name, now),
            )
            account_id = self.db.execute(
                "INSERT INTO shop_accounts (username, password_hash, user_id, created_at) VALUES (?, ?, ?, ?)"
                " RETURNING account_id",
                (username, password_hash, user_id, now),
            ).fetchone()[0]
        return ShopAccount(int(account_id), username, user_id)

    def authenticate(self, username: str, password: str) -> ShopAccount | None:
        """The account when the password is right; None otherwise (the same time either way).

        `MAX_FAILED_LOGINS` wrong passwords in a row hold the account for `LOGIN_HOLD` (LoginThrottled),
        so a password cannot be guessed through the login page.
        """
        row = self.db.execute(
            "SELECT account_id, username, user_id, password_hash, failed_logins, last_failed_at"
            " FROM shop_accounts WHERE username = ?",
            (username.strip().lower(),),
        ).fetchone()
        now = self.clock.now()
        if row and row[4] >= MAX_FAILED_LOGINS and row[5] and datetime.fromisoformat(row[5]) + LOGIN_HOLD > now:
            raise LoginThrottled(f"too many wrong passwords for {row[1]}; try again later")
        stored = row[3] if row else hash_password("not an account")  # spend the same time
        ok = check_password(password, stored)
        if row is None:
            return None
        with transaction(self.db):
            if ok:
                self.db.execute("UPDATE shop_accounts SET failed_logins = 0 WHERE account_id = ?", (row[0],))
            else:
                self.db.execute(
                    "UPDATE shop_accounts SET failed_logins = failed_logins + 1, last_failed_at = ? WHERE account_id = ?",
                    (now.isoformat(), row[0]),
                )
        return ShopAccount(row[0], row[1], row[2]) if ok else None

    def account(self, account_id: int) -> ShopAccount | None:
        row = self.db.execute(
            "SELECT account_id, username, user_id FROM shop_accounts WHERE account_id = ?", (account_id,)
        ).fetchone()
        return ShopAccount(*row) if row else None

    # -- clients ----------------------------------------------------------------------------

    def register_client(self, client_id: str, redirect_uris: list[str], name: str = "") -> str:
        """Register (or re-register, with a new secret) a client; returns its secret, shown once."""
        if not re.fullmatch(r"[A-Za-z0-9._-]{3,100}", client_id):
            raise LinkingError("a client id is 3-100 characters: letters, digits and . _ -")
        if not redirect_uris:
            raise LinkingError("give at least one redirect URI (the Alexa console lists them)")
        for uri in redirect_uris:
            if not uri.startswith("https://") and not uri.startswith("http://127.0.0.1"):
                raise LinkingError(f"redirect URI {uri!r} must be https:// (or http://127.0.0.1 for tests)")
        secret = secrets.token_urlsafe(32)
        now = self.clock.now().isoformat()
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO oauth_clients (client_id, secret_hash, redirect_uris, name, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(client_id) DO UPDATE SET secret_hash = excluded.secret_hash,"
                " redirect_uris = excluded.redirect_uris, name = excluded.name",
                (client_id, digest(secret), json.dumps(redirect_uris), name, now),
            )
        return secret

    def client(self, client_id: str) -> OAuthClient | None:
        row = self.db.execute(
            "SELECT client_id, secret_hash, redirect_uris, name FROM oauth_clients WHERE client_id = ?",
            (client_id,),
        ).fetchone()
        return OAuthClient(row[0], row[1], tuple(json.loads(row[2])), row[3]) if row else None

    # -- codes ------------------------------------------------------------------------------

    def save_code(
        self,
        code: str,
        *,
        client_id: str,
        account_id: int,
        redirect_uri: str,
        scope: str,
        code_challenge: str | None,
        code_challenge_method: str | None,
    ) -> None:
        expires = self.clock.now() + CODE_LIFETIME
        with transaction(self.db):
            self.db.execute(
                f"INSERT INTO oauth_codes ({_CODE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                (digest(code), client_id, account_id, redirect_uri, scope, code_challenge,
                 code_challenge_method, expires.isoformat()),
            )  # fmt: skip

    def redeem_code(self, code: str, client_id: str) -> StoredCode | None:
        """The code when it is this client's, unexpired and unused; a replayed code revokes every token
        issued from it (RFC 6749 4.1.2) and returns None."""
        code_hash = digest(code)
        row = self.db.execute(f"SELECT {_CODE_COLUMNS} FROM oauth_codes WHERE code_hash = ?", (code_hash,)).fetchone()
        if row is None or row[1] != client_id:
            return None
        stored = StoredCode(row[0], row[1], row[2], row[3], row[4], row[5], row[6], datetime.fromisoformat(row[7]),
                            _when(row[8]))  # fmt: skip
        if stored.used_at is not None:
            self.revoke_grant(code_hash)
            return None
        if stored.expires_at <= self.clock.now():
            return None
        # Claimed here, atomically: of two token requests racing with one code, only one gets it.
        return stored if self.mark_code_used(code_hash) else None

    def mark_code_used(self, code_hash: str) -> bool:
        """Marks the code used; False when another request had already claimed it."""
        with transaction(self.db):
            cursor = self.db.execute(
                "UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
                (self.clock.now().isoformat(), code_hash),
            )
            return bool(cursor.rowcount == 1)

    # -- tokens -----------------------------------------------------------------------------

    def save_tokens(
        self,
        *,
        access_token: str,
        refresh_token: str | None,
        client_id: str,
        account_id: int,
        scope: str,
        grant_id: str,
        expires_in: int,
    ) -> None:
        now = self.clock.now()
        rows = [(digest(access_token), "access", now + timedelta(seconds=expires_in))]
        if refresh_token:
            rows.append((digest(refresh_token), "refresh", now + REFRESH_TOKEN_LIFETIME))
        with transaction(self.db):
            self.db.executemany(
                f"INSERT INTO oauth_tokens ({_TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                [(h, kind, client_id, account_id, scope, grant_id, exp.isoformat(), now.isoformat())
                 for h, kind, exp in rows],
            )  # fmt: skip

    def token(self, token: str, kind: str | None = None) -> StoredToken | None:
        row = self.db.execute(f"SELECT {_TOKEN_COLUMNS} FROM oauth_tokens WHERE token_hash = ?", (digest(token),)).fetchone()
        if row is None or (kind is not None and row[1] != kind):
            return None
        return StoredToken(row[0], row[1], row[2], row[3], row[4], row[5], datetime.fromisoformat(row[6]),
                           _when(row[7]), datetime.fromisoformat(row[8]))  # fmt: skip

    def usable(self, stored: StoredToken | None) -> bool:
        return stored is not None and stored.revoked_at is None and stored.expires_at > self.clock.now()

    def revoke_token(self, token_hash: str) -> None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE oauth_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                (self.clock.now().isoformat(), token_hash),
            )

    def revoke_grant(self, grant_id: str) -> None:
        """Every token of one authorization (a replayed code, a revoked refresh token)."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE oauth_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
                (self.clock.now().isoformat(), grant_id),
            )

    def user_for_access_token(self, token: str, client_id: str | None = None) -> str | None:
        """The skill user id a request's access token stands for; None when it is unknown, expired,
        revoked, or (with `client_id`) issued to another client."""
        stored = self.token(token, "access")
        if not self.usable(stored):
            return None
        assert stored is not None
        if client_id is not None and stored.client_id != client_id:
            return None
        account = self.account(stored.account_id)
        return account.user_id if account else None

    def require_account(self, username: str) -> ShopAccount:
        row = self.db.execute(
            "SELECT account_id, username, user_id FROM shop_accounts WHERE username = ?", (username.strip().lower(),)
        ).fetchone()
        if row is None:
            raise NotFound(f"no shop account {username!r}")
        return ShopAccount(*row)
