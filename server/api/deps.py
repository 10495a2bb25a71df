"""Typed FastAPI dependencies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel import Session

from server.core.config import ServerSettings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One Session per request. Async on purpose: its closing then runs on the event loop, not
    in the thread pool, so a request that holds a connection never waits for a free thread
    while the threads wait for a free connection (a pool deadlock under load). Dependencies
    end their transactions before they return (server.core.security.authenticate) for the
    same reason."""
    session = Session(request.app.state.engine)
    try:
        yield session
    finally:
        session.close()


def get_settings(request: Request) -> ServerSettings:
    return request.app.state.settings


# The type FastAPI's `responses=` takes (plain dict literals would infer dict[int, dict[str, str]]).
Responses = dict[int | str, dict[str, Any]]

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
