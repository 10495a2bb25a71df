"""The bundled font must draw every character the app ships: Flutter web has no system-font
fallback offline, so a missing glyph is a blank or a tofu box for the resident."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from app.theme import FONT_FILE
from services.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {
    "ja": "富山県 きときと 申請・手続き 避難所 𠮟 塡剝頰 ①※〒",
    "zh-Hans": "富山县 医疗 设置 通知 预约 观光",
    "zh-Hant": "富山縣 醫療 設定 預約 觀光",
    "ko": "도야마현 의료 설정 알림 예약 관광",
    "vi": "Tỉnh Toyama, Thông báo, Cài đặt, Đặt lịch tư vấn, Y tế",
    "pt-BR": "Configurações, Avisos, São Paulo",
}


@cache
def covered() -> frozenset[int]:
    font = TTFont(ROOT / "assets" / FONT_FILE)
    return frozenset(font.getBestCmap())


def missing(text: str) -> set[str]:
    return {c for c in text if not c.isspace() and ord(c) not in covered()}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_the_font_covers_every_script_we_serve(language: str) -> None:
    assert missing(SAMPLES[language]) == set()


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_every_translated_message_can_be_drawn(lang) -> None:
    if lang.code == "ne":
        pytest.skip("Nepali (Devanagari) needs its own font: see assets/fonts/README.md")
    path = ROOT / "locales" / lang.catalog / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    text = "".join(
        "".join(m.string) if isinstance(m.string, tuple) else (m.string or "") for m in catalog
    )
    assert missing(text) == set()


def test_the_bundled_notices_can_be_drawn() -> None:
    seed = json.loads((ROOT / "server" / "seed" / "notices.json").read_text(encoding="utf-8"))
    text = json.dumps(seed, ensure_ascii=False)
    assert missing(text) == set()
