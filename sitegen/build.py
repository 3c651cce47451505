"""The pipeline, step by step: load -> validate -> model -> content -> render -> write.

`Builder` keeps what one build learned (cache.State) so that the next build redoes only
what changed: `serve` keeps one Builder for its whole session, `sitegen build` reloads
the state from the cache folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import assets, cache
from .errors import ContentError, Diagnostic, Severity
from .partial import NEEDS_CONFIG, Partial, stand_in
from .write import MARKER, DuplicateOutputError, Writer, check_output_folder, write_file

if TYPE_CHECKING:
    from . import content, i18n, model
    from .render import Job, SiteRenderer
    from .search import SearchMemo
    from .validate import PageMeta

# The pipeline's modules (Jinja, Babel, YAML, Markdown) are imported when a build really
# runs: a build with nothing to do answers in a fraction of a second.

STATIC_DIR = Path(__file__).parent / "static"
ASSETS = "assets"
DEV_ONLY = {"livereload-overlay.js"}  # served by `sitegen serve` only, never published
ROOT_ONLY = {"sw.js"}  # published at the site's root by its own job (a service worker's scope is its folder)
PARALLEL_MIN = 2000  # below this many files to render, forking costs memory and saves no time (measured at ~1,400)
LOAD_FORK_MIN = 1000  # files to read and parse: about 0.3 s of YAML, against ~0.05 s to fork and pickle the results back
MARKDOWN_FORK_MIN = 1000  # pages to convert: about a second of Markdown, against ~0.1 s to fork and pickle the results back
SEARCH_FORK_MIN = 1000  # pages of the site: each language's index then takes ~0.7 s, against ~0.05 s to fork


@dataclass
class LanguageStats:
    pages: int = 0
    fallbacks: int = 0
    offers: int = 0


@dataclass
class BuildResult:
    out_dir: Path
    files: int  # in the output
    rendered: int  # files rendered by this build (the others were reused)
    seconds: float
    languages: dict[str, LanguageStats]
    warnings: list[Diagnostic]
    skipped: list[tuple[str, str, int, str]] = field(default_factory=list)  # offers not published: (id, file, line, reason)
    changed: list[str] = field(default_factory=list)  # output paths written or removed
    unchanged: bool = False  # nothing to do: no input changed since the last build


Progress = Callable[[str], None]
R = TypeVar("R")


def _raise_if_errors(diags: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diags):
        raise ContentError(sorted(set(diags)))


@dataclass
class LoadMemo:
    """What loading learned: parsed files and their validation, reused while unchanged."""

    sources: dict[str, Any] = field(default_factory=dict)  # sources.SourceMemo
    validated: dict[str, tuple[Any, Any, list[Diagnostic]]] = field(default_factory=dict)  # rel -> (source object, record, problems)
    basis: Any = None  # (config, today): validation is redone when either changes


@dataclass
class _Built:
    """The last good build's model, kept in memory by a long-lived Builder (serve): a save
    that changed only page bodies is rebuilt from it without reading the whole site."""

    today: dt.date
    site: model.Site
    contents: content.Contents
    renderer: SiteRenderer
    synonyms: dict[str, list[list[str]]]
    global_part: str
    result: BuildResult
    by_source: dict[str, list[model.Page]] = field(default_factory=dict)  # page file -> the pages it is shown as


def load_site(site_dir: Path, today: dt.date, drafts: bool = False, markdown_cache: content.MarkdownCache | None = None,
              memo: LoadMemo | None = None, trust_stat: bool = False) -> tuple[model.Site, content.Contents, dict[str, i18n.Localizer], list[Diagnostic]]:
    """Everything before rendering: read, check and link the whole site; raise ContentError on errors.

    Every stage runs even when an earlier one found errors (issue 13): invalid offers are
    left out, pages with errors stand in with a placeholder title, and the ContentError
    carries what was made of the rest (`partial`) for the stages after this one.
    `memo` and `markdown_cache`, kept by the caller, let a rebuild redo only what changed.
    """
    from . import content, i18n, model, sources, validate
    from .config import load_config

    config, diags = load_config(site_dir)
    if config is None:
        raise ContentError(diags, unchecked=NEEDS_CONFIG)
    localizers, problems = i18n.load_localizers(site_dir, config)
    diags += problems
    loaded, problems = sources.load_sources(site_dir, config, memo.sources if memo else None, trust_stat,
                                            mapper=partial(fork_map, minimum=LOAD_FORK_MIN))
    diags += problems
    if memo is not None and memo.basis != (config, today):
        memo.validated.clear()
        memo.basis = (config, today)
    checked = memo.validated if memo is not None else {}

    def valid(source: Any, rel: str, check: Any) -> tuple[Any, list[Diagnostic]]:
        entry = checked.get(rel)
        if entry is None or entry[0] is not source:
            record, problems = check(source)
            entry = checked[rel] = (source, record, problems)
        return entry[1], entry[2]

    pages = []
    stand_ins: set[str] = set()
    unread: set[str] = set()  # stand-ins without a body: nothing is known of their anchors
    for page_source in loaded.pages:
        meta, problems = valid(page_source, page_source.path, lambda source: validate.validate_page(source, config))
        diags += problems
        if meta is not None:
            pages.append((page_source, meta))
        else:
            pages.append(stand_in(page_source, page_source.path, page_source.lang, page_source.key))
            stand_ins.add(page_source.path)
    for path, lang, key in loaded.broken:
        pages.append(stand_in(None, path, lang, key))
        stand_ins.add(path)
        unread.add(path)
    offers = []
    for offer_source in loaded.offers:
        offer, problems = valid(offer_source, f"{offer_source.path}:{offer_source.line}", lambda source: validate.validate_offer(source, config, today))
        diags += problems
        if offer is not None:
            offers.append(offer)
    diags += validate.duplicate_offer_ids(offers)

    # Refused files come with an error (the build fails): links to them resolve meanwhile.
    site, problems = model.build_site(config, pages, offers, loaded.assets + loaded.refused, {lang: config.words(lang) for lang in config.languages},
                                      lambda lang, term: localizers[lang].term(term), today, drafts)
    # A stand-in's address comes from its file name, not from its (invalid) slug: a clash
    # it is part of may not exist once the page is fixed.
    diags += [d for d in problems if not stand_ins or (d.path not in stand_ins and not any(p in d.message for p in stand_ins))]
    contents, problems = content.render_contents(site, cache=markdown_cache, mapper=partial(fork_map, minimum=MARKDOWN_FORK_MIN))
    # An anchor on a page whose text could not be read is unknown, not missing.
    diags += [d for d in problems if not any(f"does not exist in {p}" in d.message for p in unread)]
    if any(d.severity is Severity.ERROR for d in diags):
        raise ContentError(sorted(set(diags)), partial=Partial(site, contents, localizers, frozenset(stand_ins)))
    return site, contents, localizers, diags


class Builder:
    def __init__(self, site_dir: Path, out_dir: Path, *, drafts: bool = False, use_cache: bool = True, long_lived: bool = False):
        """`long_lived` (serve): this Builder will build the site again and again; it then keeps
        what makes the search index quick to update, at about three times the index's size."""
        self.site_dir, self.out_dir, self.drafts, self.use_cache = site_dir, out_dir, drafts, use_cache
        self.search_memo: SearchMemo | None = None
        if long_lived:
            from .search import SearchMemo

            self.search_memo = SearchMemo()
        self.key = f"{drafts}|{out_dir.absolute()}"
        self.state: cache.State | None = None
        self._envs: tuple[str, dict[str, Any]] | None = None  # (global digest, Jinja environment per language)
        self._owed: set[str] = set()  # languages whose search index a deferred build left to finish_pending()
        self._deps: tuple[str, dict[str, Any]] = ("", {})  # (global digest, each output's dependencies) of the last build
        self._last: _Built | None = None
        self._dirty: set[str] = set()  # site files saved since the last good build, as the watcher reported them

    @property
    def pending(self) -> bool:
        """Whether finish_pending() has work left (a search index a deferred build left behind)."""
        return bool(self._owed) and self._last is not None and self.state is not None

    def finish_pending(self, languages: int | None = None) -> list[str]:
        """Write what the builds deferred (the search index), for at most `languages` languages
        (serve takes them one at a time, so that a save never waits for all of them); returns
        the files written or removed."""
        last, owed = self._last, sorted(self._owed)[:languages]
        if last is None or self.state is None or not owed:
            return []  # after a failed build, the next good one checks every index again
        self._owed -= set(owed)
        return _search_updater(last.site, last.contents, last.renderer, last.synonyms, last.global_part, self.state, self.out_dir, owed,
                               self.search_memo)()

    def warm_up(self, today: dt.date | None = None) -> BuildResult | None:
        """Read the whole site into memory if the last build did not (it found nothing changed
        from the cache's digest alone, as when `serve` restarts on an unchanged site), so that
        the next save takes the quick path. In place; it writes only what changed since that
        build, usually nothing, and leaves the search index to finish_pending(), which then also
        fills the search memo. None when there was nothing to read."""
        if self._last is not None:
            return None
        return self.build(today=today, in_place=True, defer_search=True, changed=[])

    def build(self, *, today: dt.date | None = None, in_place: bool = False, progress: Progress | None = None,
              defer_search: bool = False, changed: Sequence[str] | None = None) -> BuildResult:
        """Build the site; on any error raise ContentError and leave the output untouched.

        With `defer_search` (serve, in place) a search index that must change keeps its old
        files until `finish_pending()` writes the new ones: the edited page is shown first.
        `changed` (serve's watcher) names the site files saved since the previous call; when
        they are only page bodies, the build starts from the last good one in memory.
        """
        # A build allocates hundreds of thousands of objects that live until its end: the
        # collector's full passes walk them all again and again (7 % of a large build,
        # measured), for cycles that a build does not make.
        with _collector_paused():
            return self._build(today=today, in_place=in_place, progress=progress, defer_search=defer_search, changed=changed)

    def _build(self, *, today: dt.date | None, in_place: bool, progress: Progress | None, defer_search: bool,
               changed: Sequence[str] | None) -> BuildResult:
        started = time.perf_counter()
        today = today or dt.date.today()
        check_output_folder(self.out_dir, self.site_dir)
        if changed is None:
            self._last = None  # nobody says what changed: read everything
        else:
            self._dirty.update(changed)
            if in_place and self._last is not None:
                quick = self._edit_pages(today, started, defer_search)
                if quick is not None:
                    return quick
        self._last = None  # until this build succeeds
        # Nothing changed since the last build (same inputs, same day, output in place): done.
        inputs = ""
        if self.use_cache and not in_place:
            inputs = cache.input_digest(self.site_dir, f"{today}|{self.key}")
            last_inputs, last_result = (self.state.inputs, self.state.result) if self.state else cache.load_summary(self.site_dir, self.key)
            if inputs == last_inputs and last_result is not None and (self.out_dir / MARKER).is_file():
                return replace(last_result, seconds=time.perf_counter() - started, rendered=0, changed=[], unchanged=True)
        if self.state is None:
            self.state = cache.load_state(self.site_dir, self.key) if self.use_cache else cache.State(key=self.key)
        state = self.state

        from .gitinfo import collect_revisions
        from .render import SiteRenderer
        from .search import load_synonyms
        from .templates import make_environments

        if state.load is None:
            state.load = LoadMemo()
        try:
            site, contents, localizers, diags = load_site(self.site_dir, today, self.drafts, state.markdown, state.load, trust_stat=in_place)
            stand_ins: frozenset[str] = frozenset()
        except ContentError as exc:
            if not isinstance(exc.partial, Partial):
                # site.yaml cannot be read: only synonyms.yaml can be checked without it.
                raise ContentError([*exc.diagnostics, *load_synonyms(self.site_dir)[1]], exc.unchecked) from exc
            site, contents, localizers, stand_ins = exc.partial.site, exc.partial.contents, exc.partial.localizers, exc.partial.stand_ins
            diags = list(exc.diagnostics)
        synonyms, problems = load_synonyms(self.site_dir)
        diags += problems
        if progress:
            progress(f"read {len(site.keys)} pages and {len(site.offers)} offers in {len(site.config.languages)} languages")
        global_part = cache.global_digest(self.site_dir, self.key)
        # Compiled templates are reused while templates, catalogs and site.yaml are unchanged.
        if self._envs is None or self._envs[0] != global_part:
            self._envs = (global_part, make_environments(self.site_dir, localizers, on_disk=self.use_cache))
        envs = self._envs[1]
        renderer = SiteRenderer(site, contents, localizers, envs, collect_revisions(self.site_dir))
        if any(d.is_error for d in diags):
            # The templates are checked too, over the rest of the site (issue 13): every file a
            # good build would render is rendered, and nothing is written. Jobs that measure
            # other outputs (offline lists) need written files and use no template: left out.
            todo = [job for job in renderer.jobs() if not job.measures
                    and (job.deps is None or state.fingerprints.get(job.path) != cache.fingerprint(global_part, job.deps))]
            diags += _render(todo, None, self.site_dir)
            raise ContentError(sorted(set(diags)), partial=Partial(site, contents, localizers, stand_ins))

        writer = Writer(self.out_dir, in_place=in_place)
        try:
            fingerprints: dict[str, str] = {}
            todo: list[Job] = []
            # Within one process the last build's dependencies are still in memory: comparing
            # them is cheaper than hashing them (serve's one-page edits).
            same_globals = self._deps[0] == global_part
            last_deps = self._deps[1] if same_globals else {}
            deps: dict[str, Any] = {}
            for job in renderer.jobs():
                if job.deps is not None:
                    deps[job.path] = job.deps
                    old = state.fingerprints.get(job.path)
                    if old is not None and last_deps.get(job.path) == job.deps:
                        fingerprints[job.path] = old
                        if writer.keep(job.path):
                            continue
                    else:
                        fingerprints[job.path] = print_ = cache.fingerprint(global_part, job.deps)
                        if old == print_ and writer.keep(job.path):
                            continue
                todo.append(job)
            if progress:
                progress(f"rendering {len(todo)} files and the search index")
            # Jobs that show the sizes of other files (offline lists) come once those are written.
            _raise_if_errors(_render([job for job in todo if not job.measures], writer, self.site_dir))
            later = [job for job in todo if job.measures]
            renderer.output_sizes.update({path: writer.size(path) for job in later for path in job.measures})
            _raise_if_errors(_render(later, writer, self.site_dir))
            owed = _write_search(site, contents, localizers, renderer, synonyms, global_part, state, fingerprints, writer,
                                 defer=defer_search and writer.in_place, memo=self.search_memo)
            for static in sorted(STATIC_DIR.iterdir()):
                if static.is_file() and static.name not in DEV_ONLY | ROOT_ONLY:
                    writer.write_if_changed(f"{ASSETS}/{static.name}", assets.published(static.name, static.read_bytes()))
            unreadable = []
            for (lang, key), asset in sorted(site.assets.items()):
                try:
                    writer.copy(f"{lang}/{key}", self.site_dir / asset.path)
                except OSError as exc:  # made unreadable or removed since it was checked
                    unreadable.append(Diagnostic(asset.path, 0, f"the file cannot be read ({exc.strerror or exc})",
                                                 "check that it is not locked or protected"))
            if unreadable:
                raise ContentError(unreadable)  # the handler below removes the unfinished folder
            writer.commit(previous=state.outputs)
        except DuplicateOutputError as exc:
            writer.abort()
            # The model's clash check should have named both sources; never a traceback.
            raise ContentError([Diagnostic(str(exc), 0, "two things of the site would be written to this one file",
                                           "change the slug or id of one of them")]) from exc
        except BaseException:
            writer.abort()
            raise

        stats = {lang: LanguageStats(offers=len(site.offers)) for lang in site.config.languages}
        for (lang, _), page in site.pages.items():
            stats[lang].pages += 1
            stats[lang].fallbacks += page.is_fallback
        result = BuildResult(self.out_dir, len(writer.written), len(todo), time.perf_counter() - started, stats,
                             [d for d in sorted(set(diags)) if not d.is_error],
                             [(s.offer.id, s.offer.path, s.offer.line, s.reason) for s in site.skipped], sorted(set(writer.changed)))
        state.fingerprints, state.outputs, state.inputs, state.result = fingerprints, sorted(writer.written), inputs, result
        self._deps = (global_part, deps)
        self._last, self._dirty, self._owed = _Built(today, site, contents, renderer, synonyms, global_part, result), set(), set(owed)
        # In place (serve), the state lives in memory: pickling it on every save costs more than the edit.
        if self.use_cache and not in_place:
            cache.save_state(self.site_dir, state)
        return result

    def _edit_pages(self, today: dt.date, started: float, defer_search: bool) -> BuildResult | None:
        """Rebuild after saves that changed only the bodies of existing pages; None when the
        saves changed anything else (front matter, a new or deleted file, an offer, a
        template, an anchor other pages may link to): then the full build decides.

        The files that show a page's body are the page itself, its fallback copies in other
        languages and the search index: nothing else reads a body (menus, listings,
        breadcrumbs and the sitemap read front matter; the status page reads Git history).
        """
        from . import content, sources, validate

        last, state = self._last, self.state
        if last is None or state is None or state.load is None or last.today != today or not (self.out_dir / MARKER).is_file():
            return None
        config = last.site.config
        if not last.by_source:
            for page in last.site.pages.values():
                last.by_source.setdefault(page.source.path, []).append(page)
        paths = sorted(self._dirty)
        if not all(sources.page_language(rel, config) and rel in last.by_source and (self.site_dir / rel).is_file() for rel in paths):
            return None
        diags: list[Diagnostic] = []
        edited: dict[str, tuple[sources.PageSource, PageMeta, list[Diagnostic]]] = {}
        for rel in paths:
            source, problems = sources.reload_page(self.site_dir, config, rel, state.load.sources)
            diags += problems
            if source is None:
                continue
            meta, problems = validate.validate_page(source, config)
            diags += problems
            if meta is not None:
                if last.site.pages[(source.lang, source.key)].meta != meta:
                    return None  # title, slug, menu...: shown or used by other files
                edited[rel] = (source, meta, problems)
        if len(edited) != len(paths) or any(d.is_error for d in diags):
            return None  # the full pipeline reports these errors with every other problem of the site

        patched = {(page.lang, page.key): replace(page, source=edited[rel][0]) for rel in paths for page in last.by_source[rel]}
        site = replace(last.site, pages={**last.site.pages, **patched})
        fresh, problems = content.update_pages(site, last.contents, sorted(patched), state.markdown)
        diags += problems
        if any(fresh[slot].ids != last.contents.pages[slot].ids for slot in fresh):
            return None  # links from other pages to these anchors must be checked again
        # Only these bodies changed, and nothing else reads them: their problems are all there is.
        _raise_if_errors(diags)
        contents = content.Contents({**last.contents.pages, **fresh}, last.contents.descriptions)
        renderer = last.renderer.with_bodies(site, contents)

        writer = Writer(self.out_dir, in_place=True)
        deps = self._deps[1]
        todo = []
        for slot in sorted(patched):
            job = renderer.page_job(patched[slot])
            if deps.get(job.path) != job.deps or not (self.out_dir / job.path).is_file():
                todo.append(job)
        _raise_if_errors(_render(todo, writer, self.site_dir))
        for job in todo:
            deps[job.path] = job.deps
            state.fingerprints[job.path] = cache.fingerprint(last.global_part, job.deps)
        for rel, (source, meta, problems) in edited.items():
            state.load.validated[rel] = (source, meta, problems)

        warnings = sorted({d for d in last.result.warnings if d.path not in edited} | {d for d in diags if not d.is_error})
        result = replace(last.result, rendered=len(todo), seconds=time.perf_counter() - started,
                         warnings=warnings, changed=sorted(writer.changed), unchanged=False)
        by_source = {**last.by_source, **{rel: [patched[(p.lang, p.key)] for p in last.by_source[rel]] for rel in paths}}
        self._last, self._dirty = _Built(today, site, contents, renderer, last.synonyms, last.global_part, result, by_source), set()
        self._owed.update(lang for lang, _ in patched)
        if not defer_search:
            result.changed = sorted(result.changed + self.finish_pending())
        state.result = result
        return result


def build(site_dir: Path, out_dir: Path, *, today: dt.date | None = None, drafts: bool = False, progress: Progress | None = None,
          cache: bool = True, in_place: bool = False) -> BuildResult:
    """Build the site in `site_dir` into `out_dir` (one-shot; `serve` keeps a Builder instead)."""
    return Builder(site_dir, out_dir, drafts=drafts, use_cache=cache).build(today=today, in_place=in_place, progress=progress)


def _write_search(site: model.Site, contents: content.Contents, localizers: dict[str, i18n.Localizer], renderer: SiteRenderer,
                  synonyms: dict[str, list[list[str]]], global_part: str, state: cache.State, fingerprints: dict[str, str], writer: Writer,
                  defer: bool = False, memo: SearchMemo | None = None) -> list[str]:
    """The search index of each language, rebuilt only when a page or offer of it changed.

    Deferred, the languages to rebuild keep their previous files and are returned, for
    _search_updater to write later (their fingerprints are only recorded then).
    """
    from .searchdocs import search_docs

    pending, due = [], []
    for lang in localizers:
        previous = state.search_files.get(lang, [])
        if defer and previous and writer.can_keep(previous) and all(writer.keep(path) for path in previous):
            # Even finding out whether the index changed costs more than the edited page.
            fingerprints[f"search:{lang}"] = state.fingerprints.get(f"search:{lang}", "")
            pending.append(lang)
        else:
            due.append(lang)

    def index(lang: str) -> tuple[str, list[tuple[str, bytes]] | None]:
        """The language's fingerprint, and its files, or None when the last build's may be kept."""
        docs = search_docs(site, contents, localizers[lang], memo)
        print_ = cache.fingerprint(global_part, (docs, synonyms.get(lang)))
        if state.fingerprints.get(f"search:{lang}") == print_ and state.search_files.get(lang):
            return print_, None
        return print_, list(_index_files(site, renderer, synonyms, lang, docs, memo))

    # The languages' indexes are independent: on a large site this process builds some while
    # a forked worker builds the others (each costs ~25 MB of working memory at N = 1,000).
    # A memo must stay in this process, and serve's threads forbid forking anyway.
    minimum = SEARCH_FORK_MIN if memo is None else 1 << 62
    for lang, (print_, files) in zip(due, fork_map(index, due, minimum, weight=len(site.pages)), strict=True):
        fingerprints[f"search:{lang}"] = print_
        if files is None:
            if writer.can_keep(state.search_files[lang]) and all(writer.keep(path) for path in state.search_files[lang]):
                continue
            files = list(_index_files(site, renderer, synonyms, lang, search_docs(site, contents, localizers[lang], memo), memo))
        for path, data in files:
            writer.write(path, data)
        state.search_files[lang] = [path for path, _ in files]
    return pending


def _index_files(site: model.Site, renderer: SiteRenderer, synonyms: dict[str, list[list[str]]], lang: str,
                 docs: list[Any], memo: SearchMemo | None) -> Iterator[tuple[str, bytes]]:
    from .search import build_search_files

    # The other languages' indexes are loaded lazily by the engine; only their codes are needed here.
    others = {code: () for code in site.config.languages if code != lang}
    return build_search_files(lang, docs, others, renderer.facet_labels(lang), synonyms, memo)


def _search_updater(site: model.Site, contents: content.Contents, renderer: SiteRenderer, synonyms: dict[str, list[list[str]]],
                    global_part: str, state: cache.State, out: Path, languages: list[str],
                    memo: SearchMemo | None = None) -> Callable[[], list[str]]:
    """A function that brings the search index of `languages` up to date in place, each file
    replaced atomically; returns the files written or removed.

    With a memo, indexing again costs less than fingerprinting the documents: the files
    are rebuilt and compared instead, and the fingerprint is left unknown for the next full
    build to compute.
    """
    from .searchdocs import search_docs

    def finish() -> list[str]:
        changed = []
        for lang in languages:
            docs = search_docs(site, contents, renderer.localizers[lang], memo)
            print_ = "" if memo is not None else cache.fingerprint(global_part, (docs, synonyms.get(lang)))
            if print_ and state.fingerprints.get(f"search:{lang}") == print_:
                continue
            old = set(state.search_files.get(lang, []))
            files = []
            for path, data in _index_files(site, renderer, synonyms, lang, docs, memo):
                files.append(path)
                target = out / path
                try:
                    if target.read_bytes() == data:
                        continue  # an edit changes a few of the index's chunks: browsers keep the others cached
                except OSError:
                    target.parent.mkdir(parents=True, exist_ok=True)
                write_file(target, data, atomic=True)
                changed.append(path)
            for gone in sorted(old - set(files)):
                (out / gone).unlink(missing_ok=True)
            changed += sorted(old - set(files))
            state.search_files[lang] = files
            state.fingerprints[f"search:{lang}"] = print_
            state.outputs = sorted((set(state.outputs) - old) | set(files))
        return changed

    return finish


# Jobs of the running build, inherited by forked workers (closures cannot be pickled).
CHECK_ONLY = "\0check"  # _render_share's root when only the template problems are wanted
_JOBS: list[Job] = []


def _render_share(args: tuple[int, int, str | None, Path]) -> tuple[list[tuple[str, bytes | None]], list[Diagnostic]]:
    """Render every `count`-th job from `index`; write into `root`, or return the bytes (or,
    with root CHECK_ONLY, only the problems: nothing to write, nothing to send back)."""
    from .pagecheck import html_problems
    from .templates import template_problem

    index, count, root, site_dir = args
    done: list[tuple[str, bytes | None]] = []
    problems: list[Diagnostic] = []
    for job in _JOBS[index::count]:
        try:
            data = job.render()
        except Exception as exc:
            problems.append(template_problem(exc, site_dir, job.what))
            continue
        found = html_problems(job.path, job.what, data)
        if found:
            problems.extend(found)
            continue
        if root == CHECK_ONLY:
            continue
        if root is None:
            done.append((job.path, data))
        else:
            write_file(Path(root) / job.path, data)
            done.append((job.path, None))
    return done, problems


def _render(jobs: list[Job], writer: Writer | None, site_dir: Path) -> list[Diagnostic]:
    """Render jobs, in two processes when there are many; a template failure is reported once.
    Without a writer only the template problems are wanted: nothing is written.

    The search index is built after this, not beside the workers: beside them it saved ~15 %
    of a 1,000-page build but raised its peak memory by ~40 % (416 vs 295 MiB, measured),
    over half of Hugo's, the limit of issue 6.
    """
    global _JOBS
    for job in jobs if writer is not None else ():
        writer.claim(job.path)
    # In place, nothing may be written before everything rendered: the bytes come back first.
    root = CHECK_ONLY if writer is None else None if writer.in_place else str(writer.root)
    workers = min(os.cpu_count() or 1, 4)
    parallel = len(jobs) >= PARALLEL_MIN and workers > 1 and _can_fork()
    _JOBS = jobs
    try:
        if parallel:
            # This process renders one share itself: one process fewer, whose copy of the
            # inherited memory would count in the peak.
            with _fork_pool(workers - 1) as pool:
                theirs = pool.map_async(_render_share, [(i, workers, root, site_dir) for i in range(1, workers)])
                shares = [_render_share((0, workers, root, site_dir)), *theirs.get()]
        else:
            shares = [_render_share((0, 1, root, site_dir))]
    finally:
        _JOBS = []
    problems: dict[tuple[str, int], Diagnostic] = {}
    for _, share_problems in shares:
        for problem in share_problems:
            problems.setdefault((problem.path, problem.line), problem)
    if problems or writer is None:
        return sorted(problems.values())
    for done, _ in shares:
        for path, data in done:
            if data is not None:
                # In place, a page rendered on every build (the 404 page) is written, and the
                # browsers showing it told, only when it differs.
                target = writer.root / path
                with contextlib.suppress(OSError):
                    if target.stat().st_size == len(data) and target.read_bytes() == data:
                        continue
                write_file(target, data, atomic=True)
            writer.changed.append(path)
    return []


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _fork_pool(workers: int) -> Iterator[Any]:
    """Forked workers that collect only what they allocate: what they inherit is frozen, so
    their collector never walks it (and never touches its pages, which stay shared)."""
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _can_fork() -> bool:
    # Forking a process that runs threads (the dev server) is unsafe: work in-process there.
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


# The task of the running parallel map, inherited by forked workers (closures cannot be pickled).
_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _map_share(args: tuple[int, int]) -> list[Any]:
    assert _TASK is not None
    function, items = _TASK
    index, count = args
    return [function(item) for item in items[index::count]]


def fork_map(function: Callable[[Any], R], items: Sequence[Any], minimum: int, weight: int | None = None) -> list[R]:
    """[function(item) for item in items], on both cores when the work is big enough and
    forking is safe: this process takes one share, forked workers the others (their
    results come back pickled). The work is `weight`, by default the number of items; it
    must reach `minimum`."""
    global _TASK
    workers = min(os.cpu_count() or 1, 4, len(items))
    if (len(items) if weight is None else weight) < minimum or workers < 2 or not _can_fork():
        return [function(item) for item in items]
    _TASK = (function, items)
    try:
        with _fork_pool(workers - 1) as pool:
            theirs = pool.map_async(_map_share, [(i, workers) for i in range(1, workers)])
            shares = [_map_share((0, workers)), *theirs.get()]
    finally:
        _TASK = None
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    for index, share in enumerate(shares):
        out[index::workers] = share
    return out
