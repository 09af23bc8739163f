"""One run at a time per database: an exclusive `flock` on the database file itself, released by the kernel on any exit.

A killed run (even `kill -9`) cannot leave a stale lock behind, unlike a pid file. The lock is on the
database, not on a file beside it: deleting a lock file mid-run would have let a second run in, and one
run's update would have been lost. `DB.lock` only says who holds the lock, for the message of the next run.
The lock's descriptor stays open until the database is closed: closing another descriptor of the same file
would drop SQLite's own POSIX locks.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from linkkeeper.clock import now_iso
from linkkeeper.errors import InputError, LockedError


def _holder_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def run_lock(db_path: Path) -> Iterator[None]:
    try:
        fd = os.open(db_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise InputError(f"{db_path}: cannot open the database: {error.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(
                f"{db_path}: another linkkeeper run holds the database ({_holder(db_path)}); try again later"
            ) from None
        _say_holder(db_path)
        yield
    finally:
        os.close(fd)


def _say_holder(db_path: Path) -> None:
    """Best effort: the lock holds without this note, so a folder that refuses it does not stop the run."""
    with suppress(OSError):
        _holder_path(db_path).write_text(f"pid {os.getpid()}, started {now_iso()}", encoding="utf-8")


def _holder(db_path: Path) -> str:
    try:
        return _holder_path(db_path).read_text(encoding="utf-8", errors="replace")[:200].strip() or "another process"
    except OSError:
        return "another process"
