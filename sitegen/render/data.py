"""Open data: the published offers of one language as JSON and CSV, with their JSON Schema.

Records are plain values (offertext.OfferText and the offer's own fields), serialized to
bytes. Only published offers appear (drafts and offers whose `ends` has passed never reach
the model's `site.offers`). Texts are in the file's language, borrowed from another language
field by field as on the pages, and each borrowed field is named in `fallback_fields`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..config import Config
from ..i18n import Localizer
from ..validate import OfferData
from .core import SCHEMA_FILE, Job, Renderer, data_files
from .offertext import OfferText, offer_text

# One column per field; lists are joined with "; " in the CSV (the JSON keeps arrays).
COLUMNS = (
    "id",
    "url",
    "kind",
    "kind_label",
    "region",
    "region_label",
    "commune",
    "title",
    "summary",
    "description",
    "provider",
    "address",
    "latitude",
    "longitude",
    "languages",
    "levels",
    "schedule",
    "opening_hours",
    "price_chf",
    "childcare",
    "audiences",
    "phone",
    "email",
    "website",
    "starts",
    "ends",
    "reviewed",
    "fallback_fields",
)

_TEXT = {"type": "string"}
_DATE = {"type": ["string", "null"], "format": "date"}
_LIST = {"type": "array", "items": {"type": "string"}}

# JSON Schema (draft 2020-12) of offers-<lang>.json; published beside the data (docs/open-data.md).
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "offers.schema.json",
    "title": "Offers of the information portal, in one language",
    "type": "object",
    "required": ["language", "site", "offers"],
    "additionalProperties": False,
    "properties": {
        "language": {"type": "string", "description": "language code of the texts (fr, de, en...)"},
        "site": {
            "type": "string",
            "format": "uri",
            "description": "address of the site (base_url)",
        },
        "offers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": list(COLUMNS),
                "additionalProperties": False,
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                        "description": "stable identifier",
                    },
                    "url": {
                        "type": "string",
                        "format": "uri",
                        "description": "the offer's page in this language",
                    },
                    "kind": {**_TEXT, "description": "kind id (site.yaml kinds)"},
                    "kind_label": {**_TEXT, "description": "kind name in this language"},
                    "region": {**_TEXT, "description": "region id (site.yaml regions)"},
                    "region_label": {**_TEXT, "description": "region name in this language"},
                    "commune": _TEXT,
                    "title": _TEXT,
                    "summary": _TEXT,
                    "description": {**_TEXT, "description": "Markdown, as the editors wrote it"},
                    "provider": _TEXT,
                    "address": _TEXT,
                    "latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
                    "longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
                    "languages": {
                        **_LIST,
                        "description": "language codes: taught (courses) or spoken",
                    },
                    "levels": {**_LIST, "description": "CEFR levels (A1...C2)"},
                    "schedule": _TEXT,
                    "opening_hours": _TEXT,
                    "price_chf": {
                        "type": ["number", "null"],
                        "minimum": 0,
                        "description": "0 is free of charge; null is not stated",
                    },
                    "childcare": {"type": ["boolean", "null"], "description": "null is not stated"},
                    "audiences": {**_LIST, "description": "audience ids (site.yaml audiences)"},
                    "phone": _TEXT,
                    "email": _TEXT,
                    "website": _TEXT,
                    "starts": _DATE,
                    "ends": _DATE,
                    "reviewed": {**_DATE, "description": "the day a person last checked the entry"},
                    "fallback_fields": {
                        **_LIST,
                        "description": "text fields shown in another language, missing in this one",
                    },
                },
            },
        },
    },
}


def jobs(r: Renderer, lang: str) -> Iterator[Job]:
    """A language's JSON and CSV files: they show the offers only."""
    json_path, csv_path = data_files(lang)
    yield Job(
        json_path,
        f"the open data of {lang} (JSON)",
        ("data-json", lang, r.offers_digest()),
        lambda: offers_json(lang, r.config.base_url, _records(r, lang)),
    )
    yield Job(
        csv_path,
        f"the open data of {lang} (CSV)",
        ("data-csv", lang, r.offers_digest()),
        lambda: offers_csv(_records(r, lang)),
    )


def site_jobs() -> Iterator[Job]:
    yield Job(SCHEMA_FILE, "the open data schema", None, schema_json)


def _records(r: Renderer, lang: str) -> list[dict[str, Any]]:
    fallbacks = r.config.fallbacks(lang)
    return [
        offer_record(
            o,
            offer_text(o, lang, fallbacks, r.absolute(r.site.offer_url(lang, o.id))),
            r.config,
            r.localizers[lang],
        )
        for o in r.site.offers
    ]


def offer_record(
    offer: OfferData, text: OfferText, config: Config, loc: Localizer
) -> dict[str, Any]:
    """One offer as plain values in the language of `text`, keys in COLUMNS order."""
    kind = next(t for t in config.kinds if t.id == offer.kind)
    region = next(t for t in config.regions if t.id == offer.region)
    lat, lon = offer.geo if offer.geo else (None, None)
    record = {
        "id": offer.id,
        "url": text.url,
        "kind": offer.kind,
        "kind_label": loc.term(kind),
        "region": offer.region,
        "region_label": loc.term(region),
        "commune": offer.commune,
        "title": text.title,
        "summary": text.summary,
        "description": text.description,
        "provider": text.provider,
        "address": text.address,
        "latitude": lat,
        "longitude": lon,
        "languages": list(offer.languages),
        "levels": list(offer.levels),
        "schedule": text.schedule,
        "opening_hours": offer.opening_hours,
        "price_chf": offer.price_chf,
        "childcare": offer.childcare,
        "audiences": list(offer.audiences),
        "phone": offer.contact.phone,
        "email": offer.contact.email,
        "website": offer.contact.website,
        "starts": offer.starts.isoformat() if offer.starts else None,
        "ends": offer.ends.isoformat() if offer.ends else None,
        "reviewed": offer.reviewed.isoformat() if offer.reviewed else None,
        "fallback_fields": list(text.borrowed),
    }
    return {key: record[key] for key in COLUMNS}


def offers_json(lang: str, base_url: str, records: list[Mapping[str, Any]]) -> bytes:
    """The JSON file: UTF-8, stable key order, one offer per few lines (diffable)."""
    data = {"language": lang, "site": base_url, "offers": list(records)}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def offers_csv(records: list[Mapping[str, Any]]) -> bytes:
    """The CSV file: RFC 4180 (header row, CRLF, quotes where needed), UTF-8 without a BOM."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_cell(record[key]) for key in COLUMNS])
    return out.getvalue().encode("utf-8")


def schema_json() -> bytes:
    return (json.dumps(SCHEMA, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
