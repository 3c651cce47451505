"""For search engines: sitemap.xml with xhtml:link alternates (Google's multilingual sitemap
format) and robots.txt, which names it."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from html import escape

from . import finder
from .core import Job, Renderer


def jobs(r: Renderer) -> Iterator[Job]:
    yield Job(
        "sitemap.xml",
        "sitemap.xml",
        ("sitemap", r.pages_digest(), r.offers_digest()),
        partial(sitemap, r),
    )
    yield Job(
        "robots.txt",
        "robots.txt",
        None,
        lambda: f"User-agent: *\nAllow: /\nSitemap: {r.absolute('sitemap.xml')}\n".encode(),
    )


def sitemap(r: Renderer) -> bytes:
    """Every page in every language where it is a real translation.

    Each group names its alternates.
    """
    site, languages = r.site, r.config.languages
    groups: list[list[tuple[str, str]]] = []
    for key in site.keys:
        real = [(p.lang, p.url) for p in site.translations(key) if not p.is_fallback]
        if real:
            groups.append(real)
    for offer in site.offers:
        groups.append([(code, site.offer_url(code, offer.id)) for code in languages])
    for lang_listings in zip(*(site.listings(code) for code in languages), strict=True):
        groups.append([(listing.lang, listing.url) for listing in lang_listings])
    for finder_pages in zip(*(finder.urls(r, code) for code in languages), strict=True):
        groups.append(list(zip(languages, finder_pages, strict=True)))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for group in groups:
        for _, url in group:
            lines.append(f"<url><loc>{escape(r.absolute(url))}</loc>")
            if len(group) > 1:
                for code, other in group:
                    lines.append(
                        f'<xhtml:link rel="alternate" hreflang="{escape(code)}" '
                        f'href="{escape(r.absolute(other))}"/>'
                    )
            lines.append("</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
