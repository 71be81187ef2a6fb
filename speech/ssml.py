"""SSML as a speaker would say it: tags gone, breaks as pauses, say-as honoured, entities unescaped.

    to_segments('<speak>Hi<break time="500ms"/>your code is <say-as interpret-as="digits">1234</say-as></speak>')
    # [Text('Hi'), Pause(0.5), Text('your code is 1 2 3 4')]
    to_text(...)   # 'Hi. your code is 1 2 3 4' (for transcripts and logs)

A small tolerant reader rather than an XML parser: skill output is often not well-formed XML
(undeclared `amazon:` prefixes, bare ampersands), and a speaker must still say something.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = ["Text", "Pause", "to_segments", "to_text", "parse_break"]


@dataclass(frozen=True)
class Text:
    """Words to speak."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Silence to insert."""

    seconds: float


_TAG = re.compile(r"<(/?)([\w:.-]+)([^>]*?)(/?)>", re.S)
_ATTR = re.compile(r"([\w:.-]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_STRENGTH = {"none": 0.0, "x-weak": 0.1, "weak": 0.25, "medium": 0.4, "strong": 0.75, "x-strong": 1.2}
_PARAGRAPH_PAUSE = 0.35
_MAX_BREAK = 10.0  # Alexa's own limit for <break>


def parse_break(attrs: dict[str, str]) -> float:
    """Seconds of a <break>: time='500ms' or '1.5s', else strength, else medium."""
    t = attrs.get("time", "").strip().lower()
    m = re.fullmatch(r"([\d.]+)\s*(ms|s)", t)
    if m:
        value = float(m.group(1)) / (1000.0 if m.group(2) == "ms" else 1.0)
        return min(value, _MAX_BREAK)
    return _STRENGTH.get(attrs.get("strength", "medium").lower(), 0.4)


def _attrs(raw: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v[1:-1]) for k, v in _ATTR.findall(raw)}


def _say_as(kind: str, text: str, fmt: str = "") -> str:
    kind = kind.lower()
    t = text.strip()
    if kind in ("digits", "telephone"):
        return " ".join(ch for ch in t if ch.isalnum())
    if kind in ("characters", "spell-out"):
        return " ".join(ch.upper() if ch.isalpha() else ch for ch in t if not ch.isspace())
    if kind == "ordinal" and t.isdigit():
        n = int(t)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if kind in ("cardinal", "number"):
        return t.replace(",", "")
    if kind == "fraction":
        return t.replace("/", " over ")
    return t  # date, time, unit, interjection, expletive...: the words themselves


def to_segments(ssml: str) -> list[Text | Pause]:
    """Split SSML (or plain text) into text to speak and pauses."""
    out: list[Text | Pause] = []
    buf: list[str] = []
    stack: list[tuple[str, dict[str, str], int]] = []  # open tags whose content we rewrite

    def flush() -> None:
        text = " ".join(html.unescape("".join(buf)).split())
        buf.clear()
        if text:
            out.append(Text(text))

    def pause(seconds: float) -> None:
        flush()
        if seconds <= 0:
            return
        if out and isinstance(out[-1], Pause):
            out[-1] = Pause(out[-1].seconds + seconds)
        elif out:  # a pause before anything is said is dead air: skip it
            out.append(Pause(seconds))

    pos = 0
    for m in _TAG.finditer(ssml):
        buf.append(ssml[pos : m.start()])
        pos = m.end()
        closing, name, raw, selfclose = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
        attrs = _attrs(raw)
        if name == "break":
            pause(parse_break(attrs))
        elif name in ("p", "s") and (closing or not selfclose):
            if closing or "".join(buf).strip():
                pause(_PARAGRAPH_PAUSE if name == "p" else 0.0)
        elif name in ("say-as", "sub", "phoneme", "audio", "lang"):
            if not closing and not selfclose:
                stack.append((name, attrs, len(buf)))
            elif closing and stack and stack[-1][0] == name:
                tag, a, start = stack.pop()
                inner = html.unescape("".join(buf[start:]))
                del buf[start:]
                if tag == "say-as":
                    inner = _say_as(a.get("interpret-as", ""), inner, a.get("format", ""))
                elif tag == "sub":
                    inner = a.get("alias", inner)
                elif tag == "audio":
                    inner = ""  # a sound clip: nothing to synthesise
                buf.append(" " + html.escape(inner, quote=False) + " ")
        # every other tag (speak, emphasis, prosody, voice, amazon:*, w) only colours the voice
    buf.append(ssml[pos:])
    flush()
    while out and isinstance(out[-1], Pause):
        out.pop()
    return out


def to_text(ssml: str) -> str:
    """What is said, as one line (pauses as sentence breaks when the text has none)."""
    parts: list[str] = []
    for seg in to_segments(ssml):
        if isinstance(seg, Text):
            parts.append(seg.text)
        elif parts and not parts[-1].endswith((".", "?", "!", ",", ":", ";")):
            parts[-1] += "."
    return " ".join(parts)
