"""The long fuzz run: the property tests of tests/fuzz/ with many more examples than CI runs.

    .venv/bin/python bench/fuzz.py [--examples 100000] [--seed N]

The examples are shared out over the five properties (the NLU, the envelope parser, the skill in
process, the web service; the database invariants are checked after each run). Prints how many
examples ran, what they did (answered, refused with a reason, status codes) and any failure, with
hypothesis's shrunk example. Exit status 1 when a property failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROPERTIES = [
    "tests/fuzz/test_fuzz_skill.py::test_fuzz_skill_in_process",
    "tests/fuzz/test_fuzz_skill.py::test_fuzz_web_service",
    "tests/fuzz/test_fuzz_skill.py::test_fuzz_envelope_parser",
    "tests/fuzz/test_fuzz_nlu.py::test_fuzz_nlu_resolves_anything",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100_000, help="examples in all (default 100000)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random)")
    args = parser.parse_args()
    if args.examples < len(PROPERTIES):
        parser.error("--examples must be at least the number of properties")
    each = args.examples // len(PROPERTIES)
    with tempfile.TemporaryDirectory() as tmp:
        tally_file = Path(tmp) / "tally.json"
        env = {
            **os.environ,
            "VOICESHOP_FUZZ_PROFILE": "long",
            "VOICESHOP_FUZZ_EXAMPLES": str(each),
            "VOICESHOP_FUZZ_TALLY": str(tally_file),
        }
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                   *PROPERTIES, "tests/fuzz/test_fuzz_skill.py::test_fuzz_database_invariants_hold"]
        if args.seed is not None:
            command += [f"--hypothesis-seed={args.seed}"]
        print(f"fuzz: {each} examples for each of {len(PROPERTIES)} properties ({each * len(PROPERTIES)} in all)")
        started = time.monotonic()
        try:
            result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
        except KeyboardInterrupt:  # stopped early: report how far it got
            result = subprocess.CompletedProcess(command, 130, "stopped before the end\n", "")
        seconds = time.monotonic() - started
        tally = json.loads(tally_file.read_text()) if tally_file.exists() else {}
    ran = sum(tally.values())
    print(f"examples run: {ran} in {seconds:.0f} s ({ran / max(seconds, 1e-9):.0f}/s)")
    for key in sorted(tally):
        print(f"  {key:<22} {tally[key]}")
    if result.returncode != 0:
        print("FAILED: a property does not hold:")
        print(result.stdout[-6000:])
        print(result.stderr[-2000:], file=sys.stderr)
        return 1
    print("every property held: no 5xx, strict JSON, SSML that parses, database invariants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
