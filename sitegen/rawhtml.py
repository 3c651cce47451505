"""What the sanitizer will do to an editor's HTML, said before it does it (issues 13 and 17).

nh3 (ammonia) removes what the allow-list does not name without telling anyone, and its
HTML parser (html5ever) slows down with the square of the nesting depth: 50,000 nested
quotes take it minutes. This module looks at the HTML first, cheaply:
- `nesting_depth` measures how deeply block elements nest in the engine's HTML; pages
  deeper than MAX_DEPTH are refused before the sanitizer sees them;
- `removed` lists every element and attribute of the editor's own raw HTML (the fragments
  the Markdown engine passed through) that the allow-list removes, with its line.
Both run only where they can find something: `has_raw_html` is one regex search over the
source, and a page without raw HTML is never scanned tag by tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate

# No real page nests lists, quotes or HTML blocks anywhere near this deep; html5ever's
# cost grows with depth squared, and at 100 levels it is still a few microseconds.
MAX_DEPTH = 100

# A tag the editor wrote: '<name' followed by a space, '/' or '>'; a closing tag; a comment.
# Autolinks (<https://...>, <a@b.ch>) and comparisons (a < b) do not match.
_RAW_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|/[A-Za-z]|!--)")
# Elements that never nest (void), close themselves (li, p, td: a 200-item list written
# without </li> is flat), or cost html5ever nothing when nested (phrasing elements).
_NOT_NESTING = ("area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr|li|p|dt|dd|tr|td|th|thead|tbody|tfoot|option|"
                "optgroup|colgroup|caption|rt|rp|a|abbr|b|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u")
_NESTING_TAG = re.compile(rf"<(/?)(?!(?:{_NOT_NESTING})[\s/>])[a-z]")  # on lowered text: twice as fast as IGNORECASE
_STEP = {"": 1, "/": -1}
# What the Markdown engines themselves nest (everything else needs raw HTML).
_ENGINE_NESTING = ("<blockquote", "<ul", "<ol", "<dl", "<table", "<div")

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


def has_raw_html(text: str) -> bool:
    """Whether Markdown source contains an HTML tag or comment (one fast regex search)."""
    return _RAW_TAG.search(text) is not None


def nesting_depth(markup: str) -> int:
    """How deeply block elements nest in an HTML fragment (stray closing tags do not count)."""
    steps = [_STEP[slash] for slash in _NESTING_TAG.findall(markup.lower())]
    depths = list(accumulate(steps))
    if depths and min(depths) < 0:
        # '</div>' x 1000 then '<div>' x 1000: the parser ignores stray closing tags, so must we.
        depths = list(accumulate(steps, lambda depth, step: max(0, depth + step)))
    return max(depths, default=0)


def may_be_too_deep(markup: str, raw_html: bool) -> bool:
    """A cheap necessary condition for nesting_depth(markup) > MAX_DEPTH (a few str.count calls)."""
    if markup.count("<") - markup.count("</") <= MAX_DEPTH:
        return False
    return raw_html or sum(markup.count(tag) for tag in _ENGINE_NESTING) > MAX_DEPTH


@dataclass(frozen=True)
class Removal:
    line: int  # 1-based, in the Markdown text
    written: str  # the tag as the editor wrote it (shortened)
    message: str
    hint: str


_ELEMENT_HINTS: dict[str, str] = {
    "script": "scripts cannot run on the portal: write the information as text, or link to the page that has it",
    "noscript": "scripts cannot run on the portal: write the information as text",
    "style": "the theme's styles apply to every page: use Markdown, or class= with one of the theme's classes",
    "iframe": "for a map, give the offer a 'geo' field or link to the map; for a video, link to it: [Watch the video](https://...)",
    "video": "link to the video instead: [Watch the video](https://...) or [the film](film.mp4)",
    "audio": "link to the recording instead: [Listen](message.mp3)",
    "svg": "put the picture in an image file and show it with ![what it shows](picture.png)",
    "form": "link to the form on the provider's website instead",
    "base": "remove it: a page cannot change its address, refresh itself or load other files",
}
for _names, _hint_of in ((("embed", "object", "source", "track", "picture"), "iframe"), (("math", "canvas"), "svg"),
                         (("input", "button", "select", "textarea", "label", "fieldset"), "form"), (("meta", "link"), "base")):
    for _name in _names:
        _ELEMENT_HINTS[_name] = _ELEMENT_HINTS[_hint_of]


def removed(fragments: Iterable[tuple[int, str]], tags: frozenset[str], attributes: Mapping[str, set[str] | frozenset[str]]) -> list[Removal]:
    """Every element and attribute of the editor's raw HTML that the allow-list removes.

    `fragments` are (line of the fragment's first character, raw HTML as written), in order.
    """
    out: list[Removal] = []
    everywhere = attributes.get("*", set())
    for first_line, fragment in fragments:
        if "<!--" in fragment:  # comments are removed on purpose; what is inside them is not shown
            fragment = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), fragment)
        for match in _TAG.finditer(fragment):
            line = first_line + fragment.count("\n", 0, match.start())
            name, written = match.group(1).lower(), _shorten(match.group())
            if name not in tags:
                hint = _ELEMENT_HINTS.get(name, "use Markdown, or one of the HTML elements listed in docs/security.md")
                out.append(Removal(line, written, f"the HTML element <{name}> is removed from the page", hint))
                continue
            allowed = everywhere | attributes.get(name, set())
            for attribute in _ATTRIBUTE.finditer(match.group(2)):
                key = attribute.group(1).lower()
                if key in allowed:
                    continue
                if key.startswith("on"):
                    hint = "scripts cannot run on the portal: remove the attribute"
                elif key == "style":
                    hint = "the theme's styles apply to every page: remove it, or use class= with one of the theme's classes"
                else:
                    hint = f"remove it: <{name}> keeps only {', '.join(sorted(allowed))}"
                out.append(Removal(line, written, f"the attribute '{key}' of <{name}> is removed from the page", hint))
    return out


def _shorten(tag: str) -> str:
    return tag if len(tag) <= 60 else tag[:57] + "..."
