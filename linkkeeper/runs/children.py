"""Child processes that must not outlive the linkkeeper command that started them."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import IO, Protocol

from linkkeeper.errors import CrawlerFailed

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
STOP_SECONDS = 10.0
"""How long a crawler may take to exit once its output has ended, or once asked to stop, before it is killed."""


def die_with_parent() -> None:
    """For `preexec_fn`: on Linux the child is killed when its parent dies, even by a SIGKILL no cleanup sees.

    A crawler would otherwise crawl on unsupervised, and a dashboard's Datasette would keep its port.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Child(Protocol):
    """A process as `reap` needs it: `subprocess.Popen`, or a forked crawler (linkkeeper/runs/forking.py)."""

    def terminate(self) -> None: ...

    def kill(self) -> None: ...

    def wait(self, timeout: float | None = None) -> int: ...


def reap(process: Child, ended: bool) -> int:
    """The crawler's exit status, within STOP_SECONDS: asked to stop first if its reader gave up on it."""
    if not ended:
        process.terminate()
    try:
        return process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def failure(code: int, stderr: IO[bytes]) -> CrawlerFailed:
    """A crawler's failure, told by the last line of its log."""
    stderr.seek(0)
    text = stderr.read().decode("utf-8", "replace")
    tail = [line for line in text.splitlines() if line.strip()][-1:]
    return CrawlerFailed(f"the crawler failed (exit {code}): {tail[0] if tail else 'no message'}")
