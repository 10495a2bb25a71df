"""FastAPI app factory for the reference backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.api import (
    applications,
    attachments,
    auth,
    bookings,
    consultations,
    drafts,
    health,
    info,
    mutations,
    notices,
    payments,
    procedures,
    staff,
    staff_applications,
    tickets,
    tourism,
    transit,
)
from server.catalogue import load_procedures
from server.consultations.catalogue import seed_consultations
from server.core.bodies import method_not_allowed_handler, validation_error_handler
from server.core.config import ServerSettings
from server.core.db import make_engine
from server.core.limits import BodySizeLimit, SlidingWindowLimiter
from server.core.migrate import migrate
from server.core.sealing import private_dir
from server.ingest.bundle import seed_info
from server.ingest.seed import seed_notices


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()
    private_dir(settings.data_dir)  # owner only (issue 8, item 11)
    engine = make_engine(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate(engine, app.state.sealer)
        if settings.seed_on_start:
            seed_notices(engine)
            if settings.seed_info:
                seed_info(engine)
            if settings.seed_consultations:
                seed_consultations(engine)
        yield
        engine.dispose()

    app = FastAPI(
        title="Kitokito reference backend",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.procedures = load_procedures()  # the procedures applications are checked against
    app.include_router(health.router)
    app.include_router(notices.router)
    app.include_router(info.router)
    auth.install(app, settings)  # /v1/auth/*, /v1/me (and the clock, trust store, limiter)
    app.include_router(drafts.router)
    app.include_router(mutations.router)
    app.include_router(staff.router)
    app.include_router(transit.router)
    app.include_router(tickets.router)
    app.include_router(procedures.router)
    app.include_router(attachments.router)
    app.include_router(payments.router)
    app.include_router(applications.router)
    app.include_router(staff_applications.router)
    app.include_router(consultations.router)
    app.include_router(bookings.router)
    app.include_router(tourism.router)
    app.state.anonymous_limiter = SlidingWindowLimiter(
        settings.anonymous_booking_rate_per_minute, 60.0)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                       max_json_depth=settings.max_json_depth,
                       uploads=(("PUT", attachments.PREFIX, settings.max_attachment_bytes),))
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, method_not_allowed_handler)
    return app
