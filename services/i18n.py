"""Languages, gettext catalogs (compiled by `make i18n`) and locale-aware formatting (Babel).

msgids are English. A language whose catalog lacks a message falls back along
`fallback_chain` (easy Japanese -> Japanese; everything else -> English msgid).
All dates and times are shown in Japan time: the app is about places in Toyama.
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, negotiate_locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, format_decimal

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
JAPAN_TZ = ZoneInfo("Asia/Tokyo")


def japan_today() -> date:
    """Today in Japan, whatever the machine's zone (forms check dates against it)."""
    return datetime.now(JAPAN_TZ).date()


def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Language:
    code: str  # the tag we store in settings and match against content ("ja", "pt-BR")
    babel: str  # the Babel locale used for dates, numbers and currency
    native_name: str
    # Offered in the language picker only when its catalog is complete: a half-translated UI
    # is worse than a clear choice of another language.
    complete: bool

    @property
    def catalog(self) -> str:
        return self.code.replace("-", "_")

    @property
    def is_japanese(self) -> bool:
        """Japanese and easy Japanese: stop and place names are shown in kanji."""
        return self.code in ("ja", "ja-easy")


LANGUAGES: tuple[Language, ...] = (
    Language("ja", "ja_JP", "日本語", True),
    Language("ja-easy", "ja_JP", "やさしい日本語", False),
    Language("en", "en_US", "English", True),
    Language("zh-Hans", "zh_Hans_CN", "简体中文", False),
    Language("zh-Hant", "zh_Hant_TW", "繁體中文", False),
    Language("ko", "ko_KR", "한국어", False),
    Language("vi", "vi_VN", "Tiếng Việt", False),
    Language("pt-BR", "pt_BR", "Português (Brasil)", False),
    Language("tl", "fil_PH", "Tagalog", False),
    Language("id", "id_ID", "Bahasa Indonesia", False),
    Language("ne", "ne_NP", "नेपाली", False),
)
DEFAULT_LANGUAGE = "ja"
_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def language(code: str) -> Language:
    return _BY_CODE.get(code) or _BY_CODE[DEFAULT_LANGUAGE]


def selectable_languages() -> list[Language]:
    return [lang for lang in LANGUAGES if lang.complete]


def is_supported(code: str) -> bool:
    return code in _BY_CODE


def fallback_chain(code: str) -> list[str]:
    """Languages to try, in order, for content that exists in some languages only."""
    chain = [code]
    if code == "ja-easy":
        chain.append("ja")
    if code == "zh-Hant":
        chain.append("zh-Hans")
    for last in ("en", "ja"):
        if last not in chain:
            chain.append(last)
    return chain


def negotiate(preferred: list[str]) -> str:
    """Pick a selectable language from a browser/OS preference list such as ['en-US', 'ja']."""
    available = [lang.code.replace("-", "_") for lang in selectable_languages()]
    wanted = [p.replace("-", "_") for p in preferred]
    found = negotiate_locale(wanted, available, sep="_")
    return found.replace("_", "-") if found else DEFAULT_LANGUAGE


@cache
def _catalog(code: str, locale_dir: Path) -> _gettext.NullTranslations:
    # Catalogs are read-only and shared: caching them holds nothing personal.
    if code == "en":
        return _gettext.NullTranslations()
    translations = _gettext.translation(
        DOMAIN, localedir=locale_dir, languages=[language(code).catalog], fallback=True
    )
    if code == "ja-easy":
        translations.add_fallback(_catalog("ja", locale_dir))
    return translations


class Translator:
    """Messages and formatting for one language. Cheap to create; one per session state."""

    def __init__(self, code: str, locale_dir: Path = LOCALE_DIR) -> None:
        self.language = language(code)
        self.code = self.language.code
        self.locale = Locale.parse(self.language.babel)
        self._t = _catalog(self.code, locale_dir)

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def __call__(self, message: str, **values: object) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    # --- formatting ---------------------------------------------------------------------
    def date(self, value: date | datetime, fmt: str = "long") -> str:
        if isinstance(value, datetime):
            value = value.astimezone(JAPAN_TZ).date()
        return _format_date(value, format=fmt, locale=self.locale)

    def datetime(self, value: datetime, fmt: str = "medium") -> str:
        return _format_datetime(value, format=fmt, tzinfo=JAPAN_TZ, locale=self.locale)

    def number(self, value: int | float | Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def yen(self, amount: int | Decimal) -> str:
        if self.locale.language == "ja":
            # Japanese readers expect "1,200円", not CLDR's "￥1,200".
            return f"{format_decimal(amount, locale=self.locale)}円"
        return format_currency(amount, "JPY", locale=self.locale)
