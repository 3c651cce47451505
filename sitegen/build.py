"""The pipeline, step by step: load -> validate -> model -> content -> render -> search -> write.

`Builder.build` shows it in order, one call per stage, each stage timed. What makes a
rebuild quick lives below it (`cache`: "is anything changed?", "may this output be
reused?"), forking in `parallel`, and the writes in `write`. Above it, a `serve` session
(`serve.session`) keeps one Builder and decides, from the files its watcher saw saved,
whether a save takes the quick path or comes here; `sitegen build` calls `build()`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import assets, cache, parallel
from .errors import ContentError, Diagnostic, Severity
from .partial import NEEDS_CONFIG, Partial, stand_in
from .write import DuplicateOutputError, Writer, check_output_folder, has_build, recover

if TYPE_CHECKING:
    from . import content, i18n, model
    from .config import Config
    from .render.core import Job
    from .render.site import SiteRenderer
    from .search.postings import SearchMemo
    from .sources import Sources
    from .templates import TemplateUse

# The pipeline's modules (Jinja, Babel, YAML, Markdown) are imported when a build really
# runs: a build with nothing to do answers in a fraction of a second.

ASSETS = "assets"
DEV_ONLY = {"livereload-overlay.js"}  # served by `sitegen serve` only, never published
ROOT_ONLY = {
    "sw.js"
}  # published at the site's root by its own job (a service worker's scope is its folder)


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
    skipped: list[tuple[str, str, int, str]] = field(
        default_factory=list
    )  # offers not published: (id, file, line, reason)
    changed: list[str] = field(default_factory=list)  # output paths written or removed
    unchanged: bool = False  # nothing to do: no input changed since the last build
    stages: dict[str, float] = field(
        default_factory=dict
    )  # seconds of each stage, in pipeline order


@dataclass(frozen=True)
class Change:
    """What the caller knows of the site since its last build: one value instead of flags.

    `Change()` (`sitegen build`, serve's first build): nothing is known. The cache's digest
    may answer "unchanged", and a complete new folder is swapped in.
    `Change(watched=True, saved=...)`: a session that keeps its Builder and watches the
    site's files (serve) tells which were saved since its last good build (`saved` None: it
    cannot tell). The output is then updated in place, each file atomically, a file whose
    modification time and size did not change is not read again, and a search index that
    must change is left to `finish_pending()`, so that the edited page is shown first.
    """

    watched: bool = False
    saved: frozenset[str] | None = None


Progress = Callable[[str], None]
T = TypeVar("T")


class Stages:
    """Runs the stages of one build: times each one and gathers the problems they return, so
    that every stage runs even when an earlier one found errors. `progress` hears what the
    build does, and at the end each stage's time."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}
        self.diags: list[Diagnostic] = []

    def __call__(
        self, name: str, stage: Callable[..., tuple[T, list[Diagnostic]]], *args: Any
    ) -> T:
        started = time.perf_counter()
        try:
            value, problems = stage(*args)
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        self.diags += problems
        return value

    def summary(self) -> str:
        return "stages: " + ", ".join(
            f"{name} {seconds:.2f} s" for name, seconds in self.seconds.items()
        )

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diags)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _raise_if_errors(diags: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diags):
        raise ContentError(sorted(set(diags)))


# -- the stages up to rendering, shared with `check` and `status` (load_site) ------------------


@dataclass
class LoadMemo:
    """What loading learned: parsed files and their validation, reused while unchanged."""

    sources: dict[str, Any] = field(default_factory=dict)  # sources.SourceMemo
    validated: dict[str, tuple[Any, Any, list[Diagnostic]]] = field(
        default_factory=dict
    )  # rel -> (source object, record, problems)
    basis: Any = None  # (config, today): validation is redone when either changes


@dataclass(frozen=True)
class Loaded:
    """LOAD: the site's files as read, before their meaning is checked."""

    site_dir: Path
    config: Config
    localizers: dict[str, i18n.Localizer]
    sources: Sources
    site_assets: tuple[tuple[str, Path], ...]  # the site's assets/ folder: (name, file) to copy


@dataclass(frozen=True)
class Checked:
    """VALIDATE: typed pages and offers; pages with errors stand in for themselves."""

    pages: list[tuple[Any, Any]]  # (sources.PageSource, validate.PageMeta)
    offers: list[Any]  # validate.OfferData
    stand_ins: frozenset[str]  # page files with errors
    unread: frozenset[str]  # stand-ins without a body: nothing is known of their anchors


def load(
    site_dir: Path,
    memo: LoadMemo | None,
    trust_stat: bool = False,
    same: frozenset[str] = frozenset(),
) -> tuple[Loaded, list[Diagnostic]]:
    """Read site.yaml, the catalogs and every file of content/; only an unreadable site.yaml
    stops here. `same`: files of content/ whose parse in `memo` may be taken without reading."""
    from . import i18n, sources
    from .config import load_config

    config, diags = load_config(site_dir)
    if config is None:
        raise ContentError(diags, unchecked=NEEDS_CONFIG)
    localizers, problems = i18n.load_localizers(site_dir, config)
    diags += problems
    loaded, problems = sources.load_sources(
        site_dir,
        config,
        memo.sources if memo else None,
        trust_stat,
        mapper=partial(parallel.fork_map, minimum=parallel.LOAD_FORK_MIN),
        same=same,
    )
    diags += problems
    site_assets, problems = assets.site_assets(site_dir)
    diags += problems
    return Loaded(site_dir, config, localizers, loaded, tuple(site_assets)), diags


def validate_sources(
    loaded: Loaded, memo: LoadMemo | None, today: dt.date
) -> tuple[Checked, list[Diagnostic]]:
    """Check every page and offer against the content format, reusing what `memo` checked."""
    from . import validate

    config = loaded.config
    if memo is not None and memo.basis != (config, today):
        memo.validated.clear()
        memo.basis = (config, today)
    checked = memo.validated if memo is not None else {}
    diags: list[Diagnostic] = []

    def valid(source: Any, rel: str, check: Any) -> Any:
        entry = checked.get(rel)
        if entry is None or entry[0] is not source:
            record, problems = check(source)
            entry = checked[rel] = (source, record, problems)
        diags.extend(entry[2])
        return entry[1]

    pages = []
    stand_ins: set[str] = set()
    for page_source in loaded.sources.pages:
        meta = valid(
            page_source, page_source.path, lambda source: validate.validate_page(source, config)
        )
        if meta is not None:
            pages.append((page_source, meta))
        else:
            pages.append(stand_in(page_source, page_source.path, page_source.lang, page_source.key))
            stand_ins.add(page_source.path)
    for path, lang, key in loaded.sources.broken:
        pages.append(stand_in(None, path, lang, key))
    unread = frozenset(path for path, _, _ in loaded.sources.broken)
    offers = []
    for offer_source in loaded.sources.offers:
        offer = valid(
            offer_source,
            f"{offer_source.path}:{offer_source.line}",
            lambda source: validate.validate_offer(source, config, today),
        )
        if offer is not None:
            offers.append(offer)
    diags += validate.duplicate_offer_ids(offers)
    return Checked(pages, offers, frozenset(stand_ins) | unread, unread), diags


def model_site(
    loaded: Loaded, checked: Checked, today: dt.date, drafts: bool
) -> tuple[model.Site, list[Diagnostic]]:
    """Pages per language, URLs, menus and listings."""
    from . import model

    config, localizers, found = loaded.config, loaded.localizers, loaded.sources
    # Refused files come with an error (the build fails): links to them resolve meanwhile.
    site, problems = model.build_site(
        config,
        checked.pages,
        checked.offers,
        found.assets + found.refused,
        {lang: config.words(lang) for lang in config.languages},
        lambda lang, term: localizers[lang].term(term),
        today,
        drafts,
    )
    # A stand-in's address comes from its file name, not from its (invalid) slug: a clash
    # it is part of may not exist once the page is fixed.
    stand_ins = checked.stand_ins
    return site, [
        d
        for d in problems
        if not stand_ins or (d.path not in stand_ins and not any(p in d.message for p in stand_ins))
    ]


def convert(
    site: model.Site, checked: Checked, markdown_cache: content.MarkdownCache | None
) -> tuple[content.Contents, list[Diagnostic]]:
    """Every page's Markdown in every language tree; links and anchors checked."""
    from . import content

    contents, problems = content.render_contents(
        site,
        cache=markdown_cache,
        mapper=partial(parallel.fork_map, minimum=parallel.MARKDOWN_FORK_MIN),
    )
    # An anchor on a page whose text could not be read is unknown, not missing.
    return contents, [
        d
        for d in problems
        if not any(f"does not exist in {p}" in d.message for p in checked.unread)
    ]


def load_site(
    site_dir: Path,
    today: dt.date,
    drafts: bool = False,
    markdown_cache: content.MarkdownCache | None = None,
    memo: LoadMemo | None = None,
    trust_stat: bool = False,
) -> tuple[model.Site, content.Contents, dict[str, i18n.Localizer], list[Diagnostic]]:
    """Everything before rendering (`sitegen check`, `status`): read, check and link the whole
    site; raise ContentError on errors.

    Every stage runs even when an earlier one found errors (issue 13): invalid offers are
    left out, pages with errors stand in with a placeholder title, and the ContentError
    carries what was made of the rest (`partial`) for the stages after this one.
    """
    stages = Stages(None)
    loaded = stages("load", load, site_dir, memo, trust_stat)
    checked = stages("validate", validate_sources, loaded, memo, today)
    site = stages("model", model_site, loaded, checked, today, drafts)
    contents = stages("content", convert, site, checked, markdown_cache)
    if stages.failed:
        raise ContentError(
            sorted(set(stages.diags)),
            partial=Partial(site, contents, loaded.localizers, checked.stand_ins),
        )
    return site, contents, loaded.localizers, stages.diags


# -- the build ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteModel:
    """The site as the render and search stages see it."""

    site: model.Site
    contents: content.Contents
    renderer: SiteRenderer
    synonyms: dict[str, list[list[str]]]
    global_part: str  # digest of what every output depends on (cache.global_digest)
    templates: TemplateUse  # which templates each rendering loads


@dataclass
class Built:
    """The last good build, kept in memory by a long-lived Builder: a serve session rebuilds
    a save that changed only page bodies from it, without reading the whole site."""

    today: dt.date
    made: SiteModel
    result: BuildResult
    by_source: dict[str, list[model.Page]] = field(
        default_factory=dict
    )  # page file -> the pages it is shown as


class Builder:
    def __init__(
        self,
        site_dir: Path,
        out_dir: Path,
        *,
        drafts: bool = False,
        use_cache: bool = True,
        long_lived: bool = False,
    ):
        """`long_lived` (serve): this Builder will build the site again and again; it then keeps
        what makes the search index quick to update, at about three times the index's size."""
        self.site_dir, self.out_dir, self.drafts, self.use_cache = (
            site_dir,
            out_dir,
            drafts,
            use_cache,
        )
        self.search_memo: SearchMemo | None = None
        if long_lived:
            from .search.postings import SearchMemo

            self.search_memo = SearchMemo()
        self.key = f"{drafts}|{out_dir.absolute()}"
        self.state: cache.State | None = None
        self.last: Built | None = None  # the last good build, while nothing since failed
        # (global and templates digest, Jinja environment per language, what they load)
        self._envs: tuple[str, dict[str, Any], TemplateUse] | None = None
        # languages whose search index a watched build left to finish_pending()
        self._owed: set[str] = set()
        # (global digest, each output's dependencies) of the last build
        self._deps: tuple[str, dict[str, Any]] = (
            "",
            {},
        )
        self._input_files: dict[
            str, bytes
        ] = {}  # this build's digest of each site file (cache.input_digest)
        self._disowned = False  # whether this Builder removed the saved state (see _disown)

    def build(
        self,
        *,
        today: dt.date | None = None,
        change: Change = Change(),
        progress: Progress | None = None,
    ) -> BuildResult:
        """Build the site; on any error raise ContentError and leave the output untouched."""
        with parallel.collector_paused():
            today = today or dt.date.today()
            stages = Stages(progress)
            check_output_folder(self.out_dir, self.site_dir)
            recover(self.out_dir)  # a rebuild killed while moving its files in is finished first
            self.last = None  # until this build succeeds
            inputs, same = (
                ("", None) if change.watched or not self.use_cache else self._unchanged(today)
            )
            if same is not None:
                return replace(
                    same, seconds=stages.elapsed, rendered=0, changed=[], unchanged=True, stages={}
                )
            state = self._state()
            loaded, synonyms = stages("load", self._load, state, change)
            checked = stages("validate", validate_sources, loaded, state.load, today)
            site = stages("model", model_site, loaded, checked, today, self.drafts)
            contents = stages("content", convert, site, checked, state.markdown)
            stages.say(
                f"read {len(site.keys)} pages and {len(site.offers)} offers in "
                f"{len(site.config.languages)} languages"
            )
            made, reuse = stages("prepare", self._prepare, site, contents, loaded, synonyms, state)
            if stages.failed:
                stages("render", self._check_templates, made.renderer, reuse)
                raise ContentError(
                    sorted(set(stages.diags)),
                    partial=Partial(site, contents, loaded.localizers, checked.stand_ins),
                )
            with self._writing(change, state) as writer:
                rendered = stages("render", self._render, made.renderer, reuse, writer, stages)
                owed = stages("search", self._search, made, reuse, writer, change)
                stages("write", self._write, site, loaded.site_assets, writer, state.outputs)
            result = self._result(site, stages, writer, rendered)
            self._remember(
                Built(today, made, result),
                reuse,
                inputs=inputs,
                outputs=sorted(writer.written),
                owed=owed,
                change=change,
            )
            return result

    def _unchanged(self, today: dt.date) -> tuple[str, BuildResult | None]:
        """(digest of every input, the last result if no input changed and the output is there)."""
        self._input_files = {}
        inputs, last = cache.unchanged(
            self.site_dir, self.key, f"{today}|{self.key}", self.state, self._input_files
        )
        return inputs, last if has_build(self.out_dir) else None

    def _state(self) -> cache.State:
        if self.state is None:
            self.state = (
                cache.load_state(self.site_dir, self.key)
                if self.use_cache
                else cache.State(key=self.key)
            )
        if self.state.load is None:
            self.state.load = LoadMemo()
        return self.state

    def _load(
        self, state: cache.State, change: Change
    ) -> tuple[tuple[Loaded, dict[str, list[list[str]]]], list[Diagnostic]]:
        from .search.synonyms import load_synonyms

        synonyms, problems = load_synonyms(self.site_dir)
        try:
            # The no-change check has just digested every file: those whose bytes the last
            # build parsed are not read again.
            same = cache.same_bytes(state, self._input_files) if not change.watched else frozenset()
            loaded, diags = load(self.site_dir, state.load, trust_stat=change.watched, same=same)
        except ContentError as exc:
            # site.yaml cannot be read: only synonyms.yaml can be checked without it.
            raise ContentError([*exc.diagnostics, *problems], exc.unchecked) from exc
        return (loaded, synonyms), diags + problems

    def _prepare(
        self,
        site: model.Site,
        contents: content.Contents,
        loaded: Loaded,
        synonyms: dict[str, list[list[str]]],
        state: cache.State,
    ) -> tuple[tuple[SiteModel, cache.Reuse], list[Diagnostic]]:
        """The renderer (templates compiled, Git history read) and what the last build left."""
        localizers = loaded.localizers
        from .gitinfo import collect_revisions
        from .render.site import SiteRenderer
        from .templates import TemplateUse, make_environments

        global_part = cache.global_digest(self.site_dir, self.key)
        envs_key = global_part + cache.templates_digest(self.site_dir)
        # Compiled templates are reused while templates, catalogs and site.yaml are unchanged.
        if self._envs is None or self._envs[0] != envs_key:
            envs = make_environments(
                self.site_dir,
                localizers,
                site_assets=frozenset(name for name, _ in loaded.site_assets),
                on_disk=self.use_cache,
            )
            self._envs = (envs_key, envs, TemplateUse(envs))
        _, envs, use = self._envs
        renderer = SiteRenderer(site, contents, localizers, envs, collect_revisions(self.site_dir))
        # Within one process the last build's dependencies are still in memory: comparing
        # them is cheaper than hashing them (serve's one-page edits).
        last_deps = self._deps[1] if self._deps[0] == envs_key else {}
        reuse = cache.Reuse(state, global_part, last_deps, use.digest)
        return (SiteModel(site, contents, renderer, synonyms, global_part, use), reuse), []

    def _check_templates(
        self, renderer: SiteRenderer, reuse: cache.Reuse
    ) -> tuple[None, list[Diagnostic]]:
        """With errors, the templates are checked too, over the rest of the site (issue 13):
        every file a good build would render is rendered, and nothing is written. Jobs that
        measure other outputs (offline lists) need written files and use no template: left out."""
        return None, render_jobs(
            [
                job
                for job in renderer.jobs()
                if not job.measures and not reuse.same(job.path, job.deps)
            ],
            None,
            self.site_dir,
        )

    @contextlib.contextmanager
    def _writing(self, change: Change, state: cache.State) -> Iterator[Writer]:
        # Over a complete previous build that the cache describes, only the changed files are
        # written and moved in (a journal makes the moves survive a kill); else a new folder.
        writer = Writer(
            self.out_dir, in_place=change.watched, journal=self.use_cache and bool(state.outputs)
        )
        try:
            yield writer
        except DuplicateOutputError as exc:
            writer.abort()
            # The model's clash check should have named both sources; never a traceback.
            raise ContentError(
                [
                    Diagnostic(
                        str(exc),
                        0,
                        "two things of the site would be written to this one file",
                        "change the slug or id of one of them",
                    )
                ]
            ) from exc
        except BaseException:
            writer.abort()
            raise

    def _render(
        self, renderer: SiteRenderer, reuse: cache.Reuse, writer: Writer, stages: Stages
    ) -> tuple[int, list[Diagnostic]]:
        """Render every output the last build's cannot stand for; returns how many."""
        todo = [
            job for job in renderer.jobs() if not reuse.reusable(job.path, job.deps, writer.keep)
        ]
        stages.say(f"rendering {len(todo)} files and the search index")
        # Jobs that show the sizes of other files (offline lists) come once those are written.
        use = self._envs[2] if self._envs is not None else None
        first = [job for job in todo if not job.measures]
        _raise_if_errors(render_jobs(first, writer, self.site_dir, use, reuse.rendered))
        later = [job for job in todo if job.measures]
        renderer.output_sizes.update(
            {path: writer.size(path) for job in later for path in job.measures}
        )
        _raise_if_errors(render_jobs(later, writer, self.site_dir, use, reuse.rendered))
        return len(todo), []

    def _search(
        self, made: SiteModel, reuse: cache.Reuse, writer: Writer, change: Change
    ) -> tuple[list[str], list[Diagnostic]]:
        assert self.state is not None
        store = self.site_dir if self.use_cache and self.search_memo is None else None
        index = SearchIndex(made, self.state, self.search_memo, store)
        return index.write(reuse, writer, defer=change.watched and writer.in_place), []

    def _write(
        self,
        site: model.Site,
        site_assets: tuple[tuple[str, Path], ...],
        writer: Writer,
        previous: list[str],
    ) -> tuple[None, list[Diagnostic]]:
        """The theme's files and the files beside the pages, then the build published."""
        for name in assets.theme_names():
            if name not in DEV_ONLY | ROOT_ONLY:
                writer.write_if_changed(f"{ASSETS}/{name}", assets.theme_file(name))
        unreadable = []
        copies = [
            (f"{lang}/{key}", self.site_dir / asset.path)
            for (lang, key), asset in sorted(site.assets.items())
        ]
        copies += [(f"{ASSETS}/{assets.SITE_PREFIX}{name}", path) for name, path in site_assets]
        for target, path in copies:
            try:
                writer.copy(target, path)
            except OSError as exc:  # made unreadable or removed since it was checked
                unreadable.append(
                    Diagnostic(
                        path.relative_to(self.site_dir).as_posix(),
                        0,
                        f"the file cannot be read ({exc.strerror or exc})",
                        "check that it is not locked or protected",
                    )
                )
        if unreadable:
            raise ContentError(unreadable)  # _writing removes the unfinished folder
        if self.use_cache and not writer.in_place:
            cache.forget(self.site_dir)  # saved again by _remember, once the output is this build's
        elif writer.in_place:
            self._disown()
        writer.commit(previous=previous)
        return None, []

    def _result(
        self, site: model.Site, stages: Stages, writer: Writer, rendered: int
    ) -> BuildResult:
        stages.say(stages.summary())
        stats = {lang: LanguageStats(offers=len(site.offers)) for lang in site.config.languages}
        for (lang, _), page in site.pages.items():
            stats[lang].pages += 1
            stats[lang].fallbacks += page.is_fallback
        return BuildResult(
            out_dir=self.out_dir,
            files=len(writer.written),
            rendered=rendered,
            seconds=stages.elapsed,
            languages=stats,
            warnings=[d for d in sorted(set(stages.diags)) if not d.is_error],
            skipped=[(s.offer.id, s.offer.path, s.offer.line, s.reason) for s in site.skipped],
            changed=sorted(set(writer.changed)),
            stages=dict(stages.seconds),
        )

    def _remember(
        self,
        built: Built,
        reuse: cache.Reuse,
        inputs: str,
        outputs: list[str],
        owed: list[str],
        change: Change,
    ) -> None:
        """What the next build starts from."""
        state = self.state
        assert state is not None
        state.fingerprints, state.templates, state.outputs, state.inputs, state.result = (
            reuse.fingerprints,
            reuse.templates,
            outputs,
            inputs,
            built.result,
        )
        state.input_files, self._input_files = self._input_files, {}
        self._deps = (self._envs[0] if self._envs is not None else "", reuse.deps)
        self.last, self._owed = built, set(owed)
        # Watched (serve), the state lives in memory: pickling it on every save costs more than the
        # edit.
        if self.use_cache and not change.watched:
            cache.save_state(self.site_dir, state)

    def _disown(self) -> None:
        """Before this Builder first changes the output in place (serve, which keeps its state
        in memory): the saved state stops describing the output, so it is removed. Else an edit
        made under serve and reverted after it stopped would find the old state's digest again,
        and the next `sitegen build` would call serve's output unchanged (it then builds from
        scratch instead)."""
        if self.use_cache and not self._disowned:
            cache.forget(self.site_dir)
            self._disowned = True

    def keep_state(self) -> bool:
        """Save the state that watched builds kept in memory (serve, as it stops), so that the
        next run starts from it rather than from scratch; False when it cannot describe the
        output: the last build failed, or a search index is still owed. It was not digested
        under serve, so the next run reads every file (no "nothing changed" shortcut)."""
        state = self.state
        if not (self.use_cache and self._disowned and self.last and state and not self._owed):
            return False
        state.inputs, state.input_files = "", {}
        cache.save_state(self.site_dir, state)
        if self.search_memo is not None:
            for lang in self.last.made.renderer.localizers:
                tree = self.search_memo.tree(lang)
                if tree is not None:  # else the one on disk stays (an older one only costs time)
                    cache.save_search_tree(self.site_dir, lang, tree)
        self._disowned = False  # the saved state describes the output again
        return True

    # -- for a session that patches the last good build (serve's quick path) --------------------

    def update(self, made: SiteModel, jobs: list[Job]) -> tuple[int, list[str]]:
        """Render into the output, in place, those of `jobs` (outputs of `made`, the last good
        build as a session patched it) whose dependencies changed. Returns (files rendered,
        files written); adopt() then makes it the last good build."""
        assert self.state is not None
        deps = self._deps[1]
        writer = Writer(self.out_dir, in_place=True)
        todo = [job for job in jobs if deps.get(job.path) != job.deps or not writer.has(job.path)]
        if todo:
            self._disown()
        state = self.state

        def loaded(path: str, templates: tuple[str, ...]) -> None:
            state.templates[path] = templates
            state.fingerprints[path] = cache.output_print(
                made.global_part, deps[path], templates, made.templates.digest
            )

        for job in todo:
            deps[job.path] = job.deps
        _raise_if_errors(render_jobs(todo, writer, self.site_dir, made.templates, loaded))
        return len(todo), sorted(writer.changed)

    def adopt(self, built: Built, owed: set[str]) -> None:
        """`built` (a session's update) is the last good build; the search index of the `owed`
        languages must change, for finish_pending() to write."""
        assert self.state is not None
        self.last, self.state.result = built, built.result
        self._owed |= owed

    @property
    def pending(self) -> bool:
        """Whether finish_pending() has work left (a search index a watched build left behind)."""
        return bool(self._owed) and self.last is not None and self.state is not None

    def finish_pending(self, languages: int | None = None) -> list[str]:
        """Write what the watched builds deferred (the search index), for at most `languages`
        languages (serve takes them one at a time, so that a save never waits for all of
        them); returns the files written or removed."""
        last, owed = self.last, sorted(self._owed)[:languages]
        if last is None or self.state is None or not owed:
            return []  # after a failed build, the next good one checks every index again
        self._owed -= set(owed)
        writer = Writer(self.out_dir, in_place=True)
        if not writer.in_place:  # the output was removed meanwhile: the next build makes it whole
            writer.abort()
            return []
        self._disown()
        return SearchIndex(last.made, self.state, self.search_memo).update(writer, owed)


def build(
    site_dir: Path,
    out_dir: Path,
    *,
    today: dt.date | None = None,
    drafts: bool = False,
    progress: Progress | None = None,
    cache: bool = True,
) -> BuildResult:
    """Build the site in `site_dir` into `out_dir` (one-shot; a `serve` session keeps a Builder)."""
    return Builder(site_dir, out_dir, drafts=drafts, use_cache=cache).build(
        today=today, progress=progress
    )


def render_jobs(
    jobs: list[Job],
    writer: Writer | None,
    site_dir: Path,
    use: TemplateUse | None = None,
    loaded: Callable[[str, tuple[str, ...]], None] | None = None,
) -> list[Diagnostic]:
    """Render jobs, in several processes when there are many; a template failure is reported
    once. Without a writer only the template problems are wanted: nothing is written. With
    `use`, `loaded` is told the templates each job's rendering loaded (for its fingerprint).

    The search index is built after this, not beside the workers: beside them it saved ~15 %
    of a 1,000-page build but raised its peak memory by ~40 % (416 vs 295 MiB, measured),
    over half of Hugo's, the limit of issue 6.
    """
    from .pagecheck import html_problems
    from .templates import template_problem

    for job in jobs if writer is not None else ():
        writer.claim(job.path)
    # Swapped in later, a folder may be filled by every process (only paths come back); in
    # place, nothing may be written before everything rendered: the bytes come back first.
    direct = writer is not None and not writer.in_place

    def render(job: Job) -> tuple[str, bytes | None, list[Diagnostic], tuple[str, ...], bool]:
        """(path, the bytes unless written here, problems, templates loaded, whether written)"""
        try:
            data, names = use.loaded_by(job.render) if use is not None else (job.render(), ())
        except Exception as exc:
            return job.path, None, [template_problem(exc, site_dir, job.what)], (), False
        found = html_problems(job.path, job.what, data)
        if found or writer is None:
            return job.path, None, found, names, False
        if direct:
            return job.path, None, [], names, writer.put(job.path, data)
        return job.path, data, [], names, False

    done = parallel.fork_map(render, jobs, parallel.RENDER_FORK_MIN)
    problems: dict[tuple[str, int], Diagnostic] = {}
    for _, _, found, _, _ in done:
        for problem in found:
            problems.setdefault((problem.path, problem.line), problem)
    if problems or writer is None:
        return sorted(problems.values())
    if direct:
        writer.record(path for path, _, _, _, written in done if written)
    else:
        for path, data, _, _, _ in done:
            assert data is not None
            writer.fill(path, data)
    if loaded is not None:
        for path, _, _, names, _ in done:
            loaded(path, names)
    return []


class SearchIndex:
    """The search stage: each language's index, rebuilt only when a page or offer of it changed."""

    def __init__(
        self,
        made: SiteModel,
        state: cache.State,
        memo: SearchMemo | None,
        store: Path | None = None,
    ):
        """`store`: the site whose cache keeps each language's analysis between runs (the
        command line's stand-in for serve's `memo`): an edit re-analyses only what it changed."""
        self.made, self.state, self.memo, self.store = made, state, memo, store

    def _docs(self, lang: str) -> list[Any]:
        from .search.documents import search_docs

        return search_docs(
            self.made.site, self.made.contents, self.made.renderer.localizers[lang], self.memo
        )

    def _files(self, lang: str, docs: list[Any]) -> list[tuple[str, bytes]]:
        from .search.index import build_search_files

        made, memo = self.made, self.memo
        if memo is None and self.store is not None:
            from .search.postings import SearchMemo

            memo = SearchMemo()
            memo.adopt(lang, cache.load_search_tree(self.store, lang))
        # The other languages' indexes are loaded lazily by the engine; only their codes are needed
        # here.
        others = {code: () for code in made.site.config.languages if code != lang}
        files = list(
            build_search_files(
                lang, docs, others, made.renderer.facet_labels(lang), made.synonyms, memo
            )
        )
        if memo is not self.memo and self.store is not None:
            cache.save_search_tree(self.store, lang, memo.tree(lang))
        return files

    def _fingerprint(self, docs: list[Any], lang: str) -> str:
        return cache.fingerprint(self.made.global_part, (docs, self.made.synonyms.get(lang)))

    def write(self, reuse: cache.Reuse, writer: Writer, defer: bool = False) -> list[str]:
        """Into a build's writer. Deferred, the languages to rebuild keep their previous files
        and are returned, for update() to write later (their fingerprints are only recorded then).
        """
        state, fingerprints = self.state, reuse.fingerprints
        pending, due = [], []
        for lang in self.made.renderer.localizers:
            previous = state.search_files.get(lang, [])
            if defer and previous and writer.keep_all(previous):
                # Even finding out whether the index changed costs more than the edited page.
                fingerprints[f"search:{lang}"] = state.fingerprints.get(f"search:{lang}", "")
                pending.append(lang)
            else:
                due.append(lang)

        def index(lang: str) -> tuple[str, list[tuple[str, bytes]] | None]:
            """The language's fingerprint and files, or None when the last build's may be kept."""
            docs = self._docs(lang)
            print_ = self._fingerprint(docs, lang)
            if state.fingerprints.get(f"search:{lang}") == print_ and state.search_files.get(lang):
                return print_, None
            return print_, self._files(lang, docs)

        # The languages' indexes are independent: on a large site this process builds some while
        # a forked worker builds the others (each costs ~25 MB of working memory at N = 1,000).
        # A memo must stay in this process, and serve's threads forbid forking anyway. With an
        # analysis kept for every language, a language costs little more than the fork (0.07 s
        # at N = 1,000, measured).
        store = self.store
        kept = store is not None and all(cache.has_search_tree(store, code) for code in due)
        minimum = parallel.SEARCH_FORK_MIN if self.memo is None and not kept else parallel.NEVER
        for lang, (print_, files) in zip(
            due,
            parallel.fork_map(index, due, minimum, weight=len(self.made.site.pages)),
            strict=True,
        ):
            fingerprints[f"search:{lang}"] = print_
            if files is None:
                if writer.keep_all(state.search_files[lang]):
                    continue
                files = self._files(lang, self._docs(lang))
            for path, data in files:
                writer.write(path, data)
            state.search_files[lang] = [path for path, _ in files]
        return pending

    def update(self, writer: Writer, languages: list[str]) -> list[str]:
        """Bring the index of `languages` up to date with an in-place writer, outside a build;
        returns the files written or removed.

        With a memo, indexing again costs less than fingerprinting the documents: the files
        are rebuilt and compared instead, and the fingerprint is left unknown for the next full
        build to compute.
        """
        state = self.state
        for lang in languages:
            docs = self._docs(lang)
            print_ = "" if self.memo is not None else self._fingerprint(docs, lang)
            if print_ and state.fingerprints.get(f"search:{lang}") == print_:
                continue
            old = set(state.search_files.get(lang, []))
            files = []
            for path, data in self._files(lang, docs):
                files.append(path)
                writer.write_if_changed(
                    path, data
                )  # an edit changes a few of the index's chunks: browsers keep the others cached
            writer.remove(old - set(files))
            state.search_files[lang] = files
            state.fingerprints[f"search:{lang}"] = print_
            state.outputs = sorted((set(state.outputs) - old) | set(files))
        return writer.changed
