"""Command line: argument parsing and exit codes; the only place that prints and exits."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import ContentError, Diagnostic, UsageError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def print_diagnostics(diags: list[Diagnostic], stream: TextIO | None = None) -> None:
    """Errors grouped by file, in file and line order, so an editor can fix one file at a time."""
    stream = stream or sys.stderr
    colour = _colour(stream)
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in sorted(diags):
        by_file[diag.path].append(diag)
    for diags_of_file in by_file.values():
        for diag in diags_of_file:
            text = diag.format()
            if colour:
                text = ("\033[31m" if diag.is_error else "\033[33m") + text + "\033[0m"
            print(text, file=stream)


class Progress:
    """Stage messages for long builds: quiet for the first second, so quick builds print nothing."""

    def __init__(self, stream: TextIO, after: float = 1.0):
        self.stream, self.after = stream, after
        self.started = time.perf_counter()
        self.held: list[str] = []

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        if elapsed < self.after:
            self.held.append(message)
            return
        for line in [*self.held, message]:
            print(f"[{elapsed:5.1f} s] {line}", file=self.stream, flush=True)
        self.held = []


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2026-09-01") from exc


def add_source(parser: argparse.ArgumentParser) -> None:
    """--source, the same for every command."""
    parser.add_argument("--source", type=Path, default=None, metavar="DIR",
                        help="the site folder, with site.yaml and content/ (default: the current folder or the nearest one above it with a site.yaml)")


def find_site(source: Path | None) -> Path:
    """The site folder: --source as given, else the current folder or the nearest folder above
    it that holds a site.yaml (the way git finds its repository), so that a command run from
    content/fr/ works. Paths in messages are always relative to the site folder."""
    if source is not None:
        if not (source / "site.yaml").is_file():
            raise UsageError(f"no site.yaml in {source.resolve()}: give --source the site's folder (the one that holds site.yaml)")
        return source
    here = Path.cwd()
    if (here / "site.yaml").is_file():
        return Path(".")
    for folder in here.parents:
        if (folder / "site.yaml").is_file():
            return folder
    raise UsageError(f"no site.yaml in {here} or any folder above it: run sitegen in the site's folder, or give --source DIR")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="sitegen", description="Build multilingual information portals for newcomers from Markdown and YAML.")
    main.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    build = commands.add_parser("build", help="build the site into a folder", description="Build the site. A failed build leaves the previous output untouched.")
    add_source(build)
    build.add_argument("--out", type=Path, default=None, metavar="DIR", help="the output folder (default: build/ in the site folder)")
    build.add_argument("--drafts", action="store_true", help="include pages and offers marked draft: true (for previews)")
    build.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD", help="the date that decides which offers are past (default: today)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--no-cache", action="store_true", help="ignore and rebuild the cache in .sitegen-cache/ (a cold build)")
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    for name, (module, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".")
        importlib.import_module(module).add_arguments(sub)
    return main


# Commands that live in their own module: each has add_arguments(parser) and run(args) -> exit code.
COMMANDS = {
    "serve": ("sitegen.serve", "build, serve on http://127.0.0.1:8000 and rebuild and reload on every save"),
    "check": ("sitegen.check", "check the site for errors, broken links, missing and outdated translations, stale offers"),
    "status": ("sitegen.status", "show which pages are translated, outdated or missing in each language"),
}


def _summary(result, stream: TextIO) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for lang, stats in result.languages.items():
        note = f" ({stats.fallbacks} shown from another language)" if stats.fallbacks else ""
        rows.append(f"  {lang}: {stats.pages} pages{note}, {stats.offers} offers")
    print("\n".join(rows), file=stream)
    for offer_id, path, line, reason in result.skipped:
        print(f"  not published: {offer_id} ({path}:{line}): {reason}", file=stream)
    warnings = f", {len(result.warnings)} warning(s)" if result.warnings else ""
    if result.unchanged:
        print(f"Nothing changed since the last build: {result.out_dir} is up to date ({result.seconds * 1000:.0f} ms{warnings}).", file=stream)
    else:
        print(f"Built {result.files} files ({result.rendered} rendered, {result.files - result.rendered} reused) into {result.out_dir} "
              f"in {result.seconds * 1000:.0f} ms{warnings}.", file=stream)


def run_build(args: argparse.Namespace) -> int:
    from .build import build

    source = find_site(args.source)
    out = args.out if args.out is not None else source / "build"
    try:
        result = build(source, out, today=args.today, drafts=args.drafts, cache=not args.no_cache,
                       progress=None if args.quiet else Progress(sys.stderr))
    except ContentError as exc:
        print_diagnostics(exc.diagnostics)
        errors = sum(d.is_error for d in exc.diagnostics)
        warnings = len(exc.diagnostics) - errors
        # A stage that needs a failed one could not run: say so, or the list would look complete.
        unchecked = f" Not checked until site.yaml is fixed: {', '.join(exc.unchecked)}." if exc.unchecked else ""
        print(f"Build failed: {errors} error(s){f', {warnings} warning(s)' if warnings else ''}.{unchecked} Nothing was written; {out} is unchanged.",
              file=sys.stderr)
        return EXIT_CONTENT
    print_diagnostics(result.warnings)
    if not args.quiet:
        _summary(result, sys.stdout)
    if args.strict and result.warnings:
        print(f"--strict: {len(result.warnings)} warning(s) count as errors.", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        try:
            if args.command == "build":
                code = run_build(args)
            else:
                code = int(importlib.import_module(COMMANDS[args.command][0]).run(args))
        except UsageError as exc:
            print(f"sitegen: {exc}", file=sys.stderr)
            code = EXIT_USAGE
        # Flushed here, inside the handler: a pipe closed early (`sitegen check | head`)
        # would otherwise fail at interpreter exit, out of reach.
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Python's documentation of SIGPIPE
        # recommends; whatever is left to print goes nowhere instead of into a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, stream.fileno())
        return EXIT_CONTENT
    return code
