"""One test per kind of content error: file, line, what is wrong and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PAGE, build_errors, build_ok, write_site

OFFER = """\
- id: sion-a1
  kind: course
  title: {fr: "Français A1"}
  region: valais-central
"""


def site_with(tmp_path: Path, **files: str) -> Path:
    base = {"content/fr/index.md": PAGE.format(title="Accueil")}
    base.update({k.replace("__", "/").replace("_DOT_", "."): v for k, v in files.items()})
    return write_site(tmp_path / "site", base)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s", {"content/offers/a.yaml": '- id: x\n  title: "unclosed\n  kind: course\n'}
    )
    assert build_errors(site) == [
        "content/offers/a.yaml:2: a quoted text is not closed (add the missing closing quote "
        "(\" or '))"
    ]


def test_tab_indentation(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/offers/a.yaml": "- id: x\n\tkind: course\n"})
    assert build_errors(site) == [
        "content/offers/a.yaml:2: a tab character is used for indentation (YAML needs spaces: "
        "replace the tab with spaces)"
    ]


def test_duplicate_key(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\ntitle: B\n---\n"})
    assert build_errors(site) == [
        "content/fr/a.md:3: duplicate key 'title' (first on line 2) (keep one of the two; YAML "
        "would silently use the last)"
    ]


def test_unclosed_front_matter(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\n\nText\n"})
    assert build_errors(site) == [
        "content/fr/a.md:1: the front matter is not closed (add a line with only '---' after the "
        "last front matter line)"
    ]


def test_missing_front_matter_and_empty_file(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "Just text\n", "content/fr/b.md": ""})
    assert build_errors(site) == [
        "content/fr/a.md:1: the page does not start with front matter (put a line '---', then "
        "'title: ...', then '---' at the top)",
        "content/fr/b.md:1: the file is empty (start it with front matter: ---, title: ..., ---)",
    ]


def test_missing_title(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\nsummary: x\n---\n"})
    assert build_errors(site) == [
        "content/fr/a.md:2: 'title' is missing (add a line 'title: ...' to the front matter)"
    ]


def test_wrong_types(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {"content/fr/a.md": "---\ntitle: A\nweight: heavy\ndraft: maybe\nkeywords: {a: b}\n---\n"},
    )
    assert build_errors(site) == [
        "content/fr/a.md:3: 'weight' must be a whole number, not 'heavy' (write weight: 10)",
        "content/fr/a.md:4: 'draft' must be true or false, not 'maybe' (write draft: true or "
        "draft: false)",
        "content/fr/a.md:5: 'keywords' must be a list of words, not a map (write keywords: [word, "
        "other word])",
    ]


def test_invalid_date(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\nupdated: 2026-02-30\n---\n"}
    )
    assert build_errors(site) == [
        "content/fr/a.md:3: 'updated' is not a real date: 2026-02-30 (check the day and the month "
        "(YYYY-MM-DD))"
    ]


def test_unknown_key_is_a_warning_with_suggestion(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\nsumary: x\n---\n"})
    _, result = build_ok(site)
    assert [w.format() for w in result.warnings] == [
        "content/fr/a.md:3: warning: unknown key 'sumary' in the front matter, ignored (did you "
        "mean 'summary'?)"
    ]


def test_offer_missing_required_fields(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {"content/offers/a.yaml": "- id: x\n  commune: Sion\n"})
    assert build_errors(site) == [
        "content/offers/a.yaml:1: 'kind' is missing (add kind: one of course, "
        "counselling, delegate)",
        "content/offers/a.yaml:1: 'region' is missing (add region: one of valais-central, "
        "haut-valais)",
        'content/offers/a.yaml:1: \'title\' is missing (add title: {fr: "...", de: "...", '
        'en: "..."})',
    ]


def test_unknown_kind_region_language(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "content/offers/a.yaml": (
                "- id: x\n"
                "  kind: cours\n"
                "  region: valais-centrale\n"
                "  title: {fr: A, it: B}\n"
                "  levels: [A3]\n"
            )
        },
    )
    assert build_errors(site) == [
        "content/offers/a.yaml:2: unknown kind 'cours' (did you mean 'course'?)",
        "content/offers/a.yaml:3: unknown region 'valais-centrale' (did you mean "
        "'valais-central'?)",
        "content/offers/a.yaml:4: 'title' has text for unknown language 'it' (the site's "
        "languages are fr, de, en (site.yaml))",
        "content/offers/a.yaml:5: unknown level 'A3' in 'levels' (use one of: A1, A2, B1, B2, "
        "C1, C2)",
    ]


def test_duplicate_offer_ids(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {"content/offers/a.yaml": OFFER, "content/offers/b.yaml": "# more\n" + OFFER},
    )
    assert build_errors(site) == [
        "content/offers/b.yaml:2: offer id 'sion-a1' is already used at content/offers/a.yaml:1 "
        "(give each offer its own id: it is the offer's address)"
    ]


@pytest.mark.parametrize("bad_id", ["Sion-A1", "sion a1", "../x", "a/b", "sion--a1"])
def test_bad_offer_id(tmp_path: Path, bad_id: str) -> None:
    site = write_site(
        tmp_path / "s", {"content/offers/a.yaml": OFFER.replace("sion-a1", f'"{bad_id}"')}
    )
    assert build_errors(site) == [
        f"content/offers/a.yaml:1: id '{bad_id}' may only use a-z, 0-9 and single hyphens (no "
        "spaces, '/', '.' or capitals) (write id: sion-francais-a1)"
    ]


@pytest.mark.parametrize("slug", ["Cours", "a/b", "..", "a b"])
def test_bad_slug(tmp_path: Path, slug: str) -> None:
    site = write_site(tmp_path / "s", {"content/fr/a.md": f'---\ntitle: A\nslug: "{slug}"\n---\n'})
    assert build_errors(site) == [
        f"content/fr/a.md:3: slug '{slug}' must be lowercase words joined by hyphens, without '/', "
        "spaces or dots (write slug: cours-de-langue)"
    ]


def test_ends_before_starts(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {"content/offers/a.yaml": OFFER + "  starts: 2027-03-01\n  ends: 2027-01-01\n"},
    )
    assert build_errors(site) == [
        "content/offers/a.yaml:6: 'ends' (2027-01-01) is before 'starts' (2027-03-01) (swap the "
        "two dates or correct one of them)"
    ]


def test_contact_formats_and_javascript_url(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "content/offers/a.yaml": OFFER
            + (
                "  contact:\n"
                "    phone: call me\n"
                "    email: mailto:x@example.ch\n"
                "    website: javascript:alert(1)\n"
            )
        },
    )
    assert build_errors(site) == [
        "content/offers/a.yaml:6: 'contact.phone' is not a phone number: 'call me' (write it as "
        "+41 27 000 00 00 or 027 000 00 00)",
        "content/offers/a.yaml:7: 'contact.email' is not an e-mail address: 'mailto:x@example.ch' "
        "(write it as name@example.ch, without 'mailto:')",
        "content/offers/a.yaml:8: 'contact.website' must be a web address starting with https://, "
        "not 'javascript:alert(1)' (write https://www.example.ch/)",
    ]


def test_two_pages_on_one_url(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "content/fr/a.md": "---\ntitle: A\nslug: same\n---\n",
            "content/fr/b.md": "---\ntitle: B\nslug: same\n---\n",
        },
    )
    assert build_errors(site) == [
        "content/fr/b.md:3: this would be published at /fr/same/, like content/fr/a.md (change its "
        "'slug' or its file name)"
    ]


def test_link_to_missing_page_and_anchor(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "content/fr/a.md": "---\ntitle: A\n---\nSee [b](b.md#nowhere).\n\nAnd [c](c.md).\n",
            "content/fr/b.md": "---\ntitle: B\n---\n## Here {#here}\n",
        },
    )
    assert build_errors(site) == [
        "content/fr/a.md:4: the anchor '#nowhere' does not exist in content/fr/b.md (use one of "
        "its anchors (here), or add {#nowhere} to a heading there)",
        "content/fr/a.md:6: link to a page that does not exist: c.md (check the file name, or "
        "create the page)",
    ]


def test_missing_image(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s", {"content/fr/a.md": "---\ntitle: A\n---\n\n![Plan](plan.png)\n"}
    )
    assert build_errors(site) == [
        "content/fr/a.md:5: the image 'plan.png' does not exist (put the file at "
        "content/<language>/plan.png, or correct the path)"
    ]


def test_unknown_language_folder_is_a_warning(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {"content/fr/a.md": PAGE.format(title="A"), "content/it/a.md": PAGE.format(title="A")},
    )
    _, result = build_ok(site)
    assert [w.format() for w in result.warnings] == [
        "content/it: warning: folder 'it' is not a language of the site; its files are ignored "
        "(add 'it' to languages in site.yaml, or move the files)"
    ]


def test_site_yaml_errors(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "site.yaml": "title: T\n"
            "languages: [fr, 12]\n"
            "default_language: de\n"
            "regions: []\n"
            "colours: red\n"
        },
    )
    assert build_errors(site) == [
        "site.yaml:2: '12' is not a language code (use an ISO 639 code such as fr, de, en, "
        "pt, ar, ti)",
        "site.yaml:3: default_language 'de' is not in 'languages' (use one of fr)",
        "site.yaml:5: warning: unknown key 'colours' in site.yaml, ignored (known keys: title, "
        "tagline, base_url, default_language, languages, regions, kinds, audiences, footer, "
        "per_page, markdown, territory, url_words, fallbacks)",
    ]


def test_not_utf8(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", {})
    (site / "content/fr").mkdir(parents=True)
    (site / "content/fr/a.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    assert build_errors(site) == [
        "content/fr/a.md:2: the file is not UTF-8 text (save it with the UTF-8 encoding in "
        "your editor)"
    ]


def test_all_errors_reported_together(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "s",
        {
            "content/fr/a.md": "---\ntitle: A\nweight: x\n---\n",
            "content/fr/b.md": "---\nsummary: x\n---\n",
            "content/offers/a.yaml": "- id: x\n"
            "  kind: nope\n"
            "  region: valais-central\n"
            "  title: X\n",
        },
    )
    errors = build_errors(site)
    assert [e.split(":")[0] for e in errors] == [
        "content/fr/a.md",
        "content/fr/b.md",
        "content/offers/a.yaml",
    ]


def test_no_traceback_from_cli_on_bad_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitegen.cli import main

    site = write_site(tmp_path / "s", {"content/fr/a.md": "---\ntitle: [unclosed\n---\n"})
    assert main(["build", "--source", str(site), "--today", "2026-11-28"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "content/fr/a.md:2:" in err
    assert "Build failed: 1 error(s)." in err


def test_site_files_linked_from_outside_are_refused(tmp_path: Path) -> None:
    """site.yaml and synonyms.yaml are read like pages: a link out of the site is not followed."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("fr:\n  - [a, b]\n")
    site = write_site(tmp_path / "s", {"content/fr/a.md": PAGE.format(title="A")})
    (site / "synonyms.yaml").symlink_to(secret)
    assert build_errors(site) == [
        "synonyms.yaml: this link points outside the site folder (copy the file into the site "
        "instead of linking to it)"
    ]
    (site / "synonyms.yaml").unlink()
    (site / "site.yaml").rename(tmp_path / "site.yaml")
    (site / "site.yaml").symlink_to(tmp_path / "site.yaml")
    assert build_errors(site) == [
        "site.yaml: this link points outside the site folder (copy the file into the site instead "
        "of linking to it)"
    ]


def test_removed_raw_html_is_a_warning_at_its_file_line_and_fails_strict(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        **{
            "content__fr__plan_DOT_md": "---\n"
            "title: Plan\n"
            "summary: Où nous trouver.\n"
            "---\n"
            "Le plan :\n"
            "\n"
            '<iframe src="https://maps.example/"></iframe>\n',
            "content__offers__a_DOT_yaml": OFFER + "  description:\n"
            "    fr: |\n"
            "      Bienvenue.\n"
            "\n"
            '      <b onclick="x()">Inscription</b>\n'
            '    de: "Ein <script>x</script> Kurs"\n',
        },
    )
    _, result = build_ok(site)
    assert [w.format() for w in result.warnings] == [
        "content/fr/plan.md:7: warning: the HTML element <iframe> is removed from the page (for a "
        "map, give the offer a 'geo' field or link to the map; for a video, link to it: [Watch "
        "the video](https://...))",
        "content/offers/a.yaml:9: warning: in the description of 'sion-a1': the attribute "
        "'onclick' of <b> is removed from the page (scripts cannot run on the portal: remove "
        "the attribute)",
        "content/offers/a.yaml:10: warning: in the description of 'sion-a1': the HTML element "
        "<script> is removed from the page (scripts cannot run on the portal: write the "
        "information as text, or link to the page that has it)",
    ]
    from sitegen.cli import main

    assert (
        main(
            [
                "build",
                "--source",
                str(site),
                "--out",
                str(tmp_path / "out"),
                "--today",
                "2026-11-28",
                "-q",
                "--strict",
            ]
        )
        == 1
    )


def test_a_dropped_address_is_an_error_at_its_file_line(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        content__fr__a_DOT_md="---\n"
        "title: A\n"
        "---\n"
        "Intro.\n"
        "\n"
        "Voir [le site](https:/\\evil.example).\n",
    )
    assert build_errors(site) == [
        "content/fr/a.md:6: the link address 'https:/\\evil.example' is not a valid web address "
        "and would be removed (write the full address as the browser shows it, e.g. "
        "https://www.example.ch/page, without backslashes or spaces)"
    ]


def test_deep_nesting_is_an_error_at_its_file_line(tmp_path: Path) -> None:
    site = site_with(
        tmp_path, content__fr__a_DOT_md="---\ntitle: A\n---\nIntro.\n\n" + ">" * 50_000 + " x\n"
    )
    assert build_errors(site) == [
        "content/fr/a.md:6: lists, quotes or HTML elements are nested more than 100 levels deep "
        "(check the '>' and the indentation: real pages need a few levels)"
    ]


def test_a_slug_of_four_byte_letters_is_limited_in_bytes(tmp_path: Path) -> None:
    # 70 CJK letters of 4 bytes each: 280 bytes, more than a file name holds
    slug = "\U00020000" * 70
    site = site_with(tmp_path, content__fr__a_DOT_md=f"---\ntitle: A\nslug: {slug}\n---\n")
    assert build_errors(site) == [
        f"content/fr/a.md:3: slug '{slug[:20]}...' is too long for a folder name: 280 bytes in "
        "UTF-8, at most 240 (write a shorter slug: a few words are enough)"
    ]
