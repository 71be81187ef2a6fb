"""Domain services: everything a handler asks of the store goes through these (no SQL in handlers).

`Services` is built per request by `skill.app` and reached from a handler with
`skill.handlers.base.services(handler_input)`. It is the one place services are put together: a
service that needs another (the cart the catalog, orders the delivery and account services) is handed
it here and never builds its own. Each service module is imported lazily, so the domains stay
independent of each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from skill.clock import Clock
from skill.config import SkillConfig
from skill.store.db import Database

if TYPE_CHECKING:
    from skill.services.accounts import AccountService
    from skill.services.cart import CartService
    from skill.services.catalog import CatalogService
    from skill.services.checkout import CheckoutService
    from skill.services.delivery import DeliveryService
    from skill.services.fulfilment import OrderOperations
    from skill.services.linking import LinkingService
    from skill.services.orders import OrderService
    from skill.services.payments import PaymentGateway


@dataclass
class Services:
    """The services for one request, sharing one database connection, clock and configuration."""

    db: Database
    clock: Clock
    config: SkillConfig
    gateway: Any = None
    """A `PaymentGateway`; None means the sandbox gateway."""
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def catalog(self) -> CatalogService:
        from skill.services.catalog import CatalogService

        return CatalogService(self.db)

    @cached_property
    def cart(self) -> CartService:
        from skill.services.cart import CartService

        return CartService(self.db, self.clock, catalog=self.catalog)

    @cached_property
    def linking(self) -> LinkingService:
        from skill.services.linking import LinkingService

        return LinkingService(self.db, self.clock)

    @cached_property
    def accounts(self) -> AccountService:
        from skill.services.accounts import AccountService

        return AccountService(self.db, self.clock, self.config, linking=self.linking)

    @cached_property
    def payments(self) -> PaymentGateway:
        if self.gateway is not None:
            return self.gateway
        from skill.services.payments import SandboxGateway

        return SandboxGateway(self.db, self.clock)

    @cached_property
    def delivery(self) -> DeliveryService:
        from skill.services.delivery import DeliveryService

        return DeliveryService(self.db, self.clock, self.config)

    @cached_property
    def orders(self) -> OrderService:
        from skill.services.orders import OrderService

        return OrderService(
            self.db, self.clock, self.config, self.payments, delivery=self.delivery, accounts=self.accounts
        )

    @cached_property
    def operations(self) -> OrderOperations:
        """The orders service with what the shop's staff do to orders (`voiceshop orders`)."""
        from skill.services.fulfilment import OrderOperations

        return OrderOperations(
            self.db, self.clock, self.config, self.payments, delivery=self.delivery, accounts=self.accounts
        )

    @cached_property
    def checkout(self) -> CheckoutService:
        from skill.services.checkout import CheckoutService

        return CheckoutService(self)
