"""The search index rebuilt with a SearchMemo (issue 6) gives the bytes of a build from scratch.

Every test builds each state twice, with the memo kept since the first state and without
any memo, and compares the files. The states follow what an editor does under `serve`:
pages edited (new words, German compounds whose parts appear or vanish elsewhere),
added, removed, moved, translated, offers re-filed, synonyms edited.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.reading import load_site
from sitegen.search.documents import search_docs
from sitegen.search.index import EXCERPT, SearchDoc, _excerpt, build_search_files
from sitegen.search.postings import SearchMemo, decode_postings, encode_postings, front_code
from sitegen.search.text import utf16_sort_key

try:  # the tests folder is a package in some layouts, a plain folder in others
    from tests.helpers import ROOT, TODAY
except ImportError:
    from helpers import ROOT, TODAY  # type: ignore[no-redef]

Synonyms = dict[str, list[list[str]]]
OTHERS = {"fr": (), "de": (), "en": ()}
LABELS = {"kind": {"course": "Kurs", "counselling": "Beratung"}}


def page(url: str, title: str, body: str = "", lang: str = "de", **kw: object) -> SearchDoc:
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
    lang: str = "de",
    kind: str = "course",
    region: str = "oberwallis",
) -> SearchDoc:
    return SearchDoc(
        url=url,
        lang=lang,
        kind="offer",
        title=title,
        summary="",
        headings=(),
        keywords=("Kurs",),
        body=body,
        facets={"kind": (kind,), "region": (region,)},
    )


DOCS = [
    page(
        "de/kurse/index.html",
        "Sprachkurse",
        "Im Oberwallis lernen Sie Deutsch. Der Velokurs am Abend, ein Deutschkurs am Morgen.",
        headings=("Abendkurse",),
    ),
    page(
        "de/beratung/index.html",
        "Beratung",
        "Die Beratungsstelle in Brig berät Sie zu Arbeit und Wohnung. Bahnhofstrasse 3.",
    ),
    page(
        "de/kita/index.html",
        "Kita",
        "Die Kinderbetreuung in Naters, für Eltern mit kleinen Kindern. Elternabend im Mai.",
    ),
    page(
        "de/fallback/index.html",
        "Délégués à l'intégration",
        "Une personne vous accueille dans votre commune.",
        lang="fr",
    ),
    offer("de/angebote/a/index.html", "Deutsch A1", "Abendkurs in Visp, Kinderhütedienst."),
    offer(
        "de/angebote/b/index.html",
        "Beratung für Familien",
        "Familienberatung in Sitten.",
        kind="counselling",
    ),
    offer(
        "de/angebote/c/index.html",
        "Französisch A2",
        "Französischkurs in Siders.",
        region="mittelwallis",
    ),
]
SYNONYMS: Synonyms = {
    "de": [["Deutschkurs", "Deutsch lernen", "cours d'allemand"], ["Kita", "Kinderkrippe"]],
    "fr": [["cours d'allemand", "Deutschkurs"]],
}


def build(
    lang: str, docs: list[SearchDoc], synonyms: Synonyms, memo: SearchMemo | None = None
) -> list[tuple[str, bytes]]:
    return list(build_search_files(lang, docs, OTHERS, LABELS, synonyms, memo))


def check(
    memo: SearchMemo,
    docs: list[SearchDoc],
    synonyms: Synonyms = SYNONYMS,
    langs: tuple[str, ...] = ("de",),
) -> list[tuple[str, bytes]]:
    """Build with the memo and without; the same files, byte for byte."""
    files = []
    for lang in langs:
        files = build(lang, docs, synonyms, memo)
        assert files == build(lang, docs, synonyms), f"the memo changed the index of {lang}"
    return files


def postings(files: list[tuple[str, bytes]]) -> dict[str, list[int]]:
    """Term -> document numbers, read back from the files."""
    data = {}
    for path, blob in files:
        text = blob.decode()
        data[path.rsplit("/", 1)[1][:-3]] = json.loads(text[text.index(",") + 1 : -3])
    terms, prev = [], ""
    for piece in data["core"]["terms"].split(",") if data["core"]["terms"] else []:
        prev = prev[: int(piece[0], 36)] + piece[1:]
        terms.append(prev)
    encoded = [e for k in range(len(data["core"]["pc"])) for e in data[f"p{k}"].split(",")]
    return {
        term: [v >> 2 for v in decode_postings(e)] for term, e in zip(terms, encoded, strict=True)
    }


def edit(docs: list[SearchDoc], index: int, **changes: object) -> list[SearchDoc]:
    return [*docs[:index], replace(docs[index], **changes), *docs[index + 1 :]]  # type: ignore[arg-type]


def test_edits_added_removed_and_moved_documents() -> None:
    memo = SearchMemo()
    docs = list(DOCS)
    check(memo, docs)
    check(memo, docs)  # nothing changed
    docs = edit(docs, 0, body=DOCS[0].body + " Ein neues Wort: Zwetschgenkuchen.")
    check(memo, docs)
    docs = edit(
        docs, 1, title="Beratung und Hilfe", summary="Hilfe für alle"
    )  # another field, a class changes
    check(memo, docs)
    docs = [
        *docs[:2],
        page("de/neu/index.html", "Neue Seite", "Sprachkurse für Eltern."),
        *docs[2:],
    ]  # added: renumbers
    check(memo, docs)
    docs = docs[1:]  # removed
    check(memo, docs)
    docs = edit(
        docs, 4, facets={"kind": ("zz",), "region": ("oberwallis",)}
    )  # an offer re-filed: order changes, text does not
    check(memo, docs)
    docs = edit(docs, 2, lang="fr")  # the same text, now labelled French (a fallback)
    check(memo, docs)
    docs = [docs[1], docs[1], *docs]  # the same content twice
    check(memo, docs)
    docs = docs[1:]
    check(memo, docs)
    check(memo, [])
    check(memo, list(DOCS))


def test_a_compound_part_written_elsewhere_changes_an_unchanged_page() -> None:
    memo = SearchMemo()
    before = check(memo, DOCS)
    assert "velo" not in postings(before)  # "Velokurs" does not split while nobody writes "Velo"
    with_velo = [*DOCS, page("de/velo/index.html", "Velo", "Mit dem Velo zur Arbeit.")]
    after = check(memo, with_velo)
    assert postings(after)["velo"] == [0, 4]  # the unchanged first page now has the part
    check(memo, DOCS)  # and loses it again
    assert "velo" not in postings(check(memo, DOCS))
    # The part appears and vanishes by an edit in place, the page keeping its place.
    edited = edit(DOCS, 2, body=DOCS[2].body + " Velo")
    assert postings(check(memo, edited))["velo"] == [0, 2]
    check(memo, DOCS)
    # The part of a three-piece compound: "Abendsprachkurs" splits once "sprach" is known.
    docs = edit(DOCS, 1, body="Abendsprachkurs in Brig.")
    check(memo, docs)
    check(memo, edit(docs, 2, body="Sprach und Kurs"))
    check(memo, docs)


def test_german_documents_in_another_tree_have_their_own_dictionary() -> None:
    memo = SearchMemo()
    fr_tree = [page("fr/cours/index.html", "Cours", "Cours de langue", lang="fr"), *DOCS[:3]]
    check(memo, fr_tree, langs=("fr", "de"))
    check(
        memo, [*fr_tree, page("fr/velo/index.html", "Velo", "Velo", lang="de")], langs=("fr", "de")
    )
    check(memo, fr_tree, langs=("de", "fr"))


def test_synonyms_edited() -> None:
    memo = SearchMemo()
    check(memo, DOCS)
    check(
        memo, DOCS, {"de": [["Velo", "Fahrrad"], *SYNONYMS["de"]]}
    )  # a group inserted first renumbers the others
    check(memo, edit(DOCS, 0, body="Fahrrad"), {"de": [["Velo", "Fahrrad"], *SYNONYMS["de"]]})
    check(memo, DOCS, {})
    check(memo, DOCS)


def test_many_documents_changed_at_once() -> None:
    memo = SearchMemo()
    docs = [page(f"de/p{i}/index.html", f"Seite {i}", f"Text {i} Deutschkurs") for i in range(60)]
    check(memo, docs)
    docs = [
        replace(d, body=d.body + " Velokurs") for d in docs
    ]  # more than a patch: every list is renumbered
    check(memo, docs)
    check(memo, list(reversed(docs)))
    # Most documents concerned by a new compound part, by renumbered synonym groups: built afresh.
    check(memo, [*docs, page("de/velo/index.html", "Velo", "Velo")])
    check(memo, docs)
    check(memo, docs, {"de": [["Text", "Inhalt"], *SYNONYMS["de"]]})
    check(memo, docs)


def test_a_build_not_read_or_read_late_leaves_the_memo_right() -> None:
    memo = SearchMemo()
    check(memo, DOCS)
    build_search_files(
        "de", DOCS[:2], OTHERS, LABELS, SYNONYMS, memo
    )  # never iterated: nothing happens
    late = build_search_files("de", DOCS[1:], OTHERS, LABELS, SYNONYMS, memo)
    first = next(late)
    check(memo, DOCS)  # another build before the first one is written to the end
    assert [first, *late] == build("de", DOCS[1:], SYNONYMS)
    check(memo, DOCS)


def test_the_memo_starts_afresh_when_old_words_pile_up() -> None:
    memo = SearchMemo()
    check(memo, DOCS)
    for number in range(3):
        memo._trees["de"].word_limit = 0  # as if many edits had left their words behind
        check(memo, edit(DOCS, 0, body=f"Wortschatzübung{number}"))
        assert "de" not in memo._trees
        check(memo, DOCS)


def test_search_docs_reuses_the_documents_of_unchanged_pages_and_offers() -> None:
    site, contents, localizers, _ = load_site(ROOT, TODAY)
    memo = SearchMemo()
    first = {lang: search_docs(site, contents, loc, memo) for lang, loc in localizers.items()}
    for lang, loc in localizers.items():
        again = search_docs(site, contents, loc, memo)
        assert again == first[lang] == search_docs(site, contents, loc)
        assert all(a is b for a, b in zip(again, first[lang], strict=True))  # nothing made twice
    # A page's body edited, as serve does it: new page and body objects, the others kept.
    (lang, key), rendered = next(
        (slot, r) for slot, r in sorted(contents.pages.items()) if slot[1] != "index"
    )
    pages = {
        **contents.pages,
        (lang, key): replace(rendered, text=rendered.text + " Zwetschgenkuchen"),
    }
    site = replace(site, pages={**site.pages, (lang, key): replace(site.pages[(lang, key)])})
    contents = replace(contents, pages=pages)
    docs = search_docs(site, contents, localizers[lang], memo)
    assert docs == search_docs(site, contents, localizers[lang])
    assert sum(a is not b for a, b in zip(docs, first[lang], strict=True)) == 1
    assert any(d.body.endswith("Zwetschgenkuchen") for d in docs)
    # Another localizer (catalogs or site.yaml changed): every offer is made again.
    other = replace(localizers[lang])
    docs = search_docs(site, contents, other, memo)
    assert docs == search_docs(site, contents, other)
    assert all(a is not b for a, b in zip(docs, first[lang], strict=True) if a.kind == "offer")
    assert any(a.kind == "offer" for a in docs)


# ----------------------------------------------------------------------------- properties

WORDS = (
    "velo kurs velokurs deutsch deutschkurs sprachkurse sprach abend abendkurs abendsprachkurs "
    "beratungsstelle stelle beratung bahnhof bahnhofstrasse strasse kinderbetreuung kinder und die "
    "naters kurse kursen miete wohnungsmiete familien familienzentrum zentrum eltern elternabend "
    "arbeitsvermittlung sitten sion cours allemand francais les de conseil fahrrad kita "
    "kinderkrippe a1 18h30"
).split()
text = st.lists(st.sampled_from(WORDS), max_size=10).map(" ".join)
document = st.builds(
    lambda kind, lang, title, body, summary, facet: SearchDoc(
        url="",
        lang=lang,
        kind=kind,
        title=title,
        summary=summary,
        headings=(),
        keywords=(),
        body=body,
        facets={"kind": (facet,)} if kind == "offer" else {},
    ),
    st.sampled_from(["page", "offer"]),
    st.sampled_from(["de", "de", "fr"]),
    text,
    text,
    text,
    st.sampled_from(["a", "b"]),
)
groups = st.lists(
    st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join),
        min_size=2,
        max_size=3,
        unique=True,
    ),
    max_size=3,
)
step = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 20), document),
    st.tuples(st.just("append"), st.integers(0, 20), st.sampled_from(WORDS)),
    st.tuples(st.just("add"), st.integers(0, 20), document),
    st.tuples(st.just("remove"), st.integers(0, 20)),
    st.tuples(st.just("synonyms"), groups),
)


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(document, max_size=8), st.lists(step, min_size=1, max_size=8))
def test_any_sequence_of_edits_gives_the_bytes_of_a_fresh_build(
    start: list[SearchDoc], steps: list[tuple[object, ...]]
) -> None:
    memo = SearchMemo()
    docs, synonyms = list(start), {"de": [["deutschkurs", "cours allemand"]]}
    check(memo, docs, synonyms, ("de", "fr"))
    for action, *args in steps:
        where = args[0] % (len(docs) + 1) if isinstance(args[0], int) else 0
        if action == "edit" and where < len(docs):
            docs[where] = args[1]  # type: ignore[call-overload]
        elif action == "append" and where < len(docs):
            docs[where] = replace(docs[where], body=f"{docs[where].body} {args[1]}")
        elif action == "add":
            docs.insert(where, args[1])  # type: ignore[arg-type]
        elif action == "remove" and where < len(docs):
            del docs[where]
        elif action == "synonyms":
            synonyms = {"de": args[0], "fr": args[0]}  # type: ignore[dict-item]
        docs = [replace(d, url=f"de/{i}/index.html") for i, d in enumerate(docs)]
        check(memo, docs, synonyms, ("de", "fr"))


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(st.integers(0, 3), max_size=50), st.lists(st.integers(0, 3000), max_size=50))
def test_postings_decode_to_what_was_encoded(classes: list[int], gaps: list[int]) -> None:
    doc, packed = -1, []
    for cls, gap in zip(classes, gaps, strict=False):
        doc += 1 + gap * gap  # large gaps too: numbers of three and more characters
        packed.append(doc * 4 + cls)
    assert decode_postings(encode_postings(packed)) == packed


def utf16_front_code(terms: list[str]) -> str:
    """front_code as the format defines it: prefixes counted in UTF-16 code units, no pair cut."""
    out, prev = [], b""
    for term in terms:
        units = term.encode("utf-16-le")
        shared = 0
        while (
            shared < min(len(prev), len(units), 70) // 2
            and units[2 * shared : 2 * shared + 2] == prev[2 * shared : 2 * shared + 2]
        ):
            shared += 1
        if (
            shared
            and 0xD800 <= int.from_bytes(units[2 * shared - 2 : 2 * shared], "little") <= 0xDBFF
        ):
            shared -= 1
        out.append(
            "0123456789abcdefghijklmnopqrstuvwxyz"[shared] + units[2 * shared :].decode("utf-16-le")
        )
        prev = units
    return ",".join(out)


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.lists(
        st.text(st.sampled_from("ab\u00e9\u4e00\U0001d538\U0001d539"), min_size=1, max_size=45),
        max_size=30,
        unique=True,
    )
)
def test_front_code_counts_utf16_units(words: list[str]) -> None:
    terms = sorted(words, key=utf16_sort_key)
    assert front_code(terms) == utf16_front_code(terms)


def whole_excerpt(text: str) -> str:
    """The excerpt as defined: the text with its whitespace collapsed, cut before 170 characters."""
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    cut = text.rfind(" ", 0, EXCERPT)
    return text[: cut if cut > EXCERPT // 2 else EXCERPT].rstrip(" ,;:.") + "…"


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(st.sampled_from("ab ,.\n\t\u00a0\u2003"), max_size=1500), st.booleans())
def test_excerpts_read_only_the_start_of_a_body(text: str, as_summary: bool) -> None:
    doc = (
        page("de/x/index.html", "X", summary=text)
        if as_summary
        else page("de/x/index.html", "X", text)
    )
    assert _excerpt(doc) == whole_excerpt(text)


@pytest.mark.parametrize("terms", [[], ["a"], ["kurs", "kurse", "kursen", "z" * 50, "z" * 51]])
def test_front_code_examples(terms: list[str]) -> None:
    assert front_code(terms) == utf16_front_code(terms)
