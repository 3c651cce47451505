"""The translation status page for editors (/_status/): not in menus, the sitemap or the
search index, and noindex. Its table is translations.py's, the same as `sitegen status`."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ..translations import status_page
from .core import Job, Renderer, digest


def jobs(r: Renderer) -> Iterator[Job]:
    revisions = r.revisions
    deps = (
        "status",
        r.pages_digest(),
        digest(
            (
                sorted(revisions.files),
                revisions.git,
                sorted(revisions.last.items()),
                revisions.commits,
            )
        ),
    )
    yield Job(
        "_status/index.html",
        "the translation status page",
        deps,
        partial(r.render, r.config.default_language, "status.html", partial(context, r)),
    )


def context(r: Renderer) -> dict[str, Any]:
    lang = r.config.default_language
    loc = r.localizers[lang]
    page = r.chrome(lang, "_status/", loc.gettext("Translation status"), [], noindex=True)
    page.update(status_page(r.site, loc, r.revisions))
    return page
