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

The package, by concern: `server` (DevServer: one preview), `session` (its builds, one at
a time: a save's quick path or the full pipeline), `watch` (the sources), `http` (the
requests, and what is never served), `events` (what the browsers are told).
"""

from .http import is_loopback
from .server import DevServer

__all__ = ["DevServer", "is_loopback"]
