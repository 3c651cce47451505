"""site.yaml -> a frozen Config; every problem reported at once, with its line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from . import yamlload
from .errors import Diagnostic, error, warning
from .fields import (
    ALL_LANGUAGES,
    ID_RE,
    LANG_CODE_RE,
    SLUG_RE,
    LocalText,
    did_you_mean,
    is_slug,
    localize,
    slugify,
    text_field,
    too_long,
    type_name,
    unknown_keys,
)
from .textfiles import read_text
from .yamlload import key_line

CONFIG_FILE = "site.yaml"


@dataclass(frozen=True)
class Term:
    """A region, a kind of offer or an audience: a stable id and its names per language."""

    id: str
    name: LocalText  # empty for built-in kinds: their names come from the UI catalogs
    slug: LocalText = field(default_factory=dict)  # per-language URL word; default from the name


@dataclass(frozen=True)
class Config:
    title: LocalText
    base_url: str  # always ends with "/"; may carry a path prefix
    default_language: str
    languages: tuple[str, ...]  # order = order in the language switcher
    regions: tuple[Term, ...]
    kinds: tuple[Term, ...]
    audiences: tuple[Term, ...] = ()
    tagline: LocalText = field(
        default_factory=dict
    )  # one sentence under the title; meta description
    footer: LocalText = field(default_factory=dict)  # a note in every page's footer
    per_page: int = 30  # offers per listing page: keeps every page small as the site grows
    # the Markdown dialect: commonmark (fast, default) or python-markdown
    markdown: str = "commonmark"
    # ISO 3166 country whose conventions dates, numbers and prices follow (CH: CHF 120.00)
    territory: str = ""
    url_words: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict
    )  # site.yaml's url_words: lang -> name -> word
    # lang -> the languages to borrow from first (ti: [en, fr]): a reader of Tigrinya is likelier
    # to read English than the default language. The rest of the site's languages follow.
    fallback_chains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # lang -> fallbacks(lang), worked out once: every text of every page asks (800,000 times
    # for 5,000 offers). Not an init field, so dataclasses.replace() starts a new one.
    _fallbacks: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def fallbacks(self, lang: str) -> list[str]:
        """Languages to borrow text from when `lang` lacks it.

        Its chain in site.yaml, then the default, then site order.
        """
        chain = self._fallbacks.get(lang)
        if chain is None:
            order = [*self.fallback_chains.get(lang, ()), self.default_language, *self.languages]
            chain = self._fallbacks[lang] = tuple(
                code for code in dict.fromkeys(order) if code != lang
            )
        return list(chain)

    def text(self, value: LocalText | None, lang: str) -> str:
        if (
            value and lang in value and ALL_LANGUAGES not in value
        ):  # the common case, without the fallback chain
            return value[lang]
        return localize(value, lang, self.fallbacks(lang))[0]

    def words(self, lang: str) -> dict[str, str]:
        """The folder words of `lang`'s generated pages.

        site.yaml's, else the built-in table's, else English.

        Never from the interface catalogs: adding a catalog must not move a language's
        addresses (issue 17 item 9), so a word changes only when site.yaml says so.
        """
        builtin = BUILTIN_URL_WORDS.get(lang) or BUILTIN_URL_WORDS.get(lang.split("-")[0], {})
        own = self.url_words.get(lang, {})
        return {name: own.get(name) or builtin.get(name) or name for name in URL_WORD_NAMES}

    def builtin_kind_slug(self, lang: str, kind_id: str) -> str:
        """The address word of a built-in kind that site.yaml gives no name.

        See BUILTIN_KIND_SLUGS.
        """
        table = (
            BUILTIN_KIND_SLUGS.get(lang)
            or BUILTIN_KIND_SLUGS.get(lang.split("-")[0])
            or BUILTIN_KIND_SLUGS["en"]
        )
        return table.get(kind_id, "")


# The kinds CONTENT-FORMAT.md promises without configuration; site.yaml may rename them.
BUILTIN_KINDS = ("course", "counselling", "delegate")
# Their address words when site.yaml names them not: fixed like BUILTIN_URL_WORDS, never the
# catalog's name, so that a new catalog moves no address; other languages use the English ones.
BUILTIN_KIND_SLUGS = {
    "fr": {
        "course": "cours-de-langue",
        "counselling": "conseil-et-orientation",
        "delegate": "delegues-a-l-integration",
    },
    "de": {
        "course": "sprachkurse",
        "counselling": "beratung",
        "delegate": "integrationsdelegierte",
    },
    "en": {
        "course": "language-courses",
        "counselling": "counselling",
        "delegate": "integration-delegates",
    },
}

# Generated folders (/fr/offres/type/...), by their English name; URL_WORD_NAMES are also the
# English words.
URL_WORD_NAMES = (
    "offers",
    "kind",
    "region",
    "page",
    "search",
    "easy",
    "find",
    "morning",
    "afternoon",
    "evening",
    "free",
    "childcare",
)
BUILTIN_URL_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "offers": "offres",
        "kind": "type",
        "region": "region",
        "page": "page",
        "search": "recherche",
        "easy": "facile",
        "find": "trouver",
        "morning": "matin",
        "afternoon": "apres-midi",
        "evening": "soir",
        "free": "gratuit",
        "childcare": "garde-enfants",
    },
    "de": {
        "offers": "angebote",
        "kind": "art",
        "region": "region",
        "page": "seite",
        "search": "suche",
        "easy": "leicht",
        "find": "finden",
        "morning": "morgen",
        "afternoon": "nachmittag",
        "evening": "abend",
        "free": "gratis",
        "childcare": "kinderbetreuung",
    },
    "en": {},
}

KNOWN_KEYS = (
    "title",
    "tagline",
    "base_url",
    "default_language",
    "languages",
    "regions",
    "kinds",
    "audiences",
    "footer",
    "per_page",
    "markdown",
    "territory",
    "url_words",
    "fallbacks",
)
MARKDOWN_ENGINES = ("commonmark", "python-markdown")
TERM_KEYS = ("id", "name", "slug")


def babel_locale(code: str) -> Locale | None:
    """Babel's locale data for a language code, or None where Babel has none (e.g. 'prs')."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def is_language_code(code: object) -> bool:
    return isinstance(code, str) and LANG_CODE_RE.fullmatch(code) is not None


def load_config(site_dir: Path) -> tuple[Config | None, list[Diagnostic]]:
    path = site_dir / CONFIG_FILE
    if not path.is_file():
        return None, [
            error(
                CONFIG_FILE,
                0,
                "site.yaml is missing",
                "create site.yaml at the site's root; see docs/content-format.md",
            )
        ]
    text, diags = read_text(site_dir, path, CONFIG_FILE)
    if text is None:
        return None, diags
    data, problems = yamlload.load(text)
    diags = [error(CONFIG_FILE, p.line, p.message, p.hint) for p in problems]
    if data is None and diags:
        return None, diags
    if not isinstance(data, dict):
        return None, [
            *diags,
            error(
                CONFIG_FILE,
                1,
                "site.yaml must be a map of settings",
                "start with 'title: ...' on the first line",
            ),
        ]
    # A duplicate key still leaves a readable map: check the rest too, all errors in one run.
    config, more = parse_config(data, CONFIG_FILE)
    diags += more
    return (None if any(d.is_error for d in diags) else config), diags


def parse_config(data: dict[str, Any], path: str) -> tuple[Config | None, list[Diagnostic]]:
    diags = unknown_keys(data, KNOWN_KEYS, path, "site.yaml")
    line = lambda key: key_line(data, key, 1)  # noqa: E731

    languages_value = data.get("languages")
    languages: list[str] = []
    if not isinstance(languages_value, list) or not languages_value:
        diags.append(
            error(
                path,
                line("languages"),
                "'languages' must be a non-empty list of language codes",
                "write languages: [fr, de, en]",
            )
        )
    else:
        for code, code_line in zip(
            languages_value, yamlload.item_lines(languages_value), strict=True
        ):
            if not is_language_code(code):
                diags.append(
                    error(
                        path,
                        code_line,
                        f"'{code}' is not a language code",
                        "use an ISO 639 code such as fr, de, en, pt, ar, ti",
                    )
                )
            elif code in languages:
                diags.append(
                    error(
                        path,
                        code_line,
                        f"language '{code}' is listed twice",
                        "remove the second one",
                    )
                )
            else:
                languages.append(code)
                if babel_locale(code) is None:
                    diags.append(
                        warning(
                            path,
                            code_line,
                            f"no locale data for '{code}': its dates and numbers use the format "
                            "of its first fallback language",
                            "check the code; a close variant such as fa for prs also works",
                        )
                    )

    default = data.get("default_language", languages[0] if languages else None)
    if languages and default not in languages:
        hint = did_you_mean(str(default), languages) or f"use one of {', '.join(languages)}"
        diags.append(
            error(
                path,
                line("default_language"),
                f"default_language '{default}' is not in 'languages'",
                hint,
            )
        )

    base_url = data.get("base_url", "/")
    if not isinstance(base_url, str) or not (base_url.startswith(("http://", "https://", "/"))):
        diags.append(
            error(
                path,
                line("base_url"),
                f"base_url '{base_url}' is not a web address",
                'write base_url: "https://www.example.ch/"',
            )
        )
        base_url = "/"
    if not base_url.endswith("/"):
        base_url += "/"

    texts: dict[str, LocalText] = {}
    for key in ("title", "tagline", "footer"):
        if key in data:
            value, problems = text_field(data[key], path, line(key), key, languages)
            diags.extend(problems)
            texts[key] = value or {}
    if "title" not in data:
        diags.append(
            error(path, 1, "site.yaml has no 'title'", 'add title: {fr: "...", de: "..."}')
        )

    per_page = data.get("per_page", 30)
    if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
        diags.append(
            error(
                path,
                line("per_page"),
                f"'per_page' must be a whole number above 0, not {per_page!r}",
                "write per_page: 30",
            )
        )
        per_page = 30

    territory = data.get("territory", "")
    if not isinstance(territory, str) or not (
        territory == "" or (len(territory) == 2 and territory.isalpha() and territory.isupper())
    ):
        diags.append(
            error(
                path,
                line("territory"),
                f"'territory' must be a two-letter country code, not {territory!r}",
                "write territory: CH",
            )
        )
        territory = ""

    engine = data.get("markdown", "commonmark")
    if engine not in MARKDOWN_ENGINES:
        diags.append(
            error(
                path,
                line("markdown"),
                f"unknown Markdown dialect {engine!r}",
                f"write markdown: {' or markdown: '.join(MARKDOWN_ENGINES)}",
            )
        )
        engine = "commonmark"

    url_words, problems = _parse_url_words(
        data.get("url_words", {}), path, line("url_words"), languages
    )
    diags.extend(problems)
    chains, problems = _parse_fallbacks(
        data.get("fallbacks", {}), path, line("fallbacks"), languages
    )
    diags.extend(problems)

    terms = {}
    for key in ("regions", "kinds", "audiences"):
        parsed, problems = _parse_terms(data.get(key, []), key, path, line(key), languages)
        terms[key] = parsed
        diags.extend(problems)
    if "regions" not in data:
        diags.append(
            error(
                path,
                1,
                "site.yaml has no 'regions'",
                "list the regions offers belong to; see docs/content-format.md",
            )
        )
    kinds = list(terms["kinds"])
    given = {kind.id for kind in kinds}
    kinds += [Term(kind_id, {}) for kind_id in BUILTIN_KINDS if kind_id not in given]

    if any(d.is_error for d in diags):
        return None, diags
    return (
        Config(
            title=texts.get("title", {}),
            tagline=texts.get("tagline", {}),
            footer=texts.get("footer", {}),
            base_url=base_url,
            default_language=str(default),
            languages=tuple(languages),
            regions=tuple(terms["regions"]),
            kinds=tuple(kinds),
            audiences=tuple(terms["audiences"]),
            per_page=per_page,
            markdown=str(engine),
            territory=territory,
            url_words=url_words,
            fallback_chains=chains,
        ),
        diags,
    )


def _parse_terms(
    value: Any, key: str, path: str, line: int, languages: list[str]
) -> tuple[list[Term], list[Diagnostic]]:
    if not isinstance(value, list):
        return [], [
            error(
                path,
                line,
                f"'{key}' must be a list, not {type_name(value)}",
                f"write each entry as '- id: ...' under {key}:",
            )
        ]
    terms: list[Term] = []
    diags: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for item, item_line in zip(value, yamlload.item_lines(value, line), strict=True):
        if not isinstance(item, dict):
            diags.append(
                error(
                    path,
                    item_line,
                    f"each entry of '{key}' must be a map with 'id' and 'name'",
                    "write '- id: my-id', then 'name: ...' below it",
                )
            )
            continue
        diags.extend(unknown_keys(item, TERM_KEYS, path, f"an entry of '{key}'"))
        term_id = item.get("id")
        if not isinstance(term_id, str) or not ID_RE.fullmatch(term_id):
            example = {"regions": "valais-central", "kinds": "course", "audiences": "parents"}.get(
                key, "my-id"
            )
            diags.append(
                error(
                    path,
                    key_line(item, "id", item_line),
                    f"'{key}' id {term_id!r} must use only a-z, 0-9 and hyphens",
                    f"write id: {example}",
                )
            )
            continue
        if term_id in seen:
            diags.append(
                error(
                    path,
                    key_line(item, "id", item_line),
                    f"'{key}' id '{term_id}' is used twice (first on line {seen[term_id]})",
                    "give each entry its own id",
                )
            )
            continue
        seen[term_id] = key_line(item, "id", item_line)
        name: LocalText = {}
        if "name" in item:
            parsed, problems = text_field(
                item["name"], path, key_line(item, "name"), "name", languages
            )
            diags.extend(problems)
            name = parsed or {}
        elif key != "kinds":
            diags.append(
                error(
                    path,
                    item_line,
                    f"'{key}' entry '{term_id}' has no name",
                    'add name: {fr: "...", de: "..."}',
                )
            )
        slug: LocalText = {}
        if "slug" in item:
            parsed, problems = text_field(
                item["slug"], path, key_line(item, "slug"), "slug", languages
            )
            diags.extend(problems)
            for text in (parsed or {}).values():
                if not SLUG_RE.fullmatch(text):
                    diags.append(
                        error(
                            path,
                            key_line(item, "slug"),
                            f"slug '{text}' must be lowercase words joined by hyphens",
                            "write slug: cours-de-langue",
                        )
                    )
            slug = parsed or {}
        # Each slug, given or made from the name, becomes a folder name (issue 17: OSError 'File
        # name too long').
        for lang, text in {
            **{k: slugify(v) for k, v in name.items() if k not in slug and "" not in slug},
            **slug,
        }.items():
            given = lang in slug
            if problem := too_long(
                text, "slug" if given else "the address word made from the name"
            ):
                fix = (
                    "write a shorter slug"
                    if given
                    else (
                        f"add slug: {{{lang}: a-short-word}}" if lang else "add slug: a-short-word"
                    )
                )
                diags.append(
                    error(
                        path, key_line(item, "slug" if given else "name", item_line), problem, fix
                    )
                )
        terms.append(Term(term_id, name, slug))
    return terms, diags


def _per_language(
    value: dict[Any, Any],
    key: str,
    path: str,
    line: int,
    languages: list[str],
    diags: list[Diagnostic],
) -> Iterator[tuple[str, Any, int]]:
    """The entries of a map keyed by language (url_words, fallbacks), with their lines; a
    language the site does not have is reported in `diags` and skipped."""
    for lang, item in value.items():
        where = key_line(value, lang, line)
        if lang not in languages:
            hint = did_you_mean(str(lang), languages) or f"use one of {', '.join(languages)}"
            diags.append(
                error(
                    path,
                    where,
                    f"{key} names the language '{lang}', which is not in 'languages'",
                    hint,
                )
            )
            continue
        yield lang, item, where


def _parse_url_words(
    value: Any, path: str, line: int, languages: list[str]
) -> tuple[dict[str, dict[str, str]], list[Diagnostic]]:
    """url_words: {pt: {offers: ofertas, search: pesquisa}}.

    The folder words of a language's addresses.
    """
    example = (
        "write url_words: {pt: {offers: ofertas, kind: tipo, region: regiao, page: pagina, "
        "search: pesquisa}}"
    )
    if not isinstance(value, dict):
        return {}, [
            error(
                path,
                line,
                f"'url_words' must be a map of languages, not {type_name(value)}",
                example,
            )
        ]
    words: dict[str, dict[str, str]] = {}
    diags: list[Diagnostic] = []
    for lang, names, lang_line in _per_language(value, "url_words", path, line, languages, diags):
        if not isinstance(names, dict):
            diags.append(
                error(
                    path,
                    lang_line,
                    f"url_words of '{lang}' must be a map of words, not {type_name(names)}",
                    example,
                )
            )
            continue
        diags.extend(unknown_keys(names, URL_WORD_NAMES, path, f"url_words of '{lang}'"))
        words[lang] = {}
        for name, word in names.items():
            if name not in URL_WORD_NAMES:
                continue
            if not isinstance(word, str) or not is_slug(word):
                diags.append(
                    error(
                        path,
                        key_line(names, name, lang_line),
                        f"the URL word {word!r} for '{name}' must be lowercase words joined "
                        "by hyphens",
                        f"write {name}: {BUILTIN_URL_WORDS['fr'][name]}",
                    )
                )
                continue
            words[lang][name] = word
    return words, diags


def _parse_fallbacks(
    value: Any, path: str, line: int, languages: list[str]
) -> tuple[dict[str, tuple[str, ...]], list[Diagnostic]]:
    """fallbacks: {ti: [en, fr]}.

    Per language, where its missing text and UI strings come from first.
    """
    if not isinstance(value, dict):
        return {}, [
            error(
                path,
                line,
                "'fallbacks' must be a map from a language to a list of languages, not "
                f"{type_name(value)}",
                "write fallbacks: {ti: [en, fr]}",
            )
        ]
    chains: dict[str, tuple[str, ...]] = {}
    diags: list[Diagnostic] = []
    for lang, chain, where in _per_language(value, "fallbacks", path, line, languages, diags):
        items = chain if isinstance(chain, list) else [chain]
        good = []
        for code in items:
            if code not in languages or code == lang:
                hint = (
                    did_you_mean(str(code), [c for c in languages if c != lang])
                    or f"use languages of the site other than {lang}"
                )
                diags.append(
                    error(
                        path,
                        where,
                        f"the fallbacks of '{lang}' name '{code}', which is not another "
                        "language of the site",
                        hint,
                    )
                )
            else:
                good.append(code)
        chains[lang] = tuple(good)
    return chains, diags
