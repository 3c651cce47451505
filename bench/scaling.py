"""Why a cold build grows faster than N (issue 6: N = 5,000 in at most 5.5x the N = 1,000 time).

    python bench/scaling.py run SITE OUT [--code DIR] [--variant NAME ...]
        one build, one JSON line
    python bench/scaling.py compare [--sizes 1000,5000] [--variants base,freeze] [--runs 3]
        [--code DIR]

`run` builds SITE cold (`--no-cache`, fresh OUT) in this process through `sitegen.cli.main`, as
`sitegen build` does, with the changes named by --variant patched in at run time (the sitegen
package is not edited), and prints one JSON line: wall time, time per stage (the exclusive times of
bench/profile_build.py's STAGES plus the render loop and the commit; the job list is a generator, so
its work counts where it is consumed: "other"), time and count of the cyclic garbage collector's
passes per generation (in the forked render workers too), and peak memory (this process and its
children).

`compare` runs every variant at every size in fresh child processes, `--runs` rounds of
variants one after the other (so that a slow minute of this shared machine hits every
variant alike), and prints the medians per stage with the N_max / N_min ratio.

Variants (experiments on what makes the build super-linear; combine with '+'):
- base: sitegen as it is;
- serial: render (and convert Markdown) in this process, no forked workers;
- freeze: gc.freeze() once the site is loaded (and again before forking the workers):
  the loaded site leaves the collector's generations, so full collections stop walking it;
- thresh: gc.set_threshold(100_000, 50, 1000): far fewer collections;
- gcoff: the cyclic collector disabled for the whole build (forked workers too).
(The former "pause" variant, the collector paused in the parent and the heap frozen before
forking, is what sitegen does now: sitegen/parallel.py, collector_paused and _fork_pool.)
The functions timed and patched are looked up by name; one that a later change renamed or
moved stops the script with its name (profile_build.patch_stages), none is skipped silently.
`run` always builds into a fresh OUT (removed first if it exists; `compare` gives each build
a new one and deletes them all at the end, as build_bench.py does): nothing is hard-linked
from a previous build, and nothing is left to remove in the background.
Set SCALING_GC_SIZES=1 to record the number of tracked objects at each full collection.

Wall and CPU times on the shared 2-core machine vary by 15-25 % from run to run: compare
the collector's seconds (measured exactly, per stage) and medians of several rounds, not
single runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import inspect
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
TODAY = "2026-10-01"
# Timed besides profile_build.STAGES: by `run`, the render loop and the commit; by `profile`, the
# job list.
RUN_STAGES = {
    "render loop (workers, or the rest of _render)": ["sitegen.build:Builder._render"],
    "commit (swap, background removal)": ["sitegen.write:Writer.commit"],
}
JOBS_STAGES = {
    "job list and dependencies (render.SiteRenderer.jobs)": [
        "sitegen.render.site:SiteRenderer.jobs"
    ]
}
# What apply_variant replaces (tests/test_bench_names.py checks that they all exist).
PATCHED = ["sitegen.build:convert", "sitegen.build:Builder._render", "sitegen.parallel:_map_share"]


class StageClock:
    """profile_build.StageTimer with a second clock.

    Exclusive wall and CPU (process_time) seconds per stage.

    CPU time is what a stage costs whatever the load of this shared machine; wall time
    also counts waiting (for the disk, for a core)."""

    def __init__(
        self, stages: dict[str, list[str]], cpu_clock: Callable[[], float] = time.process_time
    ) -> None:
        self.stages = stages
        # process_time costs 4 us a call here (a system call): growth passes a dummy
        self.cpu_clock = cpu_clock
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.stack: list[
            list[float]
        ] = []  # [wall start, cpu start, wall in timed callees, cpu in timed callees]
        self.names: list[str] = []  # the stages being timed, innermost last

    @property
    def current(self) -> str:
        return self.names[-1] if self.names else "other"

    def wrap(self, stage: str, function: Any) -> Any:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [time.perf_counter(), self.cpu_clock(), 0.0, 0.0]
            self.stack.append(frame)
            self.names.append(stage)
            try:
                result = function(*args, **kwargs)
                # A generator's work is done where it is consumed: time each step of it instead.
                return self._steps(stage, result) if inspect.isgenerator(result) else result
            finally:
                wall, cpu = time.perf_counter() - frame[0], self.cpu_clock() - frame[1]
                self.stack.pop()
                self.names.pop()
                self.wall[stage] += wall - frame[2]
                self.cpu[stage] += cpu - frame[3]
                if self.stack:
                    self.stack[-1][2] += wall
                    self.stack[-1][3] += cpu

        return timed

    def _steps(self, stage: str, generator: Any) -> Any:
        step = self.wrap(stage, functools.partial(next, generator))
        while True:
            try:
                item = step()
            except StopIteration:
                return
            yield item

    def install(self) -> None:
        import profile_build

        profile_build.patch_stages(self.stages, self.wrap)


class GcClock:
    """Time and count of the cyclic collector's passes, per generation, through gc.callbacks."""

    def __init__(self, stages: StageClock | None = None) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self.collected = [0, 0, 0]
        self.stages = stages
        self.by_stage: dict[str, float] = defaultdict(float)  # collector seconds during each stage
        self.full: list[
            tuple[str, float, int]
        ] = []  # each full collection: (stage, seconds, objects tracked)
        self._start = 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            generation = info["generation"]
            seconds = time.perf_counter() - self._start
            self.seconds[generation] += seconds
            self.count[generation] += 1
            self.collected[generation] += info["collected"]
            stage = self.stages.current if self.stages else "?"
            self.by_stage[stage] += seconds
            if generation == 2:
                self.full.append(
                    (stage, round(seconds, 3), len(gc.get_objects(2)) if FULL_SIZES else 0)
                )

    def report(self) -> dict[str, Any]:
        return {
            "gc_seconds": [round(s, 3) for s in self.seconds],
            "gc_count": self.count,
            "gc_collected": self.collected,
            "gc_by_stage": {k: round(v, 3) for k, v in self.by_stage.items()},
            "gc_full": self.full,
        }


# count the tracked objects at each full pass (slow)
FULL_SIZES = os.environ.get("SCALING_GC_SIZES") == "1"


def apply_variant(names: list[str], stats_dir: Path) -> None:
    from sitegen import build, parallel

    unknown = set(names) - {"base", "serial", "thresh", "gcoff", "freeze"}
    if unknown:
        raise SystemExit(f"unknown variants: {', '.join(sorted(unknown))}")
    if "serial" in names:
        apply_serial()
    if "thresh" in names:
        gc.set_threshold(100_000, 50, 1000)
    if "gcoff" in names:
        gc.disable()
    if "freeze" in names:
        original_convert = build.convert

        @functools.wraps(original_convert)
        def convert_then_freeze(*args: Any, **kwargs: Any) -> Any:
            result = original_convert(*args, **kwargs)  # the last stage of reading the site
            gc.collect()
            gc.freeze()
            return result

        build.convert = convert_then_freeze
        original_render = build.Builder._render

        @functools.wraps(original_render)
        def freeze_then_render(*args: Any, **kwargs: Any) -> Any:
            gc.freeze()  # the job list and the renderer's caches, built since loading
            return original_render(*args, **kwargs)

        build.Builder._render = freeze_then_render  # type: ignore[method-assign]

    # The forked workers' collector passes and wall time, written where the parent reads them.
    # Every fork_map of the build runs its shares through _map_share (loading, Markdown,
    # rendering, the search index): the workers' records cover all of them.
    original_share = parallel._map_share

    @functools.wraps(original_share)
    def share_with_stats(args: Any) -> Any:
        clock = GcClock() if os.getpid() != PARENT else None
        started, cpu_started = time.perf_counter(), time.process_time()
        result = original_share(args)
        if clock is not None:
            record = {
                "seconds": time.perf_counter() - started,
                "cpu": time.process_time() - cpu_started,
                **clock.report(),
                "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
            (stats_dir / f"worker-{os.getpid()}-{time.monotonic_ns()}.json").write_text(
                json.dumps(record)
            )
        return result

    parallel._map_share = share_with_stats


PARENT = os.getpid()


def run(site: Path, out: Path, code: Path, variants: list[str]) -> dict[str, Any]:
    sys.path.insert(0, str(code.resolve()))
    sys.path.insert(0, str(BENCH))
    import tempfile

    shutil.rmtree(out, ignore_errors=True)
    import profile_build

    import sitegen.build
    import sitegen.cli

    stats_dir = Path(tempfile.mkdtemp(prefix="scaling-"))
    names = [n for v in variants for n in v.split("+")]
    apply_variant(names, stats_dir)
    stages = {**profile_build.STAGES, **RUN_STAGES}
    timer = StageClock(stages)
    timer.install()
    clock = GcClock(timer)
    started, cpu_started = time.perf_counter(), time.process_time()
    code_ = sitegen.cli.main(
        [
            "build",
            "--source",
            str(site),
            "--out",
            str(out),
            "--no-cache",
            "--quiet",
            "--today",
            TODAY,
        ]
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    workers = [json.loads(p.read_text()) for p in sorted(stats_dir.glob("worker-*.json"))]
    shutil.rmtree(stats_dir, ignore_errors=True)
    timed, cpu_timed = dict(timer.wall), dict(timer.cpu)
    timed["other"] = seconds - sum(timed.values())
    cpu_timed["other"] = cpu - sum(cpu_timed.values())
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "variant": "+".join(variants),
        "site": str(site),
        "exit": code_,
        "seconds": round(seconds, 3),
        "cpu": round(cpu, 3),
        "children_cpu": round(children.ru_utime + children.ru_stime, 3),
        "stages": {k: round(v, 3) for k, v in timed.items()},
        "cpu_stages": {k: round(v, 3) for k, v in cpu_timed.items()},
        **clock.report(),
        "workers": workers,
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }


def compare(
    sizes: list[int],
    variants: list[str],
    runs: int,
    code: Path,
    base: Path,
    results: Path,
    corpus: Path,
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("scaling_corpus", corpus)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    write_corpus = module.write_corpus

    sites = {}
    for n in sizes:
        site = base / f"n{n}" / "site"
        stamp = f"{n}|{corpus.resolve()}|{corpus.stat().st_mtime_ns}"
        if not (site / ".stamp").is_file() or (site / ".stamp").read_text() != stamp:
            shutil.rmtree(site, ignore_errors=True)
            write_corpus(site, n, n // 2, ["fr", "de", "en"])
            (site / ".stamp").write_text(stamp)
        sites[n] = site
    records: list[dict[str, Any]] = []
    for n in sizes:
        for round_ in range(runs):
            for variant in variants:
                # A folder of its own per build, all deleted at the end: files created just after a
                # large tree was deleted are up to 8x slower on this disk (see build_bench.fresh).
                out = base / "outs" / f"n{n}-{round_}-{variant}"
                os.sync()
                done = subprocess.run(
                    [
                        sys.executable,
                        str(Path(__file__)),
                        "run",
                        str(sites[n]),
                        str(out),
                        "--code",
                        str(code),
                        "--variant",
                        variant,
                    ],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                if done.returncode != 0:
                    print(done.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(f"{variant} at {n} failed")
                record = json.loads(done.stdout.strip().splitlines()[-1])
                record["n"] = n
                record["load"] = os.getloadavg()[0]
                records.append(record)
                with results.open("a") as f:
                    f.write(json.dumps(record) + "\n")
                print(
                    f"N={n} round {round_ + 1} {variant}: {record['seconds']:.2f} s, gc "
                    f"{sum(record['gc_seconds']):.2f} s (gen2 {record['gc_count'][2]}x "
                    f"{record['gc_seconds'][2]:.2f} s), load {record['load']:.1f}",
                    flush=True,
                )
    shutil.rmtree(base / "outs", ignore_errors=True)
    summarize(records, sizes, variants)


def summarize(records: list[dict[str, Any]], sizes: list[int], variants: list[str]) -> None:
    lo, hi = min(sizes), max(sizes)
    for variant in variants:
        rows: dict[str, dict[int, float]] = defaultdict(dict)
        for n in sizes:
            mine = [r for r in records if r["n"] == n and r["variant"] == variant]
            if not mine:
                continue
            rows["TOTAL (wall)"][n] = statistics.median(r["seconds"] for r in mine)
            rows["TOTAL (wall), fastest run"][n] = min(r["seconds"] for r in mine)
            rows["TOTAL CPU (parent + workers)"][n] = statistics.median(
                r["cpu"] + r["children_cpu"] for r in mine
            )
            for stage in mine[0]["stages"]:
                rows[stage][n] = statistics.median(r["stages"].get(stage, 0.0) for r in mine)
                rows[f"{stage} [CPU]"][n] = statistics.median(
                    r["cpu_stages"].get(stage, 0.0) for r in mine
                )
            rows["render workers, CPU (sum)"][n] = statistics.median(
                sum(w["cpu"] for w in r["workers"]) for r in mine
            )
            rows["gc passes, parent (all generations)"][n] = statistics.median(
                sum(r["gc_seconds"]) for r in mine
            )
            rows["gc gen-2 passes, parent"][n] = statistics.median(r["gc_seconds"][2] for r in mine)
            rows["gc passes, workers (sum)"][n] = statistics.median(
                sum(sum(w["gc_seconds"]) for w in r["workers"]) for r in mine
            )
            rows["peak RSS parent MiB"][n] = statistics.median(r["maxrss_kib"] for r in mine) / 1024
        print(
            f"\n### {variant}\n\n| stage | "
            + " | ".join(f"N={n}" for n in sizes)
            + f" | ratio {hi}/{lo} |\n|---|"
            + "---:|" * (len(sizes) + 1)
        )
        for stage, by_n in rows.items():
            ratio = (
                by_n[hi] / by_n[lo]
                if by_n.get(lo) and by_n.get(hi) is not None and by_n[lo] > 0.005
                else float("nan")
            )
            print(
                f"| {stage} | "
                + " | ".join(f"{by_n.get(n, float('nan')):.2f}" for n in sizes)
                + f" | {ratio:.2f} |"
            )


# -- growth: which functions grow faster than the site (issue 16) --------------------------------


def before_render(site: Path) -> None:
    """What a cold build does before rendering (issue 16: "about 100 s of it between reading and
    rendering" for 32,000 offers): load, validate, model, Markdown, the job list and each job's
    fingerprint, as Builder.build does them, without the collector (the build pauses it)."""
    from sitegen import cache, parallel, reading
    from sitegen.gitinfo import collect_revisions
    from sitegen.render.site import SiteRenderer
    from sitegen.templates import make_environment

    with parallel.collector_paused():
        loaded, contents, localizers, _ = reading.load_site(site, dt.date.fromisoformat(TODAY))
        envs = {lang: make_environment(site, localizer) for lang, localizer in localizers.items()}
        renderer = SiteRenderer(loaded, contents, localizers, envs, collect_revisions(site))
        global_part = cache.global_digest(site, "bench")
        for job in renderer.jobs():
            if job.deps is not None:
                cache.fingerprint(global_part, job.deps)


def profile(
    site: Path,
    out: Path,
    code: Path,
    stats: Path,
    serial: bool,
    use_profiler: bool,
    only_before_render: bool = False,
) -> dict[str, Any]:
    """One cold build of SITE in this process (or what comes before rendering).

    Exclusive seconds per stage and, under cProfile, per function.
    """
    import cProfile

    sys.path.insert(0, str(code.resolve()))
    sys.path.insert(0, str(BENCH))
    shutil.rmtree(out, ignore_errors=True)
    import profile_build

    import sitegen.build

    if serial:
        apply_serial()
    stages = {**profile_build.STAGES, **JOBS_STAGES}
    timer = StageClock(stages, cpu_clock=lambda: 0.0)
    timer.install()
    profiler = cProfile.Profile() if use_profiler else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    if only_before_render:
        before_render(site)
    else:
        sitegen.build.Builder(site, out, use_cache=False).build(today=dt.date.fromisoformat(TODAY))
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(stats.with_suffix(".pstats")))
    seconds = time.perf_counter() - started
    timed = dict(timer.wall)
    timed["other"] = seconds - sum(timed.values())
    record = {
        "site": str(site),
        "seconds": round(seconds, 3),
        "stages": {k: round(v, 3) for k, v in timed.items()},
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    stats.write_text(json.dumps(record))
    return record


def apply_serial() -> None:
    """Every fork threshold of sitegen.parallel lifted for the rest of this process: all the
    work in it, where the timers see it (an unknown threshold raises AttributeError)."""
    import profile_build

    from sitegen import parallel

    for name in profile_build.FORK_MINIMUMS:
        getattr(parallel, name)
        setattr(parallel, name, parallel.NEVER)


def growth_sites(
    pages: list[int], offers: list[int] | None, base: Path, one_file: bool, lean: bool
) -> list[tuple[int, Path]]:
    """(size, site) per size: N pages a language, N / 2 offers (or `offers` beside pages[0])."""
    sys.path.insert(0, str(BENCH))
    from corpus import write_corpus

    made = []
    for size in offers or pages:
        n_pages, n_offers = (pages[0], size) if offers else (size, size // 2)
        site = base / f"p{n_pages}-o{n_offers}{'-one' if one_file else ''}{'-lean' if lean else ''}"
        stamp = f"{n_pages}|{n_offers}|{one_file}|{lean}|{(BENCH / 'corpus.py').stat().st_mtime_ns}"
        if not (site / ".stamp").is_file() or (site / ".stamp").read_text() != stamp:
            shutil.rmtree(site, ignore_errors=True)
            write_corpus(site, n_pages, n_offers, ["fr", "de", "en"], one_file=one_file, lean=lean)
            (site / ".stamp").write_text(stamp)
        made.append((size, site))
    return made


def growth(
    sizes: list[tuple[int, Path]],
    base: Path,
    code: Path,
    use_profiler: bool,
    serial: bool,
    runs: int,
    top: int,
    only_before_render: bool = False,
) -> None:
    """Build each size in a fresh child.

    Print the stages and the functions whose time grows faster than the size.
    """
    records: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for round_ in range(runs):
        for size, site in sizes:
            out = base / "outs" / f"{site.name}-{round_}"
            stats = base / f"{site.name}-{round_}.json"
            os.sync()
            command = [
                sys.executable,
                str(Path(__file__)),
                "profile",
                str(site),
                str(out),
                "--code",
                str(code),
                "--stats",
                str(stats),
            ]
            command += [] if use_profiler and round_ == 0 else ["--no-profiler"]
            command += [] if serial else ["--parallel"]
            command += ["--before-render"] if only_before_render else []
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            if done.returncode != 0:
                print(done.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"the build of {site} failed")
            record = json.loads(stats.read_text())
            record["pstats"] = (
                str(stats.with_suffix(".pstats")) if use_profiler and round_ == 0 else ""
            )
            records[size].append(record)
            print(
                f"size {size} round {round_ + 1}: {record['seconds']:.2f} s (load "
                f"{os.getloadavg()[0]:.1f})",
                flush=True,
            )
    shutil.rmtree(base / "outs", ignore_errors=True)
    print("\n" + "\n".join(growth_report(records, top)))


def growth_report(records: dict[int, list[dict[str, Any]]], top: int) -> list[str]:
    """Stage medians beside the size ratio; the functions with most time beyond linear growth."""
    import pstats

    small, large = min(records), max(records)
    k = large / small

    # Under cProfile the first round is slower: the medians are over the rounds after it when there
    # are any.
    def med(size: int, get: Callable[[dict[str, Any]], float]) -> float:
        timed = records[size][1:] or records[size]
        return statistics.median(get(r) for r in timed)

    lines = [
        f"Size {small:,} -> {large:,} ({k:.0f}x); linear growth would multiply each time "
        f"by {k:.0f}. Beyond linear = time at the large size minus {{k:.0f}} times the "
        "time at the small one.".replace("{k:.0f}", f"{k:.0f}"),
        "",
        f"| stage | {small:,} | {large:,} | ratio | beyond linear |",
        "|---|---:|---:|---:|---:|",
    ]
    stages = {s for rs in records.values() for r in rs for s in r["stages"]}
    rows = [("TOTAL", med(small, lambda r: r["seconds"]), med(large, lambda r: r["seconds"]))]
    rows += sorted(
        (
            (
                s,
                med(small, lambda r, s=s: r["stages"].get(s, 0.0)),
                med(large, lambda r, s=s: r["stages"].get(s, 0.0)),
            )
            for s in stages
        ),
        key=lambda row: -(row[2] - k * row[1]),
    )
    for stage, a, b in rows:
        lines.append(
            f"| {stage} | {a:.2f} | {b:.2f} | {b / a if a > 0.005 else float('nan'):.1f}x | "
            f"{b - k * a:+.2f} s |"
        )
    lines += [
        "",
        f"Peak memory (this process): {records[small][0]['maxrss_kib'] / 1024:.0f} -> "
        f"{records[large][0]['maxrss_kib'] / 1024:.0f} MiB",
    ]
    files = {size: rs[0]["pstats"] for size, rs in records.items() if rs[0].get("pstats")}
    if small not in files or large not in files:
        return lines
    loaded = {size: pstats.Stats(files[size]).stats for size in (small, large)}  # type: ignore[attr-defined]

    def name(key: tuple[str, int, str]) -> str:
        filename, line, function = key
        return (
            function
            if filename == "~"
            else f"{'/'.join(Path(filename).parts[-2:])}:{line}({function})"
        )

    for column, label in ((2, "own time"), (3, "cumulative time")):
        rows_ = []
        for key, value in loaded[large].items():
            before = loaded[small].get(key)
            a = before[column] if before else 0.0
            b = value[column]
            calls_a = before[1] if before else 0
            rows_.append((b - k * a, a, b, calls_a, value[1], name(key)))
        rows_.sort(reverse=True)
        lines += [
            "",
            f"Functions by {label} beyond linear (under cProfile, first round):",
            "",
            f"| function | {small:,} | {large:,} | calls {small:,} | calls {large:,} | "
            "beyond linear |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for excess, a, b, ca, cb, label_ in rows_[:top]:
            lines.append(f"| `{label_}` | {a:.2f} | {b:.2f} | {ca:,} | {cb:,} | {excess:+.2f} s |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prof = sub.add_parser("profile", help="one cold build, stage times (and cProfile) to --stats")
    prof.add_argument("site", type=Path)
    prof.add_argument("out", type=Path)
    prof.add_argument("--code", type=Path, default=ROOT)
    prof.add_argument("--stats", type=Path, required=True)
    prof.add_argument("--no-profiler", action="store_true")
    prof.add_argument(
        "--parallel",
        action="store_true",
        help="fork as sitegen does (the stage times then miss the workers' work)",
    )
    prof.add_argument(
        "--before-render",
        action="store_true",
        help="only what comes before rendering: load, validate, model, jobs",
    )
    grow = sub.add_parser("growth", help="which stages and functions grow faster than the site")
    grow.add_argument(
        "--pages",
        default="1000,5000",
        help="pages per language (N / 2 offers), or with --offers the pages beside them",
    )
    grow.add_argument(
        "--offers",
        default="",
        help="offer counts, e.g. 1000,30000 (the pages stay at the first of --pages)",
    )
    grow.add_argument("--one-file", action="store_true", help="every offer in one file")
    grow.add_argument(
        "--lean", action="store_true", help="offers of a few fields, about 150 bytes each"
    )
    grow.add_argument("--runs", type=int, default=1)
    grow.add_argument("--no-profiler", action="store_true")
    grow.add_argument("--parallel", action="store_true")
    grow.add_argument(
        "--before-render",
        action="store_true",
        help="only what comes before rendering: load, validate, model, jobs",
    )
    grow.add_argument("--top", type=int, default=15)
    grow.add_argument("--code", type=Path, default=ROOT)
    grow.add_argument("--base", type=Path, default=BENCH / "out" / "growth")
    one = sub.add_parser("run")
    one.add_argument("site", type=Path)
    one.add_argument("out", type=Path)
    one.add_argument("--code", type=Path, default=ROOT)
    one.add_argument("--variant", action="append", default=[])
    many = sub.add_parser("compare")
    many.add_argument("--sizes", default="1000,5000")
    many.add_argument("--variants", default="base,serial,freeze,thresh")
    many.add_argument("--runs", type=int, default=3)
    many.add_argument("--code", type=Path, default=ROOT)
    many.add_argument("--base", type=Path, default=BENCH / "out" / "scaling")
    many.add_argument("--results", type=Path, default=None, help="append each run's JSON line here")
    many.add_argument(
        "--corpus",
        type=Path,
        default=BENCH / "corpus.py",
        help="the corpus generator (another version's, to compare)",
    )
    many.add_argument("--summarize", action="store_true", help="only summarize --results")
    args = parser.parse_args(argv)
    if args.command == "profile":
        profile(
            args.site,
            args.out,
            args.code,
            args.stats,
            not args.parallel,
            not args.no_profiler,
            args.before_render,
        )
        return 0
    if args.command == "growth":
        args.base.mkdir(parents=True, exist_ok=True)
        offers = [int(x) for x in args.offers.split(",") if x]
        sites = growth_sites(
            [int(x) for x in args.pages.split(",") if x],
            offers or None,
            args.base,
            args.one_file,
            args.lean,
        )
        growth(
            sites,
            args.base,
            args.code,
            not args.no_profiler,
            not args.parallel,
            args.runs,
            args.top,
            args.before_render,
        )
        return 0
    if args.command == "run":
        print(json.dumps(run(args.site, args.out, args.code, args.variant or ["base"])))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    variants = args.variants.split(",")
    results = args.results or (args.base / "results.jsonl")
    results.parent.mkdir(parents=True, exist_ok=True)
    if args.summarize:
        records = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
        summarize(records, sizes, variants)
        return 0
    compare(sizes, variants, args.runs, args.code, args.base, results, args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
