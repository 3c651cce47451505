"""Translation status: the `sitegen status` table and JSON; the /_status/ context and template."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, SITES, TODAY

from sitegen.cli import main
from sitegen.gitinfo import Revisions, collect_revisions, parse_log
from sitegen.reading import load_site
from sitegen.render.site import SiteRenderer
from sitegen.templates import make_environment
from sitegen.translations import TranslationState, status_page, translation_status

INTERFACE_STRINGS = (ROOT / "sitegen/locales/messages.pot").read_text("utf-8").count("\nmsgid ")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """check-translations, outside the repository so that only its front matter decides."""
    target = tmp_path / "site"
    shutil.copytree(SITES / "check-translations", target)
    return target


def test_status_table(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--source", str(site), "--today", TODAY.isoformat()]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "page         fr        de          en",
        "cours.md     original  OUTDATED    up to date",
        "index.md     original  up to date  up to date",
        "logement.md  original  OUTDATED    draft",
        "travail.md   original  missing     up to date",
        "",
        "Totals for 4 pages (outdated by translated_from and updated dates; no Git history):",
        "  fr: 4 original",
        "  de: 1 up to date, 2 outdated, 1 missing",
        "  en: 3 up to date, 1 draft",
        "",
        "Interface strings (locales/<lang>/LC_MESSAGES/messages.po):",
        *(
            f"  {lang}: all {INTERFACE_STRINGS} interface strings translated"
            for lang in ("fr", "de", "en")
        ),
    ]


def test_status_json(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["status", "--source", str(site), "--today", TODAY.isoformat(), "--format", "json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["de"] == {
        "original": 0,
        "up-to-date": 1,
        "outdated": 2,
        "missing": 1,
        "fallback": 0,
    }
    cours = next(p for p in data["pages"] if p["key"] == "cours.md")
    assert cours["languages"]["de"] == {
        "state": "outdated",
        "path": "content/de/cours.md",
        "url": "de/cours/",
        "source_changed": "2026-10-01",
        "translated": "2026-09-01",
        "rule": "date",
    }


def test_status_of_a_broken_site_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(SITES / "check-broken", tmp_path / "site")
    assert main(["status", "--source", str(tmp_path / "site"), "--today", TODAY.isoformat()]) == 1
    assert "content/fr/index.md:4: link to a page that does not exist" in capsys.readouterr().err


def test_status_page_renders(site: Path) -> None:
    """The context status_page() gives, merged into the common one, renders status.html."""
    loaded, contents, localizers, _ = load_site(site, TODAY)
    envs = {lang: make_environment(site, loc) for lang, loc in localizers.items()}
    renderer = SiteRenderer(loaded, contents, localizers, envs)
    context = renderer.chrome("fr", "_status/", "Translation status", [], noindex=True)
    extra = status_page(loaded, localizers["fr"], collect_revisions(site))
    context.update(extra)
    html = envs["fr"].get_template("status.html").render(context)
    assert '<meta name="robots" content="noindex">' in html
    assert html.count('class="status-outdated"') == 2
    assert html.count('class="status-missing"') == 1
    assert html.count('class="status-fallback"') == 1
    # Links are relative to /_status/, so the page works from a folder too.
    assert '<a href="../de/cours/index.html" hreflang="de">⚠ À mettre à jour</a>' in html
    assert "L'original a changé le 1 octobre 2026." in html
    assert "<code>content/de/travail.md</code>" in html
    totals = {t["code"]: t for t in extra["status"]["totals"]}
    assert (
        totals["de"]["up_to_date"],
        totals["de"]["outdated"],
        totals["de"]["missing"],
        totals["de"]["to_do"],
    ) == (1, 2, 1, 3)


def test_git_log_parsing_keeps_the_last_change_of_each_file() -> None:
    log = (
        "\x01" + "b" * 40 + " 2026-10-02\0\ncontent/fr/a.md\0"
        "\x01" + "m" * 40 + " 2026-10-01\0"  # a merge: no files listed
        "\x01" + "a" * 40 + " 2026-09-01\0\ncontent/fr/a.md\0content/de/a.md\0"
    )
    parsed = parse_log(log)
    assert parsed is not None
    commits, last = parsed
    assert [c.index for c in commits] == [0, 1, 2]
    assert last["content/fr/a.md"].hash == "b" * 40
    assert last["content/de/a.md"].date.isoformat() == "2026-09-01"
    revisions = Revisions(git=True, last=last, commits=commits)
    assert revisions.find("aaaaaaa") is commits[2]
    assert revisions.find("aaaa") is None  # too short to be sure
    assert parse_log("") is None


def test_not_a_repository_means_no_history(tmp_path: Path) -> None:
    (tmp_path / "content" / "fr").mkdir(parents=True)
    (tmp_path / "content" / "fr" / "a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    (tmp_path / "content" / "fr" / ".a.md.swp").write_text("", encoding="utf-8")
    revisions = collect_revisions(tmp_path)
    assert (revisions.git, revisions.files) == (False, frozenset({"content/fr/a.md"}))


def test_every_state_is_counted(site: Path) -> None:
    loaded, _, _, _ = load_site(site, TODAY)
    table = translation_status(loaded, collect_revisions(site))
    assert [c.path for c in table.cells(TranslationState.FALLBACK)] == ["content/en/logement.md"]
    assert sum(sum(counts.values()) for counts in table.totals().values()) == 4 * 3
