"""One configured Markdown renderer -> (sanitized HTML, plain text, headings, anchors, links).

Two engines produce the raw HTML; everything after that is shared:
  raw HTML -> check link schemes -> sanitize (nh3 allow-list) -> heading ids -> rewrite links.
- "commonmark" (default): pulldown-cmark through pyromark. CommonMark is what editors
  know from GitHub and GitLab, and it renders the 1,000-pages benchmark corpus about
  150 times faster than Python-Markdown (docs/benchmarks.md).
- "python-markdown": Python-Markdown with tables, attr_list, def_list, abbr, fenced code,
  for sites written for its dialect (attribute lists on any block, 4-space lists).
Both understand `## Heading {#anchor}`.
Before the sanitizer runs, `rawhtml` refuses pages nested too deeply for it and lists what
it will remove from the editor's own HTML (warnings); afterwards every link or image
address it dropped is reported (errors): nothing vanishes without a word.
"""

from __future__ import annotations

import functools
import hashlib
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit

import nh3

from . import rawhtml
from .config import MARKDOWN_ENGINES as ENGINES
from .fields import slugify

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# The allow-list for HTML in Markdown (docs/security.md): structure and text only; no
# script, style, form, iframe or event attribute can survive it.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "ol": {"start", "type"},
}
# Built once: nh3.clean would build ammonia's settings again for every page (a third of its time).
_SANITIZER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(SAFE_SCHEMES),
    link_rel=None,
    strip_comments=True,
)

_TAG = re.compile(r"<[^>]+>")
_RAW_URL = re.compile(
    r"""<(a|img)\b[^>]*?\s(href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE
)
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]*)"')
_LINK = re.compile(r'<(a|img)\b([^>]*?)\s(href|src)="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')


@dataclass(frozen=True)
class LinkProblem:
    target: str  # as written in the source, to find its line
    message: str
    hint: str
    line: int = 0  # 1-based line in the Markdown text where known; 0: find `target`
    is_warning: bool = False  # raw HTML the sanitizer removes: shown, fatal only under --strict


@dataclass(frozen=True)
class PageLink:
    """A link to a page's anchor, checked once every page is rendered."""

    target: str
    key: str  # "" for the page itself
    fragment: str


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str
    headings: tuple[tuple[int, str, str], ...]  # (level, id, text)
    ids: frozenset[str]
    anchor_links: tuple[PageLink, ...] = ()
    problems: tuple[LinkProblem, ...] = ()
    images: tuple[tuple[str, str], ...] = ()  # (src as written, alt)
    # Every page or file key a link was resolved to, with the URL it got: the rendering
    # stays valid exactly as long as each of these keys still resolves to the same URL.
    resolved: tuple[tuple[str, str, str | None], ...] = ()  # ("page" | "file", key, url)
    digest: str = ""  # of the HTML: what later stages key their caches on


Resolver = Callable[[str], "str | None"]  # target key -> URL relative to the current page, or None


Fragments = Callable[[str], list[tuple[int, str]]]  # text -> (line, raw HTML as written), in order


def _commonmark() -> tuple[Callable[[str], str], Fragments]:
    import pyromark

    options = (
        pyromark.Options.ENABLE_TABLES
        | pyromark.Options.ENABLE_HEADING_ATTRIBUTES
        | pyromark.Options.ENABLE_DEFINITION_LIST
        | pyromark.Options.ENABLE_STRIKETHROUGH
        | pyromark.Options.ENABLE_FOOTNOTES
    )

    def fragments(text: str) -> list[tuple[int, str]]:
        """The raw HTML pulldown-cmark passes through, with lines from its byte ranges."""
        source, found, line, offset = text.encode(), [], 1, 0
        for event, span in pyromark.events_with_range(text, options=options):
            raw = event.get("Html") or event.get("InlineHtml") if isinstance(event, dict) else None
            if raw:
                line += source.count(b"\n", offset, span["start"])
                offset = span["start"]
                found.append((line, raw))
        return found

    return (lambda text: pyromark.html(text, options=options)), fragments


def _python_markdown() -> tuple[Callable[[str], str], Fragments]:
    import markdown

    md = markdown.Markdown(
        extensions=["tables", "attr_list", "def_list", "abbr", "fenced_code", "sane_lists"],
        output_format="html",
    )

    def convert(text: str) -> str:
        md.reset()
        return md.convert(text)

    def fragments(text: str) -> list[tuple[int, str]]:
        """The raw HTML of the last conversion (Python-Markdown stashes it, blocks first).

        Found in the text.
        """
        found, start = [], {}
        for raw in md.htmlStash.rawHtmlBlocks:
            if not isinstance(raw, str) or not raw.strip():
                continue
            at = text.find(raw.strip(), start.get(raw, 0))
            start[raw] = at + 1 if at >= 0 else 0
            found.append((text.count("\n", 0, max(at, 0)) + 1, raw))
        return sorted(found)

    return convert, fragments


# A line whose quote and list markers alone nest deeper than MAX_DEPTH ('> > > ...', '- - - ...').
_DEEP_LINE = re.compile(
    rf"^(?:[ \t]*(?:>|(?:[-*+]|\d{{1,9}}[.)])(?=[ \t]|$))){{{rawhtml.MAX_DEPTH + 1}}}", re.MULTILINE
)


def _too_deep(line: int) -> LinkProblem:
    return LinkProblem(
        "",
        f"lists, quotes or HTML elements are nested more than {rawhtml.MAX_DEPTH} levels deep",
        "check the '>' and the indentation: real pages need a few levels",
        line=line,
    )


class MarkdownRenderer:
    """A reusable renderer (one per process: Python-Markdown instances are not thread-safe)."""

    def __init__(self, engine: str = "commonmark") -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown Markdown engine {engine!r}; use one of {', '.join(ENGINES)}")
        self.engine = engine
        self.convert, self.fragments = (
            _commonmark() if engine == "commonmark" else _python_markdown()
        )

    def render(
        self,
        text: str,
        key: str = "",
        page_url: Resolver | None = None,
        asset_url: Resolver | None = None,
    ) -> Rendered:
        if self.engine == "python-markdown" and (deep := _DEEP_LINE.search(text)):
            # Python-Markdown itself takes seconds on such a line before failing; pulldown-cmark
            # is linear, and its output is measured below.
            return _refused(_too_deep(text.count("\n", 0, deep.start()) + 1))
        try:
            raw = self.convert(text)
        except RecursionError:
            # Python-Markdown recurses once per nesting level; a few hundred nested lists or quotes
            # (a paste gone wrong) exceed Python's stack. Report it; start from a clean converter.
            self.convert, self.fragments = (
                _commonmark() if self.engine == "commonmark" else _python_markdown()
            )
            return _refused(_too_deep(_deepest_line(text)))
        raw_html = rawhtml.has_raw_html(text)
        if (
            rawhtml.may_be_too_deep(raw, raw_html)
            and rawhtml.nesting_depth(raw) > rawhtml.MAX_DEPTH
        ):
            # The sanitizer's time grows with the square of the depth (50,000 quotes: minutes).
            return _refused(_too_deep(self._first_too_deep_line(text)))
        problems = []
        if raw_html:
            problems = [
                LinkProblem(r.written, r.message, r.hint, line=r.line, is_warning=True)
                for r in rawhtml.removed(self.fragments(text), ALLOWED_TAGS, ALLOWED_ATTRIBUTES)
            ]
            scanned = _REMOVED_WHOLE.sub("", raw)
        else:
            scanned = raw
        links = [(match, _scheme_problem(match, text)) for match in _RAW_URL.finditer(scanned)]
        problems += [problem for _, problem in links if problem]
        clean = _SANITIZER.clean(raw)
        # Without any id="..." in the sanitized HTML (nearly every page), the only ids are the
        # headings' generated ones, which need no escaping (slugs): no scan for ids at all.
        has_ids = 'id="' in clean
        clean, headings = _heading_ids(clean, has_ids)
        rewriter = _LinkRewriter(key, page_url or (lambda _: None), asset_url or (lambda _: None))
        clean = _LINK.sub(rewriter, clean)
        if len(rewriter.seen) < len(links):
            problems += _dropped(links, rewriter.seen, text)
        return Rendered(
            html=clean,
            text=plain_text(clean),
            headings=tuple(headings),
            ids=frozenset(_ID.findall(clean))
            if has_ids
            else frozenset(anchor for _, anchor, _ in headings),
            anchor_links=tuple(rewriter.anchor_links),
            problems=tuple(problems + rewriter.problems),
            images=tuple(rewriter.images),
            resolved=tuple(rewriter.resolved),
            digest=hashlib.blake2b(clean.encode(), digest_size=16).hexdigest(),
        )

    def _first_too_deep_line(self, text: str) -> int:
        """The first line from which the page nests too deeply.

        The shortest such beginning of the text.
        """
        lines, overflowed = text.split("\n"), False
        low, high = 1, len(lines)  # the whole text is too deep; find the fewest lines that are
        while low < high:
            middle = (low + high) // 2
            try:
                deep = (
                    rawhtml.nesting_depth(self.convert("\n".join(lines[:middle])))
                    > rawhtml.MAX_DEPTH
                )
            except RecursionError:
                deep = overflowed = True
            low, high = (low, middle) if deep else (middle + 1, high)
        if overflowed:  # a converter interrupted mid-way is not reused
            self.convert, self.fragments = (
                _commonmark() if self.engine == "commonmark" else _python_markdown()
            )
        return low


def _refused(problem: LinkProblem) -> Rendered:
    return Rendered(html="", text="", headings=(), ids=frozenset(), problems=(problem,))


def _deepest_line(text: str) -> int:
    """The line with the most quote and list markers at its start (where Python-Markdown stops)."""
    prefix = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))*")
    lengths = [len(prefix.match(line).group()) for line in text.split("\n")]  # type: ignore[union-attr]
    return lengths.index(max(lengths)) + 1


# What the sanitizer removes with everything inside (or turns into text): a link in there is
# gone because its element is, which the element's own warning already says.
_REMOVED_WHOLE = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|iframe|noscript|textarea|svg|math|noembed|noframes|xmp|title)\b.*?(?:</\1\s*>|$)",
    re.DOTALL | re.IGNORECASE,
)


def _dropped(
    links: list[tuple[re.Match[str], LinkProblem | None]], kept: list[tuple[str, str]], source: str
) -> list[LinkProblem]:
    """The link and image addresses the sanitizer removed (it keeps the others in order)."""
    out, position = [], 0
    wanted = [
        (match.group(1).lower(), html.unescape(match.group(3).strip("\"'")).strip())
        for match, _ in links
    ]
    survivors = iter(kept)
    for tag, value in survivors:
        try:
            found = wanted.index((tag, value.strip()), position)
        except ValueError:
            continue  # changed by the sanitizer rather than removed: nothing was lost
        out += [
            _dropped_problem(*links[index][0].group(1, 3), source)
            for index in range(position, found)
            if links[index][1] is None
        ]
        position = found + 1
    out += [
        _dropped_problem(*links[index][0].group(1, 3), source)
        for index in range(position, len(links))
        if links[index][1] is None
    ]
    return out


def _dropped_problem(tag: str, written: str, source: str) -> LinkProblem:
    value = html.unescape(written.strip("\"'"))
    # The target finds the source line: Markdown's HTML has %5C where the editor typed '\'.
    target = next(
        (c for c in (value, written.strip("\"'"), unquote(value)) if c and c in source), value
    )
    what = "image" if tag.lower() == "img" else "link"
    return LinkProblem(
        target,
        f"the {what} address '{unquote(value)[:80]}' is not a valid web address and would "
        "be removed",
        "write the full address as the browser shows it, e.g. https://www.example.ch/page, "
        "without backslashes or spaces",
    )


def _scheme_problem(match: re.Match[str], source: str) -> LinkProblem | None:
    """Report what the sanitizer would silently drop: an editor must know their link is gone."""
    written = match.group(3).strip("\"'")
    tag, value = match.group(1).lower(), html.unescape(written)
    parts = _split(value.strip())
    if parts is None:
        return LinkProblem(
            value,
            "this web address is malformed",
            "check the address, e.g. https://www.example.ch/",
        )
    scheme = parts.scheme.lower() if ":" in value else ""
    if scheme and (
        scheme not in SAFE_SCHEMES or (tag == "img" and scheme not in ("http", "https"))
    ):
        # The target finds the source line: raw HTML keeps what was typed (&#106;avascript:...).
        return LinkProblem(
            written if written in source else value,
            f"'{scheme}:' addresses are not allowed",
            "use https://, mailto: or tel: addresses only",
        )
    return None


def _heading_ids(markup: str, has_ids: bool = True) -> tuple[str, list[tuple[int, str, str]]]:
    """Give every heading an id (explicit {#id} kept, others from the text, unique) and list them.

    `has_ids` False says the markup has no id="..." (no id is taken yet, no heading has one).
    """
    taken = set(_ID.findall(markup)) if has_ids else set()
    headings: list[tuple[int, str, str]] = []

    def fix(match: re.Match[str]) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2), match.group(3)
        text = plain_text(inner)
        found = _ID.search(attrs) if has_ids else None
        if found:
            anchor = html.unescape(found.group(1))
        else:
            base = _slug(text) or f"section-{len(headings) + 1}"
            anchor, number = base, 1
            while anchor in taken:
                number += 1
                anchor = f"{base}-{number}"
            taken.add(anchor)
            attrs = f' id="{html.escape(anchor)}"' + attrs
        headings.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    return _HEADING.sub(fix, markup), headings


class _LinkRewriter:
    """Rewrite links to .md sources into page URLs and files into their output place."""

    def __init__(self, key: str, page_url: Resolver, asset_url: Resolver):
        self.key, self.page_url, self.asset_url = key, page_url, asset_url
        self.problems: list[LinkProblem] = []
        self.anchor_links: list[PageLink] = []
        self.images: list[tuple[str, str]] = []
        self.resolved: list[tuple[str, str, str | None]] = []
        self.seen: list[tuple[str, str]] = []  # every (tag, address) the sanitizer kept

    def __call__(self, match: re.Match[str]) -> str:
        tag, before, attribute, escaped = match.groups()
        target = html.unescape(escaped)
        self.seen.append((tag, target))
        is_image = tag == "img"
        if is_image:
            tag_text = match.string[match.start() : match.string.find(">", match.start()) + 1]
            alt = _ALT.search(tag_text)
            self.images.append((target, html.unescape(alt.group(1)) if alt else ""))
        new = self.resolve(target, is_image)
        extra = ' loading="lazy"' if is_image else ""
        if new is None:
            return f"<{tag}{before}{extra}" if not is_image else f'<{tag}{before} src=""{extra}'
        return f'<{tag}{before}{extra} {attribute}="{html.escape(new)}"'

    def resolve(self, target: str, is_image: bool) -> str | None:
        parts = _split(target.strip())
        if parts is None:
            self.problems.append(
                LinkProblem(
                    target,
                    "this web address is malformed",
                    "check the address, e.g. https://www.example.ch/",
                )
            )
            return None
        if parts.scheme:
            return target
        if target.startswith("//"):
            return "https:" + target
        if not parts.path:
            if parts.fragment:
                self.anchor_links.append(PageLink(target, "", parts.fragment))
            return target
        if parts.path.startswith("/"):
            self.problems.append(
                LinkProblem(
                    target,
                    "a link starting with '/' breaks when the site is opened from a folder or "
                    "a sub-path",
                    "link to the source file instead, e.g. cours-de-langue.md",
                )
            )
            return target
        key = posixpath.normpath(posixpath.join(posixpath.dirname(self.key), unquote(parts.path)))
        if key == ".." or key.startswith("../"):
            self.problems.append(
                LinkProblem(
                    target,
                    "this link leaves the language folder",
                    "link to pages by their file name in this language's folder",
                )
            )
            return None
        suffix = f"#{parts.fragment}" if parts.fragment else ""
        if key.endswith(".md") and not is_image:
            url = self.page_url(key)
            self.resolved.append(("page", key, url))
            if url is None:
                self.problems.append(
                    LinkProblem(
                        target,
                        f"link to a page that does not exist: {key}",
                        "check the file name, or create the page",
                    )
                )
                return None
            if parts.fragment:
                self.anchor_links.append(PageLink(target, key, parts.fragment))
            return url + suffix
        url = self.asset_url(key)
        self.resolved.append(("file", key, url))
        if url is None:
            what = "image" if is_image else "file"
            self.problems.append(
                LinkProblem(
                    target,
                    f"the {what} '{key}' does not exist",
                    f"put the file at content/<language>/{key}, or correct the path",
                )
            )
            return None
        return url + suffix


# Pages repeat the same headings ("Contact", "Horaires") and link to the same pages: both are
# pure functions of their text, asked for tens of thousands of times on a large site.
_slug = functools.lru_cache(maxsize=1 << 14)(slugify)


@functools.lru_cache(maxsize=1 << 14)
def _split(url: str) -> SplitResult | None:
    """urlsplit, or None where it raises (an unclosed IPv6 bracket: 'http://[x')."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def plain_text(markup: str) -> str:
    """Text of an HTML fragment, for search and summaries, its white space collapsed to spaces."""
    # str.split() cuts at exactly the characters a regex's \s matches (str.isspace), in a third of
    # the time of re.sub(r"\s+", " ", ...) over a page.
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())
