"""Shared fixtures: the example site built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT, TODAY

from sitegen.build import build


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built once: many tests read it, none changes it."""
    out = tmp_path_factory.mktemp("example") / "build"
    build(ROOT, out, today=TODAY)
    return out
