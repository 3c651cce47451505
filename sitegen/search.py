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
docs/search.md describes the format and the measured sizes.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml

from sitegen.errors import Diagnostic, error, warning
from sitegen.search_text import (
    COMPOUND_PARTS,
    MIN_COMPOUND,
    RULES,
    distinct,
    normalize,
    split_compound,
    stem,
    stop_words,
    tokenize,
    utf16_sort_key,
)
from sitegen.textfiles import read_text

FACETS = ("kind", "region", "commune", "language", "level", "free", "childcare")
SYNONYMS_FILE = "synonyms.yaml"

# Field classes stored with each posting (2 bits): the engine weighs them 1, 1.6, 3, 6.
TITLE, STRONG, BODY_OFTEN, BODY = 3, 2, 1, 0
POSTINGS_CHUNK = 3000  # characters; a typical three-word query touches 2-4 chunks
DOCS_CHUNK = 2400  # characters, about 10-15 documents
EXCERPT = 170  # characters


@dataclass(frozen=True)
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


# ----------------------------------------------------------------------------- synonyms

_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def load_synonyms(site_dir: Path) -> tuple[dict[str, list[list[str]]], list[Diagnostic]]:
    """Read the optional synonyms.yaml: language code -> list of groups of equivalent phrases."""
    path = site_dir / SYNONYMS_FILE
    if not path.is_file():
        return {}, []
    diags: list[Diagnostic] = []
    fix = "write `fr:` then lines like `- [cours d'allemand, Deutschkurs]`; see docs/search.md"
    text, problems = read_text(site_dir, path, SYNONYMS_FILE)
    if text is None:
        return {}, problems
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        return {}, [error(SYNONYMS_FILE, line, f"synonyms.yaml is not valid YAML: {exc}".splitlines()[0], fix)]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [error(SYNONYMS_FILE, root.start_mark.line + 1, "synonyms.yaml must map language codes to lists of groups", fix)]
    result: dict[str, list[list[str]]] = {}
    for key_node, groups_node in root.value:
        line = key_node.start_mark.line + 1
        lang = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if not _LANG_CODE.match(lang):
            diags.append(error(SYNONYMS_FILE, line, f"`{lang}` is not a language code", "use a code from site.yaml's languages, like `fr`"))
            continue
        if lang in result:
            diags.append(error(SYNONYMS_FILE, line, f"language `{lang}` appears twice", "merge its groups under one key"))
            continue
        if not isinstance(groups_node, yaml.SequenceNode):
            diags.append(error(SYNONYMS_FILE, groups_node.start_mark.line + 1, f"`{lang}` must hold a list of groups", fix))
            continue
        groups: list[list[str]] = []
        for group_node in groups_node.value:
            gline = group_node.start_mark.line + 1
            if isinstance(group_node, yaml.ScalarNode):
                diags.append(error(SYNONYMS_FILE, gline, "a synonym group must be a list of words or phrases",
                                   f"write each group of `{lang}` on its own line: `- [word, other word]`"))
                break
            if not isinstance(group_node, yaml.SequenceNode) or not all(
                isinstance(m, yaml.ScalarNode) for m in group_node.value
            ):
                diags.append(error(SYNONYMS_FILE, gline, "a synonym group must be a list of words or phrases",
                                   "write it as `- [word, other word, a phrase]`"))
                continue
            members = [str(m.value).strip() for m in group_node.value]
            kept = [m for m in members if tokenize(normalize(m))]
            if len(kept) < len(members):
                diags.append(warning(SYNONYMS_FILE, gline, "a member of this group has no word in it and is ignored",
                                     "remove the empty or punctuation-only member"))
            if len(distinct(normalize(m) for m in kept)) < 2:
                diags.append(error(SYNONYMS_FILE, gline, "a synonym group needs at least two different words or phrases",
                                   "add the equivalent words, or remove the group"))
                continue
            groups.append(kept)
        result[lang] = groups
    return result, diags


# ----------------------------------------------------------------------------- encoding

# Numbers as text a gzip compresses well and a JSON string holds unescaped: the last digit
# (base 64) from _T, the higher digits (base 27) from _C, most significant first.
_T = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$_"
_C = "!#%&'()*+-./:;<=>?@[]^`{|}~"


def encode_number(n: int) -> str:
    out = _T[n % 64]
    n //= 64
    while n:
        out = _C[n % 27] + out
        n //= 27
    return out


_SMALL = [encode_number(n) for n in range(4096)]


def encode_postings(postings: Sequence[int]) -> str:
    """Encode postings `doc id * 4 + field class`, sorted, as (gap - 1) * 4 + class."""
    prev = -4  # doc id -1
    parts = []
    for packed in postings:
        value = packed - prev - 4  # (doc - previous doc - 1) * 4 + class
        parts.append(_SMALL[value] if value < 4096 else encode_number(value))
        prev = packed & ~3
    return "".join(parts)


def encode_ids(ids: Sequence[int]) -> str:
    prev = -1
    parts = []
    for doc in ids:
        parts.append(encode_number(doc - prev - 1))
        prev = doc
    return "".join(parts)


def front_code(terms: Sequence[str]) -> str:
    """Join sorted terms as <shared prefix length, base 36><rest>, comma-separated.

    Lengths count UTF-16 code units, as the engine slices JavaScript strings.
    """
    out = []
    prev = b""
    for term in terms:
        units = term.encode("utf-16-le")
        shared = 0
        limit = min(len(prev), len(units), 70) // 2
        while shared < limit and units[2 * shared : 2 * shared + 2] == prev[2 * shared : 2 * shared + 2]:
            shared += 1
        shared = min(shared, 35)
        if shared and 0xD800 <= int.from_bytes(units[2 * shared - 2 : 2 * shared], "little") <= 0xDBFF:
            shared -= 1  # never cut a surrogate pair
        out.append("0123456789abcdefghijklmnopqrstuvwxyz"[shared] + units[2 * shared :].decode("utf-16-le"))
        prev = units
    return ",".join(out)


def _script(name: str, data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # U+2028/2029 end a line in pre-ES2019 JavaScript strings.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"sgSearch({json.dumps(name)},{text});\n".encode()


# ----------------------------------------------------------------------------- analysis


class _Memo(dict[str, list[str] | str]):
    """word -> computed value, computed once: a site repeats its words a lot."""

    def __init__(self, compute: Callable[[str], list[str] | str]):
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> list[str] | str:
        value = self[word] = self.compute(word)
        return value


class _Analyzer:
    """Turn documents into stems with the best field class each appears in."""

    def __init__(self, docs: Sequence[SearchDoc], groups: list[list[str]]):
        self.stops = {lang: stop_words(lang) for lang in {d.lang for d in docs}}
        # Each field is tokenised once: the German compound dictionary needs every word first.
        self.fields = [[(cls, tokenize(normalize(text))) for cls, text in _fields(doc)] for doc in docs]
        self.stems = {lang: _Memo(partial(stem, lang=lang)) for lang in self.stops}
        self.parts: dict[str, _Memo] = {}
        for lang, stops in self.stops.items():
            if RULES.get(lang, {}).get("compound"):
                known = {stem(w, lang) for w in COMPOUND_PARTS.get(lang, ())}
                stems = self.stems[lang]
                for doc, fields in zip(docs, self.fields, strict=True):
                    if doc.lang == lang:
                        for _, words in fields:
                            known.update(map(stems.__getitem__, set(words).difference(stops)))
                known = {k for k in known if len(k) >= 3}
                self.parts[lang] = _Memo(partial(_parts, lang=lang, known=known))
        self.groups = groups
        self.phrases: dict[str, dict[str, list[tuple[list[str], int]]]] = {}

    def phrase_table(self, lang: str) -> dict[str, list[tuple[list[str], int]]]:
        """First stem of each synonym member -> (member stems, group number), stemmed as `lang`."""
        table = self.phrases.get(lang)
        if table is None:
            table = self.phrases[lang] = {}
            stops = stop_words(lang)
            for number, members in enumerate(self.groups):
                for member in members:
                    stems = [stem(w, lang) for w in tokenize(normalize(member)) if w not in stops]
                    if stems:
                        table.setdefault(stems[0], []).append((stems, number))
        return table

    def terms(self, number: int, doc: SearchDoc) -> dict[str, int]:
        """Stems of the document (and compound parts, synonym groups) -> best field class."""
        best: dict[str, int] = {}
        often: set[str] = set()
        stems_of = self.stems[doc.lang].__getitem__
        stops = self.stops[doc.lang]
        parts = self.parts.get(doc.lang)
        table = self.phrase_table(doc.lang) if self.groups else {}
        for cls, words in self.fields[number]:
            # Set operations on distinct words: a page says "cours" twenty times.
            counts = Counter(words) if cls == BODY else None
            distinct_words = (counts.keys() if counts is not None else set(words)) - stops
            found = set(map(stems_of, distinct_words))
            if counts is not None:
                often = {stems_of(w) for w, n in counts.items() if n >= 3 and w not in stops}
            if parts is not None:
                long_words = [w for w in distinct_words if len(w) >= MIN_COMPOUND]
                if long_words:
                    found.update(*map(parts.__getitem__, long_words))
            if table and not table.keys().isdisjoint(found):
                stems = [stems_of(w) for w in words if w not in stops]
                for i, first in enumerate(stems):
                    for member, group in table.get(first, ()):
                        if stems[i : i + len(member)] == member:
                            found.add(f"~{group}")
            # Fields come in falling class order: a term's first field is its best.
            best.update(dict.fromkeys(found.difference(best), cls))
        for term in often:
            if best[term] == BODY:
                best[term] = BODY_OFTEN
        return best


def _fields(doc: SearchDoc) -> list[tuple[int, str]]:
    # One text per class: normalising a dozen short keywords one by one costs more than the rest.
    return [(TITLE, doc.title), (STRONG, "\n".join((doc.summary, *doc.headings, *doc.keywords))), (BODY, doc.body)]


def _parts(word: str, lang: str, known: set[str]) -> list[str]:
    return split_compound(word, lang, known.__contains__) or []


def _doc_order(docs: Sequence[SearchDoc]) -> list[int]:
    """Pages, then offers grouped by kind, region and commune: results of one query then
    tend to share a documents chunk, so fewer files load."""

    def key(i: int) -> tuple[object, ...]:
        doc = docs[i]
        if doc.kind != "offer":
            return (0, "", "", "", i)
        facet = doc.facets
        return (1, *(facet.get(f, ("",))[0] if facet.get(f) else "" for f in ("kind", "region", "commune")), i)

    return sorted(range(len(docs)), key=key)


def _excerpt(doc: SearchDoc) -> str:
    text = " ".join((doc.summary or doc.body).split())
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


# ----------------------------------------------------------------------------- files


def build_search_files(
    lang: str,
    docs: Sequence[SearchDoc],
    other_docs: Mapping[str, Sequence[SearchDoc]],
    facet_labels: Mapping[str, Mapping[str, str]],
    synonyms: Mapping[str, list[list[str]]],
) -> Iterator[tuple[str, bytes]]:
    """Yield the index files of one language tree: (path under the build root, bytes)."""
    base = f"assets/search/{lang}/"
    order = _doc_order(docs)
    ordered = [docs[i] for i in order]
    groups = list(synonyms.get(lang, []))
    analyzer = _Analyzer(ordered, groups)

    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(ordered):
        for term, cls in analyzer.terms(number, doc).items():
            postings[term].append(number * 4 + cls)
    terms = sorted(postings, key=utf16_sort_key)

    encoded = [encode_postings(postings[t]) for t in terms]
    term_starts = _chunks([len(e) + 1 for e in encoded], POSTINGS_CHUNK)
    for k, start in enumerate(term_starts):
        end = term_starts[k + 1] if k + 1 < len(term_starts) else len(terms)
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
        "terms": front_code(terms),
        "pc": term_starts,
        "dc": doc_starts,
        "fo": next((i for i, d in enumerate(ordered) if d.kind == "offer"), len(ordered)),
        "facets": _facets(ordered, facet_labels),
        "syn": [[normalize(m) for m in group] for group in groups],
        "other": sorted(code for code in other_docs if code != lang),
    }
    yield f"{base}core.js", _script(f"{lang}/core", core)


def _facets(docs: Sequence[SearchDoc], labels: Mapping[str, Mapping[str, str]]) -> list[list[object]]:
    """[facet id, [[value id, label, encoded doc ids], ...]] for the values offers use,
    in the order of `labels` (site.yaml's order), then unknown values alphabetically."""
    out: list[list[object]] = []
    for facet in FACETS:
        members: dict[str, list[int]] = {}
        for number, doc in enumerate(docs):
            for value in distinct(doc.facets.get(facet, ())):
                members.setdefault(value, []).append(number)
        if not members:
            continue
        names = labels.get(facet, {})
        ordered = [v for v in names if v in members] + sorted(v for v in members if v not in names)
        out.append([facet, [[v, names.get(v, v), encode_ids(members[v])] for v in ordered]])
    return out
