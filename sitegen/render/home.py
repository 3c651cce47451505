"""The home page of each language: its topics (the main menu) and the kinds and regions of
offers with their counts; generated when the language has no home page of its own."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ..urls import output_file
from . import listings
from .core import Job, Renderer


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    """The generated home page, when content/<lang>/index.md is missing.

    pages.py renders the others.
    """
    if r.site.home(lang) is None:
        yield Job(
            output_file(r.site.home_url(lang)),
            f"the home page ({lang})",
            ("home", r.chrome_digest(lang), r.offers_digest()),
            partial(r.render, lang, "home.html", partial(generated, r, lang)),
        )


def extra(r: Renderer, lang: str) -> dict[str, Any]:
    """What home.html shows besides a page's own text."""
    topics = [
        {"title": p.meta.title, "url": p.url, "summary": p.meta.summary} for p in r.site.menu(lang)
    ]
    return {
        "topics": topics,
        "facets": listings.facet_groups(r, lang),
        "offer_count": len(r.site.offers),
        "offer_count_label": r.localizers[lang].number(len(r.site.offers)),
    }


def generated(r: Renderer, lang: str) -> dict[str, Any]:
    title = r.config.text(r.config.title, lang)
    switch = r.all_languages(r.site.home_url)
    context = r.chrome(
        lang,
        r.site.home_url(lang),
        title,
        switch,
        canonical=r.absolute(r.site.home_url(lang)),
        alternates=r.alternates(switch),
    )
    context.update(
        {
            "title": title,
            "lead": r.config.text(r.config.tagline, lang),
            "body": "",
            "content_lang": lang,
            "fallback_notice": "",
        }
    )
    context.update(extra(r, lang))
    return context
