"""`sitegen check`: everything the build checks, plus what an editor should see before publishing.

Added to the build's own errors and warnings (broken links and anchors, images without
alt text, ...): missing, draft and outdated translations, offers that ended or were not
reviewed for 12 months, and pages that no menu or link leads to. Errors fail the check;
warnings fail it only with --strict.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import posixpath
import re
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..cli import (
    EXIT_CONTENT,
    EXIT_OK,
    add_drafts,
    add_format,
    add_no_git,
    add_source,
    add_strict,
    add_today,
    find_site,
    print_diagnostics,
)
from ..errors import ContentError, Diagnostic, warning

if TYPE_CHECKING:  # every command's module is imported to build the argument parser: keep it light
    from ..content import Contents
    from ..model import Site
    from ..readability import PageReading
    from ..translations import Cell, StatusTable

REVIEW_MONTHS = 12
_HREF = re.compile(r'href="([^"]*)"')


@dataclass
class CheckReport:
    diagnostics: list[Diagnostic]
    pages: int = 0
    offers: int = 0
    unchecked: tuple[str, ...] = ()  # what could not be checked because a stage it needs failed
    readability: list[PageReading] = field(default_factory=list)  # one figure per page (issue 12)

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source(parser)
    add_format(parser, "text for people (default), json for CI")
    add_strict(parser, "fail on warnings too")
    add_drafts(parser, "check pages and offers marked draft: true as if they were published")
    add_today(
        parser, "the date that decides which offers are past or due for review (default: today)"
    )
    add_no_git(parser)
    parser.add_argument(
        "--readability",
        action="store_true",
        help="also list how easy each page is to read (in --format json, always)",
    )


def run(args: argparse.Namespace) -> int:
    site_dir = find_site(args.source)
    report = check_site(
        site_dir, args.today or dt.date.today(), drafts=args.drafts, use_git=not args.no_git
    )
    failed = report.errors > 0 or (args.strict and report.warnings > 0)
    if args.format == "json":
        json.dump(to_json(report, failed), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_diagnostics(report.diagnostics, sys.stdout)
        if args.readability:
            print(readability_text(report), file=sys.stdout)
        print(summary(report, args.strict), file=sys.stdout)
    return EXIT_CONTENT if failed else EXIT_OK


def summary(report: CheckReport, strict: bool = False) -> str:
    if not report.diagnostics:
        return (
            f"No problems found ({_count(report.pages, 'page')}, "
            f"{_count(report.offers, 'offer')} checked)."
        )
    files = len({d.path for d in report.diagnostics})
    text = (
        f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')} in "
        f"{_count(files, 'file')}."
    )
    if report.unchecked:
        text += f" Not checked until site.yaml is fixed: {', '.join(report.unchecked)}."
    if report.errors:
        text += " Errors must be fixed before the site can be published."
    elif strict:
        text += " --strict: warnings count as errors."
    return text


def readability_text(report: CheckReport) -> str:
    from ..readability import EASY

    lines = [f"Readability (0-100, higher is easier; {EASY} or more reads easily):"]
    lines += [f"  {r.describe()}" for r in report.readability]
    return "\n".join(lines)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def to_json(report: CheckReport, failed: bool) -> dict[str, object]:
    return {
        "ok": not failed,
        "errors": report.errors,
        "warnings": report.warnings,
        "checked": {"pages": report.pages, "offers": report.offers},
        "unchecked": list(report.unchecked),
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "col": d.col,
                "severity": d.severity.value,
                "message": d.message,
                "hint": d.hint,
                "text": d.format(),
            }
            for d in sorted(report.diagnostics)
        ],
        "readability": [
            {
                "path": r.path,
                "lang": r.lang,
                "score": r.reading.score if r.reading else None,
                "formula": r.reading.formula if r.reading else None,
                "extra": r.reading.extra if r.reading else "",
                "verdict": r.reading.verdict if r.reading else None,
            }
            for r in report.readability
        ],
    }


def check_site(
    site_dir: Path, today: dt.date, *, drafts: bool = False, use_git: bool = True
) -> CheckReport:
    """Run the build's checks (rendering into a throwaway folder) and the editor's checks."""
    from ..build import build
    from ..gitinfo import collect_revisions
    from ..partial import Partial
    from ..readability import hard_easy_versions, page_readings
    from ..reading import load_site
    from ..translations import translation_status

    stand_ins: frozenset[str] = frozenset()
    try:
        site, contents, _localizers, diags = load_site(site_dir, today, drafts)
    except ContentError as exc:
        if not isinstance(exc.partial, Partial):
            return CheckReport(list(exc.diagnostics), unchecked=exc.unchecked)
        # The rest of the site is checked too: one run lists every problem (issue 13).
        site, contents, stand_ins, diags = (
            exc.partial.site,
            exc.partial.contents,
            exc.partial.stand_ins,
            list(exc.diagnostics),
        )
    found = set(diags)
    # Templates are only exercised by rendering; a full build into a temporary folder runs
    # exactly the build's checks, so `check` never passes a site that `build` rejects.
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp:
        try:
            # cache=False: the site's build cache belongs to its real output folder, not to this
            # one.
            result = build(site_dir, Path(tmp) / "out", today=today, drafts=drafts, cache=False)
            found.update(result.warnings)
        except ContentError as exc:
            found.update(exc.diagnostics)
    table = translation_status(site, collect_revisions(site_dir, use_git=use_git))
    found.update(translation_problems(table))
    found.update(offer_problems(site, today))
    # A page with errors stands in with a placeholder title and no menu: whether links lead to it is
    # unknown.
    found.update(d for d in unreachable_pages(site, contents) if d.path not in stand_ins)
    readings = page_readings(site, contents)
    found.update(hard_easy_versions(site, readings))
    return CheckReport(
        sorted(found),
        pages=sum(not p.is_fallback for p in site.pages.values()),
        offers=len(site.offers) + len(site.skipped),
        readability=readings,
    )


def _language(code: str) -> str:
    from babel import Locale

    return Locale("en").languages.get(code.replace("-", "_"), code)


def translation_problems(table: StatusTable) -> list[Diagnostic]:
    """Missing, draft and outdated translations, and translated_from stamps that cannot be read."""
    from ..translations import TranslationState

    diags = [warning(p.path, p.line, p.message, p.hint) for p in table.problems]
    for cell in table.cells(
        TranslationState.MISSING, TranslationState.FALLBACK, TranslationState.OUTDATED
    ):
        diags.append(_translation_warning(cell))
    return diags


def _translation_warning(cell: Cell) -> Diagnostic:
    from ..translations import TranslationState

    lang, source = _language(cell.lang), _language(cell.source_lang)
    if cell.state is TranslationState.MISSING:
        return warning(
            cell.source_path,
            0,
            f"not translated into {lang}: visitors of the {lang} site see the {source} version",
            f"create {cell.path}",
        )
    if cell.state is TranslationState.FALLBACK:
        return warning(
            cell.path,
            0,
            f"this {lang} translation is a draft: visitors of the {lang} site see the "
            f"{source} version",
            "set draft: false when the translation is ready",
        )
    why = cell.outdated
    assert why is not None
    if why.rule == "git":
        message, hint = (
            f"{cell.source_path} changed on {why.source_changed}, after this translation's last "
            f"change on {why.translated}",
            "bring the translation up to date with the original and commit it",
        )
    elif why.rule == "revision":
        message, hint = (
            f"{cell.source_path} changed on {why.source_changed}, after the revision in "
            f"translated_from ({why.translated})",
            "bring the translation up to date, then set translated_from to the original's "
            "new commit",
        )
    elif why.rule == "date":
        message, hint = (
            f"{cell.source_path} changed on {why.source_changed}, after the date in "
            f"translated_from ({why.translated})",
            "bring the translation up to date, then set translated_from to the day you did it",
        )
    else:
        message, hint = (
            f"{cell.source_path} was updated on {why.source_changed}, after this translation "
            f"(updated: {why.translated})",
            "bring the translation up to date and change its 'updated' date",
        )
    return warning(cell.path, why.line, f"this translation is outdated: {message}", hint)


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - REVIEW_MONTHS // 12)
    except ValueError:  # 29 February
        return day.replace(year=day.year - REVIEW_MONTHS // 12, day=28)


def offer_problems(site: Site, today: dt.date) -> list[Diagnostic]:
    """Offers that ended (the build leaves them out) and offers nobody checked for 12 months."""
    diags = []
    for skipped in site.skipped:
        offer = skipped.offer
        if offer.ends and offer.ends < today:
            diags.append(
                warning(
                    offer.path,
                    offer.line,
                    f"offer '{offer.id}' ended on {offer.ends.isoformat()} and is no "
                    "longer published",
                    "remove it, or give it new dates (starts, ends)",
                )
            )
    limit = _year_before(today)
    for offer in site.offers:
        if offer.reviewed is None:
            diags.append(
                warning(
                    offer.path,
                    offer.line,
                    f"offer '{offer.id}' has no 'reviewed' date",
                    f"check it with the provider, then add reviewed: {today.isoformat()}",
                )
            )
        elif offer.reviewed < limit:
            diags.append(
                warning(
                    offer.path,
                    offer.line,
                    f"offer '{offer.id}' was last reviewed on {offer.reviewed.isoformat()}, more "
                    f"than {REVIEW_MONTHS} months ago",
                    f"check it with the provider, then set reviewed: {today.isoformat()}",
                )
            )
    return diags


def _links(markup: str, here: str) -> list[str]:
    """The site URLs (folder form, "fr/cours/") an HTML fragment rendered at `here` links to."""
    out = []
    for raw in _HREF.findall(markup):
        href = html.unescape(raw)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
        if target.endswith("index.html"):
            target = target[: -len("index.html")]
        elif not target.endswith("/"):
            target += "/"
        out.append(target)
    return out


def unreachable_pages(site: Site, contents: Contents) -> list[Diagnostic]:
    """Pages that no path of links leads to from the home page, the menu or an offer."""
    reached_paths: set[str] = set()
    published_paths: dict[str, tuple[str, str]] = {}
    for lang in site.config.languages:
        by_url = {page.url: key for (code, key), page in site.pages.items() if code == lang}
        start: list[str] = [page.key for page in site.menu(lang)]
        if site.home(lang) is not None:
            start.append(site.home(lang).key)  # type: ignore[union-attr]
        for offer in site.offers:
            rendered = contents.descriptions.get((lang, offer.id))
            if rendered is not None:
                start += [
                    by_url[url]
                    for url in _links(rendered.html, site.offer_url(lang, offer.id))
                    if url in by_url
                ]
        seen = set(start)
        todo = deque(start)
        while todo:
            page = site.pages[(lang, todo.popleft())]
            # Breadcrumbs link every page to the sections above it.
            linked = [
                by_url[url]
                for url in _links(contents.pages[(lang, page.key)].html, page.url)
                if url in by_url
            ]
            linked += [p.key for p in site.ancestors(page)]
            easy = site.easy_version(page)
            if easy is not None:
                linked.append(easy.key)  # the page's template links to its easy-to-read version
            for key in linked:
                if key not in seen:
                    seen.add(key)
                    todo.append(key)
        for (code, key), page in site.pages.items():
            if code == lang and not page.is_fallback:
                published_paths[page.source.path] = (key, page.meta.title)
                if key in seen:
                    reached_paths.add(page.source.path)
    return [
        warning(
            path,
            0,
            "no menu or link leads to this page",
            f"link to it from another page, e.g. [{title}]({key}), or add 'menu: main' to its "
            "front matter",
        )
        for path, (key, title) in sorted(published_paths.items())
        if path not in reached_paths
    ]
