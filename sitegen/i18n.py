"""UI translations (gettext catalogs compiled at build time) and Babel formatting per language."""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from .config import Config, Term, babel_locale
from .errors import Diagnostic, error

PACKAGE_LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"

# Right-to-left languages that CLDR (Babel's data) has no locale for, so no direction either:
# Dari is what many newcomers from Afghanistan read (see the content format's language codes).
RTL_WITHOUT_LOCALE_DATA = frozenset({"prs", "pbt", "pes", "ary", "arz", "apc", "acm", "aeb", "arq"})


def N_(message: str) -> str:  # noqa: N802 - a marker for pybabel extract (see babel.cfg)
    return message


def NC_(context: str, message: str) -> str:  # noqa: N802 - a marker for pybabel extract (see babel.cfg)
    return message


# Names of the built-in kinds; the catalogs translate them (see config.BUILTIN_KINDS).
BUILTIN_KIND_NAMES = {
    "course": N_("Language courses"),
    "counselling": N_("Counselling"),
    "delegate": N_("Integration delegates"),
}


def compile_po(path: Path, rel: str, locale: str) -> tuple[Translations | None, list[Diagnostic]]:
    """Compile a .po file in memory: catalogs are kept as text in Git, never as .mo."""
    try:
        with path.open("rb") as fh:
            catalog = read_po(
                fh,
                locale=locale.replace("-", "_") if babel_locale(locale) else None,
                abort_invalid=True,
            )
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        return None, [
            error(
                rel,
                line,
                f"the translation catalog cannot be read: {exc}",
                "check the quotes and msgid/msgstr pairs, or run pybabel update",
            )
        ]
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN), []


@dataclass
class Localizer:
    """Everything language-specific a template needs: gettext, Babel formats, names."""

    lang: str
    locale: Locale
    translations: NullTranslations
    config: Config
    # message -> translation: a page asks for the same few dozen, each through the fallback chain.
    _messages: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def direction(self) -> str:
        own = babel_locale(self.lang)
        if own is None:
            return "rtl" if self.lang.split("-")[0].lower() in RTL_WITHOUT_LOCALE_DATA else "ltr"
        return own.text_direction

    def gettext(self, message: str) -> str:
        found = self._messages.get(message)
        if found is None:
            found = self._messages[message] = self.translations.gettext(message)
        return found

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def date(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def price(self, chf: float) -> str:
        if chf == 0:
            return self.gettext("Free of charge")
        return format_currency(
            chf,
            "CHF",
            locale=self.locale,
            format_type="standard",
            currency_digits=not float(chf).is_integer(),
        )

    def language_name(
        self, code: str, in_own_language: bool = False, capitalize: bool = True
    ) -> str:
        """The language's name, as a label (capitalized) or for use inside a sentence."""
        return _language_name(code, self.locale, in_own_language, capitalize)

    def term(self, term: Term) -> str:
        if term.name:
            return self.config.text(term.name, self.lang)
        return self.gettext(BUILTIN_KIND_NAMES.get(term.id, term.id))


@functools.lru_cache(maxsize=1024)
def _language_name(code: str, locale: Locale, in_own_language: bool, capitalize: bool) -> str:
    # Asked for on every page (switcher, offer facts): Babel's lookups are slow enough to cache.
    own = babel_locale(code)
    if own is None:
        return code
    name = own.get_display_name(own if in_own_language else locale) or code
    return name[:1].upper() + name[1:] if capitalize else name


def load_localizers(
    site_dir: Path, config: Config
) -> tuple[dict[str, Localizer], list[Diagnostic]]:
    """One Localizer per site language; a site's own locales/ add to or override the package's."""
    diags: list[Diagnostic] = []
    files: dict[str, list[tuple[Path, str]]] = {}
    for lang in config.languages:
        for base, rel_base in ((site_dir / "locales", "locales"), (PACKAGE_LOCALES, None)):
            path = base / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                files.setdefault(lang, []).append(
                    (path, f"{rel_base}/{lang}/LC_MESSAGES/{DOMAIN}.po" if rel_base else str(path))
                )

    def chain(lang: str) -> NullTranslations:
        # A catalog may be partial: a missing string comes from the next catalog of the
        # language's fallback chain (site.yaml 'fallbacks', then the default language), and
        # only past them all shows its English msgid. Each chain gets its own compiled
        # catalogs: add_fallback links objects, and one object in two chains would join them.
        found: NullTranslations | None = None
        for code in [lang, *config.fallbacks(lang)]:
            for path, rel in files.get(code, []):
                translations, problems = compile_po(path, rel, code)
                if code == lang:
                    diags.extend(problems)
                if translations is None:
                    continue
                if found is None:
                    found = translations
                else:
                    found.add_fallback(translations)
        return found or NullTranslations()

    catalogs = {lang: chain(lang) for lang in config.languages}

    def formats(lang: str) -> Locale:
        # fr + CH -> fr_CH: Swiss prices (CHF 120.00), where Babel knows the combination. A
        # language Babel does not know formats like the first language of its chain it knows.
        for code in [lang, *config.fallbacks(lang)]:
            found = (
                config.territory and babel_locale(f"{code}_{config.territory}")
            ) or babel_locale(code)
            if found:
                return found
        return Locale("en")

    return {
        lang: Localizer(lang, formats(lang), catalogs[lang], config) for lang in config.languages
    }, diags


@dataclass(frozen=True)
class CatalogCoverage:
    """How much of the interface a language's catalogs translate (`sitegen status`)."""

    lang: str
    translated: int
    total: int
    has_catalog: bool


def catalog_coverage(site_dir: Path, config: Config) -> list[CatalogCoverage]:
    """Per language: interface strings translated by the site's or the package's catalog.

    The interface strings are those of the package's messages.pot.
    """
    with (PACKAGE_LOCALES / f"{DOMAIN}.pot").open("rb") as fh:
        wanted = {(m.context, m.id) for m in read_po(fh) if m.id}
    report = []
    for lang in config.languages:
        done: set[tuple[str | None, object]] = set()
        found = False
        for base in (site_dir / "locales", PACKAGE_LOCALES):
            path = base / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
            if not path.is_file():
                continue
            found = True
            try:
                with path.open("rb") as fh:
                    catalog = read_po(fh)
            except (PoFileError, UnicodeDecodeError, ValueError):
                continue  # the build reports the broken file with its line
            # A plural counts as translated only with every form (an empty one shows the English).
            done.update(
                (m.context, m.id)
                for m in catalog
                if m.id
                and m.string
                and all(m.string if isinstance(m.string, tuple) else [m.string])
            )
        report.append(CatalogCoverage(lang, len(wanted & done), len(wanted), found))
    return report
