"""Golden output: the mini fixture site must render exactly as reviewed.

After an intended change, regenerate and review the diff:
    SITEGEN_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from helpers import SITES, TODAY

from sitegen.build import build

GOLDEN = Path(__file__).parent / "golden" / "mini"
# The search engine and its page evolve on their own (tests/test_search*.py cover them).
SKIP_PREFIXES = ("assets/", ".sitegen-build")
SKIP_FOLDERS = ("/recherche/", "/suche/", "/_status/")


def _files(root: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if (
            path.is_file()
            and not rel.startswith(SKIP_PREFIXES)
            and not any(f in f"/{rel}" for f in SKIP_FOLDERS)
        ):
            out[rel] = path.read_bytes()
    return out


def test_mini_site_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(SITES / "mini", out, today=TODAY)
    actual = _files(out)
    if os.environ.get("SITEGEN_REGEN_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in actual.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    expected = _files(GOLDEN)
    assert sorted(actual) == sorted(expected), "the set of output files changed"
    for rel, data in expected.items():
        assert actual[rel].decode() == data.decode(), f"{rel} differs from tests/golden/mini/{rel}"
