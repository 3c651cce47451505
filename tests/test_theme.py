"""The default theme as published.

Page weight with its files, meta descriptions, 404 page, URL words.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import pytest
from helpers import ROOT, build_errors, build_ok, write_site

from sitegen import assets

# bytes gzipped: what arrives in the first round trips of a slow phone connection
BUDGET = 14 * 1024
_REFS = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def test_every_page_with_its_css_and_js_is_under_14_kb(example_site: Path) -> None:
    """HTML + stylesheet + scripts of each page, each file gzipped as a host sends it.

    Issue 17 item 14.
    """
    weights = {}
    for page in example_site.rglob("*.html"):
        text = page.read_text("utf-8")
        files = [
            (page.parent / ref).resolve() for ref in _REFS.findall(text) if not ref.startswith("/")
        ]
        files += [
            example_site / ref.lstrip("/") for ref in _REFS.findall(text) if ref.startswith("/")
        ]
        engine = example_site / "assets" / "search.js"
        if 'id="search-app"' in text and engine not in files:
            files.append(engine)  # search-loader.js would load it at once
        weights[page.relative_to(example_site).as_posix()] = _gz(page.read_bytes()) + sum(
            _gz(f.read_bytes()) for f in files
        )
    assert (
        weights["fr/recherche/index.html"]
        > _gz((example_site / "fr/recherche/index.html").read_bytes()) + 8000
    )
    assert {name: size for name, size in weights.items() if size > BUDGET} == {}


def test_published_scripts_are_minified_and_sources_stay_readable(example_site: Path) -> None:
    source = assets.source("search.js").decode("utf-8")
    published = (example_site / "assets/search.js").read_text("utf-8")
    assert "/*" in source and "\n  " in source
    assert "/*" not in published and len(published) < 0.75 * len(source)


_META = re.compile(r'<meta name="description" content="([^"]*)">')


def test_meta_descriptions_are_plain_text(example_site: Path) -> None:
    """Search engines and link previews show the description as text.

    No markup in it (issue 17 item 10).
    """
    metas = {
        p.relative_to(example_site).as_posix(): html.unescape(m.group(1))
        for p in example_site.rglob("*.html")
        if (m := _META.search(p.read_text("utf-8")))
    }
    assert (
        metas["en/offers/sion-francais-soir-a1/index.html"]
        == "A French course for beginners in the evening, with the fide label."
    )
    assert {name: text for name, text in metas.items() if "<" in text or ">" in text} == {}


def test_404_page_speaks_every_language(example_site: Path) -> None:
    page = (example_site / "404.html").read_text("utf-8")
    for lang, title, link in (
        ("fr", "Page introuvable", "Aller à la page d&#39;accueil (français)"),
        ("de", "Seite nicht gefunden", "Zur Startseite auf Deutsch"),
        ("en", "Page not found", "Go to the home page in English"),
    ):
        assert f'<span lang="{lang}" dir="ltr">{title}</span>' in page
        assert re.search(
            rf'<li lang="{lang}" dir="ltr"><p>[^<]+</p><a href="/{lang}/" '
            rf"[^>]*>{re.escape(link)}</a></li>",
            page,
        )


def test_language_choice_has_a_heading(example_site: Path) -> None:
    page = (example_site / "index.html").read_text("utf-8")
    assert re.search(
        r"<h1><span lang=\"fr\" dir=\"ltr\">Bienvenue en Valais</span> · <span lang=\"de\"", page
    )


PT_SITE = """\
title: {fr: "Portail", pt: "Portal"}
default_language: fr
languages: [fr, pt]
regions:
  - id: valais-central
    name: {fr: "Valais central", pt: "Valais central"}
"""
PT_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Search"
msgstr "Pesquisar"

msgid "All offers"
msgstr "Todas as ofertas"
"""
PT_OFFER = """\
- id: sion-cours
  kind: course
  title: "Cours"
  region: valais-central
"""


def _pt_site(tmp_path: Path, files: dict[str, str], site_yaml: str = PT_SITE) -> Path:
    return write_site(
        tmp_path,
        {
            "content/fr/index.md": "---\ntitle: Accueil\n---\n",
            "content/offers/o.yaml": PT_OFFER,
            **files,
        },
        site_yaml,
    )


def _folders(out: Path, lang: str) -> set[str]:
    return {p.parent.relative_to(out).as_posix() for p in (out / lang).rglob("index.html")}


def test_adding_a_catalog_does_not_move_addresses(tmp_path: Path) -> None:
    """A language's addresses depend on site.yaml only, never on whether it has a catalog.

    Issue 17 item 9.
    """
    out, _ = build_ok(_pt_site(tmp_path / "a", {}))
    before = _folders(out, "pt")
    assert {
        "pt/offers",
        "pt/offers/sion-cours",
        "pt/offers/kind/language-courses",
        "pt/search",
    } <= before
    out, _ = build_ok(_pt_site(tmp_path / "b", {"locales/pt/LC_MESSAGES/messages.po": PT_PO}))
    assert "Pesquisar" in (out / "pt/index.html").read_text("utf-8")
    assert _folders(out, "pt") == before
    assert {"fr/offres", "fr/offres/type/cours-de-langue", "fr/recherche"} <= _folders(out, "fr")


def test_url_words_in_site_yaml(tmp_path: Path) -> None:
    site_yaml = PT_SITE + "url_words:\n  pt: {offers: ofertas, kind: tipo, search: pesquisa}\n"
    out, _ = build_ok(_pt_site(tmp_path, {}, site_yaml))
    assert {
        "pt/ofertas/sion-cours",
        "pt/ofertas/tipo/language-courses",
        "pt/ofertas/region/valais-central",
        "pt/pesquisa",
    } <= _folders(out, "pt")


def test_bad_url_words_are_reported_with_their_line(tmp_path: Path) -> None:
    site_yaml = (
        PT_SITE
        + "url_words:\n  es: {offers: ofertas}\n  pt:\n    offers: Ofertas!\n    serch: pesquisa\n"
    )
    errors = build_errors(_pt_site(tmp_path, {}, site_yaml))
    assert (
        "site.yaml:8: url_words names the language 'es', which is not in 'languages' (use one "
        "of fr, pt)" in errors
    )
    assert (
        "site.yaml:10: the URL word 'Ofertas!' for 'offers' must be lowercase words joined by "
        "hyphens (write offers: offres)" in errors
    )


def test_status_reports_catalog_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitegen.cli import main

    site = _pt_site(tmp_path, {"locales/pt/LC_MESSAGES/messages.po": PT_PO})
    assert main(["status", "--source", str(site), "--today", "2026-11-28", "--no-git"]) == 0
    lines = capsys.readouterr().out.splitlines()
    total = int(next(line for line in lines if line.startswith("  fr: all")).split()[2])
    assert f"  pt: 2 of {total} interface strings translated; the rest come from fr" in lines
    (site / "locales").rename(site / "old-locales")
    assert main(["status", "--source", str(site), "--today", "2026-11-28", "--no-git"]) == 0
    assert (
        f"  pt: no catalog; all {total} interface strings come from fr"
        in capsys.readouterr().out.splitlines()
    )


def test_readme_commands_use_their_own_virtual_environment() -> None:
    """Debian's Python refuses pip outside a venv (PEP 668).

    Each README command makes and uses .venv on its own (issue 17 item 8).
    """
    block = (ROOT / "README.md").read_text("utf-8").split("```")[1]
    commands = [
        line
        for line in block.splitlines()[1:]
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert len(commands) == 2
    for command in commands:
        steps = [step.strip() for step in command.split("&&")]
        assert steps[0] == "python3 -m venv .venv"
        assert all(
            step.startswith((".venv/bin/pip ", ".venv/bin/python ")) for step in steps[1:]
        ), command
    assert "python3-venv" in (ROOT / "README.md").read_text("utf-8")


def test_stylesheet_uses_logical_directions_only() -> None:
    """Right-to-left pages mirror by themselves only if no rule names a physical side (issue 12)."""
    css = re.sub(
        r"/\*.*?\*/", "", (ROOT / "sitegen/static/site.css").read_text("utf-8"), flags=re.S
    )
    assert re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", css) == []
    assert "inline-start" in css and "inset-inline" in css


# -- overriding the theme: blocks, the site's assets/ folder (issue 15 item 3) ---------------------


def test_example_site_shows_the_cantons_flag_in_every_language(example_site: Path) -> None:
    """The repository's templates/base.html extends the theme's and overrides only the brand."""
    for page, alt in (
        ("fr/index.html", "Drapeau du canton du Valais"),
        ("de/index.html", "Flagge des Kantons Wallis"),
        ("en/offers/index.html", "Flag of the canton of Valais"),
    ):
        text = (example_site / page).read_text("utf-8")
        brand = re.search(r'<a class="brand" href="[^"]+">(.*?)</a>', text)
        assert brand and f'alt="{alt}"' in brand.group(1), page
        src = re.search(r'<img src="([^"]+)"', brand.group(1)).group(1)  # type: ignore[union-attr]
        assert (example_site / page).parent.joinpath(src).resolve() == (
            example_site / "assets/site/logo.svg"
        ).resolve()
        assert (
            'class="menu-link"' in text and "<footer" in text
        )  # the rest of the theme's base.html
    logo = (example_site / "assets/site/logo.svg").read_bytes()
    assert len(logo) < 2048 and b"<script" not in logo and logo.count(b'<use href="#s"') == 13


def _themed_site(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_site(
        tmp_path, {"content/fr/index.md": "---\ntitle: Accueil\n---\nTexte.\n", **files}
    )


def test_blocks_of_the_theme_base_template(tmp_path: Path) -> None:
    site = _themed_site(
        tmp_path,
        {
            "templates/base.html": """\
            {% extends "theme/base.html" %}
            {% block extra_head %}<meta name="x-extra" content="1">
            {% endblock %}
            {% block brand %}<span class="brand">{{ site_title }}!</span>
            {% endblock %}
            {% block footer %}<footer class="site-footer"><p>{{ _("All offers") }}</p></footer>
            {% endblock %}
            """,
            "assets/site.css": ".brand{color:red}\n",
            "assets/img/mark.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
        },
    )
    out, _ = build_ok(site)
    page = (out / "fr/index.html").read_text("utf-8")
    assert '<meta name="x-extra" content="1">\n</head>' in page
    assert '<span class="brand">Portail!</span>' in page and '<a class="brand"' not in page
    assert '<footer class="site-footer"><p>Toutes les offres</p></footer>' in page
    # The site's stylesheet comes after the theme's, on every page, the root and the 404 page too.
    assert (
        '<link rel="stylesheet" href="../assets/site.css">\n'
        '<link rel="stylesheet" href="../assets/site/site.css">' in page
    )
    assert '<link rel="stylesheet" href="assets/site/site.css">' in (out / "index.html").read_text(
        "utf-8"
    )
    assert '<link rel="stylesheet" href="/assets/site/site.css">' in (out / "404.html").read_text(
        "utf-8"
    )
    assert (out / "assets/site/site.css").read_text("utf-8") == ".brand{color:red}\n"
    assert (out / "assets/site/img/mark.svg").is_file() and (out / "assets/site.css").is_file()


def test_without_an_assets_folder_no_site_stylesheet_is_linked(tmp_path: Path) -> None:
    out, _ = build_ok(_themed_site(tmp_path, {}))
    assert "assets/site/" not in (out / "fr/index.html").read_text("utf-8")
    assert not (out / "assets/site").exists()


def test_site_assets_are_checked_like_the_files_beside_the_pages(tmp_path: Path) -> None:
    outside = tmp_path / "outside.svg"
    outside.write_text("<svg/>", encoding="utf-8")
    site = _themed_site(
        tmp_path / "site", {"assets/tool.js": "alert(1)\n", "assets/notes.md": "x\n"}
    )
    (site / "assets/logo.svg").symlink_to(outside)
    errors = build_errors(site)
    assert (
        "assets/logo.svg: this link points outside the site folder (copy the file into the site "
        "instead of linking to it)" in errors
    )
    assert any(e.startswith("assets/tool.js: '.js' files are not published") for e in errors), (
        errors
    )
    assert any(
        e.startswith("assets/notes.md: warning: '.md' files are not published") for e in errors
    ), errors


def test_site_asset_names_a_missing_file(tmp_path: Path) -> None:
    site = _themed_site(
        tmp_path,
        {
            "templates/base.html": '{% extends "theme/base.html" %}\n'
            '{% block brand %}{{ site_asset("logo.svg") }}{% endblock %}\n'
        },
    )
    errors = build_errors(site)
    assert errors == [
        "templates/base.html:2: template error while rendering content/fr/index.md: the site has "
        "no file assets/logo.svg (add the file to the assets/ folder beside site.yaml, or "
        "correct its name)"
    ]


def test_a_changed_site_asset_is_published_again(tmp_path: Path) -> None:
    site = _themed_site(tmp_path, {"assets/logo.svg": "<svg/>\n"})
    out, _ = build_ok(site)
    (site / "assets/logo.svg").write_text('<svg id="new"/>\n', encoding="utf-8")
    _, result = build_ok(site)
    assert (
        not result.unchanged
        and (out / "assets/site/logo.svg").read_text("utf-8") == '<svg id="new"/>\n'
    )
    assert (
        "fr/index.html" not in result.changed
    )  # no page shows the logo's bytes: none is rendered again
    (site / "assets/site.css").write_text("p{}\n", encoding="utf-8")
    _, result = build_ok(site)
    assert "fr/index.html" in result.changed and "assets/site/site.css" in (
        out / "fr/index.html"
    ).read_text("utf-8")


def test_templates_reference_names_every_block_filter_and_global() -> None:
    """docs/templates.md stays true.

    The blocks of base.html, the filters and globals sitegen adds.
    """
    from jinja2 import Environment

    from sitegen.config import load_config
    from sitegen.i18n import load_localizers
    from sitegen.templates import make_environment

    doc = (ROOT / "docs/templates.md").read_text("utf-8")
    blocks = set(
        re.findall(r"{% block (\w+) %}", (ROOT / "sitegen/templates/base.html").read_text("utf-8"))
    )
    assert blocks >= {"extra_head", "header", "brand", "footer"}
    assert {b for b in blocks if f"`{b}`" not in doc} == set()
    config, _ = load_config(ROOT)
    assert config is not None
    env = make_environment(ROOT, load_localizers(ROOT, config)[0][config.default_language])
    plain = Environment()
    added = (set(env.filters) - set(plain.filters)) | (
        set(env.globals) - set(plain.globals) - {"gettext", "ngettext", "pgettext", "npgettext"}
    )
    assert {name for name in added if name not in doc} == set()
