"""What a visitor can do with an offer (issue 11): call, write, find the way, save the dates
or the contact; and the opening hours as a table a person reads.

Plain data for the offer template; the files themselves are made by offerfiles.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import quote, urlencode

from babel.dates import format_interval

from . import hours, offerfiles, phones
from .i18n import Localizer
from .validate import OfferData

OSM = "https://www.openstreetmap.org/"
PH_OFF = re.compile(r"\bPH\s+(off|closed)\b")


def file_names(offer: OfferData) -> dict[str, str]:
    """The files published next to the offer page (its folder), by extension."""
    names = {}
    if offerfiles.has_calendar(offer):
        names["ics"] = f"{offer.id}.ics"
    if offerfiles.has_vcard(offer):
        names["vcf"] = f"{offer.id}.vcf"
    return names


def _action(label: str, href: str, *, external: bool = False, kind: str = "", download: str = "", mime: str = "") -> dict[str, Any]:
    return {"label": label, "href": href, "external": external, "kind": kind, "download": download, "type": mime}


def offer_actions(offer: OfferData, address: str, loc: Localizer) -> list[dict[str, Any]]:
    """The offer page's buttons. Map links are plain links: nothing is requested until clicked."""
    gettext = loc.gettext
    out = []
    if offer.contact.phone:
        out.append(_action(gettext("Call"), phones.tel_uri(offer.contact.phone), kind="tel"))
    if offer.contact.email:
        out.append(_action(gettext("Write an e-mail"), "mailto:" + offer.contact.email, kind="mail"))
    if offer.contact.website:
        out.append(_action(gettext("Website"), offer.contact.website, external=True, kind="web"))
    if offer.geo:
        lat, lon = offer.geo
        out.append(_action(gettext("Directions"), f"{OSM}directions?" + urlencode({"route": f";{lat},{lon}"}), external=True, kind="directions"))
        out.append(_action(gettext("Show on a map"), f"{OSM}?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}", external=True, kind="map"))
        # geo: (RFC 5870) opens the phone's own map application.
        out.append(_action(gettext("Open in my map app"), f"geo:{lat},{lon}", kind="geo"))
    elif address:
        # No coordinates: a search for the address (issue 17), so that the place can still be found.
        out.append(_action(gettext("Find on a map"), f"{OSM}search?query={quote(address)}", external=True, kind="map"))
    names = file_names(offer)
    if "ics" in names:
        out.append(_action(gettext("Add to my calendar"), names["ics"], kind="ics", download=names["ics"], mime="text/calendar"))
    if "vcf" in names:
        out.append(_action(gettext("Save the contact"), names["vcf"], kind="vcf", download=names["vcf"], mime="text/vcard"))
    return out


def _times(interval: hours.Interval, loc: Localizer) -> str:
    if interval.start == 0 and interval.end == 1440:
        return "" if interval.comment else loc.gettext("all day")
    return format_interval(hours.clock(interval.start), hours.clock(interval.end), "Hm", locale=loc.locale)


def _comment(text: str, loc: Localizer) -> str:
    # The comment editors write most (OSM's own example): shown in the visitor's language.
    return loc.gettext("by appointment") if text.casefold() == hours.BY_APPOINTMENT else text


def hours_table(opening_hours: str, loc: Localizer, today: dt.date) -> dict[str, Any] | None:
    """The week as rows (localized day names and times) plus the data the "open now" script reads."""
    if not opening_hours:
        return None
    week = hours.week(opening_hours)
    whole = {(i.start, i.end, i.comment) for d in week for i in d.intervals}
    if len(whole) == 1 and all(len(d.intervals) == 1 for d in week) and next(iter(whole))[:2] == (0, 1440) and next(iter(whole))[2]:
        # Only a comment ("by appointment"): one sentence, not seven identical rows, and no "open now".
        return {"rows": [], "summary": _comment(next(iter(whole))[2], loc), "holidays_closed": False, "data": ""}
    names = loc.locale.days["stand-alone"]["wide"]
    rows, data = [], []
    for day in week:
        parts = []
        for interval in day.intervals:
            times, comment = _times(interval, loc), _comment(interval.comment, loc) if interval.comment else ""
            parts.append(f"{times} ({comment})" if times and comment else times or comment)
        name = names[day.weekday]
        rows.append({"day": name[:1].upper() + name[1:], "times": parts, "closed": not parts,
                     "note": "" if day.every_week else loc.gettext("not every week")})
        # Days that change from week to week are left to the table: the script says nothing then.
        data.append([[i.start, i.end, 1 if i.comment else 0] for i in day.intervals] if day.every_week else None)
    closed_on_holidays = bool(PH_OFF.search(opening_hours))
    script = {"days": data, "holidays": hours.public_holidays(opening_hours, today), "holidays_closed": closed_on_holidays}
    return {"rows": rows, "summary": "", "holidays_closed": closed_on_holidays, "data": json.dumps(script, separators=(",", ":"))}
