"""The search page of each language (the index itself is the search modules'): the form, the
kinds and regions to browse without JavaScript, and the facets' labels the index carries."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ..urls import output_file
from .core import Job, Renderer


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    yield Job(
        output_file(r.site.search_url(lang)),
        f"the search page ({lang})",
        ("search", r.chrome_digest(lang), r.offers_digest()),
        partial(r.render, lang, "search.html", partial(context, r, lang)),
    )


def context(r: Renderer, lang: str) -> dict[str, Any]:
    loc = r.localizers[lang]
    url = r.site.search_url(lang)
    switch = r.all_languages(r.site.search_url)
    page = r.chrome(
        lang,
        url,
        loc.gettext("Search"),
        switch,
        canonical=r.absolute(url),
        alternates=r.alternates(switch),
        breadcrumbs=[(r.home_title(lang), r.site.home_url(lang))],
    )
    browse: dict[str, list[dict[str, Any]]] = {"kinds": [], "regions": []}
    for listing in r.site.listings(lang):
        if listing.term is not None:
            browse[listing.facet + "s"].append(
                {
                    "id": listing.term.id,
                    "label": loc.term(listing.term),
                    "url": listing.url,
                    "count": len(listing.offers),
                }
            )
    page.update({"search_url": url, "browse": browse, "facet_labels": facet_labels(r, lang)})
    return page


def facet_labels(r: Renderer, lang: str) -> dict[str, dict[str, str]]:
    """The name of every facet value in `lang`, for the page's filters and the search index."""
    loc = r.localizers[lang]
    offers = r.site.offers
    return {
        "kind": {t.id: loc.term(t) for t in r.config.kinds},
        "region": {t.id: loc.term(t) for t in r.config.regions},
        "commune": {c: c for c in sorted({o.commune for o in offers if o.commune})},
        "language": {
            c: loc.language_name(c) for c in sorted({c for o in offers for c in o.languages})
        },
        "level": {lvl: lvl for lvl in sorted({lvl for o in offers for lvl in o.levels})},
        "free": {"yes": loc.gettext("Free of charge")},
        "childcare": {"yes": loc.gettext("With childcare")},
    }
