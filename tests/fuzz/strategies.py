"""Hypothesis strategies for hostile input: words a shopper might say mixed with noise, long rambles,
terminal escapes, control characters, lone surrogates, odd numbers; and Alexa envelopes mutated in
type, shape and depth.

The example budget is a profile: `ci` (the default, a fixed small budget with a fixed seed for the
test suite) or `long` (`bench/fuzz.py` sets the number of examples itself).
"""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.support.paths import FIXTURES

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("VOICESHOP_FUZZ_EXAMPLES", "1000")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

TALLY: Counter[str] = Counter()
"""What the examples did (`<test>:<outcome>`), reported by bench/fuzz.py."""


def tally(key: str) -> None:
    """Count an example's outcome; with VOICESHOP_FUZZ_TALLY set, the counts are written every 200
    examples, so a long run stopped early still says how far it got."""
    TALLY[key] += 1
    out = os.environ.get("VOICESHOP_FUZZ_TALLY")
    if out and sum(TALLY.values()) % 200 == 0:
        Path(out).write_text(json.dumps(dict(TALLY)))

SHOP_WORDS = [
    "add", "milk", "eggs", "to", "my", "cart", "the", "second", "one", "two", "three", "thirty", "remove",
    "search", "for", "coffee", "oat", "check", "out", "yes", "no", "tomorrow", "morning", "saturday",
    "deliver", "it", "pay", "with", "visa", "home", "work", "cancel", "order", "where", "is", "again",
    "code", "1234", "one two three four", "first", "next", "what's", "in", "buy", "bananas", "paper",
    "towels", "a", "dozen", "bottles", "of", "gallon", "please", "and", "then", "change", "quantity",
]
NOISE = [
    "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b]0;title\x07", "\\x1b[2J", "\x00", "\x07", "\x0b", "\x7f",
    "\ud800", "\udfff", "\ufffe", "\uffff", "\u202e", "\u200b", "e\u0301", "🛒", "ß", "İ", "ﬁ", "Ⅻ",
    "<", ">", "&", "&amp;", "]]>", "<speak>", "'", '"', "{", "}", "{0}", "%s", "../", "/etc/passwd",
    "9" * 40, "1e308", "-0", "NaN", "½", "٣", "一", "0x1F", "1,000,000", "3.14", "'s", "--", "\t", "\r\n",
]

words = st.one_of(st.sampled_from(SHOP_WORDS), st.sampled_from(NOISE), st.text(max_size=12))
utterances = st.one_of(
    st.lists(words, max_size=12).map(" ".join),
    st.lists(words, min_size=25, max_size=80).map(" ".join),  # past the NLU's alignment window
    st.text(max_size=300),
    st.builds(lambda n, w: " ".join([w] * n), st.integers(1, 400), st.sampled_from(SHOP_WORDS + NOISE)),
)

_FIXTURES = FIXTURES / "requests"


def base_envelopes() -> list[dict[str, Any]]:
    """Every request type the skill gets, as recorded fixtures."""
    out = []
    for name in ("launch_request", "intent_request", "session_ended_request"):
        path = _FIXTURES / f"{name}.json"
        if path.exists():
            out.append(json.loads(path.read_text(encoding="utf-8")))
    return out


INTENTS = [
    "SearchProductIntent", "AddToCartIntent", "RemoveFromCartIntent", "UpdateQuantityIntent", "ViewCartIntent",
    "ClearCartIntent", "SelectItemIntent", "ProductDetailsIntent", "CheckoutIntent", "ProvideVoiceCodeIntent",
    "ScheduleDeliveryIntent", "SetDeliveryAddressIntent", "SetPaymentMethodIntent", "TrackOrderIntent",
    "CancelOrderIntent", "ReorderIntent", "DealsIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent",
    "AMAZON.CancelIntent", "AMAZON.FallbackIntent", "AMAZON.YesIntent", "AMAZON.NoIntent",
    "AMAZON.RepeatIntent", "AMAZON.NextIntent", "AMAZON.StartOverIntent", "AMAZON.NavigateHomeIntent",
    "NoSuchIntent",
]
SLOTS = ["product", "quantity", "unit", "position", "voiceCode", "date", "timeSlot", "addressLabel",
         "paymentLabel", "orderNumber"]
PENDING_KINDS = ["offer_add", "choose_to_add", "did_you_mean", "confirm_quantity", "confirm_clear",
                 "checkout_address", "checkout_payment", "delivery_slot", "accept_slot", "confirm_order",
                 "voice_code", "retry_payment", "confirm_cancel", "nonsense"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40), st.sampled_from(NOISE),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=20,
)


def nested(depth: int, leaf: Any = 1) -> Any:
    value: Any = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


@st.composite
def attributes(draw: st.DrawFn) -> dict[str, Any]:
    """Session attributes a client might send back: plausible shapes with hostile values."""
    attrs: dict[str, Any] = {}
    if draw(st.booleans()):
        kind = draw(st.sampled_from(PENDING_KINDS))
        attrs["pending"] = draw(
            st.one_of(
                st.fixed_dictionaries({"kind": st.just(kind)}, optional={
                    "checkout_id": json_values, "total_cents": json_values, "card_id": json_values,
                    "slot_id": json_values, "order_id": json_values, "sku": json_values, "skus": json_values,
                    "quantity": json_values,
                }),
                json_values,
            )
        )
    if draw(st.booleans()):
        attrs["checkout"] = draw(st.one_of(
            st.fixed_dictionaries({"id": st.one_of(st.just("0123456789abcdef"), json_values)}, optional={
                "stage": st.sampled_from(["collecting", "confirming", "code", "confirmed", "placed", "x"]),
                "code_ok": json_values, "total_cents": json_values, "card_id": json_values,
                "slot_id": json_values, "address_id": json_values, "fingerprint": json_values,
            }),
            json_values,
        ))
    for key in ("results", "page", "query", "selected", "last_order", "last_speech", "last_reprompt"):
        if draw(st.booleans()):
            attrs[key] = draw(json_values)
    if draw(st.integers(0, 9)) == 0:
        attrs["deep"] = nested(draw(st.integers(50, 1500)))
    return attrs


def _slot(name: str, value: Any, resolved: Any) -> dict[str, Any]:
    slot: dict[str, Any] = {"name": name, "value": value, "confirmationStatus": "NONE"}
    if resolved is not None:
        slot["resolutions"] = {"resolutionsPerAuthority": [{
            "authority": "amzn1.er-authority.echo-sdk.x." + name,
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": value, "id": resolved}}],
        }]}
    return slot


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """An Alexa request: one of every request type, with hostile slots, attributes and locale, and
    now and then a field of the wrong type, a field missing, or a deep nest."""
    bases = base_envelopes()
    env = copy.deepcopy(draw(st.sampled_from(bases)))
    env["request"]["locale"] = draw(st.one_of(
        st.sampled_from(["en-US", "ko-KR", "en-GB", "", ".", "/", "../", "/etc", "../../etc/passwd",
                         "en-US/../../x", "x" * 5000, "EN-us", "\x00", "\ud800"]),
        st.text(max_size=20),
    ))
    if env["request"].get("type") == "IntentRequest":
        env["request"]["intent"]["name"] = draw(st.sampled_from(INTENTS))
        chosen = draw(st.lists(st.sampled_from(SLOTS), max_size=4, unique=True))
        env["request"]["intent"]["slots"] = {
            name: _slot(name, draw(st.one_of(utterances, json_values)),
                        draw(st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["milk", "home", "visa"]))))
            for name in chosen
        }
    if "session" in env:
        env["session"]["attributes"] = draw(attributes())
        env["session"]["new"] = draw(st.booleans())
    for _ in range(draw(st.integers(0, 2))):
        mutate(env, draw)
    return env


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def mutate(env: dict[str, Any], draw: st.DrawFn) -> None:
    """Replace or delete one field anywhere in the envelope (never the whole envelope)."""
    paths = [p for p in _paths(env) if p and len(p) < 12]
    path = draw(st.sampled_from(paths))
    holder: Any = env
    for key in path[:-1]:
        holder = holder[key]
    if draw(st.booleans()) and isinstance(holder, dict):
        del holder[path[-1]]
    else:
        holder[path[-1]] = draw(st.one_of(json_values, st.just(nested(draw(st.integers(30, 1200))))))
