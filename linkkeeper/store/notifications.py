"""The messages a run owes its notification targets (`notifications`): queued after the run's last write, marked
sent or failed once tried; a failed one is tried again by the next runs, for RETRY_DAYS."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

PENDING, SENT, FAILED = "pending", "sent", "failed"
RETRY_DAYS = 7
"""Days a message that could not be sent is tried again: older news is in the dashboard and the feed."""


def queue(
    db: Database,
    run_id: int | None,
    now: str,
    targets: Iterable[tuple[str, str]],
    title: str,
    body: str,
    markdown: str,
) -> None:
    """One pending message per target, given as (key, privacy-rendered URL)."""
    db["notifications"].insert_all(
        {
            "run_id": run_id,
            "created_at": now,
            "target": shown,
            "target_key": key,
            "title": title,
            "body": body,
            "markdown": markdown,
            "status": PENDING,
            "attempts": 0,
        }
        for key, shown in targets
    )


def due(db: Database, keys: Iterable[str], now: str) -> list[dict[str, Any]]:
    """The messages still owed to these targets (pending, or failed within RETRY_DAYS), oldest first."""
    since = (datetime.fromisoformat(now) - timedelta(days=RETRY_DAYS)).isoformat(timespec="seconds")
    return list(
        db.query(
            "select * from notifications where status in (?, ?) and target_key in (select value from json_each(?))"
            " and created_at >= ? order by id",
            [PENDING, FAILED, json.dumps(list(keys)), since],
        )
    )


def record(db: Database, message_id: int, now: str, error: str | None) -> None:
    """The outcome of one attempt: sent, or failed and why (its secrets already hidden)."""
    row = db["notifications"].get(message_id)
    db["notifications"].update(
        message_id,
        {
            "status": FAILED if error else SENT,
            "attempts": row["attempts"] + 1,
            "error": error,
            "sent_at": None if error else now,
        },
    )


def completed_before(db: Database, run_id: int) -> bool:
    """Whether a run completed before this one: the first run of a list sends an overview."""
    sql = "select exists(select 1 from runs where status = 'completed' and id < ?)"
    return bool(db.execute(sql, [run_id]).fetchone()[0])


def last_run(db: Database) -> int | None:
    """The newest run's id: a run that failed raised before it could say its own."""
    row = db.execute("select max(id) from runs").fetchone()
    return row[0] if row else None
