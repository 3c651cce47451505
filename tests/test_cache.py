"""The build cache never serves a stale page: after any edit, an incremental build equals a
cold build byte for byte, and it re-renders only what depends on the edit."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import SITES, TODAY

from sitegen.build import Builder, build

ALWAYS = {"index.html", "404.html", "sitemap.xml", "robots.txt", "_status/index.html"}  # small files rendered on every build


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".sitegen-build"}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


EDITS: dict[str, Callable[[Path], None]] = {
    "page body": lambda s: edit(s / "content/fr/vivre/logement.md", "chaque mois", "chaque mois, en avance"),
    "menu title": lambda s: edit(s / "content/de/premiers-pas.md", "title: Erste Schritte", "title: Die ersten Schritte"),
    "new page": lambda s: (s / "content/de/neu.md").write_text("---\ntitle: Neu\n---\nNeue Seite, siehe [Wohnen](vivre/logement.md#loyer).\n"),
    "deleted translation": lambda s: (s / "content/de/premiers-pas.md").unlink(),
    "slug": lambda s: edit(s / "content/fr/vivre/logement.md", "slug: logement", "slug: se-loger"),
    "anchor target": lambda s: edit(s / "content/fr/premiers-pas.md", "{#delai}", "{#delai}\n\nUn mot de plus."),
    "offer field": lambda s: edit(s / "content/offers/courses.yaml", "price_chf: 120", "price_chf: 150"),
    "offer title": lambda s: edit(s / "content/offers/courses.yaml", '"Deutsch A2"', '"Deutsch A2 intensiv"'),
    "site.yaml": lambda s: edit(s / "site.yaml", "Contacts inventés.", "Tous les contacts sont inventés."),
    "template": lambda s: (s / "templates").mkdir() or (s / "templates/page.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ title }}</h1>{{ body }}{% endblock %}\n'),
    "catalog": lambda s: (s / "locales/de/LC_MESSAGES").mkdir(parents=True) or (s / "locales/de/LC_MESSAGES/messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Skip to content"\nmsgstr "Zum Inhalt springen!"\n'),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITES / "mini", target, ignore=shutil.ignore_patterns(".sitegen-cache", "build"))
    return target


@pytest.mark.parametrize("in_place", [False, True], ids=["cli", "serve"])
@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_equals_cold(site: Path, tmp_path: Path, name: str, in_place: bool) -> None:
    out = tmp_path / "out"
    builder = Builder(site, out)
    builder.build(today=TODAY, in_place=in_place)
    before = digest(out)
    EDITS[name](site)
    # The CLI starts from the state saved on disk; serve keeps its Builder in memory and
    # writes the search index after the pages.
    if in_place:
        result = builder.build(today=TODAY, in_place=True, defer_search=True)
        changed = set(result.changed) | set(builder.finish_pending())
    else:
        result = Builder(site, out).build(today=TODAY)
        changed = set(result.changed)
    cold = tmp_path / "cold"
    build(site, cold, today=TODAY, cache=False)
    after = digest(out)
    assert after == digest(cold), "an incremental build must equal a cold build"
    differing = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert differing <= changed, "every file whose bytes changed was rewritten or removed"


def test_one_page_edit_renders_only_its_dependents(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    builder = Builder(site, out)
    builder.build(today=TODAY, in_place=True)
    EDITS["page body"](site)
    result = builder.build(today=TODAY, in_place=True)
    # The page exists in both language trees (German shows the French text as a fallback),
    # and both languages' search indexes hold its text.
    pages = {p for p in result.changed if not p.startswith("assets/search/")} - ALWAYS
    assert pages == {"fr/vivre-en-valais/logement/index.html", "de/vivre-en-valais/logement/index.html"}


def test_no_change_rebuild_does_nothing(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, today=TODAY)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = build(site, out, today=TODAY)
    assert result.unchanged and result.changed == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_a_new_day_can_unpublish_an_offer(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, today=TODAY)
    assert (out / "fr/offres/sion-francais-a1/index.html").exists()
    result = build(site, out, today=dt.date(2027, 7, 1))
    assert not result.unchanged
    assert not (out / "fr/offres/sion-francais-a1/index.html").exists(), "the course ended on 2027-06-30"


def test_corrupt_cache_is_ignored(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, today=TODAY)
    for file in (site / ".sitegen-cache").iterdir():
        file.write_bytes(b"not a pickle")
    EDITS["page body"](site)
    build(site, out, today=TODAY)
    cold = tmp_path / "cold"
    build(site, cold, today=TODAY, cache=False)
    assert digest(out) == digest(cold)


def test_a_cache_file_from_elsewhere_is_never_unpickled(site: Path, tmp_path: Path) -> None:
    """Unpickling runs code: a cache folder committed into the site by someone else is ignored."""
    import pickle

    out = tmp_path / "out"
    build(site, out, today=TODAY)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[object, ...]:
            return (marker.write_text, ("ran",))

    for file in (site / ".sitegen-cache").glob("*.pickle"):
        file.write_bytes(b"\0" * 32 + pickle.dumps(Exploit()))
    EDITS["page body"](site)
    build(site, out, today=TODAY)
    assert not marker.exists()
