"""VALIDATE: check loaded sources against the content format and turn them into typed records.

Every problem becomes a Diagnostic with file, line, what is wrong and how to fix it; a
record with errors is dropped, so later stages only ever see valid data.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import hours, phones
from .config import Config, is_language_code
from .errors import Diagnostic, error, warning
from .fields import (
    ID_RE,
    LocalText,
    did_you_mean,
    is_slug,
    odd_character,
    slugify,
    text_field,
    too_long,
    type_name,
    unknown_keys,
)
from .sources import OfferSource, PageSource
from .yamlload import InvalidDate, is_date, key_line, value_line

PAGE_KEYS = (
    "title",
    "summary",
    "slug",
    "weight",
    "menu",
    "keywords",
    "updated",
    "draft",
    "translated_from",
)
OFFER_KEYS = (
    "id",
    "kind",
    "title",
    "summary",
    "description",
    "provider",
    "region",
    "commune",
    "address",
    "geo",
    "languages",
    "levels",
    "schedule",
    "price_chf",
    "childcare",
    "audiences",
    "contact",
    "opening_hours",
    "weekly",
    "starts",
    "ends",
    "reviewed",
    "draft",
)
CONTACT_KEYS = ("phone", "email", "website")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# Offer ids share their URL folder with the listing folders: /fr/offres/type/, /fr/offres/region/.
RESERVED_IDS = frozenset({"type", "kind", "art", "region", "page", "index"})

PHONE_RE = re.compile(r"(?:\+[1-9]\d{0,2}|0)(?:[ .-]?\d){6,13}")
# The address goes into a mailto: link, so characters with a meaning in URLs (? & # % / :)
# are refused even where RFC 5322 would allow them; letters of any script are accepted.
EMAIL_RE = re.compile(r"[\w+'!*^~-]+(?:\.[\w+'!*^~-]+)*@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")
# Characters that never appear unencoded in a real web address but do in attacks and typos.
URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\^`{|}]")
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
HOME_NAME = "index.md"
# Numbers must be finite and in range (issue 17): YAML reads .nan and .inf as numbers, which
# would be shown as "NaN CHF"; a 55-digit price breaks the price formatting.
MAX_PRICE_CHF = 100_000
MAX_WEIGHT = 1_000_000


@dataclass(frozen=True)
class PageMeta:
    title: str
    summary: str = ""
    slug: str | None = None
    weight: int = 0
    menus: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    updated: dt.date | None = None
    draft: bool = False
    translated_from: str | None = None  # the source page's revision this translation was made from


@dataclass(frozen=True)
class Contact:
    phone: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True)
class OfferData:
    path: str
    line: int
    id: str
    kind: str
    region: str
    title: LocalText
    summary: LocalText
    description: LocalText
    provider: LocalText
    address: LocalText
    schedule: LocalText
    commune: str = ""
    geo: tuple[float, float] | None = None
    languages: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    price_chf: float | None = None
    childcare: bool | None = None
    audiences: tuple[str, ...] = ()
    contact: Contact = Contact()
    opening_hours: str = ""
    weekly: str = ""  # a course's weekly times, in opening_hours syntax ("Mo,We 18:30-20:00")
    starts: dt.date | None = None
    ends: dt.date | None = None
    reviewed: dt.date | None = None
    draft: bool = False
    # (language key of `description`, file line where that text starts): problems in the
    # Markdown of a description are reported on their own line (issue 13).
    description_lines: tuple[tuple[str, int], ...] = ()


def _text_lines(data: Any, key: str, default: int) -> tuple[tuple[str, int], ...]:
    """Where each language's text of a text field starts in the file ('' for a plain text)."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, dict):
        return tuple((str(lang), value_line(value, lang, default)) for lang in value)
    return (("", value_line(data, key, default)),) if value is not None else ()


class _Fields:
    """Typed access to one YAML map, collecting a Diagnostic for each wrong value."""

    def __init__(self, data: dict[str, Any], path: str, line: int, config: Config):
        self.data, self.path, self.line, self.config = data, path, line, config
        self.diags: list[Diagnostic] = []

    def at(self, key: str) -> int:
        return key_line(self.data, key, self.line)

    def fail(self, key: str, message: str, hint: str) -> None:
        self.diags.append(error(self.path, self.at(key), message, hint))

    def required(self, key: str, hint: str) -> bool:
        value = self.data.get(key)
        if value in (None, "", [], {}) or (isinstance(value, str) and not value.strip()):
            self.diags.append(error(self.path, self.line, f"'{key}' is missing", hint))
            return False
        return True

    def string(self, key: str, hint: str) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"'{key}' must be a text, not {type_name(value)}", hint)
            return ""
        return str(value)

    def text(self, key: str) -> LocalText:
        if self.data.get(key) is None:
            return {}
        value, problems = text_field(
            self.data[key], self.path, self.at(key), key, self.config.languages
        )
        self.diags.extend(problems)
        return value or {}

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.fail(
                key,
                f"'{key}' must be true or false, not {value!r}",
                f"write {key}: true or {key}: false",
            )
            return None
        return value

    def integer(self, key: str, default: int = 0, limit: int = MAX_WEIGHT) -> int:
        value = self.data.get(key)
        if (
            value is None
        ):  # 'weight:' left empty, or a number yamlload could not read (reported there)
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(
                key,
                f"'{key}' must be a whole number, not {_number_text(value)}",
                f"write {key}: 10",
            )
            return default
        if abs(value) > limit:
            self.fail(
                key,
                f"'{key}' must be between -{limit:,} and {limit:,}, not {_number_text(value)}",
                f"write {key}: 10",
            )
            return default
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, InvalidDate):
            self.fail(
                key,
                f"'{key}' is not a real date: {value}",
                "check the day and the month (YYYY-MM-DD)",
            )
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str) and ISO_DATE_RE.fullmatch(value.strip()):
            # A quoted date ("2026-09-01") is what a spreadsheet export writes: accept it, but check
            # it.
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                self.fail(
                    key,
                    f"'{key}' is not a real date: {value.strip()}",
                    "check the day and the month (YYYY-MM-DD)",
                )
                return None
        if not is_date(value):
            self.fail(
                key,
                f"'{key}' must be a date like 2026-09-01, not {value!r}",
                "write the date as YYYY-MM-DD, without quotes",
            )
            return None
        return value

    def words(self, key: str, hint: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
        ):
            self.fail(key, f"'{key}' must be a list of words, not {type_name(value)}", hint)
            return ()
        return tuple(str(v) for v in value)

    def choices(self, key: str, allowed: Iterable[str], what: str) -> tuple[str, ...]:
        allowed = list(allowed)
        out = []
        for value in self.words(key, f"write {key}: [{', '.join(allowed[:2])}]"):
            if value not in allowed:
                hint = did_you_mean(value, allowed) or f"use one of: {', '.join(allowed)}"
                self.fail(key, f"unknown {what} '{value}' in '{key}'", hint)
            else:
                out.append(value)
        return tuple(out)


def _number_text(value: Any) -> str:
    """A value for a message: a 55-digit number shortened, YAML's own spelling of .nan and .inf."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    text = repr(value)
    return (
        text
        if len(text) <= 20
        else f"{text[:12]}... ({len(text)} {'digits' if isinstance(value, int) else 'characters'})"
    )


def _is_number(value: Any) -> bool:
    """A real, finite number (true/false are not numbers; .nan and .inf are refused)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _translated_from(f: _Fields) -> str | None:
    """A date (2026-09-01) or the original's Git revision (a commit hash), kept as text."""
    value = f.data.get("translated_from")
    if value is None:
        return None
    if isinstance(value, (dt.date, InvalidDate)):
        day = f.date("translated_from")
        return day.isoformat() if day else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        f.fail(
            "translated_from",
            f"'translated_from' was read as a number ({value!r})",
            'put a commit hash in quotes: translated_from: "0123abc"',
        )
        return None
    return (
        f.string(
            "translated_from",
            "write translated_from: 2026-09-01, or the original's commit in quotes",
        )
        or None
    )


def validate_page(source: PageSource, config: Config) -> tuple[PageMeta | None, list[Diagnostic]]:
    meta = source.meta
    f = _Fields(meta, source.path, 2, config)
    f.diags.extend(unknown_keys(meta, PAGE_KEYS, source.path, "the front matter"))
    if f.required("title", "add a line 'title: ...' to the front matter"):
        title = f.string("title", "write title: My page")
    else:
        title = ""
    # NFC: an editor on macOS may type "é" as e + combining accent; both must give one address.
    slug = unicodedata.normalize("NFC", f.string("slug", "write slug: my-page")) or None
    if slug is not None and too_long(slug, "slug"):
        f.fail("slug", too_long(slug, "slug"), "write a shorter slug: a few words are enough")
        slug = None
    elif slug is not None and not is_slug(slug):
        _fail_word(
            f,
            "slug",
            slug,
            "retype the slug with plain letters, digits and '-'",
            f"slug '{slug}' must be lowercase words joined by hyphens, without '/', spaces or dots",
            "write slug: cours-de-langue",
        )
        slug = None
    elif slug is None:
        f.diags.extend(_empty_url_words(source))
    if slug is not None and source.key == "index.md":
        f.diags.append(
            warning(source.path, f.at("slug"), "'slug' is ignored on the home page", "remove it")
        )
    menus = f.words("menu", "write menu: main")
    draft = f.boolean("draft") or False
    result = PageMeta(
        title=title,
        summary=f.string("summary", "write summary: One sentence about the page."),
        slug=slug,
        weight=f.integer("weight"),
        menus=menus,
        keywords=f.words("keywords", "write keywords: [word, other word]"),
        updated=f.date("updated"),
        draft=draft,
        translated_from=_translated_from(f),
    )
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        if line.startswith("# "):
            f.diags.append(
                warning(
                    source.path,
                    number,
                    "a '# ' heading in the body: the title is already the page's main heading",
                    "use '## ' for sections",
                )
            )
            break
    return (None if any(d.is_error for d in f.diags) else result), f.diags


def _fail_word(f: _Fields, key: str, value: str, retype: str, message: str, hint: str) -> None:
    """A slug or id that is not one.

    A look-alike character (Cyrillic 'а', an en dash) is named, as editors cannot see it.
    """
    odd = odd_character(value)
    if odd:
        f.fail(
            key,
            f"{key} '{value}' contains a character that only looks like a letter or a "
            f"hyphen ({odd})",
            retype,
        )
    else:
        f.fail(key, message, hint)


def _empty_url_words(source: PageSource) -> list[Diagnostic]:
    """File and folder names that give no URL word.

    'fr/!!!.md' would be written over the home page.
    """
    parts = source.key.split("/")
    folders, name = parts[:-1], parts[-1]
    words = [(folder, "folder") for folder in folders]
    if name != HOME_NAME:
        words.append((name.rsplit(".", 1)[0], "file"))
    diags = []
    for word, what in words:
        hint = ", or add slug: my-page to the front matter" if what == "file" else ""
        if not slugify(word):
            diags.append(
                error(
                    source.path,
                    1,
                    f"the {what} name '{word}' gives no word for the page's address",
                    f"rename the {what} with letters or digits{hint}",
                )
            )
        elif too_long(slugify(word), f"the address word of the {what} name"):
            diags.append(
                error(
                    source.path,
                    1,
                    too_long(slugify(word), f"the address word of the {what} name"),
                    f"rename the {what} with a shorter name{hint}",
                )
            )
    return diags


def _check_url(f: _Fields, key: str, value: str, field_name: str) -> str:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or URL_FORBIDDEN.search(value):
        f.fail(
            key,
            f"'{field_name}' must be a web address starting with https://, not {value!r}",
            "write https://www.example.ch/",
        )
        return ""
    return value


def validate_offer(
    source: OfferSource, config: Config, today: dt.date
) -> tuple[OfferData | None, list[Diagnostic]]:
    data = source.data
    f = _Fields(data, source.path, source.line, config)
    f.diags.extend(unknown_keys(data, OFFER_KEYS, source.path, "an offer"))
    offer_id = ""
    if f.required("id", "add id: a-short-name (a-z, 0-9, hyphens); it becomes the offer's address"):
        offer_id = f.string("id", "write id: sion-francais-a1")
        if too_long(offer_id, "id"):
            f.fail("id", too_long(offer_id, "id"), "write a shorter id, e.g. sion-francais-a1")
        elif offer_id and not ID_RE.fullmatch(offer_id):
            _fail_word(
                f,
                "id",
                offer_id,
                "retype the id with plain a-z, 0-9 and '-'",
                f"id '{offer_id}' may only use a-z, 0-9 and single hyphens (no spaces, '/', '.' "
                "or capitals)",
                "write id: sion-francais-a1",
            )
        elif offer_id in RESERVED_IDS:
            f.fail(
                "id",
                f"id '{offer_id}' is reserved for the listing pages",
                f"choose a longer id, e.g. {offer_id}-1",
            )
    kind = region = ""
    kind_ids = [k.id for k in config.kinds]
    if f.required("kind", f"add kind: one of {', '.join(kind_ids)}"):
        kind = f.string("kind", "write kind: course")
        if kind and kind not in kind_ids:
            f.fail(
                "kind",
                f"unknown kind '{kind}'",
                did_you_mean(kind, kind_ids)
                or f"use one of: {', '.join(kind_ids)} (or add it to kinds in site.yaml)",
            )
    region_ids = [r.id for r in config.regions]
    if f.required("region", f"add region: one of {', '.join(region_ids)}"):
        region = f.string("region", "write region: valais-central")
        if region and region not in region_ids:
            f.fail(
                "region",
                f"unknown region '{region}'",
                did_you_mean(region, region_ids) or f"use one of: {', '.join(region_ids)}",
            )
    f.required("title", 'add title: {fr: "...", de: "...", en: "..."}')

    geo = None
    if data.get("geo") is not None:
        value = data["geo"]
        if not (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)):
            shown = (
                f"[{', '.join(map(_number_text, value))}]"
                if isinstance(value, list)
                else _number_text(value)
            )
            f.fail(
                "geo",
                f"'geo' must be [latitude, longitude], not {shown}",
                "write geo: [46.2331, 7.3606]",
            )
        elif not -90 <= value[0] <= 90:
            f.fail(
                "geo",
                f"the latitude in 'geo' must be between -90 and 90, not {_number_text(value[0])}",
                "write geo: [latitude, longitude], latitude first: [46.2331, 7.3606]",
            )
        elif not -180 <= value[1] <= 180:
            f.fail(
                "geo",
                "the longitude in 'geo' must be between -180 and 180, not "
                f"{_number_text(value[1])}",
                "write geo: [latitude, longitude]: [46.2331, 7.3606]",
            )
        else:
            geo = (float(value[0]), float(value[1]))

    languages = f.words("languages", "write languages: [fr, de]")
    for code in languages:
        if not is_language_code(code):
            f.fail(
                "languages",
                f"'{code}' in 'languages' is not a language code",
                "use ISO 639 codes such as fr, de, en, pt, ar, ti",
            )

    price = data.get("price_chf")
    if price is not None and (not _is_number(price) or not 0 <= price <= MAX_PRICE_CHF):
        if _is_number(price) and price > 0:
            f.fail(
                "price_chf",
                f"'price_chf' must be between 0 and {MAX_PRICE_CHF:,} francs, not "
                f"{_number_text(price)}",
                "write price_chf: 120",
            )
        else:
            f.fail(
                "price_chf",
                f"'price_chf' must be a number of francs (0 = free), not {_number_text(price)}",
                "write price_chf: 120",
            )
        price = None

    audiences: tuple[str, ...] = ()
    if config.audiences:
        audiences = f.choices("audiences", [a.id for a in config.audiences], "audience")
    else:
        audiences = f.words("audiences", "write audiences: [parents]")

    contact = Contact()
    raw_contact = data.get("contact")
    if raw_contact is not None:
        if not isinstance(raw_contact, dict):
            f.fail(
                "contact",
                f"'contact' must be a map with phone, email, website, not {type_name(raw_contact)}",
                'write contact: {phone: "+41 27 000 00 00", email: "info@example.ch"}',
            )
        else:
            c = _Fields(raw_contact, source.path, f.at("contact"), config)
            c.diags.extend(unknown_keys(raw_contact, CONTACT_KEYS, source.path, "contact"))
            phone = c.string("phone", 'write phone: "+41 27 000 00 00"')
            if phone and not PHONE_RE.fullmatch(phone.strip()):
                c.fail(
                    "phone",
                    f"'contact.phone' is not a phone number: {phone!r}",
                    "write it as +41 27 000 00 00 or 027 000 00 00",
                )
                phone = ""
            elif phone:
                # Stored in international form: what tel: links and the page show (issue 17).
                formatted = phones.international(phone.strip(), config.territory)
                if formatted is None:
                    where = (
                        f" in {config.territory}"
                        if config.territory
                        else " (without territory in site.yaml, write +country code)"
                    )
                    c.fail(
                        "phone",
                        f"'contact.phone' {phone.strip()!r} is not a phone number that "
                        f"exists{where}",
                        "check the digits, or write it in international form: +41 27 000 00 00",
                    )
                    phone = ""
                else:
                    phone = formatted
            email = c.string("email", "write email: info@example.ch")
            if email and not EMAIL_RE.fullmatch(email.strip()):
                c.fail(
                    "email",
                    f"'contact.email' is not an e-mail address: {email!r}",
                    "write it as name@example.ch, without 'mailto:'",
                )
                email = ""
            website = c.string("website", "write website: https://www.example.ch/")
            if website:
                website = _check_url(c, "website", website.strip(), "contact.website")
            f.diags.extend(c.diags)
            contact = Contact(phone.strip(), email.strip(), website)

    starts, ends = f.date("starts"), f.date("ends")
    if starts and ends and ends < starts:
        f.fail(
            "ends",
            f"'ends' ({ends}) is before 'starts' ({starts})",
            "swap the two dates or correct one of them",
        )
    reviewed = f.date("reviewed")
    if reviewed and reviewed > today:
        f.diags.append(
            warning(
                source.path,
                f.at("reviewed"),
                f"'reviewed' ({reviewed}) is in the future",
                "write the day a person last checked the entry",
            )
        )

    offer = OfferData(
        path=source.path,
        line=source.line,
        id=offer_id,
        kind=kind,
        region=region,
        title=f.text("title"),
        summary=f.text("summary"),
        description=f.text("description"),
        provider=f.text("provider"),
        address=f.text("address"),
        schedule=f.text("schedule"),
        commune=f.string("commune", "write commune: Sion"),
        geo=geo,
        languages=languages,
        levels=f.choices("levels", LEVELS, "level"),
        price_chf=price,
        childcare=f.boolean("childcare"),
        audiences=audiences,
        contact=contact,
        opening_hours=_hours(
            f,
            "opening_hours",
            hours.problem,
            'write opening_hours: "Mo-Fr 08:30-11:30; Tu 14:00-17:00", in OpenStreetMap\'s syntax',
        ),
        weekly=_hours(
            f,
            "weekly",
            hours.weekly_problem,
            'write weekly: "Mo,We 18:30-20:00", with the days Mo Tu We Th Fr Sa Su and '
            "24-hour times",
        ),
        starts=starts,
        ends=ends,
        reviewed=reviewed,
        draft=f.boolean("draft") or False,
        description_lines=_text_lines(data, "description", source.line),
    )
    return (None if any(d.is_error for d in f.diags) else offer), f.diags


def _hours(f: _Fields, key: str, check: Callable[[str], str | None], hint: str) -> str:
    """An opening_hours-syntax field, kept only when the parser understands it."""
    value = f.string(key, hint).strip()
    wrong = check(value) if value else None
    if wrong:
        f.fail(key, f"'{key}' {value!r}: {wrong}", hint)
        return ""
    return value


def duplicate_offer_ids(offers: Iterable[OfferData]) -> list[Diagnostic]:
    first: dict[str, OfferData] = {}
    diags = []
    for offer in offers:
        if offer.id in first:
            other = first[offer.id]
            diags.append(
                error(
                    offer.path,
                    offer.line,
                    f"offer id '{offer.id}' is already used at {other.path}:{other.line}",
                    "give each offer its own id: it is the offer's address",
                )
            )
        else:
            first[offer.id] = offer
    return diags
