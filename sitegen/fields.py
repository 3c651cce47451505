"""The fields editors write (site.yaml, front matter, offers): checked alike by config and
validation (types, unknown keys, multilingual texts, slugs and ids), and read (`localize`,
`slugify`)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import Diagnostic, error, warning
from .yamlload import key_line

# A plain string in a text field means "the same in every language"; it is kept under this key.
ALL_LANGUAGES = ""

LocalText = Mapping[str, str]

SLUG_RE = re.compile(r"[^\W_A-Z]+(?:-[^\W_A-Z]+)*")
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LANG_CODE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_NON_WORD = re.compile(r"[\W_]+")  # "_" too: "a_-b" must give one hyphen, as slugs allow
# A slug or id becomes a folder name: file systems stop at 255 bytes (OSError 'File name too
# long'), and a page address should stay readable. 80 characters; and since letters of some
# scripts take 4 bytes in UTF-8, at most 240 bytes.
MAX_URL_WORD = 80
MAX_URL_WORD_BYTES = 240


def too_long(word: str, what: str) -> str:
    """The message for a slug or id too long to be a folder name, or ''."""
    if len(word) > MAX_URL_WORD:
        return (
            f"{what} '{word[:30]}...' is {len(word)} characters long; at most {MAX_URL_WORD} "
            "are allowed (it becomes a folder name)"
        )
    if len(word.encode()) > MAX_URL_WORD_BYTES:
        return (
            f"{what} '{word[:20]}...' is too long for a folder name: {len(word.encode())} bytes in "
            f"UTF-8, at most {MAX_URL_WORD_BYTES}"
        )
    return ""


def is_slug(text: str) -> bool:
    """A URL word as editors may write it.

    Lowercase letters of any script, digits, single hyphens.
    """
    # SLUG_RE alone lets non-ASCII capitals through ('É' is a word character outside A-Z).
    return SLUG_RE.fullmatch(text) is not None and text == text.lower()


def odd_character(text: str) -> str:
    """Name the first character an editor cannot see or tell apart, or ''.

    E.g. U+2011 from Word, a zero-width space.
    """
    for char in text:
        if not char.isascii() and (
            unicodedata.category(char)[0] in "CZP" or unicodedata.category(char) == "Sk"
        ):
            return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"
    return ""


def slugify(text: str) -> str:
    """A URL word: accents dropped, lowercase, hyphens; letters of other scripts are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # ß after lower(): the capital ẞ lowers to ß, and a slug must not change when slugified again.
    lowered = unicodedata.normalize("NFC", stripped).lower().replace("ß", "ss")
    return _NON_WORD.sub("-", lowered).strip("-")


def did_you_mean(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def unknown_keys(
    mapping: Mapping[str, Any], known: Iterable[str], path: str, where: str
) -> list[Diagnostic]:
    """Warn about keys nobody reads: usually a typo that would otherwise silently do nothing."""
    known = list(known)
    out = []
    for key in mapping:
        if key not in known:
            hint = did_you_mean(str(key), known) or f"known keys: {', '.join(known)}"
            out.append(
                warning(
                    path, key_line(mapping, key), f"unknown key '{key}' in {where}, ignored", hint
                )
            )
    return out


def type_name(value: Any) -> str:
    """What a value is, in an editor's words (bool before int: True is an int to Python)."""
    names: dict[type, str] = {
        bool: "true/false",
        str: "a text",
        int: "a number",
        float: "a number",
        dt.datetime: "a date and time",
        dt.date: "a date",
        list: "a list",
        dict: "a map",
        type(None): "empty",
    }
    for typ, name in names.items():
        if isinstance(value, typ):
            return name
    return type(value).__name__


def text_field(
    value: Any, path: str, line: int, field: str, languages: Iterable[str]
) -> tuple[LocalText | None, list[Diagnostic]]:
    """Read a text field: a plain string, or a map from language code to string."""
    languages = list(languages)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return {ALL_LANGUAGES: str(value)}, []
    if isinstance(value, Mapping):
        out: dict[str, str] = {}
        problems = []
        for lang, text in value.items():
            lang_line = key_line(value, lang, line)
            # With no valid language list (site.yaml broken), only the code's shape is checked:
            # one mistake in 'languages' must not turn every text of the site into an error.
            if (
                (lang not in languages)
                if languages
                else not (isinstance(lang, str) and LANG_CODE_RE.fullmatch(lang))
            ):
                hint = (
                    did_you_mean(str(lang), languages)
                    or f"the site's languages are {', '.join(languages)} (site.yaml)"
                )
                problems.append(
                    error(
                        path, lang_line, f"'{field}' has text for unknown language '{lang}'", hint
                    )
                )
            elif not isinstance(text, (str, int, float)) or isinstance(text, bool):
                problems.append(
                    error(
                        path,
                        lang_line,
                        f"'{field}.{lang}' must be a text, not {type_name(text)}",
                        "write the text after the colon, in quotes if it contains ':'",
                    )
                )
            else:
                out[str(lang)] = str(text)
        return (out if not problems else None), problems
    return None, [
        error(
            path,
            line,
            f"'{field}' must be a text or a map of languages, not {type_name(value)}",
            f'write {field}: "..." or {field}: {{fr: "...", de: "..."}}',
        )
    ]


def localize(text: LocalText | None, lang: str, fallbacks: Iterable[str]) -> tuple[str, str | None]:
    """The text in `lang`, else in the first fallback language that has it.

    Returns (text, language of the text), the language being None when the text is the
    same in every language (no `lang` attribute needed).
    """
    if not text:
        return "", None
    if ALL_LANGUAGES in text:
        return text[ALL_LANGUAGES], None
    if lang in text:
        return text[lang], lang
    for other in fallbacks:
        if other in text:
            return text[other], other
    first = sorted(text)[0]
    return text[first], first
