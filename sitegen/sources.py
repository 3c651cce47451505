"""LOAD: read pages (front matter with line numbers) and offers from the site folder."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from . import yamlload
from .config import Config
from .errors import Diagnostic, error, warning
from .textfiles import read_text, resolve_inside, unreadable_file, walk

CONTENT_DIR = "content"
OFFERS_DIR = "offers"
MAX_ASSET_BYTES = 20 * 1024 * 1024
PAGE_SUFFIX = ".md"
OFFER_SUFFIXES = (".yaml", ".yml")
# Files beside the pages are published as they are, so only passive formats are: an .html,
# .svg or .js file would run its scripts on the site's own origin, past the sanitizer and
# the Content-Security-Policy ('self' trusts every file of the site). See docs/security.md.
ASSET_SUFFIXES = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".ico",
        ".pdf",
        ".txt",
        ".csv",
        ".ics",
        ".vcf",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".mp3",
        ".m4a",
        ".ogg",
        ".oga",
        ".mp4",
        ".webm",
        ".vtt",
    }
)
ACTIVE_SUFFIXES = frozenset(
    {
        ".html",
        ".htm",
        ".xhtml",
        ".shtml",
        ".svg",
        ".svgz",
        ".xml",
        ".xsl",
        ".js",
        ".mjs",
        ".css",
        ".swf",
        ".php",
        ".cgi",
        ".wasm",
        ".json",
        ".webmanifest",
        ".appcache",
    }
)


@dataclass(frozen=True)
class PageSource:
    path: str  # relative to the site folder, forward slashes: "content/fr/cours.md"
    lang: str
    key: str  # path inside the language folder; equal keys are translations: "cours.md"
    meta: dict[str, Any]  # front matter, a yamlload.LineDict (lines already file-relative)
    body: str
    body_line: int  # file line of the first body line


@dataclass(frozen=True)
class OfferSource:
    path: str
    line: int
    data: dict[str, Any]  # a yamlload.LineDict


@dataclass(frozen=True)
class AssetSource:
    """A file beside the pages (an image, a PDF): copied to the language's output folder."""

    path: str
    lang: str
    key: str


@dataclass
class Sources:
    pages: list[PageSource] = field(default_factory=list)
    offers: list[OfferSource] = field(default_factory=list)
    assets: list[AssetSource] = field(default_factory=list)
    # Page files that exist but could not be read or parsed, as (path, lang, key): later
    # stages still know them, so that a link to one is not reported as a missing page.
    broken: list[tuple[str, str, str]] = field(default_factory=list)
    # Files beside the pages refused with an error (too large, unreadable...): never published,
    # but a link to one is not a link to a missing file.
    refused: list[AssetSource] = field(default_factory=list)


def _is_hidden(name: str) -> bool:
    # Editors leave .swp, .#lock and backup~ files while a file is open: never content.
    return name.startswith((".", "_", "#")) or name.endswith("~")


def unreadable_folder(rel: str, exc: OSError) -> Diagnostic:
    """A folder that cannot be listed.

    Without this, its pages would silently be replaced by fallbacks.
    """
    return error(
        rel,
        0,
        f"this folder cannot be read ({exc.strerror or exc}); its files would be missing from "
        "the site",
        "give your user the right to read it (chmod u+rx), or move its files elsewhere",
    )


def walk_site(root: Path, prefix: str) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """Every file below `root` with its site-relative path, in path order, and an error for
    each folder that cannot be listed (its pages would otherwise silently be fallbacks)."""
    found, unreadable = walk(root, prefix, _is_hidden)
    return found, [unreadable_folder(rel, exc) for rel, exc in unreadable]


def split_front_matter(text: str, rel: str) -> tuple[str | None, str, int, list[Diagnostic]]:
    """Split '---' front matter from the body: (yaml text, body, body's first line, problems)."""
    if not text.strip():
        return (
            None,
            "",
            1,
            [
                error(
                    rel, 1, "the file is empty", "start it with front matter: ---, title: ..., ---"
                )
            ],
        )
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return (
            None,
            "",
            1,
            [
                error(
                    rel,
                    1,
                    "the page does not start with front matter",
                    "put a line '---', then 'title: ...', then '---' at the top",
                )
            ],
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2, []
    return (
        None,
        "",
        1,
        [
            error(
                rel,
                1,
                "the front matter is not closed",
                "add a line with only '---' after the last front matter line",
            )
        ],
    )


def parse_page(
    text: str, rel: str, lang: str, key: str
) -> tuple[PageSource | None, list[Diagnostic]]:
    front, body, body_line, diags = split_front_matter(text, rel)
    if front is None:
        return None, diags
    meta, problems = yamlload.load(front, line_offset=1)
    diags = [error(rel, p.line, p.message, p.hint) for p in problems]
    if diags and meta is None:
        return None, diags
    # A duplicate key still leaves a readable map: keep it, so the rest of the page is checked
    # in the same run (the errors above fail the build anyway).
    if meta is None:
        meta = yamlload.LineDict()
        meta.line, meta.key_lines = 2, {}
    if not isinstance(meta, dict):
        return None, [
            *diags,
            error(rel, 2, "the front matter must be 'key: value' lines", "write title: My page"),
        ]
    return PageSource(rel, lang, key, meta, body, body_line), diags


# map(function, items), perhaps in other processes (parallel.fork_map)
Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]


@dataclass(frozen=True)
class _File:
    path: Path
    rel: str
    parse: Callable[[str], tuple[Any, list[Diagnostic]]]


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def _read_fresh(
    site_dir: Path, file: _File
) -> tuple[tuple[int, int, int] | None, bytes | None, Any, list[Diagnostic]]:
    """(signature, digest of the text, parse result, problems) of a file read for the first time."""
    signature = _signature(file.path)
    text, problems = read_text(site_dir, file.path, file.rel)
    if text is None:
        return signature, None, None, problems
    return signature, _digest(text), file.parse(text), problems


# rel path -> (lstat signature, digest of the text, parse result): what the last load read
# and made of it. A digest, not the text: the memo is pickled with the cache's state.
SourceMemo = dict[str, tuple[tuple[int, int, int] | None, bytes, Any]]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Reader:
    """Reads and parses files, reusing the last parse of a file whose text did not change.

    With `trust_stat` (one process watching its files, as `serve` does) an unchanged
    signature (modification time, size, inode) skips even reading the file.
    """

    def __init__(
        self,
        site_dir: Path,
        memo: SourceMemo | None,
        trust_stat: bool,
        same: frozenset[str] = frozenset(),
    ):
        self.site_dir, self.memo, self.trust_stat, self.same = site_dir, memo, trust_stat, same
        self.seen: set[str] = set()

    def __call__(
        self, path: Path, rel: str, parse: Callable[[str], tuple[Any, list[Diagnostic]]]
    ) -> tuple[Any, list[Diagnostic]] | None:
        """(result, problems) of parsing the file, or None and its problems if it cannot be read."""
        self.seen.add(rel)
        if self.memo is None:
            text, problems = read_text(self.site_dir, path, rel)
            return (parse(text), problems) if text is not None else (None, problems)
        entry = self.memo.get(rel)
        if entry is not None and rel in self.same:
            return entry[2], []
        signature = _signature(path)
        if (
            self.trust_stat
            and entry is not None
            and signature is not None
            and entry[0] == signature
        ):
            return entry[2], []
        text, problems = read_text(self.site_dir, path, rel)
        if text is None:
            self.memo.pop(rel, None)
            return None, problems
        digest = _digest(text)
        result = entry[2] if entry is not None and entry[1] == digest else parse(text)
        self.memo[rel] = (signature, digest, result)
        return result, problems

    def all(self, files: list[_File], mapper: Mapper | None) -> list[tuple[Any, list[Diagnostic]]]:
        """Each file's (result, problems), in order. The files the memo knows nothing of (all
        of them in a cold build) are read and parsed through `mapper`: the YAML parser is
        most of the loading time, and the files are independent."""
        unknown = (
            [f for f in files if self.memo is None or f.rel not in self.memo]
            if mapper is not None
            else []
        )
        if len(unknown) < 2:
            return [self(f.path, f.rel, f.parse) for f in files]
        fresh = dict(
            zip(
                (f.rel for f in unknown),
                mapper(partial(_read_fresh, self.site_dir), unknown),
                strict=True,
            )
        )
        out = []
        for f in files:
            found = fresh.get(f.rel)
            if found is None:
                out.append(self(f.path, f.rel, f.parse))
                continue
            self.seen.add(f.rel)
            signature, digest, result, problems = found
            if self.memo is not None and digest is not None:
                self.memo[f.rel] = (signature, digest, result)
            out.append((result, problems))
        return out

    def forget_unseen(self) -> None:
        if self.memo is not None:
            for rel in set(self.memo) - self.seen:
                del self.memo[rel]


def load_sources(
    site_dir: Path,
    config: Config,
    memo: SourceMemo | None = None,
    trust_stat: bool = False,
    mapper: Mapper | None = None,
    same: frozenset[str] = frozenset(),
) -> tuple[Sources, list[Diagnostic]]:
    """Read every page, offers file and file beside the pages; `memo` (kept by the caller)
    skips parsing files whose text did not change since the last call; `mapper` (a map, as
    parallel.fork_map) reads and parses the files the memo does not know; the files of
    `same` (whose bytes the caller compared with those the memo's parse came from) are not
    read again."""
    read = _Reader(site_dir, memo, trust_stat, same)
    sources = Sources()
    diags: list[Diagnostic] = []
    content = site_dir / CONTENT_DIR
    if not content.is_dir():
        return sources, [
            error(
                CONTENT_DIR,
                0,
                "the content folder is missing",
                "create content/<language>/ folders and content/offers/",
            )
        ]
    try:
        children = sorted(content.iterdir())
    except OSError as exc:
        return sources, [unreadable_folder(CONTENT_DIR, exc)]
    for child in children:
        if (
            child.is_dir()
            and child.name not in config.languages
            and child.name != OFFERS_DIR
            and not _is_hidden(child.name)
        ):
            diags.append(
                warning(
                    f"{CONTENT_DIR}/{child.name}",
                    0,
                    f"folder '{child.name}' is not a language of the site; its files are ignored",
                    f"add '{child.name}' to languages in site.yaml, or move the files",
                )
            )
    # Found in a fixed order, read (perhaps in parallel), then gathered in that order.
    files: list[_File] = []
    found: list[
        tuple[str, Any]
    ] = []  # ("page", None), ("offers", None), or ("asset", (asset, problems)) per file
    for lang in config.languages:
        root = content / lang
        if not root.is_dir():
            continue
        walked, problems = walk_site(root, f"{CONTENT_DIR}/{lang}")
        diags += problems
        for path, rel in walked:
            # NFC: macOS writes file names decomposed; a link typed in a page (NFC after
            # normalize_text) and the other languages' copies must find the same key.
            key = unicodedata.normalize("NFC", rel.split("/", 2)[2])
            if path.suffix.lower() == PAGE_SUFFIX:
                files.append(_File(path, rel, partial(parse_page, rel=rel, lang=lang, key=key)))
                found.append(("page", (rel, lang, key)))
            else:
                asset, problems = check_asset(site_dir, path, rel)
                if not asset and any(p.is_error for p in problems):
                    sources.refused.append(AssetSource(rel, lang, key))
                found.append(("asset", (AssetSource(rel, lang, key) if asset else None, problems)))
    offers_dir = content / OFFERS_DIR
    if offers_dir.is_dir():
        walked, problems = walk_site(offers_dir, f"{CONTENT_DIR}/{OFFERS_DIR}")
        diags += problems
        for path, rel in walked:
            if path.suffix.lower() not in OFFER_SUFFIXES:
                found.append(
                    (
                        "asset",
                        (
                            None,
                            [
                                warning(
                                    rel,
                                    0,
                                    "only .yaml files are read in content/offers/",
                                    "rename it to .yaml or move it",
                                )
                            ],
                        ),
                    )
                )
                continue
            files.append(_File(path, rel, partial(parse_offers, rel=rel)))
            found.append(("offers", None))
    results = iter(read.all(files, mapper))
    for kind, checked in found:
        if kind == "asset":
            asset, problems = checked
            diags.extend(problems)
            if asset is not None:
                sources.assets.append(asset)
            continue
        parsed, problems = next(results)
        diags.extend(problems)
        result, problems = parsed if parsed is not None else (None, [])
        diags.extend(problems)
        if kind == "page":
            if result:
                sources.pages.append(result)
            else:
                sources.broken.append(checked)
        elif result is not None:
            sources.offers.extend(result)
    read.forget_unseen()
    return sources, diags


def page_language(rel: str, config: Config) -> str | None:
    """The language of a page file named by its site-relative path, or None if it is no page."""
    parts = rel.split("/")
    if (
        len(parts) < 3
        or parts[0] != CONTENT_DIR
        or parts[1] not in config.languages
        or not rel.lower().endswith(PAGE_SUFFIX)
    ):
        return None
    if any(_is_hidden(part) for part in parts[2:]):
        return None
    return parts[1]


def reload_page(
    site_dir: Path, config: Config, rel: str, memo: SourceMemo | None
) -> tuple[PageSource | None, list[Diagnostic]]:
    """Read one page again, as load_sources would (same checks, same memo): for a rebuild
    that knows which file was saved. None with the problems when it cannot be read."""
    lang = page_language(rel, config)
    if lang is None:
        raise ValueError(f"not a page: {rel}")
    path = site_dir / rel
    key = unicodedata.normalize("NFC", rel.split("/", 2)[2])
    read = _Reader(site_dir, memo, trust_stat=False)
    parsed, diags = read(path, rel, lambda text: parse_page(text, rel, lang, key))  # type: ignore[misc]
    if parsed is None:
        return None, diags
    page, problems = parsed
    return page, diags + problems


def check_asset(
    site_dir: Path, path: Path, rel: str, trusted: frozenset[str] = frozenset()
) -> tuple[bool, list[Diagnostic]]:
    """Whether a file beside the pages may be published as it is; every refusal is said.
    `trusted`: active suffixes allowed all the same (the site's assets/ folder, code like
    templates/)."""
    resolved, problems = resolve_inside(site_dir, path, rel)
    if resolved is None:
        return False, problems
    if resolved.is_dir():
        return False, [
            warning(
                rel,
                0,
                "this link to a folder is not followed; the files in it are not published",
                "move the files here instead of linking to their folder",
            )
        ]
    if not resolved.is_file():
        return False, [error(rel, 0, "this is not a regular file", "remove it from content/")]
    suffix = path.suffix.lower()
    if suffix in OFFER_SUFFIXES:
        return False, [
            error(
                rel,
                0,
                "offers are read only from content/offers/; this file is not read",
                f"move it to content/offers/{path.name}",
            )
        ]
    if suffix in ACTIVE_SUFFIXES - trusted:
        return False, [
            error(
                rel,
                0,
                f"'{suffix}' files are not published: they could run scripts in visitors' browsers",
                "write the page in Markdown (.md), or convert the file to PDF or PNG",
            )
        ]
    if suffix not in ASSET_SUFFIXES | trusted:
        return False, [
            warning(
                rel,
                0,
                f"'{suffix or path.name}' files are not published",
                "images (png, jpg, webp), PDF and office documents are; remove the file "
                "or convert it",
            )
        ]
    if resolved.stat().st_size > MAX_ASSET_BYTES:
        return False, [
            error(
                rel,
                0,
                "the file is larger than 20 MB",
                "make it smaller: newcomers read on prepaid data",
            )
        ]
    try:
        # Opened here, at the read boundary, so that a file the writer could not copy later is
        # reported like every other problem instead of ending the build in a traceback.
        with open(resolved, "rb"):
            pass
    except OSError as exc:
        return False, [unreadable_file(rel, exc)]
    return True, []


def parse_offers(text: str, rel: str) -> tuple[list[OfferSource], list[Diagnostic]]:
    if not text.strip():
        return [], [
            warning(
                rel,
                0,
                "the file holds no offers",
                "add entries starting with '- id: ...', or delete the file",
            )
        ]
    data, problems = yamlload.load(text)
    diags = [error(rel, p.line, p.message, p.hint) for p in problems]
    if data is None and diags:
        return [], diags
    if data is None:  # only comments
        return [], [
            warning(
                rel,
                0,
                "the file holds no offers",
                "add entries starting with '- id: ...', or delete the file",
            )
        ]
    if not isinstance(data, list):
        return [], [
            *diags,
            error(
                rel,
                yamlload.node_line(data, 1),
                "an offers file must be a list of entries",
                "start each entry with '- id: ...'",
            ),
        ]
    offers = []
    for item, line in zip(data, yamlload.item_lines(data), strict=True):
        if not isinstance(item, dict):
            diags.append(
                error(
                    rel,
                    line,
                    "each offer must be a map of 'key: value' lines",
                    "start the entry with '- id: ...' and indent its fields",
                )
            )
        else:
            offers.append(OfferSource(rel, line, item))
    return offers, diags
