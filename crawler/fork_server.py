"""`python -m crawler.fork_server FD`: the crawler imported once, and each crawl of a `check-links` run forked
from it (linkkeeper/runs/forking.py `ForkServer` is the other end of the socket FD).

A crawler takes some 0.7 s of CPU to import Python, Scrapy, Twisted and every component the settings name.
`check-links` reads its list and opens its database meanwhile, on the same cores: with two crawlers each
importing the same modules, a run of 4,000 links sent its first request 1.2 to 1.6 s after it started.
Forked, each crawl costs a few milliseconds more than the first import, and shares its memory.

The socket carries lines. `fork`, with three descriptors (the crawl's job, standard output and standard
error), is answered `pid N` once the crawl is forked; `kill PID SIGNAL` signals a crawl not yet reaped. Each
crawl that ends is told as `exit PID CODE` (CODE as `subprocess` gives it: -N for a signal). The server
leaves once the socket has ended and its crawls with it; a crawl dies with its server, as the server dies
with `check-links`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import selectors
import signal
import socket
import sys
import traceback

import crawler.tls_import  # noqa: F401 (first: what it saves grows with the modules imported before it)
from crawler.process import get_ready, leave, run
from crawler.spiders.links import LinksSpider
from linkkeeper.runs.children import die_with_parent

FORK, KILL = b"fork", b"kill"
"""The requests the server takes."""
CRAWL_FDS = 3
"""The descriptors a `fork` comes with: the job, standard output, standard error."""


class _Server:
    def __init__(self, control: socket.socket):
        self.control = control
        self.crawls: set[int] = set()
        self.waiting = b""
        self.wake_up, self.wake_up_on = os.pipe()
        for end in (self.wake_up, self.wake_up_on):
            os.set_blocking(end, False)
        signal.set_wakeup_fd(self.wake_up_on)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)  # a handler, for the wake-up descriptor to hear it
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C reaches the whole process group: check-links decides
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.control, selectors.EVENT_READ)
        self.selector.register(self.wake_up, selectors.EVENT_READ)

    def serve(self) -> None:
        listening = True
        while listening or self.crawls:
            for key, _ in self.selector.select():
                if key.fileobj is self.control:
                    listening = self._take_requests()
                else:
                    with contextlib.suppress(BlockingIOError):
                        os.read(self.wake_up, 4096)
            self._reap()

    def _take_requests(self) -> bool:
        try:
            data, fds, _, _ = socket.recv_fds(self.control, 4096, CRAWL_FDS)
        except ConnectionResetError:  # check-links gone with a word unread
            data, fds = b"", []
        if not data:
            self.selector.unregister(self.control)
            return False
        *lines, self.waiting = (self.waiting + data).split(b"\n")
        for line in lines:
            what, *arguments = line.split()
            if what == FORK:
                if len(fds) != CRAWL_FDS:  # the system let fewer through (no descriptor left here, say)
                    print(f"the fork server got {len(fds)} of a crawl's {CRAWL_FDS} descriptors", file=sys.stderr)
                    leave(1)
                self._tell(f"pid {self._fork(*fds)}")
                fds = []
            elif what == KILL and int(arguments[0]) in self.crawls:
                os.kill(int(arguments[0]), int(arguments[1]))
        for fd in fds:
            os.close(fd)
        return True

    def _fork(self, job: int, stdout: int, stderr: int) -> int:
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            leave(self._crawl(job, stdout, stderr))
        for fd in (job, stdout, stderr):
            os.close(fd)
        self.crawls.add(pid)
        return pid

    def _crawl(self, job: int, stdout: int, stderr: int) -> int:
        """In the forked child: the server's signals and descriptors undone, the crawl's put in their place."""
        try:
            signal.set_wakeup_fd(-1)
            for signum, handler in ((signal.SIGCHLD, signal.SIG_DFL), (signal.SIGINT, signal.default_int_handler)):
                signal.signal(signum, handler)
            self.selector.close()
            for end in (self.control.detach(), self.wake_up, self.wake_up_on):
                os.close(end)
            die_with_parent()
            os.dup2(stdout, 1)
            os.dup2(stderr, 2)
            os.close(stdout)
            os.close(stderr)
            return run(LinksSpider, f"/dev/fd/{job}", "crawl")
        except BaseException:  # the child must never return into the server's loop
            traceback.print_exc()
            return 1

    def _reap(self) -> None:
        while self.crawls:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            self.crawls.discard(pid)
            self._tell(f"exit {pid} {os.waitstatus_to_exitcode(status)}")

    def _tell(self, line: str) -> None:
        """`check-links` gone, no one is listening: its crawls die with this server's end."""
        try:
            self.control.sendall(line.encode() + b"\n")
        except OSError:
            leave(1)


def main(control_fd: str) -> int:
    control = socket.socket(fileno=int(control_fd))
    get_ready()
    gc.freeze()  # what the imports made, out of every crawl's collections: they would touch (and copy) its pages
    _Server(control).serve()
    return 0


if __name__ == "__main__":
    leave(main(*sys.argv[1:]))
