"""The crawlers' fork server (crawler/fork_server.py), from `check-links`'s side: started, asked to fork a crawl,
told of each crawl's end, and stopped.

Light to import: `check-links` starts the server before it imports anything else (launch.py), for
the server to import the crawler while the command imports itself and reads its list.
"""

from __future__ import annotations

import contextlib
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import IO

from linkkeeper.runs.children import die_with_parent, failure, reap


class Forked:
    """A forked crawler as `subprocess.Popen` is one, for linkkeeper/runs/crawl.py and `reap`: its exit status
    and signals go through the server, its parent (a crawler not yet reaped is the only one it signals)."""

    def __init__(self, server: ForkServer, pid: int, stdout: IO[bytes]):
        self.server = server
        self.pid = pid
        self.stdout = stdout

    def poll(self) -> int | None:
        return self.server.exit_status(self.pid, timeout=0)

    def wait(self, timeout: float | None = None) -> int:
        status = self.server.exit_status(self.pid, timeout)
        if status is None:
            raise subprocess.TimeoutExpired(f"crawler {self.pid}", timeout or 0)
        return status

    def terminate(self) -> None:
        self.server.signal(self.pid, signal.SIGTERM)

    def kill(self) -> None:
        self.server.signal(self.pid, signal.SIGKILL)


class ForkServer:
    """`python -m crawler.fork_server`, its log, and what it said: the crawls it forked (`pid N`), and those that
    ended (`exit PID STATUS`). Gone (its crawls die with it), it is a crawler that failed."""

    def __init__(self):
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the server)
        self.control, its_end = socket.socketpair()
        with its_end:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "crawler.fork_server", str(its_end.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.stderr,
                pass_fds=(its_end.fileno(),),
                preexec_fn=die_with_parent,
            )
        self.heard = b""
        self.forked: int | None = None
        self.exits: dict[int, int] = {}
        self.gone = False
        self.used = False

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc_info) -> None:
        """No more crawls: the server leaves once those it forked have ended, or at once if it forked none (it
        may still be getting ready)."""
        try:
            self.control.close()
            reap(self.process, ended=self.used)
        finally:
            self.stderr.close()

    def fork(self, job: int, stdout: int, stderr: int) -> int:
        """A crawl forked for `job`: its pid, once the server (getting ready first, if it still is) has forked it."""
        self.used = True
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # gone: its end says why, below
            socket.send_fds(self.control, [b"fork\n"], [job, stdout, stderr])
        while self.forked is None:
            if not self._listen(None):
                raise failure(reap(self.process, ended=True), self.stderr)
        pid, self.forked = self.forked, None
        return pid

    def exit_status(self, pid: int, timeout: float | None) -> int | None:
        """As `Popen.poll` (timeout 0) or `Popen.wait` gives it; None if the crawl has not ended within `timeout`.
        A crawl whose server is gone was killed with it."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while pid not in self.exits:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not self._listen(left):
                return self.exits.get(pid, -signal.SIGKILL)
            if left == 0 and pid not in self.exits:
                return None
        return self.exits[pid]

    def signal(self, pid: int, signum: int) -> None:
        if pid not in self.exits and not self.gone:
            with contextlib.suppress(OSError):
                self.control.sendall(f"kill {pid} {signum}\n".encode())

    def _listen(self, timeout: float | None) -> bool:
        """What the server says within `timeout`; False once it is gone."""
        if self.gone:
            return False
        if not select.select([self.control], [], [], timeout)[0]:
            return True
        try:
            heard = self.control.recv(1 << 12)
        except ConnectionResetError:  # gone with a request of ours unread
            heard = b""
        if not heard:
            self.gone = True
            return False
        *lines, self.heard = (self.heard + heard).split(b"\n")
        for line in lines:
            what, *numbers = line.split()
            if what == b"pid":
                self.forked = int(numbers[0])
            elif what == b"exit":
                self.exits[int(numbers[0])] = int(numbers[1])
        return True
