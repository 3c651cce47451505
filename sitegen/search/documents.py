"""What each page and offer contributes to the search index.

Model + converted Markdown -> SearchDoc.
"""

from __future__ import annotations

from typing import Any

from sitegen.content import Contents
from sitegen.fields import localize
from sitegen.i18n import Localizer
from sitegen.markdown import Rendered
from sitegen.model import Site
from sitegen.search.index import SearchDoc
from sitegen.search.postings import SearchMemo
from sitegen.urls import output_file


class _Made:
    """The documents of one language tree's last call, with the objects each was made from.

    Pages, their converted bodies, offers, the configuration and the localizer are frozen
    (or never changed once made), so a document made from the very same objects is the same.
    """

    def __init__(self) -> None:
        self.pages: dict[str, tuple[Any, Rendered, SearchDoc]] = {}
        self.offers: dict[str, tuple[Any, Rendered | None, SearchDoc]] = {}
        # what every offer's document depends on
        self.context: tuple[object, object, str] = (
            None,
            None,
            "",
        )


def search_docs(
    site: Site, contents: Contents, loc: Localizer, memo: SearchMemo | None = None
) -> list[SearchDoc]:
    """Every page and offer of one language tree, in a stable order.

    With the `memo` passed to build_search_files, the documents of pages and offers whose
    objects did not change since the last call are reused (serve rebuilds the model of the
    unchanged ones as the very same objects).
    """
    lang, config = loc.lang, site.config
    last = memo.documents.get(lang) if memo is not None else None
    made = _Made()
    docs = []
    for key in site.keys:
        page = site.page(lang, key)
        if page is None:
            continue
        rendered = contents.pages[(lang, key)]
        hit = last.pages.get(key) if last else None
        if hit is not None and hit[0] is page and hit[1] is rendered:
            doc = hit[2]
        else:
            doc = SearchDoc(
                url=output_file(page.url),
                lang=page.source.lang,
                kind="page",
                title=page.meta.title,
                summary=page.meta.summary,
                headings=tuple(text for level, _, text in rendered.headings if level <= 3),
                keywords=page.meta.keywords,
                body=rendered.text,
            )
        made.pages[key] = (page, rendered, doc)
        docs.append(doc)

    made.context = (config, loc, site.offers_url(lang))
    same = (
        last is not None
        and last.context[0] is config
        and last.context[1] is loc
        and last.context[2] == made.context[2]
    )
    fallbacks = config.fallbacks(lang)
    kinds = {term.id: loc.term(term) for term in config.kinds}
    regions = {term.id: loc.term(term) for term in config.regions}
    audiences = {term.id: loc.term(term) for term in config.audiences}
    for offer in site.offers:
        description = contents.descriptions.get((lang, offer.id))
        hit = last.offers.get(offer.id) if last and same else None
        if hit is not None and hit[0] is offer and hit[1] is description:
            doc = hit[2]
        else:
            title, title_lang = localize(offer.title, lang, fallbacks)
            words = [
                localize(offer.provider, lang, fallbacks)[0],
                offer.commune,
                regions[offer.region],
                kinds[offer.kind],
                *(loc.language_name(code) for code in offer.languages),
                *offer.levels,
                *(audiences.get(a, a) for a in offer.audiences),
            ]
            facets = {
                "kind": (offer.kind,),
                "region": (offer.region,),
                "commune": (offer.commune,) if offer.commune else (),
                "language": offer.languages,
                "level": offer.levels,
                "free": ("yes",) if offer.price_chf == 0 else (),
                "childcare": ("yes",) if offer.childcare else (),
            }
            doc = SearchDoc(
                url=output_file(site.offer_url(lang, offer.id)),
                lang=title_lang or lang,
                kind="offer",
                title=title,
                summary=localize(offer.summary, lang, fallbacks)[0],
                headings=(),
                keywords=tuple(w for w in words if w),
                body=" ".join(
                    filter(
                        None,
                        [
                            description.text if description else "",
                            localize(offer.schedule, lang, fallbacks)[0],
                        ],
                    )
                ),
                facets={name: values for name, values in facets.items() if values},
            )
        made.offers[offer.id] = (offer, description, doc)
        docs.append(doc)
    if memo is not None:
        memo.documents[lang] = made
    return docs
