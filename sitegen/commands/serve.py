"""`sitegen serve`: build, serve on loopback, rebuild and reload the browser on every save.

The server itself is sitegen/serve.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..cli import add_drafts, add_out, add_source, add_today, find_site
from ..errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source(parser)
    add_out(parser, "the folder the preview is built into (default: build/ in the site folder)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this computer only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help="the port to listen on (default: 8000; 0 picks a free one)",
    )
    add_drafts(parser, "show pages and offers marked draft: true")
    add_today(parser, "the date that decides which offers are past (default: today)")


def run(args: argparse.Namespace) -> int:
    from ..serve import DevServer, is_loopback

    site_dir = find_site(args.source)
    out_dir: Path = args.out if args.out is not None else site_dir / "build"

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    server = DevServer(
        site_dir, out_dir, args.host, args.port, today=args.today, drafts=args.drafts, log=log
    )
    try:
        server.start()
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc}): is another preview "
            f"running? Try --port {args.port + 1}"
        ) from exc
    if not is_loopback(args.host):
        log(
            f"Warning: listening on {args.host}: other computers on the network can open "
            "this preview."
        )
    log(f"Preview of {site_dir.resolve()} at {server.url}  (press Ctrl+C to stop)")
    log(
        "Watching content/, templates/, locales/, assets/ and site.yaml; the preview is built "
        f"into {out_dir}."
    )
    try:
        while server.running:
            time.sleep(0.5)  # short sleeps: Ctrl+C is delivered between them on every system
    except KeyboardInterrupt:
        log("Stopped.")
    finally:
        server.stop()
    return 0
