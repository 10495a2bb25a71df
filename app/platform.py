"""Platform features behind the services' small Protocols, implemented with Flet."""

from __future__ import annotations

import asyncio
import logging

import flet as ft
import flet_geolocator as fg

from app.controllers.trips import LocationUnavailable, ShareOutcome
from services.attachments import PickedFile

log = logging.getLogger(__name__)


class ClientPreferencesStorage:
    """KeyValueStore on the Flet client's SharedPreferences.

    In web mode that is the browser's localStorage: per browser, readable by anyone with the
    browser, so it only ever holds display preferences, never personal data.
    """

    def __init__(self) -> None:
        self._prefs = ft.SharedPreferences()

    async def get(self, key: str) -> str | None:
        value = await self._prefs.get(key)
        return value if isinstance(value, str) else None

    async def set(self, key: str, value: str) -> None:
        await self._prefs.set(key, value)


class ClientSharing:
    """Share a text through the platform's share sheet; where there is none (most desktop
    browsers), copy it to the clipboard instead."""

    async def share_text(self, text: str, subject: str) -> ShareOutcome:
        try:
            result = await ft.Share().share_text(
                text, subject=subject, download_fallback_enabled=False,
                mail_to_fallback_enabled=False)
            if result.status == ft.ShareResultStatus.SUCCESS:
                return ShareOutcome.shared
        except Exception as exc:  # noqa: BLE001 - no share sheet here: the clipboard still works
            log.info("no share sheet (%s): copying instead", type(exc).__name__)
        await ft.Clipboard().set(text)
        return ShareOutcome.copied


class ClientLocation:
    """The device's position through the geolocator extension. In web mode that is the
    browser's position (the resident's phone), not the server's."""

    def __init__(self) -> None:
        self._locator = fg.Geolocator()

    async def current(self, timeout_s: float = 15.0) -> tuple[float, float]:
        try:
            position = await asyncio.wait_for(self._locator.get_current_position(), timeout_s)
        except RuntimeError as exc:  # the extension reports a refusal this way
            raise LocationUnavailable(denied="denied" in str(exc).lower()) from None
        except TimeoutError:
            raise LocationUnavailable(denied=False) from None
        if position.latitude is None or position.longitude is None:
            raise LocationUnavailable(denied=False)
        return float(position.latitude), float(position.longitude)


class ClientFiles:
    """A photo or a document from the resident's device: the browser's file chooser (on a
    phone it offers the camera too), read into memory, never onto the server's disk."""

    EXTENSIONS = ["jpg", "jpeg", "png", "pdf"]

    def __init__(self) -> None:
        self._picker = ft.FilePicker()

    async def pick(self) -> PickedFile | None:
        files = await self._picker.pick_files(
            file_type=ft.FilePickerFileType.CUSTOM, allowed_extensions=self.EXTENSIONS,
            with_data=True, cancel_upload_on_window_blur=False)
        if not files or files[0].bytes is None:
            return None
        return PickedFile(name=files[0].name, data=files[0].bytes)

    async def save(self, name: str, data: bytes) -> None:
        """A file for the resident (a calendar entry): the browser downloads it; a device
        asks where to keep it."""
        await self._picker.save_file(file_name=name, src_bytes=data)


class SilentNotifier:
    """Web mode: the Python side runs on a server, so a system notification would pop up
    there, not on the resident's screen. The in-app inbox carries the news instead."""

    def notify(self, title: str, message: str) -> None:
        return None


class DeviceNotifier:
    """A build on the resident's own device: the system's notifications through plyer."""

    def notify(self, title: str, message: str) -> None:
        try:
            from plyer import notification  # imported late: not every platform has a backend

            notification.notify(title=title, message=message, app_name="Kitokito", timeout=10)
        except (ImportError, NotImplementedError, OSError):
            log.info("no system notifications here; the in-app inbox has the news")
