"""Cheap checks on the rendered bytes of every HTML output, before anything is written.

A screen reader picks its voice from `lang`, and a browser lays out right-to-left text
from `dir` (WCAG 3.1.1, Language of Page): a site template override that drops either
would silently break every page it renders, so the build fails instead.
"""

from __future__ import annotations

import re

from .errors import Diagnostic, error

# The opening <html> tag, found in the first bytes: after the doctype and maybe a comment.
_HTML_TAG = re.compile(rb"<html(\s[^>]*)?>", re.IGNORECASE)
_ATTR = re.compile(rb"""\s(lang|dir)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
DIRECTIONS = (b"ltr", b"rtl", b"auto")
HINT = (
    'keep <html lang="{{ lang }}" dir="{{ dir }}"> in the template (a site template in '
    "templates/ may have replaced base.html without them)"
)


def html_problems(output: str, what: str, data: bytes) -> list[Diagnostic]:
    """The page's <html> must say its language and its direction."""
    if not output.endswith(".html"):
        return []
    where = what if what.startswith(("content/", "templates/", "site.yaml")) else output
    tag = _HTML_TAG.search(data, 0, 4096)
    if tag is None:
        return [
            error(
                where, 0, f"the page {output} has no <html> tag, so no language and direction", HINT
            )
        ]
    attrs = {
        m.group(1).lower().decode(): (m.group(2) or m.group(3) or m.group(4) or b"").strip()
        for m in _ATTR.finditer(tag.group(1) or b"")
    }
    missing = []
    if not attrs.get("lang"):
        missing.append("its language (lang)")
    if attrs.get("dir", b"").lower() not in DIRECTIONS:
        missing.append('its direction (dir="ltr" or dir="rtl")')
    if not missing:
        return []
    return [
        error(where, 0, f"the page {output} does not say {' nor '.join(missing)} on <html>", HINT)
    ]
