"""Python (index side) and JavaScript (query side) must fold and cut text identically (issue 3)."""

from __future__ import annotations

import pytest

from sitegen.search.text import RULES, normalize, split_compound, stem, tokenize, words

try:  # the tests folder is a package in some layouts, a plain folder in others
    from tests.test_search_support import NODE, run_node
except ImportError:
    from test_search_support import NODE, run_node  # type: ignore[no-redef]

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

TEXTS = [
    "Français",
    "FRANÇAIS",
    "Zürich",
    "Straße",
    "STRASSE",
    "Œuvre",
    "Ærø",
    "İstanbul",
    "ıi",
    "Ελληνικά ΟΔΟΣ",
    "Україна й їжак",
    "Ёлка",
    "l'école d’été",
    "Deutsch-Kurs",
    "e-mail: info@example.ch",
    "18h30-20h",
    "+41 27 000 11 01",
    "½ ﬁn ＡＢＣ",
    "Crans-Montana, Val de Bagnes (Le Châble)",
    "مُدَرِّسَة",
    "أحمد إبراهيم آمنة ٱلله",
    "مستشفى مدرسة",
    "کتاب یک",
    "٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹",
    "عربـــي",
    "می\u200cخواهم",
    "שָׁלוֹם",
    "தமிழ் மொழி",
    "हिन्दी",
    "ትግርኛ ቋንቋ።",
    "日本語のテキスト、句読点。",
    "emoji 😀 ok",
    "soft\u00adhyphen",
    "tab\tnew\nline",
    "«guillemets» „Anführungszeichen“",
    "Arbeitsvermittlung/Integrationsfachstelle",
    "x" * 45 + " short",
    "a b cd",
    "ǅemal Ǆ",
    "Ŀl·l",
    "ﬆ ﬀ",
    "Ⅻ ①",
    "Ǽ Ø ð Þ Đ Ł",
    "ẞ",
    "déjà-vu",
    "naïve café",
    "ĳssel",
]

STEMS = {
    "fr": [
        "cours",
        "course",
        "français",
        "française",
        "françaises",
        "journées",
        "chevaux",
        "travaux",
        "rapidement",
        "conseillère",
        "conseiller",
        "classes",
        "inscrites",
        "sion",
        "nationaux",
        "heureuse",
        "a1",
        "éducatrice",
    ],
    "de": [
        "Deutschkurs",
        "Deutschkurse",
        "Kursen",
        "Beratung",
        "Beratungen",
        "Lehrerinnen",
        "Kindern",
        "Sitten",
        "Naters",
        "Angebote",
        "Arbeit",
        "arbeiten",
        "deutschen",
        "B1",
        "Integrationsfachstelle",
    ],
    "en": [
        "courses",
        "counselling",
        "counsel",
        "classes",
        "studies",
        "meetings",
        "running",
        "called",
        "bus",
        "news",
        "analysis",
        "children",
        "needed",
        "stopped",
    ],
}


def test_normalize_and_tokenize_match_javascript() -> None:
    js = run_node(
        "return input.map(t => [engine.normalize(t), engine.tokenize(engine.normalize(t))])", TEXTS
    )
    assert js == [[normalize(t), tokenize(normalize(t))] for t in TEXTS]


def test_stemmers_match_javascript() -> None:
    cases = [(lang, normalize(w)) for lang, ws in STEMS.items() for w in ws]
    js = run_node(
        "return input.cases.map(([l, w]) => engine.stem(w, input.rules[l]))",
        {"cases": cases, "rules": RULES},
    )
    assert js == [stem(w, lang) for lang, w in cases]


def test_stop_words_match_javascript() -> None:
    text = (
        "Le cours de français et la classe pour les parents; der Kurs und die Beratung; the "
        "course for you"
    )
    js = run_node(
        "return Object.keys(input.rules).map(l => engine.words(input.text, input.rules[l]))",
        {"text": text, "rules": RULES},
    )
    assert js == [words(text, lang) for lang in RULES]


def test_compound_splitting_matches_javascript() -> None:
    known = {
        "deutsch",
        "kurs",
        "integratio",
        "fachstell",
        "arbeit",
        "vermittlung",
        "sprach",
        "beratung",
        "stell",
        "kind",
        "betreuung",
        "eltern",
        "abend",
    }
    cases = [
        "deutschkurs",
        "integrationsfachstelle",
        "arbeitsvermittlung",
        "sprachkurse",
        "kinderbetreuung",
        "elternabend",
        "beratungsstelle",
        "deutsch",
        "unbekanntwort",
        "abendsprachkurs",
    ]
    js = run_node(
        "const k = new Set(input.known); return input.cases.map(w => engine.splitCompound(w, "
        "input.rules, s => k.has(s)))",
        {"known": sorted(known), "cases": cases, "rules": RULES["de"]},
    )
    assert js == [split_compound(w, "de", known.__contains__) for w in cases]
    assert split_compound("deutschkurs", "de", known.__contains__) == ["deutsch", "kurs"]


def test_folding_examples_from_the_issue() -> None:
    assert normalize("Français") == "francais"
    assert normalize("Zürich") == "zurich"
    assert normalize("Straße") == normalize("Strasse") == "strasse"
    assert normalize("Œuvre Ærø") == "oeuvre aero"
    assert normalize("أحمد إبراهيم آمنة") == "احمد ابراهيم امنه"
    assert normalize("مُدَرِّسَة") == "مدرسه"
    assert normalize("کتاب یک") == normalize("كتاب يك")
