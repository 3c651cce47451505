"""MODEL: the site as plain data: pages per language (fallbacks included), offers, URLs, listings.

Pure: no file is read or written here. URLs are site-internal folder paths such as
"fr/cours-de-langue/"; a page's file is that folder's index.html.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .config import Config, Term
from .errors import Diagnostic, error
from .fields import localize, slugify
from .sources import AssetSource, PageSource
from .validate import OfferData, PageMeta

HOME_KEY = "index.md"
# An easy-to-read version (FALC, Leichte Sprache, plain English) is written beside its page,
# premiers-pas.easy.md beside premiers-pas.md, and published under it: fr/premiers-pas/facile/.
EASY_SUFFIX = ".easy.md"


def full_key(key: str) -> str:
    """The page an easy-to-read version belongs to: premiers-pas.easy.md -> premiers-pas.md."""
    return key.removesuffix(EASY_SUFFIX) + ".md" if key.endswith(EASY_SUFFIX) else key


def easy_key(key: str) -> str:
    return key.removesuffix(".md") + EASY_SUFFIX


@dataclass(frozen=True)
class Page:
    key: str  # the translation key: path inside the language folder
    lang: str  # the language tree the page belongs to
    source: PageSource  # its own source, or the one shown as a fallback
    meta: PageMeta
    url: str

    @property
    def is_fallback(self) -> bool:
        return self.source.lang != self.lang

    @property
    def is_home(self) -> bool:
        return self.key == HOME_KEY

    @property
    def is_easy(self) -> bool:
        return self.key.endswith(EASY_SUFFIX)


@dataclass(frozen=True)
class Listing:
    """A paginated list of offers: all of them, or those of one kind or one region."""

    lang: str
    facet: str  # "all", "kind" or "region"
    term: Term | None
    url: str  # first page; the others are url + "<page word>/<n>/"
    offers: tuple[OfferData, ...]


@dataclass(frozen=True)
class Skipped:
    offer: OfferData
    reason: str


@dataclass
class Site:
    config: Config
    today: dt.date
    pages: dict[tuple[str, str], Page]  # (lang, key) -> page; every key exists in every language
    offers: tuple[OfferData, ...]  # published, in id order
    skipped: tuple[Skipped, ...]
    assets: dict[tuple[str, str], AssetSource]  # (lang, key) -> file beside the pages
    words: Mapping[str, Mapping[str, str]]  # lang -> URL word -> translated word
    term_slugs: Mapping[tuple[str, str, str], str]  # (lang, facet, id) -> URL word
    keys: tuple[str, ...] = ()
    sort_titles: Mapping[tuple[str, str], str] = field(
        default_factory=dict
    )  # (lang, offer id) -> sort key
    # Menus, offer lists and listings are asked for by every page: computed once per build.
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    def page(self, lang: str, key: str) -> Page | None:
        return self.pages.get((lang, key))

    def home(self, lang: str) -> Page | None:
        return self.pages.get((lang, HOME_KEY))

    def translations(self, key: str) -> list[Page]:
        return [
            self.pages[(lang, key)] for lang in self.config.languages if (lang, key) in self.pages
        ]

    def home_url(self, lang: str) -> str:
        return f"{lang}/"

    def offers_url(self, lang: str) -> str:
        return f"{lang}/{self.words[lang]['offers']}/"

    def offer_url(self, lang: str, offer_id: str) -> str:
        return f"{self.offers_url(lang)}{offer_id}/"

    def search_url(self, lang: str) -> str:
        return f"{lang}/{self.words[lang]['search']}/"

    def term_url(self, lang: str, facet: str, term_id: str) -> str:
        return (
            f"{self.offers_url(lang)}{self.words[lang][facet]}/"
            f"{self.term_slugs[(lang, facet, term_id)]}/"
        )

    def page_number_url(self, listing_url: str, lang: str, number: int) -> str:
        return listing_url if number == 1 else f"{listing_url}{self.words[lang]['page']}/{number}/"

    def menu(self, lang: str, name: str = "main") -> list[Page]:
        memo = ("menu", lang, name)
        if memo not in self._memo:
            self._memo[memo] = self._menu(lang, name)
        return self._memo[memo]

    def easy_version(self, page: Page) -> Page | None:
        """The easy-to-read version of a page written in the page's own language, if any."""
        easy = self.pages.get((page.lang, easy_key(page.key)))
        return easy if easy is not None and not easy.is_fallback and not page.is_easy else None

    def full_version(self, page: Page) -> Page | None:
        return self.pages.get((page.lang, full_key(page.key))) if page.is_easy else None

    def _menu(self, lang: str, name: str) -> list[Page]:
        # The menu leads to the full pages; each of them links to its easy-to-read version.
        found = [
            self.pages[(lang, key)]
            for key in self.keys
            if (lang, key) in self.pages
            and name in self.pages[(lang, key)].meta.menus
            and not key.endswith(EASY_SUFFIX)
        ]
        return sorted(found, key=lambda p: (p.meta.weight, p.meta.title.casefold(), p.key))

    def ancestors(self, page: Page) -> list[Page]:
        """The section pages above a page, home first (for breadcrumbs)."""
        chain = []
        home = self.home(page.lang)
        if home and not page.is_home:
            chain.append(home)
        parts = page.key.split("/")[:-1]
        if page.key.endswith("/index.md"):
            parts = parts[:-1]
        for depth in range(1, len(parts) + 1):
            section = self.page(page.lang, "/".join(parts[:depth]) + "/index.md")
            if section:
                chain.append(section)
        full = self.full_version(page)
        if full is not None and not full.is_home:
            chain.append(full)
        return chain

    def offers_in(
        self, lang: str, facet: str = "all", term_id: str | None = None
    ) -> tuple[OfferData, ...]:
        memo = ("offers", lang, facet, term_id)
        if memo not in self._memo:
            self._memo[memo] = self._offers_in(lang, facet, term_id)
        return self._memo[memo]

    def _offers_in(self, lang: str, facet: str, term_id: str | None) -> tuple[OfferData, ...]:
        if facet == "all":
            return tuple(sorted(self.offers, key=lambda o: (self.sort_titles[(lang, o.id)], o.id)))
        # One pass over the sorted list for all the facet's terms (the order carries over), not
        # one pass and one sort per term: 30,000 offers in 10 kinds and regions took 30 of each.
        memo = ("groups", lang, facet)
        if memo not in self._memo:
            groups: dict[str, list[OfferData]] = {}
            for offer in self.offers_in(lang):
                groups.setdefault(getattr(offer, facet), []).append(offer)
            self._memo[memo] = {term: tuple(chosen) for term, chosen in groups.items()}
        return self._memo[memo].get(term_id, ())

    def listings(self, lang: str) -> list[Listing]:
        """The offer lists of a language; a kind or region without offers gets no page."""
        memo = ("listings", lang)
        if memo not in self._memo:
            self._memo[memo] = self._listings(lang)
        return self._memo[memo]

    def _listings(self, lang: str) -> list[Listing]:
        out = [Listing(lang, "all", None, self.offers_url(lang), self.offers_in(lang))]
        for facet, terms in (("kind", self.config.kinds), ("region", self.config.regions)):
            for term in terms:
                offers = self.offers_in(lang, facet, term.id)
                if offers:
                    out.append(
                        Listing(lang, facet, term, self.term_url(lang, facet, term.id), offers)
                    )
        return out


def choose_sources(
    pages: list[tuple[PageSource, PageMeta]], config: Config, drafts: bool
) -> dict[str, dict[str, tuple[PageSource, PageMeta]]]:
    """key -> lang -> (source, meta), drafts left out unless asked for."""
    by_key: dict[str, dict[str, tuple[PageSource, PageMeta]]] = {}
    for source, meta in pages:
        if meta.draft and not drafts:
            continue
        by_key.setdefault(source.key, {})[source.lang] = (source, meta)
    return by_key


def build_site(
    config: Config,
    pages: list[tuple[PageSource, PageMeta]],
    offers: list[OfferData],
    assets: list[AssetSource],
    words: Mapping[str, Mapping[str, str]],
    term_label: Callable[[str, Term], str],
    today: dt.date,
    drafts: bool = False,
) -> tuple[Site, list[Diagnostic]]:
    """Link translations, give every page and offer its URL, and find URL clashes."""
    diags: list[Diagnostic] = []
    by_key = choose_sources(pages, config, drafts)

    def slug_of(key: str, lang: str) -> str | None:
        versions = by_key.get(key, {})
        for candidate in [lang, *config.fallbacks(lang)]:
            if candidate in versions:
                _, meta = versions[candidate]
                name = key.rsplit("/", 1)[-1]
                if name == HOME_KEY:
                    return meta.slug or (slugify(key.split("/")[-2]) if "/" in key else "")
                return meta.slug or slugify(name.removesuffix(".md"))
        return None

    def url_of(key: str, lang: str) -> str:
        if key.endswith(EASY_SUFFIX):
            return url_of(full_key(key), lang) + words[lang]["easy"] + "/"
        parts = key.split("/")
        segments = []
        for depth in range(1, len(parts)):
            folder_key = "/".join(parts[:depth]) + "/index.md"
            segments.append(slug_of(folder_key, lang) or slugify(parts[depth - 1]))
        if parts[-1] != HOME_KEY:
            segments.append(slug_of(key, lang) or "")
        return posixpath.join(lang, *segments) + "/" if segments else f"{lang}/"

    for key in sorted(by_key):
        if key.endswith(EASY_SUFFIX) and full_key(key) not in by_key:
            source = next(iter(by_key[key].values()))[0]
            diags.append(
                error(
                    source.path,
                    1,
                    "this easy-to-read version has no page beside it "
                    f"({full_key(key).rsplit('/', 1)[-1]})",
                    f"name it after the page it simplifies, e.g. {key.rsplit('/', 1)[-1]} beside "
                    f"{full_key(key).rsplit('/', 1)[-1]}",
                )
            )
    site_pages: dict[tuple[str, str], Page] = {}
    for key in sorted(by_key):
        versions = by_key[key]
        for lang in config.languages:
            chosen = versions.get(lang) or next(
                versions[o] for o in config.fallbacks(lang) if o in versions
            )
            site_pages[(lang, key)] = Page(key, lang, chosen[0], chosen[1], url_of(key, lang))

    published, skipped = [], []
    for offer in sorted(offers, key=lambda o: (o.id, o.path, o.line)):
        if offer.draft and not drafts:
            skipped.append(Skipped(offer, "draft"))
        elif offer.ends and offer.ends < today:
            skipped.append(Skipped(offer, f"ended on {offer.ends.isoformat()}"))
        else:
            published.append(offer)

    term_slugs: dict[tuple[str, str, str], str] = {}
    for lang in config.languages:
        for facet, terms in (("kind", config.kinds), ("region", config.regions)):
            seen: dict[str, str] = {}
            for term in terms:
                # A built-in kind without a name in site.yaml is named by the catalogs: its word
                # must not be.
                named = term.name or facet != "kind"
                slug = (
                    term.slug.get(lang)
                    or term.slug.get("")
                    or (
                        slugify(term_label(lang, term))
                        if named
                        else config.builtin_kind_slug(lang, term.id)
                    )
                    or term.id
                )
                if slug in seen:
                    diags.append(
                        error(
                            "site.yaml",
                            0,
                            f"{facet}s '{seen[slug]}' and '{term.id}' would share the address "
                            f"'{slug}' in '{lang}'",
                            f"give one of them a slug: {{{lang}: another-word}}",
                        )
                    )
                seen[slug] = term.id
                term_slugs[(lang, facet, term.id)] = slug

    sort_titles = {}
    for lang in config.languages:
        chain = config.fallbacks(lang)  # once per language, not once per offer
        for offer in published:
            sort_titles[(lang, offer.id)] = localize(offer.title, lang, chain)[0].casefold()

    site = Site(
        config=config,
        today=today,
        pages=site_pages,
        offers=tuple(published),
        skipped=tuple(skipped),
        assets={(a.lang, a.key): a for a in assets},
        words=words,
        term_slugs=term_slugs,
        keys=tuple(sorted(by_key)),
        sort_titles=sort_titles,
    )
    diags.extend(url_clashes(site))
    return site, diags


def url_clashes(site: Site) -> list[Diagnostic]:
    """Two things that would be written to one address: an error naming both sources."""
    # URL -> what is published there: a page's source path, a description, or an offer (named
    # only when a message needs it: 90,000 offer pages would otherwise format 90,000 names).
    claimed: dict[str, str | OfferData] = {}
    diags = []

    def owner(url: str) -> str:
        value = claimed[url]
        return (
            value
            if isinstance(value, str)
            else f"the offer '{value.id}' ({value.path}:{value.line})"
        )

    def claim(url: str, path: str, line: int, hint: str) -> None:
        if url in claimed and claimed[url] != path:
            diags.append(
                error(path, line, f"this would be published at /{url}, like {owner(url)}", hint)
            )
        else:
            claimed.setdefault(url, path)

    for lang in site.config.languages:
        claimed[site.offers_url(lang)] = f"the list of offers ({lang})"
        claimed[site.search_url(lang)] = f"the search page ({lang})"
        for offer in site.offers:
            claimed.setdefault(site.offer_url(lang, offer.id), offer)
        for listing in site.listings(lang):
            what = f"the list of offers /{listing.url}"
            for number in range(
                1, max(1, math.ceil(len(listing.offers) / site.config.per_page)) + 1
            ):
                claimed.setdefault(site.page_number_url(listing.url, lang, number), what)
    for _, page in sorted(site.pages.items()):
        if page.is_fallback:
            continue
        claim(page.url, page.source.path, _slug_line(page), "change its 'slug' or its file name")
    for (lang, _), page in sorted(site.pages.items()):
        if page.is_fallback and page.url in claimed and claimed[page.url] != page.source.path:
            diags.append(
                error(
                    page.source.path,
                    _slug_line(page),
                    f"its fallback copy in '{lang}' would be published at /{page.url}, like "
                    f"{owner(page.url)}",
                    f"translate the page into '{lang}', or change its 'slug'",
                )
            )
    return diags


def _slug_line(page: Page) -> int:
    lines = getattr(page.source.meta, "key_lines", {})
    return lines.get("slug", 1)
