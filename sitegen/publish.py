"""The files beside the pages that let visitors take the site with them (issue 11): open data,
Atom feeds, the web app manifest, the service worker and the lists of files a region's offline
copy needs; and what each page's head and share links say about it.

Each file is a render.Job with honest `deps`; the bytes come from the pure modules opendata.py
and feeds.py. Imported by render.SiteRenderer.jobs() and chrome() only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import segno
from babel.units import format_unit
from markupsafe import Markup

from . import assets, feeds, opendata
from .render import Job, _digest
from .urls import output_file

if TYPE_CHECKING:
    from .model import Listing
    from .render import SiteRenderer

STATIC_DIR = Path(__file__).parent / "static"
SERVICE_WORKER = "sw.js"  # at the site's root: a worker only controls pages at or below its own folder
THEME_COLOUR = "#005a9c"  # the header's colour (site.css)
# Files every offline page needs (the service worker itself is fetched by the browser).
OFFLINE_ASSETS = ("site.css", "search-loader.js", "share.js", "offline.js", "open-now.js", "listen.js", "icon.svg")


def manifest_path(lang: str) -> str:
    return f"{lang}/manifest.webmanifest"


def offline_list_path(lang: str, region: str) -> str:
    return f"offline/{lang}-{region}.json"


def extra_jobs(r: SiteRenderer, lang: str) -> Iterator[Job]:
    """The files of one language: data, feed, manifest, offline lists."""
    site = r.site
    json_path, csv_path = opendata.data_files(lang)
    offers_digest = r.offers_digest()
    yield Job(json_path, f"the open data of {lang} (JSON)", ("data-json", lang, offers_digest), partial(_data_json, r, lang))
    yield Job(csv_path, f"the open data of {lang} (CSV)", ("data-csv", lang, offers_digest), partial(_data_csv, r, lang))
    pages_digest = _digest([(p.key, p.url, p.meta.title, p.meta.summary, p.meta.updated) for p in site.pages.values() if p.lang == lang and not p.is_fallback])
    yield Job(feeds.feed_path(lang), f"the Atom feed of {lang}", ("feed", lang, pages_digest, offers_digest), partial(_feed, r, lang))
    yield Job(manifest_path(lang), f"the web app manifest of {lang}", None, partial(_manifest, r, lang))
    for listing in site.listings(lang):
        if listing.facet == "region" and listing.term is not None:
            pages = _region_pages(r, listing)
            # Always rendered (deps None): its sizes change whenever one of its pages is
            # rendered again, which its own inputs cannot tell; it is a small file.
            yield Job(offline_list_path(lang, listing.term.id), f"the offline list of /{listing.url}", None,
                      partial(_offline_list, r, listing, pages), pages)


def site_jobs(r: SiteRenderer) -> Iterator[Job]:
    """The files shared by every language."""
    yield Job(opendata.SCHEMA_FILE, "the open data schema", None, opendata.schema_json)
    yield Job(SERVICE_WORKER, "the service worker", None, lambda: assets.published(SERVICE_WORKER, (STATIC_DIR / SERVICE_WORKER).read_bytes()))


def _records(r: SiteRenderer, lang: str) -> list[dict[str, Any]]:
    loc = r.localizers[lang]
    return [opendata.offer_record(o, lang, r.config, loc, r.absolute(r.site.offer_url(lang, o.id))) for o in r.site.offers]


def _data_json(r: SiteRenderer, lang: str) -> bytes:
    return opendata.offers_json(lang, r.config.base_url, _records(r, lang))


def _data_csv(r: SiteRenderer, lang: str) -> bytes:
    return opendata.offers_csv(_records(r, lang))


def _feed(r: SiteRenderer, lang: str) -> bytes:
    loc, site = r.localizers[lang], r.site
    entries = []
    offer_label, page_label = loc.gettext("Offer"), loc.gettext("Page")
    for offer in site.offers:
        if offer.reviewed:
            entries.append(feeds.Entry(r.absolute(site.offer_url(lang, offer.id)), r.text(offer.title, lang)["text"] or offer.id,
                                       r.text(offer.summary, lang)["text"] or "", offer.reviewed, offer_label))
    for key in site.keys:
        page = site.page(lang, key)
        if page is not None and not page.is_fallback and page.meta.updated:
            entries.append(feeds.Entry(r.absolute(page.url), page.meta.title, page.meta.summary, page.meta.updated, page_label))
    site_title = r.config.text(r.config.title, lang)
    title = loc.gettext("%(site)s: new and updated") % {"site": site_title}
    return feeds.atom_feed(lang, title, site_title, r.absolute(feeds.feed_path(lang)), r.absolute(site.home_url(lang)), entries)


def _manifest(r: SiteRenderer, lang: str) -> bytes:
    """The web app manifest: URLs relative to its own folder (<lang>/), so any sub-path works."""
    title = r.config.text(r.config.title, lang)
    data = {
        "name": title, "short_name": title, "description": r.config.text(r.config.tagline, lang), "lang": lang, "dir": r.localizers[lang].direction,
        "start_url": "index.html", "scope": "../", "display": "standalone", "theme_color": THEME_COLOUR, "background_color": "#ffffff",
        "icons": [{"src": "../assets/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _size_label(r: SiteRenderer, lang: str, size: int) -> str:
    locale = r.localizers[lang].locale
    if size < 1_000_000:
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=locale)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short", locale=locale)


def _region_pages(r: SiteRenderer, listing: Listing) -> tuple[str, ...]:
    """The output files of a region's offline copy: its list pages and its offers' pages."""
    lists = [output_file(r.listing_url(listing, listing.lang, n)) for n in range(1, r.listing_numbers(listing) + 1)]
    return (*lists, *(output_file(r.site.offer_url(listing.lang, o.id)) for o in listing.offers))


def _offline_list(r: SiteRenderer, listing: Listing, pages: tuple[str, ...]) -> bytes:
    """What saving a region downloads: its pages and the assets, with their total size, measured
    on the files this build wrote (build.py renders this job after them)."""
    lang = listing.lang
    files = {path: r.output_sizes[path] for path in pages}
    for name in OFFLINE_ASSETS:
        files[f"assets/{name}"] = len(assets.published(name, (STATIC_DIR / name).read_bytes()))  # as published: minified
    size = sum(files.values())
    loc = r.localizers[lang]
    message = loc.ngettext("Saving this region downloads %(count)s page (%(size)s).", "Saving this region downloads %(count)s pages (%(size)s).", len(pages)) % {
        "count": loc.number(len(pages)), "size": _size_label(r, lang, size)}
    data = {"files": sorted(files), "bytes": size, "message": message}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- what each page says about itself -------------------------------------------------------------


def page_tools(r: SiteRenderer, lang: str, here: str | None, title: str, description: str, canonical: str | None) -> dict[str, Any]:
    """Open Graph and Twitter card values, share links, feed and manifest, for base.html."""
    loc = r.localizers[lang]
    site_title = r.config.text(r.config.title, lang)
    tools: dict[str, Any] = {"feed_url": feeds.feed_path(lang), "feed_title": loc.gettext("New and updated offers and pages"),
                             "manifest_url": manifest_path(lang), "theme_colour": THEME_COLOUR, "share": None, "og": None,
                             "data": dict(zip(("json", "csv"), opendata.data_files(lang), strict=True)) | {"schema": opendata.SCHEMA_FILE}}
    if canonical is None or here is None:
        return tools
    tools["og"] = {"title": title, "description": description, "url": canonical, "site_name": site_title, "locale": str(loc.locale),
                   "type": "article" if here != r.site.home_url(lang) else "website"}
    text = f"{title} – {canonical}"
    tools["share"] = {
        "url": canonical, "title": title,
        "mail": f"mailto:?subject={quote(title, safe='')}&body={quote(canonical, safe='')}",
        "whatsapp": f"https://wa.me/?text={quote(text, safe='')}",
    }
    return tools


@lru_cache(maxsize=4096)  # pure: the rebuilds of `sitegen serve` draw each page's code once
def qr_svg(url: str) -> Markup:
    """The QR code of a page's online address as inline SVG (print only).

    Mask 0 is fixed: choosing the best of the eight masks took 12 ms a page, a fixed one 3 ms,
    and every mask decodes (ISO/IEC 18004 only ranks them). Error level L (7 %) suffices for
    a code printed on paper and scanned from near; M took a third longer. Same URL, same bytes.
    """
    code = segno.make_qr(url, error="l", mask=0, boost_error=False)
    return Markup(code.svg_inline(scale=3, border=2, omitsize=True, dark="#000", light="#fff"))
