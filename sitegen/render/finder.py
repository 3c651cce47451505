"""The course finder (issue 11): which level a permit asks for, and courses narrowed by level,
time of day, childcare and price.

Without JavaScript every filter is a pre-built page, one facet at a time (at most six
levels + three times of day + free + childcare per language); finder.js narrows the list
on the finder page by several facets at once, from the cards' data attributes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from .. import hours
from ..i18n import N_, Localizer
from ..urls import output_file
from ..validate import LEVELS, OfferData
from . import offers
from .core import Job, Renderer, digest

COURSE_KIND = "course"
TIMES = ("morning", "afternoon", "evening")
# The folder words of the finder's pages are URL words like "offers" (config.URL_WORD_NAMES:
# find, morning, afternoon, evening, free, childcare): fixed per language, never from a catalog.
_TIME_LABELS = {
    "morning": N_("In the morning"),
    "afternoon": N_("In the afternoon"),
    "evening": N_("In the evening"),
}


@dataclass(frozen=True)
class Goal:
    """A usual language requirement (valais-facts.md: thresholds, oral / written)."""

    label: str
    oral: str
    written: str  # "" when none is asked
    note: str = ""


GOALS = (
    Goal(
        N_("B permit through family reunification"),
        "A1",
        "",
        N_("or being enrolled in a language course"),
    ),
    Goal(N_("C permit (settlement permit)"), "A2", "A1"),
    Goal(N_("Early C permit (after 5 years)"), "B1", "A1"),
    Goal(N_("Naturalisation"), "B1", "A2"),
)


def facets(offer: OfferData) -> dict[str, tuple[str, ...]]:
    """The values a course has for each facet (what its card carries as data attributes)."""
    times = (
        sorted({hours.time_of_day(slot) for slot in hours.slots(offer.weekly)}, key=TIMES.index)
        if offer.weekly
        else []
    )
    return {
        "level": offer.levels,
        "time": tuple(times),
        "free": ("yes",) if offer.price_chf == 0 else (),
        "childcare": ("yes",) if offer.childcare else (),
    }


@dataclass(frozen=True)
class Filter:
    facet: str  # level, time, free, childcare
    value: str  # A1, evening, yes
    slug: str  # the folder word


@dataclass(frozen=True)
class Courses:
    """A language's published courses with each one's facets and, per (facet, value), how
    many courses have it: what every finder page of the language reads."""

    offers: tuple[OfferData, ...]
    facets: tuple[dict[str, tuple[str, ...]], ...]  # facets(offer), in the order of `offers`
    counts: dict[tuple[str, str], int]

    def matching(self, f: Filter | None) -> list[tuple[OfferData, dict[str, tuple[str, ...]]]]:
        """(course, its facets) of the courses `f` keeps (all of them for None)."""
        return [
            (o, found)
            for o, found in zip(self.offers, self.facets, strict=True)
            if f is None or f.value in found[f.facet]
        ]


def count_courses(offers: tuple[OfferData, ...]) -> Courses:
    """Each course's facets (parsing its weekly hours once) and the counts, in one pass."""
    found = tuple(facets(o) for o in offers)
    counts: dict[tuple[str, str], int] = {}
    for values in found:
        for facet, held in values.items():
            for value in set(held):
                counts[(facet, value)] = counts.get((facet, value), 0) + 1
    return Courses(offers, found, counts)


def finder_url(courses_url: str, words: Mapping[str, str]) -> str:
    """Inside the language courses' list folder (/fr/offres/type/cours-de-langue/trouver/).

    Never an offer's address.
    """
    return f"{courses_url}{words['find']}/"


def filters(courses: Courses, words: Mapping[str, str]) -> list[Filter]:
    """Every filter that keeps at least one course.

    The pages to build, in the order shown (`words`: Config.words).
    """
    out = [Filter("level", level, level.lower()) for level in LEVELS]
    out += [Filter("time", time, words[time]) for time in TIMES]
    out += [Filter("free", "yes", words["free"]), Filter("childcare", "yes", words["childcare"])]
    return [f for f in out if courses.counts.get((f.facet, f.value))]


def label(f: Filter, loc: Localizer) -> str:
    if f.facet == "level":
        return f.value
    if f.facet == "time":
        return loc.gettext(_TIME_LABELS[f.value])
    return loc.gettext("Free of charge") if f.facet == "free" else loc.gettext("With childcare")


def facet_label(facet: str, loc: Localizer) -> str:
    return {
        "level": loc.gettext("Level"),
        "time": loc.gettext("Time of day"),
        "free": loc.gettext("Price"),
        "childcare": loc.gettext("Childcare"),
    }[facet]


def guide(
    courses: Courses, loc: Localizer, words: Mapping[str, str], base: str, current: Filter | None
) -> dict[str, Any]:
    """What finder.html shows, besides the chrome and the cards: the level guide and the filters."""
    available = filters(courses, words)
    level_urls = {f.value: f"{base}{f.slug}/" for f in available if f.facet == "level"}
    goals = [
        {
            "label": loc.gettext(g.label),
            "oral": g.oral,
            "written": g.written,
            "note": loc.gettext(g.note) if g.note else "",
            "url": level_urls.get(g.oral),
        }
        for g in GOALS
    ]
    groups: list[dict[str, Any]] = []
    for f in available:
        if not groups or groups[-1]["facet"] != f.facet:
            groups.append({"facet": f.facet, "label": facet_label(f.facet, loc), "items": []})
        count = courses.counts[(f.facet, f.value)]
        groups[-1]["items"].append(
            {
                "label": label(f, loc),
                "value": f.value,
                "url": f"{base}{f.slug}/",
                "count": loc.number(count),
                "current": current == f,
            }
        )
    return {
        "goals": goals,
        "groups": groups,
        "all_url": base,
        "current_label": label(current, loc) if current else "",
    }


# -- the pages --------------------------------------------------------------------------------


def courses(r: Renderer, lang: str) -> Courses:
    """The language's courses and their facets, counted once per renderer."""
    if lang not in r.courses:
        r.courses[lang] = count_courses(r.site.offers_in(lang, "kind", COURSE_KIND))
    found: Courses = r.courses[lang]
    return found


def base_url(r: Renderer, lang: str) -> str | None:
    """The finder page's address; None when no course is published."""
    if not r.site.offers_in(lang, "kind", COURSE_KIND):
        return None
    return finder_url(r.site.term_url(lang, "kind", COURSE_KIND), r.config.words(lang))


def urls(r: Renderer, lang: str) -> list[str]:
    """The finder page and its filter pages, in one order in every language (for the sitemap)."""
    base = base_url(r, lang)
    if base is None:
        return []
    return [base] + [f"{base}{f.slug}/" for f in filters(courses(r, lang), r.config.words(lang))]


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    """The finder page and one page per filter, for visitors without JavaScript."""
    base = base_url(r, lang)
    if base is None:
        return
    found = courses(r, lang)
    # Every finder page shows the level guide over all courses and the cards of some: it
    # depends on the courses' cards and facets, not on the other offers.
    deps = (
        "finder",
        r.chrome_digest(lang),
        digest([(offers.card_deps(o), held) for o, held in found.matching(None)]),
    )
    yield Job(
        output_file(base),
        f"the course finder ({lang})",
        (*deps, base),
        partial(r.render, lang, "finder.html", partial(context, r, lang, None)),
    )
    for f in filters(courses(r, lang), r.config.words(lang)):
        yield Job(
            output_file(f"{base}{f.slug}/"),
            f"the course finder /{base}{f.slug}/",
            (*deps, base, f),
            partial(r.render, lang, "finder.html", partial(context, r, lang, f)),
        )


def context(r: Renderer, lang: str, current: Filter | None) -> dict[str, Any]:
    loc = r.localizers[lang]
    base = base_url(r, lang) or ""
    found = courses(r, lang)
    shown = found.matching(current)
    extra = guide(found, loc, r.config.words(lang), base, current)

    def url_in(code: str) -> str:
        other = base_url(r, code) or ""
        if current is None:
            return other
        same = next(
            f
            for f in filters(found, r.config.words(code))
            if (f.facet, f.value) == (current.facet, current.value)
        )
        return f"{other}{same.slug}/"

    title = loc.gettext("Find a language course")
    if current is not None:
        title = loc.gettext("Language courses: %(filter)s") % {"filter": extra["current_label"]}
    url = url_in(lang)
    switch = r.all_languages(url_in)
    crumbs = [
        (r.home_title(lang), r.site.home_url(lang)),
        (loc.gettext("All offers"), r.site.offers_url(lang)),
        (loc.term(r.term(lang, "kind", COURSE_KIND)), r.site.term_url(lang, "kind", COURSE_KIND)),
    ]
    if current is not None:
        crumbs.append((loc.gettext("Find a language course"), base))
    page = r.chrome(
        lang,
        url,
        title,
        switch,
        canonical=r.absolute(url),
        alternates=r.alternates(switch),
        breadcrumbs=crumbs,
    )
    cards = [
        {**offers.card(r, o, lang), "data": {k: " ".join(v) for k, v in values.items()}}
        for o, values in shown
    ]
    page.update(extra)
    page.update(
        {
            "title": title,
            "offers": cards,
            "total": len(shown),
            "total_label": loc.number(len(shown)),
            "filtered": current is not None,
        }
    )
    return page
