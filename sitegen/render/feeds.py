"""Atom feeds (RFC 4287): the new and updated offers and pages of one language.

An entry's date is the offer's `reviewed` or the page's `updated`: the days a person checked
or changed the text. Entries without such a date have no honest `updated` and are left out.
Only published offers (never past ones) and real translations (no fallback copies) appear.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from .core import Job, Renderer, feed_path

ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50  # feed readers only show the newest; keeps the file small as the site grows


@dataclass(frozen=True)
class Entry:
    url: str  # absolute; also the entry's id (stable as long as the URL is)
    title: str
    summary: str
    updated: dt.date
    category: str  # "offer" or "page" label, in the feed's language


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    yield Job(
        feed_path(lang),
        f"the Atom feed of {lang}",
        ("feed", lang, r.pages_digest(), r.offers_digest()),
        partial(feed, r, lang),
    )


def feed(r: Renderer, lang: str) -> bytes:
    loc, site = r.localizers[lang], r.site
    entries = []
    offer_label, page_label = loc.gettext("Offer"), loc.gettext("Page")
    for offer in site.offers:
        if offer.reviewed:
            entries.append(
                Entry(
                    r.absolute(site.offer_url(lang, offer.id)),
                    r.text(offer.title, lang)["text"] or offer.id,
                    r.text(offer.summary, lang)["text"] or "",
                    offer.reviewed,
                    offer_label,
                )
            )
    for key in site.keys:
        page = site.page(lang, key)
        if page is not None and not page.is_fallback and page.meta.updated:
            entries.append(
                Entry(
                    r.absolute(page.url),
                    page.meta.title,
                    page.meta.summary,
                    page.meta.updated,
                    page_label,
                )
            )
    site_title = r.config.text(r.config.title, lang)
    title = loc.gettext("%(site)s: new and updated") % {"site": site_title}
    return atom_feed(
        lang,
        title,
        site_title,
        r.absolute(feed_path(lang)),
        r.absolute(site.home_url(lang)),
        entries,
    )


def _stamp(day: dt.date) -> str:
    # RFC 3339 date-time, as Atom requires; midnight UTC of the day, so the bytes never vary.
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(
    lang: str, title: str, author: str, feed_url: str, home_url: str, entries: list[Entry]
) -> bytes:
    """The feed's bytes: newest first (ties by URL), at most MAX_ENTRIES entries. Pure."""
    chosen = sorted(entries, key=lambda e: (-e.updated.toordinal(), e.url))[:MAX_ENTRIES]
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": lang})
    sub(feed, "id", feed_url)
    sub(feed, "title", title)
    sub(feed, "updated", _stamp(max((e.updated for e in chosen), default=dt.date(2000, 1, 1))))
    sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    sub(feed, "link", rel="alternate", type="text/html", href=home_url)
    author_name, author = author, sub(feed, "author")
    sub(author, "name", author_name)
    for e in chosen:
        entry = sub(feed, "entry")
        sub(entry, "id", e.url)
        sub(entry, "title", e.title)
        sub(entry, "updated", _stamp(e.updated))
        sub(entry, "link", rel="alternate", type="text/html", href=e.url)
        sub(entry, "category", term=e.category)
        if e.summary:
            sub(entry, "summary", e.summary)
    ET.indent(feed)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
        + b"\n"
    )
