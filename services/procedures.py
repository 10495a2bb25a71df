"""The catalogue of procedures on the device: cached, searchable in any language, explained.

The backend's catalogue (GET /v1/procedures, public data) is kept in one JSON file in the
data dir and revalidated with its ETag; before the first download the copy bundled with the
app (forms/catalogue) is used, so the list is there offline from the first start.

Search matches the words a resident types against each procedure's title, summary and
keywords in every supported language, the official Japanese name, and its reading: kana and
romaji ("juminhyo", "じゅうみんひょう", "住民票", "residence certificate" all find 住民票).
"""

from __future__ import annotations

import json
import logging
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from forms.definition import Catalogue, Procedure
from forms.problems import Problem, ProblemCode
from services.api import ApiClient, NotModified
from services.i18n import LANGUAGES, N_, Translator
from services.transit.kana import canonical_japanese, canonical_romaji, is_kana, kana_to_romaji

log = logging.getLogger(__name__)


class ProcedureCatalogue:
    """The catalogue this device knows. Shared by every session: it is public data."""

    def __init__(self, cache_file: Path, api: ApiClient, bundled: Callable[[], Catalogue]) -> None:
        self._file = cache_file
        self._api = api
        self._bundled = bundled
        self._catalogue: Catalogue | None = None
        self._etag: str | None = None
        self._index: list[tuple[Procedure, str, str]] | None = None

    def current(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue, self._etag = self._read_cache() or (self._bundled(), None)
        return self._catalogue

    def get(self, procedure_id: str) -> Procedure | None:
        return next((p for p in self.current().procedures if p.id == procedure_id), None)

    async def refresh(self) -> bool:
        """Fetch a newer catalogue if there is one; True when it changed. Errors are the
        API's (Offline...): the cached or bundled copy stays in use."""
        self.current()
        answer = await self._api.procedures(etag=self._etag)
        if isinstance(answer, NotModified):
            return False
        catalogue, etag = answer
        changed = catalogue.version != self.current().version
        self._catalogue, self._etag, self._index = catalogue, etag, None
        self._write_cache(catalogue, etag)
        return changed

    def search(self, query: str) -> list[Procedure]:
        """Procedures whose texts in any language contain every word of `query`."""
        words = _words(query)
        procedures = list(self.current().procedures)
        if not words:
            return procedures
        index = self._search_index()
        return [p for p, text, roman in index
                if all(w.text in text or (w.roman and w.roman in roman) for w in words)]

    # --- inside ---------------------------------------------------------------------------
    def _search_index(self) -> list[tuple[Procedure, str, str]]:
        if self._index is None:
            translators = [Translator(lang.code) for lang in LANGUAGES]
            self._index = [(p, *_haystack(p, translators)) for p in self.current().procedures]
        return self._index

    def _read_cache(self) -> tuple[Catalogue, str | None] | None:
        try:
            saved = json.loads(self._file.read_text(encoding="utf-8"))
            return Catalogue.model_validate(saved["catalogue"]), saved.get("etag")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, ValidationError):
            log.warning("the cached procedure catalogue is unreadable; using the bundled one")
            return None

    def _write_cache(self, catalogue: Catalogue, etag: str | None) -> None:
        self._file.parent.mkdir(parents=True, exist_ok=True)
        partial = self._file.with_suffix(".partial")
        partial.write_text(json.dumps({"etag": etag, "catalogue": catalogue.model_dump(
            mode="json")}, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self._file)  # atomic: a kill leaves the old copy or the new one


@dataclass(frozen=True)
class _Word:
    text: str  # folded like the haystack
    roman: str | None  # canonical romaji, for words typed in latin letters or kana


def _fold(text: str) -> str:
    return canonical_japanese(unicodedata.normalize("NFKC", text)).lower()


def _words(query: str) -> list[_Word]:
    words = []
    for raw in unicodedata.normalize("NFKC", query).split():
        roman = None
        if raw.isascii() and raw.isalnum():
            roman = canonical_romaji(raw)
        elif is_kana(raw):
            roman = canonical_romaji(kana_to_romaji(raw))
        words.append(_Word(_fold(raw), roman or None))
    return words


def _haystack(procedure: Procedure, translators: Iterable[Translator]) -> tuple[str, str]:
    texts = [procedure.title_ja, *procedure.keywords]
    for t in translators:
        texts += [t.gettext(procedure.title), t.gettext(procedure.summary)]
    folded = " ".join(_fold(text) for text in texts)
    roman = " ".join(canonical_romaji(kana_to_romaji(k) if is_kana(k) else k)
                     for k in procedure.keywords)
    return folded, roman


# --- what a problem means to the resident --------------------------------------------------

PROBLEM_MESSAGES: dict[ProblemCode, str] = {
    ProblemCode.required: N_("Please fill this in."),
    ProblemCode.too_long: N_("Please shorten this to {max} characters or fewer."),
    ProblemCode.not_kana: N_("Please write this in katakana, for example ヤマダ タロウ."),
    ProblemCode.not_a_date: N_("Please enter a date as year-month-day, for example "
                               "2026-04-01."),
    ProblemCode.date_in_future: N_("This date cannot be after today. Please check it."),
    ProblemCode.date_in_past: N_("This date cannot be before today. Please choose today or "
                                 "a later day."),
    ProblemCode.not_a_postal_code: N_("Please enter a postal code of 7 digits, for example "
                                      "930-0094."),
    ProblemCode.not_a_phone: N_("Please enter a phone number of 10 or 11 digits, for "
                                "example 076-444-3300 or 090-1234-5678."),
    ProblemCode.not_an_email: N_("Please enter an email address such as name@example.jp."),
    ProblemCode.not_a_number: N_("Please enter a whole number using digits."),
    ProblemCode.not_digits: N_("Please enter {min} to {max} digits (0-9), without other "
                               "characters."),
    ProblemCode.too_small: N_("Please enter {min} or more."),
    ProblemCode.too_large: N_("Please enter {max} or less."),
    ProblemCode.unknown_choice: N_("Please choose one of the options."),
    ProblemCode.must_accept: N_("Please tick this box to continue."),
    ProblemCode.too_few_items: N_("Please add at least {min}."),
    ProblemCode.too_many_items: N_("Please add no more than {max}."),
    ProblemCode.unknown_field: N_("This form does not have this item. Please start the "
                                  "form again."),
    ProblemCode.wrong_type: N_("This value cannot be used here. Please enter it again."),
    ProblemCode.attachment_missing: N_("Please attach this document."),
    ProblemCode.attachment_type: N_("Please attach a photo (JPEG or PNG) or a PDF."),
    ProblemCode.attachment_too_large: N_("This file is too large. Please attach a file of "
                                         "{max_mb} MB or less."),
    ProblemCode.too_many_files: N_("Please attach no more than {max} files."),
}


EXACT_DIGITS = N_("Please enter exactly {min} digits (0-9), for example 0123456.")


def problem_message(problem: Problem, t: Translator) -> str:
    """A sentence, in the resident's language, that says how to fix the value."""
    params = dict(problem.params)
    if "max_bytes" in params:
        params.setdefault("max_mb", int(params["max_bytes"]) // (1024 * 1024) or 1)
    template = t.gettext(PROBLEM_MESSAGES[problem.code])
    if problem.code is ProblemCode.not_digits and params.get("min") == params.get("max"):
        template = t.gettext(EXACT_DIGITS)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
