"""One preview: a build folder, an HTTP server, a watcher, and the browsers told of each build."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..cli import print_diagnostics
from ..errors import Diagnostic
from .events import Hub
from .http import HttpServer
from .session import Outcome, Session
from .watch import SETTLE_TRIES, Watcher, settle, stat

STOP_WAIT = 120.0  # seconds stop() waits for a build in progress
INDEX_PAUSE = 0.1  # seconds between telling the browsers and writing the search index

Log = Callable[[str], None]


class DevServer:
    """One preview: a build folder, an HTTP server and a watcher.

    No global state, so tests run several.
    """

    def __init__(
        self,
        site_dir: Path,
        out_dir: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        today: dt.date | None = None,
        drafts: bool = False,
        log: Log | None = None,
        poll: float | None = None,
    ):
        self.site_dir, self.out_dir = site_dir, out_dir.absolute()
        self.host, self.port = host, port
        self.today, self.drafts = today, drafts
        self.log: Log = log or (lambda message: None)
        self.poll = poll
        self.hub = Hub()
        self.running = False
        self._httpd: HttpServer | None = None
        self._threads: list[threading.Thread] = []
        self._serving = False
        self._stop = threading.Event()
        # the latest build's outcome (the benchmark reads its time)
        self.last: Outcome | None = None
        self.session = Session(site_dir, self.out_dir, today=today, drafts=drafts, stop=self._stop)
        # set once the site is in memory: saves from then on take the quick path
        self.warm = threading.Event()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> None:
        """Build once (errors do not stop it), then serve; the watcher starts first, so that a
        file saved while the first build runs is not missed."""
        self._httpd = HttpServer((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self.running = True
        watcher = Watcher(
            self.site_dir, self.out_dir, self._rebuild_after_save, self._stop, self.poll
        )
        self._spawn(watcher.run, "sitegen-watch")
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
        self.session.wait(STOP_WAIT)
        for thread in self._threads:
            thread.join(timeout=5)
        self.session.close()

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def rebuild(self, first: bool = False, because: list[str] | None = None) -> Outcome:
        """Build now; on success tell the browsers to reload, on errors show them the overlay."""
        outcome, warnings = self.session.build(first=first, progress=self.log if first else None)
        self._publish(outcome, because, warnings)
        self._finish_pending(outcome)
        return outcome

    def _finish_pending(self, outcome: Outcome) -> None:
        """The edited page is already shown; the search index follows a moment later, one
        language at a time: a save in between is built after one language, not after all."""
        while outcome.ok and not self._stop.is_set() and self.session.finish_pending():
            pass

    def _warm_up(self) -> None:
        """When `serve` restarts on an unchanged site, its first build answers from the cache's
        digest without reading the site. Read it now, in the background: otherwise the first
        save would wait for a full build (seconds on a large site) instead of milliseconds."""
        try:
            started = time.perf_counter()
            result = self.session.warm_up()
            if result is None:
                return
            if (
                result.changed
            ):  # files saved during the first build, which the watcher's build will find written
                self._publish(
                    Outcome(True, time.perf_counter() - started, tuple(result.changed)),
                    None,
                    list(result.warnings),
                )
            self._finish_pending(Outcome(True, 0.0))
        finally:
            self.warm.set()

    def _rebuild_after_save(self, changed: list[str]) -> None:
        if self._stop.is_set():
            return
        for _ in range(SETTLE_TRIES):
            seen = settle(self.site_dir, changed)
            outcome, warnings = self.session.build(changed)
            # Errors from a file caught half-written are not the editor's: if the saved files
            # moved during the build, build again before showing anything.
            if outcome.ok or stat(self.site_dir, changed) == seen:
                break
        self._publish(outcome, changed, warnings)
        if outcome.ok:
            # Browsers fetch the changed page now; the index work would hold the GIL and a core
            # meanwhile.
            self._stop.wait(INDEX_PAUSE)
        self._finish_pending(outcome)

    def _publish(
        self, outcome: Outcome, because: list[str] | None, warnings: list[Diagnostic]
    ) -> None:
        self.last = outcome
        if outcome.ok:
            self.hub.built(outcome.changed)
        else:
            self.hub.failed(outcome.errors)
        when = time.strftime("%H:%M:%S")
        what = (
            f"{', '.join(because[:3])}{' ...' if len(because) > 3 else ''} changed: "
            if because
            else ""
        )
        if outcome.ok:
            files = (
                f" ({len(outcome.changed)} files written or removed)"
                if outcome.changed is not None
                else ""
            )
            self.log(f"[{when}] {what}built in {outcome.seconds * 1000:.0f} ms{files}")
            if warnings:
                print_diagnostics(warnings)
        else:
            errors = sum(d.is_error for d in outcome.errors)
            self.log(
                f"[{when}] {what}{errors} error(s): the browser shows them; the last good version "
                "stays online"
            )
            print_diagnostics([d for d in outcome.errors if d.is_error])
