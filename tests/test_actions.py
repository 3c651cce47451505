"""Issue 11 / 17: what a visitor can do with an offer, checked in the built files.

The .ics and .vcf files are parsed back with icalendar and vobject and compared with
the YAML; the JSON-LD is checked against tests/data/schemaorg_types.json.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import vobject
from helpers import SITE_YAML, build_errors, build_ok, write_site
from icalendar import Calendar

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "schemaorg_types.json").read_text(encoding="utf-8")
)

OFFERS = """\
- id: sion-francais-a1
  kind: course
  title: {fr: "Français A1 du soir", de: "Französisch A1 am Abend", en: "Evening French A1"}
  summary: {fr: "Pour débuter </script><script>alert(1)</script>"}
  provider: "Association Exemple"
  region: valais-central
  commune: Sion
  address: "Rue de l'Exemple 12, 1950 Sion"
  geo: [46.2336, 7.3598]
  languages: [fr]
  levels: [A1]
  weekly: "Mo,We 18:30-20:00"
  price_chf: 0
  childcare: true
  contact: {phone: "027 000 22 33", email: "cours@example.ch"}
  starts: 2026-09-01
  ends: 2027-06-30
  reviewed: 2026-08-15
- id: sion-francais-b1-matin
  kind: course
  title: "Français B1 le matin"
  region: valais-central
  levels: [B1]
  weekly: "Tu 09:00-11:00"
  price_chf: 200
  starts: 2026-09-01
  reviewed: 2026-08-15
- id: vieux-cours
  kind: course
  title: "Cours terminé"
  region: valais-central
  levels: [A1]
  starts: 2025-09-01
  ends: 2026-06-30
- id: permanence-rdv
  kind: delegate
  title: "Permanence"
  region: valais-central
  opening_hours: '"by appointment"'
- id: bureau-sion
  kind: counselling
  title: {fr: "Bureau conseil Sion", de: "Beratung Sitten"}
  region: valais-central
  address: "Place de l'Exemple 1, 1950 Sion"
  contact: {phone: "+41 27 000 22 01", email: "conseil@example.ch", website: "https://example.ch/conseil"}
  languages: [fr, ar]
  opening_hours: 'Mo-Fr 08:30-11:30; Tu 08:30-11:30,13:30-17:30; Th 14:00-17:00 "by appointment", \
Th 08:30-11:30; PH off'
  reviewed: 2026-09-30
"""

SITE = (
    SITE_YAML
    + """\
  - id: counselling
    name: {fr: "Conseil", de: "Beratung", en: "Counselling"}
territory: CH
"""
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(
        tmp_path_factory.mktemp("actions") / "site",
        {
            "content/fr/index.md": "---\ntitle: Accueil\n---\nBonjour\n",
            "content/offers/offers.yaml": OFFERS,
        },
        SITE,
    )
    out, _ = build_ok(site)
    return out


def _page(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_calendar_file_repeats_weekly_as_in_the_yaml(built: Path) -> None:
    page = _page(built, "fr/offres/sion-francais-a1/index.html")
    assert (
        'href="sion-francais-a1.ics" download="sion-francais-a1.ics" type="text/calendar">Ajouter '
        "à mon agenda<" in page
    )
    cal = Calendar.from_ical(
        (built / "fr/offres/sion-francais-a1/sion-francais-a1.ics").read_bytes()
    )
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Français A1 du soir"
    start = event.decoded("DTSTART")
    # The first Monday or Wednesday from 1 September 2026 (a Tuesday) is Wednesday 2 September.
    assert (start.date(), start.time(), str(start.tzinfo)) == (
        dt.date(2026, 9, 2),
        dt.time(18, 30),
        "Europe/Zurich",
    )
    assert event.decoded("DTEND").time() == dt.time(20, 0)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE"]
    assert rule["UNTIL"][0].astimezone(dt.UTC).date() == dt.date(2027, 6, 30)
    assert event.decoded("DTSTAMP") == dt.datetime(
        2026, 8, 15, tzinfo=dt.UTC
    )  # from `reviewed`, not the clock
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Zurich"]
    assert str(event["LOCATION"]) == "Rue de l'Exemple 12, 1950 Sion"
    de = Calendar.from_ical(
        (built / "de/angebote/sion-francais-a1/sion-francais-a1.ics").read_bytes()
    )
    assert str(de.walk("VEVENT")[0]["SUMMARY"]) == "Französisch A1 am Abend"


def test_calendar_files_are_the_same_on_every_build(built: Path, tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "again",
        {
            "content/fr/index.md": "---\ntitle: Accueil\n---\nBonjour\n",
            "content/offers/offers.yaml": OFFERS,
        },
        SITE,
    )
    again, _ = build_ok(site)
    for rel in (
        "fr/offres/sion-francais-a1/sion-francais-a1.ics",
        "fr/offres/bureau-sion/bureau-sion.vcf",
    ):
        assert (again / rel).read_bytes() == (built / rel).read_bytes()


def test_contact_card_matches_the_yaml(built: Path) -> None:
    page = _page(built, "fr/offres/bureau-sion/index.html")
    assert (
        'href="bureau-sion.vcf" download="bureau-sion.vcf" type="text/vcard">Enregistrer '
        "le contact<" in page
    )
    card = vobject.readOne(
        (built / "fr/offres/bureau-sion/bureau-sion.vcf").read_text(encoding="utf-8")
    )
    assert card.fn.value == "Bureau conseil Sion"
    assert card.tel.value == "+41 27 000 22 01"
    assert card.email.value == "conseil@example.ch"
    adr = card.adr.value
    assert (adr.street, adr.code, adr.city, adr.country) == (
        "Place de l'Exemple 1",
        "1950",
        "Sion",
        "CH",
    )
    assert [u.value for u in card.contents["url"]] == [
        "https://example.ch/conseil",
        "https://test.example.ch/fr/offres/bureau-sion/",
    ]
    assert not (
        built / "fr/offres/sion-francais-b1-matin/sion-francais-b1-matin.vcf"
    ).exists()  # no way to reach it


def test_phone_is_international_in_links_and_text(built: Path) -> None:
    page = _page(built, "fr/offres/sion-francais-a1/index.html")
    assert '<a class="button" href="tel:+41270002233">Appeler</a>' in page
    assert '<dd><bdi dir="ltr">+41 27 000 22 33</bdi></dd>' in page
    assert "tel:027" not in page


def test_map_links_from_geo_and_a_search_without_it(built: Path) -> None:
    with_geo = _page(built, "fr/offres/sion-francais-a1/index.html")
    assert 'href="https://www.openstreetmap.org/directions?route=%3B46.2336%2C7.3598"' in with_geo
    assert 'href="geo:46.2336,7.3598"' in with_geo
    without = _page(built, "fr/offres/bureau-sion/index.html")
    assert "geo:" not in without and "directions" not in without
    assert (
        'href="https://www.openstreetmap.org/search?query=Place%20de%20l%27Exemple%201%2C%201950%20Sion" '  # noqa: E501 - a URL
        'rel="noopener">Chercher sur une carte<' in without
    )


def _hours_rows(page: str) -> list[tuple[str, str]]:
    table = page.split('<section class="hours"', 1)[1].split("</table>", 1)[0]
    return [
        (unescape(re.sub("<[^>]+>", "", th)), unescape(re.sub("<[^>]+>", "", td)))
        for th, td in re.findall(r"<th scope=\"row\">(.*?)</th><td>(.*?)</td>", table)
    ]


def test_opening_hours_table_in_the_visitors_language(built: Path) -> None:
    de = _hours_rows(_page(built, "de/angebote/bureau-sion/index.html"))
    # Babel's German interval format, CLDR's own: "08:30–11:30 Uhr".
    assert de[0] == ("Montag", "08:30–11:30 Uhr")
    assert de[1] == ("Dienstag", "08:30–11:30 Uhr, 13:30–17:30 Uhr")
    assert de[3] == ("Donnerstag", "08:30–11:30 Uhr, 14:00–17:00 Uhr (mit Termin)")
    assert de[5:] == [("Samstag", "geschlossen"), ("Sonntag", "geschlossen")]
    fr_page = _page(built, "fr/offres/bureau-sion/index.html")
    assert _hours_rows(fr_page)[0][0] == "Lundi"
    assert "Fermé les jours fériés." in fr_page
    data = json.loads(unescape(re.search(r'data-hours="([^"]+)"', fr_page).group(1)))
    assert data["days"][3] == [[510, 690, 0], [840, 1020, 1]] and data["holidays_closed"]
    assert "2026-12-25" in data["holidays"]


def test_freshness_shown_and_past_offers_never_listed(built: Path) -> None:
    assert '<p class="updated">Angaben geprüft am 30. September 2026</p>' in _page(
        built, "de/angebote/bureau-sion/index.html"
    )
    assert "Information checked on 30 September 2026" in _page(
        built, "en/offers/bureau-sion/index.html"
    )
    assert not (built / "fr/offres/vieux-cours").exists()
    for path in built.rglob("*"):  # pages, sitemap, search index, calendar files
        if path.is_file():
            assert b"vieux-cours" not in path.read_bytes(), path


# -- JSON-LD -------------------------------------------------------------------------------


def _subtype(name: str, wanted: str) -> bool:
    return name == wanted or any(_subtype(p, wanted) for p in SCHEMA[name]["parents"])


def _properties(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for parent in SCHEMA[name]["parents"]:
        out.update(_properties(parent))
    out.update(SCHEMA[name]["properties"])
    return out


def _fits(value: Any, ranges: list[str]) -> bool:
    if isinstance(value, dict):
        return "@type" in value and any(_subtype(value["@type"], r) for r in ranges if r in SCHEMA)
    checks = {
        "Text": lambda v: isinstance(v, str),
        "URL": lambda v: isinstance(v, str) and v.startswith(("https://", "http://")),
        "Date": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v),
        "Time": lambda v: isinstance(v, str) and re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", v),
        "Number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "DayOfWeek": lambda v: (
            v
            in [
                f"https://schema.org/{d}"
                for d in (
                    "Monday",
                    "Tuesday",
                    "Wednesday",
                    "Thursday",
                    "Friday",
                    "Saturday",
                    "Sunday",
                )
            ]
        ),
        "Duration": lambda v: isinstance(v, str) and re.fullmatch(r"P(\d+[YMWD])+", v),
    }
    return any(checks[r](value) for r in ranges if r in checks)


def schema_problems(node: dict[str, Any], where: str = "") -> list[str]:
    problems = []
    kind = node.get("@type")
    if kind not in SCHEMA:
        return [f"{where}: unknown type {kind!r}"]
    allowed = _properties(kind)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in allowed:
            problems.append(f"{where}/{key}: not a property of {kind}")
            continue
        for item in value if isinstance(value, list) else [value]:
            if not _fits(item, allowed[key]):
                problems.append(f"{where}/{key}: {item!r} is not one of {allowed[key]}")
            elif isinstance(item, dict):
                problems.extend(schema_problems(item, f"{where}/{key}"))
    return problems


def _jsonld(page: str) -> dict[str, Any]:
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block)


def test_json_ld_uses_schema_org_types_as_defined(built: Path) -> None:
    course = _jsonld(_page(built, "fr/offres/sion-francais-a1/index.html"))
    assert course["@type"] == "Course" and course["name"] == "Français A1 du soir"
    schedule = course["hasCourseInstance"][0]["courseSchedule"][0]
    assert schedule["byDay"] == ["https://schema.org/Monday", "https://schema.org/Wednesday"]
    assert (schedule["startTime"], schedule["endTime"]) == ("18:30", "20:00")
    office = _jsonld(_page(built, "de/angebote/bureau-sion/index.html"))
    assert office["@type"] == "GovernmentOffice" and office["address"]["postalCode"] == "1950"
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["https://schema.org/Tuesday"],
        "opens": "13:30",
        "closes": "17:30",
    } in office["openingHoursSpecification"]
    for page in built.rglob("index.html"):
        if (
            "/offres/" in page.as_posix()
            or "/angebote/" in page.as_posix()
            or "/offers/" in page.as_posix()
        ):
            text = page.read_text(encoding="utf-8")
            if "application/ld+json" in text:
                assert schema_problems(_jsonld(text), page.as_posix()) == []


def test_json_ld_cannot_close_its_script_element(built: Path) -> None:
    page = _page(built, "fr/offres/sion-francais-a1/index.html")
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert _jsonld(page)["description"] == "Pour débuter </script><script>alert(1)</script>"


def test_schema_check_catches_a_wrong_property() -> None:
    assert schema_problems({"@type": "Course", "opens": "08:00"}) == [
        "/opens: not a property of Course"
    ]
    assert schema_problems(
        {"@type": "OpeningHoursSpecification", "dayOfWeek": "Monday"}
    )  # not a DayOfWeek URL


# -- errors ----------------------------------------------------------------------------------


def test_invalid_hours_weekly_and_phone_are_errors_with_line(tmp_path: Path) -> None:
    offers = """\
    - id: a
      kind: course
      title: "A"
      region: valais-central
      weekly: "Mo[1] 18:30-20:00"
    - id: b
      kind: course
      title: "B"
      region: valais-central
      opening_hours: "lundi 8h-12h"
      contact: {phone: "+41 00 000 00 00"}
    - id: c
      kind: course
      title: "C"
      region: valais-central
      weekly: "Mo,We 18h30"
    """
    site = write_site(
        tmp_path / "s",
        {"content/fr/index.md": "---\ntitle: A\n---\nA\n", "content/offers/o.yaml": offers},
        SITE,
    )
    errors = build_errors(site)
    assert (
        "content/offers/o.yaml:5: 'weekly' 'Mo[1] 18:30-20:00': it changes from week to week"
        in errors[0]
    )
    assert any(
        e.startswith(
            "content/offers/o.yaml:10: 'opening_hours' 'lundi 8h-12h': not understood from "
            "character 1 on"
        )
        for e in errors
    )
    assert any(
        e.startswith(
            "content/offers/o.yaml:11: 'contact.phone' '+41 00 000 00 00' is not a phone number "
            "that exists in CH"
        )
        for e in errors
    )
    assert any(
        e.startswith("content/offers/o.yaml:16: 'weekly' 'Mo,We 18h30': not understood")
        and "Mo,We 18:30-20:00" in e
        for e in errors
    )


# -- course finder without JavaScript -------------------------------------------------------


def _card_links(page: str) -> list[str]:
    results = page.split('<ul class="cards offers finder-results">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<h2><a href="([^"]+)"', results)


def test_level_guide_leads_to_the_matching_courses(built: Path) -> None:
    listing = _page(built, "fr/offres/type/cours-de-langue/index.html")
    assert (
        '<a class="button" href="trouver/index.html">Quel niveau me faut-il ? Trouver un cours</a>'
        in listing
    )
    finder = _page(built, "fr/offres/type/cours-de-langue/trouver/index.html")
    rows = re.findall(
        r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", finder
    )
    assert rows[0][0] == "Permis B par regroupement familial" and rows[0][1].startswith("A1")
    assert rows[0][3] == '<a href="a1/index.html">Cours de niveau A1</a>'
    assert rows[1][:3] == ("Permis C (autorisation d&#39;établissement)", "A2", "A1")
    assert rows[1][3] == "Pas de cours à ce niveau pour le moment"  # no A2 course in this site
    assert rows[3][:3] == ("Naturalisation", "B1", "A2") and "b1/index.html" in rows[3][3]
    assert "Welches Niveau brauche ich?" in _page(
        built, "de/angebote/art/sprachkurse/finden/index.html"
    )
    assert "Which level do I need?" in _page(
        built, "en/offers/kind/language-courses/find/index.html"
    )


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        (
            "",
            ["../../../sion-francais-a1/index.html", "../../../sion-francais-b1-matin/index.html"],
        ),
        ("a1/", ["../../../../sion-francais-a1/index.html"]),
        ("b1/", ["../../../../sion-francais-b1-matin/index.html"]),
        ("matin/", ["../../../../sion-francais-b1-matin/index.html"]),
        ("soir/", ["../../../../sion-francais-a1/index.html"]),
        ("gratuit/", ["../../../../sion-francais-a1/index.html"]),
        ("garde-enfants/", ["../../../../sion-francais-a1/index.html"]),
    ],
)
def test_one_filter_per_page_without_javascript(
    built: Path, folder: str, expected: list[str]
) -> None:
    assert (
        _card_links(_page(built, f"fr/offres/type/cours-de-langue/trouver/{folder}index.html"))
        == expected
    )


def test_filter_chips_link_the_filter_pages(built: Path) -> None:
    finder = _page(built, "fr/offres/type/cours-de-langue/trouver/index.html")
    chips = re.findall(r'<a href="([^"]+)" data-value="([^"]+)">([^<]+)<', finder)
    assert chips == [
        ("a1/index.html", "A1", "A1 "),
        ("b1/index.html", "B1", "B1 "),
        ("matin/index.html", "morning", "Le matin "),
        ("soir/index.html", "evening", "Le soir "),
        ("gratuit/index.html", "yes", "Gratuit "),
        ("garde-enfants/index.html", "yes", "Avec garde d&#39;enfants "),
    ]
    assert not (
        built / "fr/offres/type/cours-de-langue/trouver/apres-midi"
    ).exists()  # no afternoon course: no page


def test_time_of_day_boundaries() -> None:
    from sitegen import hours

    starts = {
        text: hours.time_of_day(hours.slots(text)[0])
        for text in ("Mo 11:59-13:00", "Mo 12:00-14:00", "Mo 16:59-18:00", "Mo 17:00-19:00")
    }
    assert starts == {
        "Mo 11:59-13:00": "morning",
        "Mo 12:00-14:00": "afternoon",
        "Mo 16:59-18:00": "afternoon",
        "Mo 17:00-19:00": "evening",
    }


def test_finder_pages_are_in_the_sitemap_with_their_translations(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    entry = sitemap.split(
        "<url><loc>https://test.example.ch/fr/offres/type/cours-de-langue/trouver/soir/</loc>", 1
    )[1].split("</url>", 1)[0]
    assert (
        'hreflang="de" href="https://test.example.ch/de/angebote/art/sprachkurse/finden/abend/"'
        in entry
    )


def test_hours_given_only_as_a_comment_are_one_sentence(built: Path) -> None:
    page = _page(built, "de/angebote/permanence-rdv/index.html")
    hours_section = page.split('<section class="hours"', 1)[1].split("</section>", 1)[0]
    assert "<p>mit Termin</p>" in hours_section and "<table>" not in hours_section
    assert "open-now" not in page  # neither the status line nor its script
    assert "openingHoursSpecification" not in _jsonld(page)  # not "open day and night"
