"""Using both cores: a map over forked workers, and the collector paused during a build.

Python runs one thread at a time, so the stages that work item by item (reading files,
Markdown, templates, the search index) fork a worker once a site is large enough to repay
the ~0.05-0.1 s a fork costs. This process takes one share itself and the workers the
others, so that only one copy-on-write child adds to the peak memory and this process's
share needs no pickling. Results are the same either way.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

# The least work (items, or `weight`) that repays a fork, per stage. Read at call time:
# tests set them all to 1 to run every stage in workers.
# files to render: below this, forking costs memory and saves no time (measured at ~1,400)
RENDER_FORK_MIN = 2000
# files to read and parse: about 0.3 s of YAML, against ~0.05 s to fork and pickle the results back
LOAD_FORK_MIN = 1000
# pages to convert: about a second of Markdown, against ~0.1 s to fork and pickle the results back
MARKDOWN_FORK_MIN = 1000
# pages of the site: each language's index then takes ~0.7 s, against ~0.05 s to fork
SEARCH_FORK_MIN = 1000
NEVER = 1 << 62  # a minimum no work reaches: work that must stay in this process

R = TypeVar("R")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """A build allocates hundreds of thousands of objects that live until its end: the
    collector's full passes walk them all again and again (7 % of a large build, measured),
    for cycles that a build does not make."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _fork_pool(workers: int) -> Iterator[Any]:
    """Forked workers that collect only what they allocate: what they inherit is frozen, so
    their collector never walks it (and never touches its pages, which stay shared)."""
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
            yield pool
    finally:
        gc.unfreeze()


def can_fork() -> bool:
    # Forking a process that runs threads (the dev server) is unsafe: work in-process there.
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


# The task of the running map, inherited by forked workers: the function may be a closure,
# since it is never pickled (only the results are).
_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _map_share(args: tuple[int, int]) -> list[Any]:
    assert _TASK is not None
    function, items = _TASK
    index, count = args
    return [function(item) for item in items[index::count]]


def fork_map(
    function: Callable[[Any], R], items: Sequence[Any], minimum: int, weight: int | None = None
) -> list[R]:
    """[function(item) for item in items], on both cores when the work is big enough and
    forking is safe: this process takes one share, forked workers the others (their
    results come back pickled). The work is `weight`, by default the number of items; it
    must reach `minimum`."""
    global _TASK
    workers = min(os.cpu_count() or 1, 4, len(items))
    if (len(items) if weight is None else weight) < minimum or workers < 2 or not can_fork():
        return [function(item) for item in items]
    _TASK = (function, items)
    try:
        with _fork_pool(workers - 1) as pool:
            theirs = pool.map_async(_map_share, [(i, workers) for i in range(1, workers)])
            shares = [_map_share((0, workers)), *theirs.get()]
    finally:
        _TASK = None
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    for index, share in enumerate(shares):
        out[index::workers] = share
    return out
