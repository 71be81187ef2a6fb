"""Skill configuration: defaults, then environment variables prefixed VOICESHOP_, then explicit arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from platformdirs import user_data_path


def default_db_path() -> Path:
    """Per-user default database: $XDG_DATA_HOME/voiceshop/voiceshop.db (~/.local/share/... on Linux;
    the platform's data directory elsewhere, as platformdirs knows it)."""
    return user_data_path("voiceshop") / "voiceshop.db"


@dataclass
class SkillConfig:
    """Everything the skill needs to know that is not in a request."""

    db_path: Path = field(default_factory=default_db_path)
    """SQLite database file; ':memory:' is refused because every request opens its own connection.
    A postgresql:// URL given here is moved to `db_url`."""
    db_url: str | None = None
    """A PostgreSQL URL (postgresql://user:password@host/dbname): when set, the store is there, shared by
    every process of every server, and `db_path` is unused."""
    demo_accounts: bool = False
    """Give a user seen for the first time the demo profile; without it, unknown users must link an account."""
    skill_id: str | None = None
    """When set, requests for any other application id are rejected."""
    locale: str = "en-US"
    """Locale used when a request carries none."""
    timezone: str = "America/New_York"
    """The shop's timezone: delivery days and slots are in it."""
    tax_rate: float = 0.08
    """Sales tax applied to the subtotal at checkout."""
    delivery_fee_cents: int = 499
    """Delivery fee, waived at or above `free_delivery_cents`."""
    free_delivery_cents: int = 3500
    slot_capacity: int = 20
    """Orders each delivery slot takes."""
    default_spending_limit_cents: int = 50000
    """Per-order limit for a new user's voice purchases."""
    search_reads: int = 1
    """Products read for a request naming a kind: 1 offers a top pick (other options on request),
    3 reads a list of three as the skill used to."""
    confirm_add_cents: int = 5000
    """An add costing this much or more (quantity times price) is confirmed first."""
    linking_client_id: str | None = None
    """The OAuth client id the Alexa console uses for this skill; access tokens of other clients link nothing."""
    order_progress: str = "clock"
    """Who moves orders on: "clock" (from the delivery slot, until the shop's staff move one) or "staff"
    (only `voiceshop orders prepare/ship/deliver`)."""

    def __post_init__(self) -> None:
        if str(self.db_path).startswith(("postgresql://", "postgres://")):
            self.db_url, self.db_path = str(self.db_path), default_db_path()

    @property
    def database(self) -> str | Path:
        """Where the store is: the PostgreSQL URL, or else the SQLite file."""
        return self.db_url or self.db_path

    @classmethod
    def from_env(cls, **overrides: object) -> SkillConfig:
        """Defaults, then VOICESHOP_<FIELD> environment variables, then `overrides` (None means 'not given')."""
        values: dict[str, object] = {}
        for f in fields(cls):
            env = os.environ.get(f"VOICESHOP_{f.name.upper()}")
            if env is not None:
                values[f.name] = _coerce(f.type, env)
        given = {k: v for k, v in overrides.items() if v is not None}
        if "db_path" in given and "db_url" not in given:
            values.pop("db_url", None)  # an explicit --db wins over $VOICESHOP_DB_URL
        values.update(given)
        if "db_path" in values and not str(values["db_path"]).startswith(("postgresql://", "postgres://")):
            values["db_path"] = Path(str(values["db_path"]))
        return cls(**values)  # type: ignore[arg-type]


LOCALE_SETTINGS: dict[str, dict[str, object]] = {
    "ko-KR": {
        "timezone": "Asia/Seoul",
        "tax_rate": 0.0,  # Korean shelf prices include VAT
        "delivery_fee_cents": 3000,  # won: the won has no minor unit
        "free_delivery_cents": 40000,
        "default_spending_limit_cents": 500000,
        "confirm_add_cents": 70000,  # about what $50 is in won; 5,000 would confirm every add
    },
}
"""What a locale's shop does differently from the defaults: its timezone, tax, fees and limits in its
currency. en-US uses the configuration as given."""


def config_for(config: SkillConfig, locale: str) -> SkillConfig:
    """The configuration of `locale`'s shop: `config` with the locale's own settings."""
    settings = LOCALE_SETTINGS.get(locale)
    if not settings:
        return config
    return replace(config, locale=locale, **settings)  # type: ignore[arg-type]


def _coerce(type_name: object, text: str) -> object:
    name = str(type_name)
    if name == "bool":
        return text.strip().lower() in ("1", "true", "yes", "on")
    if name == "int":
        return int(text)
    if name == "float":
        return float(text)
    return text
