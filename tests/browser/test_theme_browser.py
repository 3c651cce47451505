"""The theme on a phone and with a keyboard (issue 17 items 10-14, issue 12's CSS side): the
example site in Debian's Chromium at 320 and 360 px, at 200 % zoom, mirrored right to left,
with and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # the chromium fixture skips, saying why
    Browser = Page = object  # type: ignore[assignment,misc]

# One page of each type.
PAGES = {
    "language choice": "index.html",
    "home": "fr/index.html",
    "page": "fr/cours-de-langue/index.html",
    "all offers": "fr/offres/index.html",
    "next page of a list": "fr/offres/page/2/index.html",
    "region": "fr/offres/region/haut-valais/index.html",
    "kind": "de/angebote/art/informationsveranstaltungen/index.html",
    "offer": "fr/offres/sion-francais-soir-a1/index.html",
    "search": "en/search/index.html?q=course",
    "status": "_status/index.html",
    "not found": "404.html",
}
MIN_TARGET = 44  # CSS px, WCAG 2.5.5 (eCH-0059)

# Controls a finger must hit: everything clickable except links inside running text
# (WCAG 2.5.5's "inline" exception: prose, notices, the offer's facts table).
CONTROLS_JS = """() => {
  const inText = el => el.closest('.prose, .lead, .notice, dl.facts, .note, table, .search-result \
p, .choose-language p');
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input[type=search], summary, \
.search-filters label')) {
    if (el.tagName === 'A' && inText(el)) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (!r.width || !r.height || s.visibility === 'hidden') continue;
    if (el.classList.contains('skip-link')) continue;  // off screen until focused: checked on its \
own
    out.push({text: (el.innerText || el.value || el.tagName).trim().slice(0, 40), w: r.width, h: \
r.height, cls: el.className});
  }
  return out;
}"""

# The colour a text or ring is seen against: the first ancestor (or itself) with a background.
BACKGROUND_JS = """(el) => {
  for (let e = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) return c;
  }
  return 'rgb(255, 255, 255)';
}"""


def _rgb(colour: str) -> tuple[float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", colour)[:3]]
    return parts[0], parts[1], parts[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [c / 255 for c in _rgb(colour)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula() -> None:
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert (
        round(contrast("rgb(196, 60, 0)", "rgb(0, 90, 156)"), 2) == 1.36
    )  # issue 17's measure of the old ring


@pytest.fixture(scope="module")
def base(example_site: Path, static_server: Callable[[Path], str]) -> str:
    return static_server(example_site)


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Callable[..., Page]]:
    """A page at a phone's width, with or without JavaScript."""
    contexts = []

    def open_page(width: int = 320, javascript: bool = True, locale: str = "fr-CH") -> Page:
        context = chromium.new_context(
            viewport={"width": width, "height": 740}, java_script_enabled=javascript, locale=locale
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _overflow(pg: Page) -> int:
    return int(
        pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.mark.parametrize(("width", "rtl"), [(320, False), (360, False), (640, False), (320, True)])
def test_no_page_scrolls_sideways(
    phone: Callable[..., Page], base: str, width: int, rtl: bool
) -> None:
    """320 px (WCAG 1.4.10 reflow), 360 px, 1280 px at 200 % zoom (= 640 CSS px), and mirrored."""
    pg = phone(width)
    wide = {}
    for name, path in PAGES.items():
        pg.goto(base + path)
        if rtl:
            pg.evaluate("document.documentElement.dir = 'rtl'")
        for summary in pg.locator(".facets summary:visible, .search-filters summary:visible").all():
            summary.click()  # opened, the choices must fit too
        if _overflow(pg) > 0:
            wide[name] = _overflow(pg)
    assert wide == {}, "pages wider than the screen (px too wide)"


def test_every_control_is_a_44_px_target(phone: Callable[..., Page], base: str) -> None:
    pg = phone(320, javascript=False)
    small = {}
    for name, path in PAGES.items():
        pg.goto(base + path)
        if pg.locator("a.menu-link").count():
            pg.click("a.menu-link")  # the menu's entries too
        for summary in pg.locator(".facets summary:visible, .search-filters summary:visible").all():
            summary.click()
        found = pg.evaluate(CONTROLS_JS)
        assert len(found) >= 3, name
        assert _overflow(pg) == 0, f"{name}, menu and choices open, scrolls sideways"
        small.update(
            {
                f"{name}: {c['text']!r}": (round(c["w"]), round(c["h"]))
                for c in found
                if c["w"] < MIN_TARGET - 0.5 or c["h"] < MIN_TARGET - 0.5
            }
        )
    assert small == {}
    pg.goto(base + "fr/index.html")
    pg.keyboard.press("Tab")
    box = pg.locator(".skip-link").bounding_box()
    assert box and box["height"] >= MIN_TARGET and box["y"] >= 0


@pytest.mark.parametrize("width", [320, 360])
def test_every_main_entry_is_one_tap_from_the_top_without_javascript(
    phone: Callable[..., Page], base: str, width: int
) -> None:
    """Issue 17 item 12: a compact header whose Menu link opens every entry of the main menu."""
    pg = phone(width, javascript=False)
    for path in (
        "fr/index.html",
        "fr/offres/sion-francais-soir-a1/index.html",
        "de/angebote/index.html",
    ):
        pg.goto(base + path)
        header = pg.locator("header.site-header").bounding_box()
        assert header and header["height"] <= 130, (
            "the header leaves most of the screen to the page"
        )
        assert (
            not pg.locator("nav.main-menu").is_visible()
            and not pg.locator("#site-search-q").is_visible()
        )
        languages = pg.locator("nav.languages a")
        assert languages.count() == 3 and all(languages.nth(i).is_visible() for i in range(3))
        menu_link = pg.locator("a.menu-link")
        box = menu_link.bounding_box()
        assert box and box["y"] + box["height"] <= 100 and box["x"] + box["width"] <= width
        menu_link.click()
        entries = pg.locator("nav.main-menu a")
        assert entries.count() == 9
        for i in range(entries.count()):
            entry = entries.nth(i).bounding_box()
            assert entry and entry["x"] >= 0 and entry["x"] + entry["width"] <= width, (
                "every entry in full, none cut off"
            )
            assert entries.nth(i).is_visible()
        assert pg.locator("#site-search-q").is_visible()
        target = entries.nth(3).inner_text()
        entries.nth(3).click()
        assert pg.locator("h1").inner_text() == target
    # From 40rem on, the menu is simply there.
    wide = phone(1024, javascript=False)
    wide.goto(base + "fr/index.html")
    assert (
        wide.locator("nav.main-menu").is_visible() and not wide.locator("a.menu-link").is_visible()
    )


def test_listing_shows_its_kind_and_region_choices_before_the_list(
    phone: Callable[..., Page], base: str
) -> None:
    pg = phone(360, javascript=False)
    pg.goto(base + "fr/offres/region/haut-valais/index.html")
    first_card = pg.locator(".cards .card").first.bounding_box()
    summaries = pg.locator(".facets summary")
    assert summaries.count() == 2 and first_card
    assert all(
        (summaries.nth(i).bounding_box() or {"y": 9999})["y"] < first_card["y"] for i in range(2)
    )
    assert first_card["y"] < 740, "the first offer shows on the first screen"
    assert "Haut-Valais" in summaries.nth(1).inner_text()  # the current choice, folded
    summaries.nth(1).click()
    pg.get_by_role("link", name=re.compile("^Valais central")).click()
    assert pg.locator("h1").inner_text() == "Offres dans la région Valais central"


@pytest.mark.parametrize("width", [1024, 320])
def test_focus_rings_stand_out_on_every_background(
    phone: Callable[..., Page], base: str, width: int
) -> None:
    """WCAG 1.4.11: 3:1 between the ring and what surrounds it, in the blue header and on white."""
    pg = phone(width)
    pg.goto(base + "fr/offres/region/haut-valais/index.html")
    for summary in pg.locator(".facets summary").all():
        summary.click()
    if width < 640:
        pg.click("a.menu-link")
    seen, weak = set(), {}
    for _ in range(40):
        pg.keyboard.press("Tab")
        # What the ring is drawn on: whatever lies just outside the element, where the ring is
        # (the skip link sits over the header, a chip's ring on the page around it).
        ring = pg.evaluate(f"""() => {{
          const el = document.activeElement, s = getComputedStyle(el), r = \
el.getBoundingClientRect();
          if (el === document.body) return null;
          const x = r.left - parseFloat(s.outlineOffset) - parseFloat(s.outlineWidth) / 2, y = \
r.top + r.height / 2;
          const behind = document.elementFromPoint(Math.max(0, x), y) || document.body;
          return {{text: (el.innerText || el.value || el.tagName).trim().slice(0, 30), style: \
s.outlineStyle, width: parseFloat(s.outlineWidth),
                   colour: s.outlineColor, around: ({BACKGROUND_JS})(behind)}};
        }}""")
        if ring is None:
            continue
        seen.add(ring["around"])
        if (
            ring["style"] == "none"
            or ring["width"] < 2
            or contrast(ring["colour"], ring["around"]) < 3
        ):
            weak[ring["text"]] = (ring["style"], ring["colour"], ring["around"])
    assert "rgb(0, 90, 156)" in seen and "rgb(255, 255, 255)" in seen, (
        "rings checked in the header and on the page"
    )
    assert weak == {}


def test_text_has_4_5_to_1_contrast(phone: Callable[..., Page], base: str) -> None:
    """Every text, and the count inside the selected chip (1.24:1 before, issue 17 item 14)."""
    pg = phone(1024)
    weak = {}
    for path in (
        "fr/offres/region/haut-valais/index.html",
        "en/search/index.html?q=course",
        "fr/offres/sion-francais-soir-a1/index.html",
        "404.html",
    ):
        pg.goto(base + path)
        for summary in pg.locator(".facets summary:visible, .search-filters summary:visible").all():
            summary.click()
        pg.wait_for_load_state("networkidle")
        texts = pg.evaluate(f"""() => [...document.querySelectorAll('body *')]
          .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && \
el.getClientRects().length)
          .map(el => ({{text: el.textContent.trim().slice(0, 30), colour: \
getComputedStyle(el).color, around: ({BACKGROUND_JS})(el)}}))""")
        assert len(texts) > 5
        weak.update(
            {
                f"{path}: {t['text']!r}": (t["colour"], t["around"])
                for t in texts
                if contrast(t["colour"], t["around"]) < 4.5
            }
        )
    assert weak == {}
    pg.goto(base + "fr/offres/region/haut-valais/index.html")
    count = pg.locator(".facets a[aria-current] .count")
    colour, around = count.evaluate("e => getComputedStyle(e).color"), count.evaluate(BACKGROUND_JS)
    assert contrast(colour, around) >= 4.5


def test_right_to_left_pages_mirror(phone: Callable[..., Page], base: str) -> None:
    """site.css uses logical properties only: dir=rtl flips the layout without a rule of its own."""
    pg = phone(360)
    pg.goto(base + "en/discrimination/index.html")
    pg.evaluate("document.documentElement.dir = 'rtl'")
    width = pg.evaluate("document.documentElement.clientWidth")
    brand, menu = pg.locator(".brand").bounding_box(), pg.locator(".menu-link").bounding_box()
    assert brand and menu and menu["x"] < brand["x"], (
        "the title on the right, the Menu link on the left"
    )
    assert brand["x"] + brand["width"] > width - 24
    crumb = pg.locator(".breadcrumbs a").first.bounding_box()
    assert crumb and crumb["x"] + crumb["width"] > width - 24
    notice = pg.locator(".notice")
    assert notice.evaluate("e => getComputedStyle(e).borderRightWidth") != "0px"
    assert notice.evaluate("e => getComputedStyle(e).borderLeftWidth") == "0px"
    assert _overflow(pg) == 0


def test_search_page_has_one_box_and_keeps_the_query_across_languages(
    phone: Callable[..., Page], base: str
) -> None:
    pg = phone(360)
    pg.goto(base + "fr/recherche/index.html?q=cours&region=valais-central")
    pg.wait_for_selector("#search-results .search-result a")
    boxes = pg.locator("input[type=search]")
    assert boxes.count() == 1, "no second search box in the header"
    box = boxes.first.bounding_box()
    assert box and box["height"] >= MIN_TARGET and box["width"] >= 180
    pg.locator("nav.languages").get_by_role("link", name="Deutsch").click()
    assert pg.url.endswith("de/suche/index.html?q=cours&region=valais-central")
    pg.wait_for_selector("#search-results .search-result a")
    assert pg.input_value("#search-q") == "cours" and pg.is_checked(
        "input[name=region][value=valais-central]"
    )
    pg.fill("#search-q", "kurs")
    pg.wait_for_selector("#search-results[data-query=kurs]")
    assert (
        pg.locator("nav.languages a[hreflang=en]").get_attribute("href")
        == "../../en/search/index.html?q=kurs&region=valais-central"
    )


def test_search_without_javascript_says_why_and_offers_the_lists(
    phone: Callable[..., Page], base: str
) -> None:
    pg = phone(360, javascript=False)
    pg.goto(base + "fr/index.html")
    pg.click("a.menu-link")
    pg.fill("#site-search-q", "cours")
    pg.press("#site-search-q", "Enter")
    assert "recherche/index.html?q=cours" in pg.url
    assert "La recherche a besoin de JavaScript" in pg.locator("main").inner_text()
    assert not pg.locator("#search-q").is_visible(), "no box that cannot search"
    assert pg.locator(".search-browse a").count() >= 8


def test_404_page_puts_the_visitors_language_first(phone: Callable[..., Page], base: str) -> None:
    pg = phone(360, locale="de-CH")
    pg.goto(base + "404.html")
    assert (
        pg.locator("h1").inner_text() == "Page introuvable · Seite nicht gefunden · Page not found"
    )
    first = pg.locator(".choose-language li").first
    assert (
        first.get_attribute("lang") == "de" and "Zur Startseite auf Deutsch" in first.inner_text()
    )
    assert pg.evaluate("document.activeElement.getAttribute('hreflang')") == "de"
    quiet = phone(360, javascript=False, locale="de-CH")
    quiet.goto(base + "404.html")
    assert [li.get_attribute("lang") for li in quiet.locator(".choose-language li").all()] == [
        "fr",
        "de",
        "en",
    ]


def test_the_sites_logo_loads_under_the_content_security_policy(
    phone: Callable[..., Page], base: str
) -> None:
    """The example site's templates/base.html adds the canton's flag (assets/logo.svg) to the
    brand: the policy's img-src 'self' lets it load, from the site's root and from deep pages."""
    pg = phone(360)
    refused: list[str] = []
    pg.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    for path in (
        "fr/index.html",
        "de/angebote/art/informationsveranstaltungen/index.html",
        "en/search/index.html",
    ):
        pg.goto(base + path)
        logo = pg.locator(".brand img")
        assert logo.get_attribute("alt")
        assert pg.evaluate("img => img.complete && img.naturalWidth > 0", logo.element_handle()), (
            path
        )
        box = logo.bounding_box()
        assert box and 20 <= box["height"] <= 32
    assert refused == []
