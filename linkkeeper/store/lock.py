"""One run at a time per database: an exclusive `flock` on the database file itself, released by the kernel on any exit.

A killed run (even `kill -9`) cannot leave a stale lock behind, unlike a pid file. The lock is on the
database, not on a file beside it: deleting a lock file mid-run would have let a second run in, and one
run's update would have been lost. The lock's descriptor stays open until the database is closed: closing
another descriptor of the same file would drop SQLite's own POSIX locks; `store.opening` also watches the
file through it (whether the path still names it, whether someone else changed it).

A lock on a file is a lock on that inode, not on its name: a file renamed over the database's path mid-run
is not locked, and a second run would lock it and share the first run's `-wal` and `-shm` (they are found by
name) while the first still writes the old file. So the run also holds `DB.lock`, the note that says who
holds the database: deleting the note, or replacing the database, defeats one lock, not both. And the path
is checked once locked, so a file renamed over it between the open and the lock is not taken for the locked one.
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
def run_lock(db_path: Path) -> Iterator[int]:
    """Hold the database for a run; yields the locked file's descriptor (the file the run opened)."""
    note = _lock_note(db_path)
    try:
        fd = _open(db_path)
        try:
            _lock(fd, db_path)
            if not same_file(db_path, fd):
                raise LockedError(f"{db_path}: the file was replaced while this run locked it; try again")
            _say_holder(db_path, note)
            yield fd
        finally:
            os.close(fd)
    finally:
        if note is not None:
            os.close(note)


def same_file(path: Path, fd: int) -> bool:
    """Whether `path` still names the file open as `fd`."""
    try:
        named = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)


def holder(db_path: Path) -> str | None:
    """Who holds the database now (the note's pid and start), or None when no run holds it."""
    try:
        fd = os.open(db_path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _holder(db_path)
    finally:
        os.close(fd)  # before any SQLite connection of this process opens the file
    return None


def _open(db_path: Path) -> int:
    try:
        return os.open(db_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise InputError(f"{db_path}: cannot open the database: {error.strerror}") from None


def _lock(fd: int, db_path: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise LockedError(
            f"{db_path}: another linkkeeper run holds the database ({_holder(db_path)}); try again later"
        ) from None


def _lock_note(db_path: Path) -> int | None:
    """The note beside the database, locked; None where the folder refuses it (the database's lock holds)."""
    try:
        note = os.open(_holder_path(db_path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(note, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(note)
        raise LockedError(
            f"{db_path}: another linkkeeper run holds the database ({_holder(db_path)}); try again later"
        ) from None
    return note


def _say_holder(db_path: Path, note: int | None) -> None:
    """Best effort: the lock holds without this note, so a folder that refuses it does not stop the run."""
    if note is None:
        return
    with suppress(OSError):
        os.ftruncate(note, 0)
        os.pwrite(note, f"pid {os.getpid()}, started {now_iso()}".encode(), 0)


def _holder(db_path: Path) -> str:
    try:
        return _holder_path(db_path).read_text(encoding="utf-8", errors="replace")[:200].strip() or "another process"
    except OSError:
        return "another process"
