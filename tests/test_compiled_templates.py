"""Compiled templates (issue 16): compiled once for all languages, kept signed in the site's
cache folder, compiled again when a template changes, never loaded from a file this user's
sitegen did not write, and a read-only cache folder only costs the compiling."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from helpers import SITES, TODAY
from jinja2 import Environment

from sitegen.build import build
from sitegen.cache import CACHE_DIR


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".sitegen-build"
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITES / "mini", target, ignore=shutil.ignore_patterns(CACHE_DIR, "build"))
    return target


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from source."""
    names: list[str] = []
    original = Environment.compile

    def spy(
        self: Environment, source: object, name: str | None = None, *args: object, **kwargs: object
    ) -> object:
        names.append(str(name))
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", spy)
    return names


def compiled_files(site: Path) -> list[Path]:
    return sorted((site / CACHE_DIR).glob("template-*.jinja"))


def cold_again(site: Path) -> None:
    """Forget the build state, keep the compiled templates: the next build renders everything."""
    for file in (site / CACHE_DIR).glob("*.pickle"):
        file.unlink()


def test_each_template_is_compiled_once_and_then_read_back(
    site: Path, tmp_path: Path, compiles: list[str]
) -> None:
    build(site, tmp_path / "one", today=TODAY)
    assert compiles and len(compiles) == len(set(compiles)), (
        "three languages, each template compiled once"
    )
    assert len(compiled_files(site)) == len(compiles)
    compiles.clear()
    cold_again(site)
    build(site, tmp_path / "two", today=TODAY)
    assert compiles == [], "the next build reads the compiled templates"
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_no_cache_builds_neither_read_nor_write_compiled_templates(
    site: Path, tmp_path: Path, compiles: list[str]
) -> None:
    build(site, tmp_path / "one", today=TODAY, cache=False)
    assert compiled_files(site) == [] and compiles
    build(site, tmp_path / "two", today=TODAY)
    compiles.clear()
    build(site, tmp_path / "three", today=TODAY, cache=False)
    assert compiles and len(compiles) == len(set(compiles)), (
        "a cold build compiles, once for all languages"
    )
    assert digest(tmp_path / "one") == digest(tmp_path / "three")


def test_an_edited_template_is_compiled_again(
    site: Path, tmp_path: Path, compiles: list[str]
) -> None:
    (site / "templates").mkdir()
    page = site / "templates/page.html"
    page.write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ title }}</h1>{{ body }}{% endblock %}\n'
    )
    build(site, tmp_path / "one", today=TODAY)
    page.write_text(
        '{% extends "base.html" %}{% block content %}<h1 class="edited">{{ title }}</h1>{{ body '
        "}}{% endblock %}\n"
    )
    compiles.clear()
    cold_again(site)
    build(site, tmp_path / "two", today=TODAY)
    assert compiles == ["page.html"]
    assert 'class="edited"' in (tmp_path / "two/fr/premiers-pas/index.html").read_text()


def test_a_compiled_template_from_elsewhere_is_never_loaded(
    site: Path, tmp_path: Path, compiles: list[str]
) -> None:
    """A compiled template is code.

    One placed in the site's cache folder by someone else is ignored.
    """
    build(site, tmp_path / "one", today=TODAY)
    for file in compiled_files(site):
        data = bytearray(file.read_bytes())
        data[0] ^= 1  # the signature no longer fits
        file.write_bytes(bytes(data))
    compiles.clear()
    cold_again(site)
    build(site, tmp_path / "two", today=TODAY)
    assert sorted(compiles) == sorted(set(compiles)) and compiles, (
        "every template compiled again from its source"
    )
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_an_unwritable_cache_folder_only_costs_the_compiling(site: Path, tmp_path: Path) -> None:
    """Where the folder cannot be created (a file in its place), the build is the same, uncached."""
    (site / CACHE_DIR).write_text("not a folder")
    build(site, tmp_path / "one", today=TODAY)
    (site / CACHE_DIR).unlink()
    build(site, tmp_path / "two", today=TODAY, cache=False)
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_gettext_looked_up_once_gives_what_jinja_gives(tmp_path: Path) -> None:
    """The memoized gettext of make_environment renders what Jinja's own callables render."""
    from sitegen.config import load_config
    from sitegen.i18n import load_localizers
    from sitegen.templates import make_environment

    config, _ = load_config(SITES / "mini")
    assert config is not None
    localizer = load_localizers(SITES / "mini", config)[0]["de"]
    source = (
        '{{ _("Skip to content") }}|{{ _("100%% <b>") }}|{{ _("%(n)s & <i>", n="<x>") }}|{{ '
        '_("Skip to content") }}|{% autoescape false %}{{ _("a <b> %(v)s", v="<c>") }}{% '
        'endautoescape %}|{% trans count=2, number="<2>" %}{{ number }} offer{% pluralize %}{{ '
        'number }} offers{% endtrans %}|{{ gettext("Skip to content") }}|{{ ngettext("%(num)s '
        'day", "%(num)s days", 1) }}'
    )
    ours = make_environment(tmp_path, localizer).from_string(source).render()
    stock = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    stock.install_gettext_translations(localizer.translations, newstyle=True)  # type: ignore[attr-defined]
    assert ours == stock.from_string(source).render()
    assert ours.startswith("Zum Inhalt springen|"), "the German catalog is used"


def test_templates_compiled_by_another_version_are_removed(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "one", today=TODAY)
    old = site / CACHE_DIR / "template-000000000000-0123.jinja"
    old.write_bytes(b"compiled by an older sitegen")
    cold_again(site)
    build(site, tmp_path / "two", today=TODAY)
    assert not old.exists() and compiled_files(site)
