"""The build cache never serves a stale page: after any edit, an incremental build equals a
cold build byte for byte, and it re-renders only what depends on the edit."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import SITES, TODAY

from sitegen.build import Builder, BuildResult, Change, build
from sitegen.errors import ContentError
from sitegen.serve.session import Session
from sitegen.write import JOURNAL, has_build

ALWAYS = {
    "index.html",
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "_status/index.html",
}  # small files rendered on every build


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".sitegen-build"
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


EDITS: dict[str, Callable[[Path], None]] = {
    "page body": lambda s: edit(
        s / "content/fr/vivre/logement.md", "chaque mois", "chaque mois, en avance"
    ),
    "menu title": lambda s: edit(
        s / "content/de/premiers-pas.md", "title: Erste Schritte", "title: Die ersten Schritte"
    ),
    "new page": lambda s: (s / "content/de/neu.md").write_text(
        "---\ntitle: Neu\n---\nNeue Seite, siehe [Wohnen](vivre/logement.md#loyer).\n"
    ),
    "deleted translation": lambda s: (s / "content/de/premiers-pas.md").unlink(),
    "slug": lambda s: edit(s / "content/fr/vivre/logement.md", "slug: logement", "slug: se-loger"),
    "anchor target": lambda s: edit(
        s / "content/fr/premiers-pas.md", "{#delai}", "{#delai}\n\nUn mot de plus."
    ),
    "offer field": lambda s: edit(
        s / "content/offers/courses.yaml", "price_chf: 120", "price_chf: 150"
    ),
    "offer weekly times": lambda s: edit(
        s / "content/offers/courses.yaml", 'weekly: "Mo 18:30-20:00"', 'weekly: "Mo,We 19:00-21:00"'
    ),
    "offer title": lambda s: edit(
        s / "content/offers/courses.yaml", '"Deutsch A2"', '"Deutsch A2 intensiv"'
    ),
    "home body": lambda s: edit(
        s / "content/fr/index.md", "Commencez par", "Pour bien commencer, lisez"
    ),
    "body link added": lambda s: edit(
        s / "content/de/premiers-pas.md", "\n---\n", "\n---\nSiehe [Start](index.md).\n\n"
    ),
    "front matter comment": lambda s: edit(
        s / "content/fr/premiers-pas.md", "weight: 10", "# ordre du menu\nweight: 10"
    ),
    "new heading": lambda s: edit(
        s / "content/fr/premiers-pas.md", "Voir aussi", "## Et ensuite\n\nVoir aussi"
    ),
    "whitespace only": lambda s: edit(
        s / "content/fr/premiers-pas.md", "Annoncez-vous", "\n\nAnnoncez-vous"
    ),
    "site.yaml": lambda s: edit(
        s / "site.yaml", "Contacts inventés.", "Tous les contacts sont inventés."
    ),
    "template": lambda s: (
        (s / "templates").mkdir()
        or (s / "templates/page.html").write_text(
            '{% extends "base.html" %}{% block content %}<h1>{{ title }}</h1>{{ body }}{% '
            "endblock %}\n"
        )
    ),
    "catalog": lambda s: (
        (s / "locales/de/LC_MESSAGES").mkdir(parents=True)
        or (s / "locales/de/LC_MESSAGES/messages.po").write_text(
            'msgid ""\n'
            'msgstr ""\n'
            '"Content-Type: text/plain; charset=UTF-8\\n'
            '"\n'
            "\n"
            'msgid "Skip to content"\n'
            'msgstr "Zum Inhalt springen!"\n'
        )
    ),
    # The full page and its other languages' copies link to (or switch to) the new easy version.
    "new easy version": lambda s: (s / "content/fr/premiers-pas.easy.md").write_text(
        "---\ntitle: Premiers pas (facile)\n---\nAllez à la commune.\n"
    ),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(
        SITES / "mini", target, ignore=shutil.ignore_patterns(".sitegen-cache", "build")
    )
    return target


def calls(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, what: Callable[..., str]
) -> list[str]:
    """What `what` says of each call of `owner.name` from now on; the calls go through."""
    seen: list[str] = []
    real = getattr(owner, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(what(*args, **kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return seen


def saved(site: Path, before: dict[str, str]) -> list[str]:
    """What a watcher reports: the site files added, changed or removed since `before`."""
    after = digest(site)
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


# cli: a new process starts from the cache folder; serve: one Builder in memory, told nothing;
# watched: one Builder told which files were saved, as serve's watcher does.
@pytest.mark.parametrize("mode", ["cli", "serve", "watched"])
@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_equals_cold(site: Path, tmp_path: Path, name: str, mode: str) -> None:
    out = tmp_path / "out"
    session = Session(site, out, today=TODAY)  # as serve makes it
    if mode == "cli":
        Builder(site, out).build(today=TODAY)
    else:
        session.run(saved=[])
    before, sources = digest(out), digest(site)
    EDITS[name](site)
    # The CLI starts from the state saved on disk; serve keeps its Builder in memory and
    # writes the search index after the pages.
    if mode != "cli":
        result = session.run(saved=saved(site, sources) if mode == "watched" else None)
        changed = set(result.changed) | set(session.builder.finish_pending())
    else:
        folder = out.stat().st_ino
        result = Builder(site, out).build(today=TODAY)
        changed = set(result.changed)
        # Updated in place through the journal, not a new folder swapped in.
        assert out.stat().st_ino == folder and has_build(out) and not (out / JOURNAL).exists()
    cold = tmp_path / "cold"
    build(site, cold, today=TODAY, cache=False)
    after = digest(out)
    assert after == digest(cold), "an incremental build must equal a cold build"
    differing = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert differing <= changed, "every file whose bytes changed was rewritten or removed"


def watched_build(session: Session, site: Path, change: Callable[[], None]) -> BuildResult:
    before = digest(site)
    change()
    return session.run(saved=saved(site, before))


def test_a_saved_body_rewrites_only_the_files_that_show_it(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = Session(site, out, today=TODAY)
    session.run(first=True)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = watched_build(session, site, lambda: EDITS["page body"](site))
    # The French page and its German fallback copy; the search indexes follow.
    shown = ["de/vivre-en-valais/logement/index.html", "fr/vivre-en-valais/logement/index.html"]
    assert result.changed == shown and result.rendered == 2
    touched = {
        p.relative_to(out).as_posix()
        for p, stamp in stamps.items()
        if p.stat().st_mtime_ns != stamp
    }
    assert touched == set(shown)
    assert "en avance" in (out / shown[1]).read_text()
    index = set(session.builder.finish_pending())
    assert index and all(p.startswith(("assets/search/fr/", "assets/search/de/")) for p in index)
    cold = tmp_path / "cold"
    build(site, cold, today=TODAY, cache=False)
    assert digest(out) == digest(cold)


def test_saves_between_index_updates_all_reach_the_index(site: Path, tmp_path: Path) -> None:
    """Two quick saves in two languages: the second build must not forget the first one's index."""
    out = tmp_path / "out"
    session = Session(site, out, today=TODAY)
    session.run(first=True)
    watched_build(session, site, lambda: EDITS["page body"](site))
    watched_build(session, site, lambda: EDITS["body link added"](site))
    session.builder.finish_pending()
    cold = tmp_path / "cold"
    build(site, cold, today=TODAY, cache=False)
    assert digest(out) == digest(cold)


def test_a_broken_save_then_its_fix(site: Path, tmp_path: Path) -> None:
    """The error is reported like a full build would; saving the fix builds the right site,
    including what the broken save and another save in between changed."""
    out = tmp_path / "out"
    session = Session(site, out, today=TODAY)
    session.run(first=True)
    page = site / "content/fr/premiers-pas.md"
    with pytest.raises(ContentError) as caught:
        watched_build(
            session,
            site,
            lambda: edit(page, "Voir aussi", "Voir [ailleurs](nulle-part.md) et aussi"),
        )
    assert [(d.path, d.line) for d in caught.value.diagnostics] == [
        ("content/fr/premiers-pas.md", 17)
    ]
    with pytest.raises(ContentError):  # still broken
        watched_build(
            session,
            site,
            lambda: edit(site / "content/de/premiers-pas.md", "\n---\n", "\n---\nNeu.\n\n"),
        )
    watched_build(session, site, lambda: edit(page, "[ailleurs](nulle-part.md)", "ailleurs"))
    session.builder.finish_pending()
    cold = tmp_path / "cold"
    build(site, cold, today=TODAY, cache=False)
    assert digest(out) == digest(cold)


def test_one_page_edit_renders_only_its_dependents(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    builder = Builder(site, out)
    builder.build(today=TODAY, change=Change(watched=True))
    EDITS["page body"](site)
    result = builder.build(today=TODAY, change=Change(watched=True))
    # The page exists in both language trees (German shows the French text as a fallback),
    # and both languages' search indexes hold its text.
    pages = {p for p in result.changed if not p.startswith("assets/search/")} - ALWAYS
    assert pages == {
        "fr/vivre-en-valais/logement/index.html",
        "de/vivre-en-valais/logement/index.html",
    }


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
    assert not (out / "fr/offres/sion-francais-a1/index.html").exists(), (
        "the course ended on 2027-06-30"
    )


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


def test_cache_files_round_trip_and_a_damaged_one_is_ignored(site: Path, tmp_path: Path) -> None:
    """Cache files are streamed in and out (a large site's state is hundreds of MB); one cut
    short, or changed by a byte, reads as no cache at all, and the build is still right."""
    from sitegen import cache

    value = {"pages": ["a" * 100_000, "b"], "n": list(range(50_000))}
    cache._write(tmp_path / "value.pickle", value)
    assert cache._read(tmp_path / "value.pickle") == value
    data = (tmp_path / "value.pickle").read_bytes()
    (tmp_path / "short.pickle").write_bytes(data[: len(data) // 2])
    (tmp_path / "flipped.pickle").write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    assert (
        cache._read(tmp_path / "short.pickle") is None
        and cache._read(tmp_path / "flipped.pickle") is None
    )

    out = tmp_path / "out"
    build(site, out, today=TODAY)
    state = site / cache.CACHE_DIR / cache.STATE_FILE
    state.write_bytes(state.read_bytes()[:1000])
    EDITS["page body"](site)
    build(site, out, today=TODAY)
    build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert digest(out) == digest(tmp_path / "cold")


def test_output_files_deleted_by_hand_are_written_again(site: Path, tmp_path: Path) -> None:
    """Someone tidied build/ by hand: the next build (cache says nothing changed in the
    sources) brings back every file, search index included, instead of failing."""
    out = tmp_path / "out"
    build(site, out, today=TODAY)
    index = sorted((out / "assets/search").rglob("*.js"))
    assert len(index) > 2
    index[len(index) // 2].unlink()
    (out / "fr" / "index.html").unlink()
    EDITS["front matter comment"](site)  # a new build, in which every output could be kept
    build(site, out, today=TODAY)
    build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert digest(out) == digest(tmp_path / "cold")


def test_an_offer_edit_re_renders_only_the_lists_that_show_it(site: Path, tmp_path: Path) -> None:
    """A list page depends on the cards it shows, not on every offer (issue 16): a field the
    cards do not show re-renders no list; a card's field only the lists that show that card."""
    out = tmp_path / "out"
    builder = Builder(site, out)
    builder.build(today=TODAY)
    assert builder.last is not None
    lists = {
        job.path: job
        for job in builder.last.made.renderer.jobs()
        if job.deps and job.deps[0] == "listing"
    }
    region_lists = {path for path in lists if "valais-central" in path or "mittelwallis" in path}
    assert region_lists and len(lists) > len(region_lists)

    edit(
        site / "content/offers/courses.yaml",
        'provider: "Association Exemple"',
        'provider: "Association Exemple Sàrl"',
    )
    result = Builder(site, out).build(today=TODAY)
    assert not set(result.changed) & set(lists), "no list shows the provider"
    assert any("sion-francais-a1" in path for path in result.changed)

    edit(
        site / "content/offers/courses.yaml", 'title: "Deutsch A2"', 'title: "Deutsch A2 intensiv"'
    )
    result = Builder(site, out).build(today=TODAY)
    rendered = set(result.changed) & set(lists)
    assert rendered and not rendered & region_lists, (
        "the lists of the other region do not show the offer"
    )
    cold = tmp_path / "cold"
    build(site, cold, today=TODAY, cache=False)
    assert digest(out) == digest(cold)


def test_a_rebuild_reads_an_edit_that_kept_the_files_time_and_size(
    site: Path, tmp_path: Path
) -> None:
    """The CLI takes the last parse of a file only when its bytes are the same (the no-change
    digest compares them), never from its modification time and size."""
    import os

    out = tmp_path / "out"
    build(site, out, today=TODAY)
    page = site / "content/fr/vivre/logement.md"
    info = page.stat()
    edit(page, "chaque mois", "chaque MOIS")
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert page.stat().st_size == info.st_size
    build(site, out, today=TODAY)
    assert "chaque MOIS" in (out / "fr/vivre-en-valais/logement/index.html").read_text()


def test_a_rebuild_reads_only_the_files_whose_bytes_changed(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitegen import sources

    out = tmp_path / "out"
    build(site, out, today=TODAY)
    read = calls(monkeypatch, sources, "read_text", lambda site_dir, path, rel, *a: rel)
    EDITS["page body"](site)
    build(site, out, today=TODAY)
    assert read == ["content/fr/vivre/logement.md"]


def shard_files(site: Path) -> set[str]:
    return {p.name for p in (site / ".sitegen-cache").glob("state-*.pickle")}


def test_a_one_page_edit_rewrites_only_its_shard_of_the_state(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state of a large site is tens of MB: a command-line edit rewrites the shard that
    holds the edited page, and the next run, reading every shard back, still knows the
    other pages' validations (a validation refers to its parsed page by identity, kept only
    within one shard)."""
    from sitegen import cache, validate

    out = tmp_path / "out"
    build(site, out, today=TODAY)
    before = shard_files(site)
    assert len(before) == cache.SHARDS
    checked = calls(monkeypatch, validate, "validate_page", lambda source, config: source.path)
    EDITS["page body"](site)
    build(site, out, today=TODAY)
    assert checked == ["content/fr/vivre/logement.md"]
    assert len(shard_files(site) - before) == 1, "one shard holds the page's every entry"
    assert len(shard_files(site)) == cache.SHARDS, "the replaced shard's file is removed"


def test_a_lost_shard_of_the_state_means_building_from_scratch(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, today=TODAY)
    sorted((site / ".sitegen-cache").glob("state-*.pickle"))[3].unlink()
    EDITS["page body"](site)
    result = build(site, out, today=TODAY)
    cold = build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert result.rendered == cold.rendered, "a state without all its shards is not trusted"
    assert digest(out) == digest(tmp_path / "cold")


def count_analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs of the documents the search index analyses (splits into words) from now on."""
    from sitegen.search import postings

    return calls(monkeypatch, postings, "_tokens", lambda doc, words: doc.url)


def test_the_command_line_re_analyses_only_the_edited_documents(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each language's analysis is kept in the cache (as serve keeps it in memory): an edit
    re-analyses its page, as it was and as it is, and the index is a cold build's."""
    out = tmp_path / "out"
    build(site, out, today=TODAY)
    analysed = count_analysed(monkeypatch)
    EDITS["page body"](site)
    build(site, out, today=TODAY)
    # The German tree shows the French page as its fallback: both indexes hold its text.
    assert sorted(analysed) == sorted(
        2 * ["de/vivre-en-valais/logement/index.html", "fr/vivre-en-valais/logement/index.html"]
    ), "each analysed twice: as it was, as it is"
    build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert digest(out) == digest(tmp_path / "cold")


def test_a_stale_or_foreign_search_analysis_still_gives_a_cold_builds_index(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept analysis is complete in itself (its documents with their postings), so one from
    an older run only costs time; one from another version of sitegen is not used."""
    from sitegen import cache

    out = tmp_path / "out"
    build(site, out, today=TODAY)
    kept = site / ".sitegen-cache" / "search-fr.pickle"
    old = kept.read_bytes()
    EDITS["page body"](site)
    build(site, out, today=TODAY)
    kept.write_bytes(old)  # the analysis from before that edit
    EDITS["new heading"](site)
    build(site, out, today=TODAY)
    build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert digest(out) == digest(tmp_path / "cold")

    monkeypatch.setattr(cache, "code_digest", lambda: "another version")
    assert cache.load_search_tree(site, "fr") is None
    analysed = count_analysed(monkeypatch)
    EDITS["anchor target"](site)
    build(site, out, today=TODAY)
    assert len(set(analysed)) > 2, "another version's analysis is not used: all analysed afresh"


@pytest.mark.parametrize("stop", ["killed", "stopped"])
@pytest.mark.parametrize("edit", ["page body", "offer title"])
def test_an_edit_made_under_serve_and_reverted_after_it_stopped(
    site: Path, tmp_path: Path, edit: str, stop: str
) -> None:
    """Serve writes in place and keeps its state in memory: the state saved before it no
    longer describes the output, and must not let the next `sitegen build` call serve's
    output unchanged once the edit is undone. Killed, serve leaves no state (the next build
    starts from scratch); stopped, it saves the state it kept."""
    out = tmp_path / "out"
    build(site, out, today=TODAY)
    texts = {p: p.read_bytes() for p in site.rglob("*") if p.is_file() and "cache" not in str(p)}
    session = Session(site, out, today=TODAY)
    session.run(first=True)  # answered from the cache: nothing read, nothing written
    watched_build(session, site, lambda: EDITS[edit](site))
    session.builder.finish_pending()
    if stop == "stopped":
        assert session.close()
    for path, data in texts.items():  # serve stopped; the edit is undone (git checkout)
        path.write_bytes(data)
    build(site, out, today=TODAY)
    build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert digest(out) == digest(tmp_path / "cold"), "serve's output was taken for the site's"


def offer_pages(out: Path) -> set[str]:
    """The offers' own pages, in French and German (not the lists by region or kind)."""
    return {
        p.relative_to(out).as_posix()
        for folder in ("fr/offres", "de/angebote")
        for p in out.glob(f"{folder}/*/index.html")
        if p.parent.name not in ("region", "type", "art")
    }


@pytest.mark.parametrize("mode", ["cli", "watched"])
def test_a_template_edit_renders_only_the_outputs_that_load_it(
    site: Path, tmp_path: Path, mode: str
) -> None:
    """An output's fingerprint holds the templates its rendering loaded (its own and those it
    extends, includes or imports), not all of them: a site's new offer.html renders the offer
    pages again, and nothing else; a template that no output loads renders nothing."""
    out = tmp_path / "out"
    session = Session(site, out, today=TODAY)
    session.run(first=True)

    def rebuild(name: str, text: str) -> BuildResult:
        before = digest(site)
        (site / "templates").mkdir(exist_ok=True)
        (site / "templates" / name).write_text(text)
        if mode == "cli":
            return build(site, out, today=TODAY)
        return session.run(saved=saved(site, before))

    always = rebuild("unused.html", "<p>no page loads me</p>\n").rendered
    # No offer of this site has opening hours: no page includes hours.html.
    assert rebuild("hours.html", "<p>hours</p>\n").rendered == always
    offers = offer_pages(out)
    assert len(offers) >= 4
    result = rebuild(
        "offer.html",
        '{% extends "theme/offer.html" %}\n'
        '{% block head %}{{ super() }}<meta name="x-offer" content="1">{% endblock %}\n',
    )
    assert result.rendered == always + len(offers)
    # The offline lists give each page's size: they follow (rendered on every build).
    changed = {p for p in result.changed if not p.startswith("offline/")} - ALWAYS
    assert changed == offers, "the offer pages, and no list, no search index"
    assert all('name="x-offer"' in (out / page).read_text() for page in offers)
    if mode == "watched":
        session.builder.finish_pending()
    build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert digest(out) == digest(tmp_path / "cold")


def test_a_state_saved_by_other_code_is_not_used(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade of sitegen the saved state may have another shape, and its Markdown
    renderings and validations were made by the old code: the next build starts afresh
    (never a traceback, never an old rendering)."""
    from sitegen import cache

    out = tmp_path / "out"
    build(site, out, today=TODAY)
    monkeypatch.setattr(cache, "code_digest", lambda: "the next version")
    assert cache.load_state(site, Builder(site, out).key).fingerprints == {}
    EDITS["page body"](site)
    result = build(site, out, today=TODAY)
    cold = build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert result.rendered == cold.rendered
    assert digest(out) == digest(tmp_path / "cold")


def test_serve_stopped_leaves_its_state_for_the_next_build(site: Path, tmp_path: Path) -> None:
    """After an editing session under serve, `sitegen build` starts from serve's state: it
    renders what changed since, not the whole site, and gives a cold build's bytes."""
    out = tmp_path / "out"
    session = Session(site, out, today=TODAY)
    session.run(first=True)
    watched_build(session, site, lambda: EDITS["page body"](site))
    watched_build(session, site, lambda: EDITS["offer title"](site))
    session.builder.finish_pending()
    assert session.close()
    assert not session.close(), "saved once: the state on disk describes the output"
    EDITS["new heading"](site)
    result = build(site, out, today=TODAY)
    cold = build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert 0 < result.rendered < cold.rendered / 2
    assert digest(out) == digest(tmp_path / "cold")


def test_serve_with_an_index_still_owed_saves_no_state(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = Session(site, out, today=TODAY)
    session.run(first=True)
    watched_build(session, site, lambda: EDITS["page body"](site))
    assert session.builder.pending
    assert not session.close()
    build(site, out, today=TODAY)
    build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert digest(out) == digest(tmp_path / "cold")


def test_the_index_of_a_language_the_edit_did_not_touch_is_not_even_made(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a language's index changed is told from what its documents are made of (front
    matter, the digests of the converted bodies, the offers), without making them."""
    from sitegen.search import documents

    out = tmp_path / "out"
    build(site, out, today=TODAY)
    made = calls(monkeypatch, documents, "search_docs", lambda site_, contents, loc, *a: loc.lang)
    EDITS["menu title"](site)  # a German page
    build(site, out, today=TODAY)
    assert made == ["de"]
    build(site, tmp_path / "cold", today=TODAY, cache=False)
    assert digest(out) == digest(tmp_path / "cold")
