"""An offer as files a phone understands, published next to its page (issue 11): iCalendar
(.ics, RFC 5545) and vCard (.vcf, RFC 6350).

The bytes are pure: plain data in, bytes out. Files are deterministic: DTSTAMP and REV come
from the offer's `reviewed` date (or the build's --today), never from the clock, and UIDs
from the offer's id and the site's host.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import vobject
from icalendar import Calendar, Event

from .. import hours
from ..validate import OfferData
from .core import Job, Renderer
from .offertext import OfferText, offer_text, split_address

ZONE = ZoneInfo("Europe/Zurich")  # the canton's clock: course times are wall-clock times there
PRODID = "-//sitegen//offers//EN"
VCARD_KINDS = frozenset({"counselling", "delegate"})


def jobs(r: Renderer, offer: OfferData, lang: str) -> Iterator[Job]:
    """The .ics and .vcf files next to the offer page.

    They show only the offer (and the build date).
    """
    folder = r.site.offer_url(lang, offer.id)
    names = file_names(offer)
    # The build date stands in for DTSTAMP/REV (and a missing start) only when `reviewed` is
    # missing.
    deps = (
        r.offer_digest(offer),
        folder,
        r.site.today if not (offer.reviewed and offer.starts) else None,
    )
    text = partial(offer_text, offer, lang, r.config.fallbacks(lang), r.absolute(folder))
    if "ics" in names:
        host = urlsplit(r.config.base_url).hostname or "sitegen"
        yield Job(
            folder + names["ics"],
            f"{offer.path} ({offer.id}, calendar)",
            ("ics", *deps),
            lambda: ics(offer, text(), host, r.site.today),
        )
    if "vcf" in names:
        yield Job(
            folder + names["vcf"],
            f"{offer.path} ({offer.id}, contact)",
            ("vcf", *deps),
            lambda: vcf(offer, text(), r.config.territory, r.site.today),
        )


def file_names(offer: OfferData) -> dict[str, str]:
    """The files published next to the offer page (its folder), by extension."""
    names = {}
    if has_calendar(offer):
        names["ics"] = f"{offer.id}.ics"
    if has_vcard(offer):
        names["vcf"] = f"{offer.id}.vcf"
    return names


def has_calendar(offer: OfferData) -> bool:
    """Courses (or any offer) with dates or weekly times get an .ics file."""
    return bool(offer.weekly or offer.starts)


def has_vcard(offer: OfferData) -> bool:
    """Offices and delegates with an address or a way to reach them, and any offer with both."""
    contact = bool(offer.contact.phone or offer.contact.email)
    if offer.kind in VCARD_KINDS:
        return contact or bool(offer.address)
    return contact and bool(offer.address)


def _stamp(offer: OfferData, today: dt.date) -> dt.datetime:
    return dt.datetime.combine(offer.reviewed or today, dt.time(), tzinfo=dt.UTC)


def _first_day(start: dt.date, weekdays: tuple[int, ...]) -> dt.date:
    """The first day on or after `start` that falls on one of the weekdays.

    RFC 5545: DTSTART is the first instance.
    """
    return next(
        start + dt.timedelta(days=n)
        for n in range(7)
        if (start + dt.timedelta(days=n)).weekday() in weekdays
    )


def ics(offer: OfferData, text: OfferText, host: str, today: dt.date) -> bytes:
    """One VEVENT per weekly slot (RRULE:FREQ=WEEKLY;BYDAY=...), or one all-day event on day one."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    description = "\n\n".join(t for t in (text.summary, text.schedule, text.url) if t)

    def event(uid: str) -> Event:
        ev = Event()
        ev.add("uid", f"{uid}@{host}")
        ev.add("dtstamp", _stamp(offer, today))
        ev.add("summary", text.title)
        if description:
            ev.add("description", description)
        if text.place:
            ev.add("location", text.place)
        if offer.geo:
            ev.add("geo", offer.geo)
        ev.add("url", text.url)
        return ev

    slots = hours.slots(offer.weekly) if offer.weekly else ()
    start = offer.starts or today
    for number, slot in enumerate(slots, start=1):
        ev = event(f"{offer.id}-{number}")
        first = _first_day(start, slot.weekdays)
        ev.add("dtstart", dt.datetime.combine(first, slot.start, tzinfo=ZONE))
        ev.add("dtend", dt.datetime.combine(first, slot.end, tzinfo=ZONE))
        rule: dict[str, object] = {"freq": "weekly", "byday": slot.byday}
        if offer.ends:
            # With a DTSTART in a time zone, UNTIL must be in UTC (RFC 5545, 3.3.10).
            rule["until"] = dt.datetime.combine(
                offer.ends, dt.time(23, 59, 59), tzinfo=ZONE
            ).astimezone(dt.UTC)
        ev.add("rrule", rule)
        cal.add_component(ev)
    if not slots and offer.starts:
        ev = event(offer.id)
        ev.add("dtstart", offer.starts)
        ev.add("dtend", offer.starts + dt.timedelta(days=1))
        cal.add_component(ev)
    if slots:  # only weekly times are in the canton's zone (all-day dates and DTSTAMP are not)
        # The time zone's rules over the course's own dates only (not 1970-2038): a short file.
        first = dt.date(start.year, 1, 1)
        cal.add_missing_timezones(
            first_date=first, last_date=dt.date((offer.ends or start).year + 2, 1, 1)
        )
    return cal.to_ical()


def vcf(offer: OfferData, text: OfferText, country: str, today: dt.date) -> bytes:
    """A vCard for the office: its name, organisation, address, phone, e-mail, web page, place."""
    card = vobject.vCard()
    card.add("fn").value = text.title
    card.add("n").value = vobject.vcard.Name(family=text.title)
    if text.provider:
        card.add("org").value = [text.provider]
    if text.place:
        card.add("adr").value = _address(text.place, offer.commune, country)
    if offer.contact.phone:
        tel = card.add("tel")
        tel.value = offer.contact.phone
        tel.type_param = "work"
    if offer.contact.email:
        email = card.add("email")
        email.value = offer.contact.email
        email.type_param = "internet"
    for url in (offer.contact.website, text.url):
        if url:
            card.add("url").value = url
    if offer.geo:
        card.add("geo").value = f"{offer.geo[0]};{offer.geo[1]}"
    card.add("rev").value = _stamp(offer, today).strftime("%Y%m%dT%H%M%SZ")
    return card.serialize().encode("utf-8")


def _address(address: str, commune: str, country: str) -> vobject.vcard.Address:
    """Split "Rue de l'Exemple 1, 1950 Sion" into street, postcode and town (Swiss postal form)."""
    parts = split_address(address)
    if parts:
        street, code, city = parts
        return vobject.vcard.Address(street=street, code=code, city=city, country=country)
    return vobject.vcard.Address(street=address, city=commune, country=country)
