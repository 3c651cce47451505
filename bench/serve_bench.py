"""How long an editor waits: from saving a page to seeing it reloaded, and for a one-page change to be written.

    python bench/serve_bench.py [--repeat 11] [--big-repeat 5] [--pages 1000] [--skip-big] [--json FILE]

Two sites, each copied to a temporary folder (the repository is never edited):
- the example site of the repository;
- a synthetic site of --pages pages per language in fr, de, en (bench/corpus.py).

For each, `sitegen serve` runs in-process on 127.0.0.1 (free port) with its own watcher,
and headless Debian Chromium shows one page. Each round appends a unique word to that
page's source and measures:
- save -> reloaded: from just before the file is written to the reloaded page's first
  contentful paint (the browser's own clock, performance.timeOrigin: no polling error);
- written: how long the rebuild that the save started took to write its files.
Targets (issue 4): save -> reloaded median under 100 ms on the example site; a one-page
change written in under 150 ms on the 1,000-pages-per-language site.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.serve import DevServer  # noqa: E402 - after the path is set, to bench this checkout

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TARGET_RELOAD_MS, TARGET_WRITE_MS = 100, 150


def copy_example(dest: Path) -> tuple[Path, str, str]:
    dest.mkdir(parents=True)
    for name in ("site.yaml", "content", "templates", "locales"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        elif source.is_file():
            shutil.copy2(source, dest / name)
    return dest, "content/fr/cours-de-langue.md", "fr/cours-de-langue/"


def make_synthetic(dest: Path, pages: int) -> tuple[Path, str, str]:
    corpus = ROOT / "bench" / "corpus.py"
    if corpus.is_file():
        subprocess.run([sys.executable, str(corpus), str(dest), "--pages", str(pages), "--offers", "300", "--langs", "fr,de,en"],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        minimal_corpus(dest, pages)
    # The page to edit: an ordinary page in the default language (not the home page).
    page = next(p for p in sorted((dest / "content" / "fr").rglob("*.md")) if p.name != "index.md")
    return dest, page.relative_to(dest).as_posix(), ""


def minimal_corpus(dest: Path, pages: int) -> None:
    """A stand-in for bench/corpus.py: N linked pages per language, no offers."""
    (dest / "site.yaml").write_text(
        'title: {fr: "Banc", de: "Bank", en: "Bench"}\nbase_url: "https://bench.example.ch/"\ndefault_language: fr\n'
        "languages: [fr, de, en]\nregions:\n  - id: valais-central\n    name: {fr: Valais central, de: Mittelwallis, en: Central Valais}\n",
        encoding="utf-8")
    for lang in ("fr", "de", "en"):
        folder = dest / "content" / lang
        folder.mkdir(parents=True)
        (folder / "index.md").write_text("---\ntitle: Index\nmenu: main\n---\n" + "".join(f"- [Page {n}](page-{n}.md)\n" for n in range(pages)),
                                         encoding="utf-8")
        for n in range(pages):
            (folder / f"page-{n}.md").write_text(f"---\ntitle: Page {n} {lang}\n---\n## Section\n\nText of page {n}. [Next](page-{(n + 1) % pages}.md)\n",
                                                 encoding="utf-8")


def url_of(server: DevServer, source: str) -> str:
    """The URL of the edited page, read from the build (the synthetic site's slugs are not known in advance)."""
    for rel in sorted(server.out_dir.rglob("index.html")):
        path = rel.relative_to(server.out_dir).parent.as_posix() + "/"
        if path.startswith("fr/") and path.count("/") >= 2 and "offres" not in path:
            return path
    raise SystemExit(f"no page found for {source}")


def measure(site: Path, source: str, page_url: str, rounds: int, browser) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    reloads, writes = [], []
    with DevServer(site, site / "build", "127.0.0.1", 0) as server:
        page_url = page_url or url_of(server, source)
        page = browser.new_page()
        page.goto(server.url + page_url)
        page.wait_for_selector("html[data-sitegen-live]", state="attached")
        path = site / source
        original = path.read_text(encoding="utf-8")
        for number in range(rounds + 1):  # the first round warms caches and is not counted
            word = f"benchword{number}x{time.monotonic_ns()}"
            saved = time.time()
            path.write_text(original + f"\n\n{word}\n", encoding="utf-8")
            page.wait_for_function("(word) => document.body !== null && document.body.textContent.includes(word)", arg=word, timeout=120_000)
            page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0", timeout=30_000)
            shown = page.evaluate("performance.timeOrigin + performance.getEntriesByName('first-contentful-paint')[0].startTime") / 1000
            page.wait_for_selector("html[data-sitegen-live]", state="attached")
            if number and server.last is not None:
                reloads.append((shown - saved) * 1000)
                writes.append(server.last.seconds * 1000)
            time.sleep(0.2)  # let the page settle, as an editor would between two saves
        page.close()
    path.write_text(original, encoding="utf-8")  # once the server is stopped: no rebuild for it
    return {"reload_ms": reloads, "write_ms": writes, "outside_build_ms": [r - w for r, w in zip(reloads, writes, strict=True)]}


def line(name: str, values: list[float], target: float) -> str:
    if not values:
        return f"  {name}: no measurement"
    median = statistics.median(values)
    verdict = "meets" if median < target else "misses"
    return f"  {name}: median {median:.0f} ms (min {min(values):.0f}, max {max(values):.0f}, n={len(values)}); target {target} ms: {verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=11, help="saves measured on the example site")
    parser.add_argument("--big-repeat", type=int, default=5, help="saves measured on the synthetic site")
    parser.add_argument("--pages", type=int, default=1000, help="pages per language of the synthetic site")
    parser.add_argument("--skip-big", action="store_true", help="only the example site")
    parser.add_argument("--json", type=Path, help="also write the measurements to this file")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="sitegen-serve-bench-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        site, source, url = copy_example(Path(tmp) / "example")
        results["example"] = measure(site, source, url, args.repeat, browser)
        print(f"Example site ({source}):")
        print(line("save -> reloaded page", results["example"]["reload_ms"], TARGET_RELOAD_MS))
        print(line("one-page change written", results["example"]["write_ms"], TARGET_WRITE_MS))
        print(line("of save -> reloaded, outside the build (watch, notify, reload)", results["example"]["outside_build_ms"], TARGET_RELOAD_MS))
        if not args.skip_big:
            started = time.perf_counter()
            site, source, url = make_synthetic(Path(tmp) / "synthetic", args.pages)
            print(f"Synthetic site: {args.pages} pages per language x 3 languages, generated in {time.perf_counter() - started:.1f} s ({source}):")
            results["synthetic"] = measure(site, source, url, args.big_repeat, browser)
            print(line("save -> reloaded page", results["synthetic"]["reload_ms"], TARGET_RELOAD_MS))
            print(line("one-page change written", results["synthetic"]["write_ms"], TARGET_WRITE_MS))
            print(line("of save -> reloaded, outside the build", results["synthetic"]["outside_build_ms"], TARGET_RELOAD_MS))
        browser.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
