"""Issue 11: the directory as open data (JSON, CSV, their schema), the Atom feeds, the link
previews (Open Graph) and the files offline use needs, as a reuser or a messenger reads them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from helpers import ROOT

from sitegen.build import build

BASE = "https://integration.example.ch/"
ATOM = "{http://www.w3.org/2005/Atom}"


def yaml_offers() -> dict[str, dict]:
    offers = {}
    for path in sorted((ROOT / "content" / "offers").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            offers[item["id"]] = item
    return offers


def text(value: object, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("fr") or ""
    return "" if value is None else str(value)


@pytest.mark.parametrize("lang", ["fr", "de", "en"])
def test_json_follows_the_published_schema_and_says_what_the_yaml_says(
    example_site: Path, lang: str
) -> None:
    schema = json.loads((example_site / "data" / "offers.schema.json").read_text(encoding="utf-8"))
    data = json.loads((example_site / "data" / f"offers-{lang}.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    source = yaml_offers()
    published = {k: v for k, v in source.items() if not v.get("draft")}
    assert sorted(o["id"] for o in data["offers"]) == sorted(published)
    for offer in data["offers"]:
        item = source[offer["id"]]
        for field in ("title", "summary", "provider", "address", "schedule"):
            assert offer[field] == text(item.get(field), lang), (offer["id"], field)
        assert offer["description"].strip() == text(item.get("description"), lang).strip()
        assert offer["kind"] == item["kind"] and offer["region"] == item["region"]
        assert offer["price_chf"] == item.get("price_chf") and offer["childcare"] == item.get(
            "childcare"
        )
        assert offer["levels"] == item.get("levels", []) and offer["languages"] == item.get(
            "languages", []
        )
        assert offer["phone"] == item.get("contact", {}).get("phone", "")
        assert offer["reviewed"] == (str(item["reviewed"]) if item.get("reviewed") else None)
        assert [offer["latitude"], offer["longitude"]] == (item.get("geo") or [None, None])
        assert (
            offer["url"].startswith(BASE + lang + "/")
            and (example_site / offer["url"][len(BASE) :] / "index.html").is_file()
        )


def test_csv_has_a_header_row_and_the_same_offers_as_the_json(example_site: Path) -> None:
    raw = (example_site / "data" / "offers-de.csv").read_bytes()
    assert raw.count(b"\r\n") >= 2 and not raw.startswith(b"\xef\xbb\xbf"), (
        "RFC 4180 line ends, UTF-8 without a BOM"
    )
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    data = json.loads((example_site / "data" / "offers-de.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [o["id"] for o in data["offers"]]
    by_id = {o["id"]: o for o in data["offers"]}
    for row in rows:
        offer = by_id[row["id"]]
        assert (
            row["title"] == offer["title"] and row["description"] == offer["description"]
        )  # multi-line text survives quoting
        assert row["levels"] == "; ".join(offer["levels"])
        assert row["childcare"] == {True: "true", False: "false", None: ""}[offer["childcare"]]


def test_the_all_offers_list_links_the_data_and_the_head_links_the_feed(example_site: Path) -> None:
    html = (example_site / "fr" / "offres" / "index.html").read_text(encoding="utf-8")
    for href in (
        "../../data/offers-fr.json",
        "../../data/offers-fr.csv",
        "../../data/offers.schema.json",
        "../atom.xml",
    ):
        assert f'href="{href}"' in html
    offer = (example_site / "en" / "offers" / "sion-conseil-integration" / "index.html").read_text(
        encoding="utf-8"
    )
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml" href="../../atom.xml" title="New and '
        r'updated offers and pages">',
        offer,
    )


def test_atom_feed_lists_checked_offers_and_updated_pages(example_site: Path) -> None:
    raw = (example_site / "de" / "atom.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Willkommen im Wallis: neu und aktualisiert"
    reviewed = {
        k: v["reviewed"]
        for k, v in yaml_offers().items()
        if v.get("reviewed") and not v.get("draft")
    }
    offers = [e for e in feed.entries if "/angebote/" in e.link]
    shown = {e.link.rstrip("/").rsplit("/", 1)[1] for e in offers}
    assert shown <= set(reviewed) and len(feed.entries) == 50, (
        "the 50 newest dated offers and pages"
    )
    oldest = min(e.updated for e in feed.entries)[:10]
    assert all(reviewed[k].isoformat() <= oldest for k in set(reviewed) - shown), (
        "only older offers are left out"
    )
    for entry in offers:
        assert entry.link.startswith(BASE + "de/angebote/")
        day = reviewed[entry.link.rstrip("/").rsplit("/", 1)[1]]
        assert entry.updated.startswith(day.isoformat())
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True), "newest first"
    assert any(e.link == BASE + "de/" for e in feed.entries), (
        "a page with 'updated' in its front matter"
    )
    root = ET.fromstring(raw)
    assert root.find(f"{ATOM}updated").text == dates[0]


def test_past_offers_appear_in_no_data_file_or_feed(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(ROOT, out, today=dt.date(2027, 5, 1))
    ended = {
        k for k, v in yaml_offers().items() if v.get("ends") and v["ends"] < dt.date(2027, 5, 1)
    }
    assert ended, "the example site has offers that end before May 2027"
    data = json.loads((out / "data" / "offers-fr.json").read_text(encoding="utf-8"))
    assert ended.isdisjoint(o["id"] for o in data["offers"])
    csv_text = (out / "data" / "offers-fr.csv").read_text(encoding="utf-8")
    feed = (out / "fr" / "atom.xml").read_text(encoding="utf-8")
    for offer_id in ended:
        assert offer_id not in csv_text and offer_id not in feed


def test_open_graph_tags_speak_the_page_language(example_site: Path) -> None:
    html = (example_site / "de" / "angebote" / "sion-conseil-integration" / "index.html").read_text(
        encoding="utf-8"
    )
    meta = dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z_]+)" content="([^"]*)"', html)
    )
    assert meta["og:url"] == BASE + "de/angebote/sion-conseil-integration/"
    assert meta["og:locale"] == "de_CH" and meta["og:site_name"] == "Willkommen im Wallis"
    assert meta["og:type"] == "article" and meta["twitter:card"] == "summary"
    assert meta["og:title"] == re.search(r"<h1>([^<]*)</h1>", html).group(1)
    assert meta["og:description"]
    home = (example_site / "fr" / "index.html").read_text(encoding="utf-8")
    assert (
        '<meta property="og:type" content="website">' in home
        and '<meta property="og:locale" content="fr_CH">' in home
    )


def test_share_links_carry_the_online_address(example_site: Path) -> None:
    html = (example_site / "fr" / "offres" / "sion-conseil-integration" / "index.html").read_text(
        encoding="utf-8"
    )
    url = "https%3A%2F%2Fintegration.example.ch%2Ffr%2Foffres%2Fsion-conseil-integration%2F"
    assert re.search(
        rf'<a href="mailto:\?subject=[^"&]+&amp;body={url}">Envoyer par e-mail</a>', html
    )
    assert re.search(
        rf'<a href="https://wa.me/\?text=[^"]+{url}" rel="noopener">Envoyer avec WhatsApp</a>', html
    )


def test_manifest_and_offline_lists(example_site: Path) -> None:
    manifest = json.loads(
        (example_site / "de" / "manifest.webmanifest").read_text(encoding="utf-8")
    )
    assert (
        manifest["name"] == "Willkommen im Wallis"
        and manifest["lang"] == "de"
        and manifest["start_url"] == "index.html"
    )
    assert (example_site / "de" / manifest["icons"][0]["src"]).resolve() == (
        example_site / "assets" / "icon.svg"
    ).resolve()
    assert (example_site / "sw.js").is_file() and not (example_site / "assets" / "sw.js").exists()
    bundle = json.loads(
        (example_site / "offline" / "fr-haut-valais.json").read_text(encoding="utf-8")
    )
    assert "fr/offres/region/haut-valais/index.html" in bundle["files"]
    # The site's own files its pages show (the flag in the header), or saved pages lack them.
    assert "assets/site/logo.svg" in bundle["files"]
    assert bundle["bytes"] == sum((example_site / f).stat().st_size for f in bundle["files"]), (
        "the size shown is the size downloaded"
    )
    pages = sum(1 for f in bundle["files"] if f.endswith(".html"))
    assert re.fullmatch(
        rf"L'enregistrement de cette région télécharge {pages} pages \(\d+\W?ko\)\.",
        bundle["message"],
    )
