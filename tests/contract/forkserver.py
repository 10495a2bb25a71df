"""Fresh processes to SIGKILL, without paying Python's imports at every start.

    python -m tests.contract.forkserver tests.contract.server_proc

imports the module once (FastAPI, SQLAlchemy, ...: seconds on a busy machine), then answers one
JSON request a line on stdin: "spawn" forks a child that runs `module.run(args)` with its
output in args["log"] and exits; "listen" opens a listening TCP socket on 127.0.0.1 that it
keeps (children inherit it: a server restarted on it answers on the same port, and connections
made while no server runs wait in its backlog); "unlisten" closes one. The launcher opens no
database and starts no thread, so each child is a process of its own, with its own
connections, that a test can SIGKILL at any moment. Children are reaped by the kernel
(SIGCHLD ignored): a child is gone when os.kill(pid, 0) says so; how it ended, a child tells
through the files it writes.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any


def main() -> None:
    module = importlib.import_module(sys.argv[1])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    listeners: dict[int, socket.socket] = {}
    for line in sys.stdin:
        request = json.loads(line)
        op = request.pop("op")
        if op == "listen":
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            sock.listen(128)
            listeners[sock.fileno()] = sock
            answer: dict[str, Any] = {"fd": sock.fileno(), "port": sock.getsockname()[1]}
        elif op == "unlisten":
            listeners.pop(request["fd"]).close()
            answer = {}
        else:
            pid = os.fork()
            if pid == 0:
                _child(module, request)
            answer = {"pid": pid}
        print(json.dumps(answer), flush=True)


def _child(module, args: dict) -> None:
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        with open(os.devnull, "rb") as null, open(args["log"], "ab") as log:
            os.dup2(null.fileno(), 0)
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
        module.run(args)
        code = 0
    except BaseException:  # noqa: BLE001 - the child's end, whatever it was, goes to its log
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class ForkServer:
    """The test's side: spawn(args, log) -> pid of a fresh child; alive(pid); kill(pid);
    listen() -> (fd, port) of a socket the launcher holds for its children."""

    def __init__(self, module: str, *, root: Path, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.contract.forkserver", module], cwd=root, env=env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=out)

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise AssertionError(f"the launcher died: {tail(self.log)}")
        return json.loads(answer)

    def spawn(self, args: dict[str, Any], log: Path) -> int:
        return int(self._ask({"op": "spawn", **args, "log": str(log)})["pid"])

    def listen(self) -> tuple[int, int]:
        answer = self._ask({"op": "listen"})
        return int(answer["fd"]), int(answer["port"])

    def unlisten(self, fd: int) -> None:
        self._ask({"op": "unlisten", "fd": fd})

    @staticmethod
    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self, pid: int) -> bool:
        """SIGKILL and wait until it is gone; False if it was gone already."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        while self.alive(pid):
            time.sleep(0.002)
        return True

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-3000:]
    except OSError:
        return ""


if __name__ == "__main__":
    main()
