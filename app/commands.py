"""Every user action is a Command: it knows whether it is running, how it ended, and it refuses
a second run while the first is in flight (a double tap sends one request, not two).

    self.save = Command(self._save, state, Topic.trip_journey)
    await self.save(index, label)      # False when refused because it was already running

Modelled on the Command of Flutter's architecture guide (compass_app): views show `running`
(a disabled button saying "Searching…") and `failed` (a message), never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Generic, ParamSpec

from app.state import AppState, Topic

P = ParamSpec("P")
log = logging.getLogger(__name__)


class Command(Generic[P]):
    def __init__(
        self, action: Callable[P, Awaitable[None]], state: AppState, *topics: Topic
    ) -> None:
        self._action = action
        self._state = state
        self._topics = topics  # what shows this command's running / failed state
        self.running = False
        self.failed = False  # the last run ended in an unexpected error (logged)
        self.runs = 0  # completed runs, failed or not

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> bool:
        if self.running:
            return False
        self.running = True
        self.failed = False
        self._state.changed(*self._topics)
        try:
            await self._action(*args, **kwargs)
        except Exception:  # a bug in one action must not end the session
            # Expected outcomes (offline, refused) are handled inside the action and shown as
            # advice; only the unexpected lands here: logged with its traceback, and the view
            # says "something went wrong".
            log.exception("command %s failed", getattr(self._action, "__name__", self._action))
            self.failed = True
        finally:
            self.running = False
            self.runs += 1
            self._state.changed(*self._topics)
        return True
