"""The served web client asks nothing of a CDN (app/web_client.py)."""

from __future__ import annotations

from starlette.testclient import TestClient

from app.web_client import LOCAL_RIVE, RIVE_CDN, patched, web_dir, without_outside_requests


def test_the_entry_points_keep_their_length_and_lose_the_cdn_address() -> None:
    assert len(LOCAL_RIVE) == len(RIVE_CDN)
    for name in ("main.dart.wasm", "main.dart.js"):
        original = (web_dir() / name).read_bytes()
        assert RIVE_CDN in original  # a new Flet release without it: drop the patch
        served = patched(name)
        assert len(served) == len(original)
        assert RIVE_CDN not in served and LOCAL_RIVE in served


async def _flet(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"from flet"})


def test_the_wrapper_serves_the_patched_files_and_passes_the_rest() -> None:
    client = TestClient(without_outside_requests(_flet))
    wasm = client.get("/main.dart.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    assert wasm.content == patched("main.dart.wasm")
    assert client.get("/index.html").content == b"from flet"
    assert client.post("/main.dart.wasm").content == b"from flet"
