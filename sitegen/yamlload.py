"""YAML reading that keeps line numbers, so every error can name its line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml

try:  # the C parser is several times faster; the constructor below stays in Python
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class LineDict(dict):
    """A mapping from YAML that remembers the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence from YAML that remembers the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


@dataclass(frozen=True)
class InvalidDate:
    """A value that looks like a date but is not one (2026-02-30): reported, never crashed on."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class YamlProblem:
    line: int
    message: str
    hint: str


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    def __init__(self, stream: str, line_offset: int = 0) -> None:
        super().__init__(stream)
        self.problems: list[YamlProblem] = []
        self.offset = line_offset + 1  # YAML marks count from 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + self.offset
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list)):
                self.problems.append(
                    YamlProblem(key_node.start_mark.line + self.offset, "a key cannot be a list or a map", "write a plain word before the colon")
                )
                continue
            line = key_node.start_mark.line + self.offset
            if key in result.key_lines:
                self.problems.append(
                    YamlProblem(
                        line,
                        f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                        "keep one of the two; YAML would silently use the last",
                    )
                )
            result.key_lines[key] = line
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_yaml_seq_lines(self, node: yaml.SequenceNode) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + self.offset
        result.item_lines = [child.start_mark.line + self.offset for child in node.value]
        return result

    def construct_yaml_map_lines(self, node: yaml.MappingNode) -> LineDict:
        return self.construct_mapping(node, deep=True)

    def construct_timestamp_safe(self, node: yaml.ScalarNode) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            return InvalidDate(str(node.value))


_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq_lines)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map_lines)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_timestamp_safe)


def _explain(exc: yaml.YAMLError, line_text: str) -> tuple[str, str]:
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())] or "'\\t'" in problem:
        return "a tab character is used for indentation", "YAML needs spaces: replace the tab with spaces"
    if "found unexpected end of stream" in problem or "quoted scalar" in context:
        return "a quoted text is not closed", "add the missing closing quote (\" or ')"
    if "flow" in context:
        return "a list [...] or map {...} is not closed", "add the missing ] or }, or put the text in quotes"
    if "mapping values are not allowed" in problem:
        return "a colon ':' inside a value", "put the value in quotes, e.g. title: \"Cours: niveau A1\""
    if "could not find expected ':'" in problem:
        return "a line is missing its 'key: value' colon", "write the line as 'key: value', or check the indentation of the line above"
    if "did not find expected" in problem or "expected <block end>" in problem:
        return "the indentation is inconsistent", "align items of one list or map with the same number of spaces"
    return f"invalid YAML: {problem}", "check the line and the one above it"


def load(text: str, line_offset: int = 0) -> tuple[Any, list[YamlProblem]]:
    """Parse YAML text; return (data, problems) with 1-based lines shifted by line_offset."""
    loader = _Loader(text, line_offset)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is noticed at the end of the file: point at where it opened.
        if exc.context and ("quoted scalar" in exc.context or "flow" in exc.context) and exc.context_mark:
            mark = exc.context_mark
        else:
            mark = exc.problem_mark or exc.context_mark
        index = mark.line if mark else 0
        lines = text.splitlines()
        message, hint = _explain(exc, lines[index] if index < len(lines) else "")
        line = index + 1 + line_offset
        return None, [YamlProblem(line, message, hint)]
    except yaml.YAMLError as exc:
        message, hint = _explain(exc, "")
        return None, [YamlProblem(1 + line_offset, message, hint)]
    finally:
        loader.dispose()
    return data, loader.problems


def key_line(mapping: Any, key: str, default: int = 0) -> int:
    """The line of `key` in a mapping read by `load`, else the mapping's own line."""
    if isinstance(mapping, LineDict):
        return mapping.key_lines.get(key, mapping.line or default)
    return default


def node_line(value: Any, default: int = 0) -> int:
    return getattr(value, "line", 0) or default


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def item_lines(value: list[Any], default: int = 0) -> list[int]:
    """The line of each item of a list read by `load` (default for lists made in code)."""
    return list(getattr(value, "item_lines", [default] * len(value)))
