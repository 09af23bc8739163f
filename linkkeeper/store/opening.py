"""The one way to open the database, in the mode a command needs: locked for a run (checked, locked against
other runs, migrated), or read-only for the commands that only read (immutable on a read-only disk).

WAL mode lets readers read while a run writes; the lock is on the database file itself (`lock.py`).

A database is checked before it is used: one that fails the check is refused (exit 2) before anything
writes to it. Measured on a year of daily checks (warm cache): at 1,000 links (112 MB) `PRAGMA quick_check`
takes 0.26 s and `PRAGMA integrity_check` 1.9 s; at 10,000 links (1.1 GB) 2.4 s and 25 s. Only
`integrity_check` compares each index with its table, and a file damaged by a stale WAL (a database
replaced under a run) shows exactly that ("row 1 missing from index"). So a run, which writes and takes
minutes anyway, pays for `integrity_check`. The commands that only read must answer in a second or two:
they take `integrity_check` of every table but the history's (`HISTORY_TABLES`, which grow with the
years: `daily_checks` alone, at 3 million rows, takes 9.6 s) (the resources, the runs, the snapshots and
their indexes: 3 ms at 1,000 links, 26 ms at 10,000), and `quick_check` of the whole file (damaged pages
and records) while it is at most QUICK_CHECK_UP_TO (some 0.6 s). Left to the run: an index of the history
out of step with its table, and in a larger file a damaged page of it, which mislead a read (or end it with
"malformed", exit 2) but cannot spread, since no write starts without the full check. `linkkeeper doctor`
runs the full check.

A run watches the file it writes (`unchanged`, before and after each write): the path must still name the
file it opened (a backup renamed over it is another file, which its lock does not cover), and nobody else
may have written the file itself (a backup copied over it in place). In WAL mode a commit writes only the
`-wal`; the database file changes only when this connection checkpoints, which it counts in its
`total_changes`; when the command ends, only the path is checked again (see `_Watch.verify`). When the file
changed, the command stops writing, raises `DatabaseReplaced` (exit 7), and
closes without checkpointing: its WAL holds pages of the file it opened, which copied into another file (as
SQLite's checkpoint on close would) damage it, so its `-wal` and `-shm` are removed instead, and the file at
the path stays as it was put there. What the run had not checkpointed is lost with the file it belonged to.
"""

from __future__ import annotations

import ctypes
import json
import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from linkkeeper.errors import DatabaseReplaced, InputError, failure
from linkkeeper.quote import clean, clip
from linkkeeper.store.lock import run_lock, same_file
from linkkeeper.store.migrations import migrations
from linkkeeper.store.views import create_views, enable_search

DEFAULT_NAME = "linkkeeper.db"
SQLITE_HEADER = b"SQLite format 3\x00"


def database_path(config_path: Path, given: Path | None = None) -> Path:
    """The database named (`--db`), else the one beside the list."""
    return given or config_path.absolute().parent / DEFAULT_NAME


@contextmanager
def locked(path: Path) -> Iterator[Database]:
    """For a run: checked, locked against other runs, migrated, watched (`unchanged`), closed at the end."""
    check_database_path(path)
    with run_lock(path) as fd:
        db = open_database(path)
        watch = _Watch(path, fd, db)
        _WATCHES[db] = watch
        try:
            yield db
            watch.verify(content=False)
        except sqlite3.Error as error:
            raise failure(error, path) from None
        finally:
            watch.close()


_WATCHES: weakref.WeakKeyDictionary[Database, _Watch] = weakref.WeakKeyDictionary()


def unchanged(db: Database) -> None:
    """Before and after each write of a run: raise `DatabaseReplaced` if the file at the database's path is
    no longer the one it opened, or someone else wrote it. Nothing for a database not opened by `locked`."""
    watch = _WATCHES.get(db)
    if watch is not None:
        watch.verify()


@contextmanager
def guarded(db: Database) -> Iterator[None]:
    """One write of a run, between two `unchanged` checks (the second takes in this run's own checkpoint)."""
    unchanged(db)
    yield
    unchanged(db)


class _Watch:
    """What a run opened: the locked descriptor, the file's size and times, the connection's own changes,
    and its `-wal` and `-shm` (to remove only those, never another file's)."""

    def __init__(self, path: Path, fd: int, db: Database):
        self.path, self.fd, self.db = path, fd, db
        self.broken: str | None = None
        self.seen = self._state()
        self.changes = db.conn.total_changes
        self.beside = {suffix: _identity(path.with_name(path.name + suffix)) for suffix in ("-wal", "-shm")}

    def _state(self) -> tuple[int, int, int]:
        mine = os.fstat(self.fd)
        return mine.st_size, mine.st_mtime_ns, mine.st_ctime_ns

    def verify(self, content: bool = True) -> None:
        """`content=False` (when the command ends) checks only that the path names the file: what the command
        did unguarded since its last write (a `VACUUM`, say) may have checkpointed without a counted change."""
        if self.broken:
            raise DatabaseReplaced(self.broken)
        if not same_file(self.path, self.fd):
            what = "was replaced by another file (renamed or moved over it)" if self.path.exists() else "was deleted"
            self._fail(what)
        now, changes = self._state(), self.db.conn.total_changes
        if content and now != self.seen and changes == self.changes:
            self._fail("was written by another program (a file copied over it in place?)")
        self.seen, self.changes = now, changes
        for suffix, known in self.beside.items():
            if known is None:
                self.beside[suffix] = _identity(self.path.with_name(self.path.name + suffix))

    def _fail(self, what: str) -> None:
        self.broken = (
            f"{self.path}: the database {what} while this command wrote it; it stopped writing and left that"
            " file as it is (what it had not saved is discarded); `linkkeeper doctor` checks it"
        )
        raise DatabaseReplaced(self.broken)

    def close(self) -> None:
        if not self.broken:
            self.db.close()
            return
        if not _no_checkpoint_on_close(self.db):
            self.db.close()  # the checkpoint goes to the file this run opened; only a copy in place is hurt
            return
        self.db.close()
        for suffix, known in self.beside.items():
            beside = self.path.with_name(self.path.name + suffix)
            if known is not None and _identity(beside) == known:
                with suppress(OSError):
                    beside.unlink()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE = 1006


def _no_checkpoint_on_close(db: Database) -> bool:
    """Tell SQLite not to checkpoint when the connection closes (Python 3.12 has `setconfig` for this; 3.11
    reaches the connection's handle, the first field after the object header). True once SQLite says so."""
    connection = db.conn
    if hasattr(connection, "setconfig"):
        connection.setconfig(SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, True)
        return connection.getconfig(SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE)
    try:
        import _sqlite3

        config = ctypes.CDLL(_sqlite3.__file__).sqlite3_db_config
        config.restype = ctypes.c_int
        handle = ctypes.c_void_p.from_address(id(connection) + object.__basicsize__).value
        now = ctypes.c_int(-1)
        config(ctypes.c_void_p(handle), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, ctypes.c_int(1), ctypes.byref(now))
    except (OSError, AttributeError, ValueError):
        return False
    return now.value == 1


@contextmanager
def read_only(path: Path) -> Iterator[Database]:
    """For the commands that only read: it must exist; no lock is taken, WAL lets a run write meanwhile."""
    with _in_use(open_read_only(path), path) as db:
        yield db


@contextmanager
def _in_use(db: Database, path: Path) -> Iterator[Database]:
    """A database error while the command uses it ends in the one line that names the file; it is closed
    whatever happens."""
    try:
        yield db
    except sqlite3.Error as error:
        raise failure(error, path) from None
    finally:
        db.close()


def open_database(path: Path) -> Database:
    """Open (creating if needed) and migrate; call `check_database_path` first, before taking the lock."""
    try:
        db = Database(path)
        db.execute("pragma busy_timeout = 5000")
        check_intact(db, path, full=True)
        _check_ours(db, path)
        if not db.table_names():
            db.execute("pragma auto_vacuum = incremental")  # only before the first table; see queries.reclaim
        db.enable_wal()
        db.execute("pragma foreign_keys = on")
        migrations.apply(db)
        create_views(db)
        enable_search(db)
    except sqlite3.DatabaseError as error:
        raise failure(error, path) from None
    return db

HISTORY_TABLES = ("checks", "daily_checks")
"""The tables that grow with every run, for as long as the history is kept: a reader checks them only
through `quick_check`, and only in a file up to QUICK_CHECK_UP_TO."""
QUICK_CHECK_UP_TO = 256 * 1024 * 1024
"""The largest file the commands that only read `quick_check` whole (about 0.6 s), in bytes."""


def check_intact(db: Database, path: Path, full: bool = False) -> None:
    """Refuse a database that fails SQLite's check: `integrity_check` when `full` (a run), else
    `integrity_check` of every table but HISTORY_TABLES, and `quick_check` of a file up to QUICK_CHECK_UP_TO (see
    the module's docstring for why)."""
    if full:
        checks = ["integrity_check"]
    else:
        small = db.execute(
            "select name from sqlite_master where type = 'table' and name not in (select value from json_each(?))"
            " and coalesce(sql, '') not like 'CREATE VIRTUAL%'",
            [json.dumps(HISTORY_TABLES)],
        ).fetchall()
        checks = [f"integrity_check({_quoted(name)})" for (name,) in small]
        if path.stat().st_size <= QUICK_CHECK_UP_TO:
            checks.append("quick_check")
    for pragma in checks:
        found = [row[0] for row in db.execute(f"pragma {pragma}").fetchall()]
        if found != ["ok"]:
            raise InputError(
                f"{path}: the database is damaged ({pragma.split('(')[0]}: {clip(clean(found[0]), 200)});"
                " refusing to use it. `linkkeeper doctor` says what is wrong and how to restore it"
            )


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _check_ours(db: Database, path: Path) -> None:
    """Refuse to add our tables to another program's database, or to write one a newer linkkeeper migrated."""
    tables = db.table_names()
    if not tables:
        return
    applied = {m.name for m in migrations.applied(db)} if Migrations.migrations_table in tables else set()
    if not applied:
        raise InputError(f"{path}: not a linkkeeper database (it holds other tables); refusing to change it")
    unknown = applied - {m.name for m in migrations.pending(Database(memory=True))}
    if unknown:
        raise InputError(
            f"{path}: written by a newer linkkeeper (unknown schema step {max(unknown)}); upgrade linkkeeper to use it"
        )

def open_read_only(path: Path) -> Database:
    """For the commands that only read: the file must exist and be SQLite; nothing is created or migrated."""
    if not path.is_file():
        raise InputError(f"{path}: no database yet (run check-links first)")
    _check_sqlite_header(path)
    try:
        db = _reader(path, "immutable=1" if only_immutable(path) else "mode=ro")
        try:
            check_intact(db, path)
            if not db["link_health"].exists():
                raise InputError(f"{path}: not a linkkeeper database (no link_health view)")
        except BaseException:
            db.close()
            raise
    except sqlite3.DatabaseError as error:
        raise failure(error, path) from None
    return db

def only_immutable(path: Path) -> bool:
    """Whether SQLite can read `path` only as an immutable file: a WAL database opened read-only needs its
    WAL index (`DB-shm`), which a reader creates if missing; on a read-only disk it cannot. The index is
    missing only when no writer has the database open, so the file then holds every committed change. So
    does a file with no WAL (`DB-wal` missing or empty: a writer always has one): an `-shm` beside it is
    stale, left by a reader or a copy, and SQLite could not rebuild it where nothing can be written."""
    if os.access(path.parent, os.W_OK):
        return False
    wal = path.with_name(path.name + "-wal")
    return not path.with_name(path.name + "-shm").exists() or not wal.exists() or wal.stat().st_size == 0

def _reader(path: Path, mode: str) -> Database:
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?{mode}", uri=True)
    try:
        connection.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return Database(connection)

def check_database_path(path: Path) -> None:
    """Refuse, naming the path, anything that is not ours to write: checked before any write."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a database file")
    if path.exists() and not path.is_file():
        raise InputError(f"{path}: not a regular file (a device or a pipe cannot hold the database)")
    if path.exists():
        _check_sqlite_header(path)
        if not _can_write(path):
            raise InputError(f"{path}: not writable")
    elif not path.parent.is_dir():
        raise InputError(f"{path}: directory {path.parent} does not exist")
    elif not _can_write(path.parent):
        raise InputError(f"{path}: directory {path.parent} is not writable")

def _check_sqlite_header(path: Path) -> None:
    """An empty file is a new database; anything else must start as SQLite files do."""
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise InputError(f"{path}: not an SQLite database (refusing to touch it)")

def _can_write(path: Path) -> bool:
    return os.access(path, os.W_OK)
