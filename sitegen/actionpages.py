"""The pages and files of issue 11 that SiteRenderer adds: an offer's .ics and .vcf files, the
course finder and its filter pages. A mixin of render.SiteRenderer (it uses its chrome,
cards and digests); each output is (path, what, deps, render), made a render.Job there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from . import finder, offerfiles
from .actions import file_names
from .offerfiles import OfferText
from .urls import output_file
from .validate import OfferData

Output = tuple[str, str, tuple[Any, ...], Callable[[], bytes]]


class ActionPages:
    """Needs the attributes and methods of render.SiteRenderer (site, config, localizers, chrome, ...)."""

    site: Any
    config: Any
    localizers: Any

    def offer_text(self, offer: OfferData, lang: str) -> OfferText:
        """The offer's texts in one language, for the files and data published beside its page."""
        def plain(value: Mapping[str, str]) -> str:
            return self.text(value, lang)["text"] or ""
        return OfferText(title=plain(offer.title), summary=plain(offer.summary), address=plain(offer.address) or offer.commune,
                         provider=plain(offer.provider), schedule=plain(offer.schedule), url=self.absolute(self.site.offer_url(lang, offer.id)))

    def offer_file_outputs(self, offer: OfferData, lang: str) -> Iterator[Output]:
        """The .ics and .vcf files next to the offer page; they show only the offer (and the build date)."""
        folder = self.site.offer_url(lang, offer.id)
        names = file_names(offer)
        # The build date stands in for DTSTAMP/REV (and a missing start) only when `reviewed` is missing.
        deps = (repr(offer), folder, self.site.today if not (offer.reviewed and offer.starts) else None)
        if "ics" in names:
            host = urlsplit(self.config.base_url).hostname or "sitegen"
            yield (folder + names["ics"], f"{offer.path} ({offer.id}, calendar)", ("ics", *deps),
                      partial(offerfiles.ics, offer, self.offer_text(offer, lang), host, self.site.today))
        if "vcf" in names:
            yield (folder + names["vcf"], f"{offer.path} ({offer.id}, contact)", ("vcf", *deps),
                      partial(offerfiles.vcf, offer, self.offer_text(offer, lang), self.config.territory, self.site.today))

    # -- the course finder (finder.py) --------------------------------------------------------

    def finder_base(self, lang: str) -> str | None:
        courses = self.site.offers_in(lang, "kind", finder.COURSE_KIND)
        if not courses:
            return None
        return finder.finder_url(self.site.term_url(lang, "kind", finder.COURSE_KIND), self.config.words(lang))

    def finder_urls(self, lang: str) -> list[str]:
        """The finder page and its filter pages, in the same order in every language (for the sitemap)."""
        base = self.finder_base(lang)
        if base is None:
            return []
        courses = self.site.offers_in(lang, "kind", finder.COURSE_KIND)
        return [base] + [f"{base}{f.slug}/" for f in finder.filters(courses, self.config.words(lang))]

    def finder_outputs(self, lang: str) -> Iterator[Output]:
        """The finder page and one page per filter, for visitors without JavaScript."""
        base = self.finder_base(lang)
        if base is None:
            return
        courses = self.site.offers_in(lang, "kind", finder.COURSE_KIND)
        deps = ("finder", self.chrome_digest(lang), self.offers_digest())
        yield (output_file(base), f"the course finder ({lang})", (*deps, base),
                  partial(self.render, lang, "finder.html", partial(self.finder_context, lang, None)))
        for f in finder.filters(courses, self.config.words(lang)):
            yield (output_file(f"{base}{f.slug}/"), f"the course finder /{base}{f.slug}/", (*deps, base, f),
                      partial(self.render, lang, "finder.html", partial(self.finder_context, lang, f)))

    def finder_context(self, lang: str, current: finder.Filter | None) -> dict[str, Any]:
        loc = self.localizers[lang]
        base = self.finder_base(lang) or ""
        courses = self.site.offers_in(lang, "kind", finder.COURSE_KIND)
        shown = [o for o in courses if current is None or current.matches(o)]
        extra = finder.context(courses, loc, self.config.words(lang), base, current)

        def url_in(code: str) -> str:
            other = self.finder_base(code) or ""
            if current is None:
                return other
            same = next(f for f in finder.filters(courses, self.config.words(code)) if (f.facet, f.value) == (current.facet, current.value))
            return f"{other}{same.slug}/"

        title = loc.gettext("Find a language course")
        if current is not None:
            title = loc.gettext("Language courses: %(filter)s") % {"filter": extra["current_label"]}
        url = url_in(lang)
        switch = self.all_languages(url_in)
        crumbs = [(self.home_title(lang), self.site.home_url(lang)), (loc.gettext("All offers"), self.site.offers_url(lang)),
                  (loc.term(self.term(lang, "kind", finder.COURSE_KIND)), self.site.term_url(lang, "kind", finder.COURSE_KIND))]
        if current is not None:
            crumbs.append((loc.gettext("Find a language course"), base))
        context = self.chrome(lang, url, title, switch, canonical=self.absolute(url), alternates=self.alternates(switch), breadcrumbs=crumbs)
        cards = [{**self.offer_card(o, lang), "data": {k: " ".join(v) for k, v in finder.facets(o).items()}} for o in shown]
        context.update(extra)
        context.update({"title": title, "offers": cards, "total": len(shown), "total_label": loc.number(len(shown)), "filtered": current is not None})
        return context
