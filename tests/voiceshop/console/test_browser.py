"""The console in real Chromium (Debian's, driven by Playwright), used as a person would: typing, talking,
uploading, running a certification and making a test case, against the real `voiceshop console`."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import CHROMIUM, RunningConsole, espeak, type_turn, wait_for_turns

pytestmark = pytest.mark.slow  # a real Chromium and a real `voiceshop console`: the whole suite's, not the quick lane's


def _switch_user(page: Page, user: str) -> None:
    page.get_by_label("User", exact=True).fill(user)
    page.get_by_role("button", name="Switch user").click()
    expect(page.locator("#status")).to_contain_text(f"Now speaking as {user}")
    expect(page.locator("#state-user")).to_have_text(user)


def test_console_browser_types_a_shopping_conversation_to_a_placed_order(
        page: Page, console_server: RunningConsole) -> None:
    user = "amzn1.ask.account.browser-order"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(console_server.url)
    expect(page.get_by_label("What you say")).to_be_focused()  # keyboard first: type straight away
    _switch_user(page, user)
    welcome = type_turn(page, "open voice shop")
    expect(welcome.locator(".turn-speech")).to_contain_text("Voice Shop")
    found = type_turn(page, "do you carry peanut butter")
    expect(found.locator(".turn-intent")).to_have_text("SearchProductIntent")
    expect(found.locator(".slot")).to_contain_text(["product=peanut butter → peanut_butter"])
    type_turn(page, "the first one")
    type_turn(page, "put that one in my cart")
    expect(page.locator("#cart-table")).to_contain_text("Peanut Butter")
    type_turn(page, "that's everything, check out")
    readback = type_turn(page, "tomorrow afternoon is fine")
    expect(readback.locator(".turn-speech")).to_contain_text("$")
    type_turn(page, "yes")
    placed = type_turn(page, "one two three four")
    expect(page.locator("#orders-table .order")).to_have_count(1)
    order_id = page.locator("#orders-table .order-id").first.inner_text()
    expect(placed.locator(".turn-speech")).to_contain_text("order is placed")
    expect(page.locator("#cart-empty")).to_be_visible()
    with sqlite3.connect(console_server.db) as db:
        rows = db.execute("SELECT order_id, status FROM orders WHERE user_id = ?", (user,)).fetchall()
    assert rows == [(order_id, "CONFIRMED")]
    # the JSON panels open, and copy what they show
    page.get_by_text("Response JSON").click()
    response = json.loads(page.locator("#response-json").inner_text())
    assert order_id in json.dumps(response["response"]["card"])
    page.get_by_role("button", name="Copy response").click()
    assert json.loads(page.evaluate("navigator.clipboard.readText()")) == response
    expect(placed.locator(".turn-timings")).to_contain_text("NLU+skill")


def test_console_browser_says_nothing_and_ends_sessions(page: Page, console_server: RunningConsole) -> None:
    page.goto(console_server.url)
    page.get_by_role("button", name="New session").click()
    wait_for_turns(page, 1)
    expect(page.locator("#state-session")).to_contain_text("open")
    page.get_by_role("button", name="Say nothing").click()
    wait_for_turns(page, 2)
    expect(page.locator("#turns .turn").nth(1)).to_contain_text("(said nothing)")
    expect(page.locator("#turns .turn").nth(1).locator(".turn-speech")).not_to_be_empty()
    page.get_by_role("button", name="End session").click()
    wait_for_turns(page, 3)
    expect(page.locator("#state-session")).to_have_text("closed")
    expect(page.locator("#request-json")).to_contain_text("SessionEndedRequest")


def test_console_browser_uploaded_wav_is_heard_and_answered_with_playable_audio(
        page: Page, console_server: RunningConsole, tmp_path: Path) -> None:
    page.goto(console_server.url)
    type_turn(page, "open voice shop")
    wav = espeak("search for coffee", tmp_path / "search.wav", pad_seconds=0.3)
    page.locator("#wav-file").set_input_files(str(wav))
    wait_for_turns(page, 2, timeout=60_000)
    turn = page.locator("#turns .turn").nth(1)
    expect(turn.locator(".turn-heard")).to_have_text("search for coffee")
    expect(turn).to_contain_text("[pocketsphinx]")
    expect(turn.locator(".turn-intent")).to_have_text("SearchProductIntent")
    expect(turn.locator(".turn-timings")).to_contain_text("ASR")
    audio = turn.locator("audio.turn-audio")
    duration = audio.evaluate("""a => new Promise((resolve, reject) => {
        if (a.readyState >= 1) return resolve(a.duration);
        a.addEventListener('loadedmetadata', () => resolve(a.duration));
        a.addEventListener('error', () => reject(new Error('the answer audio does not load')));
    })""")
    assert duration > 1.0  # the answer lists coffees: seconds of speech


def test_console_browser_refuses_bad_uploads_with_a_message(page: Page, console_server: RunningConsole,
                                                            tmp_path: Path) -> None:
    page.goto(console_server.url)
    fake = tmp_path / "notes.wav"
    fake.write_text("these are my notes, not a recording")
    page.locator("#wav-file").set_input_files(str(fake))
    expect(page.get_by_role("alert")).to_contain_text("not a WAV file")
    expect(page.locator("#turns .turn")).to_have_count(0)

    page.goto(console_server.url + "certify")
    broken = tmp_path / "broken.json"
    broken.write_text('{"data": [{"inputs": {"utterance": "hi"}}]}')
    page.get_by_label("Upload test files").set_input_files(str(broken))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("broken.json")
    expect(page.get_by_role("alert")).to_contain_text("expected")
    other = tmp_path / "script.txt"
    other.write_text("hello")
    page.get_by_label("Upload test files").set_input_files(str(other))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("not a test file name")
    assert not (console_server.directory / "uploads" / "broken.json").exists()


def test_console_browser_certify_run_shows_the_failing_case_and_the_matrix(
        page: Page, console_server: RunningConsole, tmp_path: Path) -> None:
    cases = {"data": [
        {"inputs": {"utterance": "please add eggs to my cart"},
         "expected": [{"intent": {"name": "AddToCartIntent", "slots": {"product": {"value": "eggs"}}}}]},
        {"inputs": {"utterance": "read me my cart"}, "expected": [{"intent": {"name": "ViewCartIntent"}}]},
        {"inputs": {"utterance": "has my parcel shipped yet"}, "expected": [{"intent": {"name": "ReorderIntent"}}]},
    ]}
    path = tmp_path / "browser-cases.json"
    path.write_text(json.dumps(cases))
    page.goto(console_server.url + "certify")
    page.get_by_label("Upload test files").set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#upload-status")).to_contain_text("uploads/browser-cases.json")
    expect(page.get_by_label("uploads/browser-cases.json")).to_be_checked()
    page.get_by_label("Also run the model and skill checks").uncheck()
    page.get_by_role("button", name="Run certification").click()
    expect(page.locator("#report")).to_be_visible(timeout=60_000)
    expect(page.locator("#progress-label")).to_contain_text("Finished: 3 of 3 cases")
    expect(page.locator("#verdict")).to_contain_text("FAILED")
    expect(page.locator("#verdict")).to_contain_text("2 passed, 1 failed")
    failing = page.locator("#failing-table .failing-case")
    expect(failing).to_have_count(1)
    expect(failing).to_contain_text("has my parcel shipped yet")
    expect(failing).to_contain_text("ReorderIntent")
    expect(failing).to_contain_text("TrackOrderIntent")
    expect(page.locator("#intents-table")).to_contain_text("AddToCartIntent")
    matrix = page.get_by_role("img", name="Confusion matrix of expected against actual intents")
    expect(matrix).to_be_visible()
    assert matrix.evaluate("img => img.complete && img.naturalWidth") > 100
    with page.expect_download() as download:
        page.get_by_role("link", name="JUnit XML").click()
    assert "<testsuite" in Path(download.value.path()).read_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON").click()
    assert json.loads(Path(download.value.path()).read_text())["failed"] == 1


def test_console_browser_nlu_turns_a_reading_into_a_test_case(page: Page, console_server: RunningConsole) -> None:
    page.goto(console_server.url + "nlu")
    page.get_by_label("Sentence", exact=True).fill("toss the oat milk out of my basket")
    page.get_by_label("Sentence", exact=True).press("Enter")
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator("#ranked-table tbody tr").first).to_contain_text("RemoveFromCartIntent")
    expect(page.locator("#ranked-table thead")).to_contain_text("Alignment fit")
    expect(page.locator("#slots-table")).to_contain_text("oat_milk")
    # correct the reading: the product is said as "oat milk" and the case is filed under another name
    page.get_by_label("Intent", exact=True).select_option("RemoveFromCartIntent")
    page.get_by_label("product", exact=True).fill("oat milk")
    page.get_by_label("Annotation file").fill("browser-nlu-cases.json")
    page.get_by_role("button", name="Add as test case").click()
    expect(page.locator("#case-status")).to_contain_text("Added to browser-nlu-cases.json (1 case)")
    document = json.loads((console_server.directory / "browser-nlu-cases.json").read_text())
    assert document["data"][0]["inputs"]["utterance"] == "toss the oat milk out of my basket"
    assert document["data"][0]["expected"][0]["intent"] == {
        "name": "RemoveFromCartIntent", "slots": {"product": {"value": "oat milk"}}}
    page.get_by_role("button", name="Add as test case").click()
    expect(page.get_by_role("alert")).to_contain_text("already a case")


def test_console_browser_pages_are_labelled_and_keyboard_reachable(page: Page, console_server: RunningConsole) -> None:
    for path in ("", "certify", "nlu"):
        page.goto(console_server.url + path)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
            .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
            .map(e => e.id || e.name)""")
        assert unlabelled == [], f"/{path}: inputs without a label: {unlabelled}"
        assert page.evaluate("document.querySelector('nav a[aria-current=page]') !== null")
    page.goto(console_server.url)
    order = []
    page.get_by_label("What you say").focus()
    for _ in range(8):
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        page.keyboard.press("Tab")
    assert order[:7] == ["utterance", "send", "talk", "wav-file", "autoplay", "silence", "new-session"]


@pytest.mark.slow
def test_console_browser_microphone_turn_through_chromiums_fake_stream(
        playwright: Any, console_server: RunningConsole, tmp_path: Path) -> None:
    clip = espeak("what's in my cart", tmp_path / "mic.wav", pad_seconds=0.6)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
        "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={clip}%noloop",
    ])
    try:
        page = browser.new_page()
        page.goto(console_server.url)
        type_turn(page, "open voice shop")
        talk = page.get_by_role("button", name="Hold to talk")
        talk.focus()
        page.keyboard.down(" ")  # hold Space on the button while speaking
        expect(talk).to_have_attribute("aria-pressed", "true")
        page.wait_for_timeout(2600)
        page.keyboard.up(" ")
        wait_for_turns(page, 2, timeout=60_000)
        turn = page.locator("#turns .turn").nth(1)
        expect(turn).to_contain_text("You said")
        expect(turn.locator(".turn-heard")).to_have_text(re.compile(r"^what('s| is) in my cart$"))
        expect(turn.locator(".turn-intent")).to_have_text("ViewCartIntent")
        answer = turn.locator("audio.turn-audio").get_attribute("src")
        assert answer is not None
        sim = answer.split("/")[2]
        recording = console_server.directory / "audio" / sim / "turn-02-user.wav"
        assert recording.read_bytes()[:4] == b"RIFF", "the spoken turn is kept beside the answer"
    finally:
        browser.close()
