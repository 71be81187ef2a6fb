"""Fixtures for the skill's tests: catalogs; the skill driven by Alexa request JSON through one `Shopper`
(tests/support/skill.py) as `talk`, `list_talk`, `real_talk` and `shop`; and for the web service a test
PKI that signs like Alexa, request envelopes and a real server.

A module marked `both_stores` runs each test that uses `db_path` on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlite_utils
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.app import create_invoker
from skill.clock import FixedClock
from skill.config import SkillConfig
from skill.store.catalog_import import import_catalog
from skill.store.db import open_database
from skill.verifier import AlexaRequestVerifier
from tests.support.paths import FIXTURES
from tests.support.skill import Shop, Shopper, load_request, make_shop

SMALL_CATALOG = FIXTURES / "catalog_small.json"
TEST_USER = "amzn1.ask.account.TESTUSER"


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
def shop(skill_config: SkillConfig) -> Shop:
    """The skill over the demo catalog at a fixed time (tests.support.skill.NOW), the demo shopper's
    profile made by a first launch (visa by default, voice code 1234 required)."""
    shop = make_shop(skill_config)
    shop.shopper().launch()
    return shop


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
def talk(invoke: Any) -> Shopper:
    return Shopper(invoke, user_id=TEST_USER)


@pytest.fixture
def list_talk(skill_config: SkillConfig, small_catalog_db: sqlite_utils.Database) -> Shopper:
    """The skill over the small catalog in a shop that reads three results for a kind (`search_reads`)."""
    skill_config.search_reads = 3
    return Shopper(create_invoker(skill_config), user_id=TEST_USER)


@pytest.fixture
def real_talk(skill_config: SkillConfig) -> Shopper:
    """The skill over the demo catalog (skill/data/catalog.json), seeded on first use."""
    return Shopper(create_invoker(skill_config), user_id=TEST_USER)


NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
VOICESHOP = Path(sys.executable).parent / "voiceshop"


# --- a certificate authority of our own, standing in for Amazon's ---------------------------------


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(
    cn: str, issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None = None
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A CA certificate: self-signed root when `issuer` is None, else an intermediate under it."""
    key = _key()
    issuer_cert, issuer_key = issuer if issuer else (None, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer_cert.subject if issuer_cert else _name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=365))
        .not_valid_after(NOW + timedelta(days=3650))
        .add_extension(
            x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0), critical=True
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256()), key


def make_leaf(
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey],
    *,
    dns: str = "echo-api.amazon.com",
    not_before: datetime = NOW - timedelta(days=30),
    not_after: datetime = NOW + timedelta(days=300),
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A signing certificate like Amazon's: a TLS server certificate naming `dns`."""
    issuer_cert, issuer_key = issuer
    key = _key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(dns))
        .issuer_name(issuer_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
        .sign(issuer_key, hashes.SHA256())
    )
    return cert, key


def pem_chain(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def sign(key: rsa.RSAPrivateKey, body: bytes) -> str:
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


@dataclass
class Pki:
    """A trusted root, an intermediate, and Alexa's signing certificate under it."""

    root: x509.Certificate
    intermediate: tuple[x509.Certificate, rsa.RSAPrivateKey]
    leaf: x509.Certificate
    leaf_key: rsa.RSAPrivateKey
    chains: dict[str, bytes] = field(default_factory=dict)
    """What the fake fetcher serves, by normalised URL."""
    fetched: list[str] = field(default_factory=list)
    """Every URL the verifier downloaded, in order."""

    def chain(self) -> bytes:
        return pem_chain(self.leaf, self.intermediate[0])

    def fetch(self, url: str) -> bytes:
        self.fetched.append(url)
        return self.chains.get(url, self.chain())

    def verifier(self, clock: FixedClock | None = None) -> AlexaRequestVerifier:
        return AlexaRequestVerifier(fetcher=self.fetch, roots=[self.root], clock=clock or FixedClock(NOW))

    def headers(
        self, body: bytes, *, key: rsa.RSAPrivateKey | None = None, url: str = CHAIN_URL
    ) -> dict[str, str]:
        return {"SignatureCertChainUrl": url, "Signature-256": sign(key or self.leaf_key, body)}


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = make_ca("Voice Shop Test Root CA")
    intermediate = make_ca("Voice Shop Test Intermediate CA", issuer=root)
    leaf, leaf_key = make_leaf(intermediate)
    return Pki(root=root[0], intermediate=intermediate, leaf=leaf, leaf_key=leaf_key)


@pytest.fixture
def fresh_pki(pki: Pki) -> Pki:
    """The session's certificates with an empty fetch log (keys are slow to make; logs are not)."""
    return Pki(root=pki.root, intermediate=pki.intermediate, leaf=pki.leaf, leaf_key=pki.leaf_key)


# --- Alexa request envelopes -----------------------------------------------------------------------


def envelope(
    request_type: str = "LaunchRequest",
    *,
    intent: str | None = None,
    slots: dict[str, str] | None = None,
    timestamp: datetime = NOW,
    user_id: str = "amzn1.ask.account.WEBTEST",
    app_id: str = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000",
    new: bool = True,
) -> dict[str, Any]:
    """An Alexa request in the exact shape the Alexa service sends."""
    app = {"applicationId": app_id}
    user = {"userId": user_id}
    request: dict[str, Any] = {
        "type": request_type,
        "requestId": "amzn1.echo-api.request.webtest",
        "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locale": "en-US",
    }
    if intent is not None:
        request["intent"] = {
            "name": intent,
            "confirmationStatus": "NONE",
            "slots": {
                name: {"name": name, "value": value, "confirmationStatus": "NONE"}
                for name, value in (slots or {}).items()
            },
        }
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": "amzn1.echo-api.session.webtest",
            "application": app,
            "user": user,
            "attributes": {},
        },
        "context": {
            "System": {
                "application": app,
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.WEBTEST", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
                "apiAccessToken": "webtest-token",
            }
        },
        "request": request,
    }


def body_of(request: dict[str, Any]) -> bytes:
    return json.dumps(request, ensure_ascii=False).encode("utf-8")


# --- a real `voiceshop serve` on loopback ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running `voiceshop serve` subprocess."""

    url: str
    process: subprocess.Popen[str]

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
        return requests.post(
            self.url + "/alexa",
            data=body,
            headers={"Content-Type": "application/json", **(headers or {})},
            timeout=10,
        )


def start_server(db: Path, *extra: str, scheme: str = "http") -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(VOICESHOP),
            "serve",
            "--port",
            str(port),
            "--db",
            str(db),
            "--workers",
            "1",
            "--threads",
            "2",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"{scheme}://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"voiceshop serve exited: {process.stderr.read() if process.stderr else ''}")
        try:
            # The health probe does not check the certificate: the test checks it when it matters.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # urllib3's InsecureRequestWarning for that probe
                if requests.get(url + "/healthz", timeout=1, verify=False).status_code == 200:
                    break
        except (requests.ConnectionError, requests.Timeout):  # not listening (an SSLError is one too) or not answering yet
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("voiceshop serve did not answer /healthz within 30 s")
        time.sleep(0.1)
    try:
        yield Server(url=url, process=process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def serve_process(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Starts a server of the test's own (with extra options), stopped when the test ends."""
    running: list[Iterator[Server]] = []

    def start(*extra: str, scheme: str = "http") -> Server:
        gen = start_server(tmp_path / f"server{len(running)}.db", *extra, scheme=scheme)
        running.append(gen)
        return next(gen)

    yield start
    for gen in running:
        gen.close()


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`voiceshop serve --insecure-dev --demo-accounts` with two workers, shared by a module's tests."""
    yield from start_server(
        tmp_path_factory.mktemp("dev") / "voiceshop.db", "--insecure-dev", "--demo-accounts"
    )


@pytest.fixture(scope="module")
def secure_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`voiceshop serve` with request verification on (the default)."""
    yield from start_server(tmp_path_factory.mktemp("secure") / "voiceshop.db", "--demo-accounts")


class Toolkit:
    """The helpers above, handed to tests as a fixture (test modules cannot import a conftest)."""

    now = NOW
    chain_url = CHAIN_URL
    voiceshop = VOICESHOP
    envelope = staticmethod(envelope)
    body_of = staticmethod(body_of)
    make_ca = staticmethod(make_ca)
    make_leaf = staticmethod(make_leaf)
    pem_chain = staticmethod(pem_chain)
    sign = staticmethod(sign)


@pytest.fixture(scope="session")
def kit() -> Toolkit:
    return Toolkit()
