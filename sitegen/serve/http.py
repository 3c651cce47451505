"""The HTTP side of `sitegen serve`: request paths mapped into the output folder, pages with
the reload script, and the event stream.

Safety (issue 5, item 5): loopback by default, and a Host check against DNS rebinding
while on loopback; GET and HEAD only; `..`, encoded or not, is refused; no file outside
the output folder (symlinks resolved) and no dot-file is served; folders are served by
their index.html, never listed; a client that goes away mid-response is dropped quietly;
idle connections time out so they cannot pile up.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import socket
import sys
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    from .server import DevServer

DEV_PREFIX = "/_sitegen/"
SCRIPT_NAME = "livereload-overlay.js"
SCRIPT_FILE = Path(__file__).parent.parent / "static" / SCRIPT_NAME
EVENTS_PATH = DEV_PREFIX + "events"
KEEPALIVE = 10.0  # seconds between two comments on an idle event stream: finds closed tabs
CHUNK = 64 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_loopback(host: str) -> bool:
    if host.strip("[]") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
        return Resolved(
            "missing"
        )  # the build's marker and temporary folders; ':' would be a drive on Windows
    base = root.resolve()
    try:
        candidate = base.joinpath(*segments).resolve()
    except (OSError, RuntimeError, ValueError):
        return Resolved("missing")
    if candidate != base and not candidate.is_relative_to(base):
        return Resolved("missing")  # a symlink that leads out of the output folder
    if candidate.is_dir():
        if not raw.endswith("/"):
            return Resolved(
                "redirect",
                location=quote(decoded + "/") + (f"?{parts.query}" if parts.query else ""),
            )
        index = candidate / "index.html"
        return Resolved("file", index) if index.is_file() else Resolved("missing")
    return Resolved("file", candidate) if candidate.is_file() else Resolved("missing")


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in (
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    ):
        kind += "; charset=utf-8"
    return kind


def inject(html: bytes, generation: str) -> bytes:
    """Add the reload and overlay script before </head>: only in what is served, never on disk."""
    tag = f'<script src="{DEV_PREFIX}{SCRIPT_NAME}?g={generation}" defer></script>'.encode()
    at = html.lower().find(b"</head>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


PLACEHOLDER = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>sitegen \
preview</title></head>
<body><h1>This address has no page (yet)</h1>
<p>The preview has no page here. If the site has errors, they are listed above; fix them and \
save.</p></body></html>
"""


# -- the HTTP side ------------------------------------------------------------------------------


class HttpServer(ThreadingHTTPServer):
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
    server: HttpServer
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

    def _simple(
        self, status: HTTPStatus, text: str, extra: dict[str, str] | None = None, body: bool = True
    ) -> None:
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
            self._simple(
                HTTPStatus.FORBIDDEN,
                "This preview only answers to localhost and 127.0.0.1.",
                body=body,
            )
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
            self._simple(
                HTTPStatus.BAD_REQUEST, "Bad request: this address is not allowed.", body=body
            )
        elif found.kind == "redirect":
            self._simple(
                HTTPStatus.MOVED_PERMANENTLY, "Moved.", {"Location": found.location}, body=body
            )
        elif found.kind == "file" and found.path is not None:
            self._send_file(found.path, HTTPStatus.OK, body)
        else:
            not_found = app.out_dir / "404.html"
            self._send_file(not_found if not_found.is_file() else None, HTTPStatus.NOT_FOUND, body)

    def _send_file(
        self, path: Path | None, status: HTTPStatus, body: bool, html: bool | None = None
    ) -> None:
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
            self._simple(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "The preview is being rebuilt; reload in a moment.",
                {"Retry-After": "1"},
                body=body,
            )
            return
        if is_html:
            data = inject(data, app.hub.state.generation)
        self.send_response(status)
        self.send_header(
            "Content-Type",
            "text/html; charset=utf-8" if is_html else content_type(path or SCRIPT_FILE),
        )
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
        self.send_header(
            "Cache-Control", "no-store"
        )  # a reload must show the new build, never a cached page
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _events(self, body: bool) -> None:
        """Server-Sent Events: the build state now, then after every build.

        Comments keep it alive.
        """
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
