"""QR codes as PNG bytes (tickets and the like), drawn with qrcode + Pillow.

Error correction M (15 %: survives a scratched or glare-struck phone screen without growing
the code much), a four-module quiet zone as ISO/IEC 18004 asks, black on white. Readers need
the light margin and dark-on-light contrast, so the code is never themed (no dark mode, no
high-contrast inversion): the screen puts it on white as it is.
"""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError

QUIET_ZONE = 4  # modules


def qr_modules(text: str) -> int:
    """Modules per side (without the quiet zone) of the code `qr_png` draws for `text`."""
    return _make(text).modules_count


def qr_png(text: str, *, box_size: int = 8) -> bytes:
    """PNG of `text` as a QR code, `box_size` pixels per module. ValueError if too long."""
    code = _make(text, box_size)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _make(text: str, box_size: int = 8) -> qrcode.QRCode:
    if box_size < 1:
        raise ValueError("box_size must be at least 1")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=QUIET_ZONE)
    code.add_data(text.encode("utf-8"))
    try:
        code.make(fit=True)
    except DataOverflowError as exc:
        raise ValueError(f"too long for a QR code ({len(text.encode('utf-8'))} bytes)") from exc
    return code
