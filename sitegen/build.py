"""The pipeline, step by step: load -> validate -> model -> content -> render -> write."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import content, i18n, model, sources, validate
from .config import load_config
from .errors import ContentError, Diagnostic, Severity
from .render import SiteRenderer
from .templates import make_environment, template_problem
from .write import Writer, check_output_folder

STATIC_DIR = Path(__file__).parent / "static"
ASSETS = "assets"


@dataclass
class LanguageStats:
    pages: int = 0
    fallbacks: int = 0
    offers: int = 0


@dataclass
class BuildResult:
    out_dir: Path
    files: int
    bytes: int
    seconds: float
    languages: dict[str, LanguageStats]
    warnings: list[Diagnostic]
    skipped: list[model.Skipped] = field(default_factory=list)


Progress = Callable[[str], None]


def _raise_if_errors(diags: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diags):
        raise ContentError(_dedupe(diags))


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags))


def load_site(site_dir: Path, today: dt.date, drafts: bool = False) -> tuple[model.Site, content.Contents, dict[str, i18n.Localizer], list[Diagnostic]]:
    """Everything up to (not including) rendering: read, check and link the whole site."""
    config, diags = load_config(site_dir)
    if config is None:
        raise ContentError(diags)
    localizers, problems = i18n.load_localizers(site_dir, config)
    diags += problems
    loaded, problems = sources.load_sources(site_dir, config)
    diags += problems

    pages = []
    for page_source in loaded.pages:
        meta, problems = validate.validate_page(page_source, config)
        diags += problems
        if meta is not None:
            pages.append((page_source, meta))
    offers = []
    for offer_source in loaded.offers:
        offer, problems = validate.validate_offer(offer_source, config, today)
        diags += problems
        if offer is not None:
            offers.append(offer)
    diags += validate.duplicate_offer_ids(offers)
    _raise_if_errors(diags)

    site, problems = model.build_site(config, pages, offers, loaded.assets, i18n.url_words(localizers),
                                      lambda lang, term: localizers[lang].term(term), today, drafts)
    diags += problems
    _raise_if_errors(diags)
    contents, problems = content.render_contents(site)
    diags += problems
    _raise_if_errors(diags)
    return site, contents, localizers, diags


def build(site_dir: Path, out_dir: Path, *, today: dt.date | None = None, drafts: bool = False, progress: Progress | None = None) -> BuildResult:
    """Build the site in `site_dir` into `out_dir`; raise ContentError and leave `out_dir` untouched on any error."""
    started = time.perf_counter()
    today = today or dt.date.today()
    check_output_folder(out_dir, site_dir)
    site, contents, localizers, diags = load_site(site_dir, today, drafts)
    if progress:
        progress(f"read {len(site.pages)} pages and {len(site.offers)} offers")

    envs = {lang: make_environment(site_dir, loc) for lang, loc in localizers.items()}
    renderer = SiteRenderer(site, contents, localizers, envs)
    writer = Writer(out_dir)
    try:
        _raise_if_errors(_render_all(renderer, site_dir, writer))
        for static in sorted(STATIC_DIR.iterdir()):
            if static.is_file():
                writer.copy(f"{ASSETS}/{static.name}", static)
        for (lang, key), asset in sorted(site.assets.items()):
            writer.copy(f"{lang}/{key}", site_dir / asset.path)
        writer.commit()
    except BaseException:
        writer.abort()
        raise

    stats = {lang: LanguageStats() for lang in site.config.languages}
    for (lang, _), page in site.pages.items():
        stats[lang].pages += 1
        stats[lang].fallbacks += page.is_fallback
    for lang in site.config.languages:
        stats[lang].offers = len(site.offers)
    return BuildResult(out_dir, len(writer.written), writer.bytes, time.perf_counter() - started, stats,
                       [d for d in _dedupe(diags) if not d.is_error], list(site.skipped))


def _render_all(renderer: SiteRenderer, site_dir: Path, writer: Writer) -> list[Diagnostic]:
    """Render and write every output; a template failure is reported once, not once per page."""
    problems: dict[tuple[str, int], Diagnostic] = {}
    for path, what, render in renderer.outputs():
        try:
            data = render()
        except Exception as exc:
            problem = template_problem(exc, site_dir, what)
            problems.setdefault((problem.path, problem.line), problem)
            continue
        if not problems:
            writer.write(path, data)
    return list(problems.values())
