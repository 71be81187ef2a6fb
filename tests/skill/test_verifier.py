"""The Alexa request verifier, against a certificate chain generated here (a test root CA standing in for Amazon's)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest

from skill.clock import FixedClock
from skill.verifier import (
    AlexaRequestVerifier,
    ApplicationIdError,
    CertificateChainError,
    CertificateUrlError,
    SignatureError,
    TimestampError,
    VerificationError,
    check_application_id,
    normalize_cert_url,
)


def test_verifier_accepts_a_request_signed_by_the_alexa_certificate(fresh_pki, kit):
    body = kit.body_of(kit.envelope())
    fresh_pki.verifier().verify(fresh_pki.headers(body), body, json.loads(body))
    assert fresh_pki.fetched == ["https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem"]


def test_verifier_reads_headers_case_insensitively(fresh_pki, kit):
    body = kit.body_of(kit.envelope())
    headers = {k.lower(): v for k, v in fresh_pki.headers(body).items()}
    fresh_pki.verifier().verify(headers, body, json.loads(body))


def test_verifier_rejects_a_forged_signature(fresh_pki, kit):
    body = kit.body_of(kit.envelope())
    forger, forger_key = kit.make_leaf((fresh_pki.root, fresh_pki.intermediate[1]))
    headers = fresh_pki.headers(body, key=forger_key)  # signed by someone else's key
    with pytest.raises(SignatureError, match="does not match the request body"):
        fresh_pki.verifier().verify(headers, body, json.loads(body))


def test_verifier_checks_the_raw_body_not_a_reencoding(fresh_pki, kit):
    request = kit.envelope(intent="SearchProductIntent", slots={"product": "coffee"})
    signed = json.dumps(request).encode()
    headers = fresh_pki.headers(signed)
    tampered = json.dumps(request, indent=1).encode()  # same JSON, different bytes
    with pytest.raises(SignatureError):
        fresh_pki.verifier().verify(headers, tampered, request)


def test_verifier_rejects_a_signature_that_is_not_base64(fresh_pki, kit):
    body = kit.body_of(kit.envelope())
    headers = {**fresh_pki.headers(body), "Signature-256": "not base64 at all!"}
    with pytest.raises(SignatureError, match="not base64"):
        fresh_pki.verifier().verify(headers, body, json.loads(body))


@pytest.mark.parametrize("missing", ["SignatureCertChainUrl", "Signature-256"])
def test_verifier_rejects_a_request_without_signature_headers(fresh_pki, kit, missing):
    body = kit.body_of(kit.envelope())
    headers = fresh_pki.headers(body)
    del headers[missing]
    with pytest.raises(VerificationError, match=f"missing {missing}"):
        fresh_pki.verifier().verify(headers, body, json.loads(body))


def test_verifier_rejects_a_certificate_without_the_alexa_san(fresh_pki, kit):
    leaf, key = kit.make_leaf(fresh_pki.intermediate, dns="evil.example.com")
    fresh_pki.chains[normalize_cert_url(kit.chain_url)] = kit.pem_chain(leaf, fresh_pki.intermediate[0])
    body = kit.body_of(kit.envelope())
    with pytest.raises(CertificateChainError, match="echo-api.amazon.com is not in"):
        fresh_pki.verifier().verify(fresh_pki.headers(body, key=key), body, json.loads(body))


def test_verifier_rejects_an_expired_certificate(fresh_pki, kit):
    leaf, key = kit.make_leaf(
        fresh_pki.intermediate,
        not_before=kit.now - timedelta(days=400),
        not_after=kit.now - timedelta(days=1),
    )
    fresh_pki.chains[normalize_cert_url(kit.chain_url)] = kit.pem_chain(leaf, fresh_pki.intermediate[0])
    body = kit.body_of(kit.envelope())
    with pytest.raises(CertificateChainError, match="has expired"):
        fresh_pki.verifier().verify(fresh_pki.headers(body, key=key), body, json.loads(body))


def test_verifier_rejects_a_certificate_not_valid_yet(fresh_pki, kit):
    leaf, key = kit.make_leaf(
        fresh_pki.intermediate, not_before=kit.now + timedelta(days=1), not_after=kit.now + timedelta(days=90)
    )
    fresh_pki.chains[normalize_cert_url(kit.chain_url)] = kit.pem_chain(leaf, fresh_pki.intermediate[0])
    body = kit.body_of(kit.envelope())
    with pytest.raises(CertificateChainError, match="not valid yet"):
        fresh_pki.verifier().verify(fresh_pki.headers(body, key=key), body, json.loads(body))


def test_verifier_rejects_a_chain_not_issued_by_a_trusted_root(fresh_pki, kit):
    rogue_root = kit.make_ca("Rogue Root CA")
    rogue_intermediate = kit.make_ca("Rogue Intermediate CA", issuer=rogue_root)
    leaf, key = kit.make_leaf(rogue_intermediate)  # right SAN, right dates, wrong issuer
    fresh_pki.chains[normalize_cert_url(kit.chain_url)] = kit.pem_chain(leaf, rogue_intermediate[0])
    body = kit.body_of(kit.envelope())
    with pytest.raises(CertificateChainError, match="not trusted"):
        fresh_pki.verifier().verify(fresh_pki.headers(body, key=key), body, json.loads(body))


def test_verifier_rejects_a_chain_missing_its_intermediate(fresh_pki, kit):
    fresh_pki.chains[normalize_cert_url(kit.chain_url)] = kit.pem_chain(fresh_pki.leaf)
    body = kit.body_of(kit.envelope())
    with pytest.raises(CertificateChainError, match="not trusted"):
        fresh_pki.verifier().verify(fresh_pki.headers(body), body, json.loads(body))


def test_verifier_rejects_a_download_that_is_not_pem(fresh_pki, kit):
    fresh_pki.chains[normalize_cert_url(kit.chain_url)] = b"<html>Access Denied</html>"
    body = kit.body_of(kit.envelope())
    with pytest.raises(CertificateChainError, match="not PEM"):
        fresh_pki.verifier().verify(fresh_pki.headers(body), body, json.loads(body))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "scheme must be https"),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", "host must be s3.amazonaws.com"),
        ("https://s3.amazonaws.com.evil.com/echo.api/echo-api-cert.pem", "host must be s3.amazonaws.com"),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "path must start with /echo.api/"),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "path must start with /echo.api/"),
        ("https://s3.amazonaws.com/echo.api/../echo-api-cert.pem", "path must start with /echo.api/"),
        ("https://s3.amazonaws.com/echo.api/%2E%2E/x.pem", "path must start with /echo.api/"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "port must be 443"),
        ("https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem", "credentials"),
    ],
)
def test_verifier_rejects_a_foreign_certificate_url_before_downloading(fresh_pki, kit, url, reason):
    body = kit.body_of(kit.envelope())
    with pytest.raises(CertificateUrlError, match=reason):
        fresh_pki.verifier().verify(fresh_pki.headers(body, url=url), body, json.loads(body))
    assert fresh_pki.fetched == []


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    ],
)
def test_normalize_cert_url_accepts_amazons_url_forms(url):
    assert normalize_cert_url(url) == "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem"


@pytest.mark.parametrize("skew", [timedelta(seconds=151), timedelta(seconds=-151), timedelta(hours=2)])
def test_verifier_rejects_a_stale_or_future_timestamp(fresh_pki, kit, skew):
    body = kit.body_of(kit.envelope(timestamp=kit.now + skew))
    with pytest.raises(TimestampError, match="from now"):
        fresh_pki.verifier().verify(fresh_pki.headers(body), body, json.loads(body))


def test_verifier_accepts_a_timestamp_just_inside_the_window(fresh_pki, kit):
    body = kit.body_of(kit.envelope(timestamp=kit.now - timedelta(seconds=149)))
    fresh_pki.verifier().verify(fresh_pki.headers(body), body, json.loads(body))


def test_verifier_rejects_an_unreadable_timestamp(fresh_pki, kit):
    request = kit.envelope()
    request["request"]["timestamp"] = "yesterday-ish"
    body = kit.body_of(request)
    with pytest.raises(TimestampError, match="unreadable"):
        fresh_pki.verifier().verify(fresh_pki.headers(body), body, request)


def test_verifier_caches_the_chain_per_url_until_it_expires(fresh_pki, kit):
    clock = FixedClock(kit.now)
    verifier = fresh_pki.verifier(clock)
    for _ in range(3):
        body = kit.body_of(kit.envelope(timestamp=clock.now()))
        verifier.verify(fresh_pki.headers(body), body, json.loads(body))
    assert len(fresh_pki.fetched) == 1
    other = "https://s3.amazonaws.com/echo.api/echo-api-cert-other.pem"
    body = kit.body_of(kit.envelope(timestamp=clock.now()))
    verifier.verify(fresh_pki.headers(body, url=other), body, json.loads(body))
    assert len(fresh_pki.fetched) == 2
    # Past the signing certificate's expiry the cached chain is dropped and fetched again (and refused).
    clock.set(fresh_pki.leaf.not_valid_after_utc + timedelta(seconds=1))
    body = kit.body_of(kit.envelope(timestamp=clock.now()))
    with pytest.raises(CertificateChainError, match="expired"):
        verifier.verify(fresh_pki.headers(body), body, json.loads(body))
    assert len(fresh_pki.fetched) == 3


def test_verifier_is_safe_to_share_between_threads(fresh_pki, kit):
    verifier = fresh_pki.verifier()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                body = kit.body_of(kit.envelope())
                verifier.verify(fresh_pki.headers(body), body, json.loads(body))
        except BaseException as exc:  # collected and asserted on in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert 1 <= len(fresh_pki.fetched) <= 4  # at most one download per thread racing on the empty cache


def test_verifier_uses_the_system_roots_by_default_and_refuses_a_private_root(fresh_pki, kit):
    verifier = AlexaRequestVerifier(fetcher=fresh_pki.fetch, clock=FixedClock(kit.now))
    body = kit.body_of(kit.envelope())
    with pytest.raises(CertificateChainError, match="not trusted"):
        verifier.verify(fresh_pki.headers(body), body, json.loads(body))


def test_check_application_id_refuses_another_skill(kit):
    request = kit.envelope(app_id="amzn1.ask.skill.someone-else")
    with pytest.raises(ApplicationIdError, match="someone-else"):
        check_application_id(request, "amzn1.ask.skill.voiceshop")
    check_application_id(kit.envelope(app_id="amzn1.ask.skill.voiceshop"), "amzn1.ask.skill.voiceshop")
    check_application_id(request, None)
