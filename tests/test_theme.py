"""The default theme as published: page weight with its files, meta descriptions, 404 page, URL words."""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

from helpers import ROOT

BUDGET = 14 * 1024  # bytes gzipped: what arrives in the first round trips of a slow phone connection
_REFS = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def test_every_page_with_its_css_and_js_is_under_14_kb(example_site: Path) -> None:
    """HTML + stylesheet + scripts of each page, each file gzipped as a host would send it (issue 17 item 14)."""
    weights = {}
    for page in example_site.rglob("*.html"):
        text = page.read_text("utf-8")
        files = [(page.parent / ref).resolve() for ref in _REFS.findall(text) if not ref.startswith("/")]
        files += [example_site / ref.lstrip("/") for ref in _REFS.findall(text) if ref.startswith("/")]
        if 'id="search-app"' in text:
            files.append(example_site / "assets" / "search.js")  # loaded at once by search-loader.js
        weights[page.relative_to(example_site).as_posix()] = _gz(page.read_bytes()) + sum(_gz(f.read_bytes()) for f in files)
    assert weights["fr/recherche/index.html"] > _gz((example_site / "fr/recherche/index.html").read_bytes()) + 8000
    assert {name: size for name, size in weights.items() if size > BUDGET} == {}


def test_published_scripts_are_minified_and_sources_stay_readable(example_site: Path) -> None:
    source = (ROOT / "sitegen/static/search.js").read_text("utf-8")
    published = (example_site / "assets/search.js").read_text("utf-8")
    assert "/*" in source and "\n  " in source
    assert "/*" not in published and len(published) < 0.75 * len(source)


_META = re.compile(r'<meta name="description" content="([^"]*)">')


def test_meta_descriptions_are_plain_text(example_site: Path) -> None:
    """Search engines and link previews show the description as text: no markup in it (issue 17 item 10)."""
    metas = {p.relative_to(example_site).as_posix(): html.unescape(m.group(1))
             for p in example_site.rglob("*.html") if (m := _META.search(p.read_text("utf-8")))}
    assert metas["en/offers/sion-francais-soir-a1/index.html"] == "A French course for beginners in the evening, with the fide label."
    assert {name: text for name, text in metas.items() if "<" in text or ">" in text} == {}


def test_404_page_speaks_every_language(example_site: Path) -> None:
    page = (example_site / "404.html").read_text("utf-8")
    for lang, title, link in (("fr", "Page introuvable", "Aller à la page d&#39;accueil (français)"),
                              ("de", "Seite nicht gefunden", "Zur Startseite auf Deutsch"),
                              ("en", "Page not found", "Go to the home page in English")):
        assert f'<span lang="{lang}" dir="ltr">{title}</span>' in page
        assert re.search(rf'<li lang="{lang}" dir="ltr"><p>[^<]+</p><a href="/{lang}/" [^>]*>{re.escape(link)}</a></li>', page)


def test_language_choice_has_a_heading(example_site: Path) -> None:
    page = (example_site / "index.html").read_text("utf-8")
    assert re.search(r"<h1><span lang=\"fr\" dir=\"ltr\">Bienvenue en Valais</span> · <span lang=\"de\"", page)
