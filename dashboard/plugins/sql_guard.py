"""A Datasette plugin (loaded by `linkkeeper dashboard` through --plugins-dir): the SQL box cannot call
`fts3_tokenizer()`.

SQLite's FTS3 registers `fts3_tokenizer` on every connection. Its one-argument form returns the address of a
tokenizer module in the server's memory (a native pointer, handy to whoever would defeat address-space
randomization), its two-argument form (disabled by default since SQLite 3.11) installs one from an address.
Datasette has no setting for SQL functions, so each connection it opens gets an authorizer that refuses the
function when a statement is prepared: the query fails with "not authorized", whatever its spelling or
argument count. Nothing linkkeeper shows needs it (its search index is FTS5).
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

REFUSED_FUNCTIONS = frozenset({"fts3_tokenizer"})


def _authorizer(action: int, first: str | None, second: str | None, database: str | None, trigger: str | None) -> int:
    if action == sqlite3.SQLITE_FUNCTION and (second or "").lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.set_authorizer(_authorizer)
