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
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import assets, cache, parallel
from .errors import ContentError, Diagnostic, Severity
from .indexing import SearchIndex
from .partial import Partial
from .reading import (
    Loaded,
    LoadMemo,
    Progress,
    Stages,
    convert,
    load,
    model_site,
    validate_sources,
)
from .rendering import SiteModel, render_jobs
from .write import DuplicateOutputError, Writer, check_output_folder, has_build, recover

if TYPE_CHECKING:
    from . import content, model
    from .render.core import Job
    from .render.site import SiteRenderer
    from .search.postings import SearchMemo
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


def _raise_if_errors(diags: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diags):
        raise ContentError(sorted(set(diags)))


# -- the build ------------------------------------------------------------------------------------


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
        site_files = {}
        for name, path in loaded.site_assets:
            try:
                site_files[f"{ASSETS}/{assets.SITE_PREFIX}{name}"] = path.stat().st_size
            except OSError:  # gone since it was read: the write stage says so
                pass
        renderer = SiteRenderer(
            site, contents, localizers, envs, collect_revisions(self.site_dir), site_files
        )
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
