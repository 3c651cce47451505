"""The stages before rendering (load, validate, model, Markdown), each a function that
returns its value and its problems, and `Stages`, which runs them in turn. `load_site`
runs them for `check` and `status`; `Builder.build` adds the render, search and write
stages."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import assets, parallel
from .errors import ContentError, Diagnostic, Severity
from .partial import NEEDS_CONFIG, Partial, stand_in

if TYPE_CHECKING:
    import datetime as dt

    from . import content, i18n, model
    from .config import Config
    from .sources import Sources

# The stages' modules (Babel, YAML, Markdown) are imported when a build really runs: a
# build with nothing to do answers in a fraction of a second.

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
