"""What the crawler reports to `check-links`, one JSON line each (see `pipelines`).

A check's fields are the `checks` table's contract, so they are defined in the core package
(`linkkeeper.check_record`), where `check-links` reads them too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from linkkeeper.check_record import CheckItem

__all__ = ["CheckItem", "NetworkItem"]


@dataclass
class NetworkItem:
    """Sent once the canaries have answered (or not): `up` false means no target was checked."""

    up: bool
    canaries: list[dict] = field(default_factory=list)
