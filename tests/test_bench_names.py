"""The benchmark scripts (bench/) time and patch sitegen's functions by name: a change that
renames or moves one must fail here, not leave a benchmark silently measuring nothing."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_every_name_the_benchmarks_patch_exists() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import profile_build
        import scaling
    finally:
        sys.path.remove(str(BENCH))
    stages = {
        **profile_build.STAGES,
        **scaling.RUN_STAGES,
        **scaling.JOBS_STAGES,
        "variants": scaling.PATCHED,
    }
    undo = profile_build.patch_stages(
        stages, lambda stage, function: function
    )  # raises LookupError naming what is gone
    for owner, name, original in reversed(undo):
        setattr(owner, name, original)
    assert len(undo) == sum(len(targets) for targets in stages.values())

    from sitegen import parallel

    assert all(isinstance(getattr(parallel, name), int) for name in profile_build.FORK_MINIMUMS)
    assert parallel.NEVER and callable(parallel.collector_paused)


def test_the_serve_benchmark_edits_through_a_session(tmp_path: Path) -> None:
    """bench/measure.py serve-edit on the mini site: the page written, then its search index."""
    import datetime as dt
    import shutil

    sys.path.insert(0, str(BENCH))
    try:
        import measure
    finally:
        sys.path.remove(str(BENCH))
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "sites" / "mini", site)
    report = measure.serve_edit(
        site, tmp_path / "out", "content/fr/premiers-pas.md", 2, dt.date(2026, 10, 1)
    )
    assert report["errors"] == [] and len(report["seconds"]) == 2
