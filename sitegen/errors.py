"""Diagnostics: what went wrong, where, and how to fix it; plus the small exception tree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the site's sources, reported to a person as `path:line: message (hint)`."""

    path: str  # relative to the site folder, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    col: int = 0

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        prefix = "" if self.is_error else "warning: "
        text = f"{where}: {prefix}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def error(path: str | Path, line: int, message: str, hint: str = "", col: int = 0) -> Diagnostic:
    return Diagnostic(str(path), line, message, hint, Severity.ERROR, col)


def warning(path: str | Path, line: int, message: str, hint: str = "", col: int = 0) -> Diagnostic:
    return Diagnostic(str(path), line, message, hint, Severity.WARNING, col)


class SitegenError(Exception):
    """Base of the errors the CLI turns into exit codes."""


class ContentError(SitegenError):
    """The site's sources have errors; the build wrote nothing."""

    def __init__(
        self, diagnostics: list[Diagnostic], unchecked: tuple[str, ...] = (), partial: object = None
    ):
        self.diagnostics = sorted(diagnostics)
        # What could not be checked because a stage it needs failed ("pages", "links", ...),
        # for the summary to say so; empty when every stage ran.
        self.unchecked = unchecked
        # build.Partial: what was read of the rest of the site, for `check` to look at it too.
        self.partial = partial
        super().__init__(
            f"{sum(d.is_error for d in self.diagnostics)} error(s) in the site's sources"
        )


class UsageError(SitegenError):
    """The command was called wrongly (missing folder, bad option)."""
