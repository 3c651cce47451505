"""What the machine does to a site: permissions, symlinks, closed pipes (issue 17, items 4, 5, 7).

- An unreadable folder or file is an error naming it, never a silent fallback or a traceback.
  Tests run as root, where permissions do not bite: the build runs in a forked child that
  dropped its privileges to `nobody` (skipped only where that is impossible).
- The verdict of a build never depends on the cache: the no-change shortcut sees what a
  full build would refuse.
- `sitegen ... | head` ends quietly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import PAGE, TODAY, write_site

from sitegen.build import build
from sitegen.errors import ContentError

# -- unreadable folders and files ------------------------------------------------------------------


def _nobody() -> tuple[int, int] | None:
    try:
        import pwd

        entry = pwd.getpwnam("nobody")
    except (ImportError, KeyError):
        return None
    return entry.pw_uid, entry.pw_gid


# The child is forked from a fresh, single-threaded interpreter, never from pytest's: pytest's
# process runs threads (the browser tests' servers, Playwright), and a fork taken while one of
# them holds a lock hangs the child for ever. Everything a build imports is imported before the
# fork, as root: the interpreter's own files may be out of nobody's reach (under /root).
_AS_NOBODY = """
import os, sys
from pathlib import Path
import datetime as dt
from sitegen.build import build
from sitegen.cli import main, parser
site, uid, gid, today = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), \
dt.date.fromisoformat(sys.argv[4])
build(site, site.parent / "warm", today=today, cache=False)
parser()
pid = os.fork()
if pid == 0:
    code = 99
    try:
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        os.environ["XDG_CACHE_HOME"] = str(site.parent / "home")
        os.chdir(site)
        code = main(["build", "-q", "--no-cache", "--out", str(site.parent / "out" / "build"), \
"--today", today.isoformat()])
    except BaseException as exc:
        import traceback
        traceback.print_exception(exc)
    finally:
        sys.stderr.flush()
        os._exit(code)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""


def run_as_nobody(site: Path) -> tuple[int, str]:
    """(exit code, stderr) of `sitegen build` in `site`, run without root's privileges."""
    ids = _nobody()
    if os.geteuid() != 0 or ids is None or not hasattr(os, "fork"):
        pytest.skip("needs root (to drop to the user nobody) and fork")
    run = subprocess.run(
        [sys.executable, "-c", _AS_NOBODY, str(site), str(ids[0]), str(ids[1]), TODAY.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return run.returncode, run.stderr


@pytest.fixture
def shared_site() -> Iterator[Path]:
    """A site in a folder the user nobody may read (pytest's tmp_path is root's alone)."""
    base = Path(tempfile.mkdtemp(prefix="sitegen-perm-"))
    base.chmod(0o755)
    site = write_site(
        base / "site",
        {
            "content/fr/index.md": "---\ntitle: Accueil\n---\nVoir ![le plan](plan.png).\n",
            "content/fr/cours.md": PAGE.format(title="Cours"),
            "content/de/index.md": "---\ntitle: Start\n---\nHallo.\n",
            "content/de/kurse.md": PAGE.format(title="Kurse"),
        },
    )
    (site / "content/fr/plan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for path in [site, *site.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (base / "out").mkdir(mode=0o777)
    (base / "out").chmod(0o777)
    (base / "home").mkdir(mode=0o777)
    (base / "home").chmod(0o777)
    try:
        yield site
    finally:
        shutil.rmtree(base)


def test_the_site_builds_as_nobody(shared_site: Path) -> None:
    """The control: without the unreadable files below, the same run succeeds."""
    code, err = run_as_nobody(shared_site)
    assert (code, err) == (0, "")


def test_an_unreadable_language_folder_is_an_error_not_a_fallback(shared_site: Path) -> None:
    (shared_site / "content/de").chmod(0o000)
    code, err = run_as_nobody(shared_site)
    assert "Traceback" not in err, err
    assert code == 1
    assert err.splitlines() == [
        "content/de: this folder cannot be read (Permission denied); its files would be missing "
        "from the site (give your user the right to read it (chmod u+rx), or move its "
        "files elsewhere)",
        f"Build failed: 1 error(s). Nothing was written; {shared_site.parent}/out/build "
        "is unchanged.",
    ]


def test_an_unreadable_image_is_an_error_not_a_traceback(shared_site: Path) -> None:
    (shared_site / "content/fr/plan.png").chmod(0o000)
    code, err = run_as_nobody(shared_site)
    assert "Traceback" not in err, err
    assert code == 1
    assert err.splitlines()[0] == (
        "content/fr/plan.png: the file cannot be read (Permission denied) "
        "(check that it is not locked or protected)"
    )
    assert len(err.splitlines()) == 2, "the image's link is not also reported as missing"


def test_a_folder_listed_but_not_entered_names_its_files(shared_site: Path) -> None:
    """A folder with 'r' but not 'x': its names are known, its files cannot be opened."""
    (shared_site / "content/de").chmod(0o644)
    code, err = run_as_nobody(shared_site)
    assert "Traceback" not in err, err
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/de/index.md: the file cannot be read (Permission denied) (check that it is not "
        "locked or protected)",
        "content/de/kurse.md: the file cannot be read (Permission denied) (check that it is not "
        "locked or protected)",
    ]


def test_an_unreadable_content_folder_is_an_error(shared_site: Path) -> None:
    (shared_site / "content").chmod(0o000)
    code, err = run_as_nobody(shared_site)
    assert "Traceback" not in err, err
    assert code == 1
    assert err.splitlines()[0].startswith("content: this folder cannot be read (Permission denied)")


def test_an_image_that_becomes_unreadable_while_building_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked readable, then unreadable when the writer copies it (simulated at the copy)."""
    import sitegen.write

    site = write_site(
        tmp_path / "site",
        {"content/fr/index.md": "---\ntitle: Accueil\n---\n![Le plan](plan.png)\n"},
    )
    (site / "content/fr/plan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    real = sitegen.write.shutil.copyfile

    def copyfile(source: Path, target: Path) -> object:
        if Path(source).name == "plan.png":
            raise PermissionError(13, "Permission denied", str(source))
        return real(source, target)

    monkeypatch.setattr(sitegen.write.shutil, "copyfile", copyfile)
    with pytest.raises(ContentError) as info:
        build(site, tmp_path / "out", today=TODAY, cache=False)
    assert [d.format() for d in info.value.diagnostics] == [
        "content/fr/plan.png: the file cannot be read (Permission denied) (check that it is not "
        "locked or protected)"
    ]
    assert not (tmp_path / "out").exists()


# -- the cache never changes the verdict --------------------------------------------------------


def _verdict(site: Path, out: Path, cache: bool) -> list[str]:
    try:
        result = build(site, out, today=TODAY, cache=cache)
    except ContentError as exc:
        return [d.format() for d in exc.diagnostics]
    return ["ok", *(d.format() for d in result.warnings)]


@pytest.mark.parametrize(
    "change",
    ["symlinked folder outside", "site.yaml replaced by a symlink", "symlinked page outside"],
)
def test_the_no_change_shortcut_gives_the_full_builds_verdict(tmp_path: Path, change: str) -> None:
    site = write_site(tmp_path / "site", {"content/fr/index.md": PAGE.format(title="Accueil")})
    out = tmp_path / "out"
    assert _verdict(site, out, cache=True) == ["ok"]
    outside = tmp_path / "outside"
    outside.mkdir()
    if change == "symlinked folder outside":
        (outside / "plan.png").write_bytes(b"\x89PNG\r\n")
        (site / "content/fr/images").symlink_to(outside, target_is_directory=True)
    elif change == "site.yaml replaced by a symlink":
        shutil.move(site / "site.yaml", outside / "site.yaml")
        (site / "site.yaml").symlink_to(outside / "site.yaml")
    else:
        shutil.move(site / "content/fr/index.md", outside / "index.md")
        (site / "content/fr/index.md").symlink_to(outside / "index.md")
    cached = _verdict(site, out, cache=True)
    cold = _verdict(site, out, cache=False)
    assert cached == cold
    assert any("this link points outside the site folder" in line for line in cold), cold


# -- a reader that goes away ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["check", "--format", "json"], ["check"], ["status", "--format", "json"], ["build"]]
)
def test_a_closed_pipe_ends_quietly(tmp_path: Path, args: list[str]) -> None:
    # A site without errors: every command then writes to stdout, the closed pipe.
    site = write_site(
        tmp_path / "site",
        {
            "content/fr/index.md": "---\ntitle: Accueil\n---\n[Cours](cours.md)\n",
            "content/fr/cours.md": PAGE.format(title="Cours"),
        },
    )
    read, write = os.pipe()
    os.close(read)  # like `| head` that has already exited: the first write fails
    try:
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", *args, "--today", TODAY.isoformat()],
            cwd=site,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 1, "the output was lost: not a success"
