"""Issue 11 in the browser: printing, sharing and the opt-in offline copy, as visitors meet them."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ONLINE = "https://integration.example.ch/"
OFFER = "fr/offres/brig-glis-deutsch-abend-a1/"
REGION = "fr/offres/region/haut-valais/"


@pytest.fixture(scope="module")
def sub_path_base(
    example_site: Path,
    static_server: Callable[[Path], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    """The site served under a sub-path of the host (/portal/valais/).

    There a service worker's scope is tested.
    """
    root = tmp_path_factory.mktemp("host")
    (root / "portal").mkdir()
    (root / "portal" / "valais").symlink_to(example_site, target_is_directory=True)
    return static_server(root) + "portal/valais/"


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return problems


@pytest.fixture
def context(chromium) -> Iterator[object]:  # type: ignore[no-untyped-def]
    ctx = chromium.new_context()
    yield ctx
    ctx.close()


def pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("url", [OFFER, REGION, "fr/offres/index.html", "de/angebote/index.html"])
def test_offer_and_listing_print_on_one_a4_page_with_a_qr_code_back_online(
    context, sub_path_base: str, url: str
) -> None:  # type: ignore[no-untyped-def]
    import zxingcpp
    from PIL import Image

    page = context.new_page()
    page.goto(sub_path_base + url + ("" if url.endswith(".html") else "index.html"))
    assert not page.locator(".print-qr").is_visible(), "the QR code is for paper only"
    assert pdf_pages(page.pdf(format="A4")) == 1
    page.emulate_media(media="print")
    for hidden in (".site-search", ".main-menu", ".share", "nav.languages"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is not printed"
    qr = page.locator(".print-qr svg")
    assert qr.is_visible()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert [code.text for code in found] == [canonical] and canonical.startswith(ONLINE)
    if url == OFFER:
        # Phone and e-mail are written out; links to other sites show their address after the text.
        facts = page.locator("dl.facts").inner_text()
        assert "+41 27 000 11 01" in facts and "deutsch-brig@example.ch" in facts
        after = page.locator("dl.facts a").first.evaluate(
            "a => getComputedStyle(a, '::after').content"
        )
        assert after == "none", "a link inside the site shows no address"
        website = page.get_by_role("link", name="Site internet")
        assert (
            website.is_visible()
            and website.evaluate("a => getComputedStyle(a, '::after').content")
            == '" (https://example.ch/brig/deutsch-a1)"'
        )
        assert not page.get_by_role("link", name="Appeler").is_visible(), (
            "no button; the number is written out"
        )


def test_share_button_uses_the_phones_share_sheet(context, sub_path_base: str) -> None:  # type: ignore[no-untyped-def]
    context.add_init_script(
        "navigator.share = d => { window.shared = d; return Promise.resolve(); };"
    )
    page = context.new_page()
    problems = watch(page)
    page.goto(sub_path_base + OFFER + "index.html")
    page.get_by_role("button", name="Partager").click()
    assert page.evaluate("window.shared") == {"title": "Allemand A1 du soir", "url": ONLINE + OFFER}
    assert problems == []


def test_share_button_copies_the_link_where_there_is_no_share_sheet(
    context, sub_path_base: str
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    context.add_init_script("delete Navigator.prototype.share; delete navigator.share;")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(sub_path_base + OFFER + "index.html")
    status = page.locator(".share [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    page.get_by_role("button", name="Copier le lien").click()
    # The clipboard answers asynchronously: the message comes when it has the link.
    expect(status).to_have_text("Lien copié")
    assert page.evaluate("navigator.clipboard.readText()") == ONLINE + OFFER


def test_without_javascript_the_share_links_remain_and_the_button_is_hidden(
    chromium, sub_path_base: str
) -> None:  # type: ignore[no-untyped-def]
    ctx = chromium.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(sub_path_base + OFFER + "index.html")
    share = page.get_by_role("complementary", name="Partager cette page")
    assert share.get_by_role("button").count() == 0
    assert (
        share.get_by_role("link", name="Envoyer par e-mail")
        .get_attribute("href")
        .startswith("mailto:?subject=")
    )
    assert (
        share.get_by_role("link", name="Envoyer avec WhatsApp")
        .get_attribute("href")
        .startswith("https://wa.me/?text=")
    )
    assert not page.get_by_role("region", name="Utiliser sans connexion").is_visible()
    ctx.close()


def stored(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate("""async () => ({caches: await caches.keys(),
        workers: (await navigator.serviceWorker.getRegistrations()).length})""")


def test_nothing_is_stored_until_the_visitor_opts_in(context, sub_path_base: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    problems = watch(page)
    for url in (REGION, OFFER, "fr/index.html"):
        page.goto(sub_path_base + url + ("" if url.endswith(".html") else "index.html"))
    page.goto(sub_path_base + REGION + "index.html")
    assert page.get_by_role("region", name="Utiliser sans connexion").is_visible()
    assert stored(page) == {"caches": [], "workers": 0}
    assert problems == []


def wait_kept(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """The worker stores a copy beside the page it shows: wait for it before cutting the network."""
    for _ in range(100):
        if page.evaluate("async url => (await caches.match(url)) !== undefined", url):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{url} was not kept")


def test_kept_pages_open_without_a_connection_and_can_be_deleted(
    context, sub_path_base: str
) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    problems = watch(page)
    page.goto(sub_path_base + REGION + "index.html")
    page.get_by_label("Garder les pages que je visite pour les lire sans connexion").check()
    status = page.locator(".offline [role=status]")
    status.filter(has_text="Les pages que vous ouvrez désormais").wait_for()
    page.goto(sub_path_base + OFFER + "index.html")
    assert stored(page)["workers"] == 1
    page.goto(sub_path_base + "fr/recherche/index.html?q=cours")
    page.wait_for_selector("#search-results .search-result a")
    online = page.locator("#search-status").inner_text()
    wait_kept(page, sub_path_base + OFFER + "index.html")
    wait_kept(page, page.url)
    context.set_offline(True)
    page.goto(sub_path_base + OFFER + "index.html")
    assert page.locator("h1").inner_text() == "Allemand A1 du soir"
    # The search page and its index were kept too: the same search works offline.
    page.goto(sub_path_base + "fr/recherche/index.html?q=cours")
    page.wait_for_selector("#search-results .search-result a")
    assert page.locator("#search-status").inner_text() == online
    page.goto(sub_path_base + REGION + "index.html")
    page.get_by_role("button", name="Effacer ce qui a été enregistré").click()
    status.filter(has_text="Tout ce qui était enregistré").wait_for()
    assert stored(page) == {"caches": [], "workers": 0}
    context.set_offline(False)
    assert problems == []


def test_a_saved_region_shows_its_size_first_then_opens_offline(
    context, sub_path_base: str
) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(sub_path_base + REGION + "index.html")
    page.get_by_role("button", name="Enregistrer cette région pour la lire sans connexion").click()
    size = page.locator("[data-offline-size]")
    size.filter(has_text="L'enregistrement de cette région télécharge").wait_for()
    assert stored(page) == {"caches": [], "workers": 0}, (
        "nothing is downloaded before the visitor confirms"
    )
    page.get_by_role("button", name="Télécharger").click()
    page.locator(".offline [role=status]").filter(has_text="Enregistré").wait_for()
    # Without "Keep pages I visit", a page of another region opened now is not kept.
    other = sub_path_base + "fr/offres/sion-conseil-integration/index.html"
    page.goto(other)
    context.set_offline(True)
    # An offer of the region that was never opened, and the list itself.
    page.goto(sub_path_base + "fr/offres/zermatt-deutsch-hotellerie-a1-a2/index.html")
    assert page.locator("h1").inner_text() == "Allemand pour l'hôtellerie"
    assert (
        page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
        == "rgb(0, 90, 156)"
    ), "with its stylesheet"
    kept = page.evaluate(
        "async url => [(await caches.match(url)) !== undefined, (await "
        "caches.match(location.href)) !== undefined]",
        other,
    )
    assert kept == [False, True], (
        "the page of another region was not stored; the region's pages were"
    )
    context.set_offline(False)


def test_from_a_folder_no_worker_and_no_error(context, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    problems = watch(page)
    page.goto((example_site / REGION / "index.html").as_uri())
    assert not page.get_by_role("region", name="Utiliser sans connexion").is_visible()
    page.goto((example_site / OFFER / "index.html").as_uri())
    assert (
        page.get_by_role("button", name="Copier le lien").is_visible()
        or page.get_by_role("button", name="Partager").is_visible()
    )
    assert problems == []
