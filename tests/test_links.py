"""The whole built example site: links, anchors, languages, fallbacks, as a visitor meets them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from helpers import write_site
from linkcheck import broken_links, parse

from sitegen.build import build


def test_every_internal_link_and_anchor_resolves(example_site: Path) -> None:
    assert broken_links(example_site) == []


def test_link_checker_catches_breakage(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {"a/index.html": '<a href="../b/index.html">x</a><a href="#nope">y</a><img src="pic.png">'},
        site_yaml=None,
    )
    assert broken_links(tmp_path) == [
        "a/index.html: ../b/index.html (no such file)",
        "a/index.html: #nope (no id 'nope')",
        "a/index.html: pic.png (no such file)",
    ]


def test_html_lang_dir_and_switcher_on_every_page(example_site: Path) -> None:
    for lang in ("fr", "de", "en"):
        for page in (example_site / lang).rglob("index.html"):
            text = page.read_text()
            assert f'<html lang="{lang}" dir="ltr"' in text, page
            assert 'aria-label="' in text and 'hreflang="fr" lang="fr"' in text, page


def test_switcher_leads_to_the_same_page(example_site: Path) -> None:
    page = example_site / "fr/cours-de-langue/index.html"
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang', page.read_text()))
    by_lang = {lang: href for href, lang in links.items()}
    assert by_lang == {
        "fr": "index.html",
        "de": "../../de/sprachkurse/index.html",
        "en": "../../en/language-courses/index.html",
    }


def test_untranslated_page_shows_fallback_with_notice(example_site: Path) -> None:
    text = (example_site / "en/discrimination/index.html").read_text()
    assert "This page is not yet available in English. Here is the French version." in text
    assert '<div lang="fr">' in text
    assert '<link rel="canonical" href="https://integration.example.ch/fr/discrimination/">' in text
    assert 'hreflang="x-default"' not in text, "a fallback copy announces no alternates of its own"
    german = (example_site / "de/programme/index.html").read_text()
    assert (
        "Diese Seite gibt es noch nicht auf Deutsch. Hier ist die Version auf Französisch."
        in german
    )


def test_hreflang_alternates_on_translated_page(example_site: Path) -> None:
    text = (example_site / "de/sprachkurse/index.html").read_text()
    for lang, url in (
        ("fr", "fr/cours-de-langue/"),
        ("de", "de/sprachkurse/"),
        ("en", "en/language-courses/"),
        ("x-default", "fr/cours-de-langue/"),
    ):
        assert (
            f'<link rel="alternate" hreflang="{lang}" href="https://integration.example.ch/{url}">'
            in text
        )


def test_offer_field_fallback_is_marked(example_site: Path) -> None:
    text = (example_site / "en/offers/fully-alphabetisation-francais/index.html").read_text()
    assert '<div class="prose" lang="fr">' in text, (
        "a description borrowed from French is marked as French"
    )
    assert "Part of this information is not yet available in this language." in text


def test_sitemap_lists_pages_with_alternates(example_site: Path) -> None:
    tree = ET.parse(example_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.findtext("s:loc", namespaces=ns) for u in tree.getroot()]
    assert "https://integration.example.ch/de/sprachkurse/" in locs
    assert "https://integration.example.ch/en/discrimination/" not in locs, (
        "fallback copies are not announced"
    )
    entry = next(
        u
        for u in tree.getroot()
        if u.findtext("s:loc", namespaces=ns) == "https://integration.example.ch/de/sprachkurse/"
    )
    assert {link.get("hreflang") for link in entry.findall("x:link", ns)} == {"fr", "de", "en"}
    assert len(locs) == len(set(locs))


def test_root_page_offers_every_language(example_site: Path) -> None:
    root = parse(example_site / "index.html")
    assert [url for _, url in root.links if url.endswith("index.html")] == [
        "fr/index.html",
        "de/index.html",
        "en/index.html",
    ]
    assert "<script" not in re.sub(
        r'<script src="[^"]+" defer></script>', "", (example_site / "index.html").read_text()
    )


def test_no_inline_script_or_style_anywhere(example_site: Path) -> None:
    for page in example_site.rglob("*.html"):
        text = page.read_text()
        # JSON-LD data blocks are inert (never executed, so CSP does not apply): only they may be
        # inline.
        assert not re.search(
            r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))[^>]*>", text
        ), page
        assert " style=" not in text and "<style" not in text, page
        assert not re.search(
            r'(src|href)="(https?:)?//(?!integration\.example\.ch)[^"]*\.(css|js|woff2?)"', text
        ), page


def test_rtl_language_gets_dir_rtl(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "site.yaml": 'title: {fr: "Portail", ar: "البوابة"}\n'
            "languages: [fr, ar]\n"
            "regions: []\n",
            "content/fr/a.md": "---\ntitle: Accueil\n---\nBonjour\n",
            "content/ar/a.md": "---\ntitle: مرحبا\nslug: marhaba\n---\nأهلا\n",
        },
    )
    out = tmp_path / "out"
    build(site, out)
    assert '<html lang="ar" dir="rtl"' in (out / "ar/marhaba/index.html").read_text()
    assert broken_links(out) == []
