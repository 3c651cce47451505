"""Search as a visitor uses it (issue 3): headless Debian Chromium on the built example site,
served over http://127.0.0.1 and opened from file:// without a server. The browser, the
server and the built site are the session's (tests/conftest.py, tests/browser/conftest.py)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:
    pytest.skip(
        "playwright is not installed (pip install playwright; no browser download needed)",
        allow_module_level=True,
    )

# Typos and missing accents in each language, and the offer each must put first.
QUERIES = [
    ("fr", "alphabetisaton monthey", "fr/offres/monthey-alphabetisation-francais/index.html"),
    ("fr", "cours francais fully", "fr/offres/fully-alphabetisation-francais/index.html"),
    ("de", "deutsh kurs visp", "de/angebote/visp-deutsch-a2-fide-kinderbetreuung/index.html"),
    ("en", "evening frensh sion", "en/offers/sion-francais-soir-a1/index.html"),
]


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Path:
    """The example site, built once per session.

    SITEGEN_TEST_BUILD reuses a build made beforehand.
    """
    given = os.environ.get("SITEGEN_TEST_BUILD")
    out = Path(given) if given else Path(request.getfixturevalue("example_site"))
    if not (out / "assets" / "search" / "fr" / "core.js").is_file():
        pytest.fail(
            "the build has no search index: build.py must write "
            "sitegen.search.index.build_search_files() for each language"
        )
    return out


@pytest.fixture(params=["http", "file"])
def base(request: pytest.FixtureRequest, site: Path, static_server: Callable[[Path], str]) -> str:
    return site.as_uri() + "/" if request.param == "file" else static_server(site)


@pytest.fixture
def page(chromium: Browser, base: str) -> Iterator[Page]:
    context = chromium.new_context()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # Nothing may leave the site: no CDN, no other host.
    pg.on(
        "request",
        lambda r: errors.append("request to " + r.url) if not r.url.startswith(base) else None,
    )
    yield pg
    context.close()
    assert errors == []


def first_result(pg: Page, scope: str) -> str:
    pg.wait_for_selector(f"{scope} .search-result a", timeout=10_000)
    href = pg.locator(f"{scope} .search-result a").first.evaluate("a => a.href")
    return str(href)


@pytest.mark.parametrize(("lang", "query", "expected"), QUERIES)
def test_header_box_finds_the_offer_while_typing(
    page: Page, base: str, lang: str, query: str, expected: str
) -> None:
    page.goto(base + f"{lang}/index.html")
    assert (
        page.evaluate("typeof window.sitegenSearch") == "undefined"
    )  # the engine waits for the visitor
    page.click("#site-search-q")
    page.keyboard.type(query, delay=15)
    # Locator waits, not wait_for_function: the site's CSP forbids eval, rightly.
    expect(page.locator("#site-search-panel .search-panel-results")).to_have_attribute(
        "data-query", query
    )
    assert first_result(page, "#site-search-panel") == base + expected
    assert (
        page.locator("#site-search-panel .search-result mark").count() > 0
    )  # matched words highlighted
    # The live region says how many; the panel links to the full search page with the query.
    assert page.locator("#site-search-panel [role=status]").inner_text().strip()[0].isdigit()
    all_link = page.locator("#site-search-panel a.search-all").evaluate("a => a.href")
    assert parse_qs(urlparse(all_link).query)["q"] == [query]


def count_of(pg: Page, facet: str, value: str) -> int:
    return int(
        pg.locator(f"label:has(input[name='{facet}'][value='{value}']) .facet-count")
        .inner_text()
        .strip("()")
    )


def total(pg: Page) -> int:
    text = pg.locator("#search-status").inner_text()
    return int(text.split()[0]) if text[0].isdigit() else 0


def test_search_page_facets_counts_and_url(page: Page, base: str) -> None:
    page.goto(base + "fr/recherche/index.html?q=cours")
    page.wait_for_selector("#search-results .search-result a")
    unfiltered = total(page)
    page.click(".search-filters summary")
    expected = count_of(page, "region", "valais-central")
    page.check("input[name=region][value=valais-central]")
    expect(page.locator("#search-status")).to_have_text(re.compile(rf"^{expected}\b"))
    assert 0 < expected < unfiltered
    expected = count_of(page, "kind", "course")  # live: counted within Valais central
    page.check("input[name=kind][value=course]")
    expect(page.locator("#search-status")).to_have_text(re.compile(rf"^{expected}\b"))
    links = page.locator("#search-results .search-result a").evaluate_all(
        "as => as.map(a => a.href)"
    )
    assert len(links) == expected and all("/fr/offres/" in link for link in links)
    assert parse_qs(urlparse(page.url).query) == {
        "q": ["cours"],
        "kind": ["course"],
        "region": ["valais-central"],
    }
    # The URL is the state: opening it again shows the same filtered list.
    page.goto(page.url)
    page.wait_for_selector("#search-results .search-result a")
    assert total(page) == expected
    assert page.is_checked("input[name=region][value=valais-central]") and page.is_checked(
        "input[name=kind][value=course]"
    )
    assert page.input_value("#search-q") == "cours"


def test_other_languages_follow_when_little_is_found(page: Page, base: str) -> None:
    page.goto(base + "en/search/index.html")
    page.fill("#search-q", "Deutschkurs Naters")
    page.wait_for_selector("#search-results .search-other")
    own = page.locator("#search-results > ol:not([lang]) .search-result a").evaluate_all(
        "as => as.map(a => a.href)"
    )
    assert base + "en/offers/naters-alphabetisierung-deutsch/index.html" in own
    # Other languages add what English did not find, labelled and marked with their lang.
    assert "Français" in page.locator("#search-results .search-other").first.inner_text()
    other = page.locator("#search-results ol[lang=fr] .search-result a").first
    assert other.get_attribute("hreflang") == "fr" and "/fr/offres/" in other.evaluate(
        "a => a.href"
    )
    # ... and never the same offer again (issue 17 item 13): the German list, which holds
    # only offers English found, is left out.
    links = page.locator("#search-results .search-result a").evaluate_all(
        "as => as.map(a => a.href)"
    )
    offers = [
        link.split("/")[-2]
        for link in links
        if re.search(r"/(offres|angebote|offers)/[^/]+/index\.html$", link)
    ]
    assert len(offers) == len(set(offers)), offers
    assert page.locator("#search-results ol[lang=de]").count() == 0


def test_without_javascript_the_search_page_offers_the_listings(
    chromium: Browser, base: str
) -> None:
    context = chromium.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(base + "de/suche/index.html?q=kurs")
    links = pg.locator(".search-browse a").evaluate_all("as => as.map(a => a.href)")
    context.close()
    assert len(links) >= 8 and all(link.startswith(base + "de/") for link in links)
