"""The fuzz suite: a fixed example budget in CI (profile `ci`); `bench/fuzz.py` runs the long one."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import settings

from tests.fuzz import strategies  # registers the profiles

settings.load_profile(os.environ.get("VOICESHOP_FUZZ_PROFILE", "ci"))


def pytest_sessionfinish() -> None:
    """For bench/fuzz.py: what the examples did, written where it asks."""
    out = os.environ.get("VOICESHOP_FUZZ_TALLY")
    if out:
        import json

        Path(out).write_text(json.dumps(dict(strategies.TALLY)))
