"""The fixed history (fixed_history.py) served by the dashboard in a time zone far from UTC, as a process.

`linkkeeper dashboard` takes its time zone from the list; this serves through `dashboard.serve.serve`
directly, so the zone is the one given here whatever the command line passes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fixed_history import write_history
from local_dashboard import serving

ZONE = "Pacific/Auckland"  # the report's readers: UTC+13 in November (NZDT)


@contextmanager
def served_history(folder: Path, zone: str = ZONE) -> Iterator[str]:
    """The dashboard's base URL; its whole process group is ended afterwards, whatever happened."""
    _, db = write_history(folder)
    db.close()
    with serving(folder / "linkkeeper.db", "Test resources", zone) as url:
        yield url
