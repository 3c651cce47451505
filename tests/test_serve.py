"""The dev server: what it serves, what it refuses, and that it serves on through errors and load.

Every server binds 127.0.0.1 on a free port; every network wait has a timeout.
"""

from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import TODAY, write_site

from sitegen.cli import main
from sitegen.serve import DevServer
from sitegen.serve.http import inject, resolve_path
from sitegen.serve.watch import snapshot

PAGES = {
    "content/fr/index.md": "---\ntitle: Accueil\n---\nVoir le [guide](guide.md).\n",
    "content/fr/guide.md": "---\n"
    "title: Guide\n"
    "---\n"
    "Première version.\n"
    "\n"
    "[Le guide complet](guide.pdf)\n",
    "content/de/index.md": "---\ntitle: Startseite\n---\nWillkommen.\n",
}
BIG = 3 * 1024 * 1024  # larger than the socket buffers: a client can leave in the middle of it


def make_site(root: Path) -> Path:
    site = write_site(root, PAGES)
    (site / "content/fr/guide.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * BIG)
    return site


def wait_until(condition, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False


def request(
    server: DevServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def first_event(server: DevServer) -> dict:  # type: ignore[type-arg]
    """The state the event stream sends on connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /_sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        while b"\ndata: " not in data or not data.split(b"\ndata: ", 1)[1].count(b"\n"):
            chunk = sock.recv(65536)
            assert chunk, "the event stream closed"
            data += chunk
    return json.loads(data.split(b"\ndata: ", 1)[1].split(b"\n", 1)[0])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """One server for the read-only tests."""
    site = make_site(tmp_path_factory.mktemp("serve") / "site")
    with DevServer(site, site / "build", "127.0.0.1", 0, today=TODAY, poll=0.05) as server:
        yield server


@pytest.fixture
def live(tmp_path: Path) -> Iterator[DevServer]:
    """A server of its own, for tests that edit the site."""
    site = make_site(tmp_path / "site")
    with DevServer(site, site / "build", "127.0.0.1", 0, today=TODAY, poll=0.02) as server:
        yield server


# -- mapping paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/site.yaml",
        "/fr/..%2f..%2fsite.yaml",
        "/fr/%2e%2e/%2e%2e/site.yaml",
        "/..%5csite.yaml",
        "/fr/%00",
        "/./index.html",
        "fr/index.html",
        "/fr/%ff%fe",
    ],
)
def test_traversal_is_refused(tmp_path: Path, target: str) -> None:
    (tmp_path / "build").mkdir()
    assert resolve_path(tmp_path / "build", target).kind == "bad"


def test_paths_map_into_the_folder_only(tmp_path: Path) -> None:
    root = tmp_path / "build"
    (root / "fr").mkdir(parents=True)
    (root / "fr" / "index.html").write_text("x")
    (root / "assets").mkdir()
    (root / ".sitegen-build").write_text("marker")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "fr" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    assert resolve_path(root, "/fr/").path == root.resolve() / "fr" / "index.html"
    assert resolve_path(root, "/fr?x=1").location == "/fr/?x=1"
    assert (
        resolve_path(root, "/assets/").kind == "missing"
    )  # a folder without index.html is never listed
    assert resolve_path(root, "/.sitegen-build").kind == "missing"
    assert resolve_path(root, "/fr/leak.txt").kind == "missing"  # a symlink out of the folder
    assert (
        resolve_path(root, "/%252e%252e/secret.txt").kind == "missing"
    )  # decoded once: a file named %2e%2e
    assert resolve_path(root, "//etc/passwd").kind == "missing"


def test_script_goes_before_head_end() -> None:
    assert inject(b"<html><head><title>x</title></head><body></body></html>", "g1") == (
        b'<html><head><title>x</title><script src="/_sitegen/livereload-overlay.js?g=g1" '
        b"defer></script></head><body></body></html>"
    )


def test_watcher_ignores_output_and_editor_files(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "content/fr/index.md": "---\ntitle: A\n---\n",
            "content/fr/.index.md.swp": "",
            "content/fr/index.md~": "",
        },
    )
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text("x")
    assert sorted(snapshot(site, site / "content" / "fr")) == ["site.yaml", "templates/page.html"]
    assert sorted(snapshot(site, site / "build")) == [
        "content/fr/index.md",
        "site.yaml",
        "templates/page.html",
    ]


# -- the running server ----------------------------------------------------------------------------


def test_pages_get_the_script_but_files_on_disk_do_not(served: DevServer) -> None:
    status, headers, body = request(served, "/fr/guide/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert (
        b'<script src="/_sitegen/livereload-overlay.js?g=' in body
        and "Premi\u00e8re version".encode() in body
    )
    assert b"_sitegen" not in (served.out_dir / "fr" / "guide" / "index.html").read_bytes()
    status, headers, body = request(served, "/_sitegen/livereload-overlay.js")
    assert status == 200 and "javascript" in headers["content-type"] and b"EventSource" in body


def test_folders_redirect_and_are_never_listed(served: DevServer) -> None:
    status, headers, _ = request(served, "/fr")
    assert (status, headers["location"]) == (301, "/fr/")
    status, _, body = request(served, "/assets/")
    assert status == 404 and b'href="site.css"' not in body


@pytest.mark.parametrize(
    "target",
    [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/fr/..%2f..%2fsite.yaml",
        "/..%5csite.yaml",
        "/fr/%2e%2e/%2e%2e/content/fr/index.md",
    ],
)
def test_server_refuses_traversal(served: DevServer, target: str) -> None:
    status, _, body = request(served, target)
    assert status == 400
    assert b"base_url" not in body and b"title:" not in body


def test_only_get_and_head(served: DevServer) -> None:
    assert request(served, "/fr/", "POST")[0] == 501
    status, headers, body = request(served, "/fr/", "HEAD")
    assert (status, body) == (200, b"") and int(headers["content-length"]) > 0


def test_other_host_names_are_refused_on_loopback(served: DevServer) -> None:
    # DNS rebinding: a page elsewhere points its own name at 127.0.0.1.
    assert request(served, "/fr/", headers={"Host": "attacker.example"})[0] == 403
    assert request(served, "/fr/", headers={"Host": f"localhost:{served.port}"})[0] == 200


def test_missing_pages_get_the_404_page(served: DevServer) -> None:
    status, _, body = request(served, "/fr/nowhere/")
    assert status == 404 and b"_sitegen/livereload-overlay.js" in body


def _leave_mid_response(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /fr/guide.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.recv(4096)
        # Close with a reset (linger 0), as a browser tab killed in the middle does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_survives_200_concurrent_requests_and_clients_that_leave(served: DevServer) -> None:
    silent = socket.create_connection(
        ("127.0.0.1", served.port), timeout=10
    )  # connects and never asks
    try:
        barrier = threading.Barrier(200, timeout=20)

        def one(index: int) -> int:
            barrier.wait()
            if index % 20 == 0:
                _leave_mid_response(served.port)
                return 200
            return request(served, "/fr/guide/" if index % 2 else "/assets/site.css")[0]

        with ThreadPoolExecutor(max_workers=200) as pool:
            statuses = list(pool.map(one, range(200), timeout=60))
        assert statuses == [200] * 200
        status, _, body = request(served, "/fr/guide.pdf")
        assert status == 200 and len(body) == BIG + 9
    finally:
        silent.close()


def test_a_content_error_keeps_the_last_good_site(live: DevServer) -> None:
    guide = live.site_dir / "content/fr/guide.md"
    good = first_event(live)
    assert good["errors"] == []
    guide.write_text(
        "---\ntitle: Guide\n---\nDeuxième version, avec un [lien cassé](perdu.md).\n",
        encoding="utf-8",
    )
    outcome = live.rebuild()
    assert not outcome.ok
    state = first_event(live)
    assert state["generation"] == good["generation"]
    assert [(e["path"], e["line"], e["message"]) for e in state["errors"]] == [
        ("content/fr/guide.md", 4, "link to a page that does not exist: perdu.md")
    ]
    status, _, body = request(live, "/fr/guide/")
    assert (
        status == 200 and "Premi\u00e8re version".encode() in body
    )  # the last good build, still served
    guide.write_text("---\ntitle: Guide\n---\nTroisième version.\n", encoding="utf-8")
    assert live.rebuild().ok
    fixed = first_event(live)
    assert fixed["errors"] == [] and fixed["generation"] != good["generation"]
    assert "Troisi\u00e8me version".encode() in request(live, "/fr/guide/")[2]


@pytest.mark.parametrize("poll", [0.02, None], ids=["polling", "file-events"])
def test_saving_a_file_rebuilds(tmp_path: Path, poll: float | None) -> None:
    if poll is None:
        pytest.importorskip("watchfiles")
    site = make_site(tmp_path / "site")
    with DevServer(site, site / "build", "127.0.0.1", 0, today=TODAY, poll=poll) as live:
        before = first_event(live)["generation"]
        time.sleep(0.1)  # the watcher starts in the background
        (site / "content/fr/guide.md").write_text(
            "---\ntitle: Guide\n---\nVersion enregistrée.\n", encoding="utf-8"
        )
        assert wait_until(
            lambda: "Version enregistr\u00e9e".encode() in request(live, "/fr/guide/")[2]
        )
        assert wait_until(lambda: first_event(live)["generation"] != before)
        # The search index follows the page: a search for the new word finds it.
        index = site / "build/assets/search/fr"
        assert wait_until(lambda: any(b"enregistr" in p.read_bytes() for p in index.glob("*.js")))
        # site.yaml is watched too, also when an editor replaces the file instead of rewriting it.
        replaced = site / "site.yaml.new"
        replaced.write_text(
            (site / "site.yaml")
            .read_text(encoding="utf-8")
            .replace('"Portail"', '"Portail modifié"'),
            encoding="utf-8",
        )
        replaced.replace(site / "site.yaml")
        assert wait_until(lambda: "Portail modifi\u00e9".encode() in request(live, "/fr/guide/")[2])


def test_a_restart_reads_the_unchanged_site_before_the_first_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Restarted on an unchanged site, serve's first build answers from the cache without
    reading anything; it reads the site in the background, so the first save is as quick as
    the next ones (it reads only the saved file) and nobody's browser reloads meanwhile."""
    import sitegen.build

    site = make_site(tmp_path / "site")
    with DevServer(site, site / "build", "127.0.0.1", 0, today=TODAY, poll=0.02):
        pass
    with DevServer(site, site / "build", "127.0.0.1", 0, today=TODAY, poll=0.02) as live:
        generation = first_event(live)["generation"]
        assert live.warm.wait(30)
        assert first_event(live)["generation"] == generation
        read_all = []
        monkeypatch.setattr(
            sitegen.build, "load", lambda *args, **kwargs: read_all.append(args) or 1 / 0
        )
        (site / "content/fr/guide.md").write_text(
            "---\ntitle: Guide\n---\nVite enregistrée.\n", encoding="utf-8"
        )
        assert wait_until(
            lambda: "Vite enregistr\u00e9e".encode() in request(live, "/fr/guide/")[2]
        )
        index = site / "build/assets/search/fr"
        assert wait_until(lambda: any(b"enregistr" in p.read_bytes() for p in index.glob("*.js")))
        assert read_all == []


def test_first_build_failing_still_serves(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site", {"content/fr/index.md": "---\ntitle: Accueil\n"}
    )  # front matter not closed
    with DevServer(site, site / "build", "127.0.0.1", 0, today=TODAY, poll=0.02) as server:
        assert first_event(server)["errors"][0]["path"] == "content/fr/index.md"
        status, _, body = request(server, "/fr/")
        assert status == 404 and b"_sitegen/livereload-overlay.js" in body
        (site / "content/fr/index.md").write_text(
            "---\ntitle: Accueil\n---\nEnfin.\n", encoding="utf-8"
        )
        assert wait_until(lambda: request(server, "/fr/")[0] == 200)


def test_port_in_use_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", PAGES)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--source", str(site), "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_refuses_an_output_folder_it_did_not_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", PAGES)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.odt").write_text("not a build")
    assert (
        main(["serve", "--source", str(site), "--port", "0", "--out", str(tmp_path / "mine")]) == 2
    )
    assert "was not made by sitegen" in capsys.readouterr().err
    assert (tmp_path / "mine" / "thesis.odt").read_text() == "not a build"
