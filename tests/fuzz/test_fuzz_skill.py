"""Property-based fuzzing of the envelope parser, the skill in process and the web service (issue 24).

Invariants, for every generated request: the parser returns an envelope or raises BadAlexaRequest;
the in-process skill answers or raises a VerificationError (BadAlexaRequest, ApplicationIdError);
the web service never answers 5xx; every body is JSON a strict parser reads (no NaN); every SSML
parses as XML; and the database keeps its invariants: one successful charge per paid order, no
negative stock, no delivery slot over capacity, no order without items, every checkout record in a
known stage.

The example budget is the hypothesis profile (`ci`: fixed and small; `bench/fuzz.py` runs the long one).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.app import create_invoker
from skill.config import SkillConfig
from skill.intake import BadAlexaRequest, read_envelope
from skill.services import Services
from skill.store.db import open_database
from skill.verifier import VerificationError
from skill.webservice import create_app
from tests.fuzz.strategies import envelopes, json_values, nested, tally

pytestmark = pytest.mark.slow

USERS = ["amzn1.ask.account.FUZZ-A", "amzn1.ask.account.FUZZ-B", "amzn1.ask.account.FUZZ-C"]


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"non-standard JSON constant {name} in a response")

    return json.loads(text, parse_constant=refuse)


def check_response(response: dict[str, Any]) -> None:
    """Strict JSON, and every piece of speech well-formed SSML."""
    _strict_json(json.dumps(response, ensure_ascii=False, allow_nan=False))
    body = response.get("response") or {}
    speeches = [body.get("outputSpeech"), (body.get("reprompt") or {}).get("outputSpeech")]
    for speech in speeches:
        if speech and speech.get("ssml") is not None:
            root = ET.fromstring(speech["ssml"])
            assert root.tag == "speak"


def check_database(db_path: Path) -> None:
    db = open_database(db_path, seed_catalog=False)
    try:
        q = db.execute
        assert q("SELECT COUNT(*) FROM products WHERE stock < 0").fetchone()[0] == 0
        assert q("SELECT COUNT(*) FROM delivery_slots WHERE booked > capacity OR booked < 0").fetchone()[0] == 0
        assert q(
            "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.order_id)"
        ).fetchone()[0] == 0
        assert q(
            "SELECT COUNT(*) FROM (SELECT order_id FROM ledger WHERE kind = 'charge' AND status = 'succeeded'"
            " GROUP BY order_id HAVING COUNT(*) > 1)"
        ).fetchone()[0] == 0
        assert q(
            "SELECT COUNT(*) FROM orders o WHERE o.status != 'CREATED' AND o.charge_id IS NULL"
        ).fetchone()[0] == 0
        assert q(
            "SELECT COUNT(*) FROM checkouts WHERE stage NOT IN ('collecting','confirming','code','confirmed','placed')"
        ).fetchone()[0] == 0
    finally:
        db.conn.close()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SkillConfig, Any]]:
    path = tmp_path_factory.mktemp("fuzz") / "shop.db"
    config = SkillConfig(db_path=path, demo_accounts=True)
    invoke = create_invoker(config)
    db = open_database(path)
    from skill.clock import SystemClock

    services = Services(db, SystemClock(), config)
    accounts, cart = services.accounts, services.cart
    for user in USERS:
        accounts.create_demo_user(user)
        cart.add(user, "MILK-001", 1)
    accounts.set_voice_purchasing(USERS[2], False)  # a yes alone orders for this one
    db.conn.close()
    yield config, invoke
    check_database(path)


def _at(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _as_user(env: dict[str, Any], index: int) -> dict[str, Any]:
    """The request speaks as one of a few users (whose carts and checkouts carry over)."""
    for holder in (_at(env, "session", "user"), _at(env, "context", "System", "user")):
        if isinstance(holder, dict):
            holder["userId"] = USERS[index]
    return env


@given(st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    envelopes().map(lambda e: json.dumps(e, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
    st.sampled_from([b"NaN", b"Infinity", b'{"a": -Infinity}', b"\xff\xfe", b'"\\ud800"']),
))
def test_fuzz_envelope_parser(body: bytes) -> None:
    try:
        envelope = read_envelope(body)
    except BadAlexaRequest as exc:
        assert exc.reason
        tally("parser:refused")
        return
    tally("parser:read")
    assert isinstance(envelope, dict)
    json.dumps(envelope, allow_nan=False).encode("utf-8")  # valid Unicode, no NaN


@given(envelopes(), st.integers(0, len(USERS) - 1))
def test_fuzz_skill_in_process(shop: tuple[SkillConfig, Any], env: dict[str, Any], who: int) -> None:
    config, invoke = shop
    try:
        response = invoke(_as_user(env, who))
    except VerificationError as exc:
        assert exc.reason
        tally("skill:refused")
        return
    check_response(response)
    tally("skill:answered")


@given(envelopes(), st.integers(0, len(USERS) - 1), st.booleans())
def test_fuzz_web_service(shop: tuple[SkillConfig, Any], env: dict[str, Any], who: int, deep: bool) -> None:
    config, _ = shop
    client = _client(config)
    env = _as_user(env, who)
    if deep and isinstance(env.get("session"), dict):
        env["session"]["attributes"] = {"x": nested(40)}
    body = json.dumps(env, ensure_ascii=False).encode("utf-8", "surrogatepass")
    r = client.post("/alexa", data=body, content_type="application/json")
    assert r.status_code < 500, r.get_data(as_text=True)[:500]
    text = r.get_data().decode("utf-8")  # valid UTF-8
    payload = _strict_json(text)
    tally(f"web:{r.status_code}")
    if r.status_code == 200:
        check_response(payload)
    else:
        assert r.status_code in (400, 413) and payload["error"] and payload["message"]


_CLIENTS: dict[str, Any] = {}


def _client(config: SkillConfig) -> Any:
    key = str(config.db_path)
    if key not in _CLIENTS:
        _CLIENTS[key] = create_app(config, verify=False).test_client()
    return _CLIENTS[key]


def test_fuzz_database_invariants_hold(shop: tuple[SkillConfig, Any]) -> None:
    """Checked after the runs above (and again when the module's database is torn down)."""
    check_database(shop[0].db_path)
