"""Issue 11 in a real browser.

"open now" at fixed clock times, the course finder with and without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from sitegen import hours

ROOT = Path(__file__).resolve().parents[2]
# Mo-Fr 08:30-11:30; Tu +13:30-17:30; Th +14:00-17:00 by appointment; PH off
OFFICE = "fr/offres/sion-conseil-integration/index.html"


@pytest.fixture
def context(chromium, request: pytest.FixtureRequest) -> Iterator[object]:  # type: ignore[no-untyped-def]
    zone = getattr(request, "param", "Europe/Zurich")
    ctx = chromium.new_context(timezone_id=zone)
    yield ctx
    ctx.close()


def _status_at(context, example_site: Path, when: dt.datetime) -> str | None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.clock.set_fixed_time(when)
    page.goto((example_site / OFFICE).as_uri())
    status = page.locator(".open-now")
    text = None if status.is_hidden() else status.inner_text()
    assert errors == []
    page.close()
    return text


ZURICH = dt.timezone(dt.timedelta(hours=1))  # winter time (CET)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (
            dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZURICH),
            "Ouvert maintenant, jusqu'à 11:30",
        ),  # Tuesday morning
        (dt.datetime(2026, 12, 1, 12, 30, tzinfo=ZURICH), "Fermé maintenant"),  # Tuesday lunch
        (
            dt.datetime(2026, 12, 1, 17, 30, tzinfo=ZURICH),
            "Fermé maintenant",
        ),  # closing time is closed
        (dt.datetime(2026, 12, 1, 16, 59, tzinfo=ZURICH), "Ouvert maintenant, jusqu'à 17:30"),
        (
            dt.datetime(2026, 12, 3, 15, 0, tzinfo=ZURICH),
            "Maintenant : sur rendez-vous seulement, jusqu'à 17:00",
        ),  # Thursday afternoon
        (dt.datetime(2026, 12, 5, 10, 0, tzinfo=ZURICH), "Fermé maintenant"),  # Saturday
        (
            dt.datetime(2026, 12, 25, 10, 0, tzinfo=ZURICH),
            "Fermé maintenant",
        ),  # Christmas, a Friday: PH off
    ],
)
def test_open_now_at_fixed_times(
    context, example_site: Path, when: dt.datetime, expected: str
) -> None:  # type: ignore[no-untyped-def]
    assert _status_at(context, example_site, when) == expected


@pytest.mark.parametrize("context", ["America/New_York", "Asia/Kabul"], indirect=True)
def test_open_now_uses_the_cantons_clock_not_the_visitors(context, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    # 10:00 in Sion is 04:00 in New York and 13:30 in Kabul: the office is open all the same.
    assert (
        _status_at(context, example_site, dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZURICH))
        == "Ouvert maintenant, jusqu'à 11:30"
    )


def _expected_courses(levels: set[str], time: str | None = None, free: bool = False) -> set[str]:
    out = set()
    for offer in yaml.safe_load((ROOT / "content/offers/courses.yaml").read_text(encoding="utf-8")):
        times = (
            {hours.time_of_day(s) for s in hours.slots(offer["weekly"])}
            if offer.get("weekly")
            else set()
        )
        if (
            (not levels or levels & set(offer.get("levels", [])))
            and (time is None or time in times)
            and (not free or offer.get("price_chf") == 0)
        ):
            out.add(offer["id"])
    return out


def _visible(page) -> set[str]:  # type: ignore[no-untyped-def]
    hrefs = page.locator(".finder-results > li:visible h2 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return {h.split("/")[-2] for h in hrefs}


def test_finder_narrows_by_several_facets_with_javascript(context, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto((example_site / "fr/offres/type/cours-de-langue/trouver/index.html").as_uri())
    assert _visible(page) == _expected_courses(set())
    page.get_by_role("group", name="Niveau").get_by_label("A1").check()
    page.get_by_role("group", name="Moment de la journée").get_by_label("Le soir").check()
    expected = _expected_courses({"A1"}, "evening")
    assert expected and _visible(page) == expected
    assert page.locator(".finder-count").inner_text() == f"{len(expected)} cours"
    page.get_by_role("group", name="Niveau").get_by_label("A2").check()  # A1 or A2, in the evening
    assert _visible(page) == _expected_courses({"A1", "A2"}, "evening")
    page.get_by_role("group", name="Moment de la journée").get_by_label("Le soir").uncheck()
    page.get_by_role("group", name="Prix").get_by_label("Gratuit").check()
    assert _visible(page) == _expected_courses({"A1", "A2"}, free=True)


def test_finder_filters_are_pages_without_javascript(chromium, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    ctx = chromium.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto((example_site / "de/angebote/art/sprachkurse/finden/index.html").as_uri())
    assert page.get_by_role("checkbox").count() == 0
    # The level guide: the early C permit and naturalisation both ask B1 (spoken).
    page.get_by_role("row", name="Einbürgerung").get_by_role(
        "link", name="Kurse auf Niveau B1"
    ).click()
    assert page.locator("h1").inner_text() == "Sprachkurse: B1"
    assert _visible(page) == _expected_courses({"B1"})
    page.get_by_role("navigation", name="Tageszeit").get_by_role("link", name="Am Abend").click()
    assert page.locator("h1").inner_text() == "Sprachkurse: Am Abend"
    assert _visible(page) == _expected_courses(set(), "evening")
    ctx.close()
