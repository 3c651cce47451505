"""The print QR code: render/core.py draws segno's matrix itself, byte for byte as segno's SVG writer."""

from __future__ import annotations

import random
import string

import segno

from sitegen.render.core import _svg, qr_svg


def test_the_svg_is_segnos_byte_for_byte() -> None:
    rng = random.Random(16)
    alphabet = string.ascii_lowercase + string.digits + "/-_.?=&%éÄ"
    urls = ["https://example.org/", "https://www.vs.ch/fr/offres/sion-francais-a1/"]
    urls += ["https://www.vs.ch/" + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 250))) for _ in range(150)]
    for url in urls:
        for error, mask in (("l", 0), ("m", None), ("h", 3)):
            code = segno.make_qr(url, error=error, mask=mask, boost_error=False)
            assert _svg(code.matrix) == code.svg_inline(scale=3, border=2, omitsize=True, dark="#000", light="#fff"), (url, error, mask)


def test_the_code_is_the_same_for_the_same_address() -> None:
    url = "https://www.vs.ch/de/angebote/brig-deutsch-a2/"
    assert str(qr_svg(url)) == _svg(segno.make_qr(url, error="l", mask=0, boost_error=False).matrix)
