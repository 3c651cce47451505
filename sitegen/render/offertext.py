"""An offer's texts in one language, as plain strings: the one record its calendar and contact
files, its JSON-LD and the open data are made from. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..fields import localize
from ..validate import OfferData

TEXT_FIELDS = ("title", "summary", "description", "provider", "address", "schedule")
_POSTCODE_TOWN = re.compile(r"(\d{4,5})\s+(.+)")


@dataclass(frozen=True)
class OfferText:
    """Each text field in the language of the page or file, borrowed field by field from the
    language's fallback chain as on the pages; "" where no language has it."""

    title: str
    summary: str
    description: str  # Markdown, as the editors wrote it
    provider: str
    address: str
    schedule: str
    url: str  # the offer page's absolute address
    place: str  # the address, else the commune: where the offer is found
    borrowed: tuple[str, ...]  # the fields shown in another language (TEXT_FIELDS order)


def offer_text(offer: OfferData, lang: str, fallbacks: Iterable[str], url: str) -> OfferText:
    """The offer's texts in `lang` (`fallbacks`: Config.fallbacks(lang))."""
    texts: dict[str, str] = {}
    borrowed: list[str] = []
    for name in TEXT_FIELDS:
        text, text_lang = localize(getattr(offer, name), lang, fallbacks)
        texts[name] = text or ""
        if text and text_lang and text_lang != lang:
            borrowed.append(name)
    return OfferText(
        **texts, url=url, place=texts["address"] or offer.commune, borrowed=tuple(borrowed)
    )


def split_address(address: str) -> tuple[str, str, str] | None:
    """ "Rue de l'Exemple 1, 1950 Sion" -> street, postcode, town (the Swiss postal form); None
    when the address does not end in ", <postcode> <town>"."""
    street, _, rest = address.strip().rpartition(",")
    found = _POSTCODE_TOWN.fullmatch(rest.strip())
    if not (street.strip() and found):
        return None
    return street.strip(), found.group(1), found.group(2).strip()
