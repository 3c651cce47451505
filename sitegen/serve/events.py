"""What the browsers are told.

The state of the last build, and the hub the event streams wait on.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass

from ..errors import Diagnostic


@dataclass(frozen=True)
class BuildState:
    generation: str  # names the last good build; a page served from it carries it
    previous: str  # the generation before it: `changed` is relative to that one
    changed: tuple[str, ...] | None  # output files written or removed; None when unknown
    errors: tuple[
        Diagnostic, ...
    ] = ()  # errors of the last build; the last good site is still served

    def event(self) -> bytes:
        data = {
            "generation": self.generation,
            "previous": self.previous,
            "changed": list(self.changed) if self.changed is not None else None,
            "errors": [
                {
                    "path": d.path,
                    "line": d.line,
                    "col": d.col,
                    "message": d.message,
                    "hint": d.hint,
                    "text": d.format(),
                }
                for d in self.errors
                if d.is_error
            ],
        }
        return (
            b"event: state\ndata: " + json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n\n"
        )


class Hub:
    """The current BuildState, and a condition the event streams wait on for the next one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._token = secrets.token_hex(3)  # new on every start: a page from an earlier run reloads
        self._count = 0
        self.version = 0
        self.closed = False
        self.state = BuildState(self._next(), "", None)

    def _next(self) -> str:
        self._count += 1
        return f"{self._token}-{self._count}"

    def built(self, changed: tuple[str, ...] | None) -> BuildState:
        with self._cond:
            self.state = BuildState(self._next(), self.state.generation, changed)
            return self._publish()

    def failed(self, errors: list[Diagnostic]) -> BuildState:
        with self._cond:
            self.state = BuildState(
                self.state.generation, self.state.previous, self.state.changed, tuple(errors)
            )
            return self._publish()

    def _publish(self) -> BuildState:
        self.version += 1
        self._cond.notify_all()
        return self.state

    def wait(self, seen: int, timeout: float) -> tuple[int, BuildState]:
        """Wait until a version newer than `seen` is published (or the timeout passes)."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != seen or self.closed, timeout)
            return self.version, self.state

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()
