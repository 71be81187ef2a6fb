"""Fixtures for the search, cart and built-in tests: catalogs, and a skill driven by Alexa request JSON.

Requests are built from the envelopes in tests/fixtures/requests/; `Conversation` fills in the intent,
slots and session attributes and carries the attributes the skill returns into the next turn, as the
Alexa service does. Every response's SSML is parsed with xml.etree, so a malformed one fails the test.

A module marked `both_stores` runs each test that uses `db_path` on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import copy
import json
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from skill.app import create_invoker
from skill.config import SkillConfig
from skill.store.catalog_import import import_catalog
from skill.store.db import open_database

HERE = Path(__file__).resolve().parent
REQUESTS = HERE.parent / "fixtures" / "requests"
SMALL_CATALOG = HERE / "data" / "catalog_small.json"


def load_request(name: str) -> dict[str, Any]:
    return json.loads((REQUESTS / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def slot(name: str, value: str | None, er_id: str | None = None, *, no_match: bool = False) -> dict[str, Any]:
    """An Alexa slot: plain, with an ER_SUCCESS_MATCH id, or with ER_SUCCESS_NO_MATCH."""
    if er_id is not None:
        data = load_request("slot_resolved")
        data["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"] = {"name": value, "id": er_id}
    elif no_match:
        data = load_request("slot_unresolved")
    else:
        data = {"name": name, "confirmationStatus": "NONE"}
    data["name"] = name
    if value is None:
        data.pop("value", None)
    else:
        data["value"] = value
    return data


def speech_text(response: dict[str, Any]) -> str:
    """The spoken text of a response, tags removed; asserts the SSML is well-formed XML."""
    speech = response["response"].get("outputSpeech")
    if not speech:
        return ""
    root = ET.fromstring(speech["ssml"])  # raises on malformed SSML
    assert root.tag == "speak"
    return " ".join("".join(root.itertext()).split())


def reprompt_text(response: dict[str, Any]) -> str:
    reprompt = response["response"].get("reprompt")
    if not reprompt:
        return ""
    root = ET.fromstring(reprompt["outputSpeech"]["ssml"])
    return " ".join("".join(root.itertext()).split())


class Conversation:
    """One user talking to the skill, one request a turn, session attributes carried over."""

    def __init__(self, invoke: Any, user_id: str = "amzn1.ask.account.TESTUSER") -> None:
        self.invoke = invoke
        self.user_id = user_id
        self.attributes: dict[str, Any] = {}
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.new = True
        self.last: dict[str, Any] = {}

    def _send(self, request: dict[str, Any]) -> dict[str, Any]:
        request = copy.deepcopy(request)
        for holder in (request["session"]["user"], request["context"]["System"]["user"]):
            holder["userId"] = self.user_id
        request["session"]["sessionId"] = self.session_id
        request["session"]["new"] = self.new
        request["session"]["attributes"] = copy.deepcopy(self.attributes)
        request["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
        response = self.invoke(request)
        self.new = False
        self.attributes = response.get("sessionAttributes") or {}
        speech_text(response)  # well-formed SSML, always
        reprompt_text(response)
        self.last = response
        if response["response"].get("shouldEndSession"):
            self.end()
        return response

    def launch(self) -> dict[str, Any]:
        return self._send(load_request("launch_request"))

    def intent(self, name: str, **slots: Any) -> dict[str, Any]:
        """`slots`: name=value; name=(value, er_id) for an ER_SUCCESS_MATCH, (value, None) for
        ER_SUCCESS_NO_MATCH; name=None for a slot sent without a value."""
        request = load_request("intent_request")
        request["request"]["intent"]["name"] = name
        built = {}
        for slot_name, value in slots.items():
            if isinstance(value, tuple) and value[1] is None:
                built[slot_name] = slot(slot_name, value[0], no_match=True)
            elif isinstance(value, tuple):
                built[slot_name] = slot(slot_name, value[0], value[1])
            else:
                built[slot_name] = slot(slot_name, value)
        request["request"]["intent"]["slots"] = built
        return self._send(request)

    def say(self, name: str, **slots: Any) -> str:
        """Send an intent and return what the skill said, as plain text."""
        return speech_text(self.intent(name, **slots))

    def end(self) -> None:
        """The session is over: the next request opens a new one."""
        self.attributes = {}
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.new = True

    @property
    def ends_session(self) -> bool:
        """The last response closed the session (shouldEndSession true)."""
        return bool(self.last["response"].get("shouldEndSession"))

    @property
    def speech(self) -> str:
        """What the skill said last, as plain text."""
        return speech_text(self.last)

    @property
    def reprompt(self) -> str:
        """The last reprompt, as plain text ('' when none)."""
        return reprompt_text(self.last)

    @property
    def ssml(self) -> str:
        return str(self.last["response"]["outputSpeech"]["ssml"])


@pytest.fixture
def request_fixture() -> Any:
    """`request_fixture(name)`: a fresh copy of tests/fixtures/requests/<name>.json."""
    return load_request


@pytest.fixture
def contract_generics() -> list[str]:
    """The everyday products the contract says the demo catalog carries, as product-slot ids."""
    return [
        "milk",
        "oat_milk",
        "eggs",
        "bread",
        "bananas",
        "apples",
        "potatoes",
        "coffee",
        "tea",
        "orange_juice",
        "sparkling_water",
        "butter",
        "cheddar_cheese",
        "greek_yogurt",
        "yogurt",
        "rice",
        "pasta",
        "cereal",
        "olive_oil",
        "peanut_butter",
        "almond_butter",
        "tomato_soup",
        "paper_towels",
        "toilet_paper",
        "dish_soap",
        "laundry_detergent",
        "toothpaste",
        "shampoo",
        "diapers",
        "dog_food",
        "cat_food",
    ]


@pytest.fixture
def small_catalog_db(db_path: Path) -> sqlite_utils.Database:
    """A database holding only the small test catalog (imported before anything seeds the demo one)."""
    db = open_database(db_path, seed_catalog=False)
    import_catalog(db, SMALL_CATALOG)
    return db


@pytest.fixture
def invoke(skill_config: SkillConfig, small_catalog_db: sqlite_utils.Database) -> Any:
    """The skill in process over the small catalog."""
    return create_invoker(skill_config)


@pytest.fixture
def talk(invoke: Any) -> Conversation:
    return Conversation(invoke)


@pytest.fixture
def list_talk(skill_config: SkillConfig, small_catalog_db: sqlite_utils.Database) -> Conversation:
    """The skill over the small catalog in a shop that reads three results for a kind (`search_reads`)."""
    skill_config.search_reads = 3
    return Conversation(create_invoker(skill_config))


@pytest.fixture
def real_talk(skill_config: SkillConfig) -> Conversation:
    """The skill over the demo catalog (skill/data/catalog.json), seeded on first use."""
    return Conversation(create_invoker(skill_config))
