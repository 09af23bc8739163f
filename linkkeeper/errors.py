"""Exit statuses and the errors that map onto them, in one place, as the README documents them.

cron and systemd read the exit status: 1 means "a link is dead", so no other failure may end in 1.
`failure()` turns whatever stopped a command (a full disk, a database held by another program, a
damaged database, a bug) into one of these errors, so every command ends with one line and its status.
"""

from __future__ import annotations

import errno
import signal
import sqlite3
from pathlib import Path

from linkkeeper.quote import clean, clip

EXIT_OK = 0
EXIT_DEAD = 1
EXIT_BAD_INPUT = 2
EXIT_NETWORK_DOWN = 3
EXIT_LOCKED = 4
EXIT_CRAWLER_FAILED = 5
EXIT_REDIS = 6
EXIT_DATABASE_REPLACED = 7

EXIT_STATUSES = {
    EXIT_OK: "the run completed and no link is dead",
    EXIT_DEAD: "the run completed and at least one link is dead",
    EXIT_BAD_INPUT: (
        "bad input or usage: invalid `resources.yml`, a database that is not SQLite, damaged, another program's"
        " or from a newer linkkeeper, an unwritable path, an unknown option. One line names the file and line"
        " (or path) at fault; nothing was written"
    ),
    EXIT_NETWORK_DOWN: (
        "the network itself was unavailable: no canary answered, the run is recorded as `network_down`, no"
        " link's state changed"
    ),
    EXIT_LOCKED: (
        "another run holds the database (its pid and start time are printed), or another program is writing it;"
        " try again later"
    ),
    EXIT_CRAWLER_FAILED: (
        "the crawler or the machine failed: the crawler crashed, was stopped or could not start, the disk is"
        " full, or an internal error; the run is recorded as `failed`, no link's state changed"
    ),
    EXIT_REDIS: (
        "Redis (`--redis`) was down or unreachable: one line names its address (never its password); a"
        " coordinator that lost it mid-run records the run as `failed`, no link's state changed"
    ),
    EXIT_DATABASE_REPLACED: (
        "the database file was replaced (a file renamed or moved over it), deleted, or changed by another"
        " program (a backup copied over it in place) while the command wrote it: one line says which; the"
        " command stopped writing, left the file now at the path as it found it and discarded its own"
        " unsaved writes; `linkkeeper doctor` checks the file"
    ),
}
"""What each exit status means, as the README's table says it (generated from here)."""

STOPPED = (
    "stopped by Ctrl-C, SIGTERM or SIGHUP (128 + the signal, as shells report it): the run is recorded as"
    " `interrupted`, no link's state changed, the crawler is stopped too"
)
"""The meaning of 130, 143 and 129: `Interrupted.exit_code`."""

NO_SPACE = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


class LinkkeeperError(Exception):
    """An error the user can act on: printed as one line, then the process exits with `exit_code`."""

    exit_code = EXIT_BAD_INPUT


class InputError(LinkkeeperError):
    """Bad configuration, database or path: nothing was written."""


class LockedError(LinkkeeperError):
    exit_code = EXIT_LOCKED


class CrawlerFailed(LinkkeeperError):
    exit_code = EXIT_CRAWLER_FAILED


class DatabaseReplaced(LinkkeeperError):
    """The file at the database's path is no longer the one the command opened, or changed under it."""

    exit_code = EXIT_DATABASE_REPLACED


class RedisUnavailable(LinkkeeperError):
    """The Redis server that coordinator and workers share could not be used (a distributed run)."""

    exit_code = EXIT_REDIS


class Interrupted(BaseException):
    """A signal asked the process to stop (Ctrl-C, SIGTERM, SIGHUP); exits 128 + the signal, as shells do.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way swallows it.
    """

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


def failure(error: BaseException, db_path: Path | None = None) -> LinkkeeperError:
    """What stopped a command, as the one-line error and exit status the README documents."""
    if isinstance(error, LinkkeeperError):
        return error
    where = f"{db_path}: " if db_path else ""
    if (isinstance(error, OSError) and error.errno in NO_SPACE) or _sqlite_says(error, "disk is full"):
        return CrawlerFailed(f"{where}no space left to write ({_text(error)}); earlier history is intact")
    if _sqlite_says(error, "disk I/O error"):
        return CrawlerFailed(f"{where}the disk failed ({_text(error)}); earlier history is intact")
    if _sqlite_says(error, "locked", "busy"):
        return LockedError(f"{where}another program is writing the database ({_text(error)}); try again later")
    if isinstance(error, sqlite3.DatabaseError):
        return InputError(f"{where}cannot use the database: {_text(error)}")
    if isinstance(error, OSError):
        return CrawlerFailed(f"{f'{error.filename}: ' if error.filename else where}{_text(error)}")
    return CrawlerFailed(f"internal error ({type(error).__name__}: {_text(error)}); please report it")


def _sqlite_says(error: BaseException, *words: str) -> bool:
    return isinstance(error, sqlite3.OperationalError) and any(word in str(error) for word in words)


def _text(error: BaseException) -> str:
    text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return clip(clean(text), 300) or type(error).__name__
