"""Phone numbers: checked and written in international form with libphonenumber's rules.

Editors write numbers the way they are printed locally (027 000 22 33); a visitor may be
calling from a foreign SIM card, so links and the text shown use the international form
(+41 27 000 22 33), read against the site's territory (site.yaml `territory`).
"""

from __future__ import annotations

import phonenumbers


def international(text: str, territory: str) -> str | None:
    """The number in international format (+41 27 000 22 33), or None if it is not a real number."""
    try:
        number = phonenumbers.parse(text, territory or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_uri(text: str) -> str:
    """A tel: link (RFC 3966) from a number in international format: + and digits only."""
    return "tel:" + "".join(c for c in text if c.isdigit() or c == "+")
