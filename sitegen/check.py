"""Placeholder: the 'check' command is being written (issue 4)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default=".", help="the site folder")


def run(args: argparse.Namespace) -> int:
    print("sitegen check: not available yet")
    return 2
