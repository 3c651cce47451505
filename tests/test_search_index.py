"""The search index (sitegen/search/) and the engine that reads it (static/search.js), issue 3."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitegen.search.index import SearchDoc, build_search_files
from sitegen.search.postings import encode_number, front_code
from sitegen.search.synonyms import load_synonyms
from sitegen.search.text import normalize, stem, utf16_sort_key

try:  # the tests folder is a package in some layouts, a plain folder in others
    from tests.test_search_support import NODE, run_node, search, write_index
except ImportError:
    from test_search_support import NODE, run_node, search, write_index  # type: ignore[no-redef]

needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def page(url: str, title: str, body: str = "", lang: str = "fr", **kw: object) -> SearchDoc:
    return SearchDoc(
        url=url,
        lang=lang,
        kind="page",
        title=title,
        summary=str(kw.get("summary", "")),
        headings=tuple(kw.get("headings", ())),
        keywords=tuple(kw.get("keywords", ())),
        body=body,
        facets={},
    )  # type: ignore[arg-type]


def offer(
    url: str,
    title: str,
    body: str = "",
    lang: str = "fr",
    keywords: tuple[str, ...] = (),
    **facets: tuple[str, ...],
) -> SearchDoc:
    return SearchDoc(
        url=url,
        lang=lang,
        kind="offer",
        title=title,
        summary="",
        headings=(),
        keywords=keywords,
        body=body,
        facets=facets,
    )


FR = [
    page(
        "fr/cours/index.html",
        "Cours de langue",
        "Apprendre le français près de chez vous. Les cours ont lieu le soir.",
        summary="Tous les cours de français et d'allemand.",
        headings=("Niveaux", "Le label fide"),
    ),
    page(
        "fr/sante/index.html",
        "Santé",
        "Le médecin de famille, l'hôpital et la pharmacie. Un interprète peut venir avec vous.",
    ),
    page(
        "fr/logement/index.html",
        "Logement",
        "Chercher un appartement à Zürich ou à Sion. Le bail et la caution.",
    ),
    offer(
        "fr/offres/sion-a1/index.html",
        "Français A1 du soir",
        "Lundi et mercredi, 18h30-20h. Petits groupes.",
        keywords=(
            "Association Langues",
            "Sion",
            "Valais central",
            "Cours de langue",
            "français",
            "A1",
        ),
        kind=("course",),
        region=("valais-central",),
        commune=("Sion",),
        language=("fr",),
        level=("A1",),
        childcare=("yes",),
    ),
    offer(
        "fr/offres/sierre-a2/index.html",
        "Français A2 du matin",
        "Mardi matin. Garde d'enfants sur place.",
        keywords=(
            "Association Langues",
            "Sierre",
            "Valais central",
            "Cours de langue",
            "français",
            "A2",
        ),
        kind=("course",),
        region=("valais-central",),
        commune=("Sierre",),
        language=("fr",),
        level=("A2",),
        free=("yes",),
        childcare=("yes",),
    ),
    offer(
        "fr/offres/brig-deutsch/index.html",
        "Allemand A1",
        "Ein Deutschkurs am Abend.",
        keywords=("Sprachschule", "Brig-Glis", "Haut-Valais", "Cours de langue", "allemand", "A1"),
        kind=("course",),
        region=("haut-valais",),
        commune=("Brig-Glis",),
        language=("de",),
        level=("A1",),
    ),
    offer(
        "fr/offres/sion-conseil/index.html",
        "Bureau de conseil",
        "Conseil social et juridique, sur rendez-vous.",
        keywords=("Ville de Sion", "Sion", "Valais central", "Conseil et orientation"),
        kind=("counselling",),
        region=("valais-central",),
        commune=("Sion",),
        language=("fr", "en"),
        free=("yes",),
    ),
]
DE = [
    page(
        "de/kurse/index.html",
        "Sprachkurse",
        "Im Oberwallis lernen Sie Deutsch. Ein Deutschkurs hilft im Alltag.",
        lang="de",
    ),
    page(
        "de/beratung/index.html",
        "Beratung",
        "Die Beratungsstelle in Brig berät Sie zu Arbeit und Wohnung.",
        lang="de",
    ),
    page(
        "de/strasse/index.html",
        "Strasse und Verkehr",
        "Die Bahnhofstraße in Visp. Ein Deutsch-Kurs für Fahrer.",
        lang="de",
    ),
    page(
        "de/kita/index.html",
        "Kita",
        "Die Kinderbetreuung in Naters, für Eltern mit kleinen Kindern.",
        lang="de",
    ),
    page(
        "de/fallback/index.html",
        "Délégués à l'intégration",
        "Une personne vous accueille dans votre commune.",
        lang="fr",
    ),
]
EN = [
    page(
        "en/counselling/index.html",
        "Counselling",
        "Counselling for newcomers, free of charge, in many languages.",
        lang="en",
    ),
    page(
        "en/courses/index.html",
        "Language courses",
        "German courses in Upper Valais, French courses elsewhere.",
        lang="en",
    ),
]
LABELS = {
    "kind": {"course": "Cours de langue", "counselling": "Conseil et orientation"},
    "region": {"valais-central": "Valais central", "haut-valais": "Haut-Valais"},
    "commune": {"Brig-Glis": "Brig-Glis", "Sierre": "Sierre", "Sion": "Sion"},
    "language": {"fr": "français", "de": "allemand", "en": "anglais"},
    "level": {"A1": "A1", "A2": "A2"},
    "free": {"yes": "Gratuit"},
    "childcare": {"yes": "Avec garde d'enfants"},
}
SYNONYMS = {
    "fr": [["cours d'allemand", "Deutschkurs", "German course"]],
    "en": [["counselling", "advice", "Beratung"]],
}
ALL = {"fr": FR, "de": DE, "en": EN}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("index")
    for lang, docs in ALL.items():
        write_index(
            out, build_search_files(lang, docs, ALL, LABELS if lang == "fr" else {}, SYNONYMS)
        )
    return out


def test_files_live_under_assets_search_and_are_deterministic() -> None:
    first = list(build_search_files("fr", FR, ALL, LABELS, SYNONYMS))
    again = list(build_search_files("fr", list(FR), dict(ALL), dict(LABELS), dict(SYNONYMS)))
    assert first == again
    paths = [p for p, _ in first]
    assert all(re.fullmatch(r"assets/search/fr/(core|p\d+|d\d+)\.js", p) for p in paths)
    assert "assets/search/fr/core.js" in paths
    core = dict(first)["assets/search/fr/core.js"].decode()
    assert core.startswith('sgSearch("fr/core",') and core.endswith(");\n")
    data = json.loads(core[len('sgSearch("fr/core",') : -3])
    assert (
        data["n"] == len(FR) and data["other"] == ["de", "en"] and data["fo"] == 3
    )  # pages first, then offers
    assert [f[0] for f in data["facets"]] == [
        "kind",
        "region",
        "commune",
        "language",
        "level",
        "free",
        "childcare",
    ]


@needs_node
def test_numbers_and_vocabulary_decode_in_javascript() -> None:
    numbers = [0, 1, 63, 64, 65, 1727, 1728, 4096, 110591, 110592, 10**7]
    assert (
        run_node("return engine.decodeNumbers(input)", "".join(encode_number(n) for n in numbers))
        == numbers
    )
    terms = sorted(
        {"cours", "course", "courses", "coût", "zürich", "z", "日本", "a1", "𝔸x", "ab" * 30},
        key=utf16_sort_key,
    )
    decoded = run_node(
        "return new engine.Index({lang:'fr', n:0, langs:[], rules:{}, pc:[0], dc:[0], facets:[], "
        "syn:[], other:[], terms:input}).terms",
        front_code(terms),
    )
    assert decoded == terms


@needs_node
def test_accents_case_and_prefixes(built: Path) -> None:
    francais, zurich, prefix, upper = search(built, "fr", ["francais", "zurich", "loge", "SANTE"])
    assert francais["urls"][0] in ("fr/offres/sion-a1/", "fr/offres/sierre-a2/")
    assert zurich["urls"] == ["fr/logement/"]
    assert prefix["urls"] == ["fr/logement/"]
    assert upper["urls"] == ["fr/sante/"]


@needs_node
def test_typos_one_edit_from_four_letters_two_from_eight(built: Path) -> None:
    one, two, short, too_many = search(
        built, "fr", ["interprte ", "pharmaice hopiatl ", "sinn ", "lgmnt "]
    )
    assert one["urls"] == ["fr/sante/"]  # interprète, one letter missing
    assert two["urls"] == ["fr/sante/"]  # a transposition in each word
    assert (
        short["urls"][:2] != [] and "fr/offres/sion-a1/" in short["urls"]
    )  # "sinn" -> sion, one edit at 4 letters
    assert too_many["urls"] == []
    (three,) = search(
        built, "fr", ["son "]
    )  # complete 3-letter words get no edit (sion is one away)
    assert three["urls"] == []


@needs_node
def test_stemming_finds_plural_and_feminine_forms(built: Path) -> None:
    plural, singular = search(built, "fr", ["groupe ", "cour "])
    assert plural["urls"] == ["fr/offres/sion-a1/"]
    assert "fr/cours/" in singular["urls"]
    assert stem(normalize("françaises"), "fr") == stem(normalize("français"), "fr")
    assert stem("kurse", "de") == stem("kurs", "de") and stem("courses", "en") == stem(
        "course", "en"
    )


@needs_node
def test_german_compounds_both_ways(built: Path) -> None:
    kurs, apart, whole, betreuung = search(
        built, "de", ["kurs ", "deutsch kurs ", "deutschkurs ", "betreuung "]
    )
    assert "de/kurse/" in kurs["urls"]  # "Deutschkurs" found by "kurs"
    assert "de/kurse/" in apart["urls"]  # "Deutsch Kurs" finds "Deutschkurs"
    assert "de/strasse/" in whole["urls"]  # "deutschkurs" finds "Deutsch-Kurs"
    assert betreuung["urls"] == ["de/kita/"]
    (strasse,) = search(built, "de", ["bahnhofstrasse"])
    assert strasse["urls"] == ["de/strasse/"]


@needs_node
def test_synonyms_join_phrases_across_languages(built: Path) -> None:
    (german_course,) = search(built, "fr", ["german course "])
    assert german_course["urls"] == ["fr/offres/brig-deutsch/"]
    (advice,) = search(built, "en", ["advice "])
    assert advice["urls"] == ["en/counselling/"]


@needs_node
def test_title_outranks_body(built: Path) -> None:
    (r,) = search(built, "en", ["counselling "])
    assert r["urls"][0] == "en/counselling/"
    (r,) = search(built, "fr", ["cours francais sion "])
    assert r["urls"][0] == "fr/offres/sion-a1/"  # title + commune + kind beat the general page


@needs_node
def test_facets_filter_and_count(built: Path) -> None:
    (r,) = search(built, "fr", ["francais"], {"region": ["valais-central"]})
    assert set(r["urls"]) == {"fr/offres/sion-a1/", "fr/offres/sierre-a2/"}
    (r,) = search(built, "fr", [""], {"region": ["valais-central"], "free": ["yes"]})
    assert r["urls"] == ["fr/offres/sierre-a2/", "fr/offres/sion-conseil/"] or set(r["urls"]) == {
        "fr/offres/sierre-a2/",
        "fr/offres/sion-conseil/",
    }
    counts = r["counts"]
    assert counts["free"]["yes"] == 2  # a facet's own filter does not narrow its own counts
    assert counts["region"] == {"valais-central": 2, "haut-valais": 0}
    assert counts["kind"] == {"course": 1, "counselling": 1}
    (r,) = search(built, "fr", ["cours"], {"commune": ["Sion", "Sierre"], "level": ["A2"]})
    assert r["urls"] == ["fr/offres/sierre-a2/"]
    (r,) = search(built, "fr", ["qwxzv"], {"region": ["valais-central"]})
    assert (
        r["urls"] == [] and r["counts"]["region"]["valais-central"] == 0
    )  # unknown words do not mean "browse"


@needs_node
def test_text_in_another_language_is_labelled(built: Path) -> None:
    (r,) = search(built, "de", ["commune"])
    assert r["urls"] == ["de/fallback/"] and r["langs"] == ["fr"]
    (r,) = search(built, "en", ["deutschkurs naters"])
    assert r["partial"]  # little found: the page asks the other languages' indexes


def test_synonyms_file_is_optional(tmp_path: Path) -> None:
    assert load_synonyms(tmp_path) == ({}, [])


def test_synonyms_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "synonyms.yaml").write_text(
        "# equivalent words per language\n"
        "fr:\n"
        "  - [cours d'allemand, Deutschkurs, German course]\n"
        "  - [Sion, Sitten]\n"
        "de:\n"
        "  - [Sitten, Sion]\n",
        encoding="utf-8",
    )
    synonyms, diags = load_synonyms(tmp_path)
    assert diags == []
    assert synonyms == {
        "fr": [["cours d'allemand", "Deutschkurs", "German course"], ["Sion", "Sitten"]],
        "de": [["Sitten", "Sion"]],
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("fr: [cours, Kurs]\n", 1, "a synonym group must be a list of words or phrases"),
        ("fr:\n  - [cours]\n", 2, "a synonym group needs at least two different words or phrases"),
        (
            "fr:\n  - [Cours, cours]\n",
            2,
            "a synonym group needs at least two different words or phrases",
        ),
        ("French:\n  - [aa, bb]\n", 1, "`French` is not a language code"),
        ("fr:\n  - [aa, bb]\nfr:\n  - [cc, dd]\n", 3, "language `fr` appears twice"),
        ("fr:\n  - [aa, {x: 1}]\n", 2, "a synonym group must be a list of words or phrases"),
        ("fr: cours\n", 1, "`fr` must hold a list of groups"),
        ("- [aa, bb]\n", 1, "synonyms.yaml must map language codes to lists of groups"),
        ("fr:\n  - [aa, bb\n", 3, "synonyms.yaml is not valid YAML"),
    ],
)
def test_synonyms_file_errors_name_the_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    (tmp_path / "synonyms.yaml").write_text(text, encoding="utf-8")
    _, diags = load_synonyms(tmp_path)
    assert len(diags) == 1, diags
    assert diags[0].path == "synonyms.yaml" and diags[0].line == line and diags[0].is_error
    assert diags[0].message.startswith(message) and diags[0].hint


@needs_node
def test_edit_distance_matches_a_full_table() -> None:
    """The banded, early-exit distance of search.js against the textbook dynamic programme."""
    script = """
      function full(a, b) {
        const d = [];
        for (let i = 0; i <= a.length; i++) { d.push(new Array(b.length + 1).fill(0)); d[i][0] = \
i; }
        for (let j = 0; j <= b.length; j++) d[0][j] = j;
        for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
          d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j \
- 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = \
Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
        return d;
      }
      let seed = 7, wrong = [];
      const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
      const word = () => Array.from({ length: 1 + rnd(9) }, () => "abcd"[rnd(4)]).join("");
      for (let k = 0; k < 20000; k++) {
        const a = word(), b = word(), max = 1 + rnd(2), d = full(a, b), m = a.length;
        let prefix = max + 1;
        for (let j = 0; j <= Math.min(b.length, m + max); j++) prefix = Math.min(prefix, d[m][j]);
        const whole = Math.min(d[m][b.length], max + 1);
        if (engine.distance(a, b, max, false) !== whole || engine.distance(a, b, max, true) !== \
prefix) wrong.push([a, b, max]);
      }
      return wrong.slice(0, 5);
    """
    assert run_node(script, None) == []
    assert run_node(
        "return [engine.distance('cours', 'cuors', 1, false), engine.distance('counsel', "
        "'consel', 1, false), engine.distance('sion', 'son', 1, false), engine.distance('deuts', "
        "'deutschkur', 1, true)]",
        None,
    ) == [1, 1, 1, 0]
