"""Text rules shared by the index (Python) and the query side (sitegen/static/search/text.js).

Issue 3 asks both sides to normalise, tokenise and stem identically. The character
tables below are written a second time in search.js (tests/test_search_parity.py runs
one table of cases through both); the per-language rules (stemmer suffixes, stop words,
compound linkers) are written only here and shipped to the browser inside each index,
so they cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

# Combining marks folded away after NFKD: Latin/Greek/Cyrillic diacritics, Hebrew points,
# Arabic harakat, plus variation selectors, soft hyphen, tatweel and BOM. Indic and
# Tamil vowel signs are letters of their words, so they stay.
_STRIP_RANGES = (
    "\u00ad\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\ufeff"
)
_STRIP = re.compile(f"[{_STRIP_RANGES}]")

# Letters that neither NFKD nor lower() fold, as users of other keyboards type them.
FOLD_MAP: dict[str, str] = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ł": "l",
    "ı": "i",
    "ς": "σ",
    "\u0671": "\u0627",  # alef wasla -> alef (hamza forms fold through NFKD + harakat)
    "\u0649": "\u064a",  # alef maksura -> yeh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06cc": "\u064a",  # Persian yeh -> Arabic yeh
    "\u06a9": "\u0643",  # keheh -> kaf
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
}
_FOLD = re.compile("[" + "".join(FOLD_MAP) + "]")

# Everything that separates words: ASCII and Latin-1 punctuation, general punctuation
# (ZWNJ included, so Persian half-spaces split like spaces), symbols, CJK/Arabic/Hebrew/
# Ethiopic/Indic punctuation; characters outside the BMP (emoji) are dropped too.
_SEPARATOR_RANGES = (
    "\u0000-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u037e\u0387"
    "\u055a-\u055f\u0589\u05be\u05c0\u05c3\u05c6\u05f3\u05f4\u060c\u061b\u061f\u066a-\u066d\u06d4"
    "\u0964\u0965\u104a\u104b\u1361-\u1368\u166d\u166e\u2000-\u206f\u20a0-\u20cf"
    "\u2100-\u214f\u2190-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe10-\ufe1f\ufe30-\ufe6f"
    "\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\ufff0-\uffff"
)
_SEP_CLASS = f"{_SEPARATOR_RANGES}\U00010000-\U0010ffff"
_SEPARATORS = re.compile(f"[{_SEP_CLASS}]+")

MAX_TOKEN = 40  # longer runs are addresses or noise, not words anyone types
# Runs of 2+ word characters; search.js splits on separators and filters by length, which
# gives the same tokens (the parity test checks): findall is faster in Python.
_RUNS = re.compile(f"[^{_SEP_CLASS}]{{2,}}")
# In ASCII text only letters and digits are not separators, and normalised French, German
# or English is mostly ASCII: there, bytes.translate turns every separator into a space for
# str.split, in half the time of the regex above (same tokens: the parity test checks).
_ASCII_SPACES = bytes(c if chr(c).isascii() and chr(c).isalnum() else 0x20 for c in range(256))
_DIGIT = re.compile("[0-9]")


def normalize(text: str) -> str:
    """Fold case, accents and letter variants the same way search.js does."""
    # ASCII is left as it is by NFKD, the folds and NFC (str.isascii() costs nothing).
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text).lower()
    if text.isascii():
        return text
    text = _STRIP.sub("", _FOLD.sub(_fold, text))
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _fold(match: re.Match[str]) -> str:
    return FOLD_MAP[match.group()]


def tokenize(text: str) -> list[str]:
    """Split normalised text into words of 2 to MAX_TOKEN characters."""
    if text.isascii():
        return [
            t
            for t in text.encode("ascii").translate(_ASCII_SPACES).decode("ascii").split()
            if 1 < len(t) <= MAX_TOKEN
        ]
    tokens = _RUNS.findall(text)
    if tokens and max(map(len, tokens)) > MAX_TOKEN:
        tokens = [t for t in tokens if len(t) <= MAX_TOKEN]
    return tokens


# Light stemmers, as data: a list of steps, each a list of [suffix, replacement,
# shortest result]; the first rule of a step that fits applies; a step marked
# "repeat" runs until no rule fits. The German one follows CISTEM's stripping loop
# (Weissweiler & Fraser 2017), the French one Savoy's light stemmer, the English one
# an S-stemmer with -ing/-ed and undoubling. All are written on normalised text.
_UNDOUBLE = [[c + c, c, 3] for c in "bdfgklmnprtz"]
RULES: dict[str, dict[str, object]] = {
    "fr": {
        "stem": [
            {"rules": [["eaux", "eau", 4], ["aux", "al", 3], ["s", "", 3], ["x", "", 4]]},
            {
                "rules": [
                    ["issement", "ir", 4],
                    ["ement", "", 4],
                    ["euse", "eu", 3],
                    ["ienne", "ien", 3],
                    ["trice", "teur", 3],
                    ["ive", "if", 3],
                    ["ere", "er", 3],
                    ["ee", "e", 3],
                ]
            },
            {"rules": [["e", "", 3]]},
            {"rules": [["s", "", 4]]},
        ],
        "stop": (
            "au aux avec ce ces dans de des du elle en est et il ils la le les leur lui ma mais me "
            "mes ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes ton "
            "tu un une vos votre vous je"
        ).split(),
    },
    "de": {
        "stem": [
            {"rules": [["innen", "in", 4]]},
            {
                "rules": [
                    ["em", "", 4],
                    ["er", "", 4],
                    ["nd", "", 4],
                    ["t", "", 4],
                    ["e", "", 4],
                    ["s", "", 4],
                    ["n", "", 4],
                ],
                "repeat": True,
            },
        ],
        "stop": (
            "am an auf aus bei das dass dem den der des die du ein eine einem einen einer eines er "
            "es fur ich ihr im in ist mit nach oder sie sich sind und vom von zu zum zur wir"
        ).split(),
        "compound": ["", "s", "es", "n", "en"],
    },
    "en": {
        "stem": [
            {
                "rules": [
                    ["sses", "ss", 3],
                    ["ies", "y", 3],
                    ["ss", "ss", 2],
                    ["us", "us", 2],
                    ["is", "is", 2],
                    ["s", "", 3],
                ]
            },
            {"rules": [["ing", "", 3], ["ed", "", 3]]},
            {"rules": _UNDOUBLE},
        ],
        "stop": (
            "an and are as at be by for from has have in is it its of on or that the this to was "
            "were will with you your"
        ).split(),
    },
}


# The rules as tuples, checked once: stem() runs for every distinct word of a site.
_STEPS: dict[str, list[tuple[tuple[tuple[str, str, int], ...], bool]]] = {
    lang: [
        (tuple((str(a), str(b), int(c)) for a, b, c in step["rules"]), bool(step.get("repeat")))  # type: ignore[index,union-attr]
        for step in rules["stem"]
    ]  # type: ignore[union-attr]
    for lang, rules in RULES.items()
}


@lru_cache(maxsize=1 << 17)  # compound splitting stems every tail of every long word
def stem(word: str, lang: str) -> str:
    """Strip inflection endings from one normalised word; words with digits stay whole."""
    steps = _STEPS.get(lang)
    if not steps or _DIGIT.search(word):
        return word
    for rules, repeat in steps:
        while True:
            for suffix, replacement, shortest in rules:
                if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= shortest:
                    result = word[: len(word) - len(suffix)] + replacement
                    break
            else:
                break
            if result == word:
                break
            word = result
            if not repeat:
                break
    return word


def stems_are_prefixes(lang: str) -> bool:
    """Whether every stem of `lang` is a prefix of its word (no rule adds letters)."""
    return all(
        suffix.startswith(replacement)
        for rules, _ in _STEPS.get(lang, ())
        for suffix, replacement, _ in rules
    )


def stop_words(lang: str) -> frozenset[str]:
    return frozenset(RULES.get(lang, {}).get("stop", ()))  # type: ignore[arg-type]


def words(text: str, lang: str) -> list[str]:
    """Normalise, tokenise and drop stop words: the words a text is searched by."""
    stops = stop_words(lang)
    return [t for t in tokenize(normalize(text)) if t not in stops]


# Compound members known even when a site never writes them alone ("Kinderbetreuung" is
# found by "Betreuung"); the index adds the site's own words. Only the index side needs
# them: the engine splits query words against the index's vocabulary.
COMPOUND_PARTS: dict[str, tuple[str, ...]] = {
    "de": tuple(
        "amt angebot anmeldung arbeit arzt ausbildung ausweis auskunft begleitung beratung "
        "betreuung bewilligung bildung buro dienst eltern familie ferien frau gemeinde geld "
        "gesundheit gruppe haus hilfe integration jugend kasse kind kinder kosten kurs lehre lohn "
        "miete mutter nachzug niveau pass platz prufung recht schule schutz sprache stelle steuer "
        "stunde termin test treff unterricht verein versicherung vertrag wohnung zentrum "
        "zeit zentrale".split()
    ),
}

MIN_PART = 3  # shortest compound member: "Amt", "Ehe"
MIN_COMPOUND = 7


def split_compound(word: str, lang: str, known: Callable[[str], bool]) -> list[str] | None:
    """Split a German compound into stems that `known` accepts ("deutschkurs" -> deutsch, kurs).

    Prefers the split with the fewest parts, then the longest first part, like
    search.js's splitCompound. Returns None when no split exists.
    """
    linkers = RULES.get(lang, {}).get("compound")
    if not linkers or len(word) < MIN_COMPOUND or _DIGIT.search(word):
        return None
    return _split(word, lang, known, linkers, 3)  # type: ignore[arg-type]


def _split(
    word: str, lang: str, known: Callable[[str], bool], linkers: list[str], depth: int
) -> list[str] | None:
    best: list[str] | None = None
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        tail_stem = stem(tail, lang)
        rest: list[str] | None = [tail_stem] if known(tail_stem) else None
        if rest is None and depth > 1 and len(tail) >= MIN_COMPOUND:
            rest = _split(tail, lang, known, linkers, depth - 1)
        if rest is None:
            continue
        for link in linkers:
            if link and not head.endswith(link):
                continue
            left = head[: len(head) - len(link)] if link else head
            if len(left) < MIN_PART:
                continue
            left_stem = stem(left, lang)
            if known(left_stem):
                candidate = [left_stem, *rest]
                if best is None or len(candidate) < len(best):
                    best = candidate
                break
        if best is not None and len(best) == 2:
            return best
    return best


def utf16_sort_key(term: str) -> bytes:
    """Order terms as JavaScript compares strings (UTF-16 code units)."""
    return term.encode("utf-16-be")


def distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
