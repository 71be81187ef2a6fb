"""Where the tests' files are: the repository, and the data root the tests read shared files from."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
"""Files more than one folder of tests reads: request envelopes, small catalogs and models, child scripts."""
