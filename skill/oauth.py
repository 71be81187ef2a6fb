"""OAuth 2.0 account linking on the skill's web service (Authlib's authorization server).

    GET/POST /oauth/authorize   the login page for a shop account; redirects back with a code
    POST     /oauth/token       authorization_code and refresh_token grants (client secret: HTTP Basic or form)
    POST     /oauth/revoke      RFC 7009 revocation of an access or refresh token

Codes live five minutes and are used once (a replay revokes the tokens they gave); PKCE with S256 is
checked when the client sends a challenge; access tokens live an hour; refresh tokens rotate on use.
Everything is stored hashed (`skill.services.linking`). docs/ACCOUNT_LINKING.md says how to set the
Alexa developer console up.
"""

from __future__ import annotations

import hmac
import html
import secrets
from typing import Any
from urllib.parse import urlencode

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Flask, Response, request

from skill.clock import Clock, SystemClock
from skill.services.linking import (
    ACCESS_TOKEN_LIFETIME,
    LinkingService,
    LoginThrottled,
    OAuthClient,
    StoredCode,
    StoredToken,
    digest,
)
from skill.store.db import Store

__all__ = ["install_oauth"]

_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
_CSRF_COOKIE = "voiceshop_link"


class _Client:
    """Authlib's client interface over a stored client."""

    def __init__(self, stored: OAuthClient) -> None:
        self.stored = stored

    def get_client_id(self) -> str:
        return self.stored.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.stored.redirect_uris[0] if self.stored.redirect_uris else None

    def get_allowed_scope(self, scope: str) -> str:
        return scope or ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.stored.redirect_uris  # exact, as RFC 9700 asks

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(digest(client_secret), self.stored.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in _AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


class _Code:
    """Authlib's authorization-code interface over a stored code."""

    def __init__(self, stored: StoredCode) -> None:
        self.stored = stored
        self.code_challenge = stored.code_challenge
        self.code_challenge_method = stored.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.stored.redirect_uri

    def get_scope(self) -> str:
        return self.stored.scope


class _Token:
    """Authlib's token interface over a stored token."""

    def __init__(self, stored: StoredToken, service: LinkingService) -> None:
        self.stored = stored
        self.service = service

    def check_client(self, client: Any) -> bool:
        return bool(client is not None and client.get_client_id() == self.stored.client_id)

    def get_scope(self) -> str:
        return self.stored.scope or "shop"

    def get_expires_in(self) -> int:
        return int((self.stored.expires_at - self.stored.created_at).total_seconds())

    def is_expired(self) -> bool:
        return not self.service.usable(self.stored) and self.stored.revoked_at is None

    def is_revoked(self) -> bool:
        return self.stored.revoked_at is not None


class _S256Only(CodeChallenge):
    """PKCE as a confidential client may use it: S256 only ('plain' protects nothing)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"


def install_oauth(app: Flask, store: Store, clock: Clock | None = None) -> None:
    """Add the account-linking endpoints to the skill's Flask app."""
    clock = clock or SystemClock()

    def linking() -> LinkingService:
        return LinkingService(store.db(), clock)

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = _AUTH_METHODS

        def save_authorization_code(self, code: str, req: Any) -> None:
            linking().save_code(
                code,
                client_id=req.client.get_client_id(),
                account_id=req.user.account_id,
                # Empty when the request named none: then the token request need not name one either.
                redirect_uri=req.payload.redirect_uri or "",
                scope=req.payload.scope or "",
                code_challenge=req.payload.data.get("code_challenge"),
                code_challenge_method=req.payload.data.get("code_challenge_method") or (
                    "S256" if req.payload.data.get("code_challenge") else None
                ),
            )

        def query_authorization_code(self, code: str, client: Any) -> _Code | None:
            stored = linking().redeem_code(code, client.get_client_id())
            return _Code(stored) if stored else None

        def delete_authorization_code(self, authorization_code: _Code) -> None:
            """Nothing left to do: `redeem_code` claimed the code when it was looked up."""

        def authenticate_user(self, authorization_code: _Code) -> Any:
            return linking().account(authorization_code.stored.account_id)

    class RefreshGrant(grants.RefreshTokenGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = _AUTH_METHODS
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_refresh_token(self, refresh_token: str) -> _Token | None:
            service = linking()
            stored = service.token(refresh_token, "refresh")
            if stored is not None and stored.revoked_at is not None:
                service.revoke_grant(stored.grant_id)  # a rotated-out refresh token used again: stolen
                return None
            return _Token(stored, service) if stored and service.usable(stored) else None

        def authenticate_user(self, refresh_token: _Token) -> Any:
            return linking().account(refresh_token.stored.account_id)

        def revoke_old_credential(self, refresh_token: _Token) -> None:
            linking().revoke_token(refresh_token.stored.token_hash)

    class Revocation(RevocationEndpoint):
        CLIENT_AUTH_METHODS = _AUTH_METHODS

        def query_token(self, token_string: str, token_type_hint: str | None) -> _Token | None:
            service = linking()
            stored = service.token(token_string)
            return _Token(stored, service) if stored else None

        def revoke_token(self, token: _Token, req: Any) -> None:
            service = linking()
            if token.stored.kind == "refresh":
                service.revoke_grant(token.stored.grant_id)  # the refresh token and the access tokens it gave
            else:
                service.revoke_token(token.stored.token_hash)

    def query_client(client_id: str) -> _Client | None:
        stored = linking().client(client_id)
        return _Client(stored) if stored else None

    def save_token(token: dict[str, Any], req: Any) -> None:
        refresh = getattr(req, "refresh_token", None)
        code = getattr(req, "authorization_code", None)
        if isinstance(refresh, _Token):
            grant_id = refresh.stored.grant_id
        elif isinstance(code, _Code):
            grant_id = code.stored.code_hash
        else:
            grant_id = digest(token["access_token"])
        linking().save_tokens(
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token"),
            client_id=req.client.get_client_id(),
            account_id=req.user.account_id,
            scope=token.get("scope", ""),
            grant_id=grant_id,
            expires_in=int(token["expires_in"]),
        )

    app.config.setdefault("OAUTH2_REFRESH_TOKEN_GENERATOR", True)
    app.config.setdefault(
        "OAUTH2_TOKEN_EXPIRES_IN",
        {"authorization_code": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
         "refresh_token": int(ACCESS_TOKEN_LIFETIME.total_seconds())},
    )  # fmt: skip
    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_grant(CodeGrant, [_S256Only(required=False)])
    server.register_grant(RefreshGrant)
    server.register_endpoint(Revocation)

    def authorize() -> Any:
        try:
            grant = server.get_consent_grant(end_user=None)
        except OAuth2Error as error:
            # A bad client or redirect URI: never redirect to it; say so on the page.
            return _page(f"This link request cannot be used: {error.description or error.error}.", status=400)
        client_name = grant.client.stored.name or grant.client.get_client_id()
        if request.method == "GET":
            return _login_form(client_name, "")
        # Double-submit check: the form's token must be the one this browser got with the form, so
        # another site cannot post a login (and link an account of its choosing) through the shopper.
        sent, kept = request.form.get("csrf", ""), request.cookies.get(_CSRF_COOKIE, "")
        if not sent or not hmac.compare_digest(sent, kept):
            return _page("The sign-in form expired. Start linking again from the Alexa app.", status=400)
        try:
            account = linking().authenticate(request.form.get("username", ""), request.form.get("password", ""))
        except LoginThrottled:
            return _login_form(client_name, "Too many wrong passwords. Try again in 15 minutes.", status=429)
        if account is None:
            return _login_form(client_name, "Wrong username or password.", status=401)
        return server.create_authorization_response(grant=grant, grant_user=account)

    def issue_token() -> Any:
        return server.create_token_response()

    def revoke() -> Any:
        return server.create_endpoint_response(Revocation.ENDPOINT_NAME)

    app.add_url_rule("/oauth/authorize", "oauth_authorize", authorize, methods=["GET", "POST"])
    app.add_url_rule("/oauth/token", "oauth_token", issue_token, methods=["POST"])
    app.add_url_rule("/oauth/revoke", "oauth_revoke", revoke, methods=["POST"])


def _login_form(client_name: str, message: str, status: int = 200) -> Response:
    action = "/oauth/authorize?" + urlencode(list(request.args.items(multi=True)))
    csrf = secrets.token_urlsafe(24)
    error = f'<p class="error">{html.escape(message)}</p>' if message else ""
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Link your Voice Shop account</title></head>
<body><main>
<h1>Link your Voice Shop account</h1>
<p>{html.escape(client_name)} asks to use your Voice Shop account for voice shopping.</p>
{error}
<form method="post" action="{html.escape(action)}">
<input type="hidden" name="csrf" value="{csrf}">
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in and link</button>
</form>
</main></body></html>
"""
    response = _page(body, status=status, raw=True)
    response.set_cookie(
        _CSRF_COOKIE, csrf, httponly=True, samesite="Strict", secure=request.is_secure, path="/oauth/authorize"
    )
    return response


def _page(text: str, *, status: int, raw: bool = False) -> Response:
    body = text if raw else f"<!doctype html><title>Voice Shop</title><p>{html.escape(text)}</p>"
    response = Response(body, status=status, mimetype="text/html")
    # The login page is never framed (clickjacking) nor cached.
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'none'; form-action 'self'; frame-ancestors 'none'"
    response.headers["Cache-Control"] = "no-store"
    return response
