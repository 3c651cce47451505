"""What the search index knows of each page and offer: model + converted Markdown -> SearchDoc."""

from __future__ import annotations

from .checks import localize
from .content import Contents
from .i18n import Localizer
from .model import Site
from .search import SearchDoc
from .urls import output_file


def search_docs(site: Site, contents: Contents, loc: Localizer) -> list[SearchDoc]:
    """Every page and offer of one language tree, in a stable order."""
    lang, config = loc.lang, site.config
    fallbacks = config.fallbacks(lang)
    docs = []
    for key in site.keys:
        page = site.page(lang, key)
        if page is None:
            continue
        rendered = contents.pages[(lang, key)]
        docs.append(SearchDoc(
            url=output_file(page.url), lang=page.source.lang, kind="page", title=page.meta.title, summary=page.meta.summary,
            headings=tuple(text for level, _, text in rendered.headings if level <= 3), keywords=page.meta.keywords,
            body=rendered.text,
        ))
    kinds = {term.id: loc.term(term) for term in config.kinds}
    regions = {term.id: loc.term(term) for term in config.regions}
    audiences = {term.id: loc.term(term) for term in config.audiences}
    for offer in site.offers:
        title, title_lang = localize(offer.title, lang, fallbacks)
        description = contents.descriptions.get((lang, offer.id))
        words = [localize(offer.provider, lang, fallbacks)[0], offer.commune, regions[offer.region], kinds[offer.kind],
                 *(loc.language_name(code) for code in offer.languages), *offer.levels, *(audiences.get(a, a) for a in offer.audiences)]
        facets = {"kind": (offer.kind,), "region": (offer.region,), "commune": (offer.commune,) if offer.commune else (),
                  "language": offer.languages, "level": offer.levels,
                  "free": ("yes",) if offer.price_chf == 0 else (), "childcare": ("yes",) if offer.childcare else ()}
        docs.append(SearchDoc(
            url=output_file(site.offer_url(lang, offer.id)), lang=title_lang or lang, kind="offer", title=title,
            summary=localize(offer.summary, lang, fallbacks)[0], headings=(), keywords=tuple(w for w in words if w),
            body=" ".join(filter(None, [description.text if description else "", localize(offer.schedule, lang, fallbacks)[0]])),
            facets={name: values for name, values in facets.items() if values},
        ))
    return docs
