"""Nothing lost (issue 5, item 3): a build killed at any moment leaves the previous site whole.

A generated site of several hundred output files is built once (the "previous" site). Then
the site changes everywhere and its build is started again and again as a subprocess, killed
with SIGKILL at several moments: during loading, as soon as the temporary folder appears, a
third, two thirds and nine tenths into writing. After each kill the previous output must be
byte for byte the same and complete, or, if the kill came while the journal moved the new
files in, marked incomplete and finished by the next build (the journal's own test kills
it at each of its steps). A last build, not killed, must then give exactly what a
cold build (--no-cache) of the same sources gives, whatever the killed builds left behind,
and the build must not have written anywhere but its output folder (plus its documented
cache, <site>/.sitegen-cache/).

The build renders in forked worker processes; each build runs in its own process group and
the whole group is killed, as an out-of-memory kill or a power cut would.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TODAY

from sitegen.cache import CACHE_DIR
from sitegen.write import JOURNAL, MARKER, has_build

PAGES = 100  # per language; with offers, listings and search about 430 output files
OFFERS = 80
SITE_YAML = """\
title: {{fr: "Portail {version}", de: "Portal {version}"}}
base_url: "https://test.example.ch/"
default_language: fr
languages: [fr, de]
regions:
  - id: valais-central
    name: {{fr: "Valais central", de: "Mittelwallis"}}
  - id: haut-valais
    name: {{fr: "Haut-Valais", de: "Oberwallis"}}
kinds:
  - id: course
    name: {{fr: "Cours de langue", de: "Sprachkurse"}}
"""


def make_site(site: Path, version: int) -> None:
    """Write (or rewrite) the generated site; a new version changes every output file."""
    (site / "site.yaml").parent.mkdir(parents=True, exist_ok=True)
    (site / "site.yaml").write_text(SITE_YAML.format(version=version), encoding="utf-8")
    paragraph = (
        "Les cours ont lieu le soir, près de la gare, avec une garderie pour les enfants. " * 6
    )
    for lang in ("fr", "de"):
        folder = site / "content" / lang / "infos"
        folder.mkdir(parents=True, exist_ok=True)
        (site / "content" / lang / "index.md").write_text(
            f"---\ntitle: Accueil {lang} {version}\n---\n{paragraph}\n", encoding="utf-8"
        )
        for number in range(PAGES):
            body = (
                f"## Horaires {number}\n"
                "\n"
                f"{paragraph}\n"
                "\n"
                "## Lieu\n"
                "\n"
                f"{paragraph}\n"
                "\n"
                "Voir l'[accueil](../index.md).\n"
            )
            (folder / f"page-{number}.md").write_text(
                f"---\ntitle: Page {number} {lang} v{version}\n---\n{body}", encoding="utf-8"
            )
    offers = site / "content" / "offers"
    offers.mkdir(parents=True, exist_ok=True)
    (offers / "offres.yaml").write_text(
        "".join(
            f"- id: offre-{n}\n  kind: course\n"
            f"  region: {'valais-central' if n % 2 else 'haut-valais'}\n"
            f'  title: {{fr: "Offre {n} v{version}", de: "Angebot {n} v{version}"}}\n'
            f'  summary: "Cours du soir numéro {n}."\n'
            for n in range(OFFERS)
        ),
        encoding="utf-8",
    )


def digest(folder: Path, skip: str | None = None) -> dict[str, str]:
    """Every file under a folder (hidden ones too) with the hash of its bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if skip and (rel == skip or rel.startswith(skip + "/")):
            continue
        if path.is_file() or path.is_symlink():
            out[rel] = (
                hashlib.sha256(path.read_bytes()).hexdigest()
                if not path.is_symlink()
                else "link:" + os.readlink(path)
            )
    return out


def start(
    site: Path, out: Path, cwd: Path, *extra: str, runner: tuple[str, ...] = ("-m", "sitegen")
) -> subprocess.Popen[bytes]:
    """`sitegen build` of `site` into `out`; `runner`: what Python runs it with."""
    # Its own session, so that killing the group also kills the forked render workers.
    return subprocess.Popen(
        [
            sys.executable,
            *runner,
            "build",
            "--source",
            str(site),
            "--out",
            str(out),
            "--today",
            TODAY.isoformat(),
            "-q",
            *extra,
        ],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate(timeout=180)
    assert process.returncode == 0, err.decode()


def written_files(out: Path, pid: int) -> int:
    """Files already in the temporary folder of the build of process `pid` (.<out>.tmp-<pid>)."""
    return sum(len(files) for _, _, files in os.walk(out.parent / f".{out.name}.tmp-{pid}"))


def siblings(parent: Path, out: Path, patience: float = 10.0) -> list[str]:
    """What is beside the output folder once the replaced output's background removal is done."""
    deadline = time.monotonic() + patience
    while True:
        names = sorted(p.name for p in parent.iterdir())
        if names == [out.name] or time.monotonic() > deadline:
            return names
        time.sleep(0.05)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The site, its output folder alone in its parent, an empty working folder, a reference."""
    base = tmp_path_factory.mktemp("kill")
    paths = {name: base / name for name in ("site", "parent", "cwd", "reference")}
    for name in ("parent", "cwd", "reference"):
        paths[name].mkdir()
    paths["out"] = paths["parent"] / "build"
    yield paths


def test_killed_builds_leave_the_previous_site_whole(world: dict[str, Path]) -> None:
    site, out, parent, cwd = world["site"], world["out"], world["parent"], world["cwd"]
    make_site(site, version=1)
    finish(start(site, out, cwd))
    previous = digest(out)
    assert ".sitegen-build" in previous and len(previous) > 400

    make_site(site, version=2)
    sources = digest(site, skip=CACHE_DIR)
    reference = world["reference"] / "build"
    finish(start(site, reference, cwd, "--no-cache"))
    expected = digest(reference)
    total = len(expected)

    # Moments: by the clock during loading, then by the number of files already written.
    moments: list[tuple[str, float]] = [
        ("clock", 0.15),
        ("files", 1),
        ("files", total / 3),
        ("files", total * 2 / 3),
        ("files", total * 0.9),
    ]
    killed = 0
    for kind, when in moments:
        process = start(site, out, cwd)
        started = time.monotonic()
        while process.poll() is None:
            if (kind == "clock" and time.monotonic() - started >= when) or (
                kind == "files" and written_files(out, process.pid) >= when
            ):
                os.killpg(process.pid, signal.SIGKILL)
                killed += 1
                break
            time.sleep(0.01)  # counting files costs CPU the build needs: poll gently
        process.communicate(timeout=60)  # reaps the process and closes its pipe
        if process.returncode == 0:
            # The build was faster than the poll: it finished, so the output is the new site.
            assert digest(out) == expected
            make_site(site, version=1)
            finish(start(site, out, cwd))
            make_site(site, version=2)
            continue
        assert process.returncode == -signal.SIGKILL
        left = digest(out)
        if JOURNAL in left:
            # Killed while the journal moved the new files in: the output does not say it is
            # complete, and the next build finishes it (test_a_rebuild_killed_while_moving...).
            assert not has_build(out), (
                f"killed at {kind} {when:.0f}: a half-moved output must not look complete"
            )
            finish(start(site, out, cwd))
            assert digest(out) == expected
            make_site(site, version=1)
            finish(start(site, out, cwd))
            make_site(site, version=2)
            continue
        # Killed while writing the journal (under a temporary name, removed by the next run) or
        # before.
        left = {path: data for path, data in left.items() if not path.startswith(f"{JOURNAL}.")}
        assert left == previous, f"killed at {kind} {when:.0f}: the previous output changed"
    assert killed >= 4, (
        "the write phase was too short to be interrupted: make the generated site larger"
    )

    # A build after the kills: the new site exactly, the leftovers of the killed builds gone.
    finish(start(site, out, cwd))
    assert digest(out) == expected, "after killed builds, a build must give what a cold build gives"
    assert siblings(parent, out) == [out.name], (
        "temporary folders of killed builds and the replaced output must be removed"
    )
    assert list(cwd.iterdir()) == [], "the build wrote into its working folder"
    assert digest(site, skip=CACHE_DIR) == sources, "the build changed a file of the site's sources"
    assert sorted(p.name for p in site.iterdir()) == sorted(["site.yaml", "content", CACHE_DIR])


# Runs a build that kills itself (SIGKILL, as the other tests' kills) at the n-th step of
# one kind of its journal (a move of a file into the output, a removal of a file).
KILLED_AT = """\
import os, signal, sys
import sitegen.write as write
from sitegen.cli import main
kind, at = sys.argv[1], int(sys.argv[2])
step, done = getattr(write, kind), [0]
def killing(*args):
    if done[0] == at:
        os.kill(os.getpid(), signal.SIGKILL)
    done[0] += 1
    return step(*args)
setattr(write, kind, killing)
raise SystemExit(main(sys.argv[3:]))
"""


def edit(site: Path) -> None:
    """The previous site with a few pages changed and some removed.

    A rebuild moves and removes files.
    """
    make_site(site, version=1)
    for number in range(3):
        (site / "content" / "fr" / "infos" / f"page-{number}.md").write_text(
            f"---\ntitle: Neuve {number}\n---\nNouveau texte.\n", encoding="utf-8"
        )
    for number in range(90, PAGES):
        for lang in ("fr", "de"):
            (site / "content" / lang / "infos" / f"page-{number}.md").unlink()


def test_a_rebuild_killed_while_moving_its_files_in_is_finished_by_the_next(
    world: dict[str, Path],
) -> None:
    """A rebuild over a complete build moves only its changed files in, through a journal.
    Killed at any step of it, the output is not marked complete, and the next build finishes
    the journal: its output is what a cold build gives, nothing left beside it."""
    site, cwd = world["site"], world["cwd"]
    parent = world["reference"].parent / "journal"
    out = parent / "build"
    make_site(site, version=1)
    finish(start(site, out, cwd))
    previous = digest(out)
    edit(site)
    reference = world["reference"] / "journal"
    finish(start(site, reference, cwd, "--no-cache"))
    expected = digest(reference)
    assert previous != expected

    for kind, at in (("_move", 0), ("_move", 5), ("_delete", 0), ("_delete", 7)):
        process = start(site, out, cwd, runner=("-c", KILLED_AT, kind, str(at)))
        _, err = process.communicate(timeout=180)
        assert process.returncode == -signal.SIGKILL, f"{kind} {at}: {err.decode()}"
        assert not (out / MARKER).exists() and (out / JOURNAL).exists(), (
            f"killed at {kind} {at}: the output must not say it is complete"
        )
        finish(start(site, out, cwd))
        assert digest(out) == expected, (
            f"killed at {kind} {at}: the next build must finish the journal"
        )
        assert siblings(parent, out) == [out.name], "the journal's temporary folder must be removed"
        # Back to the previous site for the next kill (itself a rebuild through the journal).
        make_site(site, version=1)
        finish(start(site, out, cwd))
        assert digest(out) == previous
        edit(site)
    assert list(cwd.iterdir()) == [], "the build wrote into its working folder"


def test_a_journal_that_cannot_be_finished_gives_a_whole_new_folder(tmp_path: Path) -> None:
    """If a killed rebuild's temporary folder is gone, its journal cannot be finished: the
    output is left marked incomplete, and the next build makes a whole new folder (nothing
    of the half-updated one is reused)."""
    import json

    from sitegen.build import build

    site, out = tmp_path / "site", tmp_path / "parent" / "build"
    make_site(site, version=1)
    build(site, out, today=TODAY)
    make_site(site, version=2)
    # As a rebuild killed after moving one file of a plan whose other files are lost.
    (out / "index.html").write_text("half")
    (out / MARKER).unlink()
    (out / JOURNAL).write_text(
        json.dumps(
            {
                "staging": str(tmp_path / "gone"),
                "moves": ["index.html", "fr/index.html"],
                "removes": [],
            }
        )
    )
    from sitegen.write import recover

    assert not recover(out) and not has_build(out)
    build(site, out, today=TODAY)
    cold = tmp_path / "cold"
    build(site, cold, today=TODAY, cache=False)
    assert digest(out) == digest(cold) and not (out / JOURNAL).exists()


def test_refuses_output_paths_outside_the_output_folder(tmp_path: Path) -> None:
    """The writer is the last line: whatever a URL bug makes of a path, it stays inside."""
    from sitegen.write import Writer

    writer = Writer(tmp_path / "build")
    try:
        for bad in ("../escape.html", "/etc/passwd", "fr/../../escape.html", "", "fr/../.."):
            with pytest.raises(ValueError, match="outside the output folder"):
                writer.write(bad, b"x")
    finally:
        writer.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == [], (
        "an aborted build leaves nothing behind"
    )


def test_the_staged_files_are_made_durable_before_the_journal_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A power cut after the journal is written must find its files complete: the file
    system is flushed while the staged files are all there and the journal is not yet."""
    from sitegen import write
    from sitegen.build import build

    site, out = tmp_path / "site", tmp_path / "build"
    make_site(site, version=1)
    build(site, out, today=TODAY)
    make_site(site, version=2)
    flushed: list[tuple[bool, int]] = []
    real = write._sync_files

    def sync(folder: Path) -> None:
        staged = [p for p in folder.rglob("*") if p.is_file()]
        flushed.append(((out / JOURNAL).exists(), len(staged)))
        real(folder)

    monkeypatch.setattr(write, "_sync_files", sync)
    build(site, out, today=TODAY)
    assert len(flushed) == 1 and flushed[0][0] is False and flushed[0][1] > 0
