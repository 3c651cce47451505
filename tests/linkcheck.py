"""A link checker for built sites.

Every internal href/src resolves to a file, every #anchor exists.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (attribute, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        for attribute in ("href", "src", "action"):
            value = values.get(attribute)
            if value is not None and not (
                tag == "link" and values.get("rel") in ("canonical", "alternate")
            ):
                self.links.append((attribute, value))


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def broken_links(root: Path, base_path: str = "/") -> list[str]:
    """Problems as 'page: url (reason)'; an empty list means every internal link works."""
    pages = {p: parse(p) for p in sorted(root.rglob("*.html"))}
    problems = []
    for page, collected in pages.items():
        for _, url in collected.links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue
            if parts.path.startswith("/"):
                if not parts.path.startswith(base_path):
                    problems.append(
                        f"{page.relative_to(root)}: {url} (outside the site's base path)"
                    )
                    continue
                target = root / unquote(parts.path[len(base_path) :])
            elif parts.path:
                target = Path(
                    posixpath.normpath(posixpath.join(page.parent.as_posix(), unquote(parts.path)))
                )
            else:
                target = page
            if target.is_dir() or url.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page.relative_to(root)}: {url} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if parts.fragment not in ids:
                    problems.append(f"{page.relative_to(root)}: {url} (no id '{parts.fragment}')")
    return problems
