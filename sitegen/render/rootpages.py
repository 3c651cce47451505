"""The two pages at the site's root that speak every language at once: the language choice
(index.html) and the 404 page, served at any depth. Small files that depend on everything:
rendered on every build rather than tracked."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from .core import Job, Renderer


def jobs(r: Renderer) -> Iterator[Job]:
    default = r.config.default_language
    yield Job(
        "index.html",
        "the language choice page",
        None,
        partial(r.render, default, "languages.html", partial(language_choice, r)),
    )
    yield Job(
        "404.html",
        "the 404 page",
        None,
        partial(r.render, default, "404.html", partial(not_found, r)),
    )


def language_choice(r: Renderer) -> dict[str, Any]:
    lang = r.config.default_language
    homes = []
    for code in r.config.languages:
        loc = r.localizers[code]
        homes.append(
            {
                "code": code,
                "dir": loc.direction,
                "name": loc.language_name(code, in_own_language=True),
                "title": r.config.text(r.config.title, code),
                "url": r.site.home_url(code),
                "tagline": r.config.text(r.config.tagline, code),
            }
        )
    return {
        "lang": lang,
        "dir": r.localizers[lang].direction,
        "here": "",
        "homes": homes,
        "titles": list(dict.fromkeys(h["title"] for h in homes)),
        "alternates": [{"hreflang": "x-default", "href": r.absolute("")}],
    }


def not_found(r: Renderer) -> dict[str, Any]:
    # No chrome: the page is in every language at once (see 404.html).
    lang = r.config.default_language
    homes = []
    for code in r.config.languages:
        other = r.localizers[code]
        homes.append(
            {
                "code": code,
                "dir": other.direction,
                "url": r.site.home_url(code),
                "title": other.gettext("Page not found"),
                "explanation": other.gettext(
                    "This page does not exist (any more). The address may be wrong, or the page "
                    "may have moved."
                ),
                "message": other.gettext("Go to the home page in %(language)s")
                % {"language": other.language_name(code, capitalize=False)},
            }
        )
    return {
        "lang": lang,
        "dir": r.localizers[lang].direction,
        "here": None,
        "base_path": r.base_path,
        "homes": homes,
        "titles": list(dict.fromkeys(h["title"] for h in homes)),
    }
