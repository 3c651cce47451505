"""The example site as a visitor meets it, in each language, over HTTP and from a folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture(params=["http", "file"])
def base(
    request: pytest.FixtureRequest, example_site: Path, static_server: Callable[[Path], str]
) -> str:
    return example_site.as_uri() + "/" if request.param == "file" else static_server(example_site)


@pytest.fixture
def page(chromium, base: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = chromium.new_context()
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    pg.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    # A click that leaves the page cancels the scripts it was still loading (ERR_ABORTED):
    # the visitor moved on, nothing was blocked. A blocked or missing file fails otherwise.
    pg.on(
        "requestfailed",
        lambda req: (
            problems.append(f"failed: {req.url} ({req.failure})")
            if req.failure != "net::ERR_ABORTED"
            else None
        ),
    )
    pg.on(
        "response",
        lambda res: problems.append(f"{res.status}: {res.url}") if res.status >= 400 else None,
    )
    pg.on(
        "request",
        lambda req: (
            problems.append(f"other host: {req.url}")
            if req.url.startswith("http") and not req.url.startswith(base)
            else None
        ),
    )
    yield pg
    context.close()
    assert problems == [], (
        "the page must load without errors, blocked files or requests to other hosts"
    )


@pytest.mark.parametrize(
    ("lang", "topic", "switch_to", "expected"),
    [
        ("fr", "Cours de langue", "Deutsch", "Sprachkurse"),
        ("de", "Beratung und Orientierung", "English", "Counselling and guidance"),
        ("en", "Language courses", "Français", "Cours de langue"),
    ],
)
def test_browse_a_topic_and_switch_language(
    page, base: str, lang: str, topic: str, switch_to: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}index.html")
    page.get_by_role(
        "link", name=page.locator(f'a[hreflang="{lang}"]').first.inner_text()
    ).first.click()
    assert page.locator("html").get_attribute("lang") == lang
    page.get_by_role(
        "navigation", name=page.locator("nav.main-menu").get_attribute("aria-label")
    ).get_by_role("link", name=topic).click()
    assert page.locator("h1").inner_text() == topic
    assert page.locator("nav.main-menu a[aria-current=page]").inner_text() == topic
    # The stylesheet applied (the Content-Security-Policy allows the site's own files).
    assert (
        page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
        == "rgb(0, 90, 156)"
    )
    page.locator("nav.languages").get_by_role("link", name=switch_to).click()
    assert page.locator("h1").inner_text() == expected


def test_fallback_page_says_so(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}en/discrimination/index.html")
    assert (
        page.get_by_role("note").inner_text()
        == "This page is not yet available in English. Here is the French version."
    )
    assert page.locator("article > div[lang=fr]").count() == 1


def test_browse_offers_without_javascript(chromium, base: str) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}de/index.html")
    page.get_by_role("link", name="Oberwallis").click()
    assert page.locator("h1").inner_text() == "Angebote in der Region Oberwallis"
    count = page.locator("ul.offers > li").count()
    assert count > 0 and f"{count} Angebote" in page.locator("p.count").inner_text()
    page.locator("ul.offers a").first.click()
    assert page.locator("dl.facts").is_visible()
    assert page.get_by_role("link", name="Anrufen").get_attribute("href").startswith("tel:+4127000")
    context.close()
