"""Checking that a request really comes from Alexa, with the `cryptography` package.

Amazon's rules for a skill hosted as a web service ("Verify that the request was sent by Alexa"):

1. the `SignatureCertChainUrl` header, once normalised, is https on s3.amazonaws.com (port 443 if
   one is given) under the path /echo.api/;
2. the PEM chain it points to has a signing certificate that is valid now, names
   echo-api.amazon.com among its Subject Alternative Names, and chains to a trusted root CA;
3. the `Signature-256` header is a base64 SHA-256 RSA signature of the raw body by that certificate;
4. the request's `timestamp` is within 150 seconds of now.

    verifier = AlexaRequestVerifier()                       # system CA bundle, downloads with requests
    verifier.verify(headers, raw_body, request_json)        # raises VerificationError(reason)

ask-sdk-webservice-support does the same but cannot be imported here (its oscrypto dependency
fails to load on OpenSSL 3), hence this module.
"""

from __future__ import annotations

import base64
import binascii
import posixpath
import ssl
import threading
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError

from skill.clock import Clock, SystemClock
from skill.errors import SkillError

__all__ = [
    "ALEXA_SIGNING_DOMAIN",
    "TIMESTAMP_TOLERANCE",
    "AlexaRequestVerifier",
    "ApplicationIdError",
    "CertificateChainError",
    "CertificateUrlError",
    "SignatureError",
    "TimestampError",
    "VerificationError",
    "check_application_id",
    "download_chain",
    "normalize_cert_url",
    "system_roots",
]

ALEXA_SIGNING_DOMAIN = "echo-api.amazon.com"
TIMESTAMP_TOLERANCE = timedelta(seconds=150)
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
MAX_CHAIN_BYTES = 64 * 1024
"""A real chain is a few KiB; refusing more keeps a hostile URL from making us buffer megabytes."""

Fetcher = Callable[[str], bytes]


class VerificationError(SkillError):
    """The request cannot be shown to come from Alexa; `reason` says which check failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CertificateUrlError(VerificationError):
    """The SignatureCertChainUrl header is missing or not an Amazon echo.api S3 URL."""


class CertificateChainError(VerificationError):
    """The certificate chain cannot be fetched, is expired, lacks the Alexa SAN, or is not trusted."""


class SignatureError(VerificationError):
    """The Signature-256 header is missing, not base64, or does not match the body."""


class TimestampError(VerificationError):
    """The request timestamp is missing, unreadable, or more than 150 seconds from now."""


class ApplicationIdError(VerificationError):
    """The request is for another skill than the configured skill id."""


def normalize_cert_url(url: str) -> str:
    """The canonical form of a SignatureCertChainUrl, or CertificateUrlError when Amazon would not send it.

    Scheme and host compare case-insensitively; the path compares case-sensitively after `..` and
    percent-escapes are resolved, so '/echo.api/../x' and '/echo.api/%2e%2e/x' are refused.
    """
    if not url:
        raise CertificateUrlError("missing SignatureCertChainUrl header")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise CertificateUrlError(f"unreadable certificate URL: {exc}") from exc
    if parts.scheme.lower() != "https":
        raise CertificateUrlError(f"certificate URL scheme must be https, not {parts.scheme or 'none'!r}")
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise CertificateUrlError(f"certificate URL host must be {CERT_URL_HOST}, not {parts.hostname!r}")
    if parts.username is not None or parts.password is not None:
        raise CertificateUrlError("certificate URL must not carry credentials")
    if port is not None and port != 443:
        raise CertificateUrlError(f"certificate URL port must be 443, not {port}")
    raw_path = unquote(parts.path)
    path = posixpath.normpath(raw_path) if raw_path else ""
    # normpath keeps a leading '//' (POSIX allows it to mean something else); no Amazon URL has one.
    if path.startswith("//") or not path.startswith(CERT_URL_PATH_PREFIX):
        raise CertificateUrlError(
            f"certificate URL path must start with {CERT_URL_PATH_PREFIX}, not {parts.path!r}"
        )
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{CERT_URL_HOST}:443{path}{query}"


def download_chain(url: str, timeout: float = 5.0) -> bytes:
    """The real fetcher: GET the PEM chain with requests, bounded in time and size."""
    import requests  # imported here so tests with an injected fetcher never need it

    try:
        with requests.get(url, timeout=timeout, stream=True) as response:
            response.raise_for_status()
            body = response.raw.read(MAX_CHAIN_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise CertificateChainError(f"cannot download the certificate chain: {exc}") from exc
    if len(body) > MAX_CHAIN_BYTES:
        raise CertificateChainError("the certificate chain is larger than any real one")
    return bytes(body)


def system_roots() -> list[x509.Certificate]:
    """The trusted root CAs: certifi's bundle when installed, else the system bundle."""
    try:
        import certifi

        bundle = Path(certifi.where())
    except ImportError:
        bundle = Path(ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt")
    try:
        with warnings.catch_warnings():
            # A few long-lived roots in public bundles have non-positive serials; they are still trusted.
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            return x509.load_pem_x509_certificates(bundle.read_bytes())
    except (OSError, ValueError) as exc:
        raise CertificateChainError(
            f"cannot load the trusted root certificates from {bundle}: {exc}"
        ) from exc


def check_application_id(request: Mapping[str, Any], skill_id: str | None) -> None:
    """When a skill id is configured, the request must be addressed to it."""
    if not skill_id:
        return
    # Every Alexa request names its skill in context.System.application (the session's copy is
    # optional and absent outside a session); the SDK's own check reads that one too.
    context = request.get("context")
    system = context.get("System") if isinstance(context, dict) else None
    application = system.get("application") if isinstance(system, dict) else None
    app_id = application.get("applicationId") if isinstance(application, dict) else None
    if app_id is None:
        raise ApplicationIdError("request has no context.System.application.applicationId")
    if app_id != skill_id:
        shown = app_id if isinstance(app_id, str) and len(app_id) <= 100 else "(unreadable)"
        raise ApplicationIdError(f"request is for application {shown!r}, not this skill")


@dataclass
class _TrustedChain:
    leaf: x509.Certificate
    """The signing certificate, already shown to chain to a trusted root."""
    expires: datetime
    """The earliest not-after in the chain: the cache entry is dropped then."""


@dataclass
class AlexaRequestVerifier:
    """Verifies Alexa's signature and timestamp on a request; thread-safe, caches chains per URL."""

    fetcher: Fetcher = download_chain
    """URL -> PEM bytes. Tests pass a function returning a chain they generated."""
    roots: list[x509.Certificate] | None = None
    """Trusted root CAs; None loads `system_roots()` on first use."""
    clock: Clock = field(default_factory=SystemClock)
    """Now, for certificate dates and the timestamp window."""
    tolerance: timedelta = TIMESTAMP_TOLERANCE
    """How far the request timestamp may be from now."""
    _cache: dict[str, _TrustedChain] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _store: Store | None = field(default=None, init=False, repr=False)

    def verify(self, headers: Mapping[str, str], body: bytes, request: Mapping[str, Any]) -> None:
        """Raise a VerificationError subclass unless the request is signed by Alexa and fresh."""
        url = normalize_cert_url(_header(headers, "SignatureCertChainUrl"))
        leaf = self.signing_certificate(url)
        self.check_signature(leaf, _header(headers, "Signature-256"), body)
        self.check_timestamp(request)

    def signing_certificate(self, url: str) -> x509.Certificate:
        """The trusted leaf for a normalised URL, from the cache when it has not expired."""
        now = self.clock.now()
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and now < cached.expires:
            _check_dates(cached.leaf, now)
            return cached.leaf
        # Fetched outside the lock: a slow download must not stall requests with a cached chain.
        trusted = self._validate(self.fetcher(url), now)
        with self._lock:
            self._cache[url] = trusted
        return trusted.leaf

    def check_signature(self, leaf: x509.Certificate, signature_b64: str, body: bytes) -> None:
        if not signature_b64:
            raise SignatureError("missing Signature-256 header")
        try:
            signature = base64.b64decode(signature_b64.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SignatureError("Signature-256 header is not base64") from exc
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise SignatureError("the signing certificate does not hold an RSA key")
        try:
            key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise SignatureError("the signature does not match the request body") from exc

    def check_timestamp(self, request: Mapping[str, Any]) -> None:
        stamp = (request.get("request") or {}).get("timestamp")
        if stamp is None:
            raise TimestampError("the request has no timestamp")
        at = _parse_timestamp(stamp)
        skew = abs(self.clock.now() - at)
        if skew > self.tolerance:
            raise TimestampError(
                f"the request timestamp is {int(skew.total_seconds())} s from now "
                f"(at most {int(self.tolerance.total_seconds())} s allowed)"
            )

    def _validate(self, pem: bytes, now: datetime) -> _TrustedChain:
        try:
            chain = x509.load_pem_x509_certificates(pem)
        except ValueError as exc:
            raise CertificateChainError("the certificate chain is not PEM") from exc
        leaf, intermediates = chain[0], chain[1:]
        _check_dates(leaf, now)
        if ALEXA_SIGNING_DOMAIN not in _dns_names(leaf):
            raise CertificateChainError(f"{ALEXA_SIGNING_DOMAIN} is not in the signing certificate's names")
        verifier = (
            PolicyBuilder()
            .store(self._trust_store())
            .time(now)
            .build_server_verifier(x509.DNSName(ALEXA_SIGNING_DOMAIN))
        )
        try:
            verifier.verify(leaf, intermediates)
        except ChainError as exc:
            raise CertificateChainError(f"the certificate chain is not trusted: {exc}") from exc
        expires = min(c.not_valid_after_utc for c in chain)
        return _TrustedChain(leaf=leaf, expires=expires)

    def _trust_store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store(self.roots if self.roots is not None else system_roots())
            return self._store


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:  # plain dicts in tests are case-sensitive; Werkzeug's headers are not
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), "")
    return value or ""


def _check_dates(cert: x509.Certificate, now: datetime) -> None:
    if now < cert.not_valid_before_utc:
        raise CertificateChainError("the signing certificate is not valid yet")
    if now > cert.not_valid_after_utc:
        raise CertificateChainError("the signing certificate has expired")


def _dns_names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [name.lower() for name in san.get_values_for_type(x509.DNSName)]


def _parse_timestamp(stamp: object) -> datetime:
    """Alexa sends ISO 8601 ('2026-11-27T21:05:14Z'); some tools send epoch milliseconds."""
    try:
        if isinstance(stamp, int | float) and not isinstance(stamp, bool):
            return datetime.fromtimestamp(stamp / 1000, UTC)
        at = datetime.fromisoformat(str(stamp))
    except (ValueError, OverflowError, OSError) as exc:
        raise TimestampError(f"unreadable request timestamp {stamp!r}") from exc
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
