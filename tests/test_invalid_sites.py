"""The catalogue of bad inputs (issue 5): each broken site gets its exact answer from the CLI.

Every folder in tests/sites_invalid/ is a whole site with one kind of mistake (often several
instances of it, to show that all errors of a run are listed at once) and an
expected_error.txt holding the exact stderr of `sitegen build -q`, with the output folder
written as <out>. Each case is built by the real command line, in a subprocess, over a copy
of a previous good build: the build must exit with 1, print exactly the expected lines, never
a traceback, and leave the previous output byte for byte as it was. Each case runs twice
(issue 13): with an absolute --source, and from inside the site folder without one; both
must print the same lines. A new case folder is picked up by both runs.

Some inputs cannot live in git and are made at test time (GENERATED): a 20 MB file, symlinks
leading out of the site. To add a case: create the folder, run the test, review the actual
stderr shown by the failure, and save it as expected_error.txt.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, SITES, TODAY

from sitegen.build import build

CASES_DIR = ROOT / "tests" / "sites_invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
OUT = "<out>"
MB = 1024 * 1024


def _big_files(site: Path) -> None:
    # Sparse files: the size check happens before any byte is read, so no disk is used.
    with (site / "content/fr/export.md").open("wb") as f:
        f.truncate(20 * MB)
    with (site / "content/fr/plan.png").open("wb") as f:
        f.truncate(20 * MB + 1)


def _links_outside(site: Path) -> None:
    outside = site.parent
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\nNot part of the site.\n")
    (outside / "outside").mkdir()
    (outside / "outside/plan.png").write_bytes(b"\x89PNG\r\n")
    (site / "content/offers").mkdir(parents=True, exist_ok=True)
    os.symlink("../../../secret.md", site / "content/fr/secret.md")  # a page
    os.symlink("../../../outside", site / "content/fr/images")  # a folder
    os.symlink("/etc/passwd", site / "content/fr/passwd.txt")  # a file beside the pages
    os.symlink("../../../secret.md", site / "content/offers/offres.yaml")  # an offers file
    os.symlink("nowhere.md", site / "content/fr/casse.md")  # a broken link


GENERATED_BESIDE = ("secret.md", "outside")  # made by _links_outside next to the site
GENERATED: dict[str, Callable[[Path], None]] = {
    "file-too-large": _big_files,
    "symlink-outside": _links_outside,
}

# Cases whose exact message waits for a fix outside the modules this suite's author owns;
# until then only the weak contract is checked (exit 1, no traceback, the file named), as a
# strict xfail: when it passes, write expected_error.txt and remove the entry.
KNOWN_GAPS: dict[str, str] = {}


@dataclass(frozen=True)
class Run:
    returncode: int
    stderr: str
    before: dict[str, str]
    after: dict[str, str]
    beside: list[str]  # what is in the folder holding the site and its output, after the build
    # the same case run from inside the site folder, without --source (issue 13)
    inside: Run | None = None


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file of a folder (hidden ones included) with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def run_cli(
    site: Path, out: Path, *extra: str, inside: bool = False
) -> subprocess.CompletedProcess[str]:
    """`sitegen build` with an absolute --source, or (`inside`) in the site folder without one."""
    source = [] if inside else ["--source", str(site)]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "build",
            *source,
            "--out",
            str(out),
            "--today",
            TODAY.isoformat(),
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=site if inside else ROOT,
        timeout=120,
    )


@pytest.fixture(scope="session")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good build of the mini site: what every failed build must leave untouched."""
    out = tmp_path_factory.mktemp("previous") / "build"
    build(SITES / "mini", out, today=TODAY, cache=False)
    return out


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory, previous_build: Path) -> dict[str, Run]:
    """Every case built once, two at a time (CI has two cores), shared by the tests below."""
    base = tmp_path_factory.mktemp("invalid")

    def one(name: str, inside: bool = False) -> Run:
        root = base / ("inside" if inside else "absolute") / name
        site, out = root / "site", root / "build"
        shutil.copytree(
            CASES_DIR / name,
            site,
            symlinks=True,
            ignore=shutil.ignore_patterns("expected_error.txt"),
        )
        if name in GENERATED:
            GENERATED[name](site)
        shutil.copytree(previous_build, out)
        before = tree_digest(out)
        done = run_cli(site, out, "-q", inside=inside)
        return Run(
            done.returncode,
            done.stderr.replace(str(out), OUT),
            before,
            tree_digest(out),
            sorted(p.name for p in out.parent.iterdir()),
        )

    def both(name: str) -> Run:
        return replace(one(name), inside=one(name, inside=True))

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(CASES, pool.map(both, CASES), strict=True))


def _case_params() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_GAPS[name], strict=True))
        if name in KNOWN_GAPS
        else name
        for name in CASES
    ]


@pytest.mark.parametrize("case", _case_params())
def test_bad_site_gets_exact_answer_and_loses_nothing(case: str, runs: dict[str, Run]) -> None:
    run = runs[case]
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 1, run.stderr
    assert run.after == run.before, "the previous output must stay byte for byte as it was"
    assert [name for name in run.beside if name not in GENERATED_BESIDE] == ["build", "site"], (
        "a failed build leaves no temporary folder"
    )
    if case in KNOWN_GAPS:
        assert re.search(r"^content/\S+:\d+: ", run.stderr, re.MULTILINE), run.stderr
        return
    expected = (CASES_DIR / case / "expected_error.txt").read_text(encoding="utf-8")
    assert run.stderr.splitlines() == expected.splitlines()


@pytest.mark.parametrize("case", _case_params())
def test_bad_site_gets_the_same_answer_from_inside_its_folder(
    case: str, runs: dict[str, Run]
) -> None:
    """Run from the site folder without --source (the README's usage), every path keeps its
    first letters and the whole answer is the one given with an absolute --source."""
    run, inside = runs[case], runs[case].inside
    assert inside is not None
    assert "Traceback" not in inside.stderr, inside.stderr
    assert inside.returncode == run.returncode == 1, inside.stderr
    assert inside.after == inside.before
    assert inside.stderr.splitlines() == run.stderr.splitlines()


@pytest.mark.parametrize("case", [c for c in CASES if c not in KNOWN_GAPS])
def test_every_line_names_file_line_and_fix(case: str) -> None:
    """The shape of the contract, so that a new case cannot slip in a message without a fix."""
    *lines, summary = (
        (CASES_DIR / case / "expected_error.txt").read_text(encoding="utf-8").splitlines()
    )
    assert re.fullmatch(
        r"Build failed: \d+ error\(s\)(, \d+ warning\(s\))?\.( Not checked until site\.yaml is "
        r"fixed: [a-z ,]+\.)? Nothing was written; <out> is unchanged\.",
        summary,
    )
    assert lines, "a failed build names at least one problem"
    for line in lines:
        # path[:line]: [warning: ]what is wrong (how to fix); a whole-file problem has no line.
        assert re.fullmatch(
            r"(site\.yaml|content/\S+|templates/\S+)(:\d+)?: (warning: )?\S.* \(.+\)", line
        ), line
        assert (
            "Traceback" not in line and "Error:" not in line and "<unicode string>" not in line
        ), line


def test_every_catalogue_entry_has_a_case() -> None:
    """Issue 5's list of bad inputs, each with at least one case folder."""
    catalogue = {
        "malformed YAML": [
            "yaml-tab-indentation",
            "yaml-unclosed-quote",
            "yaml-duplicate-key",
            "yaml-needs-quotes",
            "yaml-oddities",
        ],
        "front matter not closed": ["front-matter-not-closed"],
        "non-UTF-8 file": ["not-utf8"],
        "empty file": ["empty-files"],
        "a 20 MB file": ["file-too-large"],
        "wrong types": ["wrong-types-page", "wrong-types-offer", "wrong-types-site-yaml"],
        "unknown kind/region/language": ["unknown-kind-region-language"],
        "duplicate ids": ["duplicate-ids"],
        "two pages on one URL": ["two-pages-one-url", "page-on-offer-url"],
        "slug or id with / .. spaces uppercase": ["bad-slugs", "bad-ids"],
        "invalid and impossible dates": ["invalid-dates"],
        "ends before starts": ["ends-before-starts"],
        "malformed e-mail, phone and URL": ["malformed-contact"],
        "javascript: URLs": ["javascript-urls-yaml", "javascript-urls-markdown"],
        "symlink outside the site": ["symlink-outside"],
        "template syntax error": ["template-syntax-error"],
        "missing template": ["template-missing"],
        "link to a missing page or anchor": ["link-missing-page-or-anchor"],
        "missing image": ["missing-image"],
        "files that could run scripts": ["unsafe-files"],
    }
    missing = {
        entry: name for entry, names in catalogue.items() for name in names if name not in CASES
    }
    assert not missing


# -- nothing lost: every offer is published or named with its reason -----------------------------

ACCOUNTED_SITE = """\
title: {fr: "Portail", de: "Portal"}
base_url: "https://test.example.ch/"
default_language: fr
languages: [fr, de]
regions:
  - id: valais-central
    name: {fr: "Valais central", de: "Mittelwallis"}
kinds:
  - id: course
    name: {fr: "Cours de langue", de: "Sprachkurse"}
"""


def _offer(offer_id: str, extra: str = "") -> str:
    return (
        f"- id: {offer_id}\n"
        "  kind: course\n"
        "  region: valais-central\n"
        f'  title: {{fr: "Cours {offer_id}"}}\n'
        f"{extra}"
    )


@pytest.fixture(scope="module")
def offers_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("offers") / "site"
    files = {
        "site.yaml": ACCOUNTED_SITE,
        "content/fr/index.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
        "content/offers/cours.yaml": (
            _offer("ouvert")
            + _offer("sans-dates")
            + _offer("finit-aujourdhui", f"  ends: {TODAY.isoformat()}\n")
            + _offer("fini", "  starts: 2025-09-01\n  ends: 2026-06-30\n")
            + _offer("brouillon", "  draft: true\n")
            + _offer("futur", "  starts: 2027-01-10\n  ends: 2027-06-30\n")
        ),
        "content/offers/sous-dossier/anciens.yaml": _offer("ancien", "  ends: 2024-12-31\n")
        + _offer("ancien-brouillon", "  ends: 2024-12-31\n  draft: true\n"),
        "content/offers/commentaires.yaml": "# Plus d'offres bientôt.\n",
    }
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def _ids_in_yaml(site: Path) -> dict[str, str]:
    """Every offer id in the YAML, read independently of sitegen, with 'file:line'."""
    found = {}
    for path in sorted((site / "content/offers").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for entry in yaml.safe_load(text) or []:
            line = text.splitlines().index(f"- id: {entry['id']}") + 1
            found[entry["id"]] = f"{path.relative_to(site).as_posix()}:{line}"
    return found


def test_every_offer_is_published_or_named_with_its_reason(
    offers_site: Path, tmp_path: Path
) -> None:
    done = run_cli(offers_site, tmp_path / "build")
    assert done.returncode == 0, done.stderr
    in_yaml = _ids_in_yaml(offers_site)
    published = {p.parent.name for p in (tmp_path / "build/fr/offres").glob("*/index.html")}
    named = {
        m["id"]: (m["where"], m["reason"])
        for m in re.finditer(
            r"^  not published: (?P<id>\S+) \((?P<where>\S+)\): (?P<reason>.+)$",
            done.stdout,
            re.MULTILINE,
        )
    }
    assert published | set(named) >= set(in_yaml), "an offer vanished without a word"
    assert not published & set(named), "an offer is both published and said to be left out"
    assert published == {"ouvert", "sans-dates", "finit-aujourdhui", "futur"}
    assert named == {
        "fini": (in_yaml["fini"], "ended on 2026-06-30"),
        "brouillon": (in_yaml["brouillon"], "draft"),
        "ancien": (in_yaml["ancien"], "ended on 2024-12-31"),
        "ancien-brouillon": (in_yaml["ancien-brouillon"], "draft"),
    }
    assert "content/offers/commentaires.yaml: warning: the file holds no offers" in done.stderr


def test_an_offer_with_an_error_fails_the_build_naming_it(
    offers_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(offers_site, site)
    with (site / "content/offers/cours.yaml").open("a", encoding="utf-8") as f:
        f.write(_offer("casse", "  price_chf: gratuit\n"))
    done = run_cli(site, tmp_path / "build", "-q")
    assert done.returncode == 1
    line = _ids_in_yaml(site)["casse"].split(":")[1]
    assert (
        f"content/offers/cours.yaml:{int(line) + 4}: 'price_chf' must be a number of francs (0 = "
        "free), not 'gratuit' (write price_chf: 120)"
    ) in done.stderr.splitlines()
    assert not (tmp_path / "build").exists()
