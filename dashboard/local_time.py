"""The list's time zone inside SQL: `local_time(iso, format)` gives a stored UTC time as the list's clock shows
it, so a chart's labels, which Datasette's SQL writes, read in the same zone as every other time of the
dashboard (SQLite knows only UTC and fixed offsets, and a zone's offset changes with daylight saving)."""

from __future__ import annotations

import sqlite3
from datetime import tzinfo

from linkkeeper.output import times

FUNCTION = "local_time"


def register(connection: sqlite3.Connection, where: tzinfo) -> None:
    """Deterministic: the same time and format always give the same text, so SQLite may plan around it."""

    def local_time(iso: str | None, format: str) -> str | None:
        return times.parse(iso).astimezone(where).strftime(format) if iso else None

    connection.create_function(FUNCTION, 2, local_time, deterministic=True)
