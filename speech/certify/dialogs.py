"""Reader for multi-turn dialog scripts in Bespoken's YAML test-script format.

    ---
    configuration:
      locale: en-US
      referenceTimestamp: "2026-11-27T15:00:00Z"     # optional: the clock the skill and the NLU see
    ---
    - test: "add milk and look at the cart"
    - LaunchRequest: "*Welcome*"                     # string: the prompt must match (wildcards *)
    - "add milk":                                    # list: every assertion must hold
        - prompt: ["*milk*", "*added*"]              # a list means any of
        - sessionEnded: false
        - intent: AddToCartIntent                    # asserts on the request the cloud sent
        - slots: {product: milk}
        - response.outputSpeech.ssml =~ /milk/i
        - response.card == undefined
    - AddToCartIntent product=eggs quantity=2: "*eggs*"   # an intent sent directly, slots given
    - exit                                           # or SessionEndedRequest: ends the session

The configuration can also be a top-level `configuration` key of a single mapping with `tests` as a
mapping of test name to steps.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from speech.certify.cases import Assertion, DialogScript, DialogStep, DialogTest
from speech.certify.lines import LineDict, LineList, line_of
from speech.errors import TestFileError

__all__ = ["OPERATORS", "SHORTHANDS", "is_dialog_document", "parse_assertion_text", "read_dialog_script"]

OPERATORS = (":", "==", "=~", "!=", ">", ">=", "<", "<=")
SHORTHANDS = ("prompt", "reprompt", "cardTitle", "cardContent", "sessionEnded", "intent", "slots")
_STRING_ASSERTION = re.compile(
    r"^\s*(?P<path>[A-Za-z_$][\w$]*(?:\[\d+\]|\.[\w$]+)*)\s*(?P<op>==|=~|!=|>=|<=|>|<)\s*(?P<exp>.*?)\s*$"
)
_INTENT_LINE = re.compile(r"^\s*(?P<name>(?:AMAZON\.)?[A-Z][A-Za-z0-9_]*Intent)\b(?P<rest>.*)$")
_SLOT_PAIR = re.compile(r"(?P<name>[A-Za-z_][\w]*)=(?:\"(?P<q>[^\"]*)\"|'(?P<s>[^']*)'|(?P<v>.*?))(?=\s+[A-Za-z_]\w*=|\s*$)")
_END = {"exit", "sessionendedrequest", "quit"}


def _fail(path: Path, line: int, message: str) -> TestFileError:
    return TestFileError(f"{path}, line {line}: {message}" if line else f"{path}: {message}")


def is_dialog_document(docs: list[Any]) -> bool:
    """Whether loaded YAML documents look like a Bespoken test script."""
    for doc in docs:
        if isinstance(doc, dict) and ("configuration" in doc or "tests" in doc and "intent" not in doc):
            return True
        if isinstance(doc, list) and doc and isinstance(doc[0], dict):
            first = doc[0]
            if "test" in first or any(_looks_like_step_key(str(k)) for k in first):
                return True
    return False


def _looks_like_step_key(key: str) -> bool:
    return key in ("LaunchRequest", "SessionEndedRequest") or bool(_INTENT_LINE.match(key))


def _scalar_expected(value: Any) -> Any:
    """Typed expected values from the text after an operator: numbers, booleans, undefined, strings."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
            return text[1:-1]
        low = text.lower()
        if low in ("true", "false"):
            return low == "true"
        if low in ("undefined", "null", "none"):
            return None
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return float(text) if "." in text else int(text)
        return text
    return value


def parse_assertion_text(text: str, line: int, path: Path) -> Assertion | None:
    """`response.outputSpeech.ssml =~ /milk/` as an Assertion; None when the text has no operator."""
    m = _STRING_ASSERTION.match(text)
    if not m:
        return None
    return Assertion(m.group("path"), m.group("op"), _scalar_expected(m.group("exp")), line)


def _assertions(value: Any, line: int, path: Path) -> list[Assertion]:
    """The expectations of one step: a string (the prompt), a list of assertions, or none."""
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [Assertion("prompt", ":", str(value), line)] if str(value) != "" else []
    if isinstance(value, dict):
        return [
            _mapping_assertion(k, v, value.line_of(k) if isinstance(value, LineDict) else line, path)
            for k, v in value.items()
        ]
    if not isinstance(value, list):
        raise _fail(path, line, f"expected a prompt or a list of assertions, got {type(value).__name__}")
    out: list[Assertion] = []
    alternatives: list[str] = []
    for n, item in enumerate(value):
        item_line = value.line_of(n) if isinstance(value, LineList) else line
        if isinstance(item, dict):
            if not item:
                raise _fail(path, item_line, "empty assertion")
            out.extend(
                _mapping_assertion(k, v, item.line_of(k) if isinstance(item, LineDict) else item_line, path)
                for k, v in item.items()
            )
        elif isinstance(item, str):
            parsed = parse_assertion_text(item, item_line, path)
            if parsed is not None:
                _check_path(parsed, path)
                out.append(parsed)
            else:
                alternatives.append(item)  # a bare string: one of the prompts accepted
        else:
            raise _fail(path, item_line, f"an assertion is 'path: expected' or 'path op expected', got {item!r}")
    if alternatives:
        out.insert(0, Assertion("prompt", ":", alternatives if len(alternatives) > 1 else alternatives[0], line))
    return out


def _mapping_assertion(key: str, value: Any, line: int, path: Path) -> Assertion:
    """`prompt: x` or, written as a key, `response.card.title == X: ...` is not allowed: keys are paths."""
    key = str(key).strip()
    op = ":"
    m = re.match(r"^(?P<path>.*?)\s*(?P<op>==|=~|!=|>=|<=|>|<)$", key)
    if m and m.group("path"):
        key, op = m.group("path"), m.group("op")
    assertion = Assertion(key, op, value, line)
    _check_path(assertion, path)
    if key == "slots" and not isinstance(value, dict):
        raise _fail(path, line, "'slots' expects a mapping of slot name to value")
    return assertion


def _check_path(assertion: Assertion, path: Path) -> None:
    p = assertion.path
    if p in SHORTHANDS or p.split(".")[0].split("[")[0] in ("response", "request", "sessionAttributes", "version"):
        if assertion.operator in (">", ">=", "<", "<=") and not isinstance(assertion.expected, (int, float)):
            raise _fail(path, assertion.line, f"'{assertion.operator}' compares numbers, got {assertion.expected!r}")
        if assertion.operator == "=~" and not isinstance(assertion.expected, (str, list)):
            raise _fail(path, assertion.line, "'=~' needs a regular expression")
        return
    raise _fail(
        path,
        assertion.line,
        f"unknown assertion path '{p}' (use {', '.join(SHORTHANDS)} or a path such as response.outputSpeech.ssml)",
    )


def _step(key: str, value: Any, line: int, path: Path) -> DialogStep:
    key = key.strip()
    assertions = _assertions(value, line, path)
    if key == "LaunchRequest":
        return DialogStep("launch", key, assertions=assertions, line=line)
    if key.lower() in _END:
        return DialogStep("end", key, assertions=assertions, line=line)
    m = _INTENT_LINE.match(key)
    if m:
        slots: dict[str, str] = {}
        rest = m.group("rest").strip()
        if rest:
            pairs = list(_SLOT_PAIR.finditer(rest))
            covered = "".join(p.group(0) for p in pairs).replace(" ", "")
            if not pairs or covered != rest.replace(" ", ""):
                raise _fail(path, line, f"slots after an intent are written name=value, got '{rest}'")
            for p in pairs:
                slots[p.group("name")] = next(g for g in (p.group("q"), p.group("s"), p.group("v")) if g is not None)
        return DialogStep("intent", key, intent=m.group("name"), slots=slots, assertions=assertions, line=line)
    if not key:
        raise _fail(path, line, "an empty utterance")
    return DialogStep("utterance", key, assertions=assertions, line=line)


def _test(items: list[Any], line: int, path: Path, number: int, name: str | None = None) -> DialogTest:
    steps: list[DialogStep] = []
    for n, item in enumerate(items):
        item_line = items.line_of(n) if isinstance(items, LineList) else line
        if isinstance(item, str):
            steps.append(_step(item, None, item_line, path))
            continue
        if not isinstance(item, dict) or not item:
            raise _fail(path, item_line, "a step is 'utterance: expected prompt' or 'utterance: [assertions]'")
        if "test" in item and len(item) == 1:
            if steps:
                raise _fail(path, item_line, "'test' names a test and comes before its steps")
            name = str(item["test"])
            continue
        if len(item) != 1:
            raise _fail(path, item_line, "one utterance a step (is an assertion list indented under it?)")
        (key, value), = item.items()
        steps.append(_step(str(key), value, item.line_of(key) if isinstance(item, LineDict) else item_line, path))
    if not steps:
        raise _fail(path, line, f"test '{name or number}' has no steps")
    return DialogTest(name=name or f"test {number}", steps=steps, line=line)


def read_dialog_script(path: Path, docs: list[Any]) -> DialogScript:
    configuration: dict[str, Any] = {}
    tests: list[DialogTest] = []
    for doc in docs:
        if doc is None:
            continue
        if isinstance(doc, dict):
            if "configuration" in doc:
                conf = doc["configuration"] or {}
                if not isinstance(conf, dict):
                    raise _fail(path, doc.line_of("configuration") if isinstance(doc, LineDict) else 0,
                                "'configuration' must be a mapping")
                configuration.update(conf)
            raw_tests = doc.get("tests")
            if isinstance(raw_tests, dict):
                for name, steps in raw_tests.items():
                    tline = raw_tests.line_of(name) if isinstance(raw_tests, LineDict) else 0
                    if not isinstance(steps, list):
                        raise _fail(path, tline, f"test '{name}' must be a list of steps")
                    tests.append(_test(steps, tline, path, len(tests) + 1, str(name)))
            elif raw_tests is not None:
                raise _fail(path, doc.line_of("tests") if isinstance(doc, LineDict) else 0,
                            "'tests' must map test names to steps")
            unknown = set(doc) - {"configuration", "tests"}
            if unknown:
                line = doc.line_of(sorted(unknown)[0]) if isinstance(doc, LineDict) else 0
                raise _fail(path, line, f"unexpected top-level key '{sorted(unknown)[0]}'")
        elif isinstance(doc, list):
            tests.append(_test(doc, line_of(doc), path, len(tests) + 1))
        else:
            raise _fail(path, line_of(doc), "a test is a list of steps")
    if not tests:
        raise _fail(path, 1, "the script has no tests")
    locale = configuration.get("locale", "en-US")
    if not isinstance(locale, str):
        raise _fail(path, 1, "configuration.locale must be a string such as en-US")
    return DialogScript(path=path, configuration=dict(configuration), tests=tests)
