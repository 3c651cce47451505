"""Property-based tests (hypothesis) for what every build leans on (issue 5, item 4).

- front matter: what was written comes back, with the right lines; nothing crashes the
  reader, and every problem is one line naming a line of the file;
- slugs and URLs: no two pages ever share an output file without an error naming them,
  and nothing is written outside the output folder;
- text normalisation: one spelling of every text, whatever the editor saved.

The search tokenizer's properties (Python and JavaScript agree) live in test_search_parity.py.
Examples are few and the database is off: the suite must stay fast and leave no files behind.
"""

from __future__ import annotations

import posixpath
import re
import string
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

import pytest
import yaml
from helpers import TODAY
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from sitegen import yamlload
from sitegen.build import build
from sitegen.errors import ContentError
from sitegen.fields import is_slug, slugify
from sitegen.sources import parse_page
from sitegen.textfiles import normalize_text, read_text
from sitegen.urls import output_file, relative

# Hypothesis imports mypy_extensions when it writes its failure patch; under filterwarnings=error
# that import's DeprecationWarning would hide the failing example behind an INTERNALERROR.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

FAST = settings(max_examples=60, deadline=None, database=None)
SLOW = settings(
    max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Text an editor can type: letters of any script, digits, punctuation, symbols, spaces.
typed = st.characters(categories=["L", "M", "N", "P", "S", "Zs"])
words = st.text(typed, min_size=1, max_size=30)


# -- front matter -------------------------------------------------------------------------------

meta_values = st.one_of(words, st.integers(-1000, 1000), st.lists(words, min_size=1, max_size=4))
metas = st.dictionaries(
    st.sampled_from(["title", "summary", "slug", "weight", "keywords", "menu", "note"]),
    meta_values,
    min_size=1,
)
bodies = st.text(
    st.characters(categories=["L", "N", "P", "S", "Zs"]) | st.sampled_from("\n#*-[]()"),
    max_size=200,
)


@FAST
@given(meta=metas, body=bodies)
def test_front_matter_comes_back_with_its_lines(meta: dict[str, object], body: str) -> None:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    text = "---\n" + front + "---\n" + body
    page, diags = parse_page(text, "content/fr/a.md", "fr", "a.md")
    assert diags == [] and page is not None
    assert dict(page.meta) == meta
    assert page.body == body
    lines = text.split("\n")
    assert lines[page.body_line - 1 :] == body.split("\n")
    for key in meta:
        # safe_dump writes every key at the start of a line: that line is the key's.
        assert lines[page.meta.key_lines[key] - 1].startswith(f"{key}:")


# Fragments that upset YAML parsers and front matter splitters, mixed with plain text.
FRAGMENTS = [
    "---",
    "...",
    "title: A",
    "title: 'x",
    'title: "x',
    "\t- a",
    "  - b",
    "a: [",
    "b: {c",
    "*x",
    "&a y",
    "<<: *a",
    "!!python/name:os.system",
    "!foo bar",
    "key: value: x",
    "- ",
    ": ",
    "? [a]",
    "#",
    "|",
    ">-",
    "%YAML 1.1",
    "é",
    "\x00",
    "\x07",
    "\ufeff",
    "[A1] Cours",
    "'L'école'",
    "id: 12",
    "draft: yes",
    "updated: 2026-02-30",
    "x" * 200,
]
messy = st.lists(
    st.sampled_from(FRAGMENTS) | st.text(string.printable, max_size=12), max_size=14
).map("\n".join)


@FAST
@given(text=messy)
@example(text="---\n" + "- [" * 400 + "\n---\n")
def test_any_front_matter_gets_an_answer_never_a_crash(text: str) -> None:
    text = normalize_text(text)
    page, diags = parse_page(text, "content/fr/a.md", "fr", "a.md")
    assert page is not None or any(d.is_error for d in diags), (
        "a page is either read or refused with a reason"
    )
    last = text.count("\n") + 1
    for diag in diags:
        assert diag.path == "content/fr/a.md"
        assert 0 <= diag.line <= last, (diag, last)
        assert diag.message and diag.hint and "\n" not in diag.format(), (
            "one problem, one line of output"
        )


@FAST
@given(text=messy)
def test_yaml_reader_never_raises_and_names_real_lines(text: str) -> None:
    text = normalize_text(text)
    data, problems = yamlload.load(text, line_offset=3)
    assert data is None or not problems or isinstance(data, (dict, list)), (
        "a value comes back only with the map it belongs to"
    )
    for problem in problems:
        assert 4 <= problem.line <= text.count("\n") + 4 + 1
        assert "\n" not in problem.message + problem.hint


# -- slugs -----------------------------------------------------------------------------------------


@FAST
@given(text=st.text(max_size=40))
@example(text="STRAẞE")
@example(text="İstanbul")
@example(text="Cours du soir – A1/A2 (Sion)")
@example(text="../../etc/passwd")
def test_slugify_gives_a_safe_stable_url_word(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or is_slug(slug), slug
    assert not set(slug) & set("/\\.?#%&:;<>\"' \t\n"), slug
    assert slugify(slug) == slug, "a slug written from a slug must not change"
    for form in ("NFC", "NFD", "NFKC"):
        assert slugify(unicodedata.normalize(form, text)) == slug, (
            f"the same word typed as {form} must give the same address"
        )


# -- URLs -----------------------------------------------------------------------------------------

segments = st.lists(
    st.sampled_from(["fr", "de", "cours", "offres", "a", "b-c", "école", "١٢", "x1"]),
    min_size=1,
    max_size=4,
)


@FAST
@given(here=segments, there=segments, file=st.booleans())
def test_relative_links_land_on_their_target(here: list[str], there: list[str], file: bool) -> None:
    here_url = "/".join(here) + "/"
    url = "/".join(there) + ("/sitemap.xml" if file else "/")
    link = relative(url, here_url)
    assert not link.startswith("/") and "//" not in link
    assert posixpath.normpath(posixpath.join(here_url, link)) == output_file(url)
    target = PurePosixPath(output_file(url))
    assert not target.is_absolute() and ".." not in target.parts


NAMES = [
    "cours",
    "Cours",
    "COURS",
    "cours-",
    "cours_",
    "cours.de",
    "cours de",
    "écoles",
    "ecoles",
    "Écoles",
    "straße",
    "strasse",
    "!!",
    "١٢",
    "index",
    "offres",
    "recherche",
    "a",
    "a-b",
    "a--b",
    "x",
]
pages = st.lists(
    st.tuples(
        st.lists(st.sampled_from(NAMES), max_size=2),  # folders
        st.sampled_from(NAMES),  # file name without .md
        st.sampled_from(["fr", "de"]),
        st.none()
        | st.sampled_from(["cours", "ecoles", "a", "a-b", "offres", "x", "strasse"]),  # slug
    ),
    min_size=1,
    max_size=7,
    unique_by=lambda p: (tuple(p[0]), p[1], p[2]),
)
SITE_YAML = """\
title: {fr: "Portail", de: "Portal"}
base_url: "https://test.example.ch/"
default_language: fr
languages: [fr, de]
regions:
  - id: valais-central
    name: {fr: "Valais central", de: "Mittelwallis"}
"""
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)


@SLOW
@given(specs=pages)
def test_no_two_pages_share_a_file_and_nothing_escapes(
    specs: list[tuple[list[str], str, str, str | None]],
) -> None:
    """Build real sites from colliding names: either an error names the clash, or every page
    is alone in its own file, in every language tree, all inside the output folder."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site, out = root / "site", root / "out"
        titles: dict[tuple[str, str], str] = {}  # (lang, key) -> title written in that language
        for number, (folders, name, lang, slug) in enumerate(specs):
            key = "/".join([*folders, f"{name}.md"])
            path = site / "content" / lang / key
            if path.exists():  # "Cours.md" and "cours.md" on a case-insensitive file system
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            titles[(lang, key)] = f"T{number}{lang}"
            path.write_text(
                f"---\ntitle: T{number}{lang}\n"
                + (f"slug: {slug}\n" if slug else "")
                + "---\nText.\n",
                encoding="utf-8",
            )
        (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
        try:
            build(site, out, today=TODAY, cache=False)
        except ContentError as exc:
            sources = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
            errors = [d for d in exc.diagnostics if d.is_error]
            assert errors
            assert all(d.path in sources and "\n" not in d.format() for d in errors), [
                d.format() for d in errors
            ]
            return
        assert sorted(p.name for p in root.iterdir()) == ["out", "site"], (
            "nothing written beside the output folder"
        )
        headings: dict[str, list[str]] = {"fr": [], "de": []}
        for file in out.rglob("*"):
            assert not file.is_symlink() and file.resolve().is_relative_to(out.resolve())
            if file.suffix == ".html" and file.parts[len(out.parts)] in headings:
                headings[file.parts[len(out.parts)]] += H1.findall(file.read_text(encoding="utf-8"))
        for lang in ("fr", "de"):
            for key in {k for _, k in titles}:
                # A page missing in a language shows the default language's text (fr), else the
                # other's.
                shown = titles.get((lang, key)) or titles.get(("fr", key)) or titles[("de", key)]
                assert headings[lang].count(shown) == 1, (
                    f"{key} in {lang}: {shown!r} appears {headings[lang].count(shown)} times"
                )


# -- text normalisation ----------------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r"), max_size=80)


@FAST
@given(text=texts)
@example(text="Cafe\u0301 de l\u2019e\u0301cole")
def test_normalised_text_has_one_spelling(text: str) -> None:
    assume(not text.startswith("\ufeff"))
    clean = normalize_text(text)
    assert normalize_text(clean) == clean
    assert "\r" not in clean and not clean.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", clean)
    for variant in (
        text.replace("\n", "\r\n"),
        text.replace("\n", "\r"),
        "\ufeff" + text,
        unicodedata.normalize("NFD", text),
    ):
        assert normalize_text(variant) == clean


@FAST
@given(text=texts)
def test_a_file_reads_the_same_whatever_the_editor_saved(text: str) -> None:
    assume(not text.startswith("\ufeff"))
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        saved = site / "a.md"
        saved.write_bytes(
            ("\ufeff" + unicodedata.normalize("NFD", text).replace("\n", "\r\n")).encode("utf-8")
        )
        read, diags = read_text(site, saved, "a.md")
        assert diags == [] and read == normalize_text(text)
