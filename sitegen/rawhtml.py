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
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import accumulate

# No real page nests lists, quotes or HTML blocks anywhere near this deep; html5ever's
# cost grows with depth squared, and at 100 levels it is still a few microseconds.
MAX_DEPTH = 100

# A tag the editor wrote: '<name' followed by a space, '/' or '>'; a closing tag; a comment.
# Autolinks (<https://...>, <a@b.ch>) and comparisons (a < b) do not match.
_RAW_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|/[A-Za-z]|!--)")
# Elements that never nest (void), close themselves (li, p, td: a 200-item list written
# without </li> is flat), or cost html5ever nothing when nested (phrasing elements).
_NOT_NESTING = (
    "area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr|li|p|dt|dd|tr|td|th|thead|tbody|tfoot|option|"
    "optgroup|colgroup|caption|rt|rp|a|abbr|b|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u"
)
_NESTING_TAG = re.compile(
    rf"<(/?)(?!(?:{_NOT_NESTING})[\s/>])[a-z]"
)  # on lowered text: twice as fast as IGNORECASE
_STEP = {"": 1, "/": -1}
# What the Markdown engines themselves nest (everything else needs raw HTML).
_ENGINE_NESTING = ("<blockquote", "<ul", "<ol", "<dl", "<table", "<div")


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
    "script": "scripts cannot run on the portal: write the information as text, or link to the "
    "page that has it",
    "noscript": "scripts cannot run on the portal: write the information as text",
    "style": "the theme's styles apply to every page: use Markdown, or class= with one of the "
    "theme's classes",
    "iframe": "for a map, give the offer a 'geo' field or link to the map; for a video, link to "
    "it: [Watch the video](https://...)",
    "video": "link to the video instead: [Watch the video](https://...) or [the film](film.mp4)",
    "audio": "link to the recording instead: [Listen](message.mp3)",
    "svg": "put the picture in an image file and show it with ![what it shows](picture.png)",
    "form": "link to the form on the provider's website instead",
    "base": "remove it: a page cannot change its address, refresh itself or load other files",
}
for _names, _hint_of in (
    (("embed", "object", "source", "track", "picture"), "iframe"),
    (("math", "canvas"), "svg"),
    (("input", "button", "select", "textarea", "label", "fieldset"), "form"),
    (("meta", "link"), "base"),
):
    for _name in _names:
        _ELEMENT_HINTS[_name] = _ELEMENT_HINTS[_hint_of]


def removed(
    fragments: Iterable[tuple[int, str]],
    tags: frozenset[str],
    attributes: Mapping[str, set[str] | frozenset[str]],
) -> list[Removal]:
    """Every element and attribute of the editor's raw HTML that the allow-list removes.

    `fragments` are (line of the fragment's first character, raw HTML as written), in order.
    The standard library's HTMLParser reads them as one stream (a <script> opened in one
    fragment keeps its content in the next), each fragment on lines of its own.
    """
    scanner = _Scanner(tags, attributes)
    stream_line = 1
    for first_line, fragment in fragments:
        scanner.starts.append(stream_line)
        scanner.lines.append(first_line)
        text = fragment if fragment.endswith("\n") else fragment + "\n"
        scanner.feed(text)
        stream_line += text.count("\n")
    scanner.close()
    return scanner.found


class _Scanner(HTMLParser):
    def __init__(
        self, tags: frozenset[str], attributes: Mapping[str, set[str] | frozenset[str]]
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = tags, attributes
        self.starts: list[int] = []  # the stream line where each fragment starts
        self.lines: list[int] = []  # the source line where it starts
        self.found: list[Removal] = []

    def parse_html_declaration(self, i: int) -> int:
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            # '<![' without a name (a Word paste cut short) stops the standard parser with an
            # AssertionError; the sanitizer shows it as text, so read on after the '<'.
            return i + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self.getpos()[0]
        index = bisect_right(self.starts, at) - 1
        line, written = (
            self.lines[index] + at - self.starts[index],
            _shorten(self.get_starttag_text() or f"<{tag}>"),
        )
        if tag not in self.tags:
            hint = _ELEMENT_HINTS.get(
                tag, "use Markdown, or one of the HTML elements listed in docs/security.md"
            )
            self.found.append(
                Removal(line, written, f"the HTML element <{tag}> is removed from the page", hint)
            )
            return
        allowed = self.attributes.get("*", set()) | self.attributes.get(tag, set())
        for key in dict.fromkeys(name for name, _ in attrs if name not in allowed):
            if key.startswith("on"):
                hint = "scripts cannot run on the portal: remove the attribute"
            elif key == "style":
                hint = (
                    "the theme's styles apply to every page: remove it, or use class= with one "
                    "of the theme's classes"
                )
            else:
                hint = f"remove it: <{tag}> keeps only {', '.join(sorted(allowed))}"
            self.found.append(
                Removal(
                    line,
                    written,
                    f"the attribute '{key}' of <{tag}> is removed from the page",
                    hint,
                )
            )


def _shorten(tag: str) -> str:
    return tag if len(tag) <= 60 else tag[:57] + "..."
