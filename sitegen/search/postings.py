"""The terms and postings of one language tree's search index, and what a rebuild reuses.

Issues 3, 6.

Documents' texts become stems (with German compound parts and synonym groups), each with
the best field class it appears in; the postings of each stem are written as text (see
encode_postings). A SearchMemo keeps the last index of each tree with what analysing it
needed (its documents' texts, synonym groups, German compound dictionaries), so that the
next build analyses only the documents that changed and edits only the postings they
touch, with the very bytes of a build from scratch. index.py writes the files.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import ChainMap, Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import pairwise
from typing import Any, Protocol

from sitegen.search.text import (
    COMPOUND_PARTS,
    MIN_COMPOUND,
    MIN_PART,
    RULES,
    normalize,
    split_compound,
    stem,
    stems_are_prefixes,
    stop_words,
    tokenize,
    utf16_sort_key,
)

# Field classes stored with each posting (2 bits). The engine weighs BODY 1, BODY_OFTEN 1.5,
# STRONG 3 and TITLE 4.5 (WEIGHT in sitegen/static/search/engine.js; docs/search.md).
TITLE, STRONG, BODY_OFTEN, BODY = 3, 2, 1, 0


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


# Encoded numbers below 27 * 64 (one or two characters: nearly every posting) -> value.
_VALUES = {text: n for n, text in enumerate(_SMALL[: 27 * 64])}
_NUMBER = re.compile(f"[{re.escape(_C)}]*[{re.escape(_T)}]")


def _decode_number(text: str) -> int:
    n = 0
    for char in text[:-1]:
        n = n * 27 + _C.index(char)
    return n * 64 + _T.index(text[-1])


def decode_postings(text: str) -> list[int]:
    """The postings `doc id * 4 + field class` that encode_postings() wrote as `text`."""
    out = []
    prev = -4
    for number in _NUMBER.findall(text):
        value = _VALUES.get(number)
        packed = (_decode_number(number) if value is None else value) + prev + 4
        out.append(packed)
        prev = packed & ~3
    return out


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
    return _front_join(
        terms, [_front_shared(terms[i - 1] if i else "", term) for i, term in enumerate(terms)]
    )


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _front_join(terms: Sequence[str], shared: Sequence[int | str]) -> str:
    return ",".join(
        [
            _BASE36[n] + term[n:] if isinstance(n, int) else n
            for n, term in zip(shared, terms, strict=True)
        ]
    )


def _front_shared(prev: str, term: str) -> int | str:
    """How many leading characters `term` shares with the term before it; for a term beyond
    ASCII, where characters and UTF-16 code units differ, its whole front-coded form."""
    if term.isascii() and prev.isascii():
        limit = min(len(prev), len(term), 35)
        shared = 0
        while shared < limit and prev[shared] == term[shared]:
            shared += 1
        return shared  # small ints are shared objects: a memo's list of them costs a pointer each
    units, before = term.encode("utf-16-le"), prev.encode("utf-16-le")
    shared = 0
    limit = min(len(before), len(units), 70) // 2
    while (
        shared < limit and units[2 * shared : 2 * shared + 2] == before[2 * shared : 2 * shared + 2]
    ):
        shared += 1
    if shared and 0xD800 <= int.from_bytes(units[2 * shared - 2 : 2 * shared], "little") <= 0xDBFF:
        shared -= 1  # never cut a surrogate pair
    return _BASE36[shared] + units[2 * shared :].decode("utf-16-le")


# ----------------------------------------------------------------------------- analysis


class Document(Protocol):
    """What a document's terms depend on besides its tree's synonyms and compound dictionary
    (an index.SearchDoc): its language and texts. The memo keeps documents: they never change."""

    @property
    def lang(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def headings(self) -> tuple[str, ...]: ...
    @property
    def keywords(self) -> tuple[str, ...]: ...
    @property
    def body(self) -> str: ...


Content = tuple[str, str, str, tuple[str, ...], tuple[str, ...], str]
Phrases = dict[str, list[tuple[list[str], int]]]
Parts = Callable[[str], tuple[str, ...]]


def _content(doc: Document) -> Content:
    return (doc.lang, doc.title, doc.summary, doc.headings, doc.keywords, doc.body)


def _tokens(doc: Document, words: dict[str, str]) -> list[tuple[int, list[str]]]:
    """The words of each field class. Each word is the one string `words` holds for it: the
    token lists of a whole site are kept at once (the compound dictionary needs every
    document before any is analysed), and a site says the same few thousand words a million
    times: one string each cuts the index's working memory by two thirds."""
    # One text per class: normalising a dozen short keywords one by one costs more than the rest.
    texts = (
        (TITLE, doc.title),
        (STRONG, "\n".join((doc.summary, *doc.headings, *doc.keywords))),
        (BODY, doc.body),
    )
    same = words.setdefault
    return [
        (cls, list(map(same, tokens, tokens)))
        for cls, tokens in ((cls, tokenize(normalize(text))) for cls, text in texts)
    ]


class _Memo(dict[str, Any]):
    """word -> computed value, computed once: a site repeats its words a lot."""

    def __init__(self, compute: Callable[[str], Any]):
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> Any:
        value = self[word] = self.compute(word)
        return value


class _Compound:
    """The compound dictionary of one language inside one tree: the common parts plus every
    stem (3+ letters) the tree's documents of that language use, counted by document so
    that an edit adds or removes only its own stems."""

    ALWAYS = 1 << 40  # the count of a common part: more documents than any site removes

    def __init__(self, lang: str):
        self.lang = lang
        # Stem -> documents using it; its keys are the dictionary.
        self.known = dict.fromkeys(
            (
                s
                for s in (stem(w, lang) for w in COMPOUND_PARTS.get(lang, ()))
                if len(s) >= MIN_PART
            ),
            self.ALWAYS,
        )
        # stems that entered or left `known` since the last refresh()
        self.flipped: set[str] = set()
        # Every long word met since the tree's last cold build -> its parts under `known`; never
        # pruned, so that refresh() sees every word of every indexed document.
        self.splits = _Memo(self._split)
        self.local = stems_are_prefixes(lang)

    def _split(self, word: str) -> tuple[str, ...]:
        return tuple(split_compound(word, self.lang, self.known.__contains__) or ())

    def count(self, delta: Counter[str]) -> None:
        """Add (or, negative, remove) documents' own stems."""
        known, flipped = self.known, self.flipped
        for term, step in delta.items():
            if len(term) < MIN_PART:
                continue
            before = known.get(term, 0)
            after = before + step
            if after:
                known[term] = after
            elif before:
                del known[term]
            if (before > 0) != (after > 0):
                flipped.symmetric_difference_update((term,))

    def refresh(self) -> dict[str, tuple[str, ...]]:
        """Split again the words a flipped stem may concern.

        The previous parts of those that changed.
        """
        flipped, self.flipped = self.flipped, set()
        if not flipped or not self.splits:
            return {}
        words: Iterable[str] = self.splits
        if self.local:
            # split_compound asks `known` only about stems of pieces of the word; a stem being a
            # prefix of its piece, a word that contains no flipped stem gets the same answers.
            pattern = re.compile("|".join(map(re.escape, sorted(flipped))))
            words = [w for w in self.splits if pattern.search(w)]
        previous = {}
        for word in list(words):
            parts = self._split(word)
            if parts != self.splits[word]:
                previous[word] = self.splits[word]
                self.splits[word] = parts
        return previous


class _Tree:
    """The last index of one language tree (its documents, postings, vocabulary) and what
    analysing them needs to remember: synonym groups and compound dictionaries."""

    def __init__(self, groups: list[list[str]]):
        self.groups = groups
        self.docs: list[Document] = []  # in index order
        # The vocabulary, sorted as the engine compares, and beside each term its encoded postings
        # and its front coding against the term before (see _front_shared); lists cost less than a
        # dict.
        self.terms: list[str] = []
        self.encoded: list[str] = []
        self.shared: list[int | str] = []
        self.front: str | None = None  # the front-coded vocabulary, while it does not change
        self.compounds: dict[str, _Compound] = {}
        self.phrases: dict[str, Phrases] = {}
        self.word_limit = 0

    def words(self) -> int:
        return sum(len(c.splits) for c in self.compounds.values())

    def find(self, term: str) -> tuple[int, bool]:
        """Where `term` is, or would be, in the vocabulary, and whether it is there."""
        i = bisect_left(self.terms, utf16_sort_key(term), key=utf16_sort_key)
        return i, i < len(self.terms) and self.terms[i] == term

    def postings(self, term: str) -> str:
        i, present = self.find(term)
        return self.encoded[i] if present else ""

    def front_code(self) -> str:
        if self.front is None:
            self.front = _front_join(self.terms, self.shared)
        return self.front

    def phrase_table(self, lang: str) -> Phrases:
        table = self.phrases.get(lang)
        if table is None:
            table = self.phrases[lang] = _phrase_table(self.groups, lang)
        return table


def _phrase_table(
    groups: list[list[str]], lang: str, numbers: Iterable[int] | None = None
) -> Phrases:
    """First stem of each synonym member -> (member stems, group number), stemmed as `lang`."""
    table: Phrases = {}
    stops = stop_words(lang)
    for number in range(len(groups)) if numbers is None else numbers:
        for member in groups[number] if number < len(groups) else ():
            stems = [stem(w, lang) for w in tokenize(normalize(member)) if w not in stops]
            if stems:
                table.setdefault(stems[0], []).append((stems, number))
    return table


class _Analyzer:
    """Turn documents into stems with the best field class each appears in (one build)."""

    def __init__(self, tree: _Tree):
        self.tree = tree
        self.stops: dict[str, frozenset[str]] = {}
        self.stems: dict[str, _Memo] = {}

    def language(self, lang: str) -> tuple[frozenset[str], _Memo]:
        if lang not in self.stops:
            self.stops[lang] = stop_words(lang)
            self.stems[lang] = _Memo(partial(stem, lang=lang))
        return self.stops[lang], self.stems[lang]

    def compound(self, lang: str) -> _Compound | None:
        tree = self.tree
        if lang not in tree.compounds and not RULES.get(lang, {}).get("compound"):
            return None
        if lang not in tree.compounds:
            tree.compounds[lang] = _Compound(lang)
        return tree.compounds[lang]

    def own(self, lang: str, tokens: list[tuple[int, list[str]]]) -> set[str]:
        """The stems a document gives its language's compound dictionary (those of 3+ letters)."""
        stops, stems = self.language(lang)
        found: set[str] = set()
        for _, words in tokens:
            found.update(map(stems.__getitem__, set(words).difference(stops)))
        return found

    def terms(
        self, lang: str, tokens: list[tuple[int, list[str]]], parts: Parts | None = None
    ) -> dict[str, int]:
        """Stems of the document (and compound parts, synonym groups) -> best field class."""
        best: dict[str, int] = {}
        often: set[str] = set()
        stops, stems = self.language(lang)
        stems_of = stems.__getitem__
        if parts is None:
            compound = self.compound(lang)
            parts = compound.splits.__getitem__ if compound is not None else None
        table = self.tree.phrase_table(lang) if self.tree.groups else {}
        for cls, words in tokens:
            # Set operations on distinct words: a page says "cours" twenty times.
            counts = Counter(words) if cls == BODY else None
            distinct_words = (counts.keys() if counts is not None else set(words)) - stops
            found = set(map(stems_of, distinct_words))
            if counts is not None:
                often = {stems_of(w) for w, n in counts.items() if n >= 3 and w not in stops}
            if parts is not None:
                long_words = [w for w in distinct_words if len(w) >= MIN_COMPOUND]
                if long_words:
                    found.update(*map(parts, long_words))
            if table and not table.keys().isdisjoint(found):
                stemmed = [stems_of(w) for w in words if w not in stops]
                for i, first in enumerate(stemmed):
                    for member, group in table.get(first, ()):
                        if stemmed[i : i + len(member)] == member:
                            found.add(f"~{group}")
            # Fields come in falling class order: a term's first field is its best.
            best.update(dict.fromkeys(found.difference(best), cls))
        for term in often:
            if best[term] == BODY:
                best[term] = BODY_OFTEN
        return best


def _reindex(tree: _Tree, docs: list[Document], groups: list[list[str]]) -> None:
    """Bring the tree's postings and vocabulary from its last documents and synonym groups
    to `docs` (in index order) and `groups`."""
    old = tree.docs
    analyzer = _Analyzer(tree)
    words: dict[str, str] = {}  # see _tokens
    changed = (
        [
            p
            for p, (a, b) in enumerate(zip(old, docs, strict=True))
            if a is not b and _content(a) != _content(b)
        ]
        if len(old) == len(docs)
        else None
    )
    # A few documents changed in place (an edit): only their terms' postings are decoded and
    # patched. Documents added, removed or moved renumber the others: every list is decoded.
    patch = changed is not None and len(changed) <= 32 + len(docs) // 16
    fresh: list[int] = []  # new positions whose document must be analysed
    # old position -> new one, -1 if gone
    remap = list(range(len(old))) if patch else [-1] * len(old)
    if patch:
        fresh = changed or []
        for p in fresh:
            remap[p] = -1
    else:
        waiting: dict[Content, list[int]] = {}
        for p in range(len(old) - 1, -1, -1):
            waiting.setdefault(_content(old[p]), []).append(p)
        for p, doc in enumerate(docs):
            stack = waiting.get(_content(doc))
            if stack:
                remap[stack.pop()] = p
            else:
                fresh.append(p)

    # The compound dictionaries follow the documents' own stems before anything is split.
    deltas: defaultdict[str, Counter[str]] = defaultdict(Counter)
    before: dict[int, dict[str, int]] = {}  # new position -> the terms indexed there until now
    for p in (p for p, q in enumerate(remap) if q < 0):
        lang = old[p].lang
        compound = analyzer.compound(lang)
        if patch or compound is not None:
            tokens = _tokens(old[p], words)
            if patch:  # analysed before the dictionaries change, as it was indexed
                before[p] = analyzer.terms(lang, tokens)
            if compound is not None:
                deltas[lang].subtract(analyzer.own(lang, tokens))
    tokens_at: dict[int, list[tuple[int, list[str]]]] = {}
    if groups != tree.groups:
        # A group that changed (or changed number) concerns only the documents holding the
        # first word of one of its members: found by that word's postings, analysed as they were.
        numbers = [
            k
            for k in range(max(len(groups), len(tree.groups)))
            if k >= len(groups) or k >= len(tree.groups) or groups[k] != tree.groups[k]
        ]
        for lang in {doc.lang for doc in old}:
            firsts = (
                _phrase_table(tree.groups, lang, numbers).keys()
                | _phrase_table(groups, lang, numbers).keys()
            )
            for q in _holding(tree, firsts, remap, docs, lang, tokens_at):
                tokens = tokens_at[q] = _tokens(docs[q], words)
                before[q] = analyzer.terms(lang, tokens)
        tree.groups, tree.phrases = groups, {}
    for p in fresh:
        lang = docs[p].lang
        tokens = tokens_at[p] = _tokens(docs[p], words)
        if analyzer.compound(lang) is not None:
            deltas[lang].update(analyzer.own(lang, tokens))
    for lang, delta in deltas.items():
        tree.compounds[lang].count(delta)

    # Documents kept whose long words now split otherwise: their stem's postings find them all.
    for lang, compound in tree.compounds.items():
        previous = compound.refresh()
        if not previous:
            continue
        stems = analyzer.language(lang)[1]
        parts = ChainMap(previous, compound.splits).__getitem__
        for q in _holding(tree, {stems[w] for w in previous}, remap, docs, lang, tokens_at):
            tokens = tokens_at[q] = _tokens(docs[q], words)
            before[q] = analyzer.terms(lang, tokens, parts)

    add: defaultdict[str, list[int]] = defaultdict(
        list
    )  # term -> postings to add, in document order
    drop: defaultdict[str, set[int]] = defaultdict(set)  # term -> new positions whose posting goes
    for p in sorted(tokens_at):
        terms = analyzer.terms(docs[p].lang, tokens_at[p])
        was = before.get(p)
        if was is None:
            for term, cls in terms.items():
                add[term].append(p * 4 + cls)
            continue
        for term, cls in terms.items():
            if was.get(term) != cls:
                add[term].append(p * 4 + cls)
                if term in was:
                    drop[term].add(p)
        for term in was.keys() - terms.keys():
            drop[term].add(p)

    if patch:
        _patch(tree, add, drop)
    else:
        _renumber(tree, remap, add, drop)
    tree.docs = list(docs)
    if not old:
        tree.word_limit = 2 * tree.words() + 4096


class _TooMuchChangedError(Exception):
    """Updating the tree would analyse more documents than building it from scratch."""


def _holding(
    tree: _Tree,
    terms: Iterable[str],
    remap: list[int],
    docs: list[Document],
    lang: str,
    skip: Mapping[int, object],
) -> list[int]:
    """New positions of the kept documents of `lang` indexed with one of `terms`, but `skip`'s."""
    found = set()
    for term in terms:
        for packed in decode_postings(tree.postings(term)):
            q = remap[packed >> 2]
            if q >= 0 and q not in skip and docs[q].lang == lang:
                found.add(q)
    # Each is analysed twice (as it was, as it is): past a third of the site, once afresh costs
    # less.
    if len(found) > 8 + len(docs) // 3:
        raise _TooMuchChangedError
    return sorted(found)


def _edit(postings: list[int], add: list[int] | None, drop: set[int] | None) -> list[int]:
    if drop:
        postings = [v for v in postings if v >> 2 not in drop]
    if add:
        postings = sorted(postings + add) if postings else add
    return postings


def _patch(tree: _Tree, add: Mapping[str, list[int]], drop: Mapping[str, set[int]]) -> None:
    """Edit the postings of the terms that changed, in place; keep the vocabulary sorted."""
    terms, encoded, shared = tree.terms, tree.encoded, tree.shared
    for term in add.keys() | drop.keys():
        i, present = tree.find(term)
        edited = _edit(
            decode_postings(encoded[i]) if present else [], add.get(term), drop.get(term)
        )
        if present and edited:
            encoded[i] = encode_postings(edited)
            continue
        if present:
            del terms[i], encoded[i], shared[i]
        elif edited:
            terms.insert(i, term)
            encoded.insert(i, encode_postings(edited))
            shared.insert(i, 0)
        else:
            continue
        tree.front = None
        # Front coding depends on the term before: the new term and the one after a change.
        for j in (i, i + 1) if edited else (i,):
            if j < len(terms):
                shared[j] = _front_shared(terms[j - 1] if j else "", terms[j])


def _renumber(
    tree: _Tree, remap: list[int], add: Mapping[str, list[int]], drop: Mapping[str, set[int]]
) -> None:
    """Rebuild every postings list in the new numbering, then the vocabulary."""
    kept = [q for q in remap if q >= 0]
    ordered = all(a < b for a, b in pairwise(kept))
    lists: dict[str, list[int]] = {}
    for term, text in zip(tree.terms, tree.encoded, strict=True):
        moved = [q * 4 + (v & 3) for v in decode_postings(text) if (q := remap[v >> 2]) >= 0]
        lists[term] = moved if ordered else sorted(moved)
    for term in add.keys() | drop.keys():
        lists[term] = _edit(lists.get(term, []), add.get(term), drop.get(term))
    terms = sorted((t for t, values in lists.items() if values), key=utf16_sort_key)
    tree.terms = terms
    tree.encoded = [encode_postings(lists[t]) for t in terms]
    tree.shared = [_front_shared(terms[i - 1] if i else "", term) for i, term in enumerate(terms)]
    tree.front = None


class SearchMemo:
    """What each language's last index was built from, so that the next build of the same
    site analyses only the documents that changed (`sitegen serve`, issue 6).

    Create one per site, keep it as long as the site is rebuilt and pass it to every
    search_docs() and build_search_files() call, whatever changed in between: the files are
    the same bytes as without it. It holds each tree's postings and vocabulary (the size of
    its index files), its German compound dictionaries, and its documents, which share their
    texts with the site's model.
    """

    def __init__(self) -> None:
        self._trees: dict[str, _Tree] = {}
        self.documents: dict[str, Any] = {}  # documents.py's own memo, per language tree

    def index(
        self, lang: str, docs: list[Document], groups: list[list[str]]
    ) -> tuple[list[str], str]:
        """The encoded postings of each term of the tree `lang`, in vocabulary order, and the
        front-coded vocabulary, for these documents (in index order) and synonym groups."""
        tree = self._trees.get(lang)
        if tree is None:
            tree = self._trees[lang] = _Tree(groups)
        try:
            try:
                _reindex(tree, docs, groups)
            except _TooMuchChangedError:
                tree = self._trees[lang] = _Tree(groups)
                _reindex(tree, docs, groups)
        except BaseException:
            del self._trees[lang]  # half updated: the next build starts afresh
            raise
        if tree.words() > tree.word_limit:
            # Words of edited-away text accumulate in the compound memo: start afresh next time.
            del self._trees[lang]
        return list(tree.encoded), tree.front_code()

    def tree(self, lang: str) -> object | None:
        """The tree of `lang` as the last index() left it, for a later run to adopt(): it is
        plain data, consistent by itself (its documents with their postings), whatever the site
        became since, so a stale tree only costs time."""
        return self._trees.get(lang)

    def adopt(self, lang: str, tree: object) -> None:
        if isinstance(tree, _Tree):
            self._trees[lang] = tree
