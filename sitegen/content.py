"""Convert every page's Markdown (and offer descriptions) per language; check links and anchors.

Runs before any output is written: a broken link is a content error like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from .errors import Diagnostic, error, warning
from .markdown import LinkProblem, MarkdownRenderer, Rendered, Resolver
from .model import Site
from .sources import Mapper
from .urls import relative


@dataclass(frozen=True)
class Contents:
    pages: dict[tuple[str, str], Rendered]  # (lang, key) -> the page's body in that language tree
    descriptions: dict[tuple[str, str], Rendered]  # (lang, offer id) -> description


def _line_of(body: str, first_line: int, target: str, nth: int = 1) -> int:
    """The file line of the nth place a link target is written (Markdown keeps no positions)."""
    seen = 0
    for number, line in enumerate(body.split("\n"), start=first_line):
        seen += line.count(target)
        if seen >= nth:
            return number
    return first_line


class _Lines:
    """Finds the line of each reported target in turn: a bad link written twice is told twice."""

    def __init__(self, body: str, first_line: int):
        self.body, self.first_line = body, first_line
        self.seen: dict[str, int] = {}

    def __call__(self, target: str) -> int:
        self.seen[target] = self.seen.get(target, 0) + 1
        return _line_of(self.body, self.first_line, target, self.seen[target])


# (lang, key or "offer:<id>") -> (what the rendering was made from, the rendering)
MarkdownCache = dict[tuple[str, str], tuple[tuple[str, ...], Rendered]]


def _cached(
    cache: MarkdownCache,
    slot: tuple[str, str],
    basis: tuple[str, ...],
    resolve: dict[str, Resolver],
) -> Rendered | None:
    """A previous rendering of the same text at the same address, whose links resolve the same."""
    entry = cache.get(slot)
    if entry is None or entry[0] != basis:
        return None
    rendered = entry[1]
    for kind, key, url in rendered.resolved:
        if resolve[kind](key) != url:
            return None
    return rendered


class _Reporter:
    """Collects problems; a fallback page repeats its source's links in every language.

    Say each once.
    """

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
        self.reported: set[tuple[str, int, str]] = set()

    def error(self, path: str, line: int, message: str, hint: str) -> None:
        self.once(path, line, message, error(path, line, message, hint))

    def problem(self, path: str, line: int, problem: LinkProblem, prefix: str = "") -> None:
        """A problem of a rendering: an error, or a warning for raw HTML the sanitizer removes."""
        make = warning if problem.is_warning else error
        self.once(
            path,
            line,
            prefix + problem.message,
            make(path, line, prefix + problem.message, problem.hint),
        )

    def once(self, path: str, line: int, what: str, diag: Diagnostic) -> None:
        if (path, line, what) not in self.reported:
            self.reported.add((path, line, what))
            self.diags.append(diag)


def _resolvers(site: Site, lang: str, key: str) -> dict[str, Resolver]:
    """How links from this page find their targets: pages of its language tree, files."""
    page = site.pages[(lang, key)]
    here = page.url

    def page_url(target: str) -> str | None:
        found = site.page(lang, target)
        return relative(found.url, here) if found else None

    def asset_url(target: str) -> str | None:
        for candidate in (page.source.lang, site.config.default_language, *site.config.languages):
            if (candidate, target) in site.assets:
                return relative(f"{candidate}/{target}", here)
        return None

    return {"page": page_url, "file": asset_url}


def _basis(site: Site, lang: str, key: str) -> tuple[str, ...]:
    page = site.pages[(lang, key)]
    return (site.config.markdown, page.source.path, page.url, page.source.body)


def _convert(site: Site, renderer: MarkdownRenderer, slot: tuple[str, str]) -> Rendered:
    """One page's body in one language tree (runs in a worker process on large sites)."""
    resolve = _resolvers(site, *slot)
    return renderer.render(site.pages[slot].source.body, slot[1], resolve["page"], resolve["file"])


def _report_page(site: Site, slot: tuple[str, str], rendered: Rendered, report: _Reporter) -> None:
    """The page's link and image problems, at the lines they are written on."""
    page = site.pages[slot]
    line_of = _Lines(page.source.body, page.source.body_line)
    for problem in rendered.problems:
        line = page.source.body_line + problem.line - 1 if problem.line else line_of(problem.target)
        report.problem(page.source.path, line, problem)
    image_line = _Lines(page.source.body, page.source.body_line)
    for src, alt in rendered.images:
        line = image_line(src)
        if not alt.strip():
            report.once(
                page.source.path,
                line,
                "alt",
                warning(
                    page.source.path,
                    line,
                    f"the image '{src}' has no text alternative",
                    "describe the image between the brackets: ![a map of Sion](map.png)",
                ),
            )


def _render_pages(
    site: Site,
    renderer: MarkdownRenderer,
    cache: MarkdownCache,
    slots: list[tuple[str, str]],
    report: _Reporter,
    mapper: Mapper | None = None,
) -> dict[tuple[str, str], Rendered]:
    """The pages' bodies, from the cache where their text and link targets did not change."""
    pages: dict[tuple[str, str], Rendered] = {}
    misses = []
    for slot in slots:
        rendered = _cached(cache, slot, _basis(site, *slot), _resolvers(site, *slot))
        if rendered is None:
            misses.append(slot)
        else:
            pages[slot] = rendered
    convert = partial(_convert, site, renderer)
    for slot, rendered in zip(
        misses, mapper(convert, misses) if mapper else map(convert, misses), strict=True
    ):
        cache[slot] = (_basis(site, *slot), rendered)
        pages[slot] = rendered
    for slot in slots:
        _report_page(site, slot, pages[slot], report)
    return pages


def _check_anchors(
    site: Site, pages: dict[tuple[str, str], Rendered], lang: str, key: str, report: _Reporter
) -> None:
    """Links from one page to #anchors, on itself or on other pages of its language tree."""
    page = site.pages[(lang, key)]
    line_of = _Lines(page.source.body, page.source.body_line)
    for link in pages[(lang, key)].anchor_links:
        target_key = link.key or key
        target = pages.get((lang, target_key))
        if target is not None and link.fragment not in target.ids:
            where = "this page" if not link.key else site.pages[(lang, target_key)].source.path
            known = ", ".join(sorted(target.ids)[:8]) or "none"
            report.error(
                page.source.path,
                line_of(link.target),
                f"the anchor '#{link.fragment}' does not exist in {where}",
                f"use one of its anchors ({known}), or add {{#{link.fragment}}} to a heading there",
            )


def update_pages(
    site: Site,
    contents: Contents,
    slots: list[tuple[str, str]],
    cache: MarkdownCache,
    renderer: MarkdownRenderer | None = None,
) -> tuple[dict[tuple[str, str], Rendered], list[Diagnostic]]:
    """Convert again the pages in `slots` (their source text changed, nothing else did).

    Returns their new renderings without touching `contents`. Links from other pages to
    these pages' anchors are not checked again: the caller makes sure the anchors stayed.
    """
    renderer = renderer or MarkdownRenderer(site.config.markdown)
    report = _Reporter()
    fresh = _render_pages(site, renderer, cache, sorted(slots), report)
    merged = {**contents.pages, **fresh}
    for slot in sorted(fresh):
        _check_anchors(site, merged, *slot, report)
    return fresh, report.diags


def _text_line(offer: Any, text: str) -> int:
    """The file line where the description text shown (maybe another language's) starts."""
    lines = dict(getattr(offer, "description_lines", ()))
    for lang, value in offer.description.items():
        if value == text and lang in lines:
            return lines[lang]
    return int(getattr(offer, "line", 0))


def render_contents(
    site: Site,
    renderer: MarkdownRenderer | None = None,
    cache: MarkdownCache | None = None,
    mapper: Mapper | None = None,
) -> tuple[Contents, list[Diagnostic]]:
    """Convert every page and offer description; `cache` (kept by the caller) skips unchanged
    ones; `mapper` may convert the pages in several processes (pure function, same result)."""
    renderer = renderer or MarkdownRenderer(site.config.markdown)
    cache = {} if cache is None else cache
    engine = site.config.markdown
    report = _Reporter()
    pages = _render_pages(site, renderer, cache, sorted(site.pages), report, mapper)
    for slot in sorted(pages):
        _check_anchors(site, pages, *slot, report)

    descriptions: dict[tuple[str, str], Rendered] = {}
    for offer in site.offers:
        for lang in site.config.languages:
            text = site.config.text(offer.description, lang)
            if not text:
                continue
            here = site.offer_url(lang, offer.id)

            def offer_page_url(target: str, lang: str = lang, here: str = here) -> str | None:
                found = site.page(lang, target)
                return relative(found.url, here) if found else None

            basis = (engine, offer.path, here, text)
            slot = (lang, f"offer:{offer.id}")
            rendered = _cached(
                cache, slot, basis, {"page": offer_page_url, "file": lambda key: None}
            )
            if rendered is None:
                rendered = renderer.render(text, "", offer_page_url)
                cache[slot] = (basis, rendered)
            descriptions[(lang, offer.id)] = rendered
            first = _text_line(offer, text)
            line_of = _Lines(text, first)
            for problem in rendered.problems:
                line = first + problem.line - 1 if problem.line else line_of(problem.target)
                report.problem(offer.path, line, problem, f"in the description of '{offer.id}': ")
    return Contents(pages, descriptions), report.diags
