"""RENDER: model + converted Markdown -> (output path, bytes), one file at a time. Touches no file."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any
from urllib.parse import urlsplit

from babel.lists import format_list
from jinja2 import Environment
from markupsafe import Markup

from . import finder, jsonld
from .actionpages import ActionPages
from .actions import hours_table, offer_actions
from .config import Term
from .content import Contents
from .easy import easy_deps, easy_links
from .fields import localize
from .gitinfo import Revisions
from .i18n import Localizer
from .model import Listing, Page, Site
from .translations import status_page
from .urls import output_file
from .validate import OfferData


def _digest(value: Any) -> str:
    """A short stand-in for a large dependency, so that fingerprints stay cheap to compute."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Job:
    path: str  # output file, relative to the build root
    what: str  # names the source in error messages
    deps: tuple[Any, ...] | None  # None: always rendered
    render: Callable[[], bytes]
    # Output files whose sizes the bytes show (publish.py's offline lists): build.py renders
    # such a job after all others and puts those sizes in SiteRenderer.output_sizes first.
    measures: tuple[str, ...] = ()


class SiteRenderer(ActionPages):
    """Builds each template's explicit context; the templates never see the model's internals."""

    def __init__(self, site: Site, contents: Contents, localizers: Mapping[str, Localizer], envs: Mapping[str, Environment],
                 revisions: Revisions | None = None):
        self.site, self.contents, self.localizers, self.envs = site, contents, localizers, envs
        self.revisions = revisions or Revisions()
        self.config = site.config
        self.base_path = urlsplit(self.config.base_url).path or "/"
        # Digests of what many files show; valid while the model's offers and menus stay (a
        # rebuild that changes only page bodies keeps this renderer).
        self._offers_digest: str | None = None
        self._chrome_digests: dict[str, str] = {}
        self.output_sizes: dict[str, int] = {}  # output path -> bytes, for jobs that measure others (filled by build.py)

    # -- helpers ---------------------------------------------------------------------------

    def absolute(self, url: str) -> str:
        return self.config.base_url + url

    def text(self, value: Mapping[str, str] | None, lang: str) -> dict[str, str | None]:
        text, text_lang = localize(value, lang, self.config.fallbacks(lang))
        return {"text": text, "lang": text_lang if text_lang and text_lang != lang else None}

    def term(self, lang: str, facet: str, term_id: str) -> Term:
        terms = self.config.kinds if facet == "kind" else self.config.regions
        return next(t for t in terms if t.id == term_id)

    def chrome(self, lang: str, here: str | None, title: str, switch: list[tuple[str, str]], *, current_key: str | None = None,
               canonical: str | None = None, alternates: list[tuple[str, str]] | None = None, breadcrumbs: list[tuple[str, str]] | None = None,
               description: str = "", noindex: bool = False, offers_current: bool = False) -> dict[str, Any]:
        """What every page shows: head, header, menus, language switcher, footer."""
        from .publish import page_tools  # publish.py builds on this module
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
            "menu": [{"title": p.meta.title, "url": p.url, "current": p.key == current_key, "lang": p.source.lang if p.is_fallback else None}
                     for p in self.site.menu(lang)],
            "languages": [
                {"code": code, "name": self.localizers[code].language_name(code, in_own_language=True), "url": url, "current": code == lang}
                for code, url in switch
            ],
            "breadcrumbs": [{"title": t, "url": u} for t, u in (breadcrumbs or [])],
            "footer_note": self.config.text(self.config.footer, lang),
            # Issue 11: Open Graph tags, share links, feed and manifest (publish.py).
            "tools": page_tools(self, lang, here, title, description or self.config.text(self.config.tagline, lang), canonical),
        }

    def all_languages(self, url_of: Any) -> list[tuple[str, str]]:
        return [(code, url_of(code)) for code in self.config.languages]

    def alternates(self, urls: list[tuple[str, str]]) -> list[tuple[str, str]]:
        out = [(code, self.absolute(url)) for code, url in urls]
        default = dict(urls).get(self.config.default_language)
        if default is not None:
            out.append(("x-default", self.absolute(default)))
        return out

    def render(self, lang: str, template: str, context: Callable[[], dict[str, Any]] | dict[str, Any]) -> bytes:
        values = context() if callable(context) else context
        return self.envs[lang].get_template(template).render(values).encode("utf-8")

    # -- pages -----------------------------------------------------------------------------

    def page_context(self, page: Page) -> dict[str, Any]:
        lang, loc = page.lang, self.localizers[page.lang]
        translations = self.site.translations(page.key)
        real = [(p.lang, p.url) for p in translations if not p.is_fallback]
        rendered = self.contents.pages[(lang, page.key)]
        source_page = self.site.page(page.source.lang, page.key)
        notice = ""
        if page.is_fallback:
            notice = loc.gettext("This page is not yet available in %(language)s. Here is the %(source)s version.") % {
                "language": loc.language_name(lang, capitalize=False), "source": loc.language_name(page.source.lang, capitalize=False)}
        context = self.chrome(
            lang, page.url, page.meta.title, [(p.lang, p.url) for p in translations], current_key=page.key,
            canonical=self.absolute(source_page.url if page.is_fallback and source_page else page.url),
            alternates=self.alternates(real) if not page.is_fallback else [],
            breadcrumbs=[(p.meta.title, p.url) for p in self.site.ancestors(page)],
            description=page.meta.summary,
        )
        context.update({
            "title": page.meta.title,
            "lead": page.meta.summary,
            "body": Markup(rendered.html),
            "content_lang": page.source.lang,
            "fallback_notice": notice,
            "toc": [{"id": i, "text": t} for level, i, t in rendered.headings if level == 2],
            "updated": loc.date(page.meta.updated) if page.meta.updated else "",
        })
        context.update(easy_links(self.site, page, loc))
        return context

    def facet_groups(self, lang: str, current: Listing | None = None) -> list[dict[str, Any]]:
        loc = self.localizers[lang]
        labels = {"kind": loc.gettext("By kind of offer"), "region": loc.gettext("By region")}
        groups = []
        for facet, terms in (("kind", self.config.kinds), ("region", self.config.regions)):
            items = []
            for term in terms:
                count = len(self.site.offers_in(lang, facet, term.id))
                if count:
                    items.append({"label": loc.term(term), "url": self.site.term_url(lang, facet, term.id), "count": count, "count_label": loc.number(count),
                                  "current": bool(current and current.term and current.facet == facet and current.term.id == term.id)})
            groups.append({"label": labels[facet], "items": items})
        return groups

    def home_extra(self, lang: str) -> dict[str, Any]:
        topics = [{"title": p.meta.title, "url": p.url, "summary": p.meta.summary} for p in self.site.menu(lang)]
        return {"topics": topics, "facets": self.facet_groups(lang), "offer_count": len(self.site.offers),
                "offer_count_label": self.localizers[lang].number(len(self.site.offers))}

    # -- offers ----------------------------------------------------------------------------

    def offer_card(self, offer: OfferData, lang: str) -> dict[str, Any]:
        loc = self.localizers[lang]
        return {
            "title": self.text(offer.title, lang),
            "summary": self.text(offer.summary, lang),
            "url": self.site.offer_url(lang, offer.id),
            "kind_label": loc.term(self.term(lang, "kind", offer.kind)),
            "place": offer.commune or loc.term(self.term(lang, "region", offer.region)),
            "levels": list(offer.levels),
            "price": loc.price(offer.price_chf) if offer.price_chf is not None else "",
        }

    def offer_context(self, offer: OfferData, lang: str) -> dict[str, Any]:
        loc = self.localizers[lang]
        card = self.offer_card(offer, lang)
        url = self.site.offer_url(lang, offer.id)
        facts: list[dict[str, Any]] = []

        def fact(label: str, value: str, url: str | None = None, value_lang: str | None = None, ltr: bool = False) -> None:
            if value:
                facts.append({"label": label, "value": value, "url": url, "lang": value_lang, "ltr": ltr})

        kind_label = loc.term(self.term(lang, "kind", offer.kind))
        fact(loc.gettext("Kind of offer"), kind_label, self.site.term_url(lang, "kind", offer.kind))
        fact(loc.gettext("Region"), loc.term(self.term(lang, "region", offer.region)), self.site.term_url(lang, "region", offer.region))
        provider = self.text(offer.provider, lang)
        fact(loc.gettext("Offered by"), provider["text"] or "", value_lang=provider["lang"])
        address = self.text(offer.address, lang)
        fact(loc.gettext("Address"), address["text"] or offer.commune, value_lang=address["lang"])
        if offer.languages:
            label = loc.gettext("Language taught") if offer.kind == "course" else loc.gettext("Languages spoken")
            fact(label, format_list([loc.language_name(c) for c in offer.languages], locale=loc.locale))
        fact(loc.gettext("Level"), ", ".join(offer.levels))
        schedule = self.text(offer.schedule, lang)
        fact(loc.gettext("When"), schedule["text"] or "", value_lang=schedule["lang"])
        if offer.starts and offer.ends:
            fact(loc.gettext("Dates"), loc.gettext("from %(start)s to %(end)s") % {"start": loc.date(offer.starts), "end": loc.date(offer.ends)})
        elif offer.starts:
            fact(loc.gettext("Dates"), loc.gettext("from %(start)s") % {"start": loc.date(offer.starts)})
        if offer.price_chf is not None:
            fact(loc.gettext("Price"), loc.price(offer.price_chf))
        if offer.childcare is not None:
            fact(loc.gettext("Childcare"), loc.gettext("Yes, childcare is offered") if offer.childcare else loc.gettext("No"))
        if offer.audiences:
            names = {a.id: loc.term(a) for a in self.config.audiences}
            fact(loc.gettext("For"), format_list([names.get(a, a) for a in offer.audiences], locale=loc.locale))
        # Numbers and addresses read left to right in every script (bdi dir=ltr in the template).
        fact(loc.gettext("Phone"), offer.contact.phone, ltr=True)
        fact(loc.gettext("E-mail"), offer.contact.email, ltr=True)

        actions = offer_actions(offer, address["text"] or offer.commune, loc)

        description = self.contents.descriptions.get((lang, offer.id))
        description_lang = self.text(offer.description, lang)["lang"]
        has_fallback = any(self.text(getattr(offer, f), lang)["lang"] for f in ("title", "summary", "description", "schedule", "address"))
        kind_listing_url = self.site.term_url(lang, "kind", offer.kind)
        context = self.chrome(
            lang, url, card["title"]["text"], self.all_languages(lambda code: self.site.offer_url(code, offer.id)),
            canonical=self.absolute(url), alternates=self.alternates(self.all_languages(lambda code: self.site.offer_url(code, offer.id))),
            breadcrumbs=[(self.home_title(lang), self.site.home_url(lang)), (loc.gettext("All offers"), self.site.offers_url(lang)), (kind_label, kind_listing_url)],
            description=card["summary"]["text"] or "",
        )
        context.update({"offer": {**card, "has_fallback": has_fallback}, "facts": facts, "actions": actions,
                        "description": Markup(description.html) if description else "", "description_lang": description_lang,
                        "reviewed": loc.date(offer.reviewed) if offer.reviewed else "",
                        "hours": hours_table(offer.opening_hours, loc, self.site.today),
                        "jsonld": jsonld.script_text(jsonld.offer_data(offer, self.offer_text(offer, lang), self.config.territory,
                                                                loc.term(self.term(lang, "region", offer.region))))})
        return context

    def home_title(self, lang: str) -> str:
        home = self.site.home(lang)
        return home.meta.title if home else self.config.text(self.config.title, lang)

    def listing_numbers(self, listing: Listing) -> int:
        return max(1, math.ceil(len(listing.offers) / self.config.per_page))

    def listing_url(self, listing: Listing, lang: str, number: int = 1) -> str:
        base = self.site.offers_url(lang) if listing.term is None else self.site.term_url(lang, listing.facet, listing.term.id)
        return self.site.page_number_url(base, lang, number)

    def listing_context(self, listing: Listing, number: int) -> dict[str, Any]:
        from .publish import offline_list_path  # publish.py builds on this module

        lang, loc = listing.lang, self.localizers[listing.lang]
        per_page = self.config.per_page
        pages = self.listing_numbers(listing)
        if listing.term is None:
            title = loc.gettext("All offers")
        elif listing.facet == "kind":
            title = loc.term(listing.term)
        else:
            title = loc.gettext("Offers in %(region)s") % {"region": loc.term(listing.term)}
        crumbs = [(self.home_title(lang), self.site.home_url(lang))]
        if listing.term is not None:
            crumbs.append((loc.gettext("All offers"), self.site.offers_url(lang)))
        url = self.listing_url(listing, lang, number)
        chunk = listing.offers[(number - 1) * per_page : number * per_page]
        switch = self.all_languages(lambda code: self.listing_url(listing, code, number))
        context = self.chrome(lang, url, title if number == 1 else f"{title} ({number}/{pages})", switch, canonical=self.absolute(url),
                              alternates=self.alternates(switch), breadcrumbs=crumbs, offers_current=listing.term is None)
        context.update({
            "title": title, "total": len(listing.offers), "total_label": loc.number(len(listing.offers)), "number": number, "pages": pages,
            "offers": [self.offer_card(o, lang) for o in chunk],
            "previous_url": self.listing_url(listing, lang, number - 1) if number > 1 else None,
            "next_url": self.listing_url(listing, lang, number + 1) if number < pages else None,
            "facets": self.facet_groups(lang, listing),
            "offline_list": offline_list_path(lang, listing.term.id) if listing.facet == "region" and listing.term else None,  # issue 11
            "finder_url": self.finder_base(lang) if listing.facet == "kind" and listing.term and listing.term.id == finder.COURSE_KIND else None,
        })
        return context

    # -- the whole site ----------------------------------------------------------------------

    def jobs(self) -> Iterator[Job]:
        """Every generated file, with what it depends on and how to render it.

        Rendering is deferred so that one failing template is reported without stopping
        the others, and so that a file whose dependencies did not change is not rendered
        again (see build.py). `deps` must name everything the file's bytes depend on
        besides the global inputs (templates, catalogs, site.yaml, sitegen's version).
        """
        from .publish import extra_jobs, site_jobs  # publish.py builds on this module

        site = self.site
        offers_digest = self.offers_digest()
        for lang in self.config.languages:
            chrome = self.chrome_digest(lang)
            for key in site.keys:
                page = site.page(lang, key)
                if page is not None:
                    yield self.page_job(page)
            if site.home(lang) is None:
                yield Job(output_file(site.home_url(lang)), f"the home page ({lang})", ("home", chrome, offers_digest),
                          partial(self.render, lang, "home.html", partial(self.generated_home, lang)))
            for offer in site.offers:
                description = self.contents.descriptions.get((lang, offer.id))
                yield Job(output_file(site.offer_url(lang, offer.id)), f"{offer.path} ({offer.id})",
                          ("offer", chrome, repr(offer), description.digest if description else None,
                           site.today if offer.opening_hours else None),  # the public holidays "open now" reads
                          partial(self.render, lang, "offer.html", partial(self.offer_context, offer, lang)))
                yield from (Job(*out) for out in self.offer_file_outputs(offer, lang))
            for listing in site.listings(lang):
                for number in range(1, self.listing_numbers(listing) + 1):
                    url = self.listing_url(listing, lang, number)
                    yield Job(output_file(url), f"the list of offers /{url}", ("listing", chrome, offers_digest, url, number),
                              partial(self.render, lang, "listing.html", partial(self.listing_context, listing, number)))
            yield from (Job(*out) for out in self.finder_outputs(lang))
            yield Job(output_file(site.search_url(lang)), f"the search page ({lang})", ("search", chrome, offers_digest),
                      partial(self.render, lang, "search.html", partial(self.search_context, lang)))
            yield from extra_jobs(self, lang)  # issue 11: open data, feed, manifest, offline lists
        yield from site_jobs(self)
        # Small files that depend on everything: cheaper to render than to track.
        default = self.config.default_language
        yield Job("index.html", "the language choice page", None, partial(self.render, default, "languages.html", self.language_choice))
        yield Job("404.html", "the 404 page", None, partial(self.render, default, "404.html", self.not_found))
        pages_digest = _digest([(p.lang, p.key, p.source.path, p.meta.title, p.meta.updated, p.meta.translated_from, p.url)
                                for p in site.pages.values()])
        yield Job("sitemap.xml", "sitemap.xml", ("sitemap", pages_digest, offers_digest), self.sitemap)
        # For editors: not in menus, the sitemap or the search index, and noindex.
        status_deps = ("status", pages_digest,
                       _digest((sorted(self.revisions.files), self.revisions.git, sorted(self.revisions.last.items()), self.revisions.commits)))
        yield Job("_status/index.html", "the translation status page", status_deps, partial(self.render, default, "status.html", self.status_context))
        yield Job("robots.txt", "robots.txt", None, lambda: f"User-agent: *\nAllow: /\nSitemap: {self.absolute('sitemap.xml')}\n".encode())

    def with_bodies(self, site: Site, contents: Contents) -> SiteRenderer:
        """A renderer for the same site whose pages got new bodies (and nothing else): the
        digests of offers and menus carry over."""
        other = SiteRenderer(site, contents, self.localizers, self.envs, self.revisions)
        other._offers_digest, other._chrome_digests = self._offers_digest, self._chrome_digests
        return other

    def page_job(self, page: Page) -> Job:
        rendered = self.contents.pages[(page.lang, page.key)]
        deps = ("page", self.chrome_digest(page.lang), page.url, page.key, page.meta, page.source.path, rendered.digest,
                tuple((p.lang, p.url, p.is_fallback) for p in self.site.translations(page.key)),
                tuple((a.meta.title, a.url) for a in self.site.ancestors(page)), self.offers_digest() if page.is_home else None,
                easy_deps(self.site, page))
        return Job(output_file(page.url), page.source.path, deps, partial(self.render_page, page))

    def offers_digest(self) -> str:
        if self._offers_digest is None:
            self._offers_digest = _digest(self.site.offers)
        return self._offers_digest

    def chrome_digest(self, lang: str) -> str:
        if lang not in self._chrome_digests:
            self._chrome_digests[lang] = _digest(self.chrome_deps(lang))
        return self._chrome_digests[lang]

    def status_context(self) -> dict[str, Any]:
        lang = self.config.default_language
        loc = self.localizers[lang]
        context = self.chrome(lang, "_status/", loc.gettext("Translation status"), [], noindex=True)
        context.update(status_page(self.site, loc, self.revisions))
        return context

    def chrome_deps(self, lang: str) -> tuple[Any, ...]:
        """What every page of a language shows besides its own content: the menu."""
        return tuple((p.key, p.meta.title, p.meta.summary, p.url, p.source.lang) for p in self.site.menu(lang))

    def render_page(self, page: Page) -> bytes:
        context = self.page_context(page)
        if not page.is_home:
            return self.render(page.lang, "page.html", context)
        context.update(self.home_extra(page.lang))
        context["breadcrumbs"] = []
        return self.render(page.lang, "home.html", context)

    def generated_home(self, lang: str) -> dict[str, Any]:
        title = self.config.text(self.config.title, lang)
        switch = self.all_languages(self.site.home_url)
        context = self.chrome(lang, self.site.home_url(lang), title, switch, canonical=self.absolute(self.site.home_url(lang)), alternates=self.alternates(switch))
        context.update({"title": title, "lead": self.config.text(self.config.tagline, lang), "body": "", "content_lang": lang, "fallback_notice": ""})
        context.update(self.home_extra(lang))
        return context

    def search_context(self, lang: str) -> dict[str, Any]:
        loc = self.localizers[lang]
        url = self.site.search_url(lang)
        switch = self.all_languages(self.site.search_url)
        context = self.chrome(lang, url, loc.gettext("Search"), switch, canonical=self.absolute(url), alternates=self.alternates(switch),
                              breadcrumbs=[(self.home_title(lang), self.site.home_url(lang))])
        browse: dict[str, list[dict[str, Any]]] = {"kinds": [], "regions": []}
        for listing in self.site.listings(lang):
            if listing.term is not None:
                browse[listing.facet + "s"].append({"id": listing.term.id, "label": loc.term(listing.term), "url": listing.url, "count": len(listing.offers)})
        context.update({"search_url": url, "browse": browse, "facet_labels": self.facet_labels(lang)})
        return context

    def facet_labels(self, lang: str) -> dict[str, dict[str, str]]:
        loc = self.localizers[lang]
        offers = self.site.offers
        return {
            "kind": {t.id: loc.term(t) for t in self.config.kinds},
            "region": {t.id: loc.term(t) for t in self.config.regions},
            "commune": {c: c for c in sorted({o.commune for o in offers if o.commune})},
            "language": {c: loc.language_name(c) for c in sorted({c for o in offers for c in o.languages})},
            "level": {lvl: lvl for lvl in sorted({lvl for o in offers for lvl in o.levels})},
            "free": {"yes": loc.gettext("Free of charge")},
            "childcare": {"yes": loc.gettext("With childcare")},
        }

    def language_choice(self) -> dict[str, Any]:
        lang = self.config.default_language
        homes = []
        for code in self.config.languages:
            loc = self.localizers[code]
            homes.append({"code": code, "dir": loc.direction, "name": loc.language_name(code, in_own_language=True),
                          "title": self.config.text(self.config.title, code), "url": self.site.home_url(code),
                          "tagline": self.config.text(self.config.tagline, code)})
        return {"lang": lang, "dir": self.localizers[lang].direction, "here": "", "homes": homes,
                "titles": list(dict.fromkeys(h["title"] for h in homes)), "alternates": [{"hreflang": "x-default", "href": self.absolute("")}]}

    def not_found(self) -> dict[str, Any]:
        # No chrome: the page is in every language at once (see 404.html).
        lang = self.config.default_language
        homes = []
        for code in self.config.languages:
            other = self.localizers[code]
            homes.append({"code": code, "dir": other.direction, "url": self.site.home_url(code), "title": other.gettext("Page not found"),
                          "explanation": other.gettext("This page does not exist (any more). The address may be wrong, or the page may have moved."),
                          "message": other.gettext("Go to the home page in %(language)s") % {"language": other.language_name(code, capitalize=False)}})
        return {"lang": lang, "dir": self.localizers[lang].direction, "here": None, "base_path": self.base_path, "homes": homes,
                "titles": list(dict.fromkeys(h["title"] for h in homes))}

    def sitemap(self) -> bytes:
        """sitemap.xml with xhtml:link alternates (Google's multilingual sitemap format)."""
        groups: list[list[tuple[str, str]]] = []
        for key in self.site.keys:
            real = [(p.lang, p.url) for p in self.site.translations(key) if not p.is_fallback]
            if real:
                groups.append(real)
        for offer in self.site.offers:
            groups.append([(code, self.site.offer_url(code, offer.id)) for code in self.config.languages])
        for lang_listings in zip(*(self.site.listings(code) for code in self.config.languages), strict=True):
            groups.append([(listing.lang, listing.url) for listing in lang_listings])
        for finder_pages in zip(*(self.finder_urls(code) for code in self.config.languages), strict=True):
            groups.append(list(zip(self.config.languages, finder_pages, strict=True)))
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
        for group in groups:
            for _, url in group:
                lines.append(f"<url><loc>{escape(self.absolute(url))}</loc>")
                if len(group) > 1:
                    for code, other in group:
                        lines.append(f'<xhtml:link rel="alternate" hreflang="{escape(code)}" href="{escape(self.absolute(other))}"/>')
                lines.append("</url>")
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode("utf-8")
