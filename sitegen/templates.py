"""The Jinja environment: site templates over the package's; autoescape, StrictUndefined."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.runtime import Context

from .assets import SITE_PREFIX, SITE_STYLESHEET, site_assets
from .errors import Diagnostic, error
from .i18n import Localizer
from .urls import relative

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
SITE_TEMPLATES = "templates"
# {% extends "theme/base.html" %}: the theme's template, even where the site overrides it
THEME_PREFIX = "theme"
ASSETS = "assets"  # the output folder of the theme's files and, below site/, the site's


@pass_context
def _rel(context: Context, url: str) -> str:
    """A link from the page being rendered; `here` is None on pages served at any depth (404)."""
    here = context.get("here")
    if here is None:
        return str(context["base_path"]) + url
    return relative(url, here)


class MissingSiteAssetError(TemplateError):
    """site_asset() names a file the site's assets/ folder does not have."""


def _site_asset(names: frozenset[str]) -> Any:
    @pass_context
    def site_asset(context: Context, name: str) -> str:
        """A link from the page being rendered to the file `name` of the site's assets/ folder."""
        if name not in names:
            raise MissingSiteAssetError(
                f"the site has no file assets/{name}"
                + (f" (it has {', '.join(sorted(names))})" if names else "")
            )
        return str(_rel(context, f"{ASSETS}/{SITE_PREFIX}{name}"))

    return site_asset


def _qr_svg(url: str) -> Any:
    from .render.core import qr_svg  # the render package comes after this module

    return qr_svg(url)


def make_environment(site_dir: Path, localizer: Localizer) -> Environment:
    env = Environment(
        # "theme/base.html" is always the theme's own: a site's templates/base.html extends it
        # to override a few blocks (docs/templates.md) instead of copying it.
        loader=ChoiceLoader(
            [
                PrefixLoader({THEME_PREFIX: FileSystemLoader(PACKAGE_TEMPLATES)}),
                FileSystemLoader(site_dir / SITE_TEMPLATES),
                FileSystemLoader(PACKAGE_TEMPLATES),
            ]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_translations(localizer.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["rel"] = _rel
    env.globals["qr_svg"] = _qr_svg
    names = frozenset(name for name, _ in site_assets(site_dir)[0])
    env.globals["site_asset"] = _site_asset(names)
    # base.html links it after the theme's
    env.globals["site_stylesheet"] = SITE_STYLESHEET in names
    return env


def _display_path(filename: str | None, site_dir: Path) -> str:
    if not filename:
        return "templates"
    path = Path(filename)
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        try:
            return (
                "sitegen/templates/"
                + path.resolve().relative_to(PACKAGE_TEMPLATES.resolve()).as_posix()
            )
        except ValueError:
            return filename


def template_problem(exc: Exception, site_dir: Path, rendering: str) -> Diagnostic:
    """Turn a template failure into file:line: message, pointing into the template itself."""
    if isinstance(exc, TemplateSyntaxError):
        return error(
            _display_path(exc.filename, site_dir),
            exc.lineno or 0,
            f"template syntax error: {exc.message}",
            "fix the tag on that line; see https://jinja.palletsprojects.com/templates/",
        )
    # Jinja rewrites tracebacks so that template frames carry the template's file and line:
    # the last one is the tag that failed (an extends or include naming a missing template, too).
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith((".html", ".xml", ".txt"))
    ]
    path, line = (
        (_display_path(frames[-1].filename, site_dir), frames[-1].lineno or 0)
        if frames
        else (SITE_TEMPLATES, 0)
    )
    if isinstance(exc, TemplateNotFound):
        return error(
            path,
            line,
            f"the template '{exc.name}' does not exist (needed for {rendering})",
            f"create templates/{exc.name}, or correct the name in extends/include",
        )
    if isinstance(exc, RecursionError):
        return error(
            path,
            line,
            f"a template includes or extends itself (while rendering {rendering})",
            "check the extends, include and import tags: a template cannot use itself",
        )
    message = getattr(exc, "message", None) or str(exc)
    hint = (
        "check the variable's name; the variables each template receives are listed in "
        "docs/templates.md"
    )
    if not isinstance(exc, TemplateError):
        hint = "a filter or expression failed on this value"
    elif isinstance(exc, MissingSiteAssetError):
        hint = "add the file to the assets/ folder beside site.yaml, or correct its name"
    return error(path, line, f"template error while rendering {rendering}: {message}", hint)
