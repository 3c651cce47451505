"""Translation status of every page in every language.

original, up to date, outdated, missing, fallback.

Pure: the facts about files and Git history come in as gitinfo.Revisions.

Which version is the original: the default language's, else the first language in
site.yaml order that has the page (the same order the model uses for fallbacks).

When a translation is outdated (the first rule that applies decides; docs/content-format.md):
1. The translation has `translated_from:` in its front matter.
   - a revision (7 to 40 hex digits, Git): outdated when the original changed in a
     later commit than that one;
   - a date: outdated when the original changed after that day; "changed" is the
     original's `updated:` date where it has one (so fixing a typo without touching
     `updated:` outdates nothing), else the day of its last commit.
2. Git history knows both files: outdated when the original's last commit comes after
   the translation's last commit in history (`git log --topo-order`: robust to clock
   skew and to branches merged later; a commit that changes both leaves them in step).
3. Both have `updated:`: outdated when the original's is later.
4. Otherwise nothing tells: the translation counts as up to date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .gitinfo import Commit, Revisions
from .i18n import Localizer
from .model import Page, Site
from .yamlload import key_line

REVISION_RE = re.compile(r"[0-9a-f]{7,40}")
CONTENT_DIR = "content"


class TranslationState(StrEnum):
    ORIGINAL = "original"  # the version the others are translated from
    UP_TO_DATE = "up-to-date"
    OUTDATED = "outdated"
    MISSING = "missing"  # no file in this language: visitors see the original under a notice
    FALLBACK = "fallback"  # a file exists but is not published (draft): visitors see the original


@dataclass(frozen=True)
class Outdated:
    """Why a translation counts as outdated, in facts a message can be made of."""

    rule: str  # "revision", "date", "git" or "updated" (see the module docstring)
    source_changed: str  # the original's change: a date, or "2026-10-02 (abc1234)"
    translated: str  # the translation's side: the stamp, or its last change
    line: int = 0  # the line of the translation that says so (translated_from, updated); 0 for Git


@dataclass(frozen=True)
class Cell:
    key: str
    lang: str
    state: TranslationState
    path: str  # the translation's file (for missing ones: where to create it)
    url: str  # the page visitors of this language get
    source_lang: str
    source_path: str
    outdated: Outdated | None = None


@dataclass(frozen=True)
class StampProblem:
    """A `translated_from` value that cannot be used: reported by `sitegen check`."""

    path: str
    line: int
    message: str
    hint: str


@dataclass(frozen=True)
class Row:
    key: str
    title: str  # the original's title
    cells: tuple[Cell, ...]  # one per site language, in site order


@dataclass(frozen=True)
class StatusTable:
    languages: tuple[str, ...]
    rows: tuple[Row, ...]
    git: bool
    problems: tuple[StampProblem, ...] = ()

    def totals(self) -> dict[str, dict[TranslationState, int]]:
        out = {lang: dict.fromkeys(TranslationState, 0) for lang in self.languages}
        for row in self.rows:
            for cell in row.cells:
                out[cell.lang][cell.state] += 1
        return out

    def cells(self, *states: TranslationState) -> list[Cell]:
        return [
            cell for row in self.rows for cell in row.cells if not states or cell.state in states
        ]


def original_lang(site: Site, key: str) -> str:
    """The language a page is translated from (the one its fallbacks show)."""
    order = [site.config.default_language] + [
        code for code in site.config.languages if code != site.config.default_language
    ]
    for lang in order:
        page = site.page(lang, key)
        if page is not None and not page.is_fallback:
            return lang
    return site.config.default_language


def _short(commit: Commit) -> str:
    return f"{commit.date.isoformat()} ({commit.hash[:7]})"


def _stamp(meta_value: object) -> dt.date | str | None:
    """A `translated_from` value as a date or a lowercase revision; None when absent."""
    if meta_value is None or meta_value == "":
        return None
    if isinstance(meta_value, dt.date):
        return meta_value
    text = str(meta_value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text.lower()


def compare(
    source: Page, translation: Page, revisions: Revisions
) -> tuple[Outdated | None, StampProblem | None]:
    """Whether `translation` is outdated against `source`: the rule of the module docstring."""
    src_path, tr_path = source.source.path, translation.source.path
    src_commit, tr_commit = revisions.last.get(src_path), revisions.last.get(tr_path)
    stamp = _stamp(translation.meta.translated_from)
    if stamp is not None:
        line = key_line(translation.source.meta, "translated_from", 1)
        if isinstance(stamp, dt.date):
            changed = source.meta.updated or (src_commit.date if src_commit else None)
            if changed is not None and changed > stamp:
                return Outdated("date", changed.isoformat(), stamp.isoformat(), line), None
            return None, None
        if not REVISION_RE.fullmatch(stamp):
            return None, StampProblem(
                tr_path,
                line,
                f"translated_from '{stamp}' is neither a date nor a Git revision",
                'write the day you translated, e.g. translated_from: "2026-09-01", or the '
                "original's commit hash",
            )
        if not revisions.git:
            # a revision without a repository: nothing to compare, and nothing wrong with the page
            return (
                None,
                None,
            )
        stamped = revisions.find(stamp)
        if stamped is None:
            return None, StampProblem(
                tr_path,
                line,
                f"translated_from '{stamp}' is not a commit that changed content/",
                "copy the hash from `git log -1 --format=%h -- <original>`; a shallow clone (CI) "
                "may also lack it",
            )
        if src_commit is not None and src_commit.index < stamped.index:
            return Outdated("revision", _short(src_commit), stamp[:7], line), None
        return None, None
    if src_commit is not None and tr_commit is not None:
        if src_commit.index < tr_commit.index:
            return Outdated("git", _short(src_commit), _short(tr_commit)), None
        return None, None
    if (
        source.meta.updated
        and translation.meta.updated
        and source.meta.updated > translation.meta.updated
    ):
        return Outdated(
            "updated",
            source.meta.updated.isoformat(),
            translation.meta.updated.isoformat(),
            key_line(translation.source.meta, "updated", 1),
        ), None
    return None, None


def translation_status(site: Site, revisions: Revisions) -> StatusTable:
    """The state of every page in every language of the site."""
    rows, problems = [], []
    for key in site.keys:
        source_lang = original_lang(site, key)
        source = site.page(source_lang, key)
        if source is None:
            continue
        cells = []
        for lang in site.config.languages:
            page = site.page(lang, key)
            if page is None:
                continue
            path = f"{CONTENT_DIR}/{lang}/{key}"
            outdated = None
            if lang == source_lang:
                state = TranslationState.ORIGINAL
            elif page.is_fallback:
                state = (
                    TranslationState.FALLBACK
                    if path in revisions.files
                    else TranslationState.MISSING
                )
            else:
                outdated, problem = compare(source, page, revisions)
                if problem:
                    problems.append(problem)
                state = TranslationState.OUTDATED if outdated else TranslationState.UP_TO_DATE
            cells.append(
                Cell(key, lang, state, path, page.url, source_lang, source.source.path, outdated)
            )
        rows.append(Row(key, source.meta.title, tuple(cells)))
    return StatusTable(site.config.languages, tuple(rows), revisions.git, tuple(problems))


def status_page(site: Site, localizer: Localizer, revisions: Revisions) -> dict[str, Any]:
    """The context status.html adds to the common one: rows, cells and totals, ready to print.

    Visible words are chosen in the template (gettext); this gives states, names and URLs.
    """
    table = translation_status(site, revisions)
    names = {code: localizer.language_name(code) for code in site.config.languages}
    in_text = {
        code: localizer.language_name(code, capitalize=False) for code in site.config.languages
    }  # "la version en français"
    totals = table.totals()
    return {
        "title": localizer.gettext("Translation status"),
        "status": {
            "git": table.git,
            "languages": [{"code": code, "name": names[code]} for code in table.languages],
            "rows": [
                {
                    "key": row.key,
                    "title": row.title,
                    "url": next(c.url for c in row.cells if c.state is TranslationState.ORIGINAL),
                    "cells": [_cell_context(cell, in_text, localizer) for cell in row.cells],
                }
                # Only the pages that need work: the page stays small on a large site, and the
                # complete table is what `sitegen status` prints.
                for row in table.rows
                if any(
                    cell.state not in (TranslationState.ORIGINAL, TranslationState.UP_TO_DATE)
                    for cell in row.cells
                )
            ],
            "complete": sum(
                all(
                    cell.state in (TranslationState.ORIGINAL, TranslationState.UP_TO_DATE)
                    for cell in row.cells
                )
                for row in table.rows
            ),
            "totals": [
                {
                    "code": code,
                    "name": names[code],
                    **{state.name.lower(): count for state, count in totals[code].items()},
                    "to_do": totals[code][TranslationState.OUTDATED]
                    + totals[code][TranslationState.MISSING]
                    + totals[code][TranslationState.FALLBACK],
                }
                for code in table.languages
            ],
        },
    }


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _local_dates(text: str, localizer: Localizer) -> str:
    """Dates in the reader's format (Babel); commit hashes and other words stay as they are."""

    def local(match: re.Match[str]) -> str:
        try:
            return localizer.date(dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return match[0]

    return _ISO_DATE.sub(local, text)


def _cell_context(cell: Cell, names: Mapping[str, str], localizer: Localizer) -> dict[str, Any]:
    return {
        "lang": cell.lang,
        "state": cell.state.value,
        "url": cell.url,
        "path": cell.path,
        "source_lang": cell.source_lang,
        "source_name": names[cell.source_lang],
        "source_path": cell.source_path,
        "source_changed": _local_dates(cell.outdated.source_changed, localizer)
        if cell.outdated
        else "",
        "translated": _local_dates(cell.outdated.translated, localizer) if cell.outdated else "",
    }
