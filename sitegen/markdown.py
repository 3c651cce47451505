"""One configured Markdown renderer -> (sanitized HTML, plain text, headings, anchors, links).

Two engines produce the raw HTML; everything after that is shared:
  raw HTML -> check link schemes -> sanitize (nh3 allow-list) -> heading ids -> rewrite links.
- "commonmark" (default): pulldown-cmark through pyromark. CommonMark is what editors
  know from GitHub and GitLab, and it renders the 1,000-pages benchmark corpus about
  150 times faster than Python-Markdown (docs/benchmarks.md).
- "python-markdown": Python-Markdown with tables, attr_list, def_list, abbr, fenced code,
  for sites written for its dialect (attribute lists on any block, 4-space lists).
Both understand `## Heading {#anchor}`.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit

import nh3

from .checks import slugify
from .config import MARKDOWN_ENGINES as ENGINES

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# The allow-list for HTML in Markdown (docs/security.md): structure and text only; no
# script, style, form, iframe or event attribute can survive it.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "ol": {"start", "type"},
}

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_RAW_URL = re.compile(r"""<(a|img)\b[^>]*?\s(href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]*)"')
_LINK = re.compile(r'<(a|img)\b([^>]*?)\s(href|src)="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')


@dataclass(frozen=True)
class LinkProblem:
    target: str  # as written in the source, to find its line
    message: str
    hint: str


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


def _commonmark() -> Callable[[str], str]:
    import pyromark

    options = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_HEADING_ATTRIBUTES | pyromark.Options.ENABLE_DEFINITION_LIST
               | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_FOOTNOTES)
    return lambda text: pyromark.html(text, options=options)


def _python_markdown() -> Callable[[str], str]:
    import markdown

    md = markdown.Markdown(extensions=["tables", "attr_list", "def_list", "abbr", "fenced_code", "sane_lists"], output_format="html")

    def convert(text: str) -> str:
        md.reset()
        return md.convert(text)

    return convert


class MarkdownRenderer:
    """A reusable renderer (one per process: Python-Markdown instances are not thread-safe)."""

    def __init__(self, engine: str = "commonmark") -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown Markdown engine {engine!r}; use one of {', '.join(ENGINES)}")
        self.engine = engine
        self.convert = _commonmark() if engine == "commonmark" else _python_markdown()

    def render(self, text: str, key: str = "", page_url: Resolver | None = None, asset_url: Resolver | None = None) -> Rendered:
        try:
            raw = self.convert(text)
        except RecursionError:
            # Python-Markdown recurses once per nesting level; a few hundred nested lists or quotes
            # (a paste gone wrong) exceed Python's stack. Report it; start from a clean converter.
            self.convert = _commonmark() if self.engine == "commonmark" else _python_markdown()
            problem = LinkProblem("", "lists or quotes are nested too deeply to be shown", "check the indentation: lists rarely need more than three levels")
            return Rendered(html="", text="", headings=(), ids=frozenset(), problems=(problem,))
        problems = [problem for match in _RAW_URL.finditer(raw) if (problem := _scheme_problem(match, text))]
        clean = nh3.clean(raw, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                          url_schemes=set(SAFE_SCHEMES), link_rel=None, strip_comments=True)
        clean, headings = _heading_ids(clean)
        rewriter = _LinkRewriter(key, page_url or (lambda _: None), asset_url or (lambda _: None))
        clean = _LINK.sub(rewriter, clean)
        return Rendered(
            html=clean,
            text=plain_text(clean),
            headings=tuple(headings),
            ids=frozenset(_ID.findall(clean)),
            anchor_links=tuple(rewriter.anchor_links),
            problems=tuple(problems + rewriter.problems),
            images=tuple(rewriter.images),
            resolved=tuple(rewriter.resolved),
            digest=hashlib.blake2b(clean.encode(), digest_size=16).hexdigest(),
        )


def _scheme_problem(match: re.Match[str], source: str) -> LinkProblem | None:
    """Report what the sanitizer would silently drop: an editor must know their link is gone."""
    written = match.group(3).strip("\"'")
    tag, value = match.group(1).lower(), html.unescape(written)
    parts = _split(value.strip())
    if parts is None:
        return LinkProblem(value, "this web address is malformed", "check the address, e.g. https://www.example.ch/")
    scheme = parts.scheme.lower() if ":" in value else ""
    if scheme and (scheme not in SAFE_SCHEMES or (tag == "img" and scheme not in ("http", "https"))):
        # The target finds the source line: raw HTML keeps what was typed (&#106;avascript:...).
        return LinkProblem(written if written in source else value, f"'{scheme}:' addresses are not allowed",
                           "use https://, mailto: or tel: addresses only")
    return None


def _heading_ids(markup: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Give every heading an id (explicit {#id} kept, others from the text, unique) and list them."""
    taken = set(_ID.findall(markup))
    headings: list[tuple[int, str, str]] = []

    def fix(match: re.Match[str]) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2), match.group(3)
        text = plain_text(inner)
        found = _ID.search(attrs)
        if found:
            anchor = html.unescape(found.group(1))
        else:
            base = slugify(text) or f"section-{len(headings) + 1}"
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

    def __call__(self, match: re.Match[str]) -> str:
        tag, before, attribute, escaped = match.groups()
        target = html.unescape(escaped)
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
            self.problems.append(LinkProblem(target, "this web address is malformed", "check the address, e.g. https://www.example.ch/"))
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
            self.problems.append(LinkProblem(target, "a link starting with '/' breaks when the site is opened from a folder or a sub-path",
                                             "link to the source file instead, e.g. cours-de-langue.md"))
            return target
        key = posixpath.normpath(posixpath.join(posixpath.dirname(self.key), unquote(parts.path)))
        if key == ".." or key.startswith("../"):
            self.problems.append(LinkProblem(target, "this link leaves the language folder", "link to pages by their file name in this language's folder"))
            return None
        suffix = f"#{parts.fragment}" if parts.fragment else ""
        if key.endswith(".md") and not is_image:
            url = self.page_url(key)
            self.resolved.append(("page", key, url))
            if url is None:
                self.problems.append(LinkProblem(target, f"link to a page that does not exist: {key}", "check the file name, or create the page"))
                return None
            if parts.fragment:
                self.anchor_links.append(PageLink(target, key, parts.fragment))
            return url + suffix
        url = self.asset_url(key)
        self.resolved.append(("file", key, url))
        if url is None:
            what = "image" if is_image else "file"
            self.problems.append(LinkProblem(target, f"the {what} '{key}' does not exist", f"put the file at content/<language>/{key}, or correct the path"))
            return None
        return url + suffix


def _split(url: str) -> SplitResult | None:
    """urlsplit, or None where it raises (an unclosed IPv6 bracket: 'http://[x')."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def plain_text(markup: str) -> str:
    """Text of an HTML fragment, for search and summaries."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()
