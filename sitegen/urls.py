"""Relative links between output files, so the site works from any folder, host or sub-path."""

from __future__ import annotations


def output_file(url: str) -> str:
    """The file behind a site URL: folders ("fr/cours/") are served by their index.html."""
    return url + "index.html" if url.endswith("/") or url == "" else url


def relative(url: str, here: str) -> str:
    """The link from the page whose folder URL is `here` to `url` (both relative to the build root).

    Links always name index.html: from a folder opened offline (file://) a link to a folder
    would show a directory listing instead of the page.
    """
    target = output_file(url).split("/")
    base = [part for part in here.split("/") if part]
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    return "../" * (len(base) - common) + "/".join(target[common:])
