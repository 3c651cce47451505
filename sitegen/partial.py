"""What a failed load still makes of a site, so that one run reports every problem (issue 13).

An invalid offer is simply left out. A page whose file or front matter has errors stands
in for itself: the model links to it (a link to it is not a "missing page"), its body is
still checked when it could be read, and it is never published, since the build fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import content, i18n, model
    from .sources import PageSource
    from .validate import PageMeta


@dataclass(frozen=True)
class Partial:
    """What a failed load still made of the rest of the site: later stages (templates, the
    editor's checks) run over it, so that one run reports every problem of the site."""

    site: model.Site
    contents: content.Contents
    localizers: dict[str, i18n.Localizer]
    # page files with errors, in the model only so that links to them resolve
    stand_ins: frozenset[str]


# Said in the summary when site.yaml cannot be read: every other stage needs its languages.
NEEDS_CONFIG = ("pages", "offers", "links and anchors", "images and files", "templates")


def stand_in(
    source: PageSource | None, path: str, lang: str, key: str
) -> tuple[PageSource, PageMeta]:
    """A page with errors, as the model sees it while the rest of the site is checked: its
    links resolve (so they are not reported as missing pages) and its body, when it could
    be read, is still checked; it is never published (the build fails)."""
    from .sources import PageSource
    from .validate import PageMeta
    from .yamlload import LineDict

    if source is None:
        meta = LineDict()
        meta.line, meta.key_lines = 2, {}
        source = PageSource(path, lang, key, meta, "", 1)
    return source, PageMeta(title=key.rsplit("/", 1)[-1].removesuffix(".md"))
