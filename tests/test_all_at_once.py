"""Every problem of a site comes out in one run (issue 13, item 2).

Each stage that can run does: front matter, offers, pages, links, anchors, images, files
beside the pages, templates. A page or offer with errors is left out of (or stands in for
itself in) what later stages see, and a link to it is not a "missing page".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import TODAY, build_errors, write_site

from sitegen.commands.check import check_site, summary

OFFERS = """\
- id: sion-a1
  kind: course
  region: valais-central
  title: {fr: "Cours A1"}
  price_chf: gratuit
  reviewed: 2026-10-01
- id: sierre-a2
  kind: course
  region: valais-central
  title: {fr: "Cours A2"}
  reviewed: 2024-05-01
"""
OFFER_ERROR = (
    "content/offers/cours.yaml:5: 'price_chf' must be a number of francs (0 = free), not 'gratuit' "
    "(write price_chf: 120)"
)
LINK_ERROR = (
    "content/fr/index.md:5: link to a page that does not exist: absente.md (check the "
    "file name, or create the page)"
)
STALE = (
    "content/offers/cours.yaml:7: warning: offer 'sierre-a2' was last reviewed on 2024-05-01, more "
    "than 12 months ago (check it with the provider, then set reviewed: 2026-11-28)"
)


def _site(root: Path, extra: dict[str, str] | None = None) -> Path:
    return write_site(
        root,
        {
            "content/fr/index.md": "---\n"
            "title: Accueil\n"
            "menu: main\n"
            "---\n"
            "Voir [la page absente](absente.md).\n",
            "content/offers/cours.yaml": OFFERS,
            **(extra or {}),
        },
    )


def test_an_offer_error_and_a_broken_link_are_reported_together(tmp_path: Path) -> None:
    errors = build_errors(_site(tmp_path / "site"))
    assert OFFER_ERROR in errors and LINK_ERROR in errors


def test_check_keeps_the_warnings_of_other_stages_when_a_link_is_broken(tmp_path: Path) -> None:
    report = check_site(_site(tmp_path / "site"), TODAY)
    texts = [d.format() for d in report.diagnostics]
    assert LINK_ERROR in texts and OFFER_ERROR in texts
    assert STALE in texts, "the offer not reviewed for a year is still listed"
    assert any("not translated into German" in t for t in texts)


def test_a_link_to_a_page_with_errors_is_not_a_missing_page(tmp_path: Path) -> None:
    site = _site(
        tmp_path / "site",
        {
            "content/fr/index.md": "---\n"
            "title: Accueil\n"
            "---\n"
            "Voir [le logement](logement.md), [la page](casse.md#horaires) et [le "
            "plan](plan.svg).\n",
            "content/fr/logement.md": "---\n"
            "title: Logement\n"
            "weight: beaucoup\n"
            "---\n"
            "Voir [l'aide](aide.md).\n",
            "content/fr/casse.md": "---\ntitle: Cassée\nLe texte sans fin d'en-tête.\n",
            "content/fr/plan.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        },
    )
    errors = build_errors(site)
    assert errors == sorted(errors)
    assert [e.split(": ", 1)[0] for e in errors] == [
        "content/fr/casse.md:1",  # front matter not closed
        "content/fr/logement.md:3",  # weight
        "content/fr/logement.md:5",  # its body is still checked: aide.md is missing
        "content/fr/plan.svg",  # refused, but the link to it is not "missing"
        "content/offers/cours.yaml:5",
    ], errors
    assert (
        "content/fr/logement.md:5: link to a page that does not exist: aide.md (check the file "
        "name, or create the page)" in errors
    )


def test_templates_are_checked_when_the_content_has_errors(tmp_path: Path) -> None:
    site = _site(
        tmp_path / "site",
        {
            "templates/page.html": '{% extends "base.html" %}\n'
            "{% block content %}\n"
            "{% if x %}\n"
            "{% endblock %}\n",
            "content/fr/cours.md": "---\ntitle: Cours\n---\nText.\n",
        },
    )
    errors = build_errors(site)
    assert OFFER_ERROR in errors and LINK_ERROR in errors
    assert any(e.startswith("templates/page.html:4: template syntax error: ") for e in errors), (
        errors
    )


def test_when_site_yaml_fails_the_summary_says_what_was_not_checked(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    (site / "site.yaml").write_text("title: {fr: Portail}\nlanguages: français\n", encoding="utf-8")
    report = check_site(site, TODAY)
    assert report.errors and all(d.path == "site.yaml" for d in report.diagnostics)
    assert (
        "Not checked until site.yaml is fixed: pages, offers, links and anchors, images and "
        "files, templates." in summary(report)
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "check",
            "--format",
            "json",
            "--today",
            TODAY.isoformat(),
        ],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(done.stdout)["unchecked"] == [
        "pages",
        "offers",
        "links and anchors",
        "images and files",
        "templates",
    ]
    built = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-q", "--today", TODAY.isoformat()],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert built.returncode == 1
    assert built.stderr.splitlines()[-1] == (
        "Build failed: 2 error(s). Not checked until site.yaml is fixed: pages, offers, links and "
        "anchors, images and files, templates. Nothing was written; build is unchanged."
    )
