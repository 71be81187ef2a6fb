"""Account linking for real: the OAuth 2.0 authorization code grant on the skill's own server, over
loopback HTTP, and the skill mapping a request's access token to the shop account."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from click.testing import CliRunner
from werkzeug.serving import make_server

from skill.clock import SystemClock
from skill.config import SkillConfig
from skill.services.cart import CartService
from skill.services.catalog import CatalogService
from skill.services.linking import LinkingService
from skill.store.db import open_database
from skill.webservice import create_app
from speech.envelope import Caller, SessionInfo, intent_json, intent_request, launch_request
from voiceshop.cli import cli

ALEXA = "voiceshop-alexa"
REDIRECT = "https://pitangui.amazon.com/api/skill/link/M2TESTVENDOR"
OTHER = "another-skill"
OTHER_REDIRECT = "https://layla.amazon.com/api/skill/link/M2OTHER"
APP = "amzn1.ask.skill.00000000-0000-0000-0000-00000000000a"


@dataclass
class Server:
    url: str
    db_path: Path
    secrets: dict[str, str]

    def linking(self) -> LinkingService:
        return LinkingService(open_database(self.db_path), SystemClock())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    db_path = tmp_path / "shop.db"
    linking = LinkingService(open_database(db_path), SystemClock())
    linking.create_account("alice", "correct horse battery")
    keys = {ALEXA: linking.register_client(ALEXA, [REDIRECT], "Alexa"), OTHER: linking.register_client(OTHER, [OTHER_REDIRECT])}
    app = create_app(SkillConfig(db_path=db_path, linking_client_id=ALEXA), verify=False)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{http.server_port}", db_path, keys)
    finally:
        http.shutdown()
        thread.join(5)


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _authorize(server: Server, *, client: str = ALEXA, redirect: str = REDIRECT, challenge: str | None = None,
               password: str = "correct horse battery") -> requests.Response:  # fmt: skip
    params = {"response_type": "code", "client_id": client, "redirect_uri": redirect, "state": "st-42"}
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    browser = requests.Session()
    page = browser.get(f"{server.url}/oauth/authorize", params=params, timeout=10)
    assert page.status_code == 200 and 'name="password"' in page.text, page.text
    assert page.headers["X-Frame-Options"] == "DENY"
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    return browser.post(
        f"{server.url}/oauth/authorize", params=params,
        data={"username": "Alice", "password": password, "csrf": csrf.group(1)}, allow_redirects=False, timeout=10,
    )  # fmt: skip


def _code(response: requests.Response, redirect: str = REDIRECT) -> str:
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(redirect + "?")
    query = parse_qs(urlparse(location).query)
    assert query["state"] == ["st-42"]
    return query["code"][0]


def _token(server: Server, data: dict[str, str], client: str = ALEXA, secret: str | None = None) -> requests.Response:
    auth = (client, secret or server.secrets[client])
    return requests.post(f"{server.url}/oauth/token", data=data, auth=auth, timeout=10)


def _grant(server: Server, client: str = ALEXA, redirect: str = REDIRECT) -> dict[str, Any]:
    verifier, challenge = _pkce()
    code = _code(_authorize(server, client=client, redirect=redirect, challenge=challenge), redirect)
    response = _token(server, {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
                               "code_verifier": verifier}, client)  # fmt: skip
    assert response.status_code == 200, response.text
    return dict(response.json())


def _speak(server: Server, token: str | None, intent: str | None = None) -> dict[str, Any]:
    caller = Caller("amzn1.ask.account.LINKED-SHOPPER", APP, "amzn1.ask.device.X", token)
    now = datetime.now(UTC)
    if intent is None:
        envelope = launch_request(caller, SessionInfo.start(), locale="en-US", now=now)
    else:
        envelope = intent_request(caller, SessionInfo.start(), intent_json(None, intent, {}), locale="en-US", now=now)
    response = requests.post(f"{server.url}/alexa", json=envelope, timeout=10)
    assert response.status_code == 200, response.text
    return dict(response.json()["response"])


def _linked(response: dict[str, Any]) -> bool:
    return response.get("card", {}).get("type") != "LinkAccount"


def test_linking_full_grant_on_loopback_maps_the_token_to_the_shop_account(server: Server) -> None:
    tokens = _grant(server)
    assert tokens["token_type"].lower() == "bearer" and tokens["expires_in"] == 3600
    assert tokens["refresh_token"] and tokens["access_token"] != tokens["refresh_token"]
    db = open_database(server.db_path)
    CartService(db, SystemClock(), catalog=CatalogService(db)).add("shop:alice", "MILK-001", 2)
    cart = _speak(server, tokens["access_token"], "ViewCartIntent")
    assert _linked(cart) and "milk" in cart["outputSpeech"]["ssml"].lower()
    stored = db.execute("SELECT token_hash FROM oauth_tokens").fetchall()
    assert all(tokens["access_token"] not in row[0] and len(row[0]) == 64 for row in stored), "only hashes"
    assert db.execute("SELECT count(*) FROM users WHERE user_id LIKE 'amzn1.%'").fetchone()[0] == 0


def test_linking_without_or_with_a_made_up_token_asks_to_link(server: Server) -> None:
    assert not _linked(_speak(server, None))
    assert not _linked(_speak(server, "Atza|made-up"))


def test_linking_wrong_password_gets_the_form_again_not_a_code(server: Server) -> None:
    response = _authorize(server, password="wrong password!")
    assert response.status_code == 401 and "Wrong username or password" in response.text
    assert "Location" not in response.headers


def test_linking_login_posted_from_elsewhere_is_refused(server: Server) -> None:
    params = {"response_type": "code", "client_id": ALEXA, "redirect_uri": REDIRECT, "state": "s"}
    forged = requests.post(f"{server.url}/oauth/authorize", params=params, allow_redirects=False, timeout=10,
                           data={"username": "alice", "password": "correct horse battery", "csrf": "guess"})  # fmt: skip
    assert forged.status_code == 400 and "Location" not in forged.headers


def test_linking_wrong_passwords_hold_the_account(server: Server) -> None:
    for _ in range(5):
        assert _authorize(server, password="not it at all").status_code == 401
    held = _authorize(server)
    assert held.status_code == 429 and "Too many wrong passwords" in held.text and "Location" not in held.headers


def test_linking_refuses_an_unregistered_redirect_without_redirecting(server: Server) -> None:
    params = {"response_type": "code", "client_id": ALEXA, "redirect_uri": "https://evil.example/cb", "state": "s"}
    response = requests.get(f"{server.url}/oauth/authorize", params=params, allow_redirects=False, timeout=10)
    assert response.status_code == 400 and "Location" not in response.headers


def test_linking_replayed_code_is_refused_and_revokes_what_it_gave(server: Server) -> None:
    verifier, challenge = _pkce()
    code = _code(_authorize(server, challenge=challenge))
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier}
    first = _token(server, data)
    assert first.status_code == 200
    again = _token(server, data)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert not _linked(_speak(server, first.json()["access_token"])), "tokens of a replayed code are revoked"
    refresh = _token(server, {"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]})
    assert refresh.status_code == 400


def test_linking_bad_pkce_verifier_and_wrong_secret_are_refused(server: Server) -> None:
    _, challenge = _pkce()
    code = _code(_authorize(server, challenge=challenge))
    wrong = _token(server, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                            "code_verifier": secrets.token_urlsafe(48)})  # fmt: skip
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    verifier, challenge = _pkce()
    code = _code(_authorize(server, challenge=challenge))
    bad_secret = _token(server, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                 "code_verifier": verifier}, secret="not-the-secret")  # fmt: skip
    assert bad_secret.status_code == 401 and bad_secret.json()["error"] == "invalid_client"


def test_linking_refresh_rotates_and_a_reused_refresh_token_ends_the_grant(server: Server) -> None:
    tokens = _grant(server)
    renewed = _token(server, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200, renewed.text
    fresh = renewed.json()
    assert fresh["refresh_token"] != tokens["refresh_token"] and _linked(_speak(server, fresh["access_token"]))
    reused = _token(server, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 400
    assert not _linked(_speak(server, fresh["access_token"])), "a stolen refresh token ends the whole grant"


def test_linking_expired_and_revoked_access_tokens_link_nothing(server: Server) -> None:
    tokens = _grant(server)
    assert _linked(_speak(server, tokens["access_token"]))
    db = open_database(server.db_path)
    db.execute("UPDATE oauth_tokens SET expires_at = '2000-01-01T00:00:00+00:00' WHERE kind = 'access'")
    assert not _linked(_speak(server, tokens["access_token"]))
    second = _grant(server)
    revoked = requests.post(f"{server.url}/oauth/revoke", data={"token": second["refresh_token"]},
                            auth=(ALEXA, server.secrets[ALEXA]), timeout=10)  # fmt: skip
    assert revoked.status_code == 200
    assert not _linked(_speak(server, second["access_token"])), "revoking the refresh token ends its access tokens"


def test_linking_a_token_for_another_skills_client_is_not_accepted(server: Server) -> None:
    other = _grant(server, OTHER, OTHER_REDIRECT)
    assert not _linked(_speak(server, other["access_token"]))
    ours = _grant(server)
    stolen = _token(server, {"grant_type": "refresh_token", "refresh_token": ours["refresh_token"]}, OTHER)
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
    code = _code(_authorize(server))
    cross = _token(server, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}, OTHER)
    assert cross.status_code == 400


def test_account_cli_creates_accounts_and_clients(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.db")
    runner = CliRunner()
    made = runner.invoke(cli, ["account", "create", "bob", "--password-stdin", "--demo-profile", "--db", db],
                         input="a long password\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "shop account bob created (skill user shop:bob)" in made.output
    linking = LinkingService(open_database(db), SystemClock())
    assert linking.authenticate("bob", "a long password") is not None
    assert linking.authenticate("bob", "wrong") is None
    twice = runner.invoke(cli, ["account", "create", "bob", "--password-stdin", "--db", db], input="another pw1\n")
    assert twice.exit_code == 2 and twice.output == "error: a shop account 'bob' already exists\n"
    short = runner.invoke(cli, ["account", "create", "carol", "--password-stdin", "--db", db], input="short\n")
    assert short.exit_code == 2 and "at least 8 characters" in short.output
    client = runner.invoke(cli, ["account", "link-client", ALEXA, "--redirect-uri", REDIRECT, "--db", db])
    assert client.exit_code == 0 and "client secret: " in client.output
    secret = client.output.split("client secret: ")[1].split()[0]
    assert linking.client(ALEXA) is not None and linking.client(ALEXA).redirect_uris == (REDIRECT,)  # type: ignore[union-attr]
    assert secret not in open_database(db).execute("SELECT secret_hash FROM oauth_clients").fetchone()[0]
    http = runner.invoke(cli, ["account", "link-client", ALEXA, "--redirect-uri", "http://evil.example/", "--db", db])
    assert http.exit_code == 2 and "must be https://" in http.output


def test_linking_without_a_redirect_uri_uses_the_registered_one(server: Server) -> None:
    params = {"response_type": "code", "client_id": ALEXA, "state": "st-42"}
    browser = requests.Session()
    page = browser.get(f"{server.url}/oauth/authorize", params=params, timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    answer = browser.post(f"{server.url}/oauth/authorize", params=params, allow_redirects=False, timeout=10,
                          data={"username": "alice", "password": "correct horse battery", "csrf": csrf.group(1)})  # fmt: skip
    code = _code(answer)
    tokens = _token(server, {"grant_type": "authorization_code", "code": code})
    assert tokens.status_code == 200, tokens.text
    assert _linked(_speak(server, tokens.json()["access_token"]))


def test_linking_one_code_sent_by_racing_token_requests_gives_one_grant(server: Server) -> None:
    verifier, challenge = _pkce()
    code = _code(_authorize(server, challenge=challenge))
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier}
    start = threading.Barrier(6)
    statuses: list[int] = []

    def send() -> None:
        start.wait()
        statuses.append(_token(server, data).status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(statuses) == [200] + [400] * 5


def test_linking_a_code_is_claimed_once(server: Server) -> None:
    linking = server.linking()
    _, challenge = _pkce()
    code = _code(_authorize(server, challenge=challenge))
    assert linking.redeem_code(code, ALEXA) is not None, "the first look-up claims the code"
    assert linking.redeem_code(code, ALEXA) is None, "a claimed code is not handed out again"
