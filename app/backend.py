"""The embedded reference backend, run as a child process of `python -m app`.

A separate process keeps the client and server as independent as they are in production; the
child is tied to us (Linux PDEATHSIG) so it never outlives the app, even if we are killed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time

import httpx

from app.config import PROJECT_ROOT, AppConfig

PR_SET_PDEATHSIG = 1


class BackendError(RuntimeError):
    """The embedded backend could not start; the message says what to do."""


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class EmbeddedBackend:
    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.config.effective_api_url

    def start(self, timeout_s: float = 30.0) -> None:
        env = {**os.environ, "KITOKITO_DATA_DIR": str(self.config.data_dir)}
        # The app is this backend's proxy: it forwards each browser's address, so per-visitor
        # login limits stay per visitor. The backend listens on loopback only.
        env.setdefault("KITOKITO_TRUSTED_PROXIES", "127.0.0.1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "--host", "127.0.0.1",
             "--port", str(self.config.api_port)],
            cwd=PROJECT_ROOT,
            env=env,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self._wait_healthy(timeout_s)

    def _wait_healthy(self, timeout_s: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BackendError(
                    f"The backend stopped at start (exit code {self.process.returncode}). "
                    f"If port {self.config.api_port} is in use, set KITOKITO_API_PORT to a "
                    "free port, or KITOKITO_API_URL to use a backend that is already running."
                )
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise BackendError(f"The backend did not answer on {self.url} within {timeout_s:.0f} s.")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
