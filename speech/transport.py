"""How the speaker reaches a skill: Alexa request JSON in, response JSON out, nothing else.

An `Endpoint` is any callable from a request dict to a response dict. `HttpEndpoint` POSTs to a URL
(any Alexa skill's HTTPS endpoint); an in-process skill is a plain function, e.g.
`skill.app.create_invoker(config)`, wired in by the `voiceshop` commands, never imported here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import requests

from speech.errors import EndpointError

Endpoint = Callable[[dict[str, Any]], dict[str, Any]]


class HttpEndpoint:
    """POSTs each request to `url` as JSON and returns the parsed response."""

    def __init__(self, url: str, timeout: float = 8.0, headers: dict[str, str] | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise EndpointError(f"endpoint must be an http:// or https:// URL, got {url!r}")
        self.url = url
        self.timeout = timeout
        self._session = requests.Session()
        self._headers = {"Content-Type": "application/json", **(headers or {})}

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            reply = self._session.post(
                self.url, data=json.dumps(request), headers=self._headers, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise EndpointError(f"cannot reach {self.url}: {exc.__class__.__name__}") from exc
        if reply.status_code != 200:
            raise EndpointError(f"{self.url} answered HTTP {reply.status_code}: {reply.text[:200]}")
        try:
            body = reply.json()
        except ValueError as exc:
            raise EndpointError(f"{self.url} did not answer with JSON") from exc
        if not isinstance(body, dict) or "response" not in body:
            raise EndpointError(f"{self.url} did not answer with an Alexa response")
        return body
