"""The registries' answers about the listed links' domains (`domains`): one row per registered domain, what its
registry last said by RDAP and when it was asked, so that each is asked at most once a week
(linkkeeper/domains/ asks; linkkeeper/health/domain_expiry.py judges the links by it)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from linkkeeper.health.domain_expiry import DomainFacts

FOUND, NOT_FOUND, NO_SERVICE, FAILED = "found", "not-found", "no-service", "failed"
ANSWERS = {
    FOUND: "the registry answered with the registration",
    NOT_FOUND: "the registry does not hold the name (404)",
    NO_SERVICE: "the top-level domain has no RDAP service in the bootstrap file",
    FAILED: "no usable answer: `error` says why",
}
"""What a look-up can come to, as the documentation says it."""


def asked(db: Database, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The stored row of each of these domains that was ever asked about."""
    rows = db.query("select * from domains where domain in (select value from json_each(?))", [json.dumps(list(names))])
    return {row["domain"]: row for row in rows}


def record(db: Database, rows: Iterable[dict[str, Any]]) -> None:
    """Each look-up's outcome, replacing what the registry said before."""
    db["domains"].upsert_all(
        ({**row, "statuses": json.dumps(row.get("statuses") or [])} for row in rows), pk="domain", alter=False
    )


def facts(row: dict[str, Any]) -> DomainFacts | None:
    """What the health rule reads of a stored answer: only a registration found says anything."""
    if row["answer"] != FOUND:
        return None
    return DomainFacts(row["domain"], row["expires_at"], tuple(json.loads(row["statuses"] or "[]")))


def all_domains(db: Database) -> list[dict[str, Any]]:
    """Every domain asked about, soonest expiry first (for `status` and the dashboard)."""
    return list(db.query("select * from domains order by expires_at is null, expires_at, domain"))
