"""Take the console's screenshots in docs/ (console-simulator.png, console-certify.png, console-nlu.png).

    .venv/bin/python docs/console_screenshots.py

Starts `voiceshop console` on a free loopback port with a throwaway directory and database, drives each
page in Debian's headless chromium as a person would, and saves a picture of it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("VOICESHOP_CHROMIUM", "/usr/lib/chromium/chromium")
VOICESHOP = Path(sys.executable).parent / "voiceshop"

CASES = {"data": [
    {"inputs": {"utterance": "please add eggs to my cart"},
     "expected": [{"intent": {"name": "AddToCartIntent", "slots": {"product": {"value": "eggs"}}}}]},
    {"inputs": {"utterance": "read me my cart"}, "expected": [{"intent": {"name": "ViewCartIntent"}}]},
    {"inputs": {"utterance": "do you carry peanut butter"},
     "expected": [{"intent": {"name": "SearchProductIntent", "slots": {"product": {"value": "peanut butter"}}}}]},
    {"inputs": {"utterance": "what deals are on today"}, "expected": [{"intent": {"name": "DealsIntent"}}]},
    {"inputs": {"utterance": "has my parcel shipped yet"}, "expected": [{"intent": {"name": "ReorderIntent"}}]},
    {"inputs": {"utterance": "empty out my cart"}, "expected": [{"intent": {"name": "ClearCartIntent"}}]},
]}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="voiceshop-shots-") as tmp:
        folder = Path(tmp) / "console"
        proc = subprocess.Popen([str(VOICESHOP), "console", "--port", "0", "--dir", str(folder), "--db",
                                 str(Path(tmp) / "shop.db"), "--no-rescore"],
                                stdout=subprocess.PIPE, text=True, start_new_session=True)
        try:
            assert proc.stdout is not None
            found = re.search(r"http://127\.0\.0\.1:\d+/", proc.stdout.readline())
            assert found, "the console did not start"
            shoot(found.group(0), Path(tmp))
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)


def shoot(url: str, tmp: Path) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        for line in ("open voice shop", "do you carry peanut butter", "the first one", "put that one in my cart",
                     "that's everything, check out"):
            before = page.locator("#turns .turn").count()
            page.get_by_label("What you say").fill(line)
            page.get_by_label("What you say").press("Enter")
            page.locator("#turns .turn").nth(before).wait_for()
        page.get_by_label("What you say").fill("tomorrow afternoon is fine")
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / "console-simulator.png"))

        cases = tmp / "console-cases.json"
        cases.write_text(json.dumps(CASES))
        page.goto(url + "certify")
        page.get_by_label("Upload test files").set_input_files(str(cases))
        page.get_by_role("button", name="Upload", exact=True).click()
        page.get_by_label("uploads/console-cases.json").wait_for()
        page.get_by_label("Minimum intent accuracy").fill("0.8")
        page.get_by_role("button", name="Run certification").click()
        page.locator("#report").wait_for(state="visible", timeout=120_000)
        page.locator("#matrix").evaluate("img => img.decode()")
        page.screenshot(path=str(DOCS / "console-certify.png"), full_page=True)

        page.goto(url + "nlu")
        page.get_by_label("Sentence", exact=True).fill("could you put three cans of tomato soup in my basket")
        page.get_by_label("Sentence", exact=True).press("Enter")
        page.locator("#result").wait_for(state="visible")
        page.screenshot(path=str(DOCS / "console-nlu.png"), full_page=True)
        browser.close()
    for name in ("console-simulator.png", "console-certify.png", "console-nlu.png"):
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
