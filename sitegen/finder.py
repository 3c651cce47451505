"""The course finder (issue 11): which level a permit asks for, and courses narrowed by level,
time of day, childcare and price.

Without JavaScript every filter is a pre-built page, one facet at a time (at most six
levels + three times of day + free + childcare per language); finder.js narrows the list
on the finder page by several facets at once, from the cards' data attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import hours
from .i18n import N_, Localizer
from .validate import LEVELS, OfferData

COURSE_KIND = "course"
TIMES = ("morning", "afternoon", "evening")
# The folder words of the finder's pages are URL words like "offers" (config.URL_WORD_NAMES:
# find, morning, afternoon, evening, free, childcare): fixed per language, never from a catalog.
_TIME_LABELS = {"morning": N_("In the morning"), "afternoon": N_("In the afternoon"), "evening": N_("In the evening")}


@dataclass(frozen=True)
class Goal:
    """A usual language requirement (valais-facts.md: thresholds, oral / written)."""

    label: str
    oral: str
    written: str  # "" when none is asked
    note: str = ""


GOALS = (
    Goal(N_("B permit through family reunification"), "A1", "", N_("or being enrolled in a language course")),
    Goal(N_("C permit (settlement permit)"), "A2", "A1"),
    Goal(N_("Early C permit (after 5 years)"), "B1", "A1"),
    Goal(N_("Naturalisation"), "B1", "A2"),
)


def facets(offer: OfferData) -> dict[str, tuple[str, ...]]:
    """The values a course has for each facet (what its card carries as data attributes)."""
    times = sorted({hours.time_of_day(slot) for slot in hours.slots(offer.weekly)}, key=TIMES.index) if offer.weekly else []
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

    def matches(self, offer: OfferData) -> bool:
        return self.value in facets(offer)[self.facet]


def finder_url(courses_url: str, words: Mapping[str, str]) -> str:
    """Inside the language courses' list folder (/fr/offres/type/cours-de-langue/trouver/): never an offer's address."""
    return f"{courses_url}{words['find']}/"


def filters(courses: tuple[OfferData, ...], words: Mapping[str, str]) -> list[Filter]:
    """Every filter that keeps at least one course: the pages to build, in the order shown (`words`: Config.words)."""
    out = [Filter("level", level, level.lower()) for level in LEVELS]
    out += [Filter("time", time, words[time]) for time in TIMES]
    out += [Filter("free", "yes", words["free"]), Filter("childcare", "yes", words["childcare"])]
    return [f for f in out if any(f.matches(o) for o in courses)]


def label(f: Filter, loc: Localizer) -> str:
    if f.facet == "level":
        return f.value
    if f.facet == "time":
        return loc.gettext(_TIME_LABELS[f.value])
    return loc.gettext("Free of charge") if f.facet == "free" else loc.gettext("With childcare")


def facet_label(facet: str, loc: Localizer) -> str:
    return {"level": loc.gettext("Level"), "time": loc.gettext("Time of day"), "free": loc.gettext("Price"),
            "childcare": loc.gettext("Childcare")}[facet]


def context(courses: tuple[OfferData, ...], loc: Localizer, words: Mapping[str, str], base: str, current: Filter | None) -> dict[str, Any]:
    """What finder.html shows, besides the chrome and the cards: the level guide and the filters."""
    available = filters(courses, words)
    level_urls = {f.value: f"{base}{f.slug}/" for f in available if f.facet == "level"}
    goals = [{"label": loc.gettext(g.label), "oral": g.oral, "written": g.written, "note": loc.gettext(g.note) if g.note else "",
              "url": level_urls.get(g.oral)} for g in GOALS]
    groups: list[dict[str, Any]] = []
    for f in available:
        if not groups or groups[-1]["facet"] != f.facet:
            groups.append({"facet": f.facet, "label": facet_label(f.facet, loc), "items": []})
        count = sum(1 for o in courses if f.matches(o))
        groups[-1]["items"].append({"label": label(f, loc), "value": f.value, "url": f"{base}{f.slug}/", "count": loc.number(count),
                                    "current": current == f})
    return {"goals": goals, "groups": groups, "all_url": base, "current_label": label(current, loc) if current else ""}
