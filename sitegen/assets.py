"""What is published under assets/: the theme's static files, minified, and the site's own assets.

The repository keeps the readable source (sitegen/static/); visitors download the
minified copy, so that every page with its scripts stays under 14 KB gzipped (issue 17).
A site may add files of its own (a logo, a stylesheet) in an `assets/` folder beside
site.yaml: they are published under assets/site/, apart from the theme's (docs/templates.md).
"""

from __future__ import annotations

from pathlib import Path

import minify

from .errors import Diagnostic

STATIC_DIR = Path(__file__).parent / "static"
# search.js is written in parts by concern and joined in this order into one classic script:
# the parts share one function scope (intro.js opens it, outro.js closes it), so the page
# needs no module loader, which file:// would refuse.
JOINED = {
    "search.js": tuple(
        f"search/{part}.js" for part in ("intro", "text", "engine", "load", "ui", "outro")
    )
}
SITE_ASSETS = "assets"  # the site's folder, beside site.yaml
SITE_PREFIX = "site/"  # below the output's assets/: no name of the site can clash with the theme's
# linked after the theme's stylesheet on every page when the site has one
SITE_STYLESHEET = "site.css"
# The site's assets are the theme's side of the site, trusted like its templates (they are
# code, docs/security.md): a stylesheet and an SVG logo are allowed there, not in content/.
TRUSTED_SUFFIXES = frozenset({".svg", ".css"})

# tdewolff/minify (the minifier Hugo uses): it also shortens local names, which whitespace-
# only minifiers (rjsmin) cannot; that is 1.2 KB gzipped of search.js, the margin that keeps
# the search pages under 14 KB with the share and offline scripts beside it.
_TYPES = {".js": "application/javascript", ".css": "text/css"}


def theme_names() -> list[str]:
    """The names of the theme's files below the output's assets/, sorted."""
    parts = {part for names in JOINED.values() for part in names}
    files = {
        p.relative_to(STATIC_DIR).as_posix() for p in STATIC_DIR.rglob("*") if p.is_file()
    } - parts
    return sorted(files | JOINED.keys())


def source(name: str) -> bytes:
    """The readable source of the theme's file `name` (the joined parts for search.js)."""
    return b"".join((STATIC_DIR / part).read_bytes() for part in JOINED.get(name, (name,)))


def published(name: str, data: bytes) -> bytes:
    """The bytes of the static file `name` as written to the output folder."""
    kind = _TYPES.get(name[name.rfind(".") :]) if "." in name else None
    if kind is None:
        return data
    return minify.string(kind, data.decode("utf-8")).encode("utf-8")


def theme_file(name: str) -> bytes:
    """The theme's file `name` as published: joined and minified."""
    return published(name, source(name))


def site_assets(site_dir: Path) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """The site's own assets as (name below assets/site/, file), checked like the files beside
    the pages (no link out of the site, not too large), with a problem for each one refused."""
    # sources brings YAML and Babel: not imported by a build with nothing to do.
    from .sources import check_asset, walk_site

    root = site_dir / SITE_ASSETS
    if not root.is_dir():
        return [], []
    walked, diags = walk_site(root, SITE_ASSETS)
    files = []
    for path, rel in walked:
        ok, problems = check_asset(site_dir, path, rel, trusted=TRUSTED_SUFFIXES)
        diags += problems
        if ok:
            files.append((rel.split("/", 1)[1], path))
    return files, diags
