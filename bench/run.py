"""sitegen beside Hugo (and Hugo + Pagefind for the searchable site), every scenario in one run.

Issue 16 item 5.

    python bench/run.py [--pages 1000] [--offers 500] [--reps 3] [--quick]
                        [--write bench/RESULTS.md]

On the corpus of bench/corpus.py (N pages per language in fr, de, en, M offers) and the
same site converted for Hugo by bench/peers.py, each scenario runs --reps times, sitegen
and Hugo back to back in every round (so a slow minute of this shared machine hits both),
each measurement in a fresh child (bench/measure.py: wall time and peak memory):
- cold build: sitegen `--no-cache` into a new folder; `hugo` into a new folder;
- no-change build: the same command again, nothing edited (sitegen answers from its cache;
  Hugo rebuilds everything);
- one-page edit: a sentence with a new word appended to one French page, then a build;
- one-offer edit: a word added to one offer's French title (sitegen: the offers file; Hugo:
  the offer's French page), then a build;
- one-template edit: a comment added to the base template every page extends (sitegen: a
  site template `templates/base.html` over the package's; Hugo: `layouts/_default/baseof.html`),
  then a build: every page changes;
- offer-template edit: a comment added to the template of the offers' pages (sitegen: a site
  template `templates/offer.html` over the package's; Hugo: `layouts/offers/single.html`),
  then a build: every offer page changes, nothing else;
- one-page edit under serve (sitegen only): one serve session (`sitegen.serve.session.Session`)
  kept in one process, as `sitegen serve` does, until the page's files are written, and until
  the search index is too.
Each edit's new word is looked for in sitegen's rebuilt output. Hugo has no incremental
command-line build: its edit figures are full rebuilds into the same folder.

sitegen's build always writes its search index; Hugo writes none. The searchable Hugo site
is Hugo + Pagefind indexing Hugo's output (`python -m pagefind --site`), timed in the cold
rounds; Pagefind has no incremental mode either, so each of its rebuilds is that same
full indexing, and the Hugo + Pagefind column adds its cold median to every Hugo figure.
Peak memory is the highest of the cold rounds; Hugo and Pagefind run one after the other,
so the pair's peak is the larger of the two.

Prints one table of medians and ratios (sitegen / peer: below 1, sitegen is faster); with
--write, puts it in the marked section of that file. --quick: N = 100, 50 offers, 1 round,
a smoke test. The figures are wall-clock times on whatever machine runs it: compare the
ratios of one run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import peers  # noqa: E402 - bench/ is not a package
from build_bench import (  # noqa: E402
    LANGS,
    TODAY,
    Series,
    empty_trash,
    ensure_corpus,
    fresh,
    measure,
    settle,
    write_marked,
)

OUT = BENCH / "out" / "run"
SITEGEN = [sys.executable, "-m", "sitegen", "build", "--quiet", "--today", TODAY]
START, END = "<!-- bench-run:start -->", "<!-- bench-run:end -->"
SCENARIOS = {
    "cold": "cold build",
    "nochange": "no-change build",
    "page": "one-page edit",
    "offer": "one-offer edit",
    "template": "one-template edit",
    "offer_template": "offer-template edit",
}


@dataclass
class Edit:
    """One scenario's edit: a file of each tool and how to change it.

    How: (original text, new word) -> edited text.
    """

    sitegen_file: Path
    sitegen_change: Callable[[str, str], str]
    hugo_file: Path
    hugo_change: Callable[[str, str], str]
    check: Path  # the sitegen output file the new word must be in


class Bench:
    def __init__(self, pages: int, offers: int, reps: int) -> None:
        self.pages, self.offers, self.reps = pages, offers, reps
        self.base = OUT / f"n{pages}-o{offers}"
        self.site, self.logs = self.base / "site", self.base / "logs"
        self.out, self.hugo_out = self.base / "sitegen-out", self.base / "hugo-out"
        self.sitegen: dict[str, Series] = {key: Series() for key in SCENARIOS}
        self.hugo: dict[str, Series] = {key: Series() for key in SCENARIOS}
        self.pagefind = Series()
        self.serve: dict[str, list[float]] = {}
        self.problems: list[str] = []

    # -- running ----------------------------------------------------------------------------

    def prepare(self) -> None:
        ensure_corpus(self.site, self.pages, self.offers)
        self.logs.mkdir(parents=True, exist_ok=True)
        peers.write_hugo(
            peers.read_corpus(self.site), self.base / "peers", dt.date.fromisoformat(TODAY)
        )
        self.hugo_command = peers.hugo_build(self.base / "peers", self.hugo_out).commands
        self.pagefind_command = peers.pagefind_build(self.hugo_out).commands

    def run_sitegen(self, *extra: str) -> dict[str, Any]:
        report = measure(
            [[*SITEGEN, "--source", str(self.site), "--out", str(self.out), *extra]],
            self.logs / "sitegen.log",
        )
        settle(
            self.out
        )  # sitegen removes the replaced output in the background: not during the next measurement
        return report

    def run_hugo(self) -> dict[str, Any]:
        return measure(self.hugo_command, self.logs / "hugo.log")

    def cold(self) -> None:
        for number in range(self.reps):
            fresh(self.out)
            _add(self.sitegen["cold"], self.run_sitegen("--no-cache"))
            fresh(self.hugo_out)
            _add(self.hugo["cold"], self.run_hugo())
            _add(self.pagefind, measure(self.pagefind_command, self.logs / "pagefind.log"))
            self.say(
                f"cold round {number + 1}: sitegen {self.sitegen['cold'].seconds[-1]:.2f} s, hugo "
                f"{self.hugo['cold'].seconds[-1]:.2f} s, pagefind {self.pagefind.seconds[-1]:.2f} s"
            )

    def nochange(self) -> None:
        self.run_sitegen()  # fills the cache (the cold builds ignored it)
        for _ in range(self.reps):
            _add(self.sitegen["nochange"], self.run_sitegen())
            _add(self.hugo["nochange"], self.run_hugo())
        self.say(
            f"no change: sitegen {_list(self.sitegen['nochange'])}, hugo "
            f"{_list(self.hugo['nochange'])}"
        )

    def edited(self, key: str, edit: Edit) -> None:
        files = ((edit.sitegen_file, edit.sitegen_change), (edit.hugo_file, edit.hugo_change))
        originals = {
            path: path.read_text(encoding="utf-8") if path.is_file() else None for path, _ in files
        }
        try:
            for number in range(self.reps):
                word = f"bench{key}{number:03d}"
                for path, change in files:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(change(originals[path] or "", word), encoding="utf-8")
                _add(self.sitegen[key], self.run_sitegen())
                _add(self.hugo[key], self.run_hugo())
                if word not in edit.check.read_text(encoding="utf-8"):
                    self.problems.append(
                        f"{SCENARIOS[key]}: '{word}' is not in {edit.check.relative_to(self.base)} "
                        "after the rebuild"
                    )
        finally:
            for path, text in originals.items():
                if (
                    text is None
                ):  # a file the edit made (the site template): gone again, and its folder if empty
                    path.unlink(missing_ok=True)
                    if path.parent.is_dir() and not any(path.parent.iterdir()):
                        path.parent.rmdir()
                else:
                    path.write_text(text, encoding="utf-8")
            self.run_sitegen()  # the outputs match the corpus again (not timed)
            self.run_hugo()
        self.say(
            f"{SCENARIOS[key]}: sitegen {_list(self.sitegen[key])}, hugo {_list(self.hugo[key])}"
        )

    def serve_edit(self, page: Path) -> None:
        done = subprocess.run(
            [
                sys.executable,
                str(BENCH / "measure.py"),
                "serve-edit",
                str(self.site),
                str(self.out),
                page.relative_to(self.site).as_posix(),
                "--edits",
                str(max(self.reps, 3)),
                "--today",
                TODAY,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=1200,
        )
        if done.returncode != 0:
            self.problems.append(
                "serve edit failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
            )
            return
        report = json.loads(done.stdout.strip().splitlines()[-1])
        self.serve = {"page": report["seconds"], "index": report["index_seconds"]}
        self.problems += [f"serve edit: {e}" for e in report["errors"]]
        self.say(
            f"serve edit: {', '.join(f'{s * 1000:.0f}' for s in report['seconds'])} ms, "
            f"with the index {', '.join(f'{s * 1000:.0f}' for s in report['index_seconds'])} ms"
        )

    def edits(self) -> dict[str, Edit]:
        hugo = self.base / "peers" / "hugo"
        page = sorted((self.site / "content" / LANGS[0]).glob("*/*.md"))[0]
        rel = page.relative_to(self.site / "content")

        def sentence(text: str, word: str) -> str:
            return f"{text.rstrip()}\n\nEdited for the benchmark: {word}.\n"

        offers_file = sorted((self.site / "content" / "offers").glob("*.yaml"))[0]
        offer_id = re.search(r"^- id: (\S+)", offers_file.read_text(encoding="utf-8"), re.M).group(
            1
        )  # type: ignore[union-attr]

        def offer_title(text: str, word: str) -> str:
            """The word added to the first offer's French title, or to its only title."""
            at = text.index("\n  title:", text.index(f"- id: {offer_id}\n")) + len("\n  title:")
            end = text.index("\n", at)
            if text[at:end].strip():
                start = at + 1
            else:
                start = text.index(f"{LANGS[0]}: ", end) + len(f"{LANGS[0]}: ")
                end = text.index("\n", start)
            return text[:start] + _with_word(text[start:end], word) + text[end:]

        def front_title(text: str, word: str) -> str:
            match = re.compile(r"^title: (.*)$", re.M).search(text)
            assert match is not None
            return text[: match.start(1)] + _with_word(match.group(1), word) + text[match.end(1) :]

        package_base = (ROOT / "sitegen" / "templates" / "base.html").read_text(encoding="utf-8")

        def comment(text: str, word: str) -> str:
            return (text or package_base).replace("</body>", f"<!-- {word} -->\n</body>", 1)

        package_offer = (ROOT / "sitegen" / "templates" / "offer.html").read_text(encoding="utf-8")

        def offer_comment(text: str, word: str) -> str:
            return (text or package_offer).replace(
                "{% block content %}", f"{{% block content %}}<!-- {word} -->", 1
            )

        def hugo_offer_comment(text: str, word: str) -> str:
            return text.replace('{{ define "main" }}', f'{{{{ define "main" }}}}<!-- {word} -->', 1)

        offers = _offers_word(self.site, LANGS[0])
        return {
            "page": Edit(
                page,
                sentence,
                hugo / "content" / rel,
                sentence,
                self.out / rel.with_suffix("") / "index.html",
            ),
            "offer": Edit(
                offers_file,
                offer_title,
                hugo / "content" / LANGS[0] / peers.OFFER_SECTION / f"{offer_id}.md",
                front_title,
                self.out / LANGS[0] / offers / offer_id / "index.html",
            ),
            "template": Edit(
                self.site / "templates" / "base.html",
                comment,
                hugo / "layouts" / "_default" / "baseof.html",
                comment,
                self.out / LANGS[0] / "index.html",
            ),
            "offer_template": Edit(
                self.site / "templates" / "offer.html",
                offer_comment,
                hugo / "layouts" / peers.OFFER_SECTION / "single.html",
                hugo_offer_comment,
                self.out / LANGS[0] / offers / offer_id / "index.html",
            ),
        }

    def say(self, text: str) -> None:
        print(f"  {text}", flush=True)

    # -- the table --------------------------------------------------------------------------

    def table(self) -> list[str]:
        pagefind = self.pagefind.median
        lines = [
            "| scenario | sitegen (with its search index) | Hugo | sitegen / Hugo | Hugo + "
            "Pagefind | sitegen / (Hugo + Pagefind) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for key, label in SCENARIOS.items():
            mine, hugo = self.sitegen[key].median, self.hugo[key].median
            both = hugo + pagefind if hugo is not None and pagefind is not None else None
            note = " (Hugo: full rebuild)" if key != "cold" else ""
            lines.append(
                f"| {label}{note} | {_s(mine)} | {_s(hugo)} | {_ratio(mine, hugo)} | {_s(both)} | "
                f"{_ratio(mine, both)} |"
            )
        mine, hugo, pf = (
            self.sitegen["cold"].peak_mib,
            self.hugo["cold"].peak_mib,
            self.pagefind.peak_mib,
        )
        both = max(hugo, pf) if hugo and pf else None
        lines.append(
            f"| peak memory, cold build | {_mib(mine)} | {_mib(hugo)} | {_ratio(mine, hugo)} | "
            f"{_mib(both)} | {_ratio(mine, both)} |"
        )
        if self.serve:
            page, index = (
                statistics.median(self.serve["page"]),
                statistics.median(self.serve["index"]),
            )
            lines.append(
                f"| one-page edit under serve, page written (in-process) | {_s(page)} | – | | – | |"
            )
            lines.append(
                f"| one-page edit under serve, search index too (in-process) | {_s(index)} | – | "
                "| – | |"
            )
        return lines

    def report(self, command: str) -> str:
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "?",
        )
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        versions = peers.versions()
        lines = [
            START,
            "",
            "<!-- Written by bench/run.py: edit the script, not this section. -->",
            "",
            f"`{command}`, {dt.datetime.now():%Y-%m-%d %H:%M}, sitegen {commit}, Hugo "
            f"{versions['hugo']}, Pagefind {versions['pagefind']}, Python "
            f"{platform.python_version()}, {os.cpu_count()} cores ({cpu}); load average at the "
            f"end {os.getloadavg()[0]:.1f}. {self.pages:,} pages per language in {len(LANGS)} "
            f"languages, {self.offers:,} offers; medians of {self.reps} "
            f"round{'s' if self.reps > 1 else ''}, sitegen and Hugo back to back in each.",
            "",
            *self.table(),
            "",
            "Hugo has no incremental command-line build: its edit and no-change figures are full "
            "rebuilds. Pagefind has no incremental mode: the Hugo + Pagefind column adds "
            f"Pagefind's cold median ({_s(self.pagefind.median)}) to each Hugo figure.",
            "",
        ]
        lines += [f"- {problem}" for problem in self.problems] + ([""] if self.problems else [])
        return "\n".join([*lines, END])


def _add(series: Series, report: dict[str, Any]) -> None:
    series.seconds.append(report["seconds"])
    series.peaks_kib.append(report["peak_kib"])


def _offers_word(site: Path, lang: str) -> str:
    sys.path.insert(0, str(ROOT))
    from sitegen.config import load_config

    config, _ = load_config(site)
    assert config is not None
    return config.words(lang)["offers"]


def _with_word(value: str, word: str) -> str:
    """A YAML text value with a word appended, as a JSON string (which YAML reads as it is)."""
    import yaml

    return json.dumps(f"{yaml.safe_load(value)} {word}", ensure_ascii=False)


def _list(figures: Series) -> str:
    return ", ".join(f"{s:.2f}" for s in figures.seconds) + " s"


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _mib(mib: float | None) -> str:
    return "–" if mib is None else f"{mib:.0f} MiB"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages per language (3 languages)")
    parser.add_argument("--offers", type=int, default=500)
    parser.add_argument(
        "--reps", type=int, default=3, help="rounds per scenario; the table shows medians"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke test: N = 100, 50 offers, 1 round"
    )
    parser.add_argument(
        "--write",
        type=Path,
        default=None,
        help="put the table in the marked section of this file (e.g. bench/RESULTS.md)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.pages, args.offers, args.reps = 100, 50, 1
    missing = [
        name
        for name, version in peers.versions().items()
        if name in ("hugo", "pagefind") and version == "missing"
    ]
    if missing:
        print(
            "missing: " + "; ".join(f"{name} ({peers.INSTALL[name]})" for name in missing),
            file=sys.stderr,
        )
        return 2
    command = shlex.join(["python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    bench = Bench(args.pages, args.offers, args.reps)
    started = time.perf_counter()
    print(
        f"{args.pages:,} pages per language, {args.offers:,} offers, {args.reps} round(s)",
        flush=True,
    )
    empty_trash()
    try:
        bench.prepare()
        bench.cold()
        bench.nochange()
        edits = bench.edits()
        for key, edit in edits.items():
            bench.edited(key, edit)
        bench.serve_edit(edits["page"].sitegen_file)
    finally:
        empty_trash()
    section = bench.report(command)
    print("\n" + section.replace(START, "").replace(END, "").strip())
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    if args.write:
        write_marked(args.write, section, "sitegen beside Hugo")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
