"""Build benchmark (issue 6).

sitegen beside Hugo, Pelican, MkDocs and Pagefind, on the same corpus, in one run.

    python bench/build_bench.py [--sizes 100,1000,5000] [--runs 5] [--runs-for 5000=3]
                                [--peers hugo,pelican,mkdocs,pagefind] [--install] [--no-doc]
    python bench/build_bench.py --report-only     (the report of bench/out/build/results.json again)

Peers (not project dependencies): `apt-get install -y hugo` (Debian's, after apt-get
update) and `pip install pelican mkdocs 'pagefind[extended]'`; --install runs these.

For each size N (pages per language, over the site's three languages, M = N / 2 offers)
it writes the corpus with bench/corpus.py and the peers' sites with bench/peers.py, then:
- in each of --runs rounds, one after the other so that a slow minute of this shared
  machine hits every tool alike: sitegen cold build (`--no-cache`, fresh output folder),
  Hugo, Pelican (three languages), MkDocs (three builds);
- sitegen no-change rebuild (CLI, after a build that filled the cache);
- sitegen one-page-change rebuild (CLI: a sentence with a new word appended to one
  French page, with the cache; the word must be in the rebuilt page);
- sitegen one-page edit under serve (one in-process serve session, as `sitegen serve` keeps:
  from the edit to `Session.run(saved=[page])` returning, the changed files written);
- Pagefind indexing sitegen's cold output.
Every measurement runs in a fresh child (bench/measure.py): wall time, and peak memory
as the larger of the largest process' max RSS and the sampled PSS of the process tree.
Every tool writes into a folder that does not exist, after `sync`; the previous output is
moved aside, and deleted only when the run ends (see fresh()).
A peer whose build would take over ten minutes at a size (predicted from the smaller
sizes of the run, or stopped at ten minutes) is skipped there, and the table says so.

Prints the tables, ratios (sitegen / peer) and the targets of issue 6 with pass/fail,
keeps the raw figures in bench/out/build/results.json and rewrites the marked section
of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out" / "build"
RESULTS = OUT / "results.json"
# a snapshot of sitegen/ taken at the start: the run times one version, whatever is edited meanwhile
CODE = OUT / "code"
DOC = ROOT / "docs" / "benchmarks.md"
sys.path.insert(0, str(BENCH))

import peers  # noqa: E402 - bench/ is not a package
from corpus import write_corpus  # noqa: E402

TODAY = "2026-10-01"  # fixed, so that the same offers are published on every day the bench runs
LIMIT_SECONDS = 600.0  # a peer build longer than this at a size is skipped there (issue 6)
LANGS = ["fr", "de", "en"]
START, END = "<!-- build-bench:start -->", "<!-- build-bench:end -->"
SITEGEN = [sys.executable, "-m", "sitegen", "build", "--quiet", "--today", TODAY]

# Rows of the table: key -> label.
ROWS = {
    "cold": "sitegen cold build (`--no-cache`, fresh output)",
    "nochange": "sitegen no-change rebuild (CLI)",
    "onepage": "sitegen one-page-change rebuild (CLI, cache)",
    "serve": "sitegen one-page edit under serve: page files written (in-process)",
    "serve-index": "sitegen one-page edit under serve: with the search index (in-process)",
    "hugo": "Hugo",
    "pelican": "Pelican (3 languages, one process)",
    "mkdocs": "MkDocs (3 builds)",
    "pagefind": "Pagefind (indexing sitegen's output)",
}
PEER_ROWS = ("hugo", "pelican", "mkdocs")


@dataclass
class Series:
    seconds: list[float] = field(default_factory=list)
    peaks_kib: list[int] = field(default_factory=list)
    note: str = ""  # why it is missing or short: skipped, failed
    output_bytes: int = 0
    output_files: int = 0

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def peak_mib(self) -> float | None:
        # The highest peak of the runs: memory is far less noisy than time, and a limit is about the
        # worst case.
        return max(self.peaks_kib) / 1024 if self.peaks_kib else None


@dataclass
class SizeResult:
    pages: int
    offers: int
    runs: int
    source_pages: int = 0  # pages plus offer pages, every language: what the issue counts
    markdown_bytes: int = 0
    html_files: int = 0
    max_page_bytes: int = 0
    max_page: str = ""
    # the same, leaving out sitegen's pages for editors (paths starting with "_", e.g. _status/)
    max_visitor_page_bytes: int = 0
    max_visitor_page: str = ""
    series: dict[str, Series] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    started: str = ""
    command: str = ""
    load: str = ""  # load average when the size started and ended: how shared the machine was


class BuildTimeoutError(Exception):
    pass


# -- running things -------------------------------------------------------------------------------


# As an installed sitegen runs: pip compiles its modules, so the timed runs must not pay for
# compiling about sixty modules from source on every start (0.1 s, measured), as they do where
# PYTHONDONTWRITEBYTECODE is set (as on this project's machines).
MEASURED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(
    commands: list[list[str]], log: Path, timeout: float = LIMIT_SECONDS, cwd: Path = ROOT
) -> dict[str, Any]:
    """Run `commands` in a fresh measuring child.

    Raise BuildTimeoutError past `timeout`, RuntimeError on failure.
    """
    child = subprocess.Popen(
        [
            sys.executable,
            str(BENCH / "measure.py"),
            "run",
            json.dumps(commands),
            "--log",
            str(log),
            "--cwd",
            str(cwd),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
        env=MEASURED_ENV,
    )
    try:
        stdout, _ = child.communicate(
            timeout=timeout + 30
        )  # the child's own start is not the build's fault
    except subprocess.TimeoutExpired:
        os.killpg(
            child.pid, signal.SIGKILL
        )  # the child's session: the build it started, nothing else
        child.communicate()
        raise BuildTimeoutError from None
    report = json.loads(stdout.strip().splitlines()[-1])
    if report["returncode"] != 0:
        raise RuntimeError(
            f"{shlex.join(commands[0])} exited with {report['returncode']}: see {log}"
        )
    if report["seconds"] > timeout:
        raise BuildTimeoutError
    return report


TRASH = OUT / ".trash"  # outputs moved aside during a run, deleted when it ends
_moved = itertools.count()


def fresh(folder: Path) -> None:
    """Make way for a new output (or corpus) by moving the old one aside, not deleting it.

    On this machine (ext4 mounted with `discard`), creating files just after deleting a
    large tree is up to 8 times slower: 25,000 folders with a file each took 25 s right
    after such a removal, 3 s otherwise (measured). Removing each output before the next
    run made every tool's large builds look superlinear (Hugo's N = 5,000 build took 6.3x
    its N = 1,000 one). The moved folders are deleted at the end, after the last timing.
    """
    for old in (
        folder,
        *folder.parent.glob(f".{folder.name}.*"),
    ):  # sitegen's .out.old-*/.build.tmp-* of a replaced build
        if old.exists():
            TRASH.mkdir(parents=True, exist_ok=True)
            old.rename(TRASH / f"{next(_moved)}-{old.name}")
    # The disk writes back the last run's files while the next tool runs: every tool starts
    # from a quiet disk instead.
    os.sync()


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)
    os.sync()


def settle(folder: Path, limit: float = 120.0) -> None:
    """Wait until sitegen's background removal of the replaced output is over.

    Else it would load the next measurement.
    """
    deadline = time.monotonic() + limit
    while any(folder.parent.glob(f".{folder.name}.old-*")) and time.monotonic() < deadline:
        time.sleep(0.2)


def folder_size(folder: Path) -> tuple[int, int, dict[str, tuple[int, str]]]:
    """(bytes, files, {"all" / "visitors": (largest HTML file's bytes, path)}) of a built site."""
    total = files = 0
    largest = {"all": (0, ""), "visitors": (0, "")}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            size = os.path.getsize(path)
            total, files = total + size, files + 1
            if not name.endswith(".html"):
                continue
            rel = os.path.relpath(path, folder)
            for group in ("all", "visitors") if not rel.startswith("_") else ("all",):
                if size > largest[group][0]:
                    largest[group] = (size, rel)
    return total, files, largest


# not the code: caches, and catalogs compiled at build time
IGNORED = (
    "__pycache__",
    "*.pyc",
    "*.mo",
)


def code_digest(package: Path) -> str:
    """A short digest of the sitegen package's files: names the version timed, commits or not."""
    digest = hashlib.blake2b(digest_size=4)
    for path in sorted(package.rglob("*")):
        if (
            path.is_file()
            and "__pycache__" not in path.parts
            and path.suffix not in (".pyc", ".mo")
        ):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def snapshot_code() -> str:
    """Copy sitegen/ to CODE; return the digest of what was copied."""
    shutil.rmtree(CODE, ignore_errors=True)
    shutil.copytree(ROOT / "sitegen", CODE / "sitegen", ignore=shutil.ignore_patterns(*IGNORED))
    return code_digest(CODE / "sitegen")


def ensure_corpus(site: Path, pages: int, offers: int) -> None:
    """Write the corpus once per size and corpus.py version (it is deterministic)."""
    stamp = f"{pages}|{offers}|{','.join(LANGS)}|{(BENCH / 'corpus.py').stat().st_mtime_ns}"
    if (site / ".bench-stamp").is_file() and (site / ".bench-stamp").read_text() == stamp:
        return
    fresh(site)
    write_corpus(site, pages, offers, LANGS)
    (site / ".bench-stamp").write_text(stamp)


def predicted(history: dict[int, float], size: int) -> float | None:
    """Seconds a build should take at `size`, from this run's smaller sizes.

    A power law, exponent 1 to 2.
    """
    known = sorted((n, s) for n, s in history.items() if n < size)
    if not known:
        return None
    if len(known) == 1:
        n, s = known[0]
        return s * size / n
    (n1, s1), (n2, s2) = known[-2], known[-1]
    exponent = min(2.0, max(1.0, math.log(s2 / s1) / math.log(n2 / n1)))
    return s2 * (size / n2) ** exponent


# -- one size --------------------------------------------------------------------------------------


def bench_size(
    pages: int, runs: int, chosen: list[str], history: dict[str, dict[int, float]], command: str
) -> SizeResult:
    base = OUT / f"n{pages}"
    site, logs = base / "site", base / "logs"
    offers = pages // 2
    result = SizeResult(
        pages,
        offers,
        runs,
        started=dt.datetime.now().isoformat(timespec="seconds"),
        command=command,
        load=_load(),
    )
    print(f"\n== N = {pages} pages per language, {offers} offers, {runs} runs", flush=True)
    ensure_corpus(site, pages, offers)
    logs.mkdir(parents=True, exist_ok=True)
    md_files = list((site / "content").rglob("*.md"))
    result.markdown_bytes = sum(p.stat().st_size for p in md_files)
    result.source_pages = len(md_files) + offers * len(LANGS)
    corpus = peers.read_corpus(site)
    today = dt.date.fromisoformat(TODAY)
    active: dict[str, peers.PeerBuild] = {}
    for name in (p for p in chosen if p in PEER_ROWS):
        result.series[name] = Series()
        guess = predicted(history.get(name, {}), pages)
        if guess is not None and guess > LIMIT_SECONDS:
            result.series[name].note = (
                f"skipped: about {guess / 60:.0f} min predicted from the smaller sizes "
                "(limit 10 min)"
            )
            print(f"  {name}: {result.series[name].note}", flush=True)
            continue
        peers.ADAPTERS[name](corpus, base / "peers", today)
        active[name] = peers.BUILDS[name](base / "peers", base / f"{name}-out")

    out = base / "sitegen-out"
    build = [*SITEGEN, "--source", str(site), "--out", str(out)]
    cold = result.series["cold"] = Series()
    for run in range(runs):
        fresh(out)
        report = measure([[*build, "--no-cache"]], logs / "sitegen.log", cwd=CODE)
        cold.seconds.append(report["seconds"])
        cold.peaks_kib.append(report["peak_kib"])
        settle(out)
        line = [f"cold {report['seconds']:.2f} s"]
        for name, peer in list(active.items()):
            series = result.series[name]
            fresh(peer.out)
            try:
                report = measure(peer.commands, logs / f"{name}.log")
            except BuildTimeoutError:
                series.note = "skipped: over 10 min (stopped at 10 min)"
                del active[name]
                continue
            except RuntimeError as exc:
                series.note = f"failed: {exc}"
                del active[name]
                continue
            series.seconds.append(report["seconds"])
            series.peaks_kib.append(report["peak_kib"])
            line.append(f"{name} {report['seconds']:.2f} s")
        print(f"  round {run + 1}/{runs}: " + ", ".join(line), flush=True)
    total, files, largest = folder_size(out)
    cold.output_bytes, cold.output_files = total, files
    result.html_files = sum(1 for _ in out.rglob("*.html"))
    result.max_page_bytes, result.max_page = largest["all"]
    result.max_visitor_page_bytes, result.max_visitor_page = largest["visitors"]
    for name, peer in active.items():
        series = result.series[name]
        series.output_bytes, series.output_files, _ = folder_size(peer.out)
        if series.seconds:
            history.setdefault(name, {})[pages] = statistics.median(series.seconds)

    # Warm: a build with the cache, so that the next one has nothing to do.
    measure([build], logs / "sitegen.log", cwd=CODE)
    settle(out)
    nochange = result.series["nochange"] = Series()
    for _ in range(runs):
        report = measure([build], logs / "sitegen.log", cwd=CODE)
        nochange.seconds.append(report["seconds"])
        nochange.peaks_kib.append(report["peak_kib"])
    print(f"  no-change: {', '.join(f'{s:.2f}' for s in nochange.seconds)} s", flush=True)

    source = sorted((site / "content" / LANGS[0]).glob("*/*.md"))[0]
    rel = source.relative_to(site / "content").with_suffix("")
    target = out / rel / "index.html"
    original = source.read_text(encoding="utf-8")
    onepage = result.series["onepage"] = Series()
    try:
        for run in range(runs):
            word = f"benchcli{run:03d}"
            source.write_text(
                f"{original.rstrip()}\n\nEdited for the benchmark: {word}.\n", encoding="utf-8"
            )
            report = measure([build], logs / "sitegen.log", cwd=CODE)
            onepage.seconds.append(report["seconds"])
            onepage.peaks_kib.append(report["peak_kib"])
            settle(out)
            if word not in target.read_text(encoding="utf-8"):
                result.notes.append(
                    f"one-page change: '{word}' is not in {target.relative_to(base)} after "
                    "the rebuild"
                )
    finally:
        source.write_text(original, encoding="utf-8")
    print(f"  one page (CLI): {', '.join(f'{s:.2f}' for s in onepage.seconds)} s", flush=True)
    measure([build], logs / "sitegen.log", cwd=CODE)  # the output matches the corpus again
    settle(out)

    edit = subprocess.run(
        [
            sys.executable,
            str(BENCH / "measure.py"),
            "serve-edit",
            str(site),
            str(out),
            source.relative_to(site).as_posix(),
            "--edits",
            str(runs),
            "--today",
            TODAY,
            "--code",
            str(CODE),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=LIMIT_SECONDS * 2,
    )
    serve = result.series["serve"] = Series()
    if edit.returncode == 0:
        report = json.loads(edit.stdout.strip().splitlines()[-1])
        serve.seconds = report["seconds"]
        result.series["serve-index"] = Series(seconds=report["index_seconds"])
        result.notes += [f"serve edit: {e}" for e in report["errors"]]
        print(
            f"  one page (serve): {', '.join(f'{s * 1000:.0f}' for s in serve.seconds)} ms, "
            f"with the index {', '.join(f'{s * 1000:.0f}' for s in report['index_seconds'])} ms",
            flush=True,
        )
    else:
        serve.note = "failed: " + (edit.stderr.strip().splitlines() or ["?"])[-1]
        print(f"  serve edit {serve.note}", flush=True)
    settle(out)

    if "pagefind" in chosen:
        pagefind = result.series["pagefind"] = Series()
        job = peers.pagefind_build(out)
        for _ in range(runs):
            fresh(job.out)
            try:
                report = measure(job.commands, logs / "pagefind.log")
            except (BuildTimeoutError, RuntimeError) as exc:
                pagefind.note = (
                    "skipped: over 10 min"
                    if isinstance(exc, BuildTimeoutError)
                    else f"failed: {exc}"
                )
                break
            pagefind.seconds.append(report["seconds"])
            pagefind.peaks_kib.append(report["peak_kib"])
        pagefind.output_bytes, pagefind.output_files, _ = folder_size(job.out)
        fresh(job.out)  # sitegen's output stays sitegen's
        print(f"  pagefind: {', '.join(f'{s:.2f}' for s in pagefind.seconds)} s", flush=True)
    result.load += f" at the start, {_load()} at the end"
    return result


def _load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


# -- report ----------------------------------------------------------------------------------------


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "–"


def _runs(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def size_table(result: SizeResult) -> list[str]:
    lines = [
        f"#### N = {result.pages:,} pages per language ({result.source_pages:,} pages with the "
        f"offers, {_mb(result.markdown_bytes)} of Markdown; "
        f"{_runs(len(result.series['cold'].seconds))}; load average {result.load})",
        "",
        "| what | median | min – max | peak memory | output |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in ROWS.items():
        series = result.series.get(key)
        if series is None:
            continue
        if not series.seconds:
            lines.append(f"| {label} | {series.note or 'not measured'} | | | |")
            continue
        spread = f"{_s(min(series.seconds))} – {_s(max(series.seconds))}"
        if len(series.seconds) != len(result.series["cold"].seconds):
            spread += f" ({_runs(len(series.seconds))})"
        memory = f"{series.peak_mib:.0f} MiB" if series.peak_mib else "–"
        output = (
            f"{_mb(series.output_bytes)}, {series.output_files:,} files"
            if series.output_files
            else ""
        )
        note = f" ({series.note})" if series.note else ""
        lines.append(f"| {label}{note} | {_s(series.median)} | {spread} | {memory} | {output} |")
    return lines


def ratio_table(results: dict[int, SizeResult]) -> list[str]:
    lines = [
        "| N | vs Hugo: time | memory | vs Pelican: time | memory | vs MkDocs: time | memory | vs "
        "Hugo + Pagefind: time |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, result in sorted(results.items()):
        cold = result.series["cold"]
        cells = []
        for key in PEER_ROWS:
            peer = result.series.get(key)
            if peer is None or not peer.seconds:
                cells += [peer.note.split(":")[0] if peer and peer.note else "–", ""]
                continue
            time_cell = _ratio(cold.median, peer.median)
            if len(peer.seconds) == len(cold.seconds) > 1:
                # Each round ran sitegen and the peer back to back: the ratio within a round is the
                # least disturbed by the load of the shared machine, which changes from minute to
                # minute.
                paired = statistics.median(
                    c / p for c, p in zip(cold.seconds, peer.seconds, strict=True)
                )
                time_cell += f" (paired {paired:.2f}x)"
            cells += [time_cell, _ratio(cold.peak_mib, peer.peak_mib)]
        hugo, pagefind = result.series.get("hugo"), result.series.get("pagefind")
        both = (
            hugo.median + pagefind.median
            if hugo and pagefind and hugo.seconds and pagefind.seconds
            else None
        )  # type: ignore[operator]
        cells.append(_ratio(cold.median, both))
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    return lines


def targets(results: dict[int, SizeResult]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for each target of issue 6."""
    rows: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else "**pass**" if ok else "**FAIL**"

    r1000 = results.get(1000)
    cold = r1000.series["cold"] if r1000 else None
    hugo = r1000.series.get("hugo") if r1000 else None
    if cold and hugo and hugo.seconds:
        ratio = cold.median / hugo.median  # type: ignore[operator]
        measured = f"{_s(cold.median)} vs {_s(hugo.median)}: {ratio:.2f}x"
        if len(hugo.seconds) == len(cold.seconds) > 1:
            paired = statistics.median(
                c / h for c, h in zip(cold.seconds, hugo.seconds, strict=True)
            )
            measured += f" (paired {paired:.2f}x)"
            ratio = max(ratio, paired)  # pass only if both say so
        rows.append(("cold build at N = 1,000 within 2x of Hugo", measured, verdict(ratio <= 2)))
    else:
        rows.append(("cold build at N = 1,000 within 2x of Hugo", "–", verdict(None)))
    for n, result in sorted(results.items()):
        h = result.series.get("hugo")
        c = result.series["cold"]
        if h and h.peak_mib and c.peak_mib:
            rows.append(
                (
                    f"peak memory at most half of Hugo's, N = {n:,}",
                    f"{c.peak_mib:.0f} vs {h.peak_mib:.0f} MiB: {c.peak_mib / h.peak_mib:.2f}x",
                    verdict(c.peak_mib <= h.peak_mib / 2),
                )
            )
    if r1000 and r1000.series["nochange"].seconds:
        m = r1000.series["nochange"].median
        rows.append(("no-change rebuild at N = 1,000 under 0.5 s", _s(m), verdict(m < 0.5)))  # type: ignore[operator]
    else:
        rows.append(("no-change rebuild at N = 1,000 under 0.5 s", "–", verdict(None)))
    for key, what in (("serve", "page files"), ("serve-index", "page files and search index")):
        label = f"one-page edit under serve at N = 1,000 under 150 ms ({what})"
        series = r1000.series.get(key) if r1000 else None
        if series is not None and series.seconds:
            rows.append((label, _s(series.median), verdict(series.median < 0.150)))  # type: ignore[operator]
        else:
            rows.append((label, "–", verdict(None)))
    r5000 = results.get(5000)
    if r1000 and r5000:
        a, b = r1000.series["cold"].median, r5000.series["cold"].median
        rows.append(
            (
                "cold build at N = 5,000 at most 5.5x the N = 1,000 time",
                f"{_s(b)} / {_s(a)} = {b / a:.2f}x",
                verdict(b / a <= 5.5),
            )
        )  # type: ignore[operator]
    else:
        rows.append(("cold build at N = 5,000 at most 5.5x the N = 1,000 time", "–", verdict(None)))
    sizes = sorted(results)
    if len(sizes) >= 2:
        # The two largest sizes: at the smallest, the fixed files (scripts, styles) hide the growth
        # of the pages.
        small, large = results[sizes[-2]], results[sizes[-1]]
        # Linear: bytes per source page may not grow by more than 10 %, nor the largest page by more
        # than 25 %.
        per_small = small.series["cold"].output_bytes / small.source_pages
        per_large = large.series["cold"].output_bytes / large.source_pages
        # Every page counts, the editors' pages too: the verdict is on the largest page of all.
        ok = per_large <= per_small * 1.10 and large.max_page_bytes <= small.max_page_bytes * 1.25
        measured = (
            f"{per_small / 1e3:.1f} to {per_large / 1e3:.1f} kB per page; largest page "
            f"{small.max_page_bytes / 1e3:.1f} to {large.max_page_bytes / 1e3:.1f} kB "
            f"(`{large.max_page}`)"
        )
        if large.max_visitor_page and large.max_visitor_page != large.max_page:
            measured += (
                f"; largest page for visitors {small.max_visitor_page_bytes / 1e3:.1f} to "
                f"{large.max_visitor_page_bytes / 1e3:.1f} kB"
            )
        rows.append(
            (f"output grows linearly (N = {sizes[-2]:,} to {sizes[-1]:,})", measured, verdict(ok))
        )
    return rows


def growth_table(results: dict[int, SizeResult]) -> list[str]:
    lines = [
        "| N | pages (with offers) | Markdown | sitegen output | HTML files | bytes per page | "
        "largest page | largest page for visitors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in sorted(results.items()):
        cold = r.series["cold"]
        lines.append(
            f"| {n:,} | {r.source_pages:,} | {_mb(r.markdown_bytes)} | {_mb(cold.output_bytes)} | "
            f"{r.html_files:,} | {cold.output_bytes / r.source_pages / 1e3:.1f} kB | "
            f"{r.max_page_bytes / 1e3:.1f} kB (`{r.max_page}`) | "
            f"{r.max_visitor_page_bytes / 1e3:.1f} kB (`{r.max_visitor_page}`) |"
        )
    return lines


def environment() -> dict[str, str]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    memory = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    dirty = " with uncommitted changes" if git("status", "--porcelain", "--", "sitegen") else ""
    return {
        "machine": f"{os.cpu_count()} cores ({cpu}), {memory / 1024**2:.0f} GiB",
        "python": platform.python_version(),
        "sitegen": f"{git('rev-parse', '--short', 'HEAD')}{dirty}",
        **peers.versions(),
    }


def render(results: dict[int, SizeResult], env: dict[str, str]) -> str:
    commands = sorted({r.command for r in results.values()})
    lines = [
        START,
        "",
        "<!-- Written by bench/build_bench.py: edit the script, not this section. -->",
        "",
        f"Measured from {min(r.started for r in results.values())[:16].replace('T', ' ')} on "
        f"{env['machine']}; Python {env['python']}, sitegen {env['sitegen']}, Hugo {env['hugo']}, "
        f"Pelican {env['pelican']}, MkDocs {env['mkdocs']}, Pagefind {env['pagefind']}. The load "
        "average of each size says how busy the shared machine was (2 means both cores busy).",
        "",
        "Reproduce with:",
        "",
        "```sh",
        *commands,
        "```",
        "",
        "### Times and peak memory",
        "",
    ]
    for _, result in sorted(results.items()):
        lines += [*size_table(result), ""]
        lines += [f"- {note}" for note in result.notes] + ([""] if result.notes else [])
    lines += [
        "### Ratios: sitegen cold build / peer (below 1: sitegen is faster or smaller)",
        "",
        "Ratio of the medians; in brackets the median of the ratios within each round (sitegen "
        "and the peer back to back).",
        "",
        *ratio_table(results),
        "",
        "### Targets of issue 6",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in targets(results)]
    lines += ["", "### Output size", "", *growth_table(results), "", END]
    return "\n".join(lines)


def write_marked(path: Path, section: str, heading: str) -> None:
    """Put `section` in place of the marked section of `path`, or at its end under `heading`.

    `section` starts and ends with its markers.
    """
    start, end = section.split("\n", 1)[0], section.rsplit("\n", 1)[-1]
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_doc(section: str) -> None:
    write_marked(DOC, section, "Build benchmark")


def load_results() -> tuple[dict[int, SizeResult], dict[str, str]]:
    """The sizes measured so far, and the environment they were measured in."""
    if not RESULTS.is_file():
        return {}, {}
    raw = json.loads(RESULTS.read_text())
    results = {}
    for n, data in raw["sizes"].items():
        data["series"] = {k: Series(**v) for k, v in data["series"].items()}
        results[int(n)] = SizeResult(**data)
    return results, raw["environment"]


def save_results(results: dict[int, SizeResult], env: dict[str, str]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"environment": env, "sizes": {str(k): asdict(v) for k, v in sorted(results.items())}},
            indent=1,
        )
    )


def install(chosen: list[str]) -> None:
    """The peers are benchmark tools, not project dependencies: install them here, on request."""
    if "hugo" in chosen and shutil.which("hugo") is None:
        subprocess.run(["apt-get", "update"], check=True)
        subprocess.run(["apt-get", "install", "-y", "hugo"], check=True)
    wanted = {"pelican": "pelican", "mkdocs": "mkdocs", "pagefind": "pagefind[extended]"}
    packages = [wanted[p] for p in chosen if p in wanted]
    if packages:
        subprocess.run([sys.executable, "-m", "pip", "install", *packages], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="100,1000,5000", help="pages per language, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--runs-for", default="", help="fewer runs at some sizes, e.g. 5000=3")
    parser.add_argument("--peers", default="hugo,pelican,mkdocs,pagefind")
    parser.add_argument(
        "--install", action="store_true", help="install the missing peers first (apt-get, pip)"
    )
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument(
        "--fresh-results", action="store_true", help="forget the sizes measured by earlier runs"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: print and write the report of results.json",
    )
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    chosen = [p for p in args.peers.split(",") if p]
    unknown = set(chosen) - {*PEER_ROWS, "pagefind"}
    if unknown:
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
    runs_for = {
        int(k): int(v) for k, v in (item.split("=") for item in args.runs_for.split(",") if item)
    }
    if args.report_only:
        results, env = load_results()
        section = render(results, env)
        print(section.replace(START, "").replace(END, "").strip())
        if not args.no_doc:
            write_doc(section)
        return 0
    if args.install:
        install(chosen)
    env = environment()
    env["sitegen"] += f", code digest {snapshot_code()}"
    missing = [p for p in chosen if env.get(p) == "missing"]
    if missing:
        print(
            "missing peers: "
            + "; ".join(f"{p} ({peers.INSTALL[p]})" for p in missing)
            + ", or run with --install",
            file=sys.stderr,
        )
        return 2
    command = "python bench/build_bench.py " + shlex.join(
        a for a in (argv if argv is not None else sys.argv[1:]) if a != "--install"
    )

    results = {} if args.fresh_results else load_results()[0]
    # What the peers took at the sizes measured before (this run's, or an earlier run's): to skip a
    # hopeless size.
    history: dict[str, dict[int, float]] = {}
    for n, result in results.items():
        for name in PEER_ROWS:
            series = result.series.get(name)
            if series and series.seconds:
                history.setdefault(name, {})[n] = statistics.median(series.seconds)
    empty_trash()  # an interrupted run's
    try:
        for n in sorted(sizes):
            results[n] = bench_size(n, runs_for.get(n, args.runs), chosen, history, command.strip())
            save_results(results, env)
    finally:
        empty_trash()
    section = render(results, env)
    print("\n" + section.replace(START, "").replace(END, "").strip())
    if not args.no_doc:
        write_doc(section)
        print(f"\nwrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
