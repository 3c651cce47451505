"""`sitegen build`: build the site into a folder.

A failed build leaves the previous output untouched.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from ..cli import (
    EXIT_CONTENT,
    EXIT_OK,
    add_drafts,
    add_out,
    add_source,
    add_strict,
    add_today,
    find_site,
    print_diagnostics,
)
from ..errors import ContentError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source(parser)
    add_out(parser, "the output folder (default: build/ in the site folder)")
    add_drafts(parser, "include pages and offers marked draft: true (for previews)")
    add_today(parser, "the date that decides which offers are past (default: today)")
    add_strict(parser, "treat warnings as errors")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and rebuild the cache in .sitegen-cache/ (a cold build)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def run(args: argparse.Namespace) -> int:
    from ..build import build

    source = find_site(args.source)
    out = args.out if args.out is not None else source / "build"
    try:
        result = build(
            source,
            out,
            today=args.today,
            drafts=args.drafts,
            cache=not args.no_cache,
            progress=None if args.quiet else Progress(sys.stderr),
        )
    except ContentError as exc:
        print_diagnostics(exc.diagnostics)
        errors = sum(d.is_error for d in exc.diagnostics)
        warnings = len(exc.diagnostics) - errors
        # A stage that needs a failed one could not run: say so, or the list would look complete.
        unchecked = (
            f" Not checked until site.yaml is fixed: {', '.join(exc.unchecked)}."
            if exc.unchecked
            else ""
        )
        print(
            f"Build failed: {errors} "
            f"error(s){f', {warnings} warning(s)' if warnings else ''}.{unchecked} Nothing was "
            f"written; {out} is unchanged.",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    print_diagnostics(result.warnings)
    if not args.quiet:
        _summary(result, sys.stdout)
    if args.strict and result.warnings:
        print(f"--strict: {len(result.warnings)} warning(s) count as errors.", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


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
        print(
            f"Nothing changed since the last build: {result.out_dir} is up to date "
            f"({result.seconds * 1000:.0f} ms{warnings}).",
            file=stream,
        )
    else:
        print(
            f"Built {result.files} files ({result.rendered} rendered, "
            f"{result.files - result.rendered} reused) into {result.out_dir} in "
            f"{result.seconds * 1000:.0f} ms{warnings}.",
            file=stream,
        )


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
