"""YAML reading that keeps line numbers, so every error can name its line."""

from __future__ import annotations

import datetime as dt
import re
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
    # The first text line of values written as block scalars ('|' or '>'), which start on the
    # line after their key: where Markdown in an offer's description begins. Shared and empty
    # unless the mapping has one.
    value_lines: dict[Any, int] = {}  # noqa: RUF012 - read-only default, replaced, never mutated


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
        own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        self.flatten_mapping(node)
        merged = len(node.value) - own  # flatten_mapping puts the pairs of '<<: *base' first
        from_merge: set[Any] = set()
        result = LineDict()
        result.line = node.start_mark.line + self.offset
        result.key_lines = {}
        for index, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list)):
                self.problems.append(
                    YamlProblem(
                        key_node.start_mark.line + self.offset,
                        "a key cannot be a list or a map",
                        "write a plain word before the colon",
                    )
                )
                continue
            line = key_node.start_mark.line + self.offset
            # A key given beside '<<: *base' overrides the base's on purpose: not a duplicate.
            if key in result.key_lines and key not in from_merge:
                self.problems.append(
                    YamlProblem(
                        line,
                        f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                        "keep one of the two; YAML would silently use the last",
                    )
                )
            if index < merged:
                from_merge.add(key)
            else:
                from_merge.discard(key)
            result.key_lines[key] = line
            if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
                if not result.value_lines:
                    result.value_lines = {}
                result.value_lines[key] = value_node.start_mark.line + self.offset + 1
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_yaml_seq_lines(self, node: yaml.SequenceNode) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + self.offset
        result.item_lines = [child.start_mark.line + self.offset for child in node.value]
        return result

    def construct_yaml_map_lines(self, node: yaml.MappingNode) -> LineDict:
        return self.construct_mapping(node, deep=True)

    def construct_int_safe(self, node: yaml.ScalarNode) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_int(self, node)
        except ValueError:
            # Python refuses to read integers of more than 4,300 digits (a guard against slow
            # conversions); no field needs one. Reported at its line; the value is left out.
            digits = sum(char.isdigit() for char in str(node.value))
            self.problems.append(
                YamlProblem(
                    node.start_mark.line + self.offset,
                    f"a number with {digits:,} digits",
                    "check the value: no price, weight or coordinate needs more than a few digits",
                )
            )
            return None

    def construct_timestamp_safe(self, node: yaml.ScalarNode) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            return InvalidDate(str(node.value))


_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq_lines)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map_lines)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_timestamp_safe)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_int_safe)


# A plain YAML value cannot start with these: editors meet them as "[A1] Cours", "*nouveau*",
# "@home".
_SPECIAL_STARTS = "[]{}*&!@`%|>"
_VALUE = re.compile(r"^\s*(?:-\s+)*(?:[^:#]+?:\s+)?(?P<value>\S.*)$")


def _value_of(line_text: str) -> str:
    """The value part of 'key: value' or '- value' (best effort, for messages only)."""
    match = _VALUE.match(line_text)
    return match.group("value") if match else ""


def _explain(exc: yaml.YAMLError, line_text: str) -> tuple[str, str]:
    """Turn PyYAML's parser vocabulary into what went wrong and how to fix it, in plain words."""
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    value = _value_of(line_text)
    first = value[:1]
    if (
        "\t" in line_text[: len(line_text) - len(line_text.lstrip())]
        or "'\\t'" in problem
        or "tab character" in problem
    ):
        return (
            "a tab character is used for indentation",
            "YAML needs spaces: replace the tab with spaces",
        )
    if "unknown escape character" in problem:
        return (
            "a backslash '\\' in a text in double quotes",
            "write \\\\ for a backslash, or put the text in single quotes",
        )
    if "constructor for the tag" in problem:
        tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return (
            f"'{tag}' is a YAML tag, which is not allowed here",
            "remove it, or put the whole text in quotes",
        )
    if "another document" in problem:
        return (
            "a second '---' line starts another document",
            "remove the '---' line: a file holds a single document",
        )
    if "nesting depth" in problem:  # PyYAML >= 6.0.4 stops there instead of recursing
        return (
            "lists or maps are nested too deeply",
            "check the brackets [ ] and { }: no file needs more than a few levels",
        )
    if first and first in _SPECIAL_STARTS and not ("flow" in context and _closes(value)):
        if "flow" in context:
            return (
                "a list [...] or map {...} is not closed",
                "add the missing ] or }, or put the text in quotes",
            )
        return (
            f"a text starting with '{first}' must be in quotes",
            f'put the whole text in quotes, e.g. "{value[:30].rstrip()}"',
        )
    if first in "'\"" and "quoted scalar" not in context and value.count(first) > 2:
        hint = (
            "inside '...' write the quote twice (L''école), or put the whole text in double quotes"
            if first == "'"
            else "put the whole text in single quotes instead: 'Le \"bon\" cours'"
        )
        return (
            f"the text in {first}quotes{first} ends too early: a {first} inside it closes it",
            hint,
        )
    if "found unexpected end of stream" in problem or "quoted scalar" in context:
        return "a quoted text is not closed", "add the missing closing quote (\" or ')"
    if "flow" in context:
        return (
            "a list [...] or map {...} is not closed",
            "add the missing ] or }, or put the text in quotes",
        )
    if "mapping values are not allowed" in problem:
        return (
            "a colon ':' inside a value",
            'put the value in quotes, e.g. title: "Cours: niveau A1"',
        )
    if "could not find expected ':'" in problem:
        return (
            "a line is missing its 'key: value' colon",
            "write the line as 'key: value', or check the indentation of the line above",
        )
    if "did not find expected" in problem or "expected <block end>" in problem:
        return (
            "the indentation is inconsistent",
            "align items of one list or map with the same number of spaces",
        )
    return f"the YAML is not valid here ({problem})", "check this line and the one above it"


def _closes(value: str) -> bool:
    """Whether a value starting with [ or { is closed on its line (then the error is elsewhere)."""
    return value.rstrip().endswith(("]", "}"))


def load(text: str, line_offset: int = 0) -> tuple[Any, list[YamlProblem]]:
    """Parse YAML text; return (data, problems) with 1-based lines shifted by line_offset."""
    loader = _Loader(text, line_offset)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is noticed at the end of the file: point at where it opened.
        if (
            exc.context
            and ("quoted scalar" in exc.context or "flow" in exc.context)
            and exc.context_mark
            and "unknown escape" not in (exc.problem or "")
        ):
            mark = exc.context_mark
        else:
            mark = exc.problem_mark or exc.context_mark
        index = mark.line if mark else 0
        # only for the message: a 5 MB offers file is not split on every build
        lines = text.splitlines()
        message, hint = _explain(exc, lines[index] if index < len(lines) else "")
        return None, [YamlProblem(index + 1 + line_offset, message, hint)]
    except yaml.reader.ReaderError as exc:
        # A control character (often pasted from a PDF or a spreadsheet): YAML refuses the whole
        # file.
        line = text[: exc.position].count("\n") + 1 + line_offset
        return None, [
            YamlProblem(
                line,
                f"an invisible control character (U+{exc.character:04X}) is in the text",
                "delete it and retype the text around it; it often comes from copying out of a "
                "PDF or a spreadsheet",
            )
        ]
    except yaml.YAMLError as exc:
        message, hint = _explain(exc, "")
        return None, [YamlProblem(1 + line_offset, message, hint)]
    except RecursionError:
        return None, [
            YamlProblem(
                1 + line_offset,
                "lists or maps are nested too deeply",
                "check the brackets [ ] and { }: no file needs more than a few levels",
            )
        ]
    finally:
        loader.dispose()
    return data, loader.problems


def key_line(mapping: Any, key: str, default: int = 0) -> int:
    """The line of `key` in a mapping read by `load`, else the mapping's own line."""
    if isinstance(mapping, LineDict):
        return mapping.key_lines.get(key, mapping.line or default)
    return default


def value_line(mapping: Any, key: str, default: int = 0) -> int:
    """The line where the value of `key` starts.

    The line after the key for a '|' or '>' block, else the key's.
    """
    if isinstance(mapping, LineDict) and key in mapping.value_lines:
        return mapping.value_lines[key]
    return key_line(mapping, key, default)


def node_line(value: Any, default: int = 0) -> int:
    return getattr(value, "line", 0) or default


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def item_lines(value: list[Any], default: int = 0) -> list[int]:
    """The line of each item of a list read by `load` (default for lists made in code)."""
    return list(getattr(value, "item_lines", [default] * len(value)))
