"""Idle time-out of a logged-in session, warned ahead so the resident can extend it.

Public-service apps log out an unattended session (a shared family tablet, a phone left on a
counter). Pure logic with an injectable clock, so it is tested without waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class IdlePhase(StrEnum):
    active = "active"
    warning = "warning"  # show "you will be logged out in N min" with an Extend button
    expired = "expired"  # log out now


@dataclass(frozen=True)
class IdleStatus:
    phase: IdlePhase
    remaining: timedelta


class IdleTimer:
    def __init__(
        self,
        *,
        timeout: timedelta = timedelta(minutes=15),
        warn_before: timedelta = timedelta(minutes=2),
        now: Clock = utc_now,
    ) -> None:
        if warn_before >= timeout:
            raise ValueError("the warning must come before the time-out")
        self.timeout = timeout
        self.warn_before = warn_before
        self._now = now
        self._last_activity = now()

    def touch(self) -> None:
        """The resident did something: the idle clock starts again."""
        self._last_activity = self._now()

    def status(self) -> IdleStatus:
        remaining = self.timeout - (self._now() - self._last_activity)
        if remaining <= timedelta(0):
            return IdleStatus(IdlePhase.expired, timedelta(0))
        if remaining <= self.warn_before:
            return IdleStatus(IdlePhase.warning, remaining)
        return IdleStatus(IdlePhase.active, remaining)
