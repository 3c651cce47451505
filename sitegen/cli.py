"""Command line: argument parsing, the options the commands share, exit codes.

The only place that prints errors and exits.

Each command runs in its own module, sitegen/commands/<name>.py.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import Diagnostic, UsageError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def use_colour(stream: TextIO) -> bool:
    """Whether to colour what goes to `stream`.

    A terminal, unless NO_COLOR or TERM=dumb says otherwise.
    """
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def print_diagnostics(diags: list[Diagnostic], stream: TextIO | None = None) -> None:
    """Errors grouped by file, in file and line order, so an editor can fix one file at a time."""
    stream = stream or sys.stderr
    colour = use_colour(stream)
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in sorted(diags):
        by_file[diag.path].append(diag)
    for diags_of_file in by_file.values():
        for diag in diags_of_file:
            text = diag.format()
            if colour:
                text = ("\033[31m" if diag.is_error else "\033[33m") + text + "\033[0m"
            print(text, file=stream)


def find_site(source: Path | None) -> Path:
    """The site folder: --source as given, else the current folder or the nearest folder above
    it that holds a site.yaml (the way git finds its repository), so that a command run from
    content/fr/ works. Paths in messages are always relative to the site folder."""
    if source is not None:
        if not (source / "site.yaml").is_file():
            raise UsageError(
                f"no site.yaml in {source.resolve()}: give --source the site's folder (the one "
                "that holds site.yaml)"
            )
        return source
    here = Path.cwd()
    if (here / "site.yaml").is_file():
        return Path(".")
    for folder in here.parents:
        if (folder / "site.yaml").is_file():
            return folder
    raise UsageError(
        f"no site.yaml in {here} or any folder above it: run sitegen in the site's folder, or give "
        "--source DIR"
    )


# -- the options several commands share, declared once: name, type, default and metavar here;
# the help says what the option means for each command where that differs.


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2026-09-01") from exc


def add_source(parser: argparse.ArgumentParser) -> None:
    """--source, the same for every command."""
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="DIR",
        help="the site folder, with site.yaml and content/ (default: the current folder or the "
        "nearest one above it with a site.yaml)",
    )


def add_out(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help=text)


def add_drafts(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--drafts", action="store_true", help=text)


def add_today(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD", help=text)


def add_strict(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--strict", action="store_true", help=text)


def add_format(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help=text)


def add_no_git(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-git",
        action="store_true",
        help="ignore Git history: compare translations by translated_from and updated only",
    )


# Each command is the module sitegen/commands/<name>.py, with add_arguments(parser) and
# run(args) -> exit code: name -> (help in the list of commands, description or None for the help).
COMMANDS = {
    "build": (
        "build the site into a folder",
        "Build the site. A failed build leaves the previous output untouched.",
    ),
    "serve": ("build, serve on http://127.0.0.1:8000 and rebuild and reload on every save", None),
    "check": (
        "check the site for errors, broken links, missing and outdated translations, stale offers",
        None,
    ),
    "status": ("show which pages are translated, outdated or missing in each language", None),
}


def _command(name: str) -> Any:
    return importlib.import_module(f"sitegen.commands.{name}")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="sitegen",
        description="Build multilingual information portals for newcomers from Markdown and YAML.",
    )
    main.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for name, (help_text, description) in COMMANDS.items():
        sub = commands.add_parser(
            name,
            help=help_text,
            description=description or help_text[:1].upper() + help_text[1:] + ".",
        )
        _command(name).add_arguments(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        try:
            code = int(_command(args.command).run(args))
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
