"""The web client as served: Flet's bundled files, with the one address that left our server.

Flet 1.0.5's web client carries the Rive animation runtime, whose loader fetches
`rive_native.js` from a public CDN at start, although the app draws no Rive animation. With no
internet that request fails harmlessly, but nothing may leave the app's own server (a resident's
browser would tell a third party that they opened the app). So the two compiled entry points
(`main.dart.wasm`, which Chromium runs, and `main.dart.js`, the fallback) are served with that
base address replaced by a path on our own server, of the same length (the wasm binary stores
string lengths elsewhere). The path serves nothing: the runtime's load fails there, as it did
offline, without a request to anyone else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

import flet_web

RIVE_CDN = b"https://cdn.jsdelivr.net/npm/@rive-app/flutter-native-wasm@44.0.0/"
_LOCAL = b"/no-rive-runtime/"
# Same length as the CDN address: a local path padded with a harmless query-free segment.
LOCAL_RIVE = _LOCAL + b"x" * (len(RIVE_CDN) - len(_LOCAL) - 1) + b"/"
MEDIA_TYPES = {"main.dart.wasm": "application/wasm", "main.dart.js": "text/javascript"}

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def web_dir() -> Path:
    return Path(flet_web.get_package_web_dir())


@cache
def patched(name: str) -> bytes:
    """The named entry point with the CDN address replaced (read once per process)."""
    data = (web_dir() / name).read_bytes()
    if data.count(RIVE_CDN) > 1:
        raise RuntimeError(f"{name}: the Rive address appears more than once; check the patch")
    return data.replace(RIVE_CDN, LOCAL_RIVE)


def without_outside_requests(app: ASGIApp) -> ASGIApp:
    """Wrap Flet's ASGI app so the patched entry points are served instead of the packaged."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        name = scope.get("path", "").rsplit("/", 1)[-1] if scope["type"] == "http" else ""
        if name not in MEDIA_TYPES or scope.get("method") not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        body = patched(name)
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", MEDIA_TYPES[name].encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-cache"),
        ]})
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else body})

    return serve
