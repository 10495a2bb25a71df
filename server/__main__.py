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
    # Behind the app (or a proxy) on this machine, the browser's address arrives in
    # X-Forwarded-For: rate limits per address need it. Only loopback peers are trusted.
    uvicorn.run(
        create_app(), host=args.host, port=args.port, log_level="warning", proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    )


if __name__ == "__main__":
    main()
