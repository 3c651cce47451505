"""The Markdown stage, for both dialects: anchors, tables, link rewriting, sanitizing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.fields import slugify
from sitegen.markdown import MarkdownRenderer
from sitegen.urls import relative

ENGINES = ["commonmark", "python-markdown"]


@pytest.fixture(params=ENGINES)
def renderer(request: pytest.FixtureRequest) -> MarkdownRenderer:
    return MarkdownRenderer(request.param)


def pages(key: str) -> str | None:
    return {
        "cours.md": "../cours/index.html",
        "vivre/logement.md": "../vivre/logement/index.html",
    }.get(key)


def test_heading_ids_explicit_and_generated(renderer: MarkdownRenderer) -> None:
    out = renderer.render("## Cours du soir {#evening}\n\n## Étape deux\n\n### Étape deux\n")
    assert out.headings == (
        (2, "evening", "Cours du soir"),
        (2, "etape-deux", "Étape deux"),
        (3, "etape-deux-2", "Étape deux"),
    )
    assert '<h2 id="evening">Cours du soir</h2>' in out.html
    assert out.ids == {"evening", "etape-deux", "etape-deux-2"}


def test_tables(renderer: MarkdownRenderer) -> None:
    out = renderer.render("| Quoi | Quand |\n|---|---|\n| Annonce | 14 jours |\n")
    assert "<table>" in out.html and "<td>Annonce</td>" in out.html.replace("\n", "")


def test_md_links_are_rewritten_relative_to_the_source(renderer: MarkdownRenderer) -> None:
    out = renderer.render(
        "[a](../cours.md#x) and [b](../vivre/logement.md)", key="travail/index.md", page_url=pages
    )
    assert '<a href="../cours/index.html#x">a</a>' in out.html
    assert '<a href="../vivre/logement/index.html">b</a>' in out.html
    assert [(link.key, link.fragment) for link in out.anchor_links] == [("cours.md", "x")]
    assert out.problems == ()


def test_broken_links_are_reported_and_unlinked(renderer: MarkdownRenderer) -> None:
    out = renderer.render(
        "[gone](nowhere.md) [up](../../x.md) [abs](/fr/x/)", key="a.md", page_url=pages
    )
    assert [p.message for p in out.problems] == [
        "link to a page that does not exist: nowhere.md",
        "this link leaves the language folder",
        "a link starting with '/' breaks when the site is opened from a folder or a sub-path",
    ]
    assert "nowhere" not in out.html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<svg onload="alert(1)"></svg>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_sanitizer_removes_active_content(renderer: MarkdownRenderer, payload: str) -> None:
    html = renderer.render(payload).html.lower()
    for needle in ("<script", "onerror", "javascript:", "<iframe", "onload", "style="):
        assert needle not in html


def test_unsafe_schemes_are_reported(renderer: MarkdownRenderer) -> None:
    out = renderer.render("[x](javascript:alert(1)) ![i](data:image/png;base64,AAAA)")
    assert [p.message for p in out.problems] == [
        "'javascript:' addresses are not allowed",
        "'data:' addresses are not allowed",
    ]


def test_images_are_collected_with_alt_text(renderer: MarkdownRenderer) -> None:
    out = renderer.render(
        "![Plan de Sion](plan.png) ![](deco.png)", asset_url=lambda key: f"../{key}"
    )
    assert out.images == (("plan.png", "Plan de Sion"), ("deco.png", ""))
    assert 'src="../plan.png"' in out.html and 'loading="lazy"' in out.html


def test_plain_text_for_search(renderer: MarkdownRenderer) -> None:
    assert renderer.render("## Titre\n\nUn *texte* &amp; plus.").text == "Titre Un texte & plus."


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Délégués à l'intégration", "delegues-a-l-integration"),
        ("Straße", "strasse"),
        ("Cours du soir — A1", "cours-du-soir-a1"),
        ("مرحبا بكم", "مرحبا-بكم"),
        ("  --  ", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("url", "here", "link"),
    [
        ("fr/", "fr/cours/", "../index.html"),
        ("assets/site.css", "fr/a/b/", "../../../assets/site.css"),
        ("fr/cours/", "fr/", "cours/index.html"),
        ("fr/", "fr/", "index.html"),
        ("fr/", "", "fr/index.html"),
        ("de/kurse/", "fr/cours/", "../../de/kurse/index.html"),
    ],
)
def test_relative_links(url: str, here: str, link: str) -> None:
    assert relative(url, here) == link


# -- what the sanitizer removes is said, what would stall it is refused (issues 13, 17) ----------

TOO_DEEP = "lists, quotes or HTML elements are nested more than 100 levels deep"


@pytest.mark.parametrize(
    "text",
    [
        ">" * 50_000 + " citation\n",  # 50 KB: nh3 needed minutes for it
        "- " * 40_000 + "x\n",
        "> - " * 20_000 + "x\n",
        "Texte.\n\n" + "<div>" * 50_000 + "fin\n",
    ],
    ids=["quotes", "lists", "quotes-in-lists", "html"],
)
def test_deep_nesting_is_refused_before_the_sanitizer(
    renderer: MarkdownRenderer, text: str
) -> None:
    out = renderer.render("Intro.\n\n" + text)
    assert [(p.message, p.line) for p in out.problems] == [(TOO_DEEP, 5 if "<div>" in text else 3)]
    assert out.html == ""


def test_nesting_up_to_the_limit_is_shown(renderer: MarkdownRenderer) -> None:
    out = renderer.render("> " * 99 + "citation profonde\n")
    assert out.problems == ()
    assert out.html.count("<blockquote>") == 99 and "citation profonde" in out.html


def test_a_long_flat_list_is_not_deep(renderer: MarkdownRenderer) -> None:
    out = renderer.render(
        "".join(f"- point {n}\n" for n in range(500)) + "<ul>" + "<li>x" * 300 + "</ul>\n"
    )
    assert out.problems == ()


RAW_HTML = """\
Texte avec <b onclick="x()">gras</b>.

<iframe src="https://maps.example/embed"></iframe>

<div style="color: red" data-x="1">
<script>alert(1)</script>
</div>

<!-- <video src="old.mp4"></video> retiré en silence -->

<details><summary>Plus</summary><abbr title="Office">OCPM</abbr> <span class="note" \
lang="de">ok</span></details>

`<script>` dans du code
"""


def test_removed_raw_html_is_a_warning_with_its_line(renderer: MarkdownRenderer) -> None:
    out = renderer.render(RAW_HTML)
    assert [(p.line, p.message, p.is_warning) for p in out.problems] == [
        (1, "the attribute 'onclick' of <b> is removed from the page", True),
        (3, "the HTML element <iframe> is removed from the page", True),
        (5, "the attribute 'style' of <div> is removed from the page", True),
        (5, "the attribute 'data-x' of <div> is removed from the page", True),
        (6, "the HTML element <script> is removed from the page", True),
    ]
    assert "geo" in out.problems[1].hint and "link" in out.problems[1].hint
    assert "<iframe" not in out.html and "onclick" not in out.html and "<details>" in out.html


def test_a_link_inside_a_removed_element_is_covered_by_its_warning(
    renderer: MarkdownRenderer,
) -> None:
    out = renderer.render(
        '<iframe src="https://maps.example/"><a '
        'href="https://maps.example/sion">Plan</a></iframe>\n'
        "\n"
        "Voir [x](http://[y).\n"
    )
    assert out.problems[0].message == "the HTML element <iframe> is removed from the page"
    assert not any("maps.example" in p.target for p in out.problems[1:])


def test_allowed_html_and_plain_text_give_no_warning(renderer: MarkdownRenderer) -> None:
    out = renderer.render(
        'a < b, <https://www.vs.ch/> et <info@example.ch>\n\n<p class="note">Note</p>\n'
    )
    assert out.problems == ()


@pytest.mark.parametrize(
    "text,address",
    [
        (r"[Site](https:/\evil.example)", "https:/\\evil.example"),
        ("![Carte](http://[carte)", "http://[carte"),
        ('<a href="https://exa%mple.ch/">x</a>', "https://exa%mple.ch/"),
    ],
)
def test_addresses_the_sanitizer_drops_are_errors(text: str, address: str) -> None:
    out = MarkdownRenderer().render(f"Voir {text} et [ok](https://www.vs.ch/).")
    assert [(p.target, p.is_warning) for p in out.problems] == [(address, False)]
    assert out.problems[0].message.endswith("is not a valid web address and would be removed")
    assert 'href="https://www.vs.ch/"' in out.html


@pytest.mark.parametrize(
    "broken", ["<![", "<![\n", "<![if !supportLists]>", "</>", "<?php x ?>", "<!DOCTYPE html>"]
)
def test_broken_html_from_a_paste_is_read_on(renderer: MarkdownRenderer, broken: str) -> None:
    """The standard HTMLParser stops with an AssertionError at '<![' without a name.

    The scan must read on.
    """
    out = renderer.render(f"<div>\n{broken}\n</div>\n\n<script>alert(1)</script>\n")
    assert "the HTML element <script> is removed from the page" in [p.message for p in out.problems]


_PASTE = st.lists(
    st.sampled_from(
        [
            *"<>/!-=\"' \n[]?&#;:",
            "div",
            "script",
            "a",
            "img",
            " src=",
            " href=",
            "on",
            "http://",
            "> ",
            "- ",
            "<div>\n",
            "<![",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=_PASTE)
def test_any_paste_gives_problems_never_an_exception(text: str) -> None:
    """Whatever an editor pastes, both engines answer with HTML and problems, never a traceback."""
    for engine in ENGINES:
        out = MarkdownRenderer(engine).render(text)
        assert all(p.message and p.hint and p.line >= 0 for p in out.problems)
