"""The default theme as published: page weight with its files, meta descriptions, 404 page, URL words."""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import pytest
from helpers import ROOT, build_errors, build_ok, write_site

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
        engine = example_site / "assets" / "search.js"
        if 'id="search-app"' in text and engine not in files:
            files.append(engine)  # search-loader.js would load it at once
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


PT_SITE = """\
title: {fr: "Portail", pt: "Portal"}
default_language: fr
languages: [fr, pt]
regions:
  - id: valais-central
    name: {fr: "Valais central", pt: "Valais central"}
"""
PT_PO = '''\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Search"
msgstr "Pesquisar"

msgid "All offers"
msgstr "Todas as ofertas"
'''
PT_OFFER = """\
- id: sion-cours
  kind: course
  title: "Cours"
  region: valais-central
"""


def _pt_site(tmp_path: Path, files: dict[str, str], site_yaml: str = PT_SITE) -> Path:
    return write_site(tmp_path, {"content/fr/index.md": "---\ntitle: Accueil\n---\n", "content/offers/o.yaml": PT_OFFER, **files}, site_yaml)


def _folders(out: Path, lang: str) -> set[str]:
    return {p.parent.relative_to(out).as_posix() for p in (out / lang).rglob("index.html")}


def test_adding_a_catalog_does_not_move_addresses(tmp_path: Path) -> None:
    """A language's addresses depend on site.yaml only, never on whether it has a catalog (issue 17 item 9)."""
    out, _ = build_ok(_pt_site(tmp_path / "a", {}))
    before = _folders(out, "pt")
    assert {"pt/offers", "pt/offers/sion-cours", "pt/offers/kind/language-courses", "pt/search"} <= before
    out, _ = build_ok(_pt_site(tmp_path / "b", {"locales/pt/LC_MESSAGES/messages.po": PT_PO}))
    assert "Pesquisar" in (out / "pt/index.html").read_text("utf-8")
    assert _folders(out, "pt") == before
    assert {"fr/offres", "fr/offres/type/cours-de-langue", "fr/recherche"} <= _folders(out, "fr")


def test_url_words_in_site_yaml(tmp_path: Path) -> None:
    site_yaml = PT_SITE + "url_words:\n  pt: {offers: ofertas, kind: tipo, search: pesquisa}\n"
    out, _ = build_ok(_pt_site(tmp_path, {}, site_yaml))
    assert {"pt/ofertas/sion-cours", "pt/ofertas/tipo/language-courses", "pt/ofertas/region/valais-central", "pt/pesquisa"} <= _folders(out, "pt")


def test_bad_url_words_are_reported_with_their_line(tmp_path: Path) -> None:
    site_yaml = PT_SITE + "url_words:\n  es: {offers: ofertas}\n  pt:\n    offers: Ofertas!\n    serch: pesquisa\n"
    errors = build_errors(_pt_site(tmp_path, {}, site_yaml))
    assert "site.yaml:8: url_words names the language 'es', which is not in 'languages' (use one of fr, pt)" in errors
    assert "site.yaml:10: the URL word 'Ofertas!' for 'offers' must be lowercase words joined by hyphens (write offers: offres)" in errors


def test_status_reports_catalog_coverage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitegen.cli import main

    site = _pt_site(tmp_path, {"locales/pt/LC_MESSAGES/messages.po": PT_PO})
    assert main(["status", "--source", str(site), "--today", "2026-11-28", "--no-git"]) == 0
    lines = capsys.readouterr().out.splitlines()
    total = int(next(line for line in lines if line.startswith("  fr: all")).split()[2])
    assert f"  pt: 2 of {total} interface strings translated; the rest come from fr" in lines
    (site / "locales").rename(site / "old-locales")
    assert main(["status", "--source", str(site), "--today", "2026-11-28", "--no-git"]) == 0
    assert f"  pt: no catalog; all {total} interface strings come from fr" in capsys.readouterr().out.splitlines()


def test_readme_commands_use_their_own_virtual_environment() -> None:
    """Debian's Python refuses pip outside a venv (PEP 668): each README command makes and uses .venv on its own (issue 17 item 8)."""
    block = (ROOT / "README.md").read_text("utf-8").split("```")[1]
    commands = [line for line in block.splitlines()[1:] if line.strip() and not line.lstrip().startswith("#")]
    assert len(commands) == 2
    for command in commands:
        steps = [step.strip() for step in command.split("&&")]
        assert steps[0] == "python3 -m venv .venv"
        assert all(step.startswith((".venv/bin/pip ", ".venv/bin/python ")) for step in steps[1:]), command
    assert "python3-venv" in (ROOT / "README.md").read_text("utf-8")


def test_stylesheet_uses_logical_directions_only() -> None:
    """Right-to-left pages mirror by themselves only if no rule names a physical side (issue 12)."""
    css = re.sub(r"/\*.*?\*/", "", (ROOT / "sitegen/static/site.css").read_text("utf-8"), flags=re.S)
    assert re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", css) == []
    assert "inline-start" in css and "inset-inline" in css
