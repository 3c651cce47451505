"""Issue 12 in a real browser: accessible (axe-core, WCAG 2.1 AA), light (14 KB), private (no
other host, no cookie, no web font), right-to-left at 320 px, and the listen button."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import SITES, TODAY

from sitegen.build import build

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 AA, as eCH-0059 asks
BUDGET = 14 * 1024  # one page's own HTML + CSS + JS, gzipped: what fits in the first round trips


@pytest.fixture(scope="session")
def six_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("six") / "build"
    build(SITES / "six-languages", out, today=TODAY, cache=False)
    return out


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: npm ci --prefix tests/browser (.ci/run does it)")
    return AXE.read_text(encoding="utf-8")


def _find(site: Path, lang: str, marker: str) -> str:
    """The first page of a language (home aside) whose HTML holds `marker`."""
    for path in sorted((site / lang).rglob("*/index.html")):
        if marker in path.read_text(encoding="utf-8"):
            return path.relative_to(site).as_posix()
    raise AssertionError(f"no page of {lang} holds {marker}")


def _page_types(site: Path, lang: str) -> list[str]:
    """One page of each type in a language: home, content page, list of offers, offer, search."""
    return [
        f"{lang}/index.html",
        _find(site, lang, 'id="page-text"'),
        _find(site, lang, 'class="count" role="status"'),
        _find(site, lang, '<dl class="facts">'),
        _find(site, lang, 'id="search-app"'),
    ]


def _axe_cases() -> list[tuple[str, str]]:
    cases = [("example", lang) for lang in ("fr", "de", "en")]
    return cases + [("six", lang) for lang in ("ar", "prs", "ti")]


@pytest.fixture
def axe_page(chromium, axe_source: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    # The pages' Content-Security-Policy allows only their own scripts: the test's engine is let in.
    context = chromium.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def _violations(page, axe_source: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(content=axe_source)
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => "
        "r.violations.map(v => v.id + ': ' + v.help + ' -- ' + v.nodes.map(n => n.target.join(' "
        "')).join(', ')))",
        AXE_TAGS,
    )
    return list(found)


@pytest.mark.parametrize(("site_name", "lang"), _axe_cases())
def test_every_page_type_passes_axe(
    axe_page,
    axe_source: str,
    site_name: str,
    lang: str,
    example_site: Path,
    six_site: Path,  # type: ignore[no-untyped-def]
    static_server: Callable[[Path], str],
) -> None:
    site = example_site if site_name == "example" else six_site
    base = static_server(site)
    pages = _page_types(site, lang)
    if site_name == "example" and lang == "fr":
        # The language choice, the 404 page, the editors' status page, a fallback page, an
        # easy-to-read version.
        pages += [
            "index.html",
            "404.html",
            "_status/index.html",
            "en/discrimination/index.html",
            "fr/premiers-pas/facile/index.html",
        ]
    if site_name == "six":
        pages.append(f"{lang}/contact/index.html")  # a fallback page inside right-to-left chrome
    problems = {}
    for rel in pages:
        axe_page.goto(base + rel)
        if _is_search(site, rel):
            axe_page.wait_for_load_state(
                "networkidle"
            )  # the results and filters it draws are checked too
        found = _violations(axe_page, axe_source)
        if found:
            problems[rel] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def _all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _is_search(site: Path, rel: str) -> bool:
    return 'id="search-app"' in (site / rel).read_text(encoding="utf-8")


def _visit_all(
    chromium, site: Path, base: str, pages: list[str]
) -> tuple[dict[str, int], list[str], list[object]]:  # type: ignore[no-untyped-def]
    """Open each page as a visitor; what it weighs, what went to another host, the cookies left.

    A page's weight is the gzipped size of every HTML, CSS and JS file the browser asked
    for while loading it, read from the output folder (the browser's cache would hide
    repeated files), the search index aside: the search page fetches it on demand."""
    context = chromium.new_context()
    page = context.new_page()
    weights: dict[str, int] = {}
    elsewhere: list[str] = []
    asked: set[str] = set()

    def on_request(request) -> None:  # type: ignore[no-untyped-def]
        url = request.url
        if not url.startswith((base, "data:")):
            elsewhere.append(url)
        elif request.resource_type == "font":
            elsewhere.append(f"web font: {url}")
        elif (
            request.resource_type in ("document", "stylesheet", "script")
            and "/assets/search/" not in url
        ):
            asked.add(url.removeprefix(base).split("?")[0].split("#")[0])

    page.on("request", on_request)
    for rel in pages:
        asked.clear()
        page.goto(base + rel, wait_until="load")
        weights[rel] = sum(
            len(gzip.compress((site / unquote(path)).read_bytes(), 9)) for path in sorted(asked)
        )
        if page.evaluate("document.cookie"):
            elsewhere.append(f"cookie on {rel}")
    cookies = context.cookies()
    context.close()
    return weights, elsewhere, cookies


@pytest.fixture(scope="session")
def visited(
    chromium, example_site: Path, static_server: Callable[[Path], str]
) -> tuple[dict[str, int], list[str], list[object]]:  # type: ignore[no-untyped-def]
    return _visit_all(chromium, example_site, static_server(example_site), _all_pages(example_site))


def test_every_page_is_light_private_and_self_contained(visited, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    weights, elsewhere, cookies = visited
    assert len(weights) == len(_all_pages(example_site)) > 100
    assert elsewhere == [] and cookies == [], "no request to another host, no web font, no cookie"
    heavy = {rel: size for rel, size in weights.items() if size > BUDGET}
    assert heavy == {}, f"over {BUDGET} bytes gzipped (HTML + CSS + JS)"
    assert {rel: size for rel, size in weights.items() if size < 1000} == {}, (
        "every page's own files were counted"
    )


def test_search_pages_were_weighed_with_their_engine(visited, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    weights, _, _ = visited
    search = {rel: size for rel, size in weights.items() if _is_search(example_site, rel)}
    assert len(search) == 3 and all(size > 8000 for size in search.values()), (
        "search.js counts in the search pages' weight"
    )


@pytest.mark.parametrize("kind", ["offer", "page"])
def test_a_right_to_left_page_fits_a_320px_phone(
    chromium,
    six_site: Path,
    static_server: Callable[[Path], str],
    kind: str,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    types = _page_types(six_site, "ar")
    rel = types[3] if kind == "offer" else "ar/dawrat/index.html"  # a page written in Arabic
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(static_server(six_site) + rel)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"rtl-320-ar-{kind}.png"
    page.screenshot(path=str(shot), full_page=True)
    with capsys.disabled():  # shown in the test run's output, not only when the test fails
        print(f"\nscreenshot of /{rel} at 320 px: {shot}", file=sys.stderr)
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    context.close()
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at 320 px (see {shot})"


STUB = """
window.__spoken = [];
const voices = %s;
const stub = {
  getVoices: () => voices.map(lang => ({lang, name: 'Stub ' + lang, default: false, localService: \
true})),
  speak: u => window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang}),
  cancel: () => {}, pause: () => {}, resume: () => {},
  addEventListener: () => {}, speaking: false, pending: false,
};
Object.defineProperty(window, 'speechSynthesis', {value: stub, configurable: true});
// The real utterance accepts only the browser's own voice objects.
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = \
null; };
"""


def _listen_page(chromium, voices: list[str], js: bool = True):  # type: ignore[no-untyped-def]
    context = chromium.new_context(java_script_enabled=js)
    context.add_init_script(STUB % json.dumps(voices))
    return context, context.new_page()


def test_listen_reads_the_main_text_in_the_pages_language(chromium, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    context, page = _listen_page(chromium, ["en-GB", "de-CH", "fr-CH"])
    page.goto((example_site / "de/erste-schritte/index.html").as_uri())
    button = page.get_by_role("button", name="Vorlesen", exact=True)
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert {s["lang"] for s in spoken} == {"de-CH"} and {s["voice"] for s in spoken} == {"de-CH"}
    texts = [s["text"] for s in spoken]
    assert texts[0] == page.locator("h1").inner_text()
    first_paragraph = page.locator(".prose p").first.inner_text()
    assert first_paragraph in texts
    assert "Vorlesen" not in texts and not any("Suche" == t for t in texts), (
        "only the main text, not the buttons or menus"
    )
    assert button.count() == 0 and page.get_by_role("button", name="Vorlesen beenden").is_visible()
    context.close()


def test_listen_is_hidden_without_a_voice_for_the_language_or_without_javascript(
    chromium, example_site: Path
) -> None:  # type: ignore[no-untyped-def]
    url = (example_site / "fr/premiers-pas/index.html").as_uri()
    for voices, js in ((["en-US", "de-DE"], True), (["fr-FR"], False), ([], True)):
        context, page = _listen_page(chromium, voices, js)
        page.goto(url)
        assert page.locator("button.listen").count() == 1
        assert not page.locator("button.listen").is_visible(), (voices, js)
        context.close()
    context, page = _listen_page(chromium, ["fr-FR"])
    page.goto(url)
    assert page.get_by_role("button", name="Écouter").is_visible()
    context.close()
