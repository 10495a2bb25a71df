"""QR PNGs: decodable by Pillow, black on white with a quiet zone, the size the content needs,
and (where zxing-cpp is installed) read back to the same text."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.qr import QUIET_ZONE, qr_modules, qr_png

TICKET_LIKE = "KTK1." + "eyJ0eXBlIjoia2l0b2tpdG8udHJhbnNpdC10aWNrZXQudjEi" * 10 + ".c2ln"


def image(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


# 490 bytes: more than version 16-M holds in byte mode (450), within 17-M (504)
@pytest.mark.parametrize(("text", "version"), [("hello", 1), (TICKET_LIKE, 17)])
def test_png_has_the_size_of_its_version_plus_the_quiet_zone(text: str, version: int) -> None:
    modules = qr_modules(text)
    assert modules == 17 + 4 * version
    img = image(qr_png(text, box_size=4))
    assert img.size == ((modules + 2 * QUIET_ZONE) * 4,) * 2
    assert image(qr_png(text)).size == ((modules + 2 * QUIET_ZONE) * 8,) * 2


def test_black_on_white_with_a_white_quiet_zone() -> None:
    box = 8
    img = image(qr_png("kitokito", box_size=box)).convert("L")
    assert sorted(color for _, color in img.getcolors()) == [0, 255]
    margin = QUIET_ZONE * box
    width = img.size[0]
    for x in range(width):
        for y in (0, margin - 1, width - 1, width - margin):
            assert img.getpixel((x, y)) == 255 and img.getpixel((y, x)) == 255
    # the top-left finder pattern starts right after the quiet zone: dark, then a light ring
    assert img.getpixel((margin, margin)) == 0
    assert img.getpixel((margin + box, margin + box)) == 255
    assert img.getpixel((margin + 3 * box, margin + 3 * box)) == 0


def test_longer_text_needs_a_bigger_code_and_too_long_is_a_value_error() -> None:
    assert qr_modules("a" * 300) > qr_modules("a" * 30)
    with pytest.raises(ValueError):
        qr_png("x" * 3000)
    with pytest.raises(ValueError):
        qr_png("x", box_size=0)


@pytest.mark.parametrize("text", ["hello", TICKET_LIKE, "富山駅 → 蓮町 06:14"])
def test_the_code_reads_back_to_the_same_text(text: str) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    found = zxingcpp.read_barcodes(image(qr_png(text)))
    assert [(r.format, r.text) for r in found] == [(zxingcpp.BarcodeFormat.QRCode, text)]
