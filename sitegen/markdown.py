"""One configured Markdown renderer -> (sanitized HTML, plain text, headings, anchors, links)."""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import markdown as pymarkdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor

from .checks import slugify

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# The allow-list for HTML in Markdown (docs/security.md): structure and text only; no
# script, style, form, iframe or event attribute can survive it.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "abbr": {"title"},
}

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


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
    images: tuple[tuple[str, str], ...] = field(default=())  # (src, alt)


PageResolver = Callable[[str], "str | None"]  # target page key -> URL relative to the current page


class _Context:
    def __init__(self) -> None:
        self.key = ""
        self.page_url: PageResolver = lambda key: None
        self.asset_url: PageResolver = lambda key: None
        self.problems: list[LinkProblem] = []
        self.anchor_links: list[PageLink] = []
        self.ids: set[str] = set()
        self.images: list[tuple[str, str]] = []


class _LinkProcessor(Treeprocessor):
    """Rewrite links to .md sources into page URLs, check schemes and files, collect ids."""

    def __init__(self, md: pymarkdown.Markdown, ctx: _Context):
        super().__init__(md)
        self.ctx = ctx

    def run(self, root: etree.Element) -> None:
        ctx = self.ctx
        for element in root.iter():
            if element.get("id"):
                ctx.ids.add(element.get("id", ""))
            if element.tag == "a" and element.get("href") is not None:
                new = self._resolve(element.get("href", ""), is_image=False)
                if new is None:
                    del element.attrib["href"]
                else:
                    element.set("href", new)
            elif element.tag == "img" and element.get("src") is not None:
                src = element.get("src", "")
                ctx.images.append((src, element.get("alt", "")))
                new = self._resolve(src, is_image=True)
                element.set("src", new or "")
                element.set("loading", "lazy")

    def _resolve(self, target: str, is_image: bool) -> str | None:
        ctx = self.ctx
        parts = urlsplit(target.strip())
        scheme = parts.scheme.lower()
        if scheme:
            if scheme not in SAFE_SCHEMES or (is_image and scheme not in ("http", "https")):
                ctx.problems.append(LinkProblem(target, f"'{scheme}:' addresses are not allowed", "use https://, mailto: or tel: addresses only"))
                return None
            return target
        if target.startswith("//"):
            return "https:" + target
        if not parts.path:
            if parts.fragment:
                ctx.anchor_links.append(PageLink(target, "", parts.fragment))
            return target
        if parts.path.startswith("/"):
            ctx.problems.append(LinkProblem(target, "a link starting with '/' breaks when the site is opened from a folder or a sub-path",
                                            "link to the source file instead, e.g. cours-de-langue.md"))
            return target
        key = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.key), unquote(parts.path)))
        if key.startswith("../") or key == "..":
            ctx.problems.append(LinkProblem(target, "this link leaves the language folder", "link to pages by their file name in this language's folder"))
            return None
        suffix = f"#{parts.fragment}" if parts.fragment else ""
        if key.endswith(".md") and not is_image:
            url = ctx.page_url(key)
            if url is None:
                ctx.problems.append(LinkProblem(target, f"link to a page that does not exist: {key}", "check the file name, or create the page"))
                return None
            if parts.fragment:
                ctx.anchor_links.append(PageLink(target, key, parts.fragment))
            return url + suffix
        url = ctx.asset_url(key)
        if url is None:
            what = "image" if is_image else "file"
            ctx.problems.append(LinkProblem(target, f"the {what} '{key}' does not exist", f"put the file at content/<language>/{key}, or correct the path"))
            return None
        return url + suffix


class _SitegenExtension(Extension):
    def __init__(self, ctx: _Context):
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md: pymarkdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        # Priority 4: after attr_list (8) and toc (5) set the ids, before unescaping (0).
        md.treeprocessors.register(_LinkProcessor(md, self.ctx), "sitegen_links", 4)


class MarkdownRenderer:
    """A reusable renderer; one per process, since Python-Markdown instances are not thread-safe."""

    def __init__(self) -> None:
        self.ctx = _Context()
        self.md = pymarkdown.Markdown(
            extensions=[
                "tables", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr",
                TocExtension(slugify=lambda text, sep: slugify(text), toc_depth="2-4"),
                _SitegenExtension(self.ctx),
            ],
            output_format="html",
        )

    def render(self, text: str, key: str = "", page_url: PageResolver | None = None, asset_url: PageResolver | None = None) -> Rendered:
        ctx = self.ctx
        ctx.__init__()  # type: ignore[misc]
        ctx.key = key
        if page_url:
            ctx.page_url = page_url
        if asset_url:
            ctx.asset_url = asset_url
        self.md.reset()
        raw = self.md.convert(text)
        clean = nh3.clean(raw, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                          url_schemes=set(SAFE_SCHEMES), link_rel=None, strip_comments=True)
        headings = tuple(_flatten(getattr(self.md, "toc_tokens", [])))
        return Rendered(
            html=clean,
            text=plain_text(clean),
            headings=headings,
            ids=frozenset(ctx.ids),
            anchor_links=tuple(ctx.anchor_links),
            problems=tuple(ctx.problems),
            images=tuple(ctx.images),
        )


def _flatten(tokens: list[dict]) -> list[tuple[int, str, str]]:
    out = []
    for token in tokens:
        out.append((int(token["level"]), str(token["id"]), html.unescape(_TAG.sub("", str(token["name"])))))
        out.extend(_flatten(token.get("children", [])))
    return out


def plain_text(markup: str) -> str:
    """Text of an HTML fragment, for search and summaries."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()
