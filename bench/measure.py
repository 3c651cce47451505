"""The measuring child of bench/build_bench.py: one fresh process per measurement.

    python bench/measure.py run '[["hugo", "--source", "DIR"], ...]' [--cwd DIR] [--log FILE]
    python bench/measure.py serve-edit SITE OUT PAGE --edits 5 --today 2026-10-01 [--code DIR]

`run` executes the commands one after the other and prints one JSON line: wall seconds,
the exit code and the peak memory. Peak memory is the larger of
- ru_maxrss of RUSAGE_CHILDREN: the largest single process of the tree (exact, but blind
  to a tree of several processes: sitegen forks render workers);
- the sum of the proportional set size (PSS) of every live descendant, sampled every
  0.1 s (less often for large trees): shared copy-on-write pages are counted once, so forked
  workers are not
  counted twice (a sampler can miss a peak shorter than 0.1 s; the first figure cannot).
A fresh process per measurement is needed because ru_maxrss of RUSAGE_CHILDREN is a
maximum over every child ever waited for, not something one can subtract.

`serve-edit` keeps one serve session (`sitegen.serve.session.Session`, one Builder) in this
process, as `sitegen serve` does, and times an edit of PAGE (appending a sentence with a new
word), told which file was saved as serve's watcher tells it: first until `Session.run(saved=
[PAGE])` has written the page's files (the quick path of a body edit: what the browser
reloads), then until `builder.finish_pending()` has written the search index too; it checks
that the new word is in a changed page and that the index was rewritten, then restores the page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SECONDS = 0.1


def _children_of() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc (no psutil: the bench needs no extra package)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                data = stat.read()
        except OSError:
            continue  # the process ended while we looked
        # The command name may hold spaces and parentheses: the fields start after the last ')'.
        ppid = int(data[data.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Peak over time of the summed PSS of this process' descendants."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.stop = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        wait = SAMPLE_SECONDS
        while not self.stop.wait(wait):
            started = time.perf_counter()
            tree = _children_of()
            todo, total = list(tree.get(me, [])), 0
            while todo:
                pid = todo.pop()
                total += _pss_kib(pid)
                todo.extend(tree.get(pid, []))
            self.peak_kib = max(self.peak_kib, total)
            # Reading smaps_rollup costs 8-24 ms per large process, taken from the build being
            # timed (12 % of a 5,000-page build when sampled every 0.1 s, measured): sample
            # less often as the tree grows, so that the sampler takes at most 5 % of a core.
            # ru_maxrss still gives the largest process' exact peak.
            wait = max(SAMPLE_SECONDS, 20 * (time.perf_counter() - started))


def run(commands: list[list[str]], log: Path | None, cwd: Path = ROOT) -> dict[str, object]:
    sampler = TreeSampler()
    sampler.start()
    out = open(log, "ab") if log else subprocess.DEVNULL
    returncode = 0
    started = time.perf_counter()
    try:
        for command in commands:
            returncode = subprocess.call(
                command,
                stdout=out,
                stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
                cwd=cwd,
            )
            if returncode:
                break
    finally:
        seconds = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        if log:
            out.close()  # type: ignore[union-attr]
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {
        "seconds": seconds,
        "returncode": returncode,
        "largest_kib": largest,
        "tree_pss_kib": sampler.peak_kib,
        "peak_kib": max(largest, sampler.peak_kib),
    }


def serve_edit(
    site: Path, out: Path, page: str, edits: int, today: dt.date, code: Path = ROOT
) -> dict[str, object]:
    sys.path.insert(
        0, str(code)
    )  # time this checkout's sitegen (or the bench's snapshot of it), not an installed one
    from sitegen.serve.session import Session

    source = site / page
    original = source.read_text(encoding="utf-8")
    session = Session(site, out, today=today)
    session.run(first=True)  # what `serve` does first: a normal build, which loads the cache
    # ... then, in the background, it reads the site if that build answered from the cache alone,
    # and writes the search indexes that build left for later, one language at a time.
    started = time.perf_counter()
    session.warm_up()
    while session.finish_pending():
        pass
    warm_up_seconds = time.perf_counter() - started
    seconds, index_seconds, changed, errors = [], [], [], []
    try:
        for number in range(edits):
            word = f"benchedit{number:03d}"
            started = time.perf_counter()
            source.write_text(
                f"{original.rstrip()}\n\nEdited for the benchmark: {word}.\n", encoding="utf-8"
            )
            # As serve does: its watcher names the saved file; the page is written first and
            # shown, then the search index is brought up to date.
            result = session.run(saved=[page])
            written = time.perf_counter()
            index = session.builder.finish_pending()
            seconds.append(written - started)
            index_seconds.append(time.perf_counter() - started)
            changed.append(len(result.changed) + len(index))
            # Correctness beside speed: the edit must be in one of the files the build says it
            # wrote.
            if not any(
                word in (out / rel).read_text(encoding="utf-8", errors="replace")
                for rel in result.changed
                if rel.endswith(".html") and (out / rel).is_file()
            ):
                errors.append(
                    f"edit {number}: '{word}' is in none of the changed files {result.changed[:5]}"
                )
            if not index:
                errors.append(f"edit {number}: the search index was not rewritten")
    finally:
        source.write_text(original, encoding="utf-8")
        session.run(saved=[page])
        session.builder.finish_pending()
    return {
        "seconds": seconds,
        "index_seconds": index_seconds,
        "changed": changed,
        "errors": errors,
        "warm_up_seconds": warm_up_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("commands", help="JSON list of argv lists, run in sequence")
    run_parser.add_argument(
        "--log", type=Path, default=None, help="append the commands' output here"
    )
    run_parser.add_argument(
        "--cwd",
        type=Path,
        default=ROOT,
        help="run the commands here (python -m sitegen finds sitegen here)",
    )
    edit_parser = sub.add_parser("serve-edit")
    edit_parser.add_argument("site", type=Path)
    edit_parser.add_argument("out", type=Path)
    edit_parser.add_argument(
        "page", help="source path relative to the site, e.g. content/fr/logement/logement-0000.md"
    )
    edit_parser.add_argument("--edits", type=int, default=5)
    edit_parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 10, 1))
    edit_parser.add_argument(
        "--code", type=Path, default=ROOT, help="the folder holding the sitegen package to time"
    )
    args = parser.parse_args(argv)
    if args.mode == "run":
        report = run(json.loads(args.commands), args.log, args.cwd)
    else:
        report = serve_edit(args.site, args.out, args.page, args.edits, args.today, args.code)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
