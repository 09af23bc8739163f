"""A Datasette plugin (loaded by `linkkeeper dashboard` through --plugins-dir): SQL reads the list's clock.
Each connection gets `local_time(iso, format)` (dashboard/local_time.py) in the list's zone, which the
charts' queries use to name and place runs."""

from __future__ import annotations

from datasette import hookimpl

from dashboard import cells, local_time


@hookimpl
def prepare_connection(conn, database, datasette):
    local_time.register(conn, cells.zone_of(datasette))
