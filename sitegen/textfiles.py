"""Reading the site's text files: one place that refuses what no editor would have written.

Pages, offers files, site.yaml and synonyms.yaml all come through `read_text`, so a
symlink out of the site, a binary or oversized file, or a non-UTF-8 file gets the same
answer wherever it is, and every text has one spelling (`normalize_text`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .errors import Diagnostic, error

MAX_FILE_BYTES = 5 * 1024 * 1024  # a page or an offers file larger than this is a mistake (an export, a binary)


def read_text(site_dir: Path, path: Path, rel: str, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file of the site, refusing what no editor would have written."""
    try:
        resolved = path.resolve(strict=True)
    except PermissionError as exc:  # a folder on the way may be listed but not entered (no 'x')
        return None, [unreadable_file(rel, exc)]
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
    try:
        raw = resolved.read_bytes()
    except OSError as exc:
        return None, [unreadable_file(rel, exc)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error(rel, line, "the file is not UTF-8 text", "save it with the UTF-8 encoding in your editor")]
    return normalize_text(text), []


def unreadable_file(rel: str, exc: OSError) -> Diagnostic:
    return error(rel, 0, f"the file cannot be read ({exc.strerror or exc})", "check that it is not locked or protected")


def normalize_text(text: str) -> str:
    """One spelling of every text: no byte-order mark, '\\n' line ends, Unicode NFC.

    Windows editors write CRLF and a BOM, old Mac ones CR; macOS may write 'é' as e plus a
    combining accent (NFD). Without this, the same word could give two slugs, ids or anchors.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
