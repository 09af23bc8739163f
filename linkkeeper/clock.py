"""The time as every table stores it: UTC, to the second, ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def now_iso() -> str:
    return now().isoformat()
