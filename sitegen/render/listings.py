"""The lists of offers: all offers, by kind and by region, cut into pages of `per_page`; and
the groups of kinds and regions with their counts (lists, home page)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import partial
from typing import Any

from ..model import Listing
from ..urls import output_file
from . import finder, offers
from .core import Job, Renderer, digest


def offline_list_path(lang: str, region: str) -> str:
    """The list of files a region's offline copy needs (webapp.py writes it; its list links it)."""
    return f"offline/{lang}-{region}.json"


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    # A list page depends on the cards it shows, its list's length and every group's count
    # (its side bar), not on all offers: an edited offer re-renders the pages that show it.
    chrome, per_page = r.chrome_digest(lang), r.config.per_page
    counts = tuple(
        len(r.site.offers_in(lang, facet, term.id))
        for facet, terms in (("kind", r.config.kinds), ("region", r.config.regions))
        for term in terms
    )
    for listing in r.site.listings(lang):
        for number in range(1, numbers(r, listing) + 1):
            url = listing_url(r, listing, lang, number)
            shown = digest(
                [
                    offers.card_deps(o)
                    for o in listing.offers[(number - 1) * per_page : number * per_page]
                ]
            )
            yield Job(
                output_file(url),
                f"the list of offers /{url}",
                ("listing", chrome, url, number, len(listing.offers), counts, shown),
                partial(r.render, lang, "listing.html", partial(context, r, listing, number)),
            )


def numbers(r: Renderer, listing: Listing) -> int:
    """How many pages the list has."""
    return max(1, math.ceil(len(listing.offers) / r.config.per_page))


def listing_url(r: Renderer, listing: Listing, lang: str, number: int = 1) -> str:
    """The address of page `number` of the list in `lang` (the same list in any language)."""
    base = (
        r.site.offers_url(lang)
        if listing.term is None
        else r.site.term_url(lang, listing.facet, listing.term.id)
    )
    return r.site.page_number_url(base, lang, number)


def facet_groups(r: Renderer, lang: str, current: Listing | None = None) -> list[dict[str, Any]]:
    loc = r.localizers[lang]
    labels = {"kind": loc.gettext("By kind of offer"), "region": loc.gettext("By region")}
    groups = []
    for facet, terms in (("kind", r.config.kinds), ("region", r.config.regions)):
        items = []
        for term in terms:
            count = len(r.site.offers_in(lang, facet, term.id))
            if count:
                items.append(
                    {
                        "label": loc.term(term),
                        "url": r.site.term_url(lang, facet, term.id),
                        "count": count,
                        "count_label": loc.number(count),
                        "current": bool(
                            current
                            and current.term
                            and current.facet == facet
                            and current.term.id == term.id
                        ),
                    }
                )
        groups.append({"label": labels[facet], "items": items})
    return groups


def context(r: Renderer, listing: Listing, number: int) -> dict[str, Any]:
    lang, loc = listing.lang, r.localizers[listing.lang]
    per_page = r.config.per_page
    pages = numbers(r, listing)
    if listing.term is None:
        title = loc.gettext("All offers")
    elif listing.facet == "kind":
        title = loc.term(listing.term)
    else:
        title = loc.gettext("Offers in %(region)s") % {"region": loc.term(listing.term)}
    crumbs = [(r.home_title(lang), r.site.home_url(lang))]
    if listing.term is not None:
        crumbs.append((loc.gettext("All offers"), r.site.offers_url(lang)))
    url = listing_url(r, listing, lang, number)
    chunk = listing.offers[(number - 1) * per_page : number * per_page]
    switch = r.all_languages(lambda code: listing_url(r, listing, code, number))
    page = r.chrome(
        lang,
        url,
        title if number == 1 else f"{title} ({number}/{pages})",
        switch,
        canonical=r.absolute(url),
        alternates=r.alternates(switch),
        breadcrumbs=crumbs,
        offers_current=listing.term is None,
    )
    page.update(
        {
            "title": title,
            "total": len(listing.offers),
            "total_label": loc.number(len(listing.offers)),
            "number": number,
            "pages": pages,
            "offers": [offers.card(r, o, lang) for o in chunk],
            "previous_url": listing_url(r, listing, lang, number - 1) if number > 1 else None,
            "next_url": listing_url(r, listing, lang, number + 1) if number < pages else None,
            "facets": facet_groups(r, lang, listing),
            "offline_list": offline_list_path(lang, listing.term.id)
            if listing.facet == "region" and listing.term
            else None,  # issue 11
            "finder_url": finder.base_url(r, lang)
            if listing.facet == "kind" and listing.term and listing.term.id == finder.COURSE_KIND
            else None,
        }
    )
    return page
