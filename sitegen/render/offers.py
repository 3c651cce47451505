"""Offer pages (issue 11): the facts, what a visitor can do with the offer (call, write,
find the way, save the dates or the contact), the opening hours as a table a person reads
and the schema.org JSON-LD; and the offer's card in lists and the course finder."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

from babel import Locale
from babel.dates import format_interval
from babel.lists import format_list
from markupsafe import Markup

from .. import hours, phones
from ..i18n import Localizer
from ..urls import output_file
from ..validate import OfferData
from . import jsonld, offerfiles
from .core import Job, Renderer
from .offertext import offer_text

OSM = "https://www.openstreetmap.org/"
PH_OFF = re.compile(r"\bPH\s+(off|closed)\b")


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    """Each offer's page and the files next to it."""
    chrome = r.chrome_digest(lang)
    for offer in r.site.offers:
        description = r.contents.descriptions.get((lang, offer.id))
        yield Job(
            output_file(r.site.offer_url(lang, offer.id)),
            f"{offer.path} ({offer.id})",
            (
                "offer",
                chrome,
                r.offer_digest(offer),
                description.digest if description else None,
                r.site.today if offer.opening_hours else None,
            ),  # the public holidays "open now" reads
            partial(r.render, lang, "offer.html", partial(context, r, offer, lang)),
        )
        yield from offerfiles.jobs(r, offer, lang)


def card(r: Renderer, offer: OfferData, lang: str) -> dict[str, Any]:
    """What lists show of an offer: made once per language, an offer is on several lists and
    finder pages (callers copy it before adding to it)."""
    entry = r.cards.get((id(offer), lang))
    if entry is None:
        entry = r.cards[(id(offer), lang)] = (offer, _card(r, offer, lang))
    return entry[1]


def _card(r: Renderer, offer: OfferData, lang: str) -> dict[str, Any]:
    loc = r.localizers[lang]
    return {
        "title": r.text(offer.title, lang),
        "summary": r.text(offer.summary, lang),
        "url": r.site.offer_url(lang, offer.id),
        "kind_label": loc.term(r.term(lang, "kind", offer.kind)),
        "place": offer.commune or loc.term(r.term(lang, "region", offer.region)),
        "levels": list(offer.levels),
        "price": loc.price(offer.price_chf) if offer.price_chf is not None else "",
    }


def card_deps(offer: OfferData) -> tuple[Any, ...]:
    """What card() reads of an offer: a list's dependency on it (not the offer's other fields)."""
    return (
        offer.id,
        offer.title,
        offer.summary,
        offer.kind,
        offer.commune,
        offer.region,
        offer.levels,
        offer.price_chf,
    )


def context(r: Renderer, offer: OfferData, lang: str) -> dict[str, Any]:
    loc = r.localizers[lang]
    summary = card(r, offer, lang)
    url = r.site.offer_url(lang, offer.id)
    facts: list[dict[str, Any]] = []

    def fact(
        label: str,
        value: str,
        url: str | None = None,
        value_lang: str | None = None,
        ltr: bool = False,
    ) -> None:
        if value:
            facts.append(
                {"label": label, "value": value, "url": url, "lang": value_lang, "ltr": ltr}
            )

    kind_label = loc.term(r.term(lang, "kind", offer.kind))
    region_label = loc.term(r.term(lang, "region", offer.region))
    fact(loc.gettext("Kind of offer"), kind_label, r.site.term_url(lang, "kind", offer.kind))
    fact(loc.gettext("Region"), region_label, r.site.term_url(lang, "region", offer.region))
    provider = r.text(offer.provider, lang)
    fact(loc.gettext("Offered by"), provider["text"] or "", value_lang=provider["lang"])
    address = r.text(offer.address, lang)
    fact(loc.gettext("Address"), address["text"] or offer.commune, value_lang=address["lang"])
    if offer.languages:
        label = (
            loc.gettext("Language taught")
            if offer.kind == "course"
            else loc.gettext("Languages spoken")
        )
        fact(label, format_list([loc.language_name(c) for c in offer.languages], locale=loc.locale))
    fact(loc.gettext("Level"), ", ".join(offer.levels))
    schedule = r.text(offer.schedule, lang)
    fact(loc.gettext("When"), schedule["text"] or "", value_lang=schedule["lang"])
    if offer.starts and offer.ends:
        fact(
            loc.gettext("Dates"),
            loc.gettext("from %(start)s to %(end)s")
            % {"start": loc.date(offer.starts), "end": loc.date(offer.ends)},
        )
    elif offer.starts:
        fact(
            loc.gettext("Dates"), loc.gettext("from %(start)s") % {"start": loc.date(offer.starts)}
        )
    if offer.price_chf is not None:
        fact(loc.gettext("Price"), summary["price"])
    if offer.childcare is not None:
        fact(
            loc.gettext("Childcare"),
            loc.gettext("Yes, childcare is offered") if offer.childcare else loc.gettext("No"),
        )
    if offer.audiences:
        names = {a.id: loc.term(a) for a in r.config.audiences}
        fact(
            loc.gettext("For"),
            format_list([names.get(a, a) for a in offer.audiences], locale=loc.locale),
        )
    # Numbers and addresses read left to right in every script (bdi dir=ltr in the template).
    fact(loc.gettext("Phone"), offer.contact.phone, ltr=True)
    fact(loc.gettext("E-mail"), offer.contact.email, ltr=True)

    description = r.contents.descriptions.get((lang, offer.id))
    description_lang = r.text(offer.description, lang)["lang"]
    has_fallback = any(
        r.text(getattr(offer, f), lang)["lang"]
        for f in ("title", "summary", "description", "schedule", "address")
    )
    switch = r.all_languages(lambda code: r.site.offer_url(code, offer.id))
    page = r.chrome(
        lang,
        url,
        summary["title"]["text"],
        switch,
        canonical=r.absolute(url),
        alternates=r.alternates(switch),
        breadcrumbs=[
            (r.home_title(lang), r.site.home_url(lang)),
            (loc.gettext("All offers"), r.site.offers_url(lang)),
            (kind_label, r.site.term_url(lang, "kind", offer.kind)),
        ],
        description=summary["summary"]["text"] or "",
    )
    text = offer_text(offer, lang, r.config.fallbacks(lang), r.absolute(url))
    page.update(
        {
            "offer": {**summary, "has_fallback": has_fallback},
            "facts": facts,
            "actions": actions(offer, text.place, loc),
            "description": Markup(description.html) if description else "",
            "description_lang": description_lang,
            "reviewed": loc.date(offer.reviewed) if offer.reviewed else "",
            "hours": _hours_table(r, offer.opening_hours, lang),
            "jsonld": jsonld.script_text(
                jsonld.offer_data(offer, text, r.config.territory, region_label)
            ),
        }
    )
    return page


def _action(
    label: str,
    href: str,
    *,
    external: bool = False,
    kind: str = "",
    download: str = "",
    mime: str = "",
) -> dict[str, Any]:
    return {
        "label": label,
        "href": href,
        "external": external,
        "kind": kind,
        "download": download,
        "type": mime,
    }


def actions(offer: OfferData, address: str, loc: Localizer) -> list[dict[str, Any]]:
    """The offer page's buttons. Map links are plain links: nothing is requested until clicked."""
    gettext = loc.gettext
    out = []
    if offer.contact.phone:
        out.append(_action(gettext("Call"), phones.tel_uri(offer.contact.phone), kind="tel"))
    if offer.contact.email:
        out.append(
            _action(gettext("Write an e-mail"), "mailto:" + offer.contact.email, kind="mail")
        )
    if offer.contact.website:
        out.append(_action(gettext("Website"), offer.contact.website, external=True, kind="web"))
    if offer.geo:
        lat, lon = offer.geo
        out.append(
            _action(
                gettext("Directions"),
                f"{OSM}directions?" + urlencode({"route": f";{lat},{lon}"}),
                external=True,
                kind="directions",
            )
        )
        out.append(
            _action(
                gettext("Show on a map"),
                f"{OSM}?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}",
                external=True,
                kind="map",
            )
        )
        # geo: (RFC 5870) opens the phone's own map application.
        out.append(_action(gettext("Open in my map app"), f"geo:{lat},{lon}", kind="geo"))
    elif address:
        # No coordinates: a search for the address (issue 17), so that the place can still be found.
        out.append(
            _action(
                gettext("Find on a map"),
                f"{OSM}search?query={quote(address)}",
                external=True,
                kind="map",
            )
        )
    names = offerfiles.file_names(offer)
    if "ics" in names:
        out.append(
            _action(
                gettext("Add to my calendar"),
                names["ics"],
                kind="ics",
                download=names["ics"],
                mime="text/calendar",
            )
        )
    if "vcf" in names:
        out.append(
            _action(
                gettext("Save the contact"),
                names["vcf"],
                kind="vcf",
                download=names["vcf"],
                mime="text/vcard",
            )
        )
    return out


def _times(interval: hours.Interval, loc: Localizer) -> str:
    if interval.note_only:
        return ""
    if interval.start == 0 and interval.end == 1440:
        return loc.gettext("all day")
    return _interval(interval.start, interval.end, loc.locale)


@functools.lru_cache(maxsize=4096)
def _interval(start: int, end: int, locale: Locale) -> str:
    """Babel's "08:30–11:30": a tenth of a millisecond each, and the same few times recur on
    every offer and in every week."""
    return format_interval(hours.clock(start), hours.clock(end), "Hm", locale=locale)


def _hours_table(r: Renderer, opening_hours: str, lang: str) -> dict[str, Any] | None:
    """hours_table() once per expression and language: offers share their hours (templates
    only read the table)."""
    key = (opening_hours, lang)
    if key not in r.hours_tables:
        r.hours_tables[key] = hours_table(opening_hours, r.localizers[lang], r.site.today)
    return r.hours_tables[key]


def _comment(text: str, loc: Localizer) -> str:
    # The comment editors write most (OSM's own example): shown in the visitor's language.
    return loc.gettext("by appointment") if text.casefold() == hours.BY_APPOINTMENT else text


def hours_table(opening_hours: str, loc: Localizer, today: dt.date) -> dict[str, Any] | None:
    """The week as rows (localized day names and times), with what the "open now" script reads."""
    if not opening_hours:
        return None
    week = hours.week(opening_hours)
    whole = {i for d in week for i in d.intervals}
    if len(whole) == 1 and all(len(d.intervals) == 1 for d in week) and next(iter(whole)).note_only:
        # Only a comment ("by appointment"): one sentence, not seven identical rows, and no "open
        # now".
        return {
            "rows": [],
            "summary": _comment(next(iter(whole)).comment, loc),
            "holidays_closed": False,
            "data": "",
        }
    names = loc.locale.days["stand-alone"]["wide"]
    rows, data = [], []
    for day in week:
        parts = []
        for interval in day.intervals:
            times, comment = (
                _times(interval, loc),
                _comment(interval.comment, loc) if interval.comment else "",
            )
            parts.append(f"{times} ({comment})" if times and comment else times or comment)
        name = names[day.weekday]
        rows.append(
            {
                "day": name[:1].upper() + name[1:],
                "times": parts,
                "closed": not parts,
                "note": "" if day.every_week else loc.gettext("not every week"),
            }
        )
        # Days that change from week to week are left to the table: the script says nothing then.
        data.append(
            [[i.start, i.end, 1 if i.comment else 0] for i in day.intervals]
            if day.every_week
            else None
        )
    closed_on_holidays = bool(PH_OFF.search(opening_hours))
    script = {
        "days": data,
        "holidays": hours.public_holidays(opening_hours, today),
        "holidays_closed": closed_on_holidays,
    }
    return {
        "rows": rows,
        "summary": "",
        "holidays_closed": closed_on_holidays,
        "data": json.dumps(script, separators=(",", ":")),
    }
