"""What views may ask the app to do. Implemented by app.controller.Controller."""

from __future__ import annotations

from typing import Protocol

from services.preferences import TextSize
from views.login import AuthActions
from views.trips import TripActions


class Actions(Protocol):
    trips: TripActions
    auth: AuthActions

    def go(self, route: str) -> None: ...

    async def set_language(self, code: str) -> None: ...

    async def set_text_size(self, size: TextSize) -> None: ...

    async def set_simplified(self, on: bool) -> None: ...

    async def set_high_contrast(self, on: bool) -> None: ...

    async def refresh_notices(self) -> None: ...
