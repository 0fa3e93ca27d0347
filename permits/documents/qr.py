"""QR codes that point to the public verification or tracking page."""
from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_image(url: str):
    """A black-on-white QR (PIL image) for `url`; medium error correction survives a stamp or a fold."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_image(url).save(buffer, "PNG")
    return buffer.getvalue()
