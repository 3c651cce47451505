"""The dev server in a real browser (headless Debian Chromium).

An editor saves, breaks and fixes a page.

A save that changes only the shown page's HTML updates it in place (no navigation: scroll
position, focus and the page's JavaScript state survive); anything else reloads it. The
tests tell the two apart with a variable set on `window` before the save: a navigation
drops it.

The browser is the session's (`chromium` in conftest.py): one Playwright per process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TODAY, write_site

import sitegen
from sitegen.serve import DevServer

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
try:
    from playwright.sync_api import Browser, Page, Route, expect
except ImportError:
    pytest.skip(
        "playwright is not installed (pip install playwright; no browser download needed)",
        allow_module_level=True,
    )

GUIDE = "content/fr/guide.md"
# Taller than the window (1280 x 720), so that a scroll position can be kept or lost.
LONG = "".join(
    f"Paragraphe {n} du guide, assez long pour prendre une ligne.\n\n" for n in range(80)
)
# A 1 x 1 PNG: an image beside the page, which the page shows.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101005c2d5e0b0000000049454e44ae426082"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevServer]:
    site = write_site(
        tmp_path / "site",
        {
            "content/fr/index.md": "---\ntitle: Accueil\n---\nLe [guide](guide.md).\n",
            GUIDE: "---\ntitle: Guide\n---\nPremière version.\n",
            "content/fr/autre.md": "---\n"
            "title: Autre\n"
            "---\n"
            "Une autre page, liée depuis le [guide](guide.md).\n",
        },
    )
    with DevServer(site, site / "build", "127.0.0.1", 0, today=TODAY, poll=0.02) as server:
        yield server


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    page = context.new_page()
    problems: list[str] = []
    # A CSP violation or a script error would mean the overlay cannot work on the real site.
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "404" not in m.text else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    context.close()
    assert problems == []


def test_save_shows_change_break_shows_overlay_fix_hides_it(server: DevServer, page: Page) -> None:
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
    (server.site_dir / GUIDE).write_text(
        "---\ntitle: Guide\n---\nUn [lien](perdu.md).\n", encoding="utf-8"
    )
    assert not server.rebuild().ok
    page.goto(server.url + "fr/autre/")
    expect(page.locator("#sitegen-overlay")).to_contain_text("content/fr/guide.md:4")
    expect(page.locator("#sitegen-overlay")).to_contain_text(
        "link to a page that does not exist: perdu.md"
    )
    page.get_by_role("button", name="Masquer").click()
    expect(page.locator("#sitegen-overlay")).to_have_count(0)


def _open_listening(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html[data-sitegen-live]", state="attached")
    page.evaluate("window.__marker = 1")  # gone after a navigation, kept by an update in place


def _marker(page: Page) -> object:
    return page.evaluate("window.__marker")


def test_save_updates_the_page_in_place(server: DevServer, page: Page) -> None:
    guide = server.site_dir / GUIDE
    guide.write_text("---\ntitle: Guide\n---\nPremière version.\n\n" + LONG, encoding="utf-8")
    assert server.rebuild().ok
    _open_listening(page, server.url + "fr/guide/")
    page.evaluate("window.scrollTo(0, 900)")
    page.locator("#main").focus()  # the skip link's target: a keyboard user's place in the page
    live = page.evaluate("document.documentElement.dataset.sitegenLive")

    guide.write_text(
        "---\ntitle: Guide révisé\n---\nDeuxième version.\n\n" + LONG, encoding="utf-8"
    )
    expect(page.locator("main")).to_contain_text("Deuxième version", timeout=10_000)
    page.wait_for_selector("html[data-sitegen-live]", state="attached")
    assert _marker(page) == 1, "the page was reloaded instead of updated in place"
    assert page.evaluate("window.scrollY") == 900
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.title().startswith("Guide révisé")
    assert page.evaluate("document.documentElement.dataset.sitegenLive") != live
    assert page.locator("script[src*='livereload-overlay.js']").count() == 1

    # The generation read from the new page matches the next build's `previous`: a second
    # save is an update in place too, not a reload for lack of history.
    guide.write_text(
        "---\ntitle: Guide révisé\n---\nTroisième version.\n\n" + LONG, encoding="utf-8"
    )
    expect(page.locator("main")).to_contain_text("Troisième version", timeout=10_000)
    assert _marker(page) == 1
    assert page.evaluate("window.scrollY") == 900

    # A save of another page leaves this one alone.
    (server.site_dir / "content/fr/autre.md").write_text(
        "---\ntitle: Autre\n---\nAutre texte.\n", encoding="utf-8"
    )
    page.wait_for_function(
        "(live) => document.documentElement.dataset.sitegenLive !== live",
        arg=page.evaluate("document.documentElement.dataset.sitegenLive"),
        timeout=10_000,
    )
    assert _marker(page) == 1
    expect(page.locator("main")).to_contain_text("Troisième version")


def test_page_scripts_run_again_after_an_update_in_place(server: DevServer, page: Page) -> None:
    _open_listening(page, server.url + "fr/guide/")
    (server.site_dir / GUIDE).write_text(
        "---\ntitle: Guide\n---\nDeuxième version.\n", encoding="utf-8"
    )
    expect(page.locator("main")).to_contain_text("Deuxième version", timeout=10_000)
    assert _marker(page) == 1

    # search-loader.js wired the old search box; the new box must load the search engine, once.
    page.locator("#site-search-q").focus()
    page.wait_for_function("() => window.sitegenSearch !== undefined", timeout=10_000)
    assert page.locator("head script[src$='assets/search.js']").count() == 1

    # The engine added a script to the head: the page is no longer what a load of its file
    # gives, so the next save reloads it.
    (server.site_dir / GUIDE).write_text(
        "---\ntitle: Guide\n---\nTroisième version.\n", encoding="utf-8"
    )
    expect(page.locator("main")).to_contain_text("Troisième version", timeout=10_000)
    assert _marker(page) is None


def test_template_change_in_the_head_reloads(server: DevServer, page: Page) -> None:
    _open_listening(page, server.url + "fr/guide/")
    base = (Path(sitegen.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")
    assert "</head>" in base
    templates = server.site_dir / "templates"
    templates.mkdir()
    (templates / "base.html").write_text(
        base.replace("</head>", '<meta name="theme-color" content="#123456">\n</head>'),
        encoding="utf-8",
    )
    page.wait_for_selector(
        "meta[name=theme-color][content='#123456']", state="attached", timeout=10_000
    )
    page.wait_for_selector("html[data-sitegen-live]", state="attached")
    assert _marker(page) is None, "a new <head> was not loaded by a full reload"


def test_image_change_reloads(server: DevServer, page: Page) -> None:
    (server.site_dir / "content/fr/pixel.png").write_bytes(PIXEL)
    (server.site_dir / GUIDE).write_text(
        "---\ntitle: Guide\n---\n![Un point](pixel.png)\n", encoding="utf-8"
    )
    assert server.rebuild().ok
    _open_listening(page, server.url + "fr/guide/")
    expect(page.locator("main img")).to_have_count(1)

    # The browser keeps a shown image for the life of the page: only a new page shows the new one.
    (server.site_dir / "content/fr/pixel.png").write_bytes(PIXEL + b"\0")
    page.wait_for_function("() => window.__marker === undefined", timeout=10_000)
    page.wait_for_selector("html[data-sitegen-live]", state="attached")


def test_an_unusable_answer_falls_back_to_a_reload(server: DevServer, page: Page) -> None:
    _open_listening(page, server.url + "fr/guide/")
    kinds: list[str] = []

    def not_a_page_once(route: Route) -> None:
        kinds.append(route.request.resource_type)
        if len(kinds) == 1:
            route.fulfill(
                status=200, content_type="text/plain", body="Deuxième version, mais pas une page."
            )
        else:
            route.continue_()

    page.route("**/fr/guide/", not_a_page_once)
    (server.site_dir / GUIDE).write_text(
        "---\ntitle: Guide\n---\nDeuxième version.\n", encoding="utf-8"
    )
    expect(page.locator("main")).to_contain_text("Deuxième version", timeout=10_000)
    assert kinds[:2] == ["fetch", "document"]  # the script asked first, then the browser reloaded
    assert _marker(page) is None
