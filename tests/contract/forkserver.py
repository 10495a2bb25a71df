"""Fresh processes to SIGKILL, without paying Python's imports at every start.

    python -m tests.contract.forkserver tests.contract.server_proc

imports the module once (FastAPI, SQLAlchemy, ...: seconds on a busy machine), then reads one
JSON object a line on stdin and answers each with the pid of a child forked for it, which runs
`module.run(args)` with its output in args["log"] and exits. The launcher opens no database and
starts no thread before forking, so each child is a process of its own, with its own
connections, that a test can SIGKILL at any moment. Children are reaped by the kernel
(SIGCHLD ignored): a child is gone when os.kill(pid, 0) says so; how it ended, a child tells
through the files it writes.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path


def main() -> None:
    module = importlib.import_module(sys.argv[1])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        args = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(module, args)
        print(pid, flush=True)


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
    """The test's side: spawn(args) -> pid of a fresh child; alive(pid); kill(pid)."""

    def __init__(self, module: str, *, root: Path, env: dict[str, str], log: Path,
                 pass_fds: Sequence[int] = ()) -> None:
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.contract.forkserver", module], cwd=root, env=env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=out, pass_fds=pass_fds)

    def spawn(self, args: dict) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write((json.dumps({"log": str(self.log), **args}) + "\n").encode())
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise AssertionError(f"the launcher died: {self.tail()}")
        return int(answer)

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

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


if __name__ == "__main__":
    main()
