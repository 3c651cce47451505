"""The build cache: what the last successful build learned, kept in one git-ignored folder.

`<site>/.sitegen-cache/` holds a digest of every input of the last build and the
state needed to redo only what changed (Markdown renderings and a fingerprint of every
output file). Deleting the folder, or `sitegen build --no-cache`, gives a cold build.
Inputs are compared by content, never by modification time, so the cache cannot serve
a stale page after a checkout, a copy or a clock change. Cache files are signed with a
key kept in the user's own cache folder (~/.cache/sitegen/), so a cache file that came
with the site (committed by someone else) is never unpickled.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import hmac
import os
import pickle
import re
import secrets
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .textfiles import walk

CACHE_DIR = ".sitegen-cache"
STATE_FILE = "state.pickle"
# small: read first, to answer "nothing changed" without the state
SUMMARY_FILE = "last-build.pickle"
FORMAT = 4  # bump when the pickled state's shape changes
# The state's memos (one entry per source file) are split into this many files, so that a
# one-page edit rewrites one or two of them instead of the whole state.
SHARDS = 16
SHARD_FILE = re.compile(r"state-\d+-[0-9a-f]+\.pickle")
PACKAGE_DIR = Path(__file__).parent
# Folders of the site whose files are inputs; the output and the cache are not.
SITE_INPUTS = ("site.yaml", "synonyms.yaml", "content", "templates", "locales", "assets")
PACKAGE_INPUTS = ("templates", "static", "locales")
# sitegen's own code is an input too: an upgraded or edited generator must not reuse old pages.
PACKAGE_CODE = tuple(
    sorted(p.relative_to(PACKAGE_DIR).as_posix() for p in PACKAGE_DIR.rglob("*.py"))
)  # sub-packages too (serve/, render/, search/, commands/)


@dataclass
class State:
    """Carried from one build to the next (in memory under `serve`, pickled between runs)."""

    key: str = ""  # version, options and out folder this state is valid for
    inputs: str = ""  # digest of all inputs of the last successful build
    markdown: dict[Any, Any] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint
    outputs: list[str] = field(default_factory=list)  # every file of the last build
    search_files: dict[str, list[str]] = field(default_factory=dict)  # language -> its index files
    input_files: dict[str, bytes] = field(
        default_factory=dict
    )  # site-relative path -> digest of its bytes (and link facts)
    load: Any = None  # reading.LoadMemo: parsed and validated sources
    # output path -> the templates its rendering loaded (templates.TemplateUse), sorted
    templates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    result: Any = None  # the last BuildResult, reported again when nothing changed
    # Not saved: each shard's file and entries as last read or written (see save_state).
    shards: dict[int, tuple[str, dict[str, dict[Any, Any]]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def memos(self) -> dict[str, dict[Any, Any]]:
        """The large dicts, keyed by source: the Markdown renderings and every dict of the
        load memo (parses, validations). They are saved in shards, apart from the rest."""
        found = {"markdown": self.markdown}
        if self.load is not None:
            found |= {
                f"load.{name}": value
                for name, value in vars(self.load).items()
                if isinstance(value, dict)
            }
        return found


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _files(base: Path, name: str) -> list[tuple[Path, str]]:
    """(file, path relative to base) of every file below base/name (or base/name itself)."""
    top = base / name
    if top.is_file():
        return [(top, name)]
    return walk(top, name, _hidden)[0] if top.is_dir() else []


def _walk_inputs(base: Path, name: str) -> Iterator[tuple[str, Path | None, str]]:
    """(path relative to base, file to read or None, facts) of every input below base/name.

    The facts are what a full build's verdict depends on besides the bytes: where a symlink
    points (one out of the site is an error) and folders that cannot be listed (their pages
    would be missing). A symlinked folder is not entered, as the build does not enter it.
    Without them, the no-change shortcut would pass a site a full build rejects (issue 17).
    """
    top = base / name
    if (
        top.is_symlink()
    ):  # site.yaml or content/ itself: followed (as the build does), and its target recorded
        yield f"{name}\0", None, _link_facts(top)
    if top.is_file():
        yield name, top, ""
        return
    if not top.is_dir():
        return
    found, unreadable = walk(top, name, _hidden)
    for path, rel in found:
        if path.is_symlink():
            yield rel, path if path.is_file() else None, _link_facts(path)
        else:
            yield rel, path, ""
    for rel, exc in unreadable:
        yield rel, None, f"unreadable folder {exc.errno}"


def _link_facts(path: Path) -> str:
    try:
        return f"link {os.readlink(path)} {os.path.realpath(path)}"
    except OSError:
        return "link ?"


def input_digest(site_dir: Path, extra: str, files: dict[str, bytes] | None = None) -> str:
    """One digest of every file the output depends on, plus the options (`extra`); `files`
    receives a digest of each site file's bytes and facts, by its site-relative path."""
    digest = hashlib.blake2b(f"{__version__}\0{FORMAT}\0{extra}\0".encode(), digest_size=20)
    for base, names in ((site_dir, SITE_INPUTS), (PACKAGE_DIR, PACKAGE_INPUTS + PACKAGE_CODE)):
        for name in names:
            for rel, path, facts in _walk_inputs(base, name):
                data = b""
                if path is not None:
                    try:
                        data = path.read_bytes()
                    except OSError:
                        data = b"\0unreadable"
                head = f"{rel}\0{facts}\0{len(data)}\0".encode()
                digest.update(head)
                digest.update(data)
                if files is not None and base is site_dir:
                    files[rel] = hashlib.blake2b(head + data, digest_size=16).digest()
    return digest.hexdigest()


def templates_digest(site_dir: Path) -> str:
    """The site's templates and the theme's: what compiled environments are made of. Outputs
    depend on the templates they loaded only (templates.TemplateUse)."""
    digest = hashlib.blake2b(b"templates\0", digest_size=20)
    return _digest_files(digest, ((site_dir, ("templates",)), (PACKAGE_DIR, ("templates",))))


def global_digest(site_dir: Path, extra: str) -> str:
    """What every output depends on: catalogs, site.yaml, options, sitegen's code and files."""
    digest = hashlib.blake2b(f"{__version__}\0{FORMAT}\0{extra}\0".encode(), digest_size=20)
    # Pages show which assets the site has (its stylesheet is linked, site_asset() links a
    # file), not their bytes: a changed logo or stylesheet is copied again, no page re-rendered.
    for _, rel in _files(site_dir, "assets"):
        digest.update(b"asset\0" + rel.encode() + b"\0")
    package = tuple(name for name in PACKAGE_INPUTS if name != "templates") + PACKAGE_CODE
    return _digest_files(digest, ((site_dir, ("site.yaml", "locales")), (PACKAGE_DIR, package)))


def _digest_files(digest: Any, folders: tuple[tuple[Path, tuple[str, ...]], ...]) -> str:
    for base, names in folders:
        for name in names:
            for path, rel in _files(base, name):
                try:
                    data = path.read_bytes()
                except OSError:  # an unreadable template: Jinja reports it when the build renders
                    data = b"\0unreadable"
                digest.update(rel.encode() + b"\0" + data)
    return digest.hexdigest()


_SIGNATURE = 32  # bytes of HMAC-SHA256 in front of every cache file


@functools.cache
def secret_key() -> bytes:
    """This user's key for signing cache files, kept outside every site.

    Unpickling runs code, and the cache folder sits in the site, where anyone with commit
    rights could place a file: only a file this user's sitegen signed is ever unpickled.
    """
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sitegen"
    path = folder / "cache-key"
    try:
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    except OSError:
        pass
    secret = secrets.token_bytes(32)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
    except FileExistsError:
        return path.read_bytes()
    except OSError:
        pass  # no writable home: the cache works within this process only
    return secret


def _read(path: Path) -> Any:
    """The unpickled content of a cache file this user signed, else None.

    Read twice, the signature checked first, in chunks: the state of a large site is
    hundreds of MB, which a read into one bytes object (and its copy without the
    signature) would add to the build's peak memory twice over.
    """
    try:
        with open(path, "rb") as fh:
            signature = fh.read(_SIGNATURE)
            mac = hmac.new(secret_key(), digestmod="sha256")
            while chunk := fh.read(1 << 20):
                mac.update(chunk)
            if not hmac.compare_digest(signature, mac.digest()):
                return None
            fh.seek(_SIGNATURE)  # the same open file: a swap of the name meanwhile changes nothing
            return pickle.load(fh)
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        TypeError,
        ValueError,
        IndexError,
    ):
        return None


class _Signing:
    """A file for pickle.dump that signs what goes through it."""

    def __init__(self, fh: Any):
        self.fh, self.mac = fh, hmac.new(secret_key(), digestmod="sha256")

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.fh.write(data)


def _write(path: Path, value: Any) -> None:
    """Pickle `value` into `path`: signed, streamed (never the whole pickle in memory), atomic."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(bytes(_SIGNATURE))
        signing = _Signing(fh)
        pickle.dump(value, signing, protocol=pickle.HIGHEST_PROTOCOL)
        fh.seek(0)
        fh.write(signing.mac.digest())
    os.replace(tmp, path)


def _shard_of(key: Any) -> int:
    """Entries that share objects go to the same shard: sharing survives only within one
    pickle. A validation refers to its parsed source by identity (an offer's is keyed
    "<file>:<line>", its file's parse "<file>"), and a rendering keeps its page's text, in every
    language tree the page is shown in (keyed (language, page key), the file
    content/<language>/<page key>). Every offer goes with the offers files."""
    if isinstance(key, tuple):  # a rendering: (language tree, page key or "offer:<id>")
        text = "offers" if key[1].startswith("offer:") else key[1]
    else:
        parts = re.sub(r":\d+$", "", key).split("/", 2)
        text = parts[2] if len(parts) == 3 and parts[1] != "offers" else "offers"
    return zlib.crc32(text.encode("utf-8", "surrogatepass")) % SHARDS


def _split(state: State) -> list[dict[str, dict[Any, Any]]]:
    shards: list[dict[str, dict[Any, Any]]] = [{} for _ in range(SHARDS)]
    for name, memo in state.memos().items():
        for shard in shards:
            shard[name] = {}
        for key, value in memo.items():
            shards[_shard_of(key)][name][key] = value
    return shards


def _same_entries(a: dict[str, dict[Any, Any]], b: dict[str, dict[Any, Any]]) -> bool:
    """The same keys holding the very same objects (a memo replaces an entry that changed)."""
    return a.keys() == b.keys() and all(
        a[name].keys() == b[name].keys() and all(b[name][k] is v for k, v in a[name].items())
        for name in a
    )


def load_state(site_dir: Path, key: str) -> State:
    folder = site_dir / CACHE_DIR
    saved = _read(folder / STATE_FILE)
    # Made by other code, the state may have another shape, and its memos (Markdown
    # renderings, validations) other results: only this code's state is used.
    if not (
        isinstance(saved, tuple)
        and len(saved) == 3
        and saved[0] == code_digest()
        and isinstance(saved[1], State)
    ):
        return State(key=key)
    _, state, names = saved
    if state.key != key:
        return State(key=key)
    memos = state.memos()
    for number, name in names.items():
        shard = _read(folder / name)
        if not isinstance(shard, dict) or shard.keys() != memos.keys():
            return State(key=key)  # a shard lost or damaged: the rest cannot be trusted
        for memo_name, entries in shard.items():
            memos[memo_name].update(entries)
        state.shards[number] = (name, shard)
    return state


def load_summary(site_dir: Path, key: str) -> tuple[str, Any]:
    """(inputs digest, result) of the last build with these options, or ("", None)."""
    summary = _read(site_dir / CACHE_DIR / SUMMARY_FILE)
    if not (isinstance(summary, tuple) and len(summary) == 3 and summary[0] == key):
        return "", None
    return summary[1], summary[2]


def save_state(site_dir: Path, state: State) -> None:
    folder = site_dir / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n")
        names = {}
        for number, shard in enumerate(_split(state)):
            last = state.shards.get(number)
            if last is not None and _same_entries(shard, last[1]) and (folder / last[0]).is_file():
                names[number] = last[0]
                continue
            # A new name: the state file written last still names the old shard until then.
            names[number] = f"state-{number}-{secrets.token_hex(6)}.pickle"
            _write(folder / names[number], shard)
            state.shards[number] = (names[number], shard)
        light = dataclasses.replace(state, markdown={}, shards={})
        if state.load is not None:
            light.load = copy.copy(state.load)
            for name in light.memos():
                if name.startswith("load."):
                    setattr(light.load, name.removeprefix("load."), {})
        _write(folder / STATE_FILE, (code_digest(), light, names))
        _write(folder / SUMMARY_FILE, (state.key, state.inputs, state.result))
        kept = set(names.values())
        for old in os.listdir(folder):
            if SHARD_FILE.fullmatch(old) and old not in kept:
                os.unlink(folder / old)
    except OSError:
        pass  # a read-only site folder builds fine, only without a cache


@functools.cache
def code_digest() -> str:
    """sitegen's own code: what a search tree's analysis (tokens, stems, compounds) came from."""
    digest = hashlib.blake2b(f"{__version__}\0{FORMAT}\0".encode(), digest_size=16)
    for rel in PACKAGE_CODE:
        digest.update(rel.encode() + b"\0" + (PACKAGE_DIR / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def _search_file(site_dir: Path, lang: str) -> Path:
    return site_dir / CACHE_DIR / f"search-{lang}.pickle"


def load_search_tree(site_dir: Path, lang: str) -> Any:
    """The analysis behind the last index of `lang` (search.postings.SearchMemo.tree), or None.

    One file per language, apart from the state: a one-page edit reads only its language's."""
    saved = _read(_search_file(site_dir, lang))
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == code_digest():
        return saved[1]
    return None


def has_search_tree(site_dir: Path, lang: str) -> bool:
    return _search_file(site_dir, lang).is_file()


def save_search_tree(site_dir: Path, lang: str, tree: Any) -> None:
    """Keep `tree` for the next run; None removes the last one (the memo dropped it)."""
    path = _search_file(site_dir, lang)
    try:
        if tree is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(exist_ok=True)
        (path.parent / ".gitignore").write_text("*\n")
        _write(path, (code_digest(), tree))
    except OSError:
        pass  # a read-only site folder: the next run indexes the language afresh


def forget(site_dir: Path) -> None:
    """Drop the saved state before the output changes: a run killed between the output's
    change and the new state's save must not trust fingerprints of files no longer there
    (it then builds from scratch)."""
    for name in (SUMMARY_FILE, STATE_FILE):
        try:
            os.unlink(site_dir / CACHE_DIR / name)
        except OSError:
            pass


def fingerprint(global_part: str, deps: Any) -> str:
    return hashlib.blake2b(global_part.encode() + repr(deps).encode(), digest_size=16).hexdigest()


def unchanged(
    site_dir: Path, key: str, extra: str, state: State | None, files: dict[str, bytes] | None = None
) -> tuple[str, Any]:
    """Is anything changed since the last build? (digest of every input now, the last build's
    result when no input changed since it, else None). `state` is the last build's when this
    process made it; else the small summary file answers, without loading the state. `files`
    receives each site file's digest (`input_digest`)."""
    inputs = input_digest(site_dir, extra, files)
    last_inputs, last_result = (
        (state.inputs, state.result) if state else load_summary(site_dir, key)
    )
    return inputs, last_result if inputs == last_inputs else None


def same_bytes(state: State, files: dict[str, bytes]) -> frozenset[str]:
    """The site files whose bytes are those the last build read: its parse of them holds
    (compared by content, as the no-change digest, never by modification time)."""
    last = getattr(state, "input_files", None) or {}  # a state saved before this field: none
    return frozenset(rel for rel, print_ in files.items() if last.get(rel) == print_)


def output_print(
    global_part: str, deps: Any, templates: tuple[str, ...], digest: Callable[[str], str]
) -> str:
    """An output's fingerprint: what every output depends on, its own `deps`, and the
    templates it loaded, each with the `digest` of its source."""
    return fingerprint(global_part, (deps, [(name, digest(name)) for name in templates]))


class Reuse:
    """May this output of the last build be reused? Yes when its fingerprint (the global
    digest, the job's `deps`, the templates its rendering loaded) is the last build's and the
    writer still has the file.

    Records the fingerprint, dependencies and templates of every output asked about, for the
    next build: an output rendered again reports its templates through rendered().
    """

    def __init__(
        self,
        state: State,
        global_part: str,
        last_deps: dict[str, Any],
        template_digest: Callable[[str], str],
    ):
        """`last_deps`: the last build's dependencies when this process made it with the same
        templates and global digest: comparing them is cheaper than hashing them again.
        `template_digest`: a template's name -> a digest of the source it loads."""
        self.state, self.global_part, self.last_deps = state, global_part, last_deps
        self.template_digest = template_digest
        self.fingerprints: dict[str, str] = {}  # output path (or "search:<lang>") -> fingerprint
        self.deps: dict[str, Any] = {}
        self.templates: dict[str, tuple[str, ...]] = {}

    def _print(self, path: str, deps: Any) -> str | None:
        """The fingerprint this output has if it loads the templates it loaded last time."""
        templates = self.state.templates.get(path)
        if templates is None:
            return None
        self.templates[path] = templates
        return output_print(self.global_part, deps, templates, self.template_digest)

    def reusable(self, path: str, deps: Any, keep: Callable[[str], bool]) -> bool:
        """Whether the last build's file stands for this output; `keep` (the writer's) takes it
        into this build, and says False when the file is gone. An output without deps is
        rendered on every build."""
        if deps is None:
            return False
        self.deps[path] = deps
        old = self.state.fingerprints.get(path)
        if old is not None and self.last_deps.get(path) == deps and path in self.state.templates:
            self.fingerprints[path], self.templates[path] = old, self.state.templates[path]
            return keep(path)
        new = self._print(path, deps)
        if new is None:
            return False
        self.fingerprints[path] = new
        return old == new and keep(path)

    def rendered(self, path: str, templates: tuple[str, ...]) -> None:
        """The output was rendered again, loading `templates`: its fingerprint for the next
        build."""
        deps = self.deps.get(path)
        if deps is None:
            return
        self.templates[path] = templates
        self.fingerprints[path] = output_print(
            self.global_part, deps, templates, self.template_digest
        )

    def same(self, path: str, deps: Any) -> bool:
        """Whether the output is the last build's, without taking it (a build that checks only)."""
        if deps is None:
            return False
        new = self._print(path, deps)
        return new is not None and self.state.fingerprints.get(path) == new
