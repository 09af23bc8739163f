"""One run at a time per database: an exclusive `flock` on `DB.lock`, released by the kernel on any exit.

A killed run (even `kill -9`) cannot leave a stale lock behind, unlike a pid file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from linkkeeper.clock import now_iso
from linkkeeper.errors import InputError, LockedError


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def run_lock(db_path: Path) -> Iterator[None]:
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise InputError(f"{path}: cannot create the lock file: {error.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise LockedError(
                f"{db_path}: another linkkeeper run holds the database ({holder}); try again later"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {now_iso()}".encode(), 0)
        yield
    finally:
        os.close(fd)
