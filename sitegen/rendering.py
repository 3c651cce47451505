"""The render stage's work: rendering jobs (in forked workers on large sites), each
template failure reported once, and the templates each rendering loaded told back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import parallel
from .errors import Diagnostic
from .write import Writer

if TYPE_CHECKING:
    from . import content, model
    from .render.core import Job
    from .render.site import SiteRenderer
    from .templates import TemplateUse


@dataclass(frozen=True)
class SiteModel:
    """The site as the render and search stages see it."""

    site: model.Site
    contents: content.Contents
    renderer: SiteRenderer
    synonyms: dict[str, list[list[str]]]
    global_part: str  # digest of what every output depends on (cache.global_digest)
    templates: TemplateUse  # which templates each rendering loads


def render_jobs(
    jobs: list[Job],
    writer: Writer | None,
    site_dir: Path,
    use: TemplateUse | None = None,
    loaded: Callable[[str, tuple[str, ...]], None] | None = None,
) -> list[Diagnostic]:
    """Render jobs, in several processes when there are many; a template failure is reported
    once. Without a writer only the template problems are wanted: nothing is written. With
    `use`, `loaded` is told the templates each job's rendering loaded (for its fingerprint).

    The search index is built after this, not beside the workers: beside them it saved ~15 %
    of a 1,000-page build but raised its peak memory by ~40 % (416 vs 295 MiB, measured),
    over half of Hugo's, the limit of issue 6.
    """
    from .pagecheck import html_problems
    from .templates import template_problem

    for job in jobs if writer is not None else ():
        writer.claim(job.path)
    # Swapped in later, a folder may be filled by every process (only paths come back); in
    # place, nothing may be written before everything rendered: the bytes come back first.
    direct = writer is not None and not writer.in_place

    def render(job: Job) -> tuple[str, bytes | None, list[Diagnostic], tuple[str, ...], bool]:
        """(path, the bytes unless written here, problems, templates loaded, whether written)"""
        try:
            data, names = use.loaded_by(job.render) if use is not None else (job.render(), ())
        except Exception as exc:
            return job.path, None, [template_problem(exc, site_dir, job.what)], (), False
        found = html_problems(job.path, job.what, data)
        if found or writer is None:
            return job.path, None, found, names, False
        if direct:
            return job.path, None, [], names, writer.put(job.path, data)
        return job.path, data, [], names, False

    done = parallel.fork_map(render, jobs, parallel.RENDER_FORK_MIN)
    problems: dict[tuple[str, int], Diagnostic] = {}
    for _, _, found, _, _ in done:
        for problem in found:
            problems.setdefault((problem.path, problem.line), problem)
    if problems or writer is None:
        return sorted(problems.values())
    if direct:
        writer.record(path for path, _, _, _, written in done if written)
    else:
        for path, data, _, _, _ in done:
            assert data is not None
            writer.fill(path, data)
    if loaded is not None:
        for path, _, _, names, _ in done:
            loaded(path, names)
    return []
