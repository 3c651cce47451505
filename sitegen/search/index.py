"""The per-language search index (issue 3): pure functions from documents to files.

Layout under assets/search/<lang>/, every file a script that hands its data to the
engine (`sgSearch(name, data)`), so that it loads from file:// where fetch() cannot:
- core.js: the whole vocabulary (front-coded stems, so typo tolerance can scan it
  locally), synonym groups, facets with their offers, language rules, chunk bounds;
- p<k>.js: postings of a range of the sorted vocabulary, delta-coded doc ids;
- d<k>.js: url, title and excerpt of a range of documents, loaded for shown results.
Other languages' indexes are not copied in: the engine loads them lazily when a query
finds little, so only the keys of `other_docs` are used (the languages that have an index;
with none given the engine asks the languages the page links to with hreflang).
Terms and postings come from postings.py, where a SearchMemo kept by the caller lets a
rebuild analyse only what changed (issue 6); the documents from documents.py.
docs/search.md describes the format and the measured sizes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from sitegen.search.postings import SearchMemo, encode_ids
from sitegen.search.text import RULES, distinct, normalize

FACETS = ("kind", "region", "commune", "language", "level", "free", "childcare")

POSTINGS_CHUNK = 3000  # characters; a typical three-word query touches 2-4 chunks
DOCS_CHUNK = 2400  # characters, about 10-15 documents
EXCERPT = 170  # characters


@dataclass(frozen=True, slots=True)  # a memo keeps thousands of them
class SearchDoc:
    url: str  # output file path relative to the build root, e.g. "fr/offres/x/index.html"
    lang: str  # language of the text itself (a fallback page may hold another language)
    kind: str  # "page" or "offer"
    title: str
    summary: str
    headings: tuple[str, ...]
    keywords: tuple[str, ...]
    body: str  # plain text
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # offers only


def _script(name: str, data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # U+2028/2029 end a line in pre-ES2019 JavaScript strings.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"sgSearch({json.dumps(name)},{text});\n".encode()


def _doc_order(docs: Sequence[SearchDoc]) -> list[int]:
    """Pages, then offers grouped by kind, region and commune: results of one query then
    tend to share a documents chunk, so fewer files load."""

    def key(i: int) -> tuple[object, ...]:
        doc = docs[i]
        if doc.kind != "offer":
            return (0, "", "", "", i)
        facet = doc.facets
        return (
            1,
            *(
                facet.get(f, ("",))[0] if facet.get(f) else ""
                for f in ("kind", "region", "commune")
            ),
            i,
        )

    return sorted(range(len(docs)), key=key)


def _excerpt(doc: SearchDoc) -> str:
    source = doc.summary or doc.body
    # Whitespace collapsed in a prefix gives a prefix of the whole text collapsed: enough of it
    # decides the excerpt, without splitting a long body (every document, every build).
    text = " ".join(source[: 4 * EXCERPT].split())
    if len(text) <= EXCERPT:
        text = " ".join(source.split())
    if len(text) <= EXCERPT:
        return text
    cut = text.rfind(" ", 0, EXCERPT)
    return text[: cut if cut > EXCERPT // 2 else EXCERPT].rstrip(" ,;:.") + "…"


def _chunks(sizes: Sequence[int], target: int) -> list[int]:
    """Start indexes of consecutive runs whose sizes add up to about `target`."""
    starts = [0]
    total = 0
    for i, size in enumerate(sizes):
        if total and total + size > target:
            starts.append(i)
            total = 0
        total += size
    return starts


def build_search_files(
    lang: str,
    docs: Sequence[SearchDoc],
    other_docs: Mapping[str, Sequence[SearchDoc]],
    facet_labels: Mapping[str, Mapping[str, str]],
    synonyms: Mapping[str, list[list[str]]],
    memo: SearchMemo | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Yield the index files of one language tree: (path under the build root, bytes).

    With a `memo` kept from the previous call, only the documents that changed are analysed.
    """
    base = f"assets/search/{lang}/"
    order = _doc_order(docs)
    ordered = [docs[i] for i in order]
    groups = [list(group) for group in synonyms.get(lang, [])]
    encoded, front = (memo or SearchMemo()).index(lang, ordered, groups)

    term_starts = _chunks([len(e) + 1 for e in encoded], POSTINGS_CHUNK)
    for k, start in enumerate(term_starts):
        end = term_starts[k + 1] if k + 1 < len(term_starts) else len(encoded)
        yield f"{base}p{k}.js", _script(f"{lang}/p{k}", ",".join(encoded[start:end]))

    records: list[list[str]] = []
    for doc in ordered:
        url = doc.url[: -len("index.html")] if doc.url.endswith("/index.html") else doc.url
        record = [url, doc.title, _excerpt(doc)]
        if doc.lang != lang:
            record.append(doc.lang)
        records.append(record)
    doc_starts = _chunks([sum(len(x) + 3 for x in r) for r in records], DOCS_CHUNK)
    for k, start in enumerate(doc_starts):
        end = doc_starts[k + 1] if k + 1 < len(doc_starts) else len(records)
        yield f"{base}d{k}.js", _script(f"{lang}/d{k}", records[start:end])

    langs = distinct([lang, *(d.lang for d in ordered)])
    core = {
        "v": 1,
        "lang": lang,
        "n": len(ordered),
        "rules": {code: RULES[code] for code in langs if code in RULES},
        "langs": langs,
        "terms": front,
        "pc": term_starts,
        "dc": doc_starts,
        "fo": next((i for i, d in enumerate(ordered) if d.kind == "offer"), len(ordered)),
        "facets": _facets(ordered, facet_labels),
        "syn": [[normalize(m) for m in group] for group in groups],
        "other": sorted(code for code in other_docs if code != lang),
    }
    yield f"{base}core.js", _script(f"{lang}/core", core)


def _facets(
    docs: Sequence[SearchDoc], labels: Mapping[str, Mapping[str, str]]
) -> list[list[object]]:
    """[facet id, [[value id, label, encoded doc ids], ...]] for the values offers use,
    in the order of `labels` (site.yaml's order), then unknown values alphabetically."""
    with_facets = [(number, doc.facets) for number, doc in enumerate(docs) if doc.facets]
    out: list[list[object]] = []
    for facet in FACETS:
        members: dict[str, list[int]] = {}
        for number, facets in with_facets:
            values = facets.get(facet)
            if values:
                for value in distinct(values) if len(values) > 1 else values:
                    members.setdefault(value, []).append(number)
        if not members:
            continue
        names = labels.get(facet, {})
        ordered = [v for v in names if v in members] + sorted(v for v in members if v not in names)
        out.append([facet, [[v, names.get(v, v), encode_ids(members[v])] for v in ordered]])
    return out
