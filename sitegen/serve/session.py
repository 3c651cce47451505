"""The builds of one `serve` session, one at a time, above the pipeline.

The session keeps one `build.Builder`, which remembers what the last build did, and turns
what the watcher saw saved into one `build.Change`. When the files saved since the last
good build are only the bodies of existing pages (same validated front matter, same
heading anchors), the quick path (`edit_pages`) starts from the last good build in
memory: it reads and converts only those files and renders only the files that show their
bodies (the page and its fallback copies in other languages). Nothing else reads a body:
menus, breadcrumbs, listings and the sitemap read front matter, the status page reads Git
history. Anything else goes through the full pipeline, which compares every output's
dependencies. Files saved since the last good build accumulate until one succeeds, so a
save with an error followed by its fix is built from the right set of files.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..build import Builder, BuildResult, Built, Change
from ..errors import ContentError, Diagnostic, UsageError, error
from ..write import has_build

if TYPE_CHECKING:
    from ..sources import PageSource
    from ..validate import PageMeta


@dataclass
class Outcome:
    ok: bool
    seconds: float
    # output files written or removed; None after a swap (any may have moved)
    changed: tuple[str, ...] | None = None
    errors: list[Diagnostic] = field(default_factory=list)


class Session:
    """One Builder and the lock that makes its builds take turns (watcher, warm-up, index)."""

    def __init__(
        self,
        site_dir: Path,
        out_dir: Path,
        *,
        today: dt.date | None = None,
        drafts: bool = False,
        stop: threading.Event | None = None,
    ):
        self.today, self.stop = today, stop or threading.Event()
        self.builder = Builder(site_dir, out_dir, drafts=drafts, use_cache=True, long_lived=True)
        self.lock = threading.Lock()
        # site files saved since the last good build, as the watcher reported them
        self._saved: set[str] = set()

    def build(
        self,
        saved: list[str] | None = None,
        *,
        first: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> tuple[Outcome, list[Diagnostic]]:
        """Build now, after the builds in progress; errors become the outcome's (shown in the
        browsers), and the last good site stays online."""
        started = time.perf_counter()
        with self.lock:
            try:
                result = self.run(saved, first=first, progress=progress)
            except ContentError as exc:
                return Outcome(
                    False, time.perf_counter() - started, errors=list(exc.diagnostics)
                ), []
            except UsageError as exc:
                if first:
                    raise  # e.g. --out names a folder sitegen did not make: nothing to serve
                return Outcome(
                    False, time.perf_counter() - started, errors=[error("sitegen", 0, str(exc))]
                ), []
            except (
                Exception
            ) as exc:  # a bug, or a filter failing in an unexpected way: keep serving
                traceback.print_exc()
                return Outcome(
                    False,
                    time.perf_counter() - started,
                    errors=[
                        error(
                            "sitegen",
                            0,
                            f"the build crashed: {exc!r}",
                            "this is a bug in sitegen; the message above helps to report it",
                        )
                    ],
                ), []
        return Outcome(
            True, time.perf_counter() - started, None if first else tuple(result.changed)
        ), list(result.warnings)

    def run(
        self,
        saved: Iterable[str] | None = None,
        *,
        first: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> BuildResult:
        """One build (raises ContentError): the quick path when it can stand for the full build,
        else the full build. The first build swaps a complete folder in (or finds nothing
        changed); later ones rewrite only the files that changed, in place, each atomically.
        `saved`: the site files saved since the last call, None when unknown."""
        today = self.today or dt.date.today()
        if first:
            return self.builder.build(today=today, change=Change(), progress=progress)
        change = Change(watched=True, saved=frozenset(saved) if saved is not None else None)
        if change.saved is not None:
            self._saved |= change.saved
            quick = edit_pages(self.builder, sorted(self._saved), today)
            if quick is not None:
                self._saved = set()
                return quick
        result = self.builder.build(today=today, change=change, progress=progress)
        self._saved = set()
        return result

    def finish_pending(self) -> bool:
        """Write one language's search index that a build left for later.

        False when none is left.
        """
        with self.lock:
            if not self.builder.pending:
                return False
            self.builder.finish_pending(languages=1)
            return True

    def warm_up(self) -> BuildResult | None:
        """When `serve` restarts on an unchanged site, its first build answers from the cache's
        digest without reading the site: read it now (in place; it writes only what changed
        since that build, usually nothing, and leaves the search index to finish_pending),
        so that the first save takes the quick path. None when there was nothing to read."""
        with self.lock:
            if self.stop.is_set() or self.builder.last is not None:
                return None
            try:
                return self.run(saved=[])
            except ContentError:
                return None  # a file saved since is broken: the watcher's build reports it
            except Exception:  # a bug: keep serving, the next save tries again
                traceback.print_exc()
                return None

    def close(self) -> bool:
        """Serve stops: keep its state for the next run (see Builder.keep_state)."""
        if not self.lock.acquire(timeout=5):  # a build still under way: the next run is cold
            return False
        try:
            return self.builder.keep_state()
        finally:
            self.lock.release()

    def wait(self, timeout: float) -> None:
        """Until a build in progress has finished (or the timeout passes)."""
        if self.lock.acquire(timeout=timeout):
            self.lock.release()


def edit_pages(builder: Builder, saved: Iterable[str], today: dt.date) -> BuildResult | None:
    """Rebuild after saves that changed only the bodies of existing pages; None when the
    saves changed anything else (front matter, a new or deleted file, an offer, a
    template, an anchor other pages may link to): then the full build decides.

    The files that show a page's body are the page itself, its fallback copies in other
    languages and the search index (owed to finish_pending()).
    """
    from .. import content, sources, validate

    started = time.perf_counter()
    last, state = builder.last, builder.state
    if (
        last is None
        or state is None
        or state.load is None
        or last.today != today
        or not has_build(builder.out_dir)
    ):
        return None
    made, config = last.made, last.made.site.config
    if not last.by_source:
        for page in made.site.pages.values():
            last.by_source.setdefault(page.source.path, []).append(page)
    paths = sorted(saved)
    if not all(
        sources.page_language(rel, config)
        and rel in last.by_source
        and (builder.site_dir / rel).is_file()
        for rel in paths
    ):
        return None
    diags: list[Diagnostic] = []
    edited: dict[str, tuple[PageSource, PageMeta, list[Diagnostic]]] = {}
    for rel in paths:
        source, problems = sources.reload_page(builder.site_dir, config, rel, state.load.sources)
        diags += problems
        if source is None:
            continue
        meta, problems = validate.validate_page(source, config)
        diags += problems
        if meta is not None:
            if made.site.pages[(source.lang, source.key)].meta != meta:
                return None  # title, slug, menu...: shown or used by other files
            edited[rel] = (source, meta, problems)
    if len(edited) != len(paths) or any(d.is_error for d in diags):
        return None  # the full pipeline reports these errors with every other problem of the site

    patched = {
        (page.lang, page.key): replace(page, source=edited[rel][0])
        for rel in paths
        for page in last.by_source[rel]
    }
    site = replace(made.site, pages={**made.site.pages, **patched})
    fresh, problems = content.update_pages(site, made.contents, sorted(patched), state.markdown)
    diags += problems
    if any(fresh[slot].ids != made.contents.pages[slot].ids for slot in fresh):
        return None  # links from other pages to these anchors must be checked again
    # Only these bodies changed, and nothing else reads them: their problems are all there is.
    if any(d.is_error for d in diags):
        raise ContentError(sorted(set(diags)))
    contents = content.Contents({**made.contents.pages, **fresh}, made.contents.descriptions)
    renderer = made.renderer.with_bodies(site, contents)
    made = replace(made, site=site, contents=contents, renderer=renderer)
    rendered, changed = builder.update(
        made, [renderer.page_job(patched[slot]) for slot in sorted(patched)]
    )
    for rel, entry in edited.items():
        state.load.validated[rel] = entry

    warnings = sorted(
        {d for d in last.result.warnings if d.path not in edited}
        | {d for d in diags if not d.is_error}
    )
    seconds = time.perf_counter() - started
    result = replace(
        last.result,
        rendered=rendered,
        seconds=seconds,
        warnings=warnings,
        changed=changed,
        unchanged=False,
        stages={"edit": seconds},
    )
    by_source = {
        **last.by_source,
        **{rel: [patched[(p.lang, p.key)] for p in last.by_source[rel]] for rel in paths},
    }
    builder.adopt(Built(today, made, result, by_source), owed={lang for lang, _ in patched})
    return result
