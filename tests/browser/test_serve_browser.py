"""The dev server in a real browser (headless Debian Chromium): an editor saves, breaks and fixes a page.

The browser is the session's (`chromium` in conftest.py): one Playwright per process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TODAY, write_site

from sitegen.serve import DevServer

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:
    pytest.skip("playwright is not installed (pip install playwright; no browser download needed)", allow_module_level=True)

GUIDE = "content/fr/guide.md"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevServer]:
    site = write_site(tmp_path / "site", {
        "content/fr/index.md": "---\ntitle: Accueil\n---\nLe [guide](guide.md).\n",
        GUIDE: "---\ntitle: Guide\n---\nPremière version.\n",
        "content/fr/autre.md": "---\ntitle: Autre\n---\nUne autre page, liée depuis le [guide](guide.md).\n",
    })
    with DevServer(site, site / "build", "127.0.0.1", 0, today=TODAY, poll=0.02) as server:
        yield server


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    page = context.new_page()
    problems: list[str] = []
    # A CSP violation or a script error would mean the overlay cannot work on the real site.
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "404" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    context.close()
    assert problems == []


def test_save_reloads_break_shows_overlay_fix_hides_it(server: DevServer, page: Page) -> None:
    guide = server.site_dir / GUIDE
    page.goto(server.url + "fr/guide/")
    expect(page.locator("main")).to_contain_text("Première version")
    page.wait_for_selector("html[data-sitegen-live]", state="attached")  # listening to the server

    guide.write_text("---\ntitle: Guide\n---\nDeuxième version.\n", encoding="utf-8")
    expect(page.locator("main")).to_contain_text("Deuxième version", timeout=10_000)

    # Front matter that is never closed: an error on line 1; the last good page stays underneath.
    guide.write_text("---\ntitle: Guide\nDeuxième version, cassée.\n", encoding="utf-8")
    overlay = page.locator("#sitegen-overlay")
    expect(overlay).to_be_visible(timeout=10_000)
    expect(overlay).to_contain_text("content/fr/guide.md:1")
    expect(overlay).to_contain_text("the front matter is not closed")
    expect(overlay).to_contain_text("Le site contient des erreurs")  # in the page's language
    expect(page.locator("main")).to_contain_text("Deuxième version")

    guide.write_text("---\ntitle: Guide\n---\nTroisième version.\n", encoding="utf-8")
    expect(overlay).to_have_count(0, timeout=10_000)
    expect(page.locator("main")).to_contain_text("Troisième version")
    assert b"_sitegen" not in (server.out_dir / "fr" / "guide" / "index.html").read_bytes()


def test_overlay_shows_on_pages_opened_while_broken(server: DevServer, page: Page) -> None:
    (server.site_dir / GUIDE).write_text("---\ntitle: Guide\n---\nUn [lien](perdu.md).\n", encoding="utf-8")
    assert not server.rebuild().ok
    page.goto(server.url + "fr/autre/")
    expect(page.locator("#sitegen-overlay")).to_contain_text("content/fr/guide.md:4")
    expect(page.locator("#sitegen-overlay")).to_contain_text("link to a page that does not exist: perdu.md")
    page.get_by_role("button", name="Masquer").click()
    expect(page.locator("#sitegen-overlay")).to_have_count(0)
