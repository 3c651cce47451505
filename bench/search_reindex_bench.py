"""How long the search index of one language takes to rebuild after a small change (issue 6).

    python bench/search_reindex_bench.py [--site bench/out/site-1000/site] [--rounds 9] [--langs de]
                                         [--reference OLD_SEARCH_PY]

Loads the site once with sitegen's own loading (as `SearchIndex` in sitegen/indexing.py does),
then, per language, times build_search_files():
- cold: without a memo (every rebuild before issue 6); with --reference, a copy of an older
  sitegen/search/index.py (`git show REV:sitegen/search/index.py > old.py`) is timed too,
  interleaved;
- with a SearchMemo kept from the previous build, after: nothing changed; a page edited (a
  new word appended, as bench/serve_bench.py does; an existing word appended); in German, a
  word added that makes other long words split otherwise (a new compound part), then removed
  again; a page added; a page removed; an offer moved to another kind (renumbers the
  offers); a synonym group appended; a synonym group inserted first (renumbers the groups).
Every memo build is compared with a cold build of the same documents: the bytes must be the
same. search_docs() is timed too, without and with the memo (serve keeps the objects of
unchanged pages and offers): it runs before every index build. Medians of --rounds runs;
the machine is shared, so minimums are printed as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitegen.reading import load_site  # noqa: E402 - after the path is set, to bench this checkout
from sitegen.render.site import SiteRenderer  # noqa: E402
from sitegen.search.documents import search_docs  # noqa: E402
from sitegen.search.index import SearchDoc, build_search_files  # noqa: E402
from sitegen.search.postings import SearchMemo  # noqa: E402
from sitegen.search.synonyms import load_synonyms  # noqa: E402
from sitegen.search.text import (  # noqa: E402
    COMPOUND_PARTS,
    MIN_COMPOUND,
    normalize,
    split_compound,
    stem,
    stop_words,
    tokenize,
)

Files = list[tuple[str, bytes]]
Synonyms = dict[str, list[list[str]]]


def compound_head(docs: list[SearchDoc]) -> str | None:
    """A word new to the German documents that makes an existing long word split otherwise."""
    stops = stop_words("de")
    words = {
        w
        for d in docs
        if d.lang == "de"
        for w in tokenize(normalize(f"{d.title} {d.summary} {d.body}"))
        if w not in stops
    }
    known = {stem(w, "de") for w in (*words, *COMPOUND_PARTS["de"])}
    known = {k for k in known if len(k) >= 3}
    for word in sorted(w for w in words if len(w) >= MIN_COMPOUND):
        if split_compound(word, "de", known.__contains__):
            continue
        for cut in range(3, len(word) - 2):
            head = word[:cut]
            if stem(head, "de") not in known and split_compound(
                word, "de", (known | {stem(head, "de")}).__contains__
            ):
                return head
    return None


def clock(build: Callable[[], object]) -> float:
    return timed(build)[0]


def timed(build: Callable[[], Files | object]) -> tuple[float, object]:
    gc.collect()
    started = time.perf_counter()
    result = build()
    return (time.perf_counter() - started) * 1000, result


def report(name: str, times: list[float], same: bool | None = None) -> None:
    check = "" if same is None else ("  same bytes as cold" if same else "  DIFFERENT FROM COLD")
    print(
        f"  {name:<46} median {statistics.median(times):7.1f} ms  (min {min(times):6.1f}, max "
        f"{max(times):6.1f}){check}"
    )


class Bench:
    """The scenarios of one language tree."""

    def __init__(
        self,
        lang: str,
        make_docs: Callable[[SearchMemo | None], list[SearchDoc]],
        labels: Mapping[str, Mapping[str, str]],
        synonyms: Synonyms,
        rounds: int,
    ):
        self.lang, self.make_docs, self.labels, self.synonyms, self.rounds = (
            lang,
            make_docs,
            labels,
            synonyms,
            rounds,
        )
        self.docs = make_docs(None)
        self.others = {code: () for code in ("fr", "de", "en") if code != lang}
        self.memo = SearchMemo()
        self.failures = 0

    def cold(
        self,
        docs: list[SearchDoc],
        synonyms: Synonyms | None = None,
        module: ModuleType | None = None,
    ) -> Files:
        build = module.build_search_files if module else build_search_files
        return list(
            build(
                self.lang,
                docs,
                self.others,
                self.labels,
                self.synonyms if synonyms is None else synonyms,
            )
        )

    def warm(self, docs: list[SearchDoc], synonyms: Synonyms | None = None) -> Files:
        return list(
            build_search_files(
                self.lang,
                docs,
                self.others,
                self.labels,
                self.synonyms if synonyms is None else synonyms,
                self.memo,
            )
        )

    def with_doc(self, index: int, **changes: object) -> list[SearchDoc]:
        return [*self.docs[:index], replace(self.docs[index], **changes), *self.docs[index + 1 :]]  # type: ignore[arg-type]

    def scenario(
        self,
        name: str,
        states: Callable[[int], tuple[list[SearchDoc], Synonyms | None]],
        start: list[SearchDoc] | None = None,
    ) -> None:
        """Time the memo build of each round's state; check its bytes.

        From the original documents, or from `start`.
        """
        times, same = [], True
        for number in range(self.rounds):
            self.warm(self.docs if start is None else start)  # not timed
            docs, synonyms = states(number)
            took, files = timed(lambda docs=docs, synonyms=synonyms: self.warm(docs, synonyms))  # type: ignore[misc]
            times.append(took)
            same = same and files == self.cold(docs, synonyms)
        self.failures += not same
        report(name, times, same)

    def run(self, reference: ModuleType | None) -> None:
        docs, lang = self.docs, self.lang
        cold_times, reference_times = [], []
        for _ in range(self.rounds):
            cold_times.append(clock(lambda: self.cold(docs)))
            if reference:
                reference_times.append(clock(lambda: self.cold(docs, module=reference)))
        report("cold, no memo", cold_times)
        if reference:
            report("cold, reference (older search/index.py)", reference_times)
            print(
                f"  {'reference gives the same bytes':<46} "
                f"{self.cold(docs, module=reference) == self.cold(docs)}"
            )
        files = self.cold(docs)
        print(
            f"  {'index size':<46} {sum(len(data) for _, data in files) / 1000:7.1f} KB in "
            f"{len(files)} files"
        )
        gc.collect()
        tracemalloc.start()
        memo = SearchMemo()
        list(
            build_search_files(
                lang, self.make_docs(memo), self.others, self.labels, self.synonyms, memo
            )
        )
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        print(f"  {'a memo holds (tracemalloc, documents included)':<46} {held / 1000:7.1f} KB")
        del memo
        self.warm(docs)

        page = len([d for d in docs if d.kind == "page"]) // 2
        offer = next((i for i, d in enumerate(docs) if d.kind == "offer"), page)
        body = docs[page].body
        self.scenario("nothing changed", lambda n: (docs, None))
        self.scenario(
            "page edited: a new word",
            lambda n: (
                self.with_doc(page, body=f"{body}\n\nbenchword{n}x{time.monotonic_ns()}"),
                None,
            ),
        )
        known_word = docs[page + 1].title.split()[0]
        self.scenario(
            "page edited: an existing word",
            lambda n: (self.with_doc(page, body=f"{body} {known_word}"), None),
        )
        head = compound_head(docs) if lang == "de" else None
        if head:
            edited = self.with_doc(page, body=f"{body} {head.capitalize()}")
            self.scenario(f"page edited: new compound part `{head}`", lambda n: (edited, None))
            self.scenario(
                f"page edited: compound part `{head}` removed", lambda n: (docs, None), start=edited
            )
        self.scenario(
            "page added",
            lambda n: (
                [
                    *docs[:page],
                    replace(docs[page], url=f"{lang}/bench-{n}/index.html", title=f"Bench {n}"),
                    *docs[page:],
                ],
                None,
            ),
        )
        self.scenario("page removed", lambda n: ([*docs[:page], *docs[page + 1 :]], None))
        self.scenario(
            "offer moved to another kind",
            lambda n: (
                self.with_doc(offer, facets={**docs[offer].facets, "kind": ("zz-bench",)}),
                None,
            ),
        )
        groups = self.synonyms.get(lang, [])
        self.scenario(
            "synonym group appended",
            lambda n: (docs, {**self.synonyms, lang: [*groups, ["benchsyn", f"word{n}"]]}),
        )
        self.scenario(
            "synonym group inserted first (renumbers)",
            lambda n: (docs, {**self.synonyms, lang: [["benchsyn", f"word{n}"], *groups]}),
        )


def load_reference(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_search", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "bench" / "out" / "site-1000" / "site")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--synonyms", type=Path, default=ROOT / "synonyms.yaml", help="used when the site has none"
    )
    parser.add_argument("--langs", default="", help="comma-separated; all by default")
    parser.add_argument(
        "--reference",
        type=Path,
        help="an older sitegen/search/index.py to time cold builds against",
    )
    args = parser.parse_args(argv)

    site, contents, localizers, _ = load_site(args.site, dt.date(2026, 1, 1))
    renderer = SiteRenderer(site, contents, localizers, {}, {})
    synonyms, _ = load_synonyms(args.site)
    if not synonyms and args.synonyms.is_file():
        synonyms, _ = load_synonyms(args.synonyms.parent)
    reference = load_reference(args.reference) if args.reference else None
    print(
        f"{args.site}: {len(site.keys)} pages, {len(site.offers)} offers, synonyms for "
        f"{sorted(synonyms)}"
    )
    failures = 0
    for lang in [code for code in args.langs.split(",") if code] or list(localizers):
        loc = localizers[lang]
        docs = search_docs(site, contents, loc)
        print(f"{lang}: {len(docs)} documents")
        report(
            "search_docs()",
            [clock(lambda loc=loc: search_docs(site, contents, loc)) for _ in range(args.rounds)],
        )  # type: ignore[misc]
        bench = Bench(
            lang,
            partial(search_docs, site, contents, loc),
            renderer.facet_labels(lang),
            synonyms,
            args.rounds,
        )
        bench.make_docs(bench.memo)
        report(
            "search_docs() with the memo, same objects",
            [clock(partial(bench.make_docs, bench.memo)) for _ in range(args.rounds)],
        )
        bench.run(reference)
        failures += bench.failures
    print(
        "all memo builds gave the bytes of a cold build"
        if not failures
        else f"{failures} scenarios DIFFER from a cold build"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
