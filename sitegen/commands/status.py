"""`sitegen status`: a table of pages x languages, with totals.

Each cell: original, up to date, outdated, missing or draft.

The rule that decides "outdated" is in sitegen/translations.py; the build shows the same table
as an HTML page for editors at /_status/ (templates/status.html).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from ..cli import (
    EXIT_CONTENT,
    EXIT_OK,
    add_drafts,
    add_format,
    add_no_git,
    add_source,
    add_today,
    find_site,
    print_diagnostics,
    use_colour,
)
from ..errors import ContentError

if TYPE_CHECKING:
    from ..i18n import CatalogCoverage
    from ..translations import StatusTable

# Keyed by translations.TranslationState's values (a StrEnum): every command's module is imported to
# build the argument parser, so the pipeline is imported only when the command runs.
LABELS = {
    "original": "original",
    "up-to-date": "up to date",
    "outdated": "OUTDATED",
    "missing": "missing",
    "fallback": "draft",
}
COLOURS = {
    "original": "\033[2m",
    "up-to-date": "\033[32m",
    "outdated": "\033[33m",
    "missing": "\033[31m",
    "fallback": "\033[31m",
}
RESET = "\033[0m"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source(parser)
    add_format(parser, "a table for people (default), or json")
    add_drafts(parser, "count pages marked draft: true as published")
    add_today(parser, "the date the site is built for (default: today)")
    add_no_git(parser)


def run(args: argparse.Namespace) -> int:
    from ..gitinfo import collect_revisions
    from ..i18n import catalog_coverage
    from ..reading import load_site
    from ..translations import translation_status

    site_dir = find_site(args.source)
    try:
        site, _contents, _localizers, _diags = load_site(
            site_dir, args.today or dt.date.today(), args.drafts
        )
    except ContentError as exc:
        print_diagnostics(exc.diagnostics)
        print(
            "The site has errors; fix them first (sitegen check lists them all).", file=sys.stderr
        )
        return EXIT_CONTENT
    table = translation_status(site, collect_revisions(site_dir, use_git=not args.no_git))
    coverage = catalog_coverage(site_dir, site.config)
    if args.format == "json":
        data = to_json(table)
        data["interface"] = {
            c.lang: {"translated": c.translated, "total": c.total, "catalog": c.has_catalog}
            for c in coverage
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_table(table, sys.stdout)
        print(
            format_coverage(
                coverage, {lang: site.config.fallbacks(lang) for lang in site.config.languages}
            ),
            file=sys.stdout,
        )
    return EXIT_OK


def format_coverage(coverage: list[CatalogCoverage], fallbacks: Mapping[str, list[str]]) -> str:
    """One line per language: strings its catalog translates, and where the rest come from."""
    lines = ["", "Interface strings (locales/<lang>/LC_MESSAGES/messages.po):"]
    for c in coverage:
        # A missing string comes from the language's fallback chain (i18n.load_localizers).
        chain = ", then ".join(fallbacks.get(c.lang, [])) or "English"
        if not c.has_catalog:
            lines.append(
                f"  {c.lang}: no catalog; all {c.total} interface strings come from {chain}"
            )
        elif c.translated == c.total:
            lines.append(f"  {c.lang}: all {c.total} interface strings translated")
        else:
            lines.append(
                f"  {c.lang}: {c.translated} of {c.total} interface strings translated; the rest "
                f"come from {chain}"
            )
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a text takes in a terminal (wide CJK letters count twice, accents zero)."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_table(table: StatusTable, colour: bool = False) -> str:
    """The table as text: one row per page, one column per language, then totals per language."""
    header = ["page", *table.languages]
    rows = [[row.key, *(LABELS[cell.state] for cell in row.cells)] for row in table.rows]
    states = [[cell.state for cell in row.cells] for row in table.rows]
    widths = [max(_width(line[i]) for line in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(text, widths[i]) for i, text in enumerate(header)).rstrip()]
    for row, row_states in zip(rows, states, strict=True):
        cells = [_pad(row[0], widths[0])]
        for i, (text, state) in enumerate(zip(row[1:], row_states, strict=True), start=1):
            padded = _pad(text, widths[i])
            cells.append(f"{COLOURS[state]}{padded}{RESET}" if colour else padded)
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    rule = (
        "Git history and translated_from"
        if table.git
        else "translated_from and updated dates; no Git history"
    )
    lines.append(f"Totals for {len(table.rows)} pages (outdated by {rule}):")
    for lang, counts in table.totals().items():
        parts = [f"{count} {LABELS[state].lower()}" for state, count in counts.items() if count]
        lines.append(f"  {lang}: " + (", ".join(parts) or "no pages"))
    return "\n".join(lines)


def print_table(table: StatusTable, stream: TextIO) -> None:
    print(format_table(table, use_colour(stream)), file=stream)


def to_json(table: StatusTable) -> dict[str, object]:
    return {
        "git": table.git,
        "languages": list(table.languages),
        "pages": [
            {
                "key": row.key,
                "title": row.title,
                "languages": {
                    cell.lang: {
                        "state": cell.state.value,
                        "path": cell.path,
                        "url": cell.url,
                        **(
                            {
                                "source_changed": cell.outdated.source_changed,
                                "translated": cell.outdated.translated,
                                "rule": cell.outdated.rule,
                            }
                            if cell.outdated
                            else {}
                        ),
                    }
                    for cell in row.cells
                },
            }
            for row in table.rows
        ],
        "totals": {
            lang: {state.value: n for state, n in counts.items()}
            for lang, counts in table.totals().items()
        },
    }
