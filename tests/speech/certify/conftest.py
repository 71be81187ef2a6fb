"""Fixtures for the certification tests: the real model, NLU, skill and a small pocketsphinx grammar."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from skill.app import create_invoker
from skill.clock import FixedClock
from skill.config import SkillConfig
from speech.certify.cases import DialogScript
from speech.certify.conversation import ScriptedConversation
from speech.cloud import VoiceCloud
from speech.interaction_model import InteractionModel, load_interaction_model
from speech.nlu.compiler import compile_model
from tests.support.paths import REPO

DATA = Path(__file__).resolve().parent / "data"
MODEL_PATH = REPO / "interaction_model.json"
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)

# The phrases of the committed audio set and a few more: a grammar small enough to load at once.
SMALL_JSGF = """#JSGF V1.0;
grammar certifytest;
public <s> = add milk to my cart | what's in my cart | search for coffee | check out | the second one
           | search for tea | add eggs to my cart;
"""


@pytest.fixture(scope="session")
def model() -> InteractionModel:
    return load_interaction_model(MODEL_PATH)


@pytest.fixture(scope="session")
def nlu() -> Any:
    return compile_model(MODEL_PATH)


@pytest.fixture
def new_skill(tmp_path: Path) -> Callable[[], Any]:
    """A fresh in-process Voice Shop skill (own database, demo accounts, fixed clock) per call."""
    count = iter(range(1000))

    def make() -> Any:
        config = SkillConfig(db_path=tmp_path / f"skill-{next(count)}.db", demo_accounts=True)
        return create_invoker(config, clock=FixedClock(NOW))

    return make


@pytest.fixture
def conversations(nlu: Any, model: InteractionModel, new_skill: Callable[[], Any]) -> Callable[[DialogScript], Any]:
    def make(script: DialogScript) -> ScriptedConversation:
        cloud = VoiceCloud(nlu, new_skill(), model, clock=FixedClock(NOW), rng=random.Random(1))
        return ScriptedConversation(cloud)

    return make


@pytest.fixture(scope="session")
def small_recognizer() -> Any:
    from speech.asr.sphinx_engine import PocketSphinxRecognizer

    return PocketSphinxRecognizer(SMALL_JSGF)
