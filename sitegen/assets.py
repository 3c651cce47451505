"""The theme's static files as published: scripts and the stylesheet minified, everything else as it is.

The repository keeps the readable source (sitegen/static/); visitors download the
minified copy, so that every page with its scripts stays under 14 KB gzipped (issue 17).
"""

from __future__ import annotations

import minify

# tdewolff/minify (the minifier Hugo uses): it also shortens local names, which whitespace-
# only minifiers (rjsmin) cannot; that is 1.2 KB gzipped of search.js, the margin that keeps
# the search pages under 14 KB with the share and offline scripts beside it.
_TYPES = {".js": "application/javascript", ".css": "text/css"}


def published(name: str, data: bytes) -> bytes:
    """The bytes of the static file `name` as written to the output folder."""
    kind = _TYPES.get(name[name.rfind(".") :]) if "." in name else None
    if kind is None:
        return data
    return minify.string(kind, data.decode("utf-8")).encode("utf-8")
