"""The Jinja environment: site templates over the theme's, autoescape, StrictUndefined, gettext."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
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
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.runtime import Context
from markupsafe import Markup

from .assets import SITE_PREFIX, SITE_STYLESHEET
from .cache import CACHE_DIR, secret_key
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
    from .printqr import qr_svg  # segno is imported only by a build that renders pages

    return qr_svg(url)


class CompiledTemplates(BytecodeCache):
    """Compiled templates, shared by the environments of every language of a build, and
    kept in the site's cache folder between builds when `folder` is given.

    Jinja names an entry by template name and file and checks its source's checksum, so an
    edited site template or theme is compiled again. An entry holds a pickle and a code
    object, and code runs when loaded: like cache.py's files, each file on disk is signed
    with this user's key, and a file that came with the site is never loaded.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.memory: dict[str, bytes] = {}
        if folder is not None:  # what an older sitegen or Jinja compiled is never read again
            for path in folder.glob("template-*"):
                if not path.name.startswith(f"template-{_flavour()}-"):
                    with contextlib.suppress(OSError):
                        path.unlink()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"template-{_flavour()}-{key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.memory.get(bucket.key)
        if data is None and self.folder is not None:
            try:
                signed = self._path(bucket.key).read_bytes()
            except OSError:
                return
            mac = hmac.new(secret_key(), signed[_SIGNATURE:], "sha256").digest()
            if not hmac.compare_digest(signed[:_SIGNATURE], mac):
                return
            data = self.memory[bucket.key] = signed[_SIGNATURE:]
        if data is not None:
            bucket.bytecode_from_string(data)  # a changed source's checksum leaves the bucket empty

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = self.memory[bucket.key] = bucket.bytecode_to_string()
        if self.folder is None:
            return
        path = self._path(bucket.key)
        tmp = path.with_name(f"{path.name}.{os.getpid()}")
        try:
            if not (self.folder / ".gitignore").is_file():
                self.folder.mkdir(exist_ok=True)
                (self.folder / ".gitignore").write_text("*\n")
            tmp.write_bytes(hmac.new(secret_key(), data, "sha256").digest() + data)
            os.replace(
                tmp, path
            )  # forked workers may write the same template: each its own file first
        except OSError:  # a read-only site folder: compiled in memory only
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


_SIGNATURE = 32  # bytes of HMAC-SHA256 in front of each compiled template


@functools.cache
def _flavour() -> str:
    """What else the compiled code depends on: Jinja's version and this module's settings."""
    return hashlib.sha256(jinja2.__version__.encode() + Path(__file__).read_bytes()).hexdigest()[
        :12
    ]


def make_environments(
    site_dir: Path,
    localizers: Mapping[str, Localizer],
    site_assets: frozenset[str] = frozenset(),
    on_disk: bool = True,
) -> dict[str, Environment]:
    """One environment per language, compiling each template once for all of them; with
    `on_disk` the compiled templates are kept in the site's cache folder for the next build.
    `site_assets`: the names of the site's assets/ files, as loading found them."""
    compiled = CompiledTemplates(site_dir / CACHE_DIR if on_disk else None)
    return {
        lang: make_environment(site_dir, localizer, compiled, site_assets)
        for lang, localizer in localizers.items()
    }


_DICT_NAMES = frozenset(dir(dict))  # all that getattr() finds on a plain dict


class _Environment(Environment):
    """Jinja's environment, with `a.b` on a plain dict (what every context is made of) found
    without a failed getattr() first: two hundred a page, a third of a page's lookups' time.
    Same values as Jinja's: a dict's methods still come before its keys."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class _Context(Context):
    """Jinja's context, calling the environment's own `_()` straight: a page calls it some
    thirty times, and Context.call's checks of what to pass cost as much as the lookup.
    The same call otherwise: `_()` takes the context, and only its eval_ctx, which a block's
    or loop's derived context shares."""

    def call(self, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        if function is self.environment.globals.get("_"):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            return function(self, *args, **kwargs)
        return super().call(function, *args, **kwargs)


def make_environment(
    site_dir: Path,
    localizer: Localizer,
    compiled: BytecodeCache | None = None,
    site_assets: frozenset[str] = frozenset(),
) -> Environment:
    env = _Environment(
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
        bytecode_cache=compiled,
    )
    env.context_class = _Context
    _install_gettext(env, localizer)
    env.filters["rel"] = _rel
    env.globals["qr_svg"] = _qr_svg
    env.globals["site_asset"] = _site_asset(site_assets)
    # base.html links it after the theme's
    env.globals["site_stylesheet"] = SITE_STYLESHEET in site_assets
    return env


def _install_gettext(env: Environment, localizer: Localizer) -> None:
    """Jinja's new-style gettext, each message looked up once per language.

    A page calls _() about twenty times, mostly with the same constant strings; Jinja's
    own callables look each one up again through the catalog's fallback chain, and pass
    through two context calls. Same results: a message is always a format string
    (`%(name)s`, `%%`), escaped where autoescaping is on.
    """
    translations = localizer.translations
    lookup = _memo(translations.gettext)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lookup,
        ngettext=_memo(translations.ngettext),
        pgettext=_memo(translations.pgettext),
        npgettext=_memo(translations.npgettext),
        newstyle=True,
    )
    formatted: dict[tuple[str, bool], str] = {}  # message without variables, autoescape -> text

    @pass_context
    def gettext(context: Context, message: str, /, **variables: Any) -> str:
        escape = context.eval_ctx.autoescape
        if not variables:
            found = formatted.get((message, escape))
            if found is None:
                found = formatted[(message, escape)] = (
                    Markup(lookup(message)) if escape else lookup(message)
                ) % {}
            return found
        return (Markup(lookup(message)) if escape else lookup(message)) % variables  # type: ignore[no-any-return]

    # `_` is an alias of `gettext` (Jinja's resolves it by name on every call).
    env.globals["gettext"] = env.globals["_"] = gettext


def _memo(function: Callable[..., str]) -> Callable[..., str]:
    """A catalog lookup remembered (catalogs do not change while an environment lives)."""
    return functools.lru_cache(maxsize=None)(function)


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


class TemplateUse:
    """Which templates each rendering loads, and a digest of each one's source: an output's
    fingerprint holds the templates it was made with, not all of them, so an edit to one
    template renders again only the outputs that loaded it (its own, and those of every
    template that extends, includes or imports it).

    Jinja loads the templates an output extends, includes and imports while it renders, each
    through its environment's get_template (dynamic names too): that is where they are
    recorded. The same names load the same sources while the site's templates/ folder and the
    theme are unchanged, which the digests cover (a new override of a theme template changes
    the digest of its name).
    """

    def __init__(self, envs: Mapping[str, Environment]):
        self._loading: set[str] | None = None
        self._digests: dict[str, str] = {}
        self._env = next(iter(envs.values()), None)  # every language's loader is the same
        for env in envs.values():
            env.get_template = self._recorded(env.get_template)  # type: ignore[method-assign]

    def _recorded(self, load: Callable[..., Any]) -> Callable[..., Any]:
        def get_template(name: Any, *args: Any, **kwargs: Any) -> Any:
            if self._loading is not None:
                self._loading.add(name if isinstance(name, str) else name.name)
            return load(name, *args, **kwargs)

        return get_template

    def loaded_by(self, render: Callable[[], bytes]) -> tuple[bytes, tuple[str, ...]]:
        """What `render` returns, and the names of the templates it loaded, sorted."""
        outer, self._loading = self._loading, set()
        try:
            data = render()
            return data, tuple(sorted(self._loading))
        finally:
            self._loading = outer

    def digest(self, name: str) -> str:
        found = self._digests.get(name)
        if found is None:
            try:
                assert self._env is not None and self._env.loader is not None
                source = self._env.loader.get_source(self._env, name)[0]
            except (TemplateNotFound, OSError, UnicodeDecodeError):
                source = "\0missing"
            found = self._digests[name] = hashlib.blake2b(
                source.encode("utf-8", "surrogatepass"), digest_size=16
            ).hexdigest()
        return found
