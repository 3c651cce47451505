"""Search benchmark (issue 3): sitegen's search against Pagefind 1.5 on the same built site.

    pip install playwright "pagefind[bin]"
    python bench/search_bench.py [--sizes 100,1000] [--offers-10k 10000] [--quick]

For each size (pages per language, trilingual, offers = half the pages) it writes the
synthetic site with bench/corpus.py, builds it with sitegen (timing the index), indexes
the same pages and offers with Pagefind (--root-selector main, so only the content is
indexed), then opens each engine in a cold headless Chromium and types every query of
QUERIES into a page: it adds up the gzip size of every file the browser fetched from the
first keystroke to the first results shown (5 results, with their titles and excerpts,
for both engines). At 10,000 offers it times sitegen's query in the browser.
It prints a table and rewrites the figures section of docs/search.md.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402

import sitegen.search.index  # noqa: E402

OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "search.md"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# results on screen after the first query: sitegen's header panel, Pagefind UI's first page
SHOWN = 5
# Words of the corpus' themes; the ones marked * carry typos.
QUERIES = {
    "fr": [
        "cours français",
        "francais",
        "logement sion",
        "assurance maladie",
        "medecin hopital",
        "interprète",
        "permis séjour",
        "budget impôts",
        "*vacinnation",
        "*apartement",
        "*asurance maladie",
        "*pharmacei",
    ],
    "de": [
        "deutsch kurs",
        "wohnung miete",
        "krankenkasse prämie",
        "arzt spital",
        "schule anmeldung",
        "kita",
        "einbürgerung",
        "steuern",
        "*aufenthaltsbewiligung",
        "*krankenkase",
        "*wonung",
        "*spittal",
    ],
    "en": [
        "french course",
        "apartment rent",
        "health insurance",
        "doctor hospital",
        "school enrolment",
        "nursery",
        "residence permit",
        "taxes",
        "*counseling",
        "*vacination",
        "*apartmnet",
        "*hospitl",
    ],
}


# ----------------------------------------------------------------------------- build


class IndexTimer:
    """Wrap sitegen.search.index.build_search_files wherever it was imported, adding up its time."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.original = sitegen.search.index.build_search_files

    def wrapped(self, *args: object, **kwargs: object) -> Iterator[tuple[str, bytes]]:
        items = self.original(*args, **kwargs)  # type: ignore[arg-type]
        while True:
            started = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                self.seconds += time.perf_counter() - started
                return
            self.seconds += time.perf_counter() - started
            yield item

    @contextmanager
    def installed(self) -> Iterator[None]:
        patched = [
            m
            for name, m in list(sys.modules.items())
            if name.startswith("sitegen")
            and getattr(m, "build_search_files", None) is self.original
        ]
        for module in patched:
            module.build_search_files = self.wrapped  # type: ignore[attr-defined]
        try:
            yield
        finally:
            for module in patched:
                module.build_search_files = self.original  # type: ignore[attr-defined]


def build_site(name: str, pages: int, offers: int, langs: str) -> tuple[Path, float, float]:
    """Write and build one synthetic site; return (build folder, build seconds, index seconds)."""
    import sitegen.build  # noqa: F401  (imported before patching, so its names can be wrapped)
    from sitegen.build import build

    src = OUT / name / "site"
    dest = OUT / name / "build"
    shutil.rmtree(OUT / name, ignore_errors=True)
    write_corpus(src, pages, offers, langs.split(","), seed=1)
    timer = IndexTimer()
    with timer.installed():
        started = time.perf_counter()
        build(src, dest)
        seconds = time.perf_counter() - started
    if not (dest / "assets" / "search").is_dir():
        raise SystemExit(
            "the build wrote no assets/search/: build.py does not call "
            "sitegen.search.index.build_search_files yet"
        )
    return dest, seconds, timer.seconds


def pagefind_site(build: Path) -> tuple[Path, float]:
    """Copy what sitegen indexes (pages and offers, not listings) and index it with Pagefind."""
    target = build.parent / "pagefind-site"
    shutil.rmtree(target, ignore_errors=True)
    listing_words = ("/type/", "/region/", "/typ/", "/art/", "/kind/", "/page/", "/seite/")
    for html in build.rglob("*.html"):
        rel = html.relative_to(build).as_posix()
        if rel.count("/") == 0 or any(w in "/" + rel for w in listing_words):
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(html, target / rel)
    shutil.copytree(build / "assets", target / "assets")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(target),
            "--root-selector",
            "main",
            "--silent",
        ],
        check=True,
    )
    return target, time.perf_counter() - started


# ----------------------------------------------------------------------------- browser


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def wire_size(body: bytes) -> int:
    """Bytes on the wire with gzip (level 6, as web servers use).

    Pagefind's files come gzipped already.
    """
    return min(len(body), len(gzip.compress(body, 6)))


class Recorder:
    def __init__(self) -> None:
        self.on = False
        self.files: list[tuple[str, int]] = []

    def __call__(self, response: object) -> None:
        if self.on:
            try:
                body = response.body()  # type: ignore[attr-defined]
            except Exception:  # redirects and failed loads have no body
                return
            self.files.append((response.url, wire_size(body)))  # type: ignore[attr-defined]

    @property
    def total(self) -> int:
        return sum(size for _, size in self.files)


def recorded(
    browser: object, base: str, lang: str, search: Callable[[Any], int], **options: Any
) -> tuple[int, int]:
    """(bytes fetched, results) of one search, run by `search(page)` on the home page of `lang`.

    Each search runs in a new browser context.
    """
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    page = context.new_page()
    rec = Recorder()
    page.on("response", rec)
    page.goto(base + f"{lang}/index.html")
    page.wait_for_load_state("load")
    rec.on = True
    results = search(page)
    page.wait_for_timeout(50)
    rec.on = False
    context.close()
    return rec.total, results


def sitegen_bytes(browser: object, base: str, lang: str, query: str) -> tuple[int, int]:
    from playwright.sync_api import expect

    def search(page: Any) -> int:
        page.click("#site-search-q")
        page.fill("#site-search-q", query)
        expect(page.locator("#site-search-panel .search-panel-results")).to_have_attribute(
            "data-query", query, timeout=20_000
        )
        return int(page.locator("#site-search-panel .search-result").count())

    return recorded(browser, base, lang, search)


PAGEFIND_JS = """async ([q, shown]) => {
  const pf = await import('/pagefind/pagefind.js');
  const search = await pf.search(q);
  const data = await Promise.all(search.results.slice(0, shown).map(r => r.data()));
  return data.length;
}"""


def pagefind_bytes(browser: object, base: str, lang: str, query: str) -> tuple[int, int]:
    # Pagefind's WebAssembly needs 'wasm-unsafe-eval', which sitegen's pages do not allow.
    return recorded(
        browser,
        base,
        lang,
        lambda page: int(page.evaluate(PAGEFIND_JS, [query, SHOWN])),
        bypass_csp=True,
    )


QUERY_TIME_JS = """async ([queries, rounds]) => {
  const s = window.sitegenSearch, lang = document.documentElement.dataset.lang;
  const core = await new Promise((resolve) => {
    const previous = window.sgSearch;
    window.sgSearch = (name, data) => { previous(name, data); if (name === lang + '/core') \
resolve(data); };
    const el = document.createElement('script');
    el.src = document.documentElement.dataset.root + 'assets/search/' + lang + '/core.js?timing';
    document.head.appendChild(el);
  });
  const index = new s.Index(core);
  for (const q of queries) await s.query(index, q, {});  // loads the postings: timing excludes \
the network
  const times = [];
  for (let r = 0; r < rounds; r++) for (const q of queries) {
    const t = performance.now();
    await s.query(index, q, {});
    times.push(performance.now() - t);
  }
  return times;
}"""


def query_times(browser: object, base: str, queries: list[str]) -> list[float]:
    context = browser.new_context(bypass_csp=True)  # type: ignore[attr-defined]  # wait_for_function evaluates a string
    page = context.new_page()
    page.goto(base + "fr/index.html")
    page.click("#site-search-q")
    page.wait_for_function("() => !!window.sitegenSearch")
    times = page.evaluate(QUERY_TIME_JS, [queries, 9])
    context.close()
    return [float(t) for t in times]


# ----------------------------------------------------------------------------- report


def human(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def run(sizes: list[int], offers_big: int) -> str:
    from playwright.sync_api import sync_playwright

    lines: list[str] = []
    out = lines.append
    out(
        "| pages/lang | offers | query | sitegen | Pagefind | ratio | results (sitegen / "
        "Pagefind) |"
    )
    out("|---:|---:|---|---:|---:|---:|---|")
    summary: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for pages in sizes:
            offers = pages // 2
            build, build_s, index_s = build_site(f"site-{pages}", pages, offers, "fr,de,en")
            pf_dir, pf_s = pagefind_site(build)
            ours_all: list[int] = []
            theirs_all: list[int] = []
            with serve(build) as ours_url, serve(pf_dir) as pf_url:
                for lang, queries in QUERIES.items():
                    for raw in queries:
                        query = raw.lstrip("*")
                        ours, n_ours = sitegen_bytes(browser, ours_url, lang, query)
                        theirs, n_theirs = pagefind_bytes(browser, pf_url, lang, query)
                        ours_all.append(ours)
                        theirs_all.append(theirs)
                        label = f"{lang}: {query}" + (" (typo)" if raw.startswith("*") else "")
                        out(
                            f"| {pages} | {offers} | {label} | {human(ours)} | {human(theirs)} | "
                            f"{ours / theirs:.2f} | {n_ours} / {n_theirs} |"
                        )
            med_ours, med_theirs = statistics.median(ours_all), statistics.median(theirs_all)
            worst = max(o / t for o, t in zip(ours_all, theirs_all, strict=True))
            summary.append(
                f"| {pages} pages + {offers} offers per language | {human(med_ours)} | "
                f"{human(med_theirs)} | {med_ours / med_theirs:.2f} (worst query {worst:.2f}) | "
                f"build {build_s:.1f} s, index {index_s:.2f} s = "
                f"{100 * index_s / (build_s - index_s):.1f} % added | Pagefind indexing "
                f"{pf_s:.1f} s |"
            )
        big, big_build_s, big_index_s = build_site("offers-big", 100, offers_big, "fr")
        with serve(big) as url:
            times = query_times(browser, url, [q.lstrip("*") for q in QUERIES["fr"]])
        browser.close()
    times.sort()
    timing = (
        f"Query time in Chromium at {offers_big:,} offers (+100 pages, French), {len(times)} "
        "queries (each of the French queries above, 9 rounds, postings already loaded): median "
        f"{statistics.median(times):.2f} ms, 90th percentile {times[int(len(times) * 0.9)]:.2f} "
        f"ms, max {times[-1]:.2f} ms. That build took {big_build_s:.1f} s, of which the index "
        f"{big_index_s:.2f} s ({100 * big_index_s / (big_build_s - big_index_s):.1f} % added)."
    )
    head = [
        "| site | sitegen, median | Pagefind, median | ratio | sitegen build | Pagefind |",
        "|---|---:|---:|---:|---|---|",
        *summary,
    ]
    return "\n".join(
        [
            *head,
            "",
            timing,
            "",
            f"Query by query (gzip bytes from the first keystroke to {SHOWN} results on screen):",
            "",
            *lines,
        ]
    )


def write_doc(figures: str, command: str) -> None:
    text = (
        DOC.read_text(encoding="utf-8")
        if DOC.exists()
        else "<!-- bench:start -->\n<!-- bench:end -->\n"
    )
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    stamp = time.strftime("%Y-%m-%d")
    body = (
        f"{start}\n"
        f"Measured {stamp} on this project's 2-core machine with `{command}`:\n"
        "\n"
        f"{figures}\n"
        f"{end}"
    )
    DOC.write_text(before + body + after, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare sitegen's search with Pagefind on the same synthetic site."
    )
    parser.add_argument("--sizes", default="100,1000", help="pages per language, comma-separated")
    parser.add_argument(
        "--offers-10k",
        type=int,
        default=10_000,
        dest="offers_big",
        help="offers of the query-time site",
    )
    parser.add_argument(
        "--no-doc", action="store_true", help="print only; leave docs/search.md alone"
    )
    args = parser.parse_args(argv)
    figures = run([int(s) for s in args.sizes.split(",")], args.offers_big)
    print(figures)
    if not args.no_doc:
        command = "python bench/search_bench.py" + (
            "" if args.sizes == "100,1000" else f" --sizes {args.sizes}"
        )
        write_doc(figures, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
