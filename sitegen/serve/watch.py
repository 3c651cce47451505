"""Watching the site's sources: the system's file events through watchfiles where it is
installed (instant, free while idle, on Linux, macOS and Windows), else a poll of their
modification times. Either way the saved files are reported, site-relative, to one callback."""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..cache import SITE_INPUTS

# what a build reads (site.yaml, content/, templates/, locales/, ...): the cache's own list
WATCHED = SITE_INPUTS
# seconds between two looks at the sources; grows with the site's size
MIN_POLL, MAX_POLL = (
    0.02,
    1.0,
)
SETTLE_TRIES, SETTLE_PAUSE = 5, 0.015  # for files caught in the middle of a save
# file events: quiet time that ends a save, longest wait to group them
EVENT_STEP_MS, EVENT_DEBOUNCE_MS = (
    5,
    300,
)

Stamps = dict[str, tuple[int, int] | None]  # site-relative path -> (mtime, size), None when gone


def _ignored(name: str) -> bool:
    # Editors' swap, lock and backup files (.x.swp, .#x, #x#, x~) change while typing: never a
    # reason to rebuild.
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def snapshot(site_dir: Path, out_dir: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file a build reads; the output folder is never part of it."""
    found: dict[str, tuple[int, int]] = {}
    skip = out_dir.resolve()
    stack = []
    for name in WATCHED:
        path = site_dir / name
        if path.is_dir():
            stack.append(path)
        else:
            try:
                st = path.stat()
            except OSError:
                continue
            found[name] = (st.st_mtime_ns, st.st_size)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _ignored(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if Path(entry.path).resolve() != skip:
                        stack.append(Path(entry.path))
                    continue
                st = entry.stat()
            except OSError:
                continue  # removed while we looked: the next look sees it gone
            found[os.path.relpath(entry.path, site_dir)] = (st.st_mtime_ns, st.st_size)
    return found


def stat(site_dir: Path, paths: list[str]) -> Stamps:
    found: Stamps = {}
    for path in paths:
        try:
            st = (site_dir / path).stat()
            found[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            found[path] = None
    return found


def settle(site_dir: Path, paths: list[str]) -> Stamps:
    """Wait while a saved file is empty: the editor truncated it and is still writing."""
    seen = stat(site_dir, paths)
    for _ in range(SETTLE_TRIES):
        if not any(st is not None and st[1] == 0 for st in seen.values()):
            break
        time.sleep(SETTLE_PAUSE)
        again = stat(site_dir, paths)
        if again == seen:
            break
        seen = again
    return seen


class Watcher:
    """Calls `saved(paths)` when sources are saved, added or removed, until `stop` is set:
    from the system's file events where watchfiles is installed (no delay, no cost while
    idle), else by looking every few dozen ms (always, with a fixed `poll` interval)."""

    def __init__(
        self,
        site_dir: Path,
        out_dir: Path,
        saved: Callable[[list[str]], None],
        stop: threading.Event,
        poll: float | None = None,
    ):
        self.site_dir, self.out_dir, self.saved, self.stop, self.poll = (
            site_dir,
            out_dir,
            saved,
            stop,
            poll,
        )
        # Polling compares with the sources as they were before the first build read them.
        self._polled = snapshot(site_dir, out_dir) if poll is not None else {}

    def run(self) -> None:
        try:
            if self.poll is None:
                # optional: see docs; polling does the same job, only slower on large sites
                import watchfiles

                self._watch_events(watchfiles)
                return
        except ImportError:
            pass
        self._watch_poll()

    def _inputs(self) -> tuple[Path, ...]:
        return tuple(self.site_dir / name for name in WATCHED if (self.site_dir / name).exists())

    def _wanted(self, change: object, path: str) -> bool:
        name = os.path.basename(path)
        return not _ignored(name) and not Path(path).absolute().is_relative_to(self.out_dir)

    def _watch_events(self, watchfiles: Any) -> None:
        while not self.stop.is_set():
            roots = self._inputs()
            for changes in watchfiles.watch(
                *roots,
                watch_filter=self._wanted,
                step=EVENT_STEP_MS,
                debounce=EVENT_DEBOUNCE_MS,
                stop_event=self.stop,
                rust_timeout=1000,
                yield_on_timeout=True,
                raise_interrupt=False,
            ):
                if self.stop.is_set():
                    return
                paths = sorted(
                    {
                        os.path.relpath(path, self.site_dir).replace(os.sep, "/")
                        for _, path in changes
                    }
                )
                if paths:
                    self._report(paths)
                # A file watched by itself (site.yaml) loses its watch when an editor replaces it;
                # a folder created later (templates/) has none yet: start watching again.
                if any("/" not in p for p in paths) or self._inputs() != roots:
                    break

    def _watch_poll(self) -> None:
        interval = self.poll
        seen = self._polled or snapshot(self.site_dir, self.out_dir)
        while not self.stop.wait(interval if interval is not None else MIN_POLL):
            started = time.perf_counter()
            now = snapshot(self.site_dir, self.out_dir)
            if self.poll is None:
                # Looking costs little on a small site; on a large one, look less often.
                interval = min(MAX_POLL, max(MIN_POLL, 20 * (time.perf_counter() - started)))
            if now != seen:
                changed = sorted(
                    k.replace(os.sep, "/")
                    for k in now.keys() | seen.keys()
                    if now.get(k) != seen.get(k)
                )
                seen = now  # what changes during the build is found by the next look
                self._report(changed)

    def _report(self, paths: list[str]) -> None:
        try:
            self.saved(paths)
        except Exception:  # never let the watcher die: the next save tries again
            traceback.print_exc()
