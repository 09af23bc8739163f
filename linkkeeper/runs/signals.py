"""Signals that ask a command to stop become an exception, so that it stops the way an error does.

Without this, SIGTERM (systemd, `kill`, a shutdown) or SIGHUP (a closed terminal) end Python at once:
no cleanup runs, the crawler child is left to its parent-death signal, the run stays `running` and its
job file stays in the temp folder. Raised as `Interrupted`, the stop unwinds through every `finally`.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

from linkkeeper.errors import Interrupted

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, the first stop signal raises `Interrupted`; later ones wait for the cleanup it started."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise Interrupted(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
