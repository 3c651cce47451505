"""What every unit of the render package shares: the Job it yields, the one digest of its
dependencies, the renderer's state with its text and term helpers, and the chrome every page
shows (head, header, menu, language switcher, alternates, share links, footer)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment

from ..config import Term
from ..content import Contents
from ..fields import localize
from ..gitinfo import Revisions
from ..i18n import Localizer
from ..model import Site
from ..validate import OfferData


@dataclass(frozen=True)
class Job:
    path: str  # output file, relative to the build root
    what: str  # names the source in error messages
    deps: tuple[Any, ...] | None  # None: always rendered
    render: Callable[[], bytes]
    # Output files whose sizes the bytes show (webapp.py's offline lists): build.py renders
    # such a job after all others and puts those sizes in Renderer.output_sizes first.
    measures: tuple[str, ...] = ()


def digest(value: Any) -> str:
    """A short stand-in for a large dependency, so that fingerprints stay cheap to compute."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


# The files every page's head links to; the units that write them (feeds.py, webapp.py,
# data.py) take their paths from here.
THEME_COLOUR = "#005a9c"  # the header's colour (site.css)
DATA_DIR = "data"
SCHEMA_FILE = f"{DATA_DIR}/offers.schema.json"


def feed_path(lang: str) -> str:
    return f"{lang}/atom.xml"


def manifest_path(lang: str) -> str:
    return f"{lang}/manifest.webmanifest"


def data_files(lang: str) -> tuple[str, str]:
    """Output paths of a language's open data, JSON and CSV."""
    return f"{DATA_DIR}/offers-{lang}.json", f"{DATA_DIR}/offers-{lang}.csv"


class Renderer:
    """The site, its Markdown and its templates, and what the units' contexts share; the
    templates never see the model's internals, only the contexts built from it."""

    def __init__(
        self,
        site: Site,
        contents: Contents,
        localizers: Mapping[str, Localizer],
        envs: Mapping[str, Environment],
        revisions: Revisions | None = None,
        site_files: Mapping[str, int] | None = None,
    ):
        """`site_files`: the site's own assets/ files as published (path -> bytes), which
        pages may show (a logo) and an offline copy of a region must hold."""
        self.site, self.contents, self.localizers, self.envs = site, contents, localizers, envs
        self.revisions = revisions or Revisions()
        self.site_files = dict(site_files or {})
        self.config = site.config
        self.base_path = urlsplit(self.config.base_url).path or "/"
        # Digests of what many files show; valid while the model's offers, menus and front
        # matter stay (a rebuild that changes only page bodies keeps them: site.with_bodies).
        self._offers_digest: str | None = None
        self._pages_digest: str | None = None
        self._chrome_digests: dict[str, str] = {}
        # What several outputs of one offer or language compute alike, made once per renderer
        # (so valid for its site: with_bodies makes a new renderer, whose memos start empty).
        # Keyed by the offer object's id, which stays taken while the memo holds the offer.
        self._offer_digests: dict[int, tuple[OfferData, str]] = {}
        self.cards: dict[
            tuple[int, str], tuple[OfferData, dict[str, Any]]
        ] = {}  # offers.card, per offer and language
        self.courses: dict[str, Any] = {}  # finder.courses, per language
        # offers.hours_table, per opening_hours expression and language
        self.hours_tables: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.output_sizes: dict[
            str, int
        ] = {}  # output path -> bytes, for jobs that measure others (filled by build.py)

    # -- text and terms ---------------------------------------------------------------------

    def absolute(self, url: str) -> str:
        return self.config.base_url + url

    def text(self, value: Mapping[str, str] | None, lang: str) -> dict[str, str | None]:
        text, text_lang = localize(value, lang, self.config.fallbacks(lang))
        return {"text": text, "lang": text_lang if text_lang and text_lang != lang else None}

    def term(self, lang: str, facet: str, term_id: str) -> Term:
        terms = self.config.kinds if facet == "kind" else self.config.regions
        return next(t for t in terms if t.id == term_id)

    def home_title(self, lang: str) -> str:
        home = self.site.home(lang)
        return home.meta.title if home else self.config.text(self.config.title, lang)

    def render(
        self, lang: str, template: str, context: Callable[[], dict[str, Any]] | dict[str, Any]
    ) -> bytes:
        values = context() if callable(context) else context
        return self.envs[lang].get_template(template).render(values).encode("utf-8")

    # -- what many outputs depend on ----------------------------------------------------------

    def offers_digest(self) -> str:
        if self._offers_digest is None:
            self._offers_digest = digest(self.site.offers)
        return self._offers_digest

    def offer_digest(self, offer: OfferData) -> str:
        """One offer as the dependencies of its page and files name it (one repr and hash per
        offer, not one per output and language)."""
        entry = self._offer_digests.get(id(offer))
        if entry is None:
            entry = self._offer_digests[id(offer)] = (offer, digest(offer))
        return entry[1]

    def pages_digest(self) -> str:
        """Every page's front matter and address, as feeds, sitemap and status page show them."""
        if self._pages_digest is None:
            self._pages_digest = digest(
                [
                    (
                        p.lang,
                        p.key,
                        p.url,
                        p.is_fallback,
                        p.source.path,
                        p.meta.title,
                        p.meta.summary,
                        p.meta.updated,
                        p.meta.translated_from,
                    )
                    for p in self.site.pages.values()
                ]
            )
        return self._pages_digest

    def chrome_digest(self, lang: str) -> str:
        """What every page of a language shows besides its own content: the menu."""
        if lang not in self._chrome_digests:
            self._chrome_digests[lang] = digest(
                tuple(
                    (p.key, p.meta.title, p.meta.summary, p.url, p.source.lang)
                    for p in self.site.menu(lang)
                )
            )
        return self._chrome_digests[lang]

    def keep_digests(self, other: Renderer) -> None:
        """Take over another renderer's digests.

        Its site differs from this one only in page bodies.
        """
        self._offers_digest, self._pages_digest, self._chrome_digests = (
            other._offers_digest,
            other._pages_digest,
            other._chrome_digests,
        )

    # -- the chrome ---------------------------------------------------------------------------

    def all_languages(self, url_of: Callable[[str], str]) -> list[tuple[str, str]]:
        return [(code, url_of(code)) for code in self.config.languages]

    def alternates(self, urls: list[tuple[str, str]]) -> list[tuple[str, str]]:
        out = [(code, self.absolute(url)) for code, url in urls]
        default = dict(urls).get(self.config.default_language)
        if default is not None:
            out.append(("x-default", self.absolute(default)))
        return out

    def chrome(
        self,
        lang: str,
        here: str | None,
        title: str,
        switch: list[tuple[str, str]],
        *,
        current_key: str | None = None,
        canonical: str | None = None,
        alternates: list[tuple[str, str]] | None = None,
        breadcrumbs: list[tuple[str, str]] | None = None,
        description: str = "",
        noindex: bool = False,
        offers_current: bool = False,
    ) -> dict[str, Any]:
        """What every page shows: head, header, menus, language switcher, footer."""
        loc = self.localizers[lang]
        site_title = self.config.text(self.config.title, lang)
        root = "" if here is None else "../" * len([p for p in here.split("/") if p])
        return {
            "lang": lang,
            "dir": loc.direction,
            "root": root if here is not None else self.base_path,
            "here": here,
            "base_path": self.base_path,
            "site_title": site_title,
            "page_title": title,
            "meta_description": description or self.config.text(self.config.tagline, lang),
            "noindex": noindex,
            "canonical": canonical,
            "alternates": [{"hreflang": code, "href": href} for code, href in (alternates or [])],
            "home_url": self.site.home_url(lang),
            "offers_url": self.site.offers_url(lang),
            "offers_current": offers_current,
            "search_url": self.site.search_url(lang),
            "menu": [
                {
                    "title": p.meta.title,
                    "url": p.url,
                    "current": p.key == current_key,
                    "lang": p.source.lang if p.is_fallback else None,
                }
                for p in self.site.menu(lang)
            ],
            "languages": [
                {
                    "code": code,
                    "name": self.localizers[code].language_name(code, in_own_language=True),
                    "url": url,
                    "current": code == lang,
                }
                for code, url in switch
            ],
            "breadcrumbs": [{"title": t, "url": u} for t, u in (breadcrumbs or [])],
            "footer_note": self.config.text(self.config.footer, lang),
            "tools": self._tools(
                lang,
                here,
                title,
                description or self.config.text(self.config.tagline, lang),
                canonical,
            ),
        }

    def _tools(
        self, lang: str, here: str | None, title: str, description: str, canonical: str | None
    ) -> dict[str, Any]:
        """Open Graph and Twitter card values, share links, feed, manifest (base.html, issue 11)."""
        loc = self.localizers[lang]
        site_title = self.config.text(self.config.title, lang)
        tools: dict[str, Any] = {
            "feed_url": feed_path(lang),
            "feed_title": loc.gettext("New and updated offers and pages"),
            "manifest_url": manifest_path(lang),
            "theme_colour": THEME_COLOUR,
            "share": None,
            "og": None,
            "data": dict(zip(("json", "csv"), data_files(lang), strict=True))
            | {"schema": SCHEMA_FILE},
        }
        if canonical is None or here is None:
            return tools
        tools["og"] = {
            "title": title,
            "description": description,
            "url": canonical,
            "site_name": site_title,
            "locale": str(loc.locale),
            "type": "article" if here != self.site.home_url(lang) else "website",
        }
        text = f"{title} – {canonical}"
        tools["share"] = {
            "url": canonical,
            "title": title,
            "mail": f"mailto:?subject={quote(title, safe='')}&body={quote(canonical, safe='')}",
            "whatsapp": f"https://wa.me/?text={quote(text, safe='')}",
        }
        return tools
