"""`sitegen check` on fixture sites, a kind of problem each, with the exact messages editors see."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import SITES, TODAY, write_site

from sitegen.cli import main

TODAY_ARG = ["--today", TODAY.isoformat()]


def site_copy(name: str, tmp_path: Path) -> Path:
    """A copy outside the repository.

    Git history of the project must not decide what is outdated.
    """
    target = tmp_path / name
    shutil.copytree(SITES / name, target)
    return target


def run_check(site: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    code = main(["check", "--source", str(site), *TODAY_ARG, *extra])
    return code, capsys.readouterr().out.splitlines()


def test_clean_site_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_check(site_copy("check-clean", tmp_path), capsys, "--strict")
    assert (code, lines) == (0, ["No problems found (4 pages, 1 offer checked)."])


def test_translations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_check(site_copy("check-translations", tmp_path), capsys)
    assert code == 0  # warnings only
    assert lines == [
        "content/de/cours.md:3: warning: this translation is outdated: content/fr/cours.md "
        "changed on 2026-10-01, after the date in translated_from (2026-09-01) (bring the "
        "translation up to date, then set translated_from to the day you did it)",
        "content/de/logement.md:3: warning: this translation is outdated: content/fr/logement.md "
        "was updated on 2026-10-01, after this translation (updated: 2026-09-01) (bring the "
        "translation up to date and change its 'updated' date)",
        "content/en/logement.md: warning: this English translation is a draft: visitors of the "
        "English site see the French version (set draft: false when the translation is ready)",
        "content/en/travail.md:3: warning: translated_from 'tuesday' is neither a date nor a Git "
        'revision (write the day you translated, e.g. translated_from: "2026-09-01", or the '
        "original's commit hash)",
        "content/fr/travail.md: warning: not translated into German: visitors of the German site "
        "see the French version (create content/de/travail.md)",
        "0 errors, 5 warnings in 5 files.",
    ]


def test_strict_fails_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_check(site_copy("check-translations", tmp_path), capsys, "--strict")
    assert code == 1
    assert lines[-1] == "0 errors, 5 warnings in 5 files. --strict: warnings count as errors."


def test_offers_past_and_not_reviewed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_check(site_copy("check-offers", tmp_path), capsys)
    assert code == 0
    assert lines == [
        "content/offers/offers.yaml:6: warning: offer 'ended-in-june' ended on 2026-06-30 and is "
        "no longer published (remove it, or give it new dates (starts, ends))",
        "content/offers/offers.yaml:13: warning: offer 'never-reviewed' has no 'reviewed' date "
        "(check it with the provider, then add reviewed: 2026-11-28)",
        "content/offers/offers.yaml:17: warning: offer 'reviewed-too-long-ago' was last reviewed "
        "on 2025-11-27, more than 12 months ago (check it with the provider, then set "
        "reviewed: 2026-11-28)",
        "0 errors, 3 warnings in 1 file.",
    ]


def test_pages_nothing_leads_to(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_check(site_copy("check-orphans", tmp_path), capsys)
    assert code == 0
    # ile-a and ile-b link to each other, but no path from the home page or the menu reaches them.
    assert lines == [
        "content/fr/ile-a.md: warning: no menu or link leads to this page (link to it from "
        "another page, e.g. [Île A](ile-a.md), or add 'menu: main' to its front matter)",
        "content/fr/ile-b.md: warning: no menu or link leads to this page (link to it from "
        "another page, e.g. [Île B](ile-b.md), or add 'menu: main' to its front matter)",
        "content/fr/oubliee.md: warning: no menu or link leads to this page (link to it from "
        "another page, e.g. [Page oubliée](oubliee.md), or add 'menu: main' to its front matter)",
        "content/fr/vivre/ancien.md: warning: no menu or link leads to this page (link to it from "
        "another page, e.g. [Ancienne page](vivre/ancien.md), or add 'menu: main' to its "
        "front matter)",
        "0 errors, 4 warnings in 4 files.",
    ]


def test_broken_link_missing_anchor_and_image_without_alt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run_check(site_copy("check-broken", tmp_path), capsys)
    assert code == 1
    assert lines == [
        "content/fr/index.md:4: link to a page that does not exist: disparue.md (check the file "
        "name, or create the page)",
        "content/fr/index.md:6: the anchor '#soir' does not exist in content/fr/cours.md (use one "
        "of its anchors (matin), or add {#soir} to a heading there)",
        "content/fr/index.md:8: warning: the image 'plan.png' has no text alternative (describe "
        "the image between the brackets: ![a map of Sion](map.png))",
        "2 errors, 1 warning in 1 file. Errors must be fixed before the site can be published.",
    ]


def test_template_errors_are_found_by_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run_check(site_copy("check-template", tmp_path), capsys)
    assert code == 1
    assert lines[0].startswith(
        "templates/home.html:4: template error while rendering content/fr/index.md: "
        "'welcome_mesage' is undefined"
    )
    assert (
        lines[-1]
        == "1 error, 0 warnings in 1 file. Errors must be fixed before the site can be published."
    )


def test_json_for_ci(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check",
            "--source",
            str(site_copy("check-broken", tmp_path)),
            *TODAY_ARG,
            "--format",
            "json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (report["ok"], report["errors"], report["warnings"]) == (False, 2, 1)
    first = report["diagnostics"][0]
    assert first == {
        "path": "content/fr/index.md",
        "line": 4,
        "col": 0,
        "severity": "error",
        "message": "link to a page that does not exist: disparue.md",
        "hint": "check the file name, or create the page",
        "text": "content/fr/index.md:4: link to a page that does not exist: disparue.md (check "
        "the file name, or create the page)",
    }


def test_no_site_yaml_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", str(tmp_path)]) == 2
    assert "no site.yaml in" in capsys.readouterr().err


def _git(site: Path, *args: str, date: str = "2026-09-01T12:00:00+02:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.ch",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=site,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_outdated_by_git_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/fr/index.md": "---\n"
            "title: Accueil\n"
            "---\n"
            "[Cours](cours.md), [aide](aide.md).\n",
            "content/de/index.md": "---\ntitle: Start\n---\n[Kurse](cours.md), [Hilfe](aide.md).\n",
            "content/en/index.md": "---\ntitle: Home\n---\n[Courses](cours.md), [help](aide.md).\n",
            "content/fr/cours.md": "---\ntitle: Cours\n---\nVersion 1.\n",
            "content/de/cours.md": "---\ntitle: Kurse\n---\nVersion 1.\n",
            "content/en/cours.md": "---\ntitle: Courses\n---\nVersion 1.\n",
            "content/fr/aide.md": "---\ntitle: Aide\n---\nVersion 1.\n",
            "content/de/aide.md": "---\ntitle: Hilfe\n---\nVersion 1.\n",
            "content/en/aide.md": "---\ntitle: Help\n---\nVersion 1.\n",
        },
    )
    _git(site, "init", "-q")
    _git(site, "add", ".")
    _git(site, "commit", "-q", "-m", "first")
    first = _git(site, "rev-parse", "HEAD")
    (site / "content/fr/cours.md").write_text(
        "---\ntitle: Cours\n---\nVersion 2.\n", encoding="utf-8"
    )
    (site / "content/fr/aide.md").write_text(
        "---\ntitle: Aide\n---\nVersion 2.\n", encoding="utf-8"
    )
    _git(site, "commit", "-q", "-am", "originals changed", date="2026-10-02T09:00:00+02:00")
    second = _git(site, "rev-parse", "HEAD")
    # The English help is brought up to date; the German course pins the revision it was made from.
    (site / "content/en/aide.md").write_text(
        "---\ntitle: Help\n---\nVersion 2.\n", encoding="utf-8"
    )
    (site / "content/de/cours.md").write_text(
        f'---\ntitle: Kurse\ntranslated_from: "{first[:10]}"\n---\nVersion 1.\n', encoding="utf-8"
    )
    (site / "content/en/cours.md").write_text(
        f'---\ntitle: Courses\ntranslated_from: "{second[:7]}"\n---\nVersion 2.\n', encoding="utf-8"
    )
    _git(site, "commit", "-q", "-am", "translations", date="2026-10-03T09:00:00+02:00")

    code, lines = run_check(site, capsys)
    assert code == 0
    assert lines == [
        "content/de/aide.md: warning: this translation is outdated: content/fr/aide.md changed "
        f"on 2026-10-02 ({second[:7]}), after this translation's last change on 2026-09-01 "
        f"({first[:7]}) (bring the translation up to date with the original and commit it)",
        "content/de/cours.md:3: warning: this translation is outdated: content/fr/cours.md "
        f"changed on 2026-10-02 ({second[:7]}), after the revision in translated_from "
        f"({first[:7]}) (bring the translation up to date, then set translated_from to the "
        "original's new commit)",
        "0 errors, 2 warnings in 2 files.",
    ]
    # Without Git the same site has nothing to compare: no stamp dates, no 'updated'.
    code, lines = run_check(site, capsys, "--no-git")
    assert lines == ["No problems found (9 pages, 0 offers checked)."]
