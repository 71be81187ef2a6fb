"""The skill the console talks to, wired as the other commands wire it: Voice Shop in process with demo
accounts (and a view of the shopper's cart and orders), or any skill's HTTP endpoint."""

from __future__ import annotations

import threading
from typing import Any

from speech.interaction_model import default_model_path, load_interaction_model
from voiceshop.console.settings import ConsoleSettings
from voiceshop.console.simulator import Backend

__all__ = ["create_backend", "RECENT_ORDERS"]

RECENT_ORDERS = 5


def create_backend(settings: ConsoleSettings) -> Backend:
    from speech.nlu.compiler import compile_model
    from voiceshop.endpoints import skill_endpoint

    model_file = settings.model_path or default_model_path()
    model = load_interaction_model(model_file)
    nlu = compile_model(model_file, locale=settings.locale)
    endpoint, application_id = skill_endpoint(settings.endpoint, settings.db_path)
    if settings.endpoint:
        return Backend(endpoint, application_id, nlu, model, settings.locale, description=settings.endpoint)
    # One request at a time: the in-process skill holds one SQLite connection, and the page's tabs and
    # the shop panel share it with the gunicorn worker's threads.
    lock = threading.RLock()

    def call(request: dict[str, Any]) -> dict[str, Any]:
        with lock:
            return endpoint(request)

    from skill.config import SkillConfig
    from skill.store.db import describe

    config = SkillConfig.from_env(db_path=settings.db_path, demo_accounts=True)
    return Backend(call, application_id, nlu, model, settings.locale, shop=_shop_view(config, lock),
                   description=f"Voice Shop in process (database {describe(config.database)})")


def _shop_view(config: Any, lock: threading.RLock) -> Any:
    """user id -> {"cart": [...], "subtotal_cents", "orders": [...]} from the skill's own services."""
    from skill.clock import SystemClock
    from skill.services import Services
    from skill.store.db import open_database

    services = Services(open_database(config.database, seed_catalog=False), SystemClock(), config)
    carts, orders = services.cart, services.orders

    def view(user_id: str) -> dict[str, Any]:
        with lock:
            lines = carts.items(user_id)
            placed = orders.list_orders(user_id)[:RECENT_ORDERS]
        return {
            "cart": [
                {"sku": line.product.sku, "name": f"{line.product.brand} {line.product.name}".strip(),
                 "size": line.product.size, "quantity": line.quantity,
                 "line_total_cents": line.line_total_cents}
                for line in lines
            ],
            "subtotal_cents": sum(line.line_total_cents for line in lines),
            "orders": [
                {"order_id": o.order_id, "status": o.status, "total_cents": o.total_cents,
                 "created_at": o.created_at.isoformat(),
                 "items": [{"name": i.name, "quantity": i.quantity} for i in o.items],
                 "delivery": None if o.slot is None else {
                     "address": o.address_label, "date": o.slot.date.isoformat(), "window": o.slot.window}}
                for o in placed
            ],
        }

    return view
