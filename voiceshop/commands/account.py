"""`voiceshop account`: a shopper's voice purchasing settings (what the Alexa app's settings page does)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from voiceshop.errors import UserError
from voiceshop.options import DATABASE

DEMO_USER = "amzn1.ask.account.voiceshop-demo"

_user = click.option("--user", "user_id", default=DEMO_USER, show_default=True, help="The Alexa user id.")
_db = click.option("--db", type=DATABASE, help="SQLite database file or postgresql:// URL.")


def _accounts(db: Path | None) -> Any:
    from skill.clock import SystemClock
    from skill.config import SkillConfig
    from skill.services import Services
    from skill.store.db import open_database

    config = SkillConfig.from_env(db_path=db)
    if config.db_url is None and not config.db_path.is_file():
        raise UserError(f"no database at {config.db_path} (give --db PATH)")
    return Services(open_database(config.database, seed_catalog=False), SystemClock(), config).accounts


def _known(service: Any, user_id: str) -> None:
    if service.get(user_id) is None:
        raise UserError(f"no user {user_id} in this database")


@click.group()
def account() -> None:
    """Show and change a shopper's voice purchasing settings.

    \b
    Examples:
      voiceshop account show --user amzn1.ask.account.voiceshop-demo
      voiceshop account unlock                # after three wrong voice codes
      voiceshop account set-code 4321
      voiceshop account set-limit 150.00
      voiceshop account voice-code off
    """


@account.command()
@_user
@_db
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def show(user_id: str, db: Path | None, as_json: bool) -> None:
    """Voice code on or off, locked or not, attempts left, spending limit, cards and addresses."""
    service = _accounts(db)
    _known(service, user_id)
    settings = service.purchase_settings(user_id)
    data = {
        "user_id": user_id,
        "voice_code_required": settings.voice_code_required,
        "has_code": settings.has_code,
        "locked": settings.locked,
        "attempts_left": settings.attempts_left,
        "spending_limit_cents": settings.spending_limit_cents,
        "cards": [{"label": c.label, "brand": c.brand, "last4": c.last4} for c in service.cards(user_id)],
    }
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"user:            {user_id}")
    click.echo(f"voice code:      {'required' if settings.voice_code_required else 'off'}"
               f"{' (set)' if settings.has_code else ' (not set)'}")
    click.echo(f"voice purchases: {'LOCKED' if settings.locked else 'open'}, {settings.attempts_left} attempts left")
    click.echo(f"spending limit:  ${settings.spending_limit_cents / 100:.2f} per order")
    for card in data["cards"]:
        click.echo(f"card:            {card['label']} ({card['brand']} ending {card['last4']})")


@account.command()
@_user
@_db
def unlock(user_id: str, db: Path | None) -> None:
    """Unlock voice purchasing after three wrong voice codes."""
    service = _accounts(db)
    _known(service, user_id)
    service.reset_voice_purchasing(user_id)
    click.echo(f"voice purchasing unlocked for {user_id}")


@account.command("set-code")
@click.argument("code")
@_user
@_db
def set_code(code: str, user_id: str, db: Path | None) -> None:
    """Set a new four-digit voice code (stored only as a hash) and turn the protection on."""
    if len(code) != 4 or not code.isdigit():
        raise UserError("a voice code is exactly four digits, e.g. 4321")
    service = _accounts(db)
    _known(service, user_id)
    service.set_voice_code(user_id, code)
    click.echo(f"voice code changed for {user_id}")


@account.command("set-limit")
@click.argument("dollars")
@_user
@_db
def set_limit(dollars: str, user_id: str, db: Path | None) -> None:
    """Set the most one voice order may cost, in dollars (e.g. 150 or 79.99)."""
    try:
        cents = round(float(dollars.lstrip("$")) * 100)
    except ValueError:
        raise UserError(f"not an amount of dollars: {dollars!r}") from None
    if cents <= 0:
        raise UserError("a spending limit must be more than zero")
    service = _accounts(db)
    _known(service, user_id)
    service.set_spending_limit(user_id, cents)
    click.echo(f"spending limit for {user_id}: ${cents / 100:.2f} per order")


@account.command("voice-code")
@click.argument("state", type=click.Choice(["on", "off"]))
@_user
@_db
def voice_code(state: str, user_id: str, db: Path | None) -> None:
    """Turn the voice code asked before every order on or off."""
    service = _accounts(db)
    _known(service, user_id)
    service.set_voice_purchasing(user_id, state == "on")
    click.echo(f"voice code {state} for {user_id}")


def _linking(db: Path | None) -> Any:
    from skill.clock import SystemClock
    from skill.config import SkillConfig
    from skill.services import Services
    from skill.store.db import open_database

    config = SkillConfig.from_env(db_path=db)
    services = Services(open_database(config.database, seed_catalog=False), SystemClock(), config)
    return services.linking, services.accounts


@account.command("create")
@click.argument("username")
@_db
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--name", default="", help="How the shop greets the shopper.")
@click.option(
    "--demo-profile", is_flag=True, help="Give the account the demo addresses, sandbox cards and voice code 1234."
)
def create(username: str, db: Path | None, password_stdin: bool, name: str, demo_profile: bool) -> None:
    """Create a shop account a shopper signs in with to link Voice Shop in the Alexa app.

    The password is asked twice (or read from stdin) and stored only as a salted scrypt hash.

    \b
    Examples:
      voiceshop account create alice --db shop.db
      echo "$PASSWORD" | voiceshop account create alice --password-stdin --db shop.db
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    linking, accounts = _linking(db)
    if demo_profile:
        accounts.create_demo_user(f"shop:{username.strip().lower()}")
    created = linking.create_account(username, password, name=name)
    click.echo(f"shop account {created.username} created (skill user {created.user_id})")


@account.command("link-client")
@click.argument("client_id")
@click.option("--redirect-uri", "redirect_uris", multiple=True, required=True,
              help="An Alexa redirect URL, exactly as the console lists it (give each one).")  # fmt: skip
@click.option("--name", default="Alexa", show_default=True, help="The name the login page shows.")
@_db
def link_client(client_id: str, redirect_uris: tuple[str, ...], name: str, db: Path | None) -> None:
    """Register the OAuth client the Alexa console uses for account linking; prints its secret once.

    Running it again for the same client id gives a new secret (the old one stops working).

    \b
    Example:
      voiceshop account link-client voiceshop-alexa --db shop.db \\
        --redirect-uri https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA \\
        --redirect-uri https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA
    """
    linking, _ = _linking(db)
    secret = linking.register_client(client_id, list(redirect_uris), name)
    click.echo(f"client id:     {client_id}")
    click.echo(f"client secret: {secret}")
    click.echo("(the secret is shown once; the shop keeps only its hash)")
