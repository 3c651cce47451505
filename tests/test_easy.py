"""Issue 12: easy-to-read versions of pages (FALC, Leichte Sprache, plain English), and the
readability figure `sitegen check` gives every page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import PAGE, TODAY, build_errors, build_ok, write_site

from sitegen.cli import main
from sitegen.readability import measure

EASY_FR = """\
---
title: Premiers pas – facile à lire
---
Vous êtes nouveau en Valais.
Allez à la commune.
Vous avez 14 jours.
Prenez votre passeport.
"""


def _links(html: str, css_class: str) -> list[tuple[str, str]]:
    return re.findall(rf'<(?:p|li) class="{css_class}"[^>]*><a href="([^"]+)">([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("full", "easy", "label", "back"),
    [
        (
            "fr/premiers-pas/index.html",
            "fr/premiers-pas/facile/index.html",
            "Facile à lire",
            "Version complète",
        ),
        (
            "de/erste-schritte/index.html",
            "de/erste-schritte/leicht/index.html",
            "Leichte Sprache",
            "Ausführliche Version",
        ),
        (
            "en/first-steps/index.html",
            "en/first-steps/easy/index.html",
            "Easy to read",
            "Full version",
        ),
        (
            "en/language-courses/index.html",
            "en/language-courses/easy/index.html",
            "Easy to read",
            "Full version",
        ),
    ],
)
def test_a_page_and_its_easy_version_link_to_each_other(
    example_site: Path, full: str, easy: str, label: str, back: str
) -> None:
    page = (example_site / full).read_text(encoding="utf-8")
    simple = (example_site / easy).read_text(encoding="utf-8")
    # Near the top of the page, and in the language switcher.
    assert _links(page, "easy-link") == [
        ("easy/index.html".replace("easy", easy.split("/")[-2]), label)
    ]
    assert _links(page, "easy-switch") == _links(page, "easy-link")
    assert _links(simple, "easy-link") == [("../index.html", back)] == _links(simple, "easy-switch")
    # Breadcrumbs lead back through the full page; the menu lists only full pages.
    assert 'href="../index.html">' in simple.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "–" not in simple.split('class="main-menu"')[1].split("</nav>")[0]


def test_the_easy_version_switches_language_to_the_easy_version(example_site: Path) -> None:
    simple = (example_site / "fr/premiers-pas/facile/index.html").read_text(encoding="utf-8")
    assert 'href="../../../de/erste-schritte/leicht/index.html" hreflang="de"' in simple
    assert (
        '<link rel="alternate" hreflang="en" href="https://integration.example.ch/en/first-steps/easy/">'
        in simple
    )


def test_easy_versions_are_searchable(example_site: Path) -> None:
    index = "".join(
        p.read_text(encoding="utf-8")
        for p in sorted((example_site / "assets/search/de").glob("d*.js"))
    )
    assert '["de/erste-schritte/leicht/","Erste Schritte im Wallis – Leichte Sprache"' in index


def test_a_language_without_its_own_easy_version_links_to_none(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/fr/index.md": PAGE.format(title="Accueil"),
            "content/fr/cours.md": PAGE.format(title="Cours"),
            "content/de/cours.md": PAGE.format(title="Kurse"),
            "content/fr/cours.easy.md": EASY_FR,
        },
    )
    out, _ = build_ok(site)
    assert _links((out / "fr/cours/index.html").read_text(encoding="utf-8"), "easy-link") == [
        ("facile/index.html", "Facile à lire")
    ]
    # German readers would get the French easy text: the German page does not offer it.
    assert _links((out / "de/cours/index.html").read_text(encoding="utf-8"), "easy-link") == []
    assert (
        out / "de/cours/leicht/index.html"
    ).is_file()  # the fallback copy exists, like any page's


def test_an_easy_version_needs_its_page(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {"content/fr/index.md": PAGE.format(title="Accueil"), "content/fr/cour.easy.md": EASY_FR},
    )
    assert build_errors(site) == [
        "content/fr/cour.easy.md:1: this easy-to-read version has no page beside it (cour.md) "
        "(name it after the page it simplifies, e.g. cour.easy.md beside cour.md)"
    ]


HARD_FR = (
    "L'autorisation de séjour, délivrée par l'autorité cantonale compétente après examen "
    "approfondi de la situation administrative, professionnelle et familiale de la personne "
    "requérante, conditionne l'accès à de nombreuses prestations institutionnelles."
)


@pytest.mark.parametrize(
    ("lang", "easy", "hard", "formula"),
    [
        ("fr", EASY_FR.split("---\n")[2], HARD_FR, "Kandel-Moles"),
        (
            "de",
            "Sie sind neu im Wallis. Gehen Sie zur Gemeinde. Sie haben 14 Tage Zeit. Nehmen Sie "
            "den Pass mit.",
            "Die Aufenthaltsbewilligung, welche durch die zuständige kantonale Migrationsbehörde "
            "nach eingehender Prüfung der aufenthaltsrechtlichen Voraussetzungen ausgestellt "
            "wird, berechtigt zur Inanspruchnahme verschiedenster Integrationsangebote.",
            "Flesch-Amstad",
        ),
        (
            "en",
            "You are new in Valais. Go to the town hall. You have 14 days. Take your "
            "passport with you.",
            "The residence authorisation, issued by the competent cantonal migration authority "
            "following comprehensive examination of administrative circumstances, conditions "
            "eligibility for numerous institutional integration programmes.",
            "Flesch reading ease",
        ),
    ],
)
def test_readability_tells_easy_from_hard(lang: str, easy: str, hard: str, formula: str) -> None:
    simple, difficult = measure(f"<p>{easy}</p>", lang), measure(f"<p>{hard}</p>", lang)
    assert simple is not None and difficult is not None
    assert (simple.formula, simple.verdict, difficult.verdict) == (formula, "easy", "hard")
    assert simple.score > difficult.score + 40
    assert measure(f"<p>{easy}</p>", "ar") is None and measure(f"<p>{easy}</p>", "ti") is None
    if lang == "de":
        assert difficult.extra.startswith("Wiener Sachtextformel ")


def test_check_lists_readability_per_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/fr/index.md": f"---\ntitle: Accueil\n---\n[Cours](cours.md). {HARD_FR}\n",
            "content/fr/cours.md": PAGE.format(title="Cours"),
            "content/fr/cours.easy.md": EASY_FR.replace("Vous avez 14 jours.", HARD_FR),
            "content/de/index.md": PAGE.format(title="Start"),
            "content/en/index.md": PAGE.format(title="Home"),
        },
    )
    args = ["check", "--source", str(site), "--today", TODAY.isoformat()]
    assert main([*args, "--readability"]) == 0
    lines = capsys.readouterr().out.splitlines()
    scored = [line for line in lines if "this easy-to-read version scores" in line]
    assert len(scored) == 1 and scored[0].startswith(
        "content/fr/cours.easy.md: warning: this easy-to-read version scores "
    )
    assert scored[0].endswith(
        "(aim for 70 or more: short sentences, one idea per line, short common words)"
    )
    start = lines.index("Readability (0-100, higher is easier; 70 or more reads easily):")
    table = lines[start + 1 : start + 6]
    assert (
        table[0] == "  content/de/index.md: no measure for this language"
    )  # one word: no figure says anything
    assert re.fullmatch(r"  content/fr/index\.md: -?\d+ \(Kandel-Moles\): hard", table[4]), table
    assert main([*args, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    hard = next(r for r in report["readability"] if r["path"] == "content/fr/index.md")
    assert (hard["lang"], hard["formula"], hard["verdict"]) == ("fr", "Kandel-Moles", "hard")
