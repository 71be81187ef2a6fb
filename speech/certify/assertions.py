"""Bespoken-style assertions checked against one exchange (the request sent, the response received).

Matching rules, as test-script authors expect them:
- strings compare ignoring case and runs of spaces; `*` is a wildcard; `/re/flags` is a regular
  expression (searched); without either, the expected text only has to occur in the actual text
  (`prompt: "added"`), except for `intent` and `slots`, which must match whole;
- a list of expected values means any of them (`!=`: none of them);
- `undefined`/`null` (None) means the path is absent;
- `>`, `>=`, `<`, `<=` compare numbers; `=~` is always a regular expression;
- `sessionEnded` is true when the session ended with this response;
- `intent` and `slots` read the request the cloud sent (what the NLU made of the line);
  `response.…` reads the response envelope, `request.…` the request envelope's `request`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from speech.certify.cases import Assertion

__all__ = ["AssertionOutcome", "Exchange", "check_assertion", "resolve_path"]

_INDEX = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_REGEX = re.compile(r"^/(?P<body>.*)/(?P<flags>[imsx]*)$", re.DOTALL)
_SPACE = re.compile(r"\s+")
_WHOLE = {"intent", "slots"}


@dataclass
class Exchange:
    """One request and what came back, as the assertions see it."""

    request: dict[str, Any]
    """The request envelope sent to the skill."""
    response: dict[str, Any] | None
    """The response envelope; None for a SessionEndedRequest the skill may answer with nothing."""
    speech: str = ""
    """outputSpeech as plain text."""
    reprompt: str = ""
    session_open: bool = False
    card: dict[str, Any] | None = None
    heard: str = ""
    """The line as the cloud heard it."""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AssertionOutcome:
    passed: bool
    message: str
    """For a failure: what was expected and what came back."""


def resolve_path(obj: Any, path: str) -> Any:
    """`response.outputSpeech.ssml`, `directives[0].type`: None when any part is missing."""
    cur = obj
    for name, index in _INDEX.findall(path):
        if name:
            cur = cur.get(name) if isinstance(cur, dict) else None
        else:
            i = int(index)
            cur = cur[i] if isinstance(cur, list) and i < len(cur) else None
        if cur is None:
            return None
    return cur


def _actual(exchange: Exchange, path: str) -> Any:
    intent = resolve_path(exchange.request, "request.intent")
    if path == "prompt":
        return exchange.speech
    if path == "reprompt":
        return exchange.reprompt
    if path == "cardTitle":
        return (exchange.card or {}).get("title")
    if path == "cardContent":
        card = exchange.card or {}
        return card.get("content", card.get("text"))
    if path == "sessionEnded":
        return not exchange.session_open
    if path == "intent":
        return intent.get("name") if isinstance(intent, dict) else None
    if path == "slots":
        return (intent or {}).get("slots") or {}
    if path.startswith("request.") or path == "request":
        return resolve_path(exchange.request, path)
    return resolve_path(exchange.response or {}, path)


def _norm(text: Any) -> str:
    return _SPACE.sub(" ", str(text)).strip().lower()


@lru_cache(maxsize=512)
def _compile(expected: str, whole: bool, force_regex: bool) -> re.Pattern[str]:
    m = _REGEX.match(expected.strip())
    if m or force_regex:
        body, flags = (m.group("body"), m.group("flags")) if m else (expected, "")
        value = 0
        for f in flags:
            value |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}[f]
        return re.compile(body, value)
    parts = [re.escape(_norm(p)) for p in expected.split("*")]
    pattern = ".*".join(parts)
    if "*" in expected or whole:
        return re.compile(rf"^\s*{pattern}\s*$", re.I | re.S)
    return re.compile(pattern, re.I | re.S)


def _text_matches(actual: Any, expected: str, *, whole: bool, regex: bool = False) -> bool:
    if actual is None:
        return False
    regex = regex or _REGEX.match(expected.strip()) is not None  # a /regex/ sees the text as it is
    text = actual if regex else _norm(actual)
    if isinstance(actual, bool):
        text = str(actual).lower()
    return _compile(expected, whole, regex).search(str(text)) is not None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def _equals(actual: Any, expected: Any, whole: bool) -> bool:
    if expected is None:
        return actual is None or actual == ""
    if isinstance(expected, bool):
        if isinstance(actual, str):
            return actual.strip().lower() == str(expected).lower()
        return actual is not None and bool(actual) == expected
    if isinstance(expected, (int, float)):
        number = _as_number(actual)
        return number is not None and number == float(expected)
    if isinstance(actual, (dict, list)):
        return False
    if str(expected).strip() == "":
        return actual is None or _norm(actual) == ""  # "" means empty, not "contains nothing"
    return _text_matches(actual, str(expected), whole=whole)


def _slot_forms(slot: Any) -> list[Any]:
    if not isinstance(slot, dict):
        return [slot]
    forms: list[Any] = [slot.get("value")]
    for authority in (slot.get("resolutions") or {}).get("resolutionsPerAuthority") or []:
        for v in authority.get("values") or []:
            forms += [v.get("value", {}).get("name"), v.get("value", {}).get("id")]
    return [f for f in forms if f is not None] or [None]


def _one(actual: Any, op: str, expected: Any, path: str) -> bool:
    whole = path in _WHOLE
    if op in (":", "=="):
        return _equals(actual, expected, whole)
    if op == "!=":
        return not _equals(actual, expected, whole)
    if op == "=~":
        return _text_matches(actual, str(expected), whole=whole, regex=True)
    number, bound = _as_number(actual), _as_number(expected)
    if number is None or bound is None:
        return False
    return {">": number > bound, ">=": number >= bound, "<": number < bound, "<=": number <= bound}[op]


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 300 else text[:297] + "..."


def check_assertion(assertion: Assertion, exchange: Exchange) -> AssertionOutcome:
    """Whether the exchange satisfies `assertion`, with a message saying why not."""
    path, op, expected = assertion.path, assertion.operator, assertion.expected
    actual = _actual(exchange, path)
    if path == "slots" and isinstance(expected, dict):
        problems = []
        for name, want in expected.items():
            forms = _slot_forms(actual.get(name)) if isinstance(actual, dict) else [None]
            wants = want if isinstance(want, list) else [want]
            hit = any(_one(form, ":" if op == "!=" else op, w, "slots") for form in forms for w in wants)
            if hit == (op == "!="):
                got = forms[0] if forms else None
                problems.append(f"slot {name} {op} {_show(want)}: got {_show(got)}")
        return AssertionOutcome(not problems, "; ".join(problems))
    alternatives = expected if isinstance(expected, list) else [expected]
    if op == "!=":
        passed = all(_one(actual, "!=", e, path) for e in alternatives)
    else:
        passed = any(_one(actual, op, e, path) for e in alternatives)
    if passed:
        return AssertionOutcome(True, "")
    wanted = " or ".join(_show(e) for e in alternatives) if op != "!=" else " nor ".join(_show(e) for e in alternatives)
    return AssertionOutcome(False, f"{path} {op} {wanted}: got {_show(actual)}")
