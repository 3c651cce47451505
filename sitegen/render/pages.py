"""The pages written in content/: the page itself, its fallback copies in other languages
(the default language's text under a notice), the home page when it is one of them, and the
links between a page and its easy-to-read version (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from markupsafe import Markup

from ..i18n import Localizer
from ..model import Page, Site
from ..urls import output_file
from . import home
from .core import Job, Renderer


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    for key in r.site.keys:
        page = r.site.page(lang, key)
        if page is not None:
            yield job(r, page)


def job(r: Renderer, page: Page) -> Job:
    """The page's file, with everything its bytes show besides its language's chrome."""
    rendered = r.contents.pages[(page.lang, page.key)]
    deps = (
        "page",
        r.chrome_digest(page.lang),
        page.url,
        page.key,
        page.meta,
        page.source.path,
        rendered.digest,
        tuple((p.lang, p.url, p.is_fallback) for p in r.site.translations(page.key)),
        tuple((a.meta.title, a.url) for a in r.site.ancestors(page)),
        r.offers_digest() if page.is_home else None,
        _easy_deps(r.site, page),
    )
    return Job(output_file(page.url), page.source.path, deps, partial(render, r, page))


def render(r: Renderer, page: Page) -> bytes:
    values = context(r, page)
    if not page.is_home:
        return r.render(page.lang, "page.html", values)
    values.update(home.extra(r, page.lang))
    values["breadcrumbs"] = []
    return r.render(page.lang, "home.html", values)


def context(r: Renderer, page: Page) -> dict[str, Any]:
    lang, loc = page.lang, r.localizers[page.lang]
    translations = r.site.translations(page.key)
    real = [(p.lang, p.url) for p in translations if not p.is_fallback]
    rendered = r.contents.pages[(lang, page.key)]
    source_page = r.site.page(page.source.lang, page.key)
    notice = ""
    if page.is_fallback:
        notice = loc.gettext(
            "This page is not yet available in %(language)s. Here is the %(source)s version."
        ) % {
            "language": loc.language_name(lang, capitalize=False),
            "source": loc.language_name(page.source.lang, capitalize=False),
        }
    values = r.chrome(
        lang,
        page.url,
        page.meta.title,
        [(p.lang, p.url) for p in translations],
        current_key=page.key,
        canonical=r.absolute(source_page.url if page.is_fallback and source_page else page.url),
        alternates=r.alternates(real) if not page.is_fallback else [],
        breadcrumbs=[(p.meta.title, p.url) for p in r.site.ancestors(page)],
        description=page.meta.summary,
    )
    values.update(
        {
            "title": page.meta.title,
            "lead": page.meta.summary,
            "body": Markup(rendered.html),
            "content_lang": page.source.lang,
            "fallback_notice": notice,
            "toc": [{"id": i, "text": t} for level, i, t in rendered.headings if level == 2],
            "updated": loc.date(page.meta.updated) if page.meta.updated else "",
        }
    )
    values.update(_easy_links(r.site, page, loc))
    return values


# Easy-to-read versions (FALC, Leichte Sprache, plain English): `x.easy.md`, published at
# `x/<easy word>/` (model.Site.easy_version); each links to the other.


def _easy_links(site: Site, page: Page, loc: Localizer) -> dict[str, Any]:
    """`easy`: the page's easy-to-read version in its language; `full`: back to the full page."""
    easy, full = site.easy_version(page), site.full_version(page)
    return {
        "easy": {"url": easy.url, "label": loc.gettext("Easy to read")} if easy else None,
        "full": {"url": full.url, "label": loc.gettext("Full version")} if full else None,
    }


def _easy_deps(site: Site, page: Page) -> tuple[str | None, str | None]:
    """What a page's bytes take from its easy or full version: their addresses."""
    easy, full = site.easy_version(page), site.full_version(page)
    return (easy.url if easy else None, full.url if full else None)
