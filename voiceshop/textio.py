"""Text typed or piped in, made valid Unicode before anything reads it.

A pasted or hostile line may carry bytes that are not UTF-8 (Python keeps undecodable command-line
bytes as lone surrogates): they become U+FFFD, so the NLU, the JSON output and the terminal never
meet a string they cannot encode.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

__all__ = ["readable", "stdin_lines"]


def readable(text: str) -> str:
    """`text` with lone surrogates (undecodable bytes) replaced by U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def stdin_lines() -> Iterator[str]:
    """Lines of stdin without their line ends, decoded as UTF-8 with bad bytes replaced."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        for line in sys.stdin:
            yield readable(line.rstrip("\r\n"))
        return
    for raw in buffer:
        yield raw.decode("utf-8", "replace").rstrip("\r\n")
