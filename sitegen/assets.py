"""The theme's static files as published: scripts and the stylesheet minified, everything else as it is.

The repository keeps the readable source (sitegen/static/); visitors download the
minified copy, so that every page with its scripts stays under 14 KB gzipped (issue 17).
"""

from __future__ import annotations

import rcssmin
import rjsmin


def published(name: str, data: bytes) -> bytes:
    """The bytes of the static file `name` as written to the output folder."""
    if name.endswith(".js"):
        # rjsmin removes comments and whitespace only: it never renames or reorders code.
        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8")
    if name.endswith(".css"):
        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")
    return data
