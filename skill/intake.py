"""Reading an Alexa request before the skill sees it: strict JSON, bounded depth, valid Unicode.

    envelope = read_envelope(raw_body)     # bytes from HTTP -> dict, or BadAlexaRequest(reason)
    envelope = clean_envelope(request)     # a dict from an in-process caller, checked the same way

What is refused (a 400 over HTTP, `BadAlexaRequest` in process): a body that is not a JSON object;
the non-standard constants NaN, Infinity and -Infinity (the response echoes attributes, and must
itself be strict JSON); nesting deeper than `MAX_DEPTH` (a real envelope is about ten deep, and deep
nests exhaust recursion in the SDK's deserialiser and in deepcopy); an envelope without the fields
every Alexa request has. Lone surrogates (UTF-16 halves that JSON escapes allow but Unicode does
not) are replaced by U+FFFD, so nothing downstream fails to encode them.
"""

from __future__ import annotations

import json
import math
from typing import Any

from skill.verifier import VerificationError

__all__ = ["MAX_DEPTH", "BadAlexaRequest", "clean_envelope", "read_envelope"]

MAX_DEPTH = 64
"""Deepest nesting accepted anywhere in a request, session attributes included."""


class BadAlexaRequest(VerificationError):
    """The body is not JSON, or JSON that is not an Alexa request envelope."""


def _refuse_constant(name: str) -> Any:
    raise BadAlexaRequest(f"request body is not strict JSON: {name} is not a JSON value")


def read_envelope(body: bytes) -> dict[str, Any]:
    """Parse and check the raw body of POST /alexa."""
    if not body:
        raise BadAlexaRequest("empty request body")
    try:
        envelope = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise BadAlexaRequest(f"request body is nested more than {MAX_DEPTH} deep") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadAlexaRequest(f"request body is not JSON: {exc}") from exc
    return clean_envelope(envelope)


def clean_envelope(envelope: Any) -> dict[str, Any]:
    """Check an envelope's shape and depth, refuse non-finite numbers, replace lone surrogates.
    Returns the envelope (a copy only where a string had to be replaced)."""
    if not isinstance(envelope, dict):
        raise BadAlexaRequest("request body is not a JSON object")
    cleaned = _clean(envelope)
    missing = [k for k in ("version", "context", "request") if k not in cleaned]
    if missing:
        raise BadAlexaRequest(f"not an Alexa request: missing {', '.join(missing)}")
    inner = cleaned["request"]
    if not isinstance(inner, dict) or not isinstance(inner.get("type"), str):
        raise BadAlexaRequest("not an Alexa request: request.type is missing")
    context = cleaned["context"]
    if not isinstance(context, dict) or not isinstance(context.get("System"), dict):
        raise BadAlexaRequest("not an Alexa request: context.System is missing")
    user = context["System"].get("user")
    if not isinstance(user, dict) or not isinstance(user.get("userId"), str):
        raise BadAlexaRequest("not an Alexa request: context.System.user.userId is missing")
    session = cleaned.get("session")
    if session is not None and not isinstance(session, dict):
        raise BadAlexaRequest("not an Alexa request: session is not an object")
    if isinstance(session, dict) and not isinstance(session.get("attributes", {}), (dict, type(None))):
        raise BadAlexaRequest("not an Alexa request: session.attributes is not an object")
    return cleaned


def _clean(root: dict[str, Any]) -> dict[str, Any]:
    """One pass without recursion: depth, numbers, strings (keys included)."""
    out: dict[str, Any] = {}
    stack: list[tuple[Any, Any, int]] = [(root, out, 1)]
    while stack:
        source, target, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadAlexaRequest(f"request body is nested more than {MAX_DEPTH} deep")
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, value in items:
            if isinstance(value, dict):
                copy: Any = {}
                stack.append((value, copy, depth + 1))
                value = copy
            elif isinstance(value, list):
                copy = [None] * len(value)
                stack.append((value, copy, depth + 1))
                value = copy
            elif isinstance(value, str):
                value = _text(value)
            elif isinstance(value, float) and not math.isfinite(value):
                raise BadAlexaRequest("request body is not strict JSON: a number is NaN or infinite")
            if isinstance(target, dict):
                target[_text(key) if isinstance(key, str) else key] = value
            else:
                target[key] = value
    return out


def _text(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return value
