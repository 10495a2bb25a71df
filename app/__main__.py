"""`python -m app` (what `make run` calls): the embedded backend, then the Flet app.

With a display and Flet's desktop client installed it opens a window; otherwise it serves the
bundled web client (no CDN) and prints its URL on a line of its own once it is serving.
SIGINT or SIGTERM stops everything this started.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import signal
import sys

import flet as ft
import uvicorn
from flet_web.fastapi.serve_fastapi_web_app import get_fastapi_web_app

from app.backend import BackendError, EmbeddedBackend
from app.config import ASSETS_DIR, AppConfig
from app.container import Container, prepare_demo_cards
from app.session import make_main
from app.web_client import without_outside_requests
from services.datadir import ensure_writable, startup_failure

log = logging.getLogger("kitokito")


class _Server(uvicorn.Server):
    """uvicorn re-raises SIGTERM after shutdown, which would skip our cleanup: we own signals."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


def desktop_available() -> bool:
    has_screen = sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY"))
    wanted = os.environ.get("KITOKITO_VIEW", "auto") != "web"
    return has_screen and wanted and importlib.util.find_spec("flet_desktop") is not None


async def serve_web(container: Container) -> None:
    config = container.config
    asgi = without_outside_requests(get_fastapi_web_app(
        main=make_main(container),
        before_main=None,
        page_name="",
        assets_dir=str(ASSETS_DIR),
        upload_dir=None,
        no_cdn=True,  # the bundled CanvasKit: works with no internet
    ))
    server = _Server(
        uvicorn.Config(
            asgi, host=config.host, port=config.port, log_level="warning",
            ws="websockets-sansio",
        )
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, lambda: setattr(server, "should_exit", True))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
            raise SystemExit(
                f"Could not serve on {config.host}:{config.port}. Set KITOKITO_PORT to a free port."
            )
        await asyncio.sleep(0.05)
    print(f"http://{config.host}:{config.port}", flush=True)
    await task


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    # Our own modules' level (libraries stay at WARNING: Flet is chatty at INFO).
    for name in ("app", "services", "kitokito"):
        logging.getLogger(name).setLevel(os.environ.get("KITOKITO_LOG_LEVEL", "WARNING"))
    config = AppConfig()
    backend: EmbeddedBackend | None = None
    try:  # a read-only data dir or a full disk: one line saying which path and what to do
        ensure_writable(config.data_dir)
        prepare_demo_cards(config)
    except OSError as exc:
        if (line := startup_failure(exc)) is None:
            raise
        print(line, file=sys.stderr)
        return 2
    if config.embedded_backend:
        backend = EmbeddedBackend(config)
        try:
            backend.start()
        except BackendError as exc:
            print(f"kitokito: {exc}", file=sys.stderr)
            return 1
        assert backend.process is not None
        print(f"Backend: {backend.url} (pid {backend.process.pid})", flush=True)
    else:
        print(f"Backend: {config.effective_api_url} (external)", flush=True)
    desktop = desktop_available()
    try:
        container = Container(config, web=not desktop)
    except OSError as exc:
        if backend is not None:
            backend.stop()
        if (line := startup_failure(exc)) is None:
            raise
        print(line, file=sys.stderr)
        return 2
    try:
        if desktop:
            ft.run(make_main(container), assets_dir=str(ASSETS_DIR))
        else:
            asyncio.run(serve_web(container))
    finally:
        if backend is not None:
            backend.stop()
        container.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
