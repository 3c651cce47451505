"""schema.org JSON-LD for offer pages: what search engines and other portals can read.

Types used (https://schema.org): Course + CourseInstance (+ Schedule) for courses;
GovernmentOffice for counselling offices and integration delegates (a place with
opening hours); GovernmentService for the other kinds (served through a ServiceChannel
at a Place). Shared: Place, PostalAddress, GeoCoordinates, OpeningHoursSpecification,
ContactPoint, Organization, Offer. tests/schemaorg_types.json lists the properties and
ranges of each, and tests check every generated block against it.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from .. import hours
from ..validate import OfferData
from .offertext import OfferText, split_address

SCHEMA = "https://schema.org/"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
OFFICE_KINDS = frozenset({"counselling", "delegate"})


def postal_address(address: str, commune: str, country: str) -> dict[str, Any] | None:
    if not address and not commune:
        return None
    out: dict[str, Any] = {"@type": "PostalAddress"}
    parts = split_address(address)
    if parts:
        out.update(zip(("streetAddress", "postalCode", "addressLocality"), parts, strict=True))
    else:
        if address:
            out["streetAddress"] = address
        if commune:
            out["addressLocality"] = commune
    if country:
        out["addressCountry"] = country
    return out


def opening_hours(text: str) -> list[dict[str, Any]]:
    """One OpeningHoursSpecification per set of days with the same interval (weekly days only)."""
    groups: dict[tuple[int, int, str], list[str]] = {}
    for day in hours.week(text) if text else ():
        if not day.every_week:
            continue
        for i in day.intervals:
            if i.note_only:
                continue  # "by appointment" alone: no hours to state, and not open day and night
            groups.setdefault((i.start, i.end, i.comment), []).append(SCHEMA + DAYS[day.weekday])
    out = []
    for (start, end, comment), days in groups.items():
        spec: dict[str, Any] = {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": f"{hours.clock(start):%H:%M}",
            "closes": f"{hours.clock(end):%H:%M}",
        }
        if comment:
            spec["description"] = comment
        out.append(spec)
    return out


def _location(offer: OfferData, text: OfferText, country: str) -> dict[str, Any]:
    """The address and coordinates of a Place (a GovernmentOffice is one)."""
    out: dict[str, Any] = {}
    address = postal_address(text.place, offer.commune, country)
    if address:
        out["address"] = address
    if offer.geo:
        out["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": offer.geo[0],
            "longitude": offer.geo[1],
        }
    return out


def place(offer: OfferData, text: OfferText, country: str) -> dict[str, Any] | None:
    location = _location(offer, text, country)
    return {"@type": "Place", "name": text.provider or text.title, **location} if location else None


def contact_point(offer: OfferData) -> dict[str, Any] | None:
    if not (offer.contact.phone or offer.contact.email):
        return None
    out: dict[str, Any] = {"@type": "ContactPoint", "contactType": "customer service"}
    if offer.contact.phone:
        out["telephone"] = offer.contact.phone
    if offer.contact.email:
        out["email"] = offer.contact.email
    if offer.languages and offer.kind != "course":
        out["availableLanguage"] = list(offer.languages)
    if specs := opening_hours(offer.opening_hours):
        out["hoursAvailable"] = specs
    return out


def _course(offer: OfferData, text: OfferText, country: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Course"}
    if offer.levels:
        node["educationalLevel"] = " ".join(offer.levels)
    if offer.languages:
        node["inLanguage"] = (
            offer.languages[0] if len(offer.languages) == 1 else list(offer.languages)
        )
    if text.provider:
        node["provider"] = {"@type": "Organization", "name": text.provider}
    instance: dict[str, Any] = {
        "@type": "CourseInstance",
        "courseMode": "onsite",
        "name": text.title,
    }
    where = place(offer, text, country)
    if where:
        instance["location"] = where
    if offer.starts:
        instance["startDate"] = offer.starts.isoformat()
    if offer.ends:
        instance["endDate"] = offer.ends.isoformat()
    schedules = []
    for slot in hours.slots(offer.weekly) if offer.weekly else ():
        schedule: dict[str, Any] = {
            "@type": "Schedule",
            "repeatFrequency": "P1W",
            "byDay": [SCHEMA + DAYS[d] for d in slot.weekdays],
            "startTime": slot.start.strftime("%H:%M"),
            "endTime": slot.end.strftime("%H:%M"),
            "scheduleTimezone": "Europe/Zurich",
        }
        if offer.starts:
            schedule["startDate"] = offer.starts.isoformat()
        if offer.ends:
            schedule["endDate"] = offer.ends.isoformat()
        schedules.append(schedule)
    if schedules:
        instance["courseSchedule"] = schedules
    if text.schedule:
        instance["description"] = text.schedule
    node["hasCourseInstance"] = [instance]
    if offer.price_chf is not None:
        node["offers"] = {
            "@type": "Offer",
            "price": offer.price_chf,
            "priceCurrency": "CHF",
            "category": "Free" if offer.price_chf == 0 else "Paid",
        }
    return node


def _office(offer: OfferData, text: OfferText, country: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "GovernmentOffice", **_location(offer, text, country)}
    if offer.contact.phone:
        node["telephone"] = offer.contact.phone
    if offer.contact.email:
        node["email"] = offer.contact.email
    if specs := opening_hours(offer.opening_hours):
        node["openingHoursSpecification"] = specs
    if text.provider:
        node["parentOrganization"] = {"@type": "Organization", "name": text.provider}
    if offer.languages:
        node["knowsLanguage"] = list(offer.languages)
    return node


def _service(offer: OfferData, text: OfferText, country: str, region: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "GovernmentService", "areaServed": region}
    if text.provider:
        node["provider"] = {"@type": "Organization", "name": text.provider}
    channel: dict[str, Any] = {
        "@type": "ServiceChannel",
        "serviceUrl": offer.contact.website or text.url,
    }
    where = place(offer, text, country)
    if where:
        channel["serviceLocation"] = where
    phone = contact_point(offer)
    if phone:
        channel["servicePhone"] = phone
    if offer.languages:
        channel["availableLanguage"] = list(offer.languages)
    node["availableChannel"] = channel
    if specs := opening_hours(offer.opening_hours):
        node["hoursAvailable"] = specs
    return node


def offer_data(offer: OfferData, text: OfferText, country: str, region: str) -> dict[str, Any]:
    """The offer as one schema.org node (with its nested nodes)."""
    if offer.kind == "course":
        node = _course(offer, text, country)
    elif offer.kind in OFFICE_KINDS:
        node = _office(offer, text, country)
    else:
        node = _service(offer, text, country, region)
    head = {
        "@context": "https://schema.org",
        "@type": node.pop("@type"),
        "@id": text.url,
        "name": text.title,
        "url": text.url,
    }
    if text.summary:
        head["description"] = text.summary
    if offer.contact.website and offer.kind != "course":
        head["sameAs"] = offer.contact.website
    return {**head, **node}


def script_text(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> element, safe inside HTML.

    The HTML parser ends a script at "</script" whatever JSON thinks: <, > and & are written
    as \\u escapes (still the same JSON), so no text of an editor can close the element.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
