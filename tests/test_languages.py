"""Issue 12: any language and script. A six-language fixture site (two right-to-left, one in a
non-Latin left-to-right script) built and checked page by page: lang, dir, bidi isolation,
dates per locale and the fallback chains of page text and interface strings."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import PAGE, SITE_YAML, SITES, TODAY, build_errors, write_site

from sitegen.build import build

SIX = SITES / "six-languages"
DIRECTIONS = {"fr": "ltr", "de": "ltr", "en": "ltr", "ar": "rtl", "prs": "rtl", "ti": "ltr"}


class _Page(HTMLParser):
    """What a reader's browser gets from a page: the <html> attributes, texts by element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html: dict[str, str | None] = {}
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[tuple[tuple[str, dict[str, str | None]], ...], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html = dict(attrs)
        if tag not in ("meta", "link", "input", "br", "img", "hr"):
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append((tuple(self.stack), data.strip()))

    def text_of(self, tag: str, **attrs: str) -> list[str]:
        return [
            text
            for stack, text in self.texts
            if stack
            and stack[-1][0] == tag
            and all(stack[-1][1].get(k) == v for k, v in attrs.items())
        ]

    def lang_of(self, text: str) -> str | None:
        """The language a screen reader reads `text` in: the nearest lang around it."""
        for stack, found in self.texts:
            if found == text:
                return next((a["lang"] for _, a in reversed(stack) if a.get("lang")), None)
        raise AssertionError(f"{text!r} is not on the page")


def read(out: Path, rel: str) -> _Page:
    page = _Page()
    page.feed((out / rel).read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("six") / "build"
    result = build(SIX, out, today=TODAY, cache=False)
    # Babel has no data for Dari: said once, as a warning, and nothing breaks.
    assert [d.format() for d in result.warnings] == [
        "site.yaml:14: warning: no locale data for 'prs': its dates and numbers use the format of "
        "its first fallback language (check the code; a close variant such as fa for prs "
        "also works)"
    ]
    return out


def test_every_page_says_its_language_and_direction(six: Path) -> None:
    pages = sorted(six.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        rel = path.relative_to(six).as_posix()
        # the root pages are in the default language
        lang = rel.split("/")[0] if rel.split("/")[0] in DIRECTIONS else "fr"
        html = read(six, rel).html
        assert (html.get("lang"), html.get("dir")) == (lang, DIRECTIONS[lang]), rel


def test_the_language_choice_shows_each_name_in_its_own_direction(six: Path) -> None:
    text = (six / "index.html").read_text(encoding="utf-8")
    assert (
        'lang="ar" dir="rtl"' in text
        and 'lang="prs" dir="rtl"' in text
        and 'lang="ti" dir="ltr"' in text
    )
    assert "ናብ ቫለ እንቋዕ ብደሓን መጻእኩም" in text and "مرحبا بكم في فاليه" in text


@pytest.mark.parametrize(
    ("lang", "title", "text_lang"),
    [
        ("de", "Contact", "fr"),  # no chain: the default language
        ("ar", "Contact", "fr"),
        ("ti", "Contact us", "en"),  # fallbacks: {ti: [en]}
        ("prs", "Contact us", "en"),
    ],
)
def test_a_missing_page_follows_the_languages_fallback_chain(
    six: Path, lang: str, title: str, text_lang: str
) -> None:
    page = read(six, f"{lang}/contact/index.html")
    assert page.text_of("h1") == [title]
    assert page.lang_of("Write to us." if text_lang == "en" else "Écrivez-nous.") == text_lang
    assert page.text_of("p", **{"class": "notice", "role": "note"})


@pytest.mark.parametrize(
    ("lang", "search", "skip"),
    [
        ("ar", "بحث", "Aller au contenu"),  # the site's partial catalog, then French (the default)
        ("ti", "ድለ", "Skip to content"),  # the site's partial catalog, then English (its chain)
        ("prs", "Search", "Skip to content"),  # no catalog at all: its chain's English
        ("de", "Suche", "Zum Inhalt springen"),
    ],
)
def test_interface_strings_fall_back_string_by_string(
    six: Path, lang: str, search: str, skip: str
) -> None:
    page = read(six, f"{lang}/index.html")
    assert page.text_of("a", **{"class": "skip-link"}) == [skip]
    assert page.text_of("button", type="submit") == [search]


def test_left_to_right_data_is_isolated_inside_right_to_left_text(six: Path) -> None:
    offer = next(six.glob("ar/*/sion-francais-a1/index.html")).relative_to(six).as_posix()
    page = read(six, offer)
    isolated = page.text_of("bdi")
    for data in ("+41 27 000 00 01", "cours@example.ch", "Rue de l'Exemple 1, 1950 Sion", "A1"):
        assert data in isolated, data
    assert any("CHF" in text for text in isolated)
    card = next(six.glob("ar/*/index.html")).read_text(encoding="utf-8")
    assert "<bdi>Sion</bdi>" in card and "<bdi>A1</bdi>" in card


@pytest.mark.parametrize(
    ("lang", "month"),
    [
        ("ar", "سبتمبر"),
        ("ti", "መስከረም"),
        ("prs", "September"),
        ("de", "September"),
        ("fr", "septembre"),
    ],
)
def test_dates_follow_the_locale(six: Path, lang: str, month: str) -> None:
    # Arabic has its own slug
    courses = "ar/dawrat/index.html" if lang == "ar" else f"{lang}/cours/index.html"
    updated = read(six, courses).text_of("p", **{"class": "updated"})
    assert len(updated) == 1 and month in updated[0], updated


def test_a_template_that_drops_lang_and_dir_fails_the_build(tmp_path: Path) -> None:
    base = (Path(__file__).parent.parent / "sitegen/templates/base.html").read_text(
        encoding="utf-8"
    )
    site = write_site(
        tmp_path / "site",
        {
            "content/fr/index.md": PAGE.format(title="Accueil"),
            "templates/base.html": re.sub(
                r'<html lang="\{\{ lang \}\}" dir="\{\{ dir \}\}"', "<html", base
            ),
        },
    )
    errors = build_errors(site)
    assert (
        "content/fr/index.md: the page fr/index.html does not say its language (lang) nor its "
        'direction (dir="ltr" or dir="rtl") on <html> (keep <html lang="{{ lang }}" dir="{{ dir '
        '}}"> in the template (a site template in templates/ may have replaced base.html '
        "without them))" in errors
    )
    assert "fr/offres/index.html: the page fr/offres/index.html does not say" in "\n".join(errors)
    assert not (tmp_path / "site/build").exists()


def test_fallbacks_in_site_yaml_are_checked(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {"content/fr/index.md": PAGE.format(title="Accueil")},
        SITE_YAML + "fallbacks:\n  en: [de, it]\n  es: [fr]\n",
    )
    assert build_errors(site) == [
        "site.yaml:14: the fallbacks of 'en' name 'it', which is not another language of the site "
        "(use languages of the site other than en)",
        "site.yaml:15: fallbacks names the language 'es', which is not in 'languages' (use one "
        "of fr, de, en)",
    ]
