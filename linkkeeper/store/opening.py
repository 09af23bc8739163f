"""The one way to open the database, in the mode a command needs: locked for a run (checked, locked against
other runs, migrated), or read-only for the commands that only read (immutable on a read-only disk).

WAL mode lets readers read while a run writes; the lock is on the database file itself (`lock.py`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from linkkeeper.errors import InputError, failure
from linkkeeper.store.lock import run_lock
from linkkeeper.store.migrations import migrations
from linkkeeper.store.views import create_views, enable_search

DEFAULT_NAME = "linkkeeper.db"
SQLITE_HEADER = b"SQLite format 3\x00"


def database_path(config_path: Path, given: Path | None = None) -> Path:
    """The database named (`--db`), else the one beside the list."""
    return given or config_path.absolute().parent / DEFAULT_NAME


@contextmanager
def locked(path: Path) -> Iterator[Database]:
    """For a run: checked, locked against other runs, migrated, closed at the end."""
    check_database_path(path)
    with run_lock(path), _in_use(open_database(path), path) as db:
        yield db


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
        _check_ours(db, path)
        db.enable_wal()
        db.execute("pragma foreign_keys = on")
        migrations.apply(db)
        create_views(db)
        enable_search(db)
    except sqlite3.DatabaseError as error:
        raise failure(error, path) from None
    return db

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
        if not db["link_health"].exists():
            db.close()
            raise InputError(f"{path}: not a linkkeeper database (no link_health view)")
    except sqlite3.DatabaseError as error:
        raise failure(error, path) from None
    return db

def only_immutable(path: Path) -> bool:
    """Whether SQLite can read `path` only as an immutable file: a WAL database opened read-only needs its
    WAL index (`DB-shm`), which a reader creates if missing; on a read-only disk it cannot. The index is
    missing only when no writer has the database open, so the file then holds every committed change."""
    return not os.access(path.parent, os.W_OK) and not path.with_name(path.name + "-shm").exists()

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
