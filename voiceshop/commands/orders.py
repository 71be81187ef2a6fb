"""`voiceshop orders`: the orders in a Voice Shop database, as a table or as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from voiceshop.errors import UserError
from voiceshop.options import DATABASE


@click.command()
@click.option("--user", "user_id", help="Only this user's orders (an Alexa user id).")
@click.option("--db", "db", type=DATABASE, help="SQLite database file or postgresql:// URL.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list instead of a table.")
@click.option(
    "--at",
    "at",
    help="Show states as of this ISO-8601 time instead of now (states move on with the delivery slot).",
)
def orders(user_id: str | None, db: Path | None, as_json: bool, at: str | None) -> None:
    """List orders, newest first, with their state, total, items and delivery slot.

    \b
    Examples:
      voiceshop orders
      voiceshop orders --user amzn1.ask.account.DEMO --json
      voiceshop orders --db shop.db --at 2026-11-28T18:00:00Z
    """
    from skill.clock import FixedClock, SystemClock
    from skill.config import SkillConfig
    from skill.errors import StoreError
    from skill.services.orders import OrderService
    from skill.services.payments import SandboxGateway
    from skill.store.db import open_database

    config = SkillConfig.from_env(db_path=db)
    if config.db_url is None and not config.db_path.is_file():
        raise UserError(f"no database at {config.db_path} (give --db PATH)")
    clock = FixedClock(_parse_time(at)) if at else SystemClock()
    try:
        database = open_database(config.database, seed_catalog=False)
    except StoreError:
        raise
    except Exception as exc:  # sqlite3.DatabaseError: not a database file
        raise UserError(f"cannot read database {config.db_path}: {exc}") from exc
    try:
        service = OrderService(database, clock, config, SandboxGateway(database, clock))
        found = service.list_orders(user_id)
        rows = [_as_json(order) for order in found]
    finally:
        database.conn.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no orders" + (f" for {user_id}" if user_id else ""))
        return
    _print_table(rows)


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"--at {text!r} is not an ISO-8601 time such as 2026-11-28T18:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _as_json(order: Any) -> dict[str, Any]:
    """The contract's shape: order_id, user_id, status, total_cents, items, delivery."""
    slot = order.slot
    return {
        "order_id": order.order_id,
        "user_id": order.user_id,
        "status": order.status,
        "total_cents": order.total_cents,
        "items": [
            {"sku": i.sku, "name": i.name, "quantity": i.quantity, "unit_price_cents": i.unit_price_cents}
            for i in order.items
        ],
        "delivery": {
            "address_label": order.address_label,
            "slot_id": order.slot_id,
            "date": slot.date.isoformat() if slot else None,
            "window": slot.window if slot else None,
            "starts_at": slot.starts_at.isoformat() if slot else None,
            "ends_at": slot.ends_at.isoformat() if slot else None,
        },
    }


def _print_table(rows: list[dict[str, Any]]) -> None:
    table = [("ORDER", "USER", "STATUS", "TOTAL", "ITEMS", "DELIVERY")]
    for row in rows:
        units = sum(i["quantity"] for i in row["items"])
        delivery = row["delivery"]
        where = f"{delivery['address_label'] or '-'}, {delivery['date'] or '-'} {delivery['window'] or ''}".strip()
        table.append(
            (
                row["order_id"],
                _short(row["user_id"]),
                row["status"],
                f"${row['total_cents'] / 100:,.2f}",
                f"{units} ({len(row['items'])} products)",
                where,
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip())


def _short(user_id: str) -> str:
    """Alexa user ids are long; the table shows the end, which is what differs."""
    return user_id if len(user_id) <= 28 else "..." + user_id[-25:]
