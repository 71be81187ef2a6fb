"""`voiceshop orders`: the shop's orders: list and filter them, show one with its events, move it on,
cancel it with a refund, refund a line. Every change is an event on the order, in one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import update_wrapper
from pathlib import Path
from typing import Any

import click

from voiceshop.errors import UserError
from voiceshop.options import DATABASE

_STATUSES = ("CREATED", "CONFIRMED", "IN_PREPARATION", "SHIPPED", "DELIVERED", "CANCELLED", "RETURNED")


def _common(command: Callable[..., Any]) -> Callable[..., Any]:
    """--db, --json and --at on every subcommand (given before the subcommand, they apply too)."""
    command = click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")(command)
    command = click.option(
        "--at", "at", help="Act as of this ISO-8601 time instead of now (states move on with the delivery slot)."
    )(command)
    return click.option(
        "--db", "db", type=DATABASE, help="SQLite database file or postgresql:// URL."
    )(command)


@click.group(invoke_without_command=True)
@click.option("--user", "user_id", help="Only this user's orders (an Alexa user id).")
@_common
@click.pass_context
def orders(ctx: click.Context, user_id: str | None, db: Path | None, as_json: bool, at: str | None) -> None:
    """List orders (newest first), or act on one: show, prepare, ship, deliver, cancel, refund.

    \b
    Examples:
      voiceshop orders --db shop.db --json                 # every order, the contract's JSON
      voiceshop orders list --status CONFIRMED --since 2026-11-27
      voiceshop orders show 482913
      voiceshop orders prepare 482913
      voiceshop orders ship 482913 --tracking "van 3, driver Sam"
      voiceshop orders deliver 482913
      voiceshop orders cancel 482913 --reason "shopper called"
      voiceshop orders refund 482913 --sku EGGS-001 --quantity 1 --reason "one box broken"
    """
    ctx.obj = {"db": db, "at": at, "json": as_json}
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_command, user_id=user_id, db=db, as_json=as_json, at=at)


@contextmanager
def _operations(db: Path | None, at: str | None) -> Iterator[Any]:
    from skill.clock import FixedClock, SystemClock
    from skill.config import SkillConfig
    from skill.errors import StoreError
    from skill.services import Services
    from skill.store.db import open_database

    parent = click.get_current_context().find_root().obj or {}
    ctx_obj = click.get_current_context().obj or {}
    db = db or ctx_obj.get("db") or parent.get("db")
    at = at or ctx_obj.get("at")
    config = SkillConfig.from_env(db_path=db)
    if config.db_url is None and not config.db_path.is_file():
        raise UserError(f"no database at {config.db_path} (give --db PATH)")
    clock = FixedClock(_parse_time(at, "--at")) if at else SystemClock()
    try:
        database = open_database(config.database, seed_catalog=False)
    except StoreError:
        raise
    except Exception as exc:  # sqlite3.DatabaseError: not a database file
        raise UserError(f"cannot read database {config.db_path}: {exc}") from exc
    try:
        yield Services(database, clock, config).operations
    finally:
        database.close()


def _wants_json(as_json: bool) -> bool:
    return as_json or bool((click.get_current_context().obj or {}).get("json"))


@orders.command("list")
@click.option("--user", "user_id", help="Only this user's orders (an Alexa user id).")
@click.option("--status", type=click.Choice(_STATUSES, case_sensitive=False), help="Only orders in this state now.")
@click.option("--since", help="Placed on or after this date or time (ISO-8601, e.g. 2026-11-27).")
@click.option("--until", help="Placed before this date or time (a date means the end of that day).")
@click.option("--limit", type=click.IntRange(1, 100000), help="At most this many orders.")
@_common
def list_command(
    user_id: str | None,
    db: Path | None,
    as_json: bool,
    at: str | None,
    status: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> None:
    """List orders newest first, filtered by state, date and user.

    \b
    Examples:
      voiceshop orders list --status SHIPPED --json
      voiceshop orders list --user amzn1.ask.account.XYZ --since 2026-11-01 --until 2026-11-30
    """
    start = _parse_time(since, "--since") if since else None
    end = _parse_time(until, "--until", end_of_day=True) if until else None
    with _operations(db, at) as ops:
        found = ops.find(status=status.upper() if status else None, user_id=user_id, since=start, until=end, limit=limit)
        rows = [_as_json(order) for order in found]
    if _wants_json(as_json):
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no orders" + (f" for {user_id}" if user_id else ""))
        return
    _print_table(rows)


@orders.command("show")
@click.argument("order_id")
@_common
def show_command(order_id: str, db: Path | None, as_json: bool, at: str | None) -> None:
    """One order with its lines, refunds and every event (who, when, note).

    \b
    Example:
      voiceshop orders show 482913 --db shop.db --json
    """
    with _operations(db, at) as ops:
        order = ops.get(order_id)
        _emit(ops, order, as_json, detailed=True)


def _act(name: str, help_text: str, example: str, extra: list[Callable[..., Any]] | None = None) -> Callable[..., Any]:
    """A subcommand that runs one operation on one order and prints the order afterwards."""

    def decorator(run: Callable[..., Any]) -> Callable[..., Any]:
        def command(order_id: str, db: Path | None, as_json: bool, at: str | None, **options: Any) -> None:
            with _operations(db, at) as ops:
                order = run(ops, order_id, **options)
                _emit(ops, order, as_json, detailed=False)

        command = update_wrapper(command, run)
        command.__doc__ = f"{help_text}\n\n\b\nExample:\n  {example}"
        for option in reversed(extra or []):
            command = option(command)
        command = _common(command)
        command = click.argument("order_id")(command)
        return orders.command(name)(command)

    return decorator


@_act("prepare", "CONFIRMED -> IN_PREPARATION: picking and packing started.", "voiceshop orders prepare 482913",
      [click.option("--note", default="", help="A note kept on the event.")])  # fmt: skip
def _prepare(ops: Any, order_id: str, note: str) -> Any:
    return ops.prepare(order_id, note)


@_act("ship", "CONFIRMED or IN_PREPARATION -> SHIPPED, with a tracking note.",
      'voiceshop orders ship 482913 --tracking "UPS 1Z999AA10123456784"',
      [click.option("--tracking", default="", help="Carrier and tracking number, or the van and driver.")])  # fmt: skip
def _ship(ops: Any, order_id: str, tracking: str) -> Any:
    return ops.ship(order_id, tracking)


@_act("deliver", "SHIPPED -> DELIVERED.", "voiceshop orders deliver 482913",
      [click.option("--note", default="", help="A note kept on the event (e.g. left with the neighbour).")])  # fmt: skip
def _deliver(ops: Any, order_id: str, note: str) -> Any:
    return ops.deliver(order_id, note)


@_act("cancel", "Cancel an order that has not shipped: refund what is left, restock, free the slot.",
      'voiceshop orders cancel 482913 --reason "shopper called"',
      [click.option("--reason", default="", help="Why, kept on the event.")])  # fmt: skip
def _cancel(ops: Any, order_id: str, reason: str) -> Any:
    return ops.cancel_order(order_id, reason)


@_act("refund", "Refund one line (all of it, or --quantity units) with its share of the tax.",
      'voiceshop orders refund 482913 --sku EGGS-001 --quantity 1 --reason "broken"',
      [click.option("--sku", required=True, help="The line's sku."),
       click.option("--quantity", type=click.IntRange(1, None), help="Units to refund (default: all left)."),
       click.option("--reason", default="", help="Why, kept on the event.")])  # fmt: skip
def _refund(ops: Any, order_id: str, sku: str, quantity: int | None, reason: str) -> Any:
    return ops.refund_line(order_id, sku, quantity, reason)


# -- output ---------------------------------------------------------------------------------------


def _emit(ops: Any, order: Any, as_json: bool, *, detailed: bool) -> None:
    refunded, per_line = ops.refunded(order.order_id)
    events = ops.events(order.order_id)
    if _wants_json(as_json):
        data = _as_json(order)
        data["refunded_cents"] = refunded
        for item in data["items"]:
            item["refunded_quantity"] = per_line.get(item["sku"], 0)
        data["events"] = [
            {"status": e.status, "at": e.at.isoformat(), "actor": e.actor, "note": e.note, "amount_cents": e.amount_cents}
            for e in events
        ]
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(
        f"order {order.order_id}: {order.status}, total ${order.total_cents / 100:,.2f}"
        + (f", refunded ${refunded / 100:,.2f}" if refunded else "")
    )
    if not detailed:
        return
    click.echo(f"user: {order.user_id}")
    slot = order.slot
    click.echo(f"delivery: {order.address_label or '-'}, {slot.date.isoformat() + ' ' + slot.window if slot else '-'}")
    for line in order.items:
        back = per_line.get(line.sku, 0)
        click.echo(
            f"  {line.quantity} x {line.sku} {line.name} @ ${line.unit_price_cents / 100:,.2f}"
            + (f" ({back} refunded)" if back else "")
        )
    for e in events:
        extra = f" ${e.amount_cents / 100:,.2f} back" if e.amount_cents else ""
        note = f" - {e.note}" if e.note else ""
        click.echo(f"  {e.at.isoformat()}  {e.status:<14} {e.actor:<6}{extra}{note}")


def _parse_time(text: str, option: str, *, end_of_day: bool = False) -> datetime:
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day + timedelta(days=1) if end_of_day else day, time(0))
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"{option} {text!r} is not an ISO-8601 date or time such as 2026-11-28T18:00:00Z") from None
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
