"""However the site folder is given, every command names files the same way (issue 13, item 1).

Each command runs in a subprocess, the way an editor types it: from inside the site folder
without --source (the README's usage), from a sub-folder (the site folder is found upwards,
like git finds its repository), with --source ".", "./", a relative, an absolute path and a
path through a symlink. Paths in every message stay relative to the site folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import TODAY, write_site

BROKEN = {
    "content/fr/index.md": "---\n"
    "title: Accueil\n"
    "menu: main\n"
    "---\n"
    "Voir [le logement](vivre/logement.md).\n",
    "content/fr/vivre/index.md": "---\ntitle: Vivre\n---\nVoir [les cours](../cours.md).\n",
    "content/offers/cours.yaml": (
        "- id: sion-a1\n  kind: course\n  region: valais-central\n"
        '  title: {fr: "Cours A1"}\n  price_chf: gratuit\n'
        "  reviewed: 2026-10-01\n"
    ),
}
LINK_ERROR = (
    "content/fr/index.md:5: link to a page that does not exist: vivre/logement.md "
    "(check the file name, or create the page)"
)
OFFER_ERROR = (
    "content/offers/cours.yaml:5: 'price_chf' must be a number of francs (0 = free), not 'gratuit' "
    "(write price_chf: 120)"
)

# name -> (working folder relative to the case folder, --source or None)
FORMS = {
    "inside, no --source": ("site", None),
    "sub-folder, no --source": ("site/content/fr", None),
    "--source .": ("site", "."),
    "--source ./": ("site", "./"),
    "relative --source": (".", "site"),
    "--source ..": ("site/content", ".."),
    "absolute --source": (".", "{abs}"),
    "--source through a symlink": (".", "{link}"),
    "inside a symlinked folder": ("link", None),
}


def _case(root: Path, files: dict[str, str]) -> Path:
    site = write_site(root / "site", files)
    (root / "link").symlink_to(site, target_is_directory=True)
    return root


def sitegen(root: Path, form: str, *args: str) -> subprocess.CompletedProcess[str]:
    cwd, source = FORMS[form]
    extra = (
        [] if source is None else ["--source", source.format(abs=root / "site", link=root / "link")]
    )
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args, *extra, "--today", TODAY.isoformat()],
        cwd=root / cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _case(tmp_path_factory.mktemp("broken"), BROKEN)


@pytest.mark.parametrize("form", FORMS)
def test_build_names_every_file_from_the_site_folder(
    broken: Path, form: str, tmp_path: Path
) -> None:
    done = sitegen(broken, form, "build", "-q", "--out", str(tmp_path / "out"))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    *lines, last = done.stderr.replace(str(tmp_path / "out"), "<out>").splitlines()
    assert LINK_ERROR in lines and OFFER_ERROR in lines
    assert all(line.startswith("content/") for line in lines), lines
    assert last.startswith("Build failed: ") and last.endswith(
        "Nothing was written; <out> is unchanged."
    )


@pytest.mark.parametrize("form", FORMS)
def test_check_text_and_json_name_every_file_from_the_site_folder(broken: Path, form: str) -> None:
    text = sitegen(broken, form, "check")
    assert text.returncode == 1 and "Traceback" not in text.stderr + text.stdout, text.stderr
    assert LINK_ERROR in text.stdout.splitlines() and OFFER_ERROR in text.stdout.splitlines()
    data = json.loads(sitegen(broken, form, "check", "--format", "json").stdout)
    texts = [d["text"] for d in data["diagnostics"]]
    assert LINK_ERROR in texts and OFFER_ERROR in texts
    assert all(d["path"].startswith("content/") for d in data["diagnostics"]), texts
    reference = json.loads(sitegen(broken, "absolute --source", "check", "--format", "json").stdout)
    assert data == reference


@pytest.mark.parametrize("form", FORMS)
def test_status_names_every_file_from_the_site_folder(tmp_path: Path, form: str) -> None:
    root = _case(
        tmp_path,
        {
            "content/fr/index.md": "---\ntitle: Accueil\n---\nBonjour.\n",
            "content/de/index.md": "---\ntitle: Start\n---\nHallo.\n",
        },
    )
    done = sitegen(root, form, "status", "--format", "json", "--no-git")
    assert done.returncode == 0, done.stderr
    cells = json.loads(done.stdout)["pages"][0]["languages"]
    assert {lang: cell["path"] for lang, cell in cells.items()} == {
        "fr": "content/fr/index.md",
        "de": "content/de/index.md",
        "en": "content/en/index.md",
    }
    table = sitegen(root, form, "status")
    assert table.returncode == 0 and table.stdout.splitlines()[1].startswith("index.md "), (
        table.stdout
    )


def test_status_of_a_broken_site_names_its_files(broken: Path) -> None:
    done = sitegen(broken, "sub-folder, no --source", "status")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert OFFER_ERROR in done.stderr.splitlines()


@pytest.mark.parametrize(
    "form",
    ["inside, no --source", "sub-folder, no --source", "--source ./", "--source through a symlink"],
)
def test_serve_overlay_names_every_file_from_the_site_folder(tmp_path: Path, form: str) -> None:
    import socket

    root = _case(tmp_path, BROKEN)
    cwd, source = FORMS[form]
    extra = (
        [] if source is None else ["--source", source.format(abs=root / "site", link=root / "link")]
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sitegen",
            "serve",
            "--port",
            "0",
            "--today",
            TODAY.isoformat(),
            *extra,
        ],
        cwd=root / cwd,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = None
        deadline = time.monotonic() + 60
        log = []
        while port is None and time.monotonic() < deadline:
            line = server.stderr.readline()  # type: ignore[union-attr]
            assert line, "".join(log)
            log.append(line)
            if " at http://127.0.0.1:" in line:
                port = int(line.split(" at http://127.0.0.1:", 1)[1].split("/")[0].split()[0])
        assert port is not None, "".join(log)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"GET /_sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            data = b""
            while b"\ndata: " not in data or not data.split(b"\ndata: ", 1)[1].count(b"\n"):
                chunk = sock.recv(65536)
                assert chunk, "the event stream closed"
                data += chunk
        state = json.loads(data.split(b"\ndata: ", 1)[1].split(b"\n", 1)[0])
        texts = [e["text"] for e in state["errors"]]
        assert OFFER_ERROR in texts and LINK_ERROR in texts
        assert all(e["path"].startswith("content/") for e in state["errors"]), texts
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()


def test_outside_any_site_the_command_says_how_to_give_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"sitegen: no site.yaml in {tmp_path} or any folder above it")
    assert "give --source DIR" in done.stderr


def test_sub_folder_builds_into_the_site_folder(tmp_path: Path) -> None:
    """From content/fr/, `sitegen build` builds the site above, into its own build/ folder."""
    root = _case(tmp_path, {"content/fr/index.md": "---\ntitle: Accueil\n---\nBonjour.\n"})
    done = sitegen(root, "sub-folder, no --source", "build", "-q")
    assert done.returncode == 0, done.stderr
    assert (root / "site/build/fr/index.html").is_file()
    assert not (root / "site/content/fr/build").exists()
    assert os.listdir(root / "site/content/fr") == ["index.md"]
