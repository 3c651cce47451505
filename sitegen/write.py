"""WRITE: the only module that touches the output folder.

Files go to a temporary folder beside the output; only a build that finished is swapped
in, atomically where the system allows it, so a failed or killed build leaves the
previous site whole.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .errors import UsageError

MARKER = ".sitegen-build"  # tells a later build that this folder is its own to replace
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class DuplicateOutputError(Exception):
    """Two things tried to write the same file: a bug or a URL clash the model missed."""


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def check_output_folder(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or site.is_relative_to(out):
        raise UsageError(
            f"the output folder {out_dir} contains the site's sources; choose another, e.g. build/"
        )
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise UsageError(
            f"{out_dir} exists and was not made by sitegen; refusing to replace it (empty it or "
            "choose another --out)"
        )


def has_build(out_dir: Path) -> bool:
    """Whether the folder holds a complete build (a build's marker is written last)."""
    return (out_dir / MARKER).is_file()


class Writer:
    """Writes one build. Two ways:

    - swap (default): into a temporary folder beside the output, unchanged files
      hard-linked from the previous build, then swapped in whole;
    - in place (`serve`): changed files replaced one by one (each atomically), files
      the site no longer has removed; the server never shows a half-written file.
    Either way nothing is touched before the whole site was read, checked and rendered.
    Outside a build, an in-place writer also updates a few files (the search index that
    a serve session writes after the pages).
    """

    def __init__(self, out_dir: Path, in_place: bool = False):
        self.out = out_dir.absolute()
        self.in_place = in_place and self.out.is_dir() and (self.out / MARKER).exists()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.written: set[str] = set()
        self.changed: list[str] = []
        self.bytes = 0
        self._dirs: set[str] = set()
        if self.in_place:
            self.root = self.out
            return
        self._restore_interrupted_swap()
        self._remove_stale()
        self.root = self.out.parent / f".{self.out.name}.tmp-{os.getpid()}"
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir()

    def _restore_interrupted_swap(self) -> None:
        """Without renameat2 the swap is two renames; a build killed between them left the
        previous output aside as .<name>.old-<pid>: put it back before anything else."""
        if self.out.exists():
            return
        olds = sorted(
            self.out.parent.glob(f".{self.out.name}.old-*"), key=lambda p: p.stat().st_mtime
        )
        if olds and (olds[-1] / MARKER).exists():
            os.replace(olds[-1], self.out)

    def _remove_stale(self) -> None:
        # Left behind by a build that was killed: never served.
        for stale in self.out.parent.glob(f".{self.out.name}.tmp-*"):
            pid = stale.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        # A replaced output is deleted in the background (_remove_later); finish a deletion
        # that was interrupted, but leave one that may still be under way.
        for stale in self.out.parent.glob(f".{self.out.name}.old-*"):
            try:
                if time.time() - stale.stat().st_mtime > 600:
                    shutil.rmtree(stale, ignore_errors=True)
            except OSError:
                pass

    def claim(self, rel: str) -> str:
        """Reserve an output path: each may be written once per build, never outside the output."""
        parts = rel.split("/")
        if not rel or rel.startswith("/") or ".." in parts or "" in parts or "\\" in rel:
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        if rel in self.written:
            raise DuplicateOutputError(rel)
        self.written.add(rel)
        folder = "/".join(parts[:-1])
        if folder not in self._dirs:
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            self._dirs.add(folder)
        return os.path.join(self.root, rel)

    def write(self, rel: str, data: bytes) -> None:
        write_file(Path(self.claim(rel)), data, atomic=self.in_place)
        self.changed.append(rel)
        self.bytes += len(data)

    def write_if_changed(self, rel: str, data: bytes) -> None:
        """Like write(), but in place a file that already holds these bytes is left alone."""
        self.claim(rel)
        self.fill(rel, data)

    def fill(self, rel: str, data: bytes) -> None:
        """Write a file claimed before (the renderer claims all its files first, so that a
        clash is found before anything is rendered). In place, a file that already holds
        these bytes is left alone: the browsers showing it are not told to reload."""
        if self.in_place and _holds(os.path.join(self.root, rel), data):
            return
        self.put(rel, data)
        self.changed.append(rel)

    def put(self, rel: str, data: bytes) -> None:
        """Write a file claimed before, from any process (a forked renderer's): unrecorded
        until the building process calls record()."""
        write_file(Path(self.root, rel), data, atomic=self.in_place)

    def record(self, rels: Iterable[str]) -> None:
        """Files written with put(), perhaps by forked workers whose record stayed with them."""
        self.changed.extend(rels)

    def has(self, rel: str) -> bool:
        """Whether the previous build left this file."""
        return os.path.isfile(os.path.join(self.out, rel))

    def copy(self, rel: str, source: Path) -> None:
        if self.in_place:
            self.claim(rel)
            self.fill(rel, source.read_bytes())
            return
        shutil.copyfile(source, self.claim(rel))
        self.changed.append(rel)

    def size(self, rel: str) -> int:
        """The size of a file this build wrote or kept; 0 if gone (deleted by hand under serve)."""
        try:
            return os.path.getsize(os.path.join(self.root, rel))
        except OSError:
            return 0

    def can_keep(self, rels: Iterable[str]) -> bool:
        """Whether the previous build left every one of these files (files kept together, as
        a search index's, are kept only all at once: keep() claims each one it keeps)."""
        return self.in_place or all(self.has(rel) for rel in rels)

    def keep_all(self, rels: list[str]) -> bool:
        """Reuse all of these files of the previous build, or none.

        A search index's files go together.
        """
        return self.can_keep(rels) and all(self.keep(rel) for rel in rels)

    def keep(self, rel: str) -> bool:
        """Reuse the previous build's file; False when there is none (render it instead)."""
        if self.in_place:
            # The file is where the last build (of this same process) wrote it: nothing to do
            # but to remember it is part of this build too.
            if rel in self.written:
                raise DuplicateOutputError(rel)
            self.written.add(rel)
            return True
        previous = os.path.join(self.out, rel)
        if not os.path.isfile(previous):
            return False
        target = self.claim(rel)
        try:
            os.link(previous, target)
        except OSError:
            shutil.copyfile(previous, target)
        return True

    def commit(self, previous: Iterable[str] = ()) -> None:
        """Publish the build; in place, remove the files of `previous` this build did not make."""
        if self.in_place:
            self.remove(set(previous) - self.written)
            return
        self.changed.extend(sorted(set(previous) - self.written))  # gone with the old folder
        (self.root / MARKER).write_text(
            "This folder is generated by sitegen and replaced on every build.\n"
        )
        if not self.out.exists():
            os.replace(self.root, self.out)
            return
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if _exchange(self.root, self.out):
            os.replace(self.root, old)
        else:
            os.replace(self.out, old)
            os.replace(self.root, self.out)
        _remove_later(old)

    def remove(self, rels: Iterable[str]) -> None:
        """In place: remove these files of an earlier build (and the folders they leave empty)."""
        assert self.in_place
        for rel in sorted(rels, reverse=True):
            target = self.out.joinpath(*PurePosixPath(rel).parts)
            if target.is_file():
                target.unlink()
                self.changed.append(rel)
                _remove_empty_parents(target.parent, self.out)

    def abort(self) -> None:
        if not self.in_place:
            shutil.rmtree(self.root, ignore_errors=True)


def _remove_later(folder: Path) -> None:
    """Delete the replaced output in the background: removing thousands of folders can take
    longer than the build itself, and nobody waits for it (a leftover is removed next time)."""
    # The shell starts `rm` in the background and exits at once, so nothing is left to reap.
    try:
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(folder)],
            check=True,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(folder, ignore_errors=True)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _holds(path: str, data: bytes) -> bool:
    try:
        return os.path.getsize(path) == len(data) and Path(path).read_bytes() == data
    except OSError:
        return False


def write_file(target: Path, data: bytes, atomic: bool = False) -> None:
    if not atomic:
        target.write_bytes(data)
        return
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
