"""Easy-to-read versions of pages (FALC, Leichte Sprache, plain English): the links between
a page and its easy version, for the page itself and the language switcher (issue 12)."""

from __future__ import annotations

from typing import Any

from .i18n import Localizer
from .model import Page, Site


def easy_links(site: Site, page: Page, loc: Localizer) -> dict[str, Any]:
    """`easy`: the page's easy-to-read version in its language; `full`: back to the full page."""
    easy, full = site.easy_version(page), site.full_version(page)
    return {
        "easy": {"url": easy.url, "label": loc.gettext("Easy to read")} if easy else None,
        "full": {"url": full.url, "label": loc.gettext("Full version")} if full else None,
    }


def easy_deps(site: Site, page: Page) -> tuple[str | None, str | None]:
    """What a page's bytes take from its easy or full version: their addresses."""
    easy, full = site.easy_version(page), site.full_version(page)
    return (easy.url if easy else None, full.url if full else None)
