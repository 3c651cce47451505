"""How hard a page is to read: one well-known figure per language, for `sitegen check` (issue 12).

French: Kandel & Moles' adaptation of Flesch; German: Amstad's Flesch and the Wiener
Sachtextformel; English: Flesch reading ease. Other languages get no figure (no formula is
validated for them). textstat computes the formulas; its English syllable counter loads
NLTK's CMU dictionary, downloading it at run time where it is missing, which a build must
never do, so English syllables come from pyphen's hyphenation dictionary, as textstat does
for French and German.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import Diagnostic, warning

if TYPE_CHECKING:
    from .content import Contents
    from .model import Site

# Flesch-type scores run from 0 (very hard) to 100 (very easy); 70 and above reads easily
# (Flesch's "fairly easy"), below 50 is hard for many readers.
EASY, HARD = 70, 50
_BLOCK_END = re.compile(
    r"</(?:p|li|h[1-6]|td|th|dt|dd|blockquote|pre|figcaption)>|<br\s*/?>", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]+>")
_END = re.compile(r"[.!?:;…]$")
_FLESCH_NAMES = {"fr": "Kandel-Moles", "de": "Flesch-Amstad", "en": "Flesch reading ease"}


@dataclass(frozen=True)
class Reading:
    score: float  # Flesch-type, 0-100, higher is easier
    formula: str
    extra: str = ""  # a second figure where the language has one (Wiener Sachtextformel)

    @property
    def verdict(self) -> str:
        return "easy" if self.score >= EASY else "hard" if self.score < HARD else "standard"

    def describe(self) -> str:
        extra = f", {self.extra}" if self.extra else ""
        return f"{self.score:.0f} ({self.formula}{extra}): {self.verdict}"


def text_of(markup: str) -> str:
    """The prose of a page's HTML, each block (paragraph, list item, heading) one sentence:
    a heading or a list item without a full stop must not run into the next sentence."""
    sentences = []
    for block in _BLOCK_END.split(markup):
        text = " ".join(html.unescape(_TAG.sub(" ", block)).split())
        if text:
            sentences.append(text if _END.search(text) else text + ".")
    return " ".join(sentences)


def measure(markup: str, lang: str) -> Reading | None:
    """The page's figure, or None where there is no measure for the language."""
    root = lang.split("-")[0].lower()
    if root not in _FLESCH_NAMES:
        return None
    text = text_of(markup)
    if len(text.split()) < 10:  # a formula over a few words says nothing
        return None
    from textstat.backend import metrics

    if root == "en":
        score = (
            206.835
            - 1.015 * metrics.words_per_sentence(text)
            - 84.6 * _english_syllables_per_word(text)
        )
        return Reading(round(score, 1), _FLESCH_NAMES[root])
    score = metrics.flesch_reading_ease(text, root)
    extra = (
        f"Wiener Sachtextformel {metrics.wiener_sachtextformel(text, 1, root):.1f}"
        if root == "de"
        else ""
    )
    return Reading(round(score, 1), _FLESCH_NAMES[root], extra)


@functools.lru_cache(maxsize=1)
def _english_dictionary() -> object:
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def _english_syllables_per_word(text: str) -> float:
    from textstat.backend.selections import list_words

    words = list_words(text, lowercase=True)
    hyphenator = _english_dictionary()
    syllables = sum(len(hyphenator.positions(word)) + 1 for word in words)  # type: ignore[attr-defined]
    return syllables / len(words) if words else 0.0


@dataclass(frozen=True)
class PageReading:
    path: str  # the page's source, relative to the site folder
    lang: str
    reading: Reading | None  # None: no measure for this language (or too few words)

    def describe(self) -> str:
        return (
            f"{self.path}: "
            f"{self.reading.describe() if self.reading else 'no measure for this language'}"
        )


def page_readings(site: Site, contents: Contents) -> list[PageReading]:
    """A figure for every page written in its language (fallback copies are their original)."""
    return [
        PageReading(page.source.path, lang, measure(contents.pages[(lang, key)].html, lang))
        for (lang, key), page in sorted(site.pages.items(), key=lambda item: item[1].source.path)
        if not page.is_fallback
    ]


def hard_easy_versions(site: Site, readings: list[PageReading]) -> list[Diagnostic]:
    """An easy-to-read version that the formula finds hard: worth a second look."""
    easy_paths = {
        page.source.path for page in site.pages.values() if page.is_easy and not page.is_fallback
    }
    return [
        warning(
            r.path,
            0,
            f"this easy-to-read version scores {r.reading.describe()}",
            f"aim for {EASY} or more: short sentences, one idea per line, short common words",
        )
        for r in readings
        if r.path in easy_paths and r.reading is not None and r.reading.score < EASY
    ]
