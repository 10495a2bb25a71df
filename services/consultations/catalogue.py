"""Consultation services and their slots on the device: browsable offline from the last sync.

The services list (GET /v1/consultations/services, public) is kept in one JSON file, like
procedures.json, and revalidated with its ETag. Nothing is bundled: slots go stale within the
hour and services change with their offices, so before the first sync the list is empty and
`synced_at` is None (the screen says the list is not downloaded yet, rather than "none").

Each service's slots are kept in their own file with their ETag and the range asked, so the
calendar and "next free" work offline from the last sync (slots already started are left out;
`free` is as of `synced_at`, and the server decides at booking time).

Shared by every session of the process: it holds public data only.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from services.api import ApiClient, NotModified
from services.consultations.models import (
    EMPTY_CATALOGUE,
    Channel,
    Service,
    ServiceCatalogue,
    ServiceKind,
    Slot,
    SlotPage,
)
from services.consultations.search import NeedSearch

log = logging.getLogger(__name__)

SERVICES_FILE = "consultations.json"
SLOTS_DIR = "consultation-slots"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CachedSlots:
    """A service's slots as last read from the server."""

    service_id: str
    slots: tuple[Slot, ...]
    synced_at: datetime | None  # None: never downloaded on this device
    first_day: date | None = None
    days: int | None = None


class ConsultationCatalogue:
    def __init__(self, cache_dir: Path, api: ApiClient, *,
                 now: Callable[[], datetime] = utc_now) -> None:
        self._dir = cache_dir
        self._api = api
        self._now = now
        self._lock = threading.RLock()
        self._loaded = False
        self._catalogue = EMPTY_CATALOGUE
        self._etag: str | None = None
        self._synced_at: datetime | None = None
        self._search: NeedSearch | None = None

    # --- services ---------------------------------------------------------------------------
    def current(self) -> ServiceCatalogue:
        self._load()
        return self._catalogue

    @property
    def synced_at(self) -> datetime | None:
        """When the list was last downloaded (None: never, the list is empty for that)."""
        self._load()
        return self._synced_at

    def services(self, *, kind: ServiceKind | None = None,
                 channel: Channel | None = None) -> list[Service]:
        return [s for s in self.current().services
                if (kind is None or s.kind is kind) and (channel is None or s.channel is channel)]

    def get(self, service_id: str) -> Service | None:
        return next((s for s in self.current().services if s.id == service_id), None)

    async def refresh(self) -> bool:
        """Download a newer list if there is one; True when it changed. The API's errors
        (Offline...) go to the caller; the kept list stays in use."""
        self._load()
        answer = await self._api.consultation_services(etag=self._etag)
        now = self._now()
        if isinstance(answer, NotModified):
            self._synced_at = now
            self._write(self._dir / SERVICES_FILE, self._services_record())
            return False
        catalogue, etag = answer
        changed = catalogue != self._catalogue
        with self._lock:
            self._catalogue, self._etag, self._synced_at = catalogue, etag, now
            if changed:
                self._search = None
        self._write(self._dir / SERVICES_FILE, self._services_record())
        return changed

    def search(self, query: str, language: str, *, channel: Channel | None = None,
               kind: ServiceKind | None = None) -> list[Service]:
        """Services for a need typed in any language, best first (module search.py). Among
        equals, those held in the resident's `language` come first; with no words in the
        query, every service (of that channel and kind), in the resident's language first."""
        with self._lock:
            if self._search is None:
                self._search = NeedSearch(self.current().services)
            searcher = self._search
        scored = searcher.scored(query)
        if scored is None:
            everything = list(self.current().services)
            ranked = sorted(everything, key=lambda s: not s.speaks(language))  # stable
        else:
            # Equal scores only: the resident's language never lifts a worse match.
            ranked = [s for s, _score in sorted(
                scored, key=lambda pair: (-round(pair[1], 6), not pair[0].speaks(language)))]
        return [s for s in ranked
                if (kind is None or s.kind is kind) and (channel is None or s.channel is channel)]

    # --- slots ------------------------------------------------------------------------------
    def cached_slots(self, service_id: str) -> CachedSlots:
        """The slots as last downloaded, those not yet started (offline too)."""
        record = self._read(self._slots_file(service_id))
        empty = CachedSlots(service_id, (), None)
        if record is None:
            return empty
        try:
            page = SlotPage.model_validate(record["page"])
            synced = datetime.fromisoformat(record["synced_at"])
            first = date.fromisoformat(record["from"]) if record.get("from") else None
            days = int(record["days"]) if record.get("days") is not None else None
        except (KeyError, TypeError, ValueError, ValidationError):
            log.warning("cached consultation slots are unreadable; they are downloaded again")
            return empty
        now = self._now()
        return CachedSlots(service_id, tuple(s for s in page.slots if s.start > now), synced,
                           first, days)

    async def refresh_slots(self, service: Service | str, *, first_day: date | None = None,
                            days: int | None = None) -> bool:
        """Download the service's slots (from today, its booking window, unless asked);
        True when they changed. Offline etc. go to the caller; the kept slots stay."""
        service_id = service if isinstance(service, str) else service.id
        path = self._slots_file(service_id)
        record = self._read(path) or {}
        same_range = (record.get("from") == (first_day.isoformat() if first_day else None)
                      and record.get("days") == days)
        etag = record.get("etag") if same_range and "page" in record else None
        answer = await self._api.consultation_slots(service_id, first_day=first_day,
                                                    days=days, etag=etag)
        if isinstance(answer, NotModified):
            record["synced_at"] = self._now().isoformat()
            self._write(path, record)
            return False
        page, new_etag = answer
        self._write(path, {
            "etag": new_etag, "from": first_day.isoformat() if first_day else None,
            "days": days, "synced_at": self._now().isoformat(),
            "page": page.model_dump(mode="json")})
        return record.get("page") != page.model_dump(mode="json")

    def bookable(self, service: Service) -> list[Slot]:
        """Cached slots the resident could still book now (the latest booking time is
        `book_until_hours` before the start), earliest first."""
        latest = self._now() + timedelta(hours=service.book_until_hours)
        return sorted((s for s in self.cached_slots(service.id).slots if s.start >= latest),
                      key=lambda s: s.start)

    def next_free(self, service: Service, limit: int = 3) -> list[Slot]:
        """The first `limit` bookable slots with room."""
        return [s for s in self.bookable(service) if s.free > 0][:max(0, limit)]

    def days_with_room(self, service: Service, first_day: date, days: int) -> set[date]:
        """Days (in Japan) from `first_day`, `days` of them, with a bookable slot with room."""
        last = first_day + timedelta(days=max(0, days) - 1)
        return {s.day for s in self.bookable(service) if s.free > 0 and first_day <= s.day <= last}

    def slots_on(self, service: Service, day: date) -> list[Slot]:
        """The bookable slots of one day (full ones too: the screen shows them as full)."""
        return [s for s in self.bookable(service) if s.day == day]

    # --- files ------------------------------------------------------------------------------
    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            self._loaded = True
            record = self._read(self._dir / SERVICES_FILE)
            if record is None:
                return
            try:
                self._catalogue = ServiceCatalogue.model_validate(record["catalogue"])
                self._etag = record.get("etag")
                self._synced_at = datetime.fromisoformat(record["synced_at"])
            except (KeyError, TypeError, ValueError, ValidationError):
                log.warning("the cached consultation services are unreadable; downloading again")
                self._catalogue, self._etag, self._synced_at = EMPTY_CATALOGUE, None, None

    def _services_record(self) -> dict[str, Any]:
        return {"etag": self._etag, "synced_at": self._synced_at.isoformat()
                if self._synced_at else None,
                "catalogue": self._catalogue.model_dump(mode="json")}

    def _slots_file(self, service_id: str) -> Path:
        if not _safe(service_id):
            raise ValueError("not a consultation service id")
        return self._dir / SLOTS_DIR / f"{service_id}.json"

    @staticmethod
    def _read(path: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            log.warning("an unreadable consultation cache file is ignored: %s", path.name)
            return None
        return data if isinstance(data, dict) else None

    @staticmethod
    def _write(path: Path, record: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{threading.get_ident()}.partial")
        partial.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)  # atomic: a kill leaves the old copy or the new one


def _safe(service_id: str) -> bool:
    return (0 < len(service_id) <= 40 and service_id[0].isascii() and service_id[0].isalpha()
            and all(c.isascii() and (c.islower() or c.isdigit() or c == "_")
                    for c in service_id))


