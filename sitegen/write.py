"""WRITE: the only module that touches the output folder.

Files go to a temporary folder beside the output; only a build that finished is
published, so a failed or killed build leaves the previous site whole. A cold build swaps
the whole folder in (atomically where the system allows it); a rebuild over a complete
previous build moves only its changed files in, through a journal (`JOURNAL`) that a
later run finishes if the build was killed while moving them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .errors import UsageError

# tells a later build that this folder is its own to replace, and that it is complete
MARKER = ".sitegen-build"
# in the output while a rebuild moves its files in: the moves and removals left to do
JOURNAL = ".sitegen-journal"
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
    if out.exists() and (
        not out.is_dir()
        or (any(out.iterdir()) and not (out / MARKER).exists() and not (out / JOURNAL).exists())
    ):
        raise UsageError(
            f"{out_dir} exists and was not made by sitegen; refusing to replace it (empty it or "
            "choose another --out)"
        )


def has_build(out_dir: Path) -> bool:
    """Whether the folder holds a complete build (a build's marker is written last, and taken
    away while a rebuild moves its files in)."""
    return (out_dir / MARKER).is_file() and not (out_dir / JOURNAL).exists()


def recover(out_dir: Path) -> bool:
    """Finish what a rebuild killed while moving its files in left to do (its journal): the
    moved files were complete before the journal was written, so the moves and removals
    are redone (each is done or not, never half). False when the journal cannot be
    finished (its temporary folder is gone): the folder then stays marked incomplete,
    and the next build makes a whole new one."""
    journal = out_dir / JOURNAL
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        staging, moves, removes = Path(plan["staging"]), list(plan["moves"]), list(plan["removes"])
    except FileNotFoundError:
        with contextlib.suppress(OSError):
            for unfinished in out_dir.glob(
                f"{JOURNAL}.*"
            ):  # killed while writing it: nothing was moved
                unfinished.unlink()
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False  # written under a temporary name and renamed, so never half: not ours
    if moves and not staging.is_dir():
        return False
    _apply(out_dir, staging, moves, removes)
    return True


def _apply(out: Path, staging: Path, moves: list[str], removes: list[str]) -> None:
    """The journal's steps, each of which may be done again: a move whose file is already
    gone from the temporary folder was done; a removal whose file is gone too.

    Each replaced or removed file is first linked into the temporary folder, which is
    deleted in the background: freeing a file's blocks during the rename costs ten times
    the rename (measured, ext4), as the swap's background deletion avoids too.
    """
    with contextlib.suppress(FileNotFoundError):
        os.unlink(out / MARKER)
    aside = staging / REPLACED
    aside.mkdir(exist_ok=True)
    made: set[str] = set()
    for number, rel in enumerate(moves):
        source = os.path.join(staging, rel)
        if not os.path.lexists(source):
            continue
        folder = rel.rpartition("/")[0]
        if folder not in made:
            os.makedirs(os.path.join(out, folder), exist_ok=True)
            made.add(folder)
        target = os.path.join(out, rel)
        with contextlib.suppress(
            FileNotFoundError, FileExistsError
        ):  # a new file; linked by an earlier attempt
            os.link(target, aside / str(number))
        _move(source, target)  # one step: the file is the old or the new one, never missing
    for number, rel in enumerate(removes):
        target = out.joinpath(*PurePosixPath(rel).parts)
        if target.is_file():
            _delete(target, aside / f"r{number}")
            _remove_empty_parents(target.parent, out)
    (out / MARKER).write_text(_MARKER_TEXT)
    os.unlink(out / JOURNAL)
    # Out of the way first: the next build of this process makes a folder of the same name
    # while the background deletion may still be emptying this one.
    gone = _aside(out, "done")
    os.replace(staging, gone)
    _remove_later(gone)


def _aside(out: Path, kind: str) -> Path:
    """A new name for a folder to delete in the background (see Writer._remove_stale): "old"
    for a replaced output, "done" for a journal's temporary folder."""
    return out.parent / f".{out.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


# the journal's two steps (a test kills the build between them)
_move, _delete = (
    os.replace,
    os.replace,
)
REPLACED = ".sitegen-replaced"  # in the temporary folder: the files the journal replaced or removed
_MARKER_TEXT = "This folder is generated by sitegen and replaced on every build.\n"


class Writer:
    """Writes one build. Three ways:

    - swap (a cold build): into a temporary folder beside the output, unchanged files
      hard-linked from the previous build, then swapped in whole;
    - journal (`sitegen build` over a complete previous build): only the changed files
      go to the temporary folder; commit() writes the journal (the moves and removals
      to do), fsyncs it, then moves the files into the output and removes the files the
      site no longer has. Until the journal is gone the output is not marked complete,
      and a run killed meanwhile is finished by the next (`recover`);
    - in place (`serve`): changed files replaced one by one (each atomically), files
      the site no longer has removed; the server never shows a half-written file.
    Every way, nothing is touched before the whole site was read, checked and rendered.
    Outside a build, an in-place writer also updates a few files (the search index that
    a serve session writes after the pages).
    """

    def __init__(self, out_dir: Path, in_place: bool = False, journal: bool = False):
        self.out = out_dir.absolute()
        # Before anything else: a previous rebuild killed while moving its files in is finished.
        whole = recover(self.out)
        self.in_place = in_place and has_build(self.out)
        self.journal = journal and not self.in_place and has_build(self.out)
        self._previous = whole  # whether the output's files may be taken into this build
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.written: set[str] = set()
        self.changed: list[str] = []
        self.bytes = 0
        self._dirs: set[str] = set()
        self._staged: set[str] = set()  # journal: files in the temporary folder, to move in
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
        for stale in [
            *self.out.parent.glob(f".{self.out.name}.old-*"),
            *self.out.parent.glob(f".{self.out.name}.done-*"),
        ]:
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
        self.claim(rel)
        self.bytes += len(data)
        if not self.put(rel, data):
            return
        self._staged.add(rel)
        self.changed.append(rel)

    def write_if_changed(self, rel: str, data: bytes) -> None:
        """Like write(), but in place a file that already holds these bytes is left alone."""
        self.claim(rel)
        self.fill(rel, data)

    def fill(self, rel: str, data: bytes) -> None:
        """Write a file claimed before (the renderer claims all its files first, so that a
        clash is found before anything is rendered). In place, a file that already holds
        these bytes is left alone: the browsers showing it are not told to reload."""
        if self.in_place and _holds(os.path.join(self.out, rel), data):
            return
        if self.put(rel, data):
            self._staged.add(rel)
            self.changed.append(rel)

    def put(self, rel: str, data: bytes) -> bool:
        """Write a file claimed before, from any process (a forked renderer's): unrecorded
        until the building process calls record(). False when the journal has nothing to
        move: the output already holds these bytes."""
        if self.journal and _holds(os.path.join(self.out, rel), data):
            return False
        write_file(Path(self.root, rel), data, atomic=self.in_place)
        return True

    def record(self, rels: Iterable[str]) -> None:
        """Files written with put(), perhaps by forked workers whose record stayed with them."""
        rels = list(rels)
        self._staged.update(rels)
        self.changed.extend(rels)

    def has(self, rel: str) -> bool:
        """Whether the previous build left this file."""
        return self._previous and os.path.isfile(os.path.join(self.out, rel))

    def copy(self, rel: str, source: Path) -> None:
        if self.in_place or self.journal:
            self.claim(rel)
            self.fill(rel, source.read_bytes())
            return
        shutil.copyfile(source, self.claim(rel))
        self.changed.append(rel)

    def size(self, rel: str) -> int:
        """The size of a file this build wrote or kept (0 if gone: deleted by hand under serve)."""
        try:
            return os.path.getsize(
                os.path.join(
                    self.root if rel in self._staged or not self.journal else self.out, rel
                )
            )
        except OSError:
            return 0

    def can_keep(self, rels: Iterable[str]) -> bool:
        """Whether the previous build left every one of these files (files kept together, as
        a search index's, are kept only all at once: keep() claims each one it keeps)."""
        return self.in_place or all(self.has(rel) for rel in rels)

    def keep_all(self, rels: list[str]) -> bool:
        """Reuse all these files of the previous build, or none (an index's files go together)."""
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
        if not self.has(rel):
            return False
        if self.journal:  # it stays where it is
            if rel in self.written:
                raise DuplicateOutputError(rel)
            self.written.add(rel)
            return True
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
        if self.journal:
            self._commit_journal(previous)
            return
        self.changed.extend(sorted(set(previous) - self.written))  # gone with the old folder
        (self.root / MARKER).write_text(_MARKER_TEXT)
        if not self.out.exists():
            os.replace(self.root, self.out)
            return
        old = _aside(self.out, "old")
        if _exchange(self.root, self.out):
            os.replace(self.root, old)
        else:
            os.replace(self.out, old)
            os.replace(self.root, self.out)
        _remove_later(old)

    def _commit_journal(self, previous: Iterable[str]) -> None:
        """Move the changed files in and remove the gone ones, as the journal says."""
        moves = sorted(self._staged)
        removes = sorted((set(previous) - self.written) & self._on_disk(previous), reverse=True)
        self.changed.extend(removes)
        if not moves and not removes:
            shutil.rmtree(self.root, ignore_errors=True)
            return
        plan = json.dumps({"staging": str(self.root), "moves": moves, "removes": removes}).encode()
        # The journal says the staged files are complete: after a power cut they must be, not
        # empty (their data may still be in memory). One flush of the file system costs less
        # than one fsync per file when a template edit stages thousands.
        _sync_files(self.root)
        tmp = self.out / f"{JOURNAL}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, plan)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.out / JOURNAL)
        _fsync_folder(self.out)
        _apply(self.out, self.root, moves, removes)

    def _on_disk(self, rels: Iterable[str]) -> set[str]:
        return {rel for rel in rels if os.path.isfile(os.path.join(self.out, rel))}

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


def _sync_files(folder: Path) -> None:
    """Make the data of every file written so far on `folder`'s file system durable (Linux
    syncfs; elsewhere sync)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        os.sync()
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        os.sync()
        return
    try:
        if syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
