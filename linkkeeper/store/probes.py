"""The hosts' stored answers for a path that cannot exist (`probes`), and where each link last landed: what a run
hands its crawlers so that a host is not probed again every run (linkkeeper/runs/probe_reuse.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database


def fresh_answers(db: Database, hosts: Iterable[str], since: str) -> dict[str, str]:
    """The stored answer of each of `hosts` probed at `since` or later."""
    rows = db.query(
        "select host, answer from probes where probed_at >= ? and host in (select value from json_each(?))",
        [since, json.dumps(sorted(set(hosts)))],
    )
    return {row["host"]: row["answer"] for row in rows}


def record(db: Database, answers: Iterable[dict[str, Any]]) -> None:
    """Fresh answers, each replacing its host's older one."""
    db["probes"].upsert_all(answers, pk="host", alter=False)


def last_landings(db: Database, resource_ids: Iterable[int]) -> dict[int, str]:
    """Where each link's last check ended, when it ended on an address."""
    rows = db.query(
        "select resource_id, final_url from checks where id in (select max(id) from checks"
        " where resource_id in (select value from json_each(?)) group by resource_id) and final_url is not null",
        [json.dumps(list(resource_ids))],
    )
    return {row["resource_id"]: row["final_url"] for row in rows}
