"""The fuzz suite: a fixed example budget in CI (profile `ci`); `bench/fuzz.py` runs the long one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
import strategies  # noqa: E402,F401  (registers the profiles)

settings.load_profile(os.environ.get("VOICESHOP_FUZZ_PROFILE", "ci"))
