"""ask-sdk request handlers, one module per domain.

`request_handlers()` is the one place their order is set: the first handler whose `can_handle` is
true wins. Account linking comes first (an unlinked user can do nothing else), each domain's yes/no
handlers (routed by the pending question) come before the built-ins, and the AMAZON.FallbackIntent
catch-all comes last (it is the last of `builtins.HANDLERS`).
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from skill.handlers import (
    accounts,
    builtins,
    cart,
    cart_read,
    checkout,
    choose,
    delivery,
    edit,
    orders,
    search,
    talk,
)


def request_handlers() -> list[AbstractRequestHandler]:
    return [
        *accounts.HANDLERS,
        *checkout.HANDLERS,
        *delivery.HANDLERS,
        *orders.HANDLERS,
        *cart_read.HANDLERS,
        *cart.HANDLERS,
        *choose.HANDLERS,
        *edit.HANDLERS,
        *search.HANDLERS,
        *talk.HANDLERS,
        *builtins.HANDLERS,
    ]
