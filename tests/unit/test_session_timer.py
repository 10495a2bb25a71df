from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.session_timer import IdlePhase, IdleTimer


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def test_warns_ahead_then_expires_and_activity_starts_again() -> None:
    clock = Clock()
    timer = IdleTimer(timeout=timedelta(minutes=15), warn_before=timedelta(minutes=2), now=clock)
    assert timer.status().phase == IdlePhase.active
    clock.advance(minutes=12, seconds=59)
    assert timer.status().phase == IdlePhase.active
    clock.advance(seconds=2)
    status = timer.status()
    assert status.phase == IdlePhase.warning
    assert timedelta(minutes=1, seconds=58) <= status.remaining <= timedelta(minutes=2)
    timer.touch()  # "extend"
    assert timer.status().phase == IdlePhase.active
    clock.advance(minutes=15)
    assert timer.status().phase == IdlePhase.expired
    assert timer.status().remaining == timedelta(0)


def test_the_warning_must_come_before_the_time_out() -> None:
    with pytest.raises(ValueError):
        IdleTimer(timeout=timedelta(minutes=1), warn_before=timedelta(minutes=2))
