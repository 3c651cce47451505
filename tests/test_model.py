"""The model's pure logic: URLs and slugs, fallbacks, menus, breadcrumbs, listings."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SITE_YAML, TODAY, build_errors, write_site

from sitegen.reading import load_site


@pytest.fixture
def site(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = write_site(
        tmp_path / "s",
        {
            "content/fr/index.md": "---\ntitle: Accueil\n---\n",
            "content/fr/travail/index.md": "---\n"
            "title: Travail\n"
            "slug: travail-et-formation\n"
            "menu: main\n"
            "weight: 20\n"
            "---\n",
            "content/fr/travail/diplomes.md": "---\ntitle: Diplômes\nslug: reconnaissance\n---\n",
            "content/de/travail/index.md": "---\n"
            "title: Arbeit\n"
            "slug: arbeit\n"
            "menu: main\n"
            "weight: 20\n"
            "---\n",
            "content/en/travail/diplomes.md": "---\ntitle: Diplomas\n---\n",
            "content/fr/aide.md": "---\ntitle: Aide\nmenu: main\nweight: 10\n---\n",
            "content/fr/brouillon.md": "---\ntitle: Pas encore\ndraft: true\n---\n",
            "content/offers/a.yaml": (
                "- {id: z-cours, kind: course, region: valais-central, title: {fr: 'Allemand', de: "
                "'Zürich-Kurs'}}\n"
                "- {id: a-cours, kind: course, region: haut-valais, title: {fr: 'Zoologie', de: "
                "'Arabisch'}}\n"
                "- {id: fini, kind: course, region: haut-valais, title: Fini, ends: 2026-01-31}\n"
                "- {id: plus-tard, kind: course, region: haut-valais, title: Bientôt, "
                "draft: true}\n"
            ),
        },
    )
    loaded, _, _, _ = load_site(root, TODAY)
    return loaded


def test_urls_use_each_languages_slugs_for_folders_and_pages(site) -> None:  # type: ignore[no-untyped-def]
    assert site.page("fr", "travail/diplomes.md").url == "fr/travail-et-formation/reconnaissance/"
    assert site.page("de", "travail/diplomes.md").url == "de/arbeit/reconnaissance/", (
        "the German folder slug, the French page's slug (fallback)"
    )
    assert site.page("en", "travail/diplomes.md").url == "en/travail-et-formation/diplomes/", (
        "no English folder page: the French folder slug; own page: its file name"
    )
    assert site.page("fr", "index.md").url == "fr/"


def test_fallback_takes_the_default_language_first(site) -> None:  # type: ignore[no-untyped-def]
    page = site.page("de", "aide.md")
    assert page.is_fallback and page.source.lang == "fr"
    assert not site.page("en", "travail/diplomes.md").is_fallback
    assert site.page("de", "travail/diplomes.md").source.lang == "fr"


def test_drafts_are_left_out(site) -> None:  # type: ignore[no-untyped-def]
    assert site.page("fr", "brouillon.md") is None
    assert [(s.offer.id, s.reason) for s in site.skipped] == [
        ("fini", "ended on 2026-01-31"),
        ("plus-tard", "draft"),
    ]


def test_menu_order_and_breadcrumbs(site) -> None:  # type: ignore[no-untyped-def]
    assert [p.meta.title for p in site.menu("fr")] == ["Aide", "Travail"]
    assert [p.meta.title for p in site.menu("de")] == ["Aide", "Arbeit"], (
        "a fallback page keeps its place in the menu"
    )
    crumbs = site.ancestors(site.page("de", "travail/diplomes.md"))
    assert [p.meta.title for p in crumbs] == ["Accueil", "Arbeit"]


def test_offer_lists_sorted_by_title_in_each_language(site) -> None:  # type: ignore[no-untyped-def]
    assert [o.id for o in site.offers_in("fr")] == ["z-cours", "a-cours"]
    assert [o.id for o in site.offers_in("de")] == ["a-cours", "z-cours"]
    assert site.offer_url("de", "a-cours") == "de/angebote/a-cours/"
    assert site.term_url("fr", "region", "haut-valais") == "fr/offres/region/haut-valais/"
    assert site.term_url("de", "kind", "course") == "de/angebote/art/sprachkurse/"
    assert [listing.url for listing in site.listings("en")] == [
        "en/offers/",
        "en/offers/kind/language-courses/",
        "en/offers/region/central-valais/",
        "en/offers/region/upper-valais/",
    ]


def test_pagination_urls(tmp_path: Path) -> None:
    offers = "".join(
        f"- {{id: o{i}, kind: course, region: haut-valais, title: O{i:02d}}}\n" for i in range(5)
    )
    root = write_site(
        tmp_path / "s", {"site.yaml": SITE_YAML + "per_page: 2\n", "content/offers/a.yaml": offers}
    )
    loaded, _, _, _ = load_site(root, TODAY)
    assert loaded.page_number_url(loaded.offers_url("fr"), "fr", 3) == "fr/offres/page/3/"
    out = tmp_path / "out"
    from sitegen.build import build

    build(root, out, today=TODAY)
    assert (out / "fr/offres/page/3/index.html").exists() and not (
        out / "fr/offres/page/4/index.html"
    ).exists()
    assert (out / "de/angebote/seite/2/index.html").exists()


def test_two_kinds_with_one_url_word(tmp_path: Path) -> None:
    yaml = (
        SITE_YAML + "  - id: other\n    name: {fr: 'Cours de langue', de: 'Andere', en: 'Other'}\n"
    )
    root = write_site(
        tmp_path / "s", {"site.yaml": yaml, "content/fr/a.md": "---\ntitle: A\n---\n"}
    )
    assert build_errors(root) == [
        "site.yaml: kinds 'course' and 'other' would share the address 'cours-de-langue' in 'fr' "
        "(give one of them a slug: {fr: another-word})"
    ]
