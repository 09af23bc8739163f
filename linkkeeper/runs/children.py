"""Child processes that must not outlive the linkkeeper command that started them."""

from __future__ import annotations

import signal
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
ON_CUE = "--on-cue"
"""After a crawler's arguments: it gets ready, then reads its job once its standard input says so
(crawler/process.py)."""


def die_with_parent() -> None:
    """For `preexec_fn`: on Linux the child is killed when its parent dies, even by a SIGKILL no cleanup sees.

    A crawler would otherwise crawl on unsupervised, and a dashboard's Datasette would keep its port.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
