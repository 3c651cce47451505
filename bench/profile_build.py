"""Where a cold sitegen build spends its time, stage by stage (issue 6: profile before optimising).

    python bench/profile_build.py [--pages 1000] [--code bench/out/build/code] [--write-doc]

Builds the corpus of bench/corpus.py (N pages per language in fr, de, en, N / 2 offers)
cold (no cache, fresh output folder) three times in this process:
1. with a timer around each stage's functions (STAGES): wall time per stage. Rendering
   runs in this process, not in forked workers, so that every file's rendering and writing
   is seen (the stages then add up to the work of the build, on one core);
2. under cProfile, the same way: own time per library and the busiest functions, to say
   what inside a stage is slow (cProfile slows Python code down, so its seconds are larger);
3. as sitegen really runs, rendering on both cores, for the wall time users see.
(Single-process means every fork threshold of sitegen.parallel, FORK_MINIMUMS, is lifted
for builds 1 and 2.)
Nested timed functions are counted once, in the innermost stage. The passes of Python's
cyclic garbage collector are taken out of the stage they interrupt and shown as a stage of
their own (a full pass walks every live object: its cost grows with the whole heap, not with
the work of the stage it falls in). A function of STAGES or a threshold of FORK_MINIMUMS that no
longer exists (renamed or moved by a later change) stops the script with its name: a
silently skipped one would leave its time in "other" and the table wrong.
With --write-doc the figures replace the marked section of docs/benchmarks.md.

To see which stages grow faster than N, run it at two sizes with --runs 3 --no-profile
(the median of three single-process builds per stage, without the slow cProfile pass) and
compare the tables; bench/scaling.py does that comparison for whole builds and variants.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import functools
import gc
import importlib
import io
import os
import pstats
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from build_bench import DOC, LANGS, TODAY, code_digest, ensure_corpus, write_marked  # noqa: E402 - bench/ is not a package

OUT = ROOT / "bench" / "out" / "profile"
START, END = "<!-- profile:start -->", "<!-- profile:end -->"

# Stage -> functions ("module:Class.attribute" or "module:function"), patched where they are looked
# up.
STAGES: dict[str, list[str]] = {
    "load sources (config, catalogs, files, YAML)": [
        "sitegen.config:load_config",
        "sitegen.i18n:load_localizers",
        "sitegen.sources:load_sources",
        "sitegen.search.synonyms:load_synonyms",
    ],
    "validate (front matter, offers)": [
        "sitegen.validate:validate_page",
        "sitegen.validate:validate_offer",
        "sitegen.validate:duplicate_offer_ids",
    ],
    "model (URLs, translations, listings)": ["sitegen.model:build_site"],
    "Markdown (pages and offer descriptions)": ["sitegen.content:render_contents"],
    "render templates (context + Jinja)": [
        "sitegen.templates:make_environment",
        "sitegen.render.core:Renderer.render",
        "sitegen.render.pages:render",
        "sitegen.render.sitemap:sitemap",
    ],
    "search index": ["sitegen.indexing:SearchIndex.write"],
    "write files": [
        "sitegen.write:write_file",
        "sitegen.write:Writer.copy",
        "sitegen.write:Writer.keep",
        "sitegen.write:Writer.claim",
        "sitegen.write:Writer.commit",
    ],
    "cache (digests, fingerprints, state)": [
        "sitegen.cache:input_digest",
        "sitegen.cache:global_digest",
        "sitegen.cache:fingerprint",
        "sitegen.cache:load_state",
        "sitegen.cache:save_state",
        "sitegen.cache:load_summary",
    ],
}
# The thresholds below which sitegen.parallel.fork_map works in this process (all of them).
FORK_MINIMUMS = ("RENDER_FORK_MIN", "LOAD_FORK_MIN", "MARKDOWN_FORK_MIN", "SEARCH_FORK_MIN")
OTHER = "other (imports, job list, dependency digests)"
GC = "cyclic garbage collector (gc passes, all stages)"
FILE_SYSTEM = (
    "posix.",
    "io.open",
    "_io.",
    "BufferedWriter",
    "BufferedReader",
    "FileIO",
    "TextIOWrapper",
)


def patch_stages(
    stages: dict[str, list[str]], wrap: Callable[[str, Any], Any]
) -> list[tuple[Any, str, Any]]:
    """Replace every function named in `stages` by wrap(stage, function), where it is looked
    up; return what undoes it ((owner, name, original) each). Raises LookupError naming every
    target the sitegen version being timed does not have (nothing is patched then)."""
    found: list[tuple[str, Any, str, Any]] = []
    missing: list[str] = []
    for stage, targets in stages.items():
        for target in targets:
            module_name, _, path = target.partition(":")
            try:
                owner: Any = importlib.import_module(module_name)
                *parents, name = path.split(".")
                for parent in parents:
                    owner = getattr(owner, parent)
                found.append((stage, owner, name, getattr(owner, name)))
            except (ImportError, AttributeError):
                missing.append(target)
    if missing:
        raise LookupError(
            "not in this sitegen (update STAGES in bench/profile_build.py or the stages of "
            "bench/scaling.py): " + ", ".join(missing)
        )
    undo: list[tuple[Any, str, Any]] = []
    for stage, owner, name, original in found:
        # A method looked up on the class must stay a plain function to bind to the instance.
        setattr(owner, name, wrap(stage, original))
        undo.append((owner, name, original))
    return undo


@contextlib.contextmanager
def serial_forks() -> Iterator[None]:
    """Every fork threshold of sitegen.parallel lifted: all the work in this process, where
    the timers and the profiler see it (an unknown threshold raises AttributeError)."""
    from sitegen import parallel

    saved = {name: getattr(parallel, name) for name in FORK_MINIMUMS}
    for name in FORK_MINIMUMS:
        setattr(parallel, name, parallel.NEVER)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(parallel, name, value)


class StageTimer:
    """Exclusive wall time per stage: time in a timed function minus the timed functions it called,
    and minus the garbage collector's passes, which count for GC."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.stack: list[list[float]] = []  # [start, seconds spent in timed callees and gc passes]
        self.gc_passes = [0, 0, 0]  # per generation
        self._gc_start = 0.0

    def on_gc(self, phase: str, info: dict[str, int]) -> None:
        """gc.callbacks hook: a pass's time goes to GC, out of the stage it interrupted."""
        if phase == "start":
            self._gc_start = time.perf_counter()
            return
        elapsed = time.perf_counter() - self._gc_start
        self.seconds[GC] += elapsed
        self.gc_passes[info["generation"]] += 1
        if self.stack:
            self.stack[-1][1] += elapsed

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [time.perf_counter(), 0.0]
            self.stack.append(frame)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - frame[0]
                self.stack.pop()
                self.seconds[stage] += elapsed - frame[1]
                self.calls[stage] += 1
                if self.stack:
                    self.stack[-1][1] += elapsed

        return timed

    def install(self) -> Callable[[], None]:
        """Patch every function of STAGES and hook the collector; return what undoes it."""
        gc.callbacks.append(self.on_gc)
        undo = patch_stages(STAGES, self.wrap)

        def uninstall() -> None:
            gc.callbacks.remove(self.on_gc)
            for owner, name, original in reversed(undo):
                setattr(owner, name, original)

        return uninstall


def cold_build(site: Path, out: Path, serial: bool) -> float:
    """One build; `out` must not exist (removing it is not part of a build, nor of its profile)."""
    from sitegen import build

    with serial_forks() if serial else contextlib.nullcontext():
        started = time.perf_counter()
        build.Builder(site, out, use_cache=False).build(today=dt.date.fromisoformat(TODAY))
        return time.perf_counter() - started


def package_of(filename: str) -> str:
    """Which library a profiled function belongs to."""
    if filename == "~":
        return "C built-ins called by C built-ins"
    parts = Path(filename).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    if "sitegen" in parts:
        return "sitegen"
    return "Python standard library"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages per language")
    parser.add_argument(
        "--write-doc", action="store_true", help="rewrite the marked section of docs/benchmarks.md"
    )
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="the folder holding the sitegen package to profile: this checkout, or the snapshot "
        "build_bench.py timed",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="single-process builds to time; each stage's median is shown",
    )
    parser.add_argument(
        "--no-profile", action="store_true", help="skip the cProfile build (minutes at N = 5,000)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code.resolve()))  # before sitegen is first imported
    site, outs = OUT / f"n{args.pages}" / "site", OUT / f"n{args.pages}" / "outs"
    # Each build writes into a folder of its own, deleted at the end: files created just after
    # a large tree was deleted are up to 8x slower on this disk (see build_bench.fresh).
    shutil.rmtree(outs, ignore_errors=True)
    os.sync()
    numbers = iter(range(1 << 30))

    def new_out() -> Path:
        os.sync()
        return outs / str(next(numbers))

    ensure_corpus(site, args.pages, args.pages // 2)
    digest = code_digest(
        args.code / "sitegen"
    )  # before building: the working tree may change while this runs
    import sitegen.build  # noqa: F401 - imported before timing so that the stage table is about building

    timers, totals = [], []
    for _ in range(max(1, args.runs)):
        out = new_out()
        timer = StageTimer()
        undo = timer.install()
        try:
            seconds = cold_build(site, out, serial=True)
        finally:
            undo()
        timer.seconds[OTHER] = seconds - sum(timer.seconds.values())
        timers.append(timer)
        totals.append(seconds)
    serial_seconds = statistics.median(totals)
    timer = timers[0]
    if len(timers) > 1:  # the median of each stage over the runs (calls are the same in every run)
        timer.seconds = defaultdict(
            float,
            {
                stage: statistics.median(t.seconds.get(stage, 0.0) for t in timers)
                for stage in {s for t in timers for s in t.seconds}
            },
        )

    by_package: dict[str, float] = defaultdict(float)
    functions: list[tuple[float, int, str]] = []
    profiled_seconds = 0.0
    profiler = cProfile.Profile()
    if not args.no_profile:
        out = new_out()
        profiler.enable()
        profiled_seconds = cold_build(site, out, serial=True)
        profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO()) if not args.no_profile else None
    for (filename, line, name), (_, calls, own, _, callers) in stats.stats.items() if stats else ():  # type: ignore[attr-defined]
        if filename == "~" and any(mark in name for mark in FILE_SYSTEM):
            by_package["file system calls (open, write, mkdir, link, rename)"] += own
        elif filename == "~":
            # Any other C function (regex, hashing, nh3, pyromark) counts for the library that
            # called it.
            for (caller_file, _, _), (_, _, caller_own, _) in callers.items():
                by_package[package_of(caller_file)] += caller_own
        else:
            by_package[package_of(filename)] += own
        functions.append(
            (own, calls, f"{Path(filename).name}:{line}({name})" if filename != "~" else name)
        )
    functions.sort(reverse=True)

    out = new_out()
    parallel_seconds = cold_build(site, out, serial=False)
    pages = sum(1 for _ in (site / "content").rglob("*.md"))
    files = sum(1 for path in out.rglob("*") if path.is_file())
    shutil.rmtree(outs, ignore_errors=True)  # after the last timing
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()

    lines = [
        START,
        "",
        "<!-- Written by bench/profile_build.py: edit the script, not this section. -->",
        "",
        "`"
        + shlex.join(
            ["python", "bench/profile_build.py", *(argv if argv is not None else sys.argv[1:])]
        )
        + "`, "
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, sitegen code digest {digest} (checkout at {commit}; "
        "the digest is the one build_bench.py reports for the code it timed): a cold build of "
        f"{pages:,} Markdown pages and {args.pages // 2:,} offers in {len(LANGS)} languages, "
        f"{files:,} output files.",
        "",
        f"Rendering in this one process, the build took **{serial_seconds:.2f} s**"
        + (f" (median of {len(totals)} builds)" if len(totals) > 1 else "")
        + "; as sitegen runs it (loading, Markdown, templates and the search index on both "
        f"cores) **{parallel_seconds:.2f} s**. Per stage, in the single-process build:",
        "",
        "| stage | seconds | share | calls |",
        "|---|---:|---:|---:|",
    ]
    for stage in [*STAGES, GC, OTHER]:
        seconds = timer.seconds.get(stage, 0.0)
        calls = f"{timer.calls[stage]:,}" if stage in timer.calls else ""
        if stage == GC:
            calls = f"{sum(timer.gc_passes):,} ({timer.gc_passes[2]} full)"
        lines.append(f"| {stage} | {seconds:.2f} | {seconds / serial_seconds:.0%} | {calls} |")
    if not args.no_profile:
        lines += [
            "",
            f"Under cProfile (same build, {profiled_seconds:.2f} s with the profiler's overhead), "
            "own time per library (C functions count for the library that calls them, file "
            "system calls apart):",
            "",
            "| library | seconds | share |",
            "|---|---:|---:|",
        ]
        total_own = sum(by_package.values())
        for package, own in sorted(by_package.items(), key=lambda item: -item[1])[:10]:
            lines.append(f"| {package} | {own:.2f} | {own / total_own:.0%} |")
        lines += [
            "",
            "The busiest functions (own time):",
            "",
            "| function | seconds | calls |",
            "|---|---:|---:|",
        ]
        for own, calls, name in functions[:15]:
            lines.append(f"| `{name}` | {own:.2f} | {calls:,} |")
    lines += ["", END]
    section = "\n".join(lines)
    print(section.replace(START, "").replace(END, "").strip())
    if args.write_doc:
        write_marked(DOC, section, "Where the time goes at N = 1,000")
        print(f"\nwrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
