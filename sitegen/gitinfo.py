"""The facts translation status needs from outside the model.

Which page files exist, and Git history.

An edge module (like sources.py): it runs one `git log` for the whole content folder
and reads the folder listing; translations.py turns these facts into statuses, purely.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .textfiles import walk

CONTENT_DIR = "content"
GIT_TIMEOUT = 20  # seconds; a history that takes longer is treated as no history, not as a hang


@dataclass(frozen=True)
class Commit:
    hash: str
    date: dt.date  # committer date
    # position in `git log --topo-order`: 0 is the newest; a commit comes before its ancestors
    index: int


@dataclass(frozen=True)
class Revisions:
    """What is known about the page files.

    Present on disk, and their last commit when Git knows it.
    """

    files: frozenset[str] = frozenset()  # site-relative paths of every page file, drafts included
    git: bool = False  # the site folder is in a Git work tree that has history
    last: Mapping[str, Commit] = field(default_factory=dict)  # path -> last commit that changed it
    commits: tuple[Commit, ...] = ()  # every commit that changed content/, newest first

    def find(self, revision: str) -> Commit | None:
        """The commit a (possibly abbreviated) hash names; None if unknown or ambiguous."""
        revision = revision.lower()
        if len(revision) < 7:
            return None
        found = [c for c in self.commits if c.hash.startswith(revision)]
        return found[0] if len(found) == 1 else None


def collect_revisions(site_dir: Path, use_git: bool = True) -> Revisions:
    """List the page files under content/ and, where the site is in Git, their last commits."""
    files = frozenset(_page_files(site_dir))
    history = _git_history(site_dir) if use_git else None
    if history is None:
        return Revisions(files=files)
    commits, last = history
    return Revisions(files=files, git=True, last=last, commits=commits)


def _page_files(site_dir: Path) -> list[str]:
    # Editors' swap and backup files are never pages (sources.py skips them too).
    found, _ = walk(
        site_dir / CONTENT_DIR, CONTENT_DIR, lambda name: name.startswith((".", "_", "#"))
    )
    return [rel for _, rel in found if rel.endswith(".md")]


def _git_history(site_dir: Path) -> tuple[tuple[Commit, ...], dict[str, Commit]] | None:
    """One `git log` for all files: commits newest first, and each file's last commit."""
    command = [
        "git",
        "-c",
        "core.quotePath=false",
        "-C",
        str(site_dir),
        "log",
        "-z",
        "--topo-order",
        "--no-renames",
        "--format=%x01%H %cs",
        "--name-only",
        "--relative",
        "--",
        CONTENT_DIR,
    ]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=GIT_TIMEOUT, env=env, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git installed, or a history too large to read: fall back to front matter
    if done.returncode != 0:
        return None  # not a repository, or one without commits yet
    return parse_log(done.stdout.decode("utf-8", "replace"))


def parse_log(output: str) -> tuple[tuple[Commit, ...], dict[str, Commit]] | None:
    """Parse `git log -z --format=%x01%H %cs --name-only` output."""
    commits: list[Commit] = []
    last: dict[str, Commit] = {}
    for chunk in output.split("\x01"):
        if not chunk.strip("\0\n"):
            continue
        header, _, names = chunk.partition("\0")
        commit_hash, _, day = header.partition(" ")
        try:
            date = dt.date.fromisoformat(day.strip())
        except ValueError:
            continue
        commit = Commit(commit_hash.strip(), date, len(commits))
        commits.append(commit)
        for name in names.split("\0"):
            name = name.strip("\n")
            if name:
                last.setdefault(
                    name, commit
                )  # the log is newest first: the first mention is the last change
    if not commits:
        return None
    return tuple(commits), last
