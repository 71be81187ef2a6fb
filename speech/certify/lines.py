"""YAML (and JSON) loaded with the line each mapping, sequence and key starts on.

Test files are written by hand, so every error names a line. PyYAML's composer knows where each node
starts; `load_all_with_lines` keeps that as `.line` on `LineDict`/`LineList` (1-based) and
`.key_lines` / `.item_lines` for what they contain. JSON is (nearly) YAML, so annotation sets use it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from speech.errors import TestFileError

__all__ = ["LineDict", "LineList", "line_of", "load_all_with_lines", "read_text"]


class LineDict(dict[str, Any]):
    """A mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


class LineList(list[Any]):
    """A sequence that knows the line it starts on and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        lines = getattr(self, "item_lines", [])
        return lines[index] if 0 <= index < len(lines) else self.line


def line_of(obj: Any, default: int = 0) -> int:
    """The line a loaded mapping or sequence starts on, `default` for a scalar."""
    return int(getattr(obj, "line", default) or default)


class _Loader(yaml.SafeLoader):
    """SafeLoader whose timestamps stay strings (referenceTimestamp is compared as written)."""


# Keep 2026-11-27 and 2026-11-27T10:00:00Z as the strings the author wrote.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _build(node: yaml.Node, loader: _Loader, path: Path) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(key_node, loader, path)
            if isinstance(key, (dict, list)):
                raise TestFileError(f"{path}, line {key_node.start_mark.line + 1}: a key must be a plain value")
            key = "" if key is None else str(key) if not isinstance(key, str) else key
            out[key] = _build(value_node, loader, path)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LineList(_build(item, loader, path) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    return loader.construct_object(node, deep=True)


def read_text(path: Path) -> str:
    """The file as text, or a `TestFileError` naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TestFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise TestFileError(f"cannot read {path}: {exc.strerror or exc}") from exc


def load_all_with_lines(text: str, path: Path) -> list[Any]:
    """Every YAML document in `text`, with lines; a syntax error names the file and line."""
    loader = _Loader(text)
    docs: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            docs.append(None if node is None else _build(node, loader, path))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problem = exc.problem or exc.context or "not valid YAML"
        raise TestFileError(f"{path}, line {line}: {problem}") from exc
    except yaml.YAMLError as exc:
        raise TestFileError(f"{path}: not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return docs
