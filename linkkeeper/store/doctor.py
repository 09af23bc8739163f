"""`linkkeeper doctor`: what state the database is in, read without writing to it, and how to restore it.

It runs the full `PRAGMA integrity_check` (the commands that only read run a lighter check, see
`opening.py`), says whether the file is linkkeeper's (its schema steps), what lies beside it (a `-wal`
with pages not yet in the file, a `-shm` WAL index, stale when there is no WAL), and which run holds the
lock. The file is opened read-only (immutable where nothing beside it can be written), never migrated.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from linkkeeper.quote import clean, clip
from linkkeeper.store.lock import holder
from linkkeeper.store.opening import SQLITE_HEADER, only_immutable

SHOWN = 10
"""How many of the integrity check's findings are printed."""


def examine(path: Path) -> tuple[bool, list[str]]:
    """Whether the database is healthy, and what to say of it, line by line."""
    lines = [f"Database: {path}"]
    if not path.is_file():
        return False, [*lines, "  not there (or not a regular file): check-links creates it"]
    size = path.stat().st_size
    lines.append(f"  size: {size:,} bytes")
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        return False, [*lines, "  not an SQLite database: linkkeeper will not touch it", *_restore(path)]
    running = holder(path)
    lines.append(f"  lock: held by a run ({running})" if running else "  lock: no run holds it")
    lines.extend(_beside(path))
    try:
        found, ours = _check(path)
    except sqlite3.DatabaseError as error:
        return False, [*lines, f"  integrity check: cannot read it ({clip(clean(str(error)), 200)})", *_restore(path)]
    lines.append(f"  schema: {ours}")
    if found == ["ok"]:
        lines.append("  integrity check: ok")
        healthy = ours.startswith("a linkkeeper database")
        return healthy, lines if healthy else [*lines, "  linkkeeper refuses a database it did not make"]
    counted = f"at least {len(found)} problems (SQLite stops at 100)" if len(found) >= 100 else (
        f"{len(found)} problem{'s' if len(found) != 1 else ''}"
    )
    lines.append(f"  integrity check: {counted}")
    lines.extend(f"    {clip(clean(problem), 200)}" for problem in found[:SHOWN])
    if len(found) > SHOWN:
        lines.append(f"    ... and {len(found) - SHOWN} more")
    return False, [*lines, *_restore(path)]


def _check(path: Path) -> tuple[list[str], str]:
    mode = "immutable=1" if only_immutable(path) else "mode=ro"
    with closing(sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True)) as connection:
        found = [row[0] for row in connection.execute("pragma integrity_check")]
        tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
        if not tables:
            return found, "empty (check-links makes it a linkkeeper database)"
        if "_sqlite_migrations" not in tables:
            return found, "another program's (no linkkeeper schema steps)"
        steps = connection.execute(
            "select count(*), max(name) from _sqlite_migrations where migration_set = 'linkkeeper'"
        ).fetchone()
    if not steps[0]:
        return found, "another program's (no linkkeeper schema steps)"
    return found, f"a linkkeeper database, {steps[0]} schema steps, the last {steps[1]}"


def _beside(path: Path) -> list[str]:
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    lines = []
    if wal.exists() and wal.stat().st_size:
        lines.append(f"  WAL: {wal.name}, {wal.stat().st_size:,} bytes not yet copied into the file (keep it with it)")
    else:
        lines.append("  WAL: none (the file holds every committed change)")
    if shm.exists():
        stale = " (stale: there is no WAL; SQLite rebuilds it)" if not wal.exists() else ""
        lines.append(f"  WAL index: {shm.name}{stale}")
    if not os.access(path.parent, os.W_OK):
        immutable = " (read as an immutable file)" if only_immutable(path) else ""
        lines.append(f"  folder: read-only{immutable}")
    return lines


def _restore(path: Path) -> list[str]:
    return [
        "How to restore it (stop check-links, the dashboard and cron's runs first):",
        f"  from a backup: remove {path.name}-wal and {path.name}-shm, then copy the backup to {path}",
        "  with no backup, salvage what SQLite can still read into a new file, and use it in its place:",
        f"    sqlite3 {path} .recover | sqlite3 {path.with_name(path.stem + '-recovered.db')}",
    ]
