"""`python -m server --host 127.0.0.1 --port 8700`: run the reference backend."""

from __future__ import annotations

import argparse
import os

import uvicorn

from server.main import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("KITOKITO_API_PORT", 8700)))
    args = parser.parse_args()
    # X-Forwarded-For is read by the app itself, and only from the proxies named in
    # KITOKITO_TRUSTED_PROXIES (server/core/net.py); uvicorn must not rewrite the peer.
    uvicorn.run(
        create_app(), host=args.host, port=args.port, log_level="warning", proxy_headers=False,
    )


if __name__ == "__main__":
    main()
