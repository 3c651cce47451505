"""What lets visitors take the site with them (issue 11): the web app manifest of each
language, the service worker, and the list of files a region's offline copy needs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial

from babel.units import format_unit

from .. import assets
from ..model import Listing
from ..urls import output_file
from . import listings
from .core import THEME_COLOUR, Job, Renderer, manifest_path

# at the site's root: a worker only controls pages at or below its own folder
SERVICE_WORKER = "sw.js"
# Files every offline page needs (the service worker itself is fetched by the browser).
OFFLINE_ASSETS = (
    "site.css",
    "search-loader.js",
    "share.js",
    "offline.js",
    "open-now.js",
    "listen.js",
    "icon.svg",
)


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    """A language's manifest and its regions' offline lists."""
    yield Job(
        manifest_path(lang), f"the web app manifest of {lang}", None, partial(manifest, r, lang)
    )
    for listing in r.site.listings(lang):
        if listing.facet == "region" and listing.term is not None:
            pages = _region_pages(r, listing)
            # Always rendered (deps None): its sizes change whenever one of its pages is
            # rendered again, which its own inputs cannot tell; it is a small file.
            yield Job(
                listings.offline_list_path(lang, listing.term.id),
                f"the offline list of /{listing.url}",
                None,
                partial(offline_list, r, listing, pages),
                pages,
            )


def site_jobs() -> Iterator[Job]:
    yield Job(SERVICE_WORKER, "the service worker", None, lambda: assets.theme_file(SERVICE_WORKER))


def manifest(r: Renderer, lang: str) -> bytes:
    """The web app manifest: URLs relative to its own folder (<lang>/), so any sub-path works."""
    title = r.config.text(r.config.title, lang)
    data = {
        "name": title,
        "short_name": title,
        "description": r.config.text(r.config.tagline, lang),
        "lang": lang,
        "dir": r.localizers[lang].direction,
        "start_url": "index.html",
        "scope": "../",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": "../assets/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _size_label(r: Renderer, lang: str, size: int) -> str:
    locale = r.localizers[lang].locale
    if size < 1_000_000:
        return format_unit(
            max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=locale
        )
    return format_unit(
        round(size / 1_000_000, 1), "digital-megabyte", length="short", locale=locale
    )


def _region_pages(r: Renderer, listing: Listing) -> tuple[str, ...]:
    """The output files of a region's offline copy: its list pages and its offers' pages."""
    lists = [
        output_file(listings.listing_url(r, listing, listing.lang, n))
        for n in range(1, listings.numbers(r, listing) + 1)
    ]
    return (*lists, *(output_file(r.site.offer_url(listing.lang, o.id)) for o in listing.offers))


def offline_list(r: Renderer, listing: Listing, pages: tuple[str, ...]) -> bytes:
    """What saving a region downloads: its pages and the assets, with their total size, measured
    on the files this build wrote (build.py renders this job after them)."""
    lang = listing.lang
    files = {path: r.output_sizes[path] for path in pages}
    for name in OFFLINE_ASSETS:
        files[f"assets/{name}"] = len(assets.theme_file(name))  # as published: minified
    files.update(r.site_files)  # the site's logo and stylesheet, which its pages show
    size = sum(files.values())
    loc = r.localizers[lang]
    message = loc.ngettext(
        "Saving this region downloads %(count)s page (%(size)s).",
        "Saving this region downloads %(count)s pages (%(size)s).",
        len(pages),
    ) % {"count": loc.number(len(pages)), "size": _size_label(r, lang, size)}
    data = {"files": sorted(files), "bytes": size, "message": message}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
