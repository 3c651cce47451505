"""`sitegen serve`: build, serve the output on loopback, rebuild on every save, reload the browser.

Why the standard library and not livereload: livereload (on Tornado) keeps its state in
class attributes and a global IOLoop (two servers cannot live in one process, so tests
cannot run one per site), only knows "reload" (no way to push the build's errors to an
overlay), injects its script into every HTML response it serves from any folder, and
polls the files at a fixed 1-second interval. What we need is small: a threaded
HTTP server that maps paths into one folder, a Server-Sent Events stream that tells the
page "reload" or "here are the errors", and a watch of the sources: the system's file
events through watchfiles where it is installed (instant, free while idle, on Linux,
macOS and Windows), else a poll of their modification times.

Safety (issue 5, item 5): loopback by default, and a Host check against DNS rebinding
while on loopback; GET and HEAD only; `..`, encoded or not, is refused; no file outside
the output folder (symlinks resolved) and no dot-file is served; folders are served by
their index.html, never listed; a client that goes away mid-response is dropped quietly;
idle connections time out so they cannot pile up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import mimetypes
import os
import secrets
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .cache import SITE_INPUTS
from .cli import _date, add_source, find_site, print_diagnostics
from .errors import ContentError, Diagnostic, UsageError, error

DEV_PREFIX = "/_sitegen/"
SCRIPT_NAME = "livereload-overlay.js"
SCRIPT_FILE = Path(__file__).parent / "static" / SCRIPT_NAME
EVENTS_PATH = DEV_PREFIX + "events"
WATCHED = SITE_INPUTS  # what a build reads (site.yaml, content/, templates/, locales/, ...): the cache's own list
MIN_POLL, MAX_POLL = 0.02, 1.0  # seconds between two looks at the sources; grows with the site's size
SETTLE_TRIES, SETTLE_PAUSE = 5, 0.015  # for files caught in the middle of a save
STOP_WAIT = 120.0  # seconds stop() waits for a build in progress
EVENT_STEP_MS, EVENT_DEBOUNCE_MS = 5, 300  # file events: quiet time that ends a save, longest wait to group them
INDEX_PAUSE = 0.1  # seconds between telling the browsers and writing the search index
KEEPALIVE = 10.0  # seconds between two comments on an idle event stream: finds closed tabs
CHUNK = 64 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})

Log = Callable[[str], None]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source(parser)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="the folder the preview is built into (default: build/ in the site folder)")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this computer only)")
    parser.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000; 0 picks a free one)")
    parser.add_argument("--drafts", action="store_true", help="show pages and offers marked draft: true")
    parser.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD", help="the date that decides which offers are past (default: today)")


def run(args: argparse.Namespace) -> int:
    site_dir = find_site(args.source)
    out_dir = args.out if args.out is not None else site_dir / "build"

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    server = DevServer(site_dir, out_dir, args.host, args.port, today=args.today, drafts=args.drafts, log=log)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc}): is another preview running? Try --port {args.port + 1}") from exc
    if not is_loopback(args.host):
        log(f"Warning: listening on {args.host}: other computers on the network can open this preview.")
    log(f"Preview of {site_dir.resolve()} at {server.url}  (press Ctrl+C to stop)")
    log(f"Watching content/, templates/, locales/ and site.yaml; the preview is built into {out_dir}.")
    try:
        while server.running:
            time.sleep(0.5)  # short sleeps: Ctrl+C is delivered between them on every system
    except KeyboardInterrupt:
        log("Stopped.")
    finally:
        server.stop()
    return 0


def is_loopback(host: str) -> bool:
    if host.strip("[]") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# -- state shared by the builder and the HTTP threads ---------------------------------------


@dataclass(frozen=True)
class BuildState:
    generation: str  # names the last good build; a page served from it carries it
    previous: str  # the generation before it: `changed` is relative to that one
    changed: tuple[str, ...] | None  # output files written or removed; None when unknown
    errors: tuple[Diagnostic, ...] = ()  # errors of the last build; the last good site is still served

    def event(self) -> bytes:
        data = {
            "generation": self.generation,
            "previous": self.previous,
            "changed": list(self.changed) if self.changed is not None else None,
            "errors": [{"path": d.path, "line": d.line, "col": d.col, "message": d.message, "hint": d.hint, "text": d.format()}
                       for d in self.errors if d.is_error],
        }
        return b"event: state\ndata: " + json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n\n"


class Hub:
    """The current BuildState, and a condition the event streams wait on for the next one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._token = secrets.token_hex(3)  # new on every start: a page from an earlier run reloads
        self._count = 0
        self.version = 0
        self.closed = False
        self.state = BuildState(self._next(), "", None)

    def _next(self) -> str:
        self._count += 1
        return f"{self._token}-{self._count}"

    def built(self, changed: tuple[str, ...] | None) -> BuildState:
        with self._cond:
            self.state = BuildState(self._next(), self.state.generation, changed)
            return self._publish()

    def failed(self, errors: list[Diagnostic]) -> BuildState:
        with self._cond:
            self.state = BuildState(self.state.generation, self.state.previous, self.state.changed, tuple(errors))
            return self._publish()

    def _publish(self) -> BuildState:
        self.version += 1
        self._cond.notify_all()
        return self.state

    def wait(self, seen: int, timeout: float) -> tuple[int, BuildState]:
        """Wait until a version newer than `seen` is published (or the timeout passes)."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != seen or self.closed, timeout)
            return self.version, self.state

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


# -- mapping request paths into the output folder ---------------------------------------------


@dataclass(frozen=True)
class Resolved:
    kind: str  # "file", "redirect", "missing" or "bad"
    path: Path | None = None
    location: str = ""


def resolve_path(root: Path, target: str) -> Resolved:
    """The file a request target names inside `root`, refusing every way out of it."""
    parts = urlsplit(target)
    raw = parts.path
    if not raw.startswith("/"):
        return Resolved("bad")
    try:
        decoded = unquote(raw, errors="strict") if "%" in raw else raw
    except UnicodeDecodeError:
        return Resolved("bad")  # %ff...: bytes that are no text cannot name a file of the site
    if "\x00" in decoded or "\\" in decoded:
        return Resolved("bad")
    segments = [s for s in decoded.split("/") if s]
    if any(s in (".", "..") for s in segments):
        return Resolved("bad")
    if any(s.startswith(".") or ":" in s for s in segments):
        return Resolved("missing")  # the build's marker and temporary folders; ':' would be a drive on Windows
    base = root.resolve()
    try:
        candidate = base.joinpath(*segments).resolve()
    except (OSError, RuntimeError, ValueError):
        return Resolved("missing")
    if candidate != base and not candidate.is_relative_to(base):
        return Resolved("missing")  # a symlink that leads out of the output folder
    if candidate.is_dir():
        if not raw.endswith("/"):
            return Resolved("redirect", location=quote(decoded + "/") + (f"?{parts.query}" if parts.query else ""))
        index = candidate / "index.html"
        return Resolved("file", index) if index.is_file() else Resolved("missing")
    return Resolved("file", candidate) if candidate.is_file() else Resolved("missing")


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


def inject(html: bytes, generation: str) -> bytes:
    """Add the reload and overlay script before </head>: only in what is served, never on disk."""
    tag = f'<script src="{DEV_PREFIX}{SCRIPT_NAME}?g={generation}" defer></script>'.encode()
    at = html.lower().find(b"</head>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


PLACEHOLDER = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>sitegen preview</title></head>
<body><h1>This address has no page (yet)</h1>
<p>The preview has no page here. If the site has errors, they are listed above; fix them and save.</p></body></html>
"""


# -- the HTTP side ------------------------------------------------------------------------------


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True  # a stuck client never blocks Ctrl+C
    request_queue_size = 1024  # a burst of connections waits in the kernel instead of being refused
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: DevServer):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return  # the browser closed the tab or the connection: nothing to report
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    server_version = "sitegen-preview"
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive threads
    timeout = 20  # seconds a client may stay silent (slow or half-open connections)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for the editor's build messages, not for access logs

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _simple(self, status: HTTPStatus, text: str, extra: dict[str, str] | None = None, body: bool = True) -> None:
        data = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _host_allowed(self) -> bool:
        app = self.server.app
        if not is_loopback(app.host):
            return True
        host = self.headers.get("Host")
        if host is None:
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.lower() in LOOPBACK_NAMES or name == app.host

    def _serve(self, body: bool) -> None:
        app = self.server.app
        if not self._host_allowed():
            # A web page on another site pointed a name at 127.0.0.1 (DNS rebinding): refuse it.
            self._simple(HTTPStatus.FORBIDDEN, "This preview only answers to localhost and 127.0.0.1.", body=body)
            return
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._events(body)
            return
        if path == DEV_PREFIX + SCRIPT_NAME:
            self._send_file(SCRIPT_FILE, HTTPStatus.OK, body, html=False)
            return
        if path.startswith(DEV_PREFIX):
            self._simple(HTTPStatus.NOT_FOUND, "Not found.", body=body)
            return
        found = resolve_path(app.out_dir, self.path)
        if found.kind == "bad":
            self._simple(HTTPStatus.BAD_REQUEST, "Bad request: this address is not allowed.", body=body)
        elif found.kind == "redirect":
            self._simple(HTTPStatus.MOVED_PERMANENTLY, "Moved.", {"Location": found.location}, body=body)
        elif found.kind == "file" and found.path is not None:
            self._send_file(found.path, HTTPStatus.OK, body)
        else:
            not_found = app.out_dir / "404.html"
            self._send_file(not_found if not_found.is_file() else None, HTTPStatus.NOT_FOUND, body)

    def _send_file(self, path: Path | None, status: HTTPStatus, body: bool, html: bool | None = None) -> None:
        app = self.server.app
        try:
            if path is None:
                data, is_html = PLACEHOLDER, True
            else:
                is_html = path.suffix == ".html" if html is None else html
                if not is_html and path.stat().st_size > CHUNK:
                    self._stream(path, status, body)
                    return
                data = path.read_bytes()
        except OSError:
            # Removed between the lookup and the read (a rebuild): ask the browser to try again.
            self._simple(HTTPStatus.SERVICE_UNAVAILABLE, "The preview is being rebuilt; reload in a moment.", {"Retry-After": "1"}, body=body)
            return
        if is_html:
            data = inject(data, app.hub.state.generation)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8" if is_html else content_type(path or SCRIPT_FILE))
        self.send_header("Content-Length", str(len(data)))
        self._common_headers()
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _stream(self, path: Path, status: HTTPStatus, body: bool) -> None:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            self.send_response(status)
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(size))
            self._common_headers()
            self.end_headers()
            if body:
                while chunk := fh.read(CHUNK):
                    self.wfile.write(chunk)

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build, never a cached page
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _events(self, body: bool) -> None:
        """Server-Sent Events: the build state now, then after every build; comments keep it alive."""
        hub = self.server.app.hub
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        self.close_connection = True
        self.wfile.write(b"retry: 300\n\n")
        seen = -1
        while not hub.closed and self.server.app.running:
            version, state = hub.wait(seen, KEEPALIVE)
            if hub.closed:
                break
            self.wfile.write(state.event() if version != seen else b": keep-alive\n\n")
            self.wfile.flush()
            seen = version


# -- the watcher and the builder -----------------------------------------------------------------


def _ignored(name: str) -> bool:
    # Editors' swap, lock and backup files (.x.swp, .#x, #x#, x~) change while typing: never a reason to rebuild.
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def snapshot(site_dir: Path, out_dir: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file a build reads; the output folder is never part of it."""
    found: dict[str, tuple[int, int]] = {}
    skip = out_dir.resolve()
    stack = []
    for name in WATCHED:
        path = site_dir / name
        if path.is_dir():
            stack.append(path)
        else:
            try:
                st = path.stat()
            except OSError:
                continue
            found[name] = (st.st_mtime_ns, st.st_size)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _ignored(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if Path(entry.path).resolve() != skip:
                        stack.append(Path(entry.path))
                    continue
                st = entry.stat()
            except OSError:
                continue  # removed while we looked: the next look sees it gone
            found[os.path.relpath(entry.path, site_dir)] = (st.st_mtime_ns, st.st_size)
    return found


@dataclass
class Outcome:
    ok: bool
    seconds: float
    changed: tuple[str, ...] | None = None
    errors: list[Diagnostic] = field(default_factory=list)


class DevServer:
    """One preview: a build folder, an HTTP server and a watcher; no global state, so tests run several."""

    def __init__(self, site_dir: Path, out_dir: Path, host: str = "127.0.0.1", port: int = 8000, *,
                 today: dt.date | None = None, drafts: bool = False, log: Log | None = None, poll: float | None = None):
        self.site_dir, self.out_dir = site_dir, out_dir.absolute()
        self.host, self.port = host, port
        self.today, self.drafts = today, drafts
        self.log: Log = log or (lambda message: None)
        self.poll = poll
        self.hub = Hub()
        self.running = False
        self._httpd: _HttpServer | None = None
        self._threads: list[threading.Thread] = []
        self._serving = False
        self._stop = threading.Event()
        self.last: Outcome | None = None  # the latest build's outcome (the benchmark reads its time)
        self._build_lock = threading.Lock()
        self._polled: dict[str, tuple[int, int]] = {}  # the sources as the first build read them (polling)
        self._builder: Any = None  # one build.Builder for the session: it remembers what the last build did
        self.warm = threading.Event()  # set once the site is in memory: saves from then on take the quick path

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> None:
        """Build once (errors do not stop it), then serve; the watcher starts first, so that a
        file saved while the first build runs is not missed."""
        self._httpd = _HttpServer((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self.running = True
        self._polled = snapshot(self.site_dir, self.out_dir) if self.poll is not None else {}
        self._spawn(self._watch, "sitegen-watch")
        try:
            first = self.rebuild(first=True)
        except BaseException:
            self.stop()
            raise
        self._spawn(self._serve_forever, "sitegen-http")
        self._serving = True
        if first.ok:
            self._spawn(self._warm_up, "sitegen-warm-up")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _serve_forever(self) -> None:
        assert self._httpd is not None
        self._httpd.serve_forever(poll_interval=0.1)  # how soon stop() is noticed

    def stop(self) -> None:
        self.running = False
        self._stop.set()
        self.hub.close()
        if self._httpd is not None:
            if self._serving:
                self._httpd.shutdown()  # waits for serve_forever: only when it was started
            self._httpd.server_close()
        # A build in progress finishes first: nothing writes into the output after stop() returns.
        if self._build_lock.acquire(timeout=STOP_WAIT):
            self._build_lock.release()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def rebuild(self, first: bool = False, because: list[str] | None = None) -> Outcome:
        """Build now; on success tell the browsers to reload, on errors show them the overlay."""
        outcome, warnings = self._build(first)
        self._publish(outcome, because, warnings)
        self._finish_pending(outcome)
        return outcome

    def _finish_pending(self, outcome: Outcome) -> None:
        """The edited page is already shown; the search index follows a moment later, one
        language at a time: a save in between is built after one language, not after all."""
        while outcome.ok and self._builder is not None and not self._stop.is_set():
            with self._build_lock:
                if not self._builder.pending:
                    return
                self._builder.finish_pending(languages=1)

    def _warm_up(self) -> None:
        """When `serve` restarts on an unchanged site, its first build answers from the cache's
        digest without reading the site. Read it now, in the background: otherwise the first
        save would wait for a full build (seconds on a large site) instead of milliseconds."""
        try:
            self._read_site()
        finally:
            self.warm.set()

    def _read_site(self) -> None:
        started = time.perf_counter()
        with self._build_lock:
            if self._stop.is_set() or self._builder is None:
                return
            try:
                result = self._builder.warm_up(self.today or dt.date.today())
            except ContentError:
                return  # a file saved since is broken: the watcher's build reports it
            except Exception:  # a bug: keep serving, the next save tries again
                traceback.print_exc()
                return
        if result is None:
            return
        if result.changed:  # files saved during the first build, which the watcher's build will find written
            self._publish(Outcome(True, time.perf_counter() - started, tuple(result.changed)), None, list(result.warnings))
        self._finish_pending(Outcome(True, 0.0))

    def _build(self, first: bool = False, changed: list[str] | None = None) -> tuple[Outcome, list[Diagnostic]]:
        from .build import Builder  # imported here: build imports the whole pipeline

        started = time.perf_counter()
        with self._build_lock:
            if self._builder is None:
                self._builder = Builder(self.site_dir, self.out_dir, drafts=self.drafts, use_cache=True, long_lived=True)
            try:
                # The first build swaps a complete folder in (or finds nothing changed); later
                # ones rewrite only the files that changed, in place, each one atomically.
                result = self._builder.build(today=self.today or dt.date.today(), in_place=not first,
                                             progress=self.log if first else None, defer_search=not first, changed=changed)
            except ContentError as exc:
                return Outcome(False, time.perf_counter() - started, errors=list(exc.diagnostics)), []
            except UsageError as exc:
                if first:
                    raise  # e.g. --out names a folder sitegen did not make: nothing to serve
                return Outcome(False, time.perf_counter() - started, errors=[error("sitegen", 0, str(exc))]), []
            except Exception as exc:  # a bug, or a filter failing in an unexpected way: keep serving
                traceback.print_exc()
                return Outcome(False, time.perf_counter() - started,
                               errors=[error("sitegen", 0, f"the build crashed: {exc!r}", "this is a bug in sitegen; the message above helps to report it")]), []
        # After a swap every file may have moved: `changed` is only trusted for in-place builds.
        outcome = Outcome(True, time.perf_counter() - started, None if first else tuple(result.changed))
        return outcome, list(result.warnings)

    def _publish(self, outcome: Outcome, because: list[str] | None, warnings: list[Diagnostic]) -> None:
        self.last = outcome
        if outcome.ok:
            self.hub.built(outcome.changed)
        else:
            self.hub.failed(outcome.errors)
        when = time.strftime("%H:%M:%S")
        what = f"{', '.join(because[:3])}{' ...' if len(because) > 3 else ''} changed: " if because else ""
        if outcome.ok:
            files = f" ({len(outcome.changed)} files written or removed)" if outcome.changed is not None else ""
            self.log(f"[{when}] {what}built in {outcome.seconds * 1000:.0f} ms{files}")
            if warnings:
                print_diagnostics(warnings)
        else:
            errors = sum(d.is_error for d in outcome.errors)
            self.log(f"[{when}] {what}{errors} error(s): the browser shows them; the last good version stays online")
            print_diagnostics([d for d in outcome.errors if d.is_error])

    def _watch(self) -> None:
        """Rebuild when a source is saved, added or removed: from the system's file events where
        watchfiles is installed (no delay, no cost while idle), else by looking every few dozen ms."""
        try:
            if self.poll is None:
                import watchfiles  # optional: see docs; polling does the same job, only slower on large sites

                self._watch_events(watchfiles)
                return
        except ImportError:
            pass
        self._watch_poll()

    def _inputs(self) -> tuple[Path, ...]:
        return tuple(self.site_dir / name for name in WATCHED if (self.site_dir / name).exists())

    def _wanted(self, change: object, path: str) -> bool:
        name = os.path.basename(path)
        return not _ignored(name) and not Path(path).absolute().is_relative_to(self.out_dir)

    def _watch_events(self, watchfiles: Any) -> None:
        while not self._stop.is_set():
            roots = self._inputs()
            for changes in watchfiles.watch(*roots, watch_filter=self._wanted, step=EVENT_STEP_MS, debounce=EVENT_DEBOUNCE_MS,
                                            stop_event=self._stop, rust_timeout=1000, yield_on_timeout=True, raise_interrupt=False):
                if self._stop.is_set():
                    return
                paths = sorted({os.path.relpath(path, self.site_dir).replace(os.sep, "/") for _, path in changes})
                if paths:
                    self._rebuild_safely(paths)
                # A file watched by itself (site.yaml) loses its watch when an editor replaces it;
                # a folder created later (templates/) has none yet: start watching again.
                if any("/" not in p for p in paths) or self._inputs() != roots:
                    break

    def _watch_poll(self) -> None:
        interval = self.poll
        seen = self._polled or snapshot(self.site_dir, self.out_dir)
        while not self._stop.wait(interval if interval is not None else MIN_POLL):
            started = time.perf_counter()
            now = snapshot(self.site_dir, self.out_dir)
            if self.poll is None:
                # Looking costs little on a small site; on a large one, look less often.
                interval = min(MAX_POLL, max(MIN_POLL, 20 * (time.perf_counter() - started)))
            if now != seen:
                changed = sorted(k.replace(os.sep, "/") for k in now.keys() | seen.keys() if now.get(k) != seen.get(k))
                seen = now  # what changes during the build is found by the next look
                self._rebuild_safely(changed)

    def _rebuild_safely(self, changed: list[str]) -> None:
        try:
            self._rebuild_after_save(changed)
        except Exception:  # never let the watcher die: the next save tries again
            traceback.print_exc()

    def _stat(self, paths: list[str]) -> dict[str, tuple[int, int] | None]:
        found: dict[str, tuple[int, int] | None] = {}
        for path in paths:
            try:
                st = (self.site_dir / path).stat()
                found[path] = (st.st_mtime_ns, st.st_size)
            except OSError:
                found[path] = None
        return found

    def _rebuild_after_save(self, changed: list[str]) -> None:
        if self._stop.is_set():
            return
        for _ in range(SETTLE_TRIES):
            seen = self._settle(changed)
            outcome, warnings = self._build(changed=changed)
            # Errors from a file caught half-written are not the editor's: if the saved files
            # moved during the build, build again before showing anything.
            if outcome.ok or self._stat(changed) == seen:
                break
        self._publish(outcome, changed, warnings)
        if outcome.ok:
            # Browsers fetch the changed page now; the index work would hold the GIL and a core meanwhile.
            self._stop.wait(INDEX_PAUSE)
        self._finish_pending(outcome)

    def _settle(self, changed: list[str]) -> dict[str, tuple[int, int] | None]:
        """Wait while a saved file is empty: the editor truncated it and is still writing."""
        seen = self._stat(changed)
        for _ in range(SETTLE_TRIES):
            if not any(st is not None and st[1] == 0 for st in seen.values()):
                break
            time.sleep(SETTLE_PAUSE)
            again = self._stat(changed)
            if again == seen:
                break
            seen = again
        return seen
