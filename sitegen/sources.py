"""LOAD: read pages (front matter with line numbers) and offers from the site folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlload
from .config import Config
from .errors import Diagnostic, error, warning

CONTENT_DIR = "content"
OFFERS_DIR = "offers"
MAX_FILE_BYTES = 5 * 1024 * 1024  # a page or an offers file larger than this is a mistake (an export, a binary)
MAX_ASSET_BYTES = 20 * 1024 * 1024
PAGE_SUFFIX = ".md"
OFFER_SUFFIXES = (".yaml", ".yml")


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


def _is_hidden(name: str) -> bool:
    # Editors leave .swp, .#lock and backup~ files while a file is open: never content.
    return name.startswith((".", "_", "#")) or name.endswith("~")


def _walk(root: Path) -> list[Path]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
        files.extend(Path(dirpath) / name for name in sorted(filenames) if not _is_hidden(name))
        # A symlinked folder is listed among dirnames but never entered: check it like a file.
        files.extend(Path(dirpath) / d for d in dirnames if (Path(dirpath) / d).is_symlink())
    return sorted(files)


def read_text(site_dir: Path, path: Path, rel: str, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file of the site, refusing what no editor would have written."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, [error(rel, 0, "this link points to a file that does not exist", "remove the link or restore its target")]
    if not resolved.is_relative_to(site_dir.resolve()):
        return None, [error(rel, 0, "this link points outside the site folder", "copy the file into the site instead of linking to it")]
    if not resolved.is_file():
        return None, [error(rel, 0, "this is not a regular file", "remove it from content/")]
    size = resolved.stat().st_size
    if size > limit:
        return None, [error(rel, 0, f"the file is too large ({size / 1_048_576:.1f} MB; the limit is {limit // 1_048_576} MB)",
                            "split it into several files, or remove what does not belong there")]
    raw = resolved.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error(rel, line, "the file is not UTF-8 text", "save it with the UTF-8 encoding in your editor")]
    return text.removeprefix("\ufeff").replace("\r\n", "\n"), []


def split_front_matter(text: str, rel: str) -> tuple[str | None, str, int, list[Diagnostic]]:
    """Split '---' front matter from the body: (yaml text, body, body's first line, problems)."""
    if not text.strip():
        return None, "", 1, [error(rel, 1, "the file is empty", "start it with front matter: ---, title: ..., ---")]
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, "", 1, [error(rel, 1, "the page does not start with front matter", "put a line '---', then 'title: ...', then '---' at the top")]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2, []
    return None, "", 1, [error(rel, 1, "the front matter is not closed", "add a line with only '---' after the last front matter line")]


def parse_page(text: str, rel: str, lang: str, key: str) -> tuple[PageSource | None, list[Diagnostic]]:
    front, body, body_line, diags = split_front_matter(text, rel)
    if front is None:
        return None, diags
    meta, problems = yamlload.load(front, line_offset=1)
    diags = [error(rel, p.line, p.message, p.hint) for p in problems]
    if diags:
        return None, diags
    if meta is None:
        meta = yamlload.LineDict()
        meta.line, meta.key_lines = 2, {}
    if not isinstance(meta, dict):
        return None, [error(rel, 2, "the front matter must be 'key: value' lines", "write title: My page")]
    return PageSource(rel, lang, key, meta, body, body_line), []


def load_sources(site_dir: Path, config: Config) -> tuple[Sources, list[Diagnostic]]:
    sources = Sources()
    diags: list[Diagnostic] = []
    content = site_dir / CONTENT_DIR
    if not content.is_dir():
        return sources, [error(CONTENT_DIR, 0, "the content folder is missing", "create content/<language>/ folders and content/offers/")]
    for child in sorted(content.iterdir()):
        if child.is_dir() and child.name not in config.languages and child.name != OFFERS_DIR and not _is_hidden(child.name):
            diags.append(warning(f"{CONTENT_DIR}/{child.name}", 0, f"folder '{child.name}' is not a language of the site; its files are ignored",
                                 f"add '{child.name}' to languages in site.yaml, or move the files"))
    for lang in config.languages:
        root = content / lang
        if not root.is_dir():
            continue
        for path in _walk(root):
            rel = path.relative_to(site_dir).as_posix()
            key = path.relative_to(root).as_posix()
            if path.suffix.lower() == PAGE_SUFFIX:
                text, problems = read_text(site_dir, path, rel)
                diags.extend(problems)
                if text is not None:
                    page, problems = parse_page(text, rel, lang, key)
                    diags.extend(problems)
                    if page:
                        sources.pages.append(page)
            else:
                resolved = path.resolve()
                if not resolved.is_relative_to(site_dir.resolve()):
                    diags.append(error(rel, 0, "this link points outside the site folder", "copy the file into the site instead of linking to it"))
                elif resolved.is_file():
                    if resolved.stat().st_size > MAX_ASSET_BYTES:
                        diags.append(error(rel, 0, "the file is larger than 20 MB", "make it smaller: newcomers read on prepaid data"))
                    else:
                        sources.assets.append(AssetSource(rel, lang, key))
    offers_dir = content / OFFERS_DIR
    if offers_dir.is_dir():
        for path in _walk(offers_dir):
            rel = path.relative_to(site_dir).as_posix()
            if path.suffix.lower() not in OFFER_SUFFIXES:
                diags.append(warning(rel, 0, "only .yaml files are read in content/offers/", "rename it to .yaml or move it"))
                continue
            offers, problems = load_offers_file(site_dir, path, rel)
            diags.extend(problems)
            sources.offers.extend(offers)
    return sources, diags


def load_offers_file(site_dir: Path, path: Path, rel: str) -> tuple[list[OfferSource], list[Diagnostic]]:
    text, diags = read_text(site_dir, path, rel)
    if text is None:
        return [], diags
    if not text.strip():
        return [], [warning(rel, 0, "the file holds no offers", "add entries starting with '- id: ...', or delete the file")]
    data, problems = yamlload.load(text)
    if problems:
        return [], [error(rel, p.line, p.message, p.hint) for p in problems]
    if not isinstance(data, list):
        return [], [error(rel, yamlload.node_line(data, 1), "an offers file must be a list of entries", "start each entry with '- id: ...'")]
    offers = []
    for item, line in zip(data, yamlload.item_lines(data), strict=True):
        if not isinstance(item, dict):
            diags.append(error(rel, line, "each offer must be a map of 'key: value' lines", "start the entry with '- id: ...' and indent its fields"))
        else:
            offers.append(OfferSource(rel, line, item))
    return offers, diags
