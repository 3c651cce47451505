"""Reading the site's files: one place that walks its folders and refuses what no editor writes.

Pages, offers files, site.yaml and synonyms.yaml all come through `read_text`, so a
symlink out of the site, a binary or oversized file, or a non-UTF-8 file gets the same
answer wherever it is, and every text has one spelling (`normalize_text`). Every walk of
a folder of the site (loading, the cache's digests, the translation status) is `walk`.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .errors import Diagnostic, error

# a page or an offers file larger than this is a mistake (an export, a binary)
MAX_FILE_BYTES = 5 * 1024 * 1024


def read_text(
    site_dir: Path, path: Path, rel: str, limit: int = MAX_FILE_BYTES
) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file of the site, refusing what no editor would have written."""
    resolved, problems = resolve_inside(site_dir, path, rel)
    if resolved is None:
        return None, problems
    if not resolved.is_file():
        return None, [error(rel, 0, "this is not a regular file", "remove it from content/")]
    size = resolved.stat().st_size
    if size > limit:
        return None, [
            error(
                rel,
                0,
                f"the file is too large ({size / 1_048_576:.1f} MB; the limit is "
                f"{limit // 1_048_576} MB)",
                "split it into several files, or remove what does not belong there",
            )
        ]
    try:
        raw = resolved.read_bytes()
    except OSError as exc:
        return None, [unreadable_file(rel, exc)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            error(
                rel,
                line,
                "the file is not UTF-8 text",
                "save it with the UTF-8 encoding in your editor",
            )
        ]
    return normalize_text(text), []


def resolve_inside(site_dir: Path, path: Path, rel: str) -> tuple[Path | None, list[Diagnostic]]:
    """Where a file of the site really is (symlinks followed); None with the reason when it
    is a broken link, one out of the site, or behind a folder that cannot be entered."""
    try:
        resolved = path.resolve(strict=True)
    except PermissionError as exc:  # a folder on the way may be listed but not entered (no 'x')
        return None, [unreadable_file(rel, exc)]
    except (OSError, RuntimeError):
        return None, [
            error(
                rel,
                0,
                "this link points to a file that does not exist",
                "remove the link or restore its target",
            )
        ]
    if not resolved.is_relative_to(site_dir.resolve()):
        return None, [
            error(
                rel,
                0,
                "this link points outside the site folder",
                "copy the file into the site instead of linking to it",
            )
        ]
    return resolved, []


def walk(
    root: Path, prefix: str, hidden: Callable[[str], bool]
) -> tuple[list[tuple[Path, str]], list[tuple[str, OSError]]]:
    """Every file below the folder `root` with its relative path (`prefix` + the names below
    root, joined by '/'), in path order; and each folder that cannot be listed, with why.

    Names for which `hidden` is true are skipped, files and folders alike. The relative path
    is built from the names walked, never by slicing the string of the site folder: "." or
    "./" as the site folder would otherwise cut letters off every path. A symlinked folder
    is listed like a file but never entered (its target may be outside the site).
    """
    found: list[tuple[Path, str]] = []
    unreadable: list[tuple[str, OSError]] = []
    stack = [(root, prefix)]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)  # put in path order once, at the end
        except OSError as exc:
            unreadable.append((rel, exc))
            continue
        for entry in entries:
            if hidden(entry.name):
                continue
            child = f"{rel}/{entry.name}"
            try:
                folder_below = entry.is_dir(follow_symlinks=False)
            except OSError:
                folder_below = False
            if folder_below:
                stack.append((folder / entry.name, child))
            else:
                found.append((folder / entry.name, child))
    found.sort(key=lambda item: item[1].split("/"))
    unreadable.sort(key=lambda item: item[0].split("/"))
    return found, unreadable


def unreadable_file(rel: str, exc: OSError) -> Diagnostic:
    return error(
        rel,
        0,
        f"the file cannot be read ({exc.strerror or exc})",
        "check that it is not locked or protected",
    )


def normalize_text(text: str) -> str:
    """One spelling of every text: no byte-order mark, '\\n' line ends, Unicode NFC.

    Windows editors write CRLF and a BOM, old Mac ones CR; macOS may write 'é' as e plus a
    combining accent (NFD). Without this, the same word could give two slugs, ids or anchors.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
