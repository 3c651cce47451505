"""The QR code printed on a page: its online address, for a reader of the paper copy (issue 11)."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=4096)  # pure: the rebuilds of `sitegen serve` draw each page's code once
def qr_svg(url: str) -> Markup:
    """The QR code of a page's online address as inline SVG (print only; the templates' `qr_svg`).

    Mask 0 is fixed: choosing the best of the eight masks took 12 ms a page, a fixed one 3 ms,
    and every mask decodes (ISO/IEC 18004 only ranks them). Error level L (7 %) suffices for
    a code printed on paper and scanned from near; M took a third longer. Same URL, same bytes.
    """
    code = segno.make_qr(url, error="l", mask=0, boost_error=False)
    return Markup(code.svg_inline(scale=3, border=2, omitsize=True, dark="#000", light="#fff"))
