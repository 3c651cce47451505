"""The build as a whole: output shape, determinism, atomic replacement, CLI contract."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SITES, TODAY, build_errors, build_ok, write_site

from sitegen.build import build
from sitegen.errors import ContentError, UsageError


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(ROOT, tmp_path / "a", today=TODAY)
    build(ROOT, tmp_path / "b", today=TODAY)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_failed_build_leaves_previous_output(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\n---\nHello\n"})
    out, _ = build_ok(site)
    before = tree_digest(out)
    (site / "content/fr/a.md").write_text("---\ntitle: A\nweight: x\n---\nChanged\n")
    assert build_errors(site)
    assert tree_digest(out) == before
    assert not list(out.parent.glob(".build.tmp-*")), "the temporary folder must be removed"


def test_template_error_leaves_previous_output(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\n---\nHello\n"})
    out, _ = build_ok(site)
    before = tree_digest(out)
    write_site(
        site,
        {
            "templates/page.html": '{% extends "base.html" %}\n'
            "{% block content %}{{ nope.missing }}{% endblock %}\n"
        },
        site_yaml=None,
    )
    assert build_errors(site) == [
        "templates/page.html:2: template error while rendering content/fr/a.md: 'nope' is "
        "undefined (check the variable's name; the variables each template receives are listed in "
        "docs/templates.md)"
    ]
    assert tree_digest(out) == before


def test_site_template_overrides_default(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "content/fr/a.md": "---\ntitle: A\n---\nHello\n",
            "templates/page.html": '{% extends "base.html" %}\n'
            '{% block content %}<p class="mine">{{ title }}</p>{% endblock %}\n',
        },
    )
    out, _ = build_ok(site)
    assert '<p class="mine">A</p>' in (out / "fr/a/index.html").read_text()


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\n---\n"})
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "letter.txt").write_text("keep me")
    with pytest.raises(UsageError, match="was not made by sitegen"):
        build(site, foreign, today=TODAY)
    with pytest.raises(UsageError, match="contains the site's sources"):
        build(site, tmp_path, today=TODAY)
    assert (foreign / "letter.txt").read_text() == "keep me"


def test_mini_site_shape(tmp_path: Path) -> None:
    out, result = build_ok(SITES / "mini", tmp_path / "out")
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name != ".sitegen-build"
    )
    pages = [f for f in files if f.endswith(".html")]
    assert "fr/premiers-pas/index.html" in pages and "de/erste-schritte/index.html" in pages
    assert "fr/vivre-en-valais/logement/index.html" in pages
    assert "de/vivre-en-valais/logement/index.html" in pages, (
        "an untranslated page exists in every language tree"
    )
    assert (
        "fr/offres/sion-francais-a1/index.html" in pages
        and "de/angebote/sion-francais-a1/index.html" in pages
    )
    assert (
        "fr/offres/type/cours-de-langue/index.html" in pages
        and "de/angebote/region/oberwallis/index.html" in pages
    )
    assert "fr/offres/sion-ancien-cours/index.html" not in pages, "a past offer is not published"
    assert result.skipped == [
        ("sion-ancien-cours", "content/offers/courses.yaml", 29, "ended on 2025-06-30")
    ]
    for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", "assets/site.css"):
        assert name in files
    assert result.languages["de"].fallbacks == 2


def test_cli_contract(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, cwd=tmp_path
        )

    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("sitegen ")
    for command in ("build", "serve", "check", "status"):
        assert run(command, "--help").returncode == 0
    assert run("build", "--bogus").returncode == 2
    missing = run("build", "--source", "nowhere")
    assert missing.returncode == 2 and "no site.yaml" in missing.stderr
    ok = run(
        "build",
        "--source",
        str(SITES / "mini"),
        "--out",
        str(tmp_path / "out"),
        "--today",
        "2026-11-28",
    )
    assert ok.returncode == 0, ok.stderr
    assert "fr: 4 pages, 2 offers" in ok.stdout
    assert "de: 4 pages (2 shown from another language), 2 offers" in ok.stdout
    assert (
        "not published: sion-ancien-cours (content/offers/courses.yaml:29): ended on 2025-06-30"
        in ok.stdout
    )
    assert "Built " in ok.stdout


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\ncolour: red\n---\n"})
    from sitegen.cli import main

    assert main(["build", "--source", str(site), "--today", "2026-11-28", "-q"]) == 0
    assert main(["build", "--source", str(site), "--today", "2026-11-28", "-q", "--strict"]) == 1


def test_every_page_is_small(example_site: Path) -> None:
    """The budget of every page (DEVELOPERS.md): under 14 KB gzipped, the first TCP round trip."""
    import gzip

    sizes = {
        p.relative_to(example_site).as_posix(): len(gzip.compress(p.read_bytes(), 9))
        for p in example_site.rglob("*.html")
    }
    too_big = {name: size for name, size in sizes.items() if size > 14 * 1024}
    assert not too_big


PARALLEL_SCRIPT = """
import json, sys
from pathlib import Path
import sitegen.build as pipeline
import sitegen.parallel as parallel
from sitegen.errors import ContentError
from helpers import TODAY
assert parallel.can_fork()
parallel.RENDER_FORK_MIN = parallel.MARKDOWN_FORK_MIN = parallel.LOAD_FORK_MIN = \
parallel.SEARCH_FORK_MIN = 1
errors = {}
for name in sys.argv[2:]:
    try:
        pipeline.build(Path(name), Path(sys.argv[1]) / Path(name).name, today=TODAY, cache=False)
    except ContentError as exc:
        errors[Path(name).name] = [d.format() for d in exc.diagnostics]
print(json.dumps(errors))
"""


def test_parallel_rendering_gives_the_same_site(tmp_path: Path) -> None:
    """Large sites read, convert Markdown and render in forked workers: same bytes, and template
    and link errors still reported. In a fresh interpreter: forking is refused where threads
    run (a browser test's), which would make this test pass without forking."""
    build(SITES / "mini", tmp_path / "one", today=TODAY, cache=False)
    templates = write_site(
        tmp_path / "templates",
        {
            "content/fr/a.md": "---\ntitle: A\n---\n",
            "content/fr/b.md": "---\ntitle: B\n---\n",
            "templates/page.html": '{% extends "base.html" %}\n'
            "{% block content %}{{ nope.missing }}{% endblock %}\n",
        },
    )
    links = write_site(
        tmp_path / "links",
        {
            "content/fr/a.md": "---\ntitle: A\n---\nVoir [b](b.md).\n",
            "content/fr/b.md": "---\ntitle: B\n---\nUn\n\n[lien](perdu.md)\n",
        },
    )
    files = write_site(
        tmp_path / "files",
        {
            "content/fr/a.md": "---\ntitle: [A\n---\n",
            "content/fr/b.md": "---\ntitle: B\n---\nB\n",
            "content/fr/c.md": "pas de front matter\n",
            "content/offers/o.yaml": "- id: x\n  title: {fr: X\n",
        },
    )
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            PARALLEL_SCRIPT,
            str(tmp_path / "forked"),
            str(SITES / "mini"),
            str(templates),
            str(links),
            str(files),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
        check=True,
    )
    errors = json.loads(ran.stdout)
    with pytest.raises(ContentError) as serial:
        build(files, tmp_path / "serial", today=TODAY, cache=False)
    assert errors["files"] == [d.format() for d in serial.value.diagnostics]
    assert {e.split(":")[0] for e in errors["files"]} == {
        "content/fr/a.md",
        "content/fr/c.md",
        "content/offers/o.yaml",
    }
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "forked" / "mini")
    assert len(errors["templates"]) == 1 and errors["templates"][0].startswith(
        "templates/page.html:2: template error while rendering content/fr/"
    )
    assert errors["links"] == [
        "content/fr/b.md:6: link to a page that does not exist: perdu.md (check the file name, or "
        "create the page)"
    ]
