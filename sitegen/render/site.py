"""The whole site's outputs: every unit's jobs, in one list, for build.py."""

from __future__ import annotations

from collections.abc import Iterator

from ..content import Contents
from ..model import Page, Site
from . import (
    data,
    feeds,
    finder,
    home,
    listings,
    offers,
    pages,
    rootpages,
    searchpage,
    sitemap,
    statuspage,
    webapp,
)
from .core import Job, Renderer


class SiteRenderer(Renderer):
    """What build.py renders: each unit (one module per kind of output) yields its jobs."""

    def jobs(self) -> Iterator[Job]:
        """Every generated file, with what it depends on and how to render it.

        Rendering is deferred so that one failing template is reported without stopping
        the others, and so that a file whose dependencies did not change is not rendered
        again (see build.py). `deps` must name everything the file's bytes depend on
        besides the global inputs (templates, catalogs, site.yaml, sitegen's version).
        """
        for lang in self.config.languages:
            for unit in (pages, home, offers, listings, finder, searchpage, data, feeds, webapp):
                yield from unit.jobs(self, lang)
        yield from data.site_jobs()
        yield from webapp.site_jobs()
        yield from rootpages.jobs(self)
        yield from sitemap.jobs(self)
        yield from statuspage.jobs(self)

    def page_job(self, page: Page) -> Job:
        """The job of one page written in content/ (what a save of its body renders again)."""
        return pages.job(self, page)

    def with_bodies(self, site: Site, contents: Contents) -> SiteRenderer:
        """A renderer for the same site whose pages got new bodies (and nothing else): the
        digests of offers, front matter and menus carry over."""
        other = SiteRenderer(
            site, contents, self.localizers, self.envs, self.revisions, self.site_files
        )
        other.keep_digests(self)
        return other

    def facet_labels(self, lang: str) -> dict[str, dict[str, str]]:
        """The names of the search facets' values in `lang` (the search index carries them)."""
        return searchpage.facet_labels(self, lang)
