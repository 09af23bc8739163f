"""The schema's steps, applied in order to every database, however old (sqlite-utils' migrations): a step
only changes tables and is never edited once released. The database is a public contract for the dashboard
and its users (`schema.py` says what each column means)."""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from linkkeeper.health.findings import named
from linkkeeper.store.queries import response_times

migrations = Migrations("linkkeeper")


@migrations()
def m001_initial_schema(db: Database) -> None:
    db["resources"].create(
        {
            "id": int, "url": str, "title": str, "kind": str, "section": str, "cited_as": str,
            "note": str, "position": int, "active": int, "added_at": str, "removed_at": str,
            "state": str, "reason": str, "since": str, "last_checked": str, "last_status": int,
            "failures": int, "failing_since": str, "moved_to": str, "archive_url": str,
        },
        pk="id",
        not_null={"url", "active", "state", "failures"},
        defaults={"active": 1, "state": "unknown", "reason": "not checked yet", "failures": 0},
    )
    db["resources"].create_index(["url"], unique=True)
    db["runs"].create(
        {
            "id": int, "started_at": str, "finished_at": str, "status": str, "resources": int,
            "checked": int, "ok": int, "at_risk": int, "dead": int, "unknown": int,
            "newly_dead": int, "recovered": int, "newly_at_risk": int, "canaries": str,
            "error": str, "version": str,
        },
        pk="id",
        not_null={"started_at", "status"},
    )
    db["checks"].create(
        {
            "id": int, "run_id": int, "resource_id": int, "url": str, "checked_at": str,
            "status_code": int, "final_url": str, "redirect_chain": str, "redirects": int,
            "error_class": str, "error": str, "elapsed_ms": int, "content_type": str,
            "content_length": int, "truncated": int, "title": str, "fingerprint": str,
            "tls_expires_at": str, "attempts": int, "finding": str, "outcome": str,
            "detail": str, "moved_to": str, "state": str, "reason": str,
        },
        pk="id",
        not_null={"run_id", "resource_id", "url", "checked_at", "outcome", "state"},
        foreign_keys=[("run_id", "runs", "id"), ("resource_id", "resources", "id")],
    )
    db["snapshots"].create(
        {
            "id": int, "resource_id": int, "url": str, "action": str, "status": str,
            "requested_at": str, "completed_at": str, "archive_url": str, "captured_at": str,
            "job_id": str, "attempts": int, "error": str,
        },
        pk="id",
        not_null={"resource_id", "url", "action", "status", "requested_at"},
        foreign_keys=[("resource_id", "resources", "id")],
    )
    for table, columns in (
        ("resources", ["state"]), ("resources", ["kind"]), ("resources", ["section"]),
        ("resources", ["active"]), ("runs", ["started_at"]), ("runs", ["status"]),
        ("checks", ["run_id"]), ("checks", ["resource_id", "checked_at"]),
        ("checks", ["checked_at"]), ("checks", ["state"]),
        ("snapshots", ["resource_id"]), ("snapshots", ["status"]),
    ):
        db[table].create_index(columns)

@migrations()
def m002_archive_state(db: Database) -> None:
    """The archive step's outcome per resource, and when a snapshot was actually sent to the archive."""
    db["resources"].add_column("archive_status", str)
    db["resources"].add_column("archived_at", str)
    db["resources"].add_column("archive_checked_at", str)
    db["snapshots"].add_column("submitted_at", str)
    db["snapshots"].add_column("note", str)

@migrations()
def m003_last_finding_in_link_health(db: Database) -> None:
    """Once the step that added `finding` to `link_health`; it stays registered because databases record
    it, and one recording a step this code does not know is refused as a newer linkkeeper's. Views are
    no migration's business now: `create_views` puts the current one in place after every migration."""

@migrations()
def m004_content_baseline(db: Database) -> None:
    """The text a resource is compared with for content drift, its latest text, and since when they differ."""
    for prefix in ("baseline", "content"):
        db["resources"].add_column(f"{prefix}_title", str)
        db["resources"].add_column(f"{prefix}_signature", str)
        db["resources"].add_column(f"{prefix}_at", str)
    db["resources"].add_column("changed_since", str)

@migrations()
def m005_served_at(db: Database) -> None:
    """When each link last answered with its content: a refusal is absence only for a page that answered
    before (crawler.rules.absence). Taken from the history already kept."""
    db["resources"].add_column("served_at", str)
    db.execute(
        "update resources set served_at = (select max(checked_at) from checks where checks.resource_id ="
        " resources.id and finding in (select value from json_each(?)))",
        [json.dumps(sorted(named("content")))],
    )

@migrations()
def m006_verified_captures(db: Database) -> None:
    """A capture becomes a link's copy only once it is fetched and judged to show the page: when that was, and
    every capture passed over on the way, with why. Copies recorded before are not verified (the policy
    looks them up again once)."""
    db["resources"].add_column("archive_verified_at", str)
    db["passed_captures"].create(
        {
            "id": int, "resource_id": int, "snapshot_id": int, "timestamp": str, "status": int, "finding": str,
            "reason": str, "judged_at": str,
        },
        pk="id",
        not_null={"resource_id", "snapshot_id", "timestamp", "finding", "reason", "judged_at"},
        foreign_keys=[("resource_id", "resources", "id"), ("snapshot_id", "snapshots", "id")],
    )
    db["passed_captures"].create_index(["snapshot_id"])
    db["passed_captures"].create_index(["resource_id"])

@migrations()
def m007_read_paths(db: Database) -> None:
    """Reads that stay fast as the history grows: a link's checks by id (its latest check, its history newest
    first, the check before the last run's); its checks by time carry their outcome, so the uptime is counted
    from the index alone (it replaces the index by resource and time, which it begins with); and each run's
    response times kept on its row for the chart, filled here for the runs already made."""
    db["checks"].create_index(["resource_id", "id"])
    db["checks"].create_index(["resource_id", "checked_at", "outcome"])
    db.execute("drop index if exists idx_checks_resource_id_checked_at")
    db["runs"].add_column("median_ms", int)
    db["runs"].add_column("p95_ms", int)
    for (run_id,) in db.execute("select id from runs").fetchall():
        db["runs"].update(run_id, response_times(db, run_id))

@migrations()
def m008_daily_checks(db: Database) -> None:
    """Retention: checks older than `history.keep_checks_days` are rolled into one row per link and day
    (queries.roll_up); the roll-up finds the last day it summarised by `day`, and reads the due checks by
    time (the index on `checks(checked_at)` of the first step)."""
    db["daily_checks"].create(
        {
            "resource_id": int, "day": str, "checks": int, "ok": int, "warning": int, "failure": int,
            "blocked": int, "worst_state": str, "median_ms": int,
        },
        pk=("resource_id", "day"),
        not_null={"resource_id", "day", "checks", "ok", "warning", "failure", "blocked", "worst_state"},
        foreign_keys=[("resource_id", "resources", "id")],
    )
    db["daily_checks"].create_index(["day"])

@migrations()
def m009_notifications(db: Database) -> None:
    """Each run's message to each notification target, kept until it is sent: one that failed is tried again by
    the next run (store/notifications.py). A target is named by its privacy rendering and a digest, never by its
    URL, which can hold a token."""
    db["notifications"].create(
        {
            "id": int, "run_id": int, "created_at": str, "target": str, "target_key": str, "title": str,
            "body": str, "markdown": str, "status": str, "attempts": int, "error": str, "sent_at": str,
        },
        pk="id",
        not_null={"created_at", "target", "target_key", "title", "body", "markdown", "status", "attempts"},
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["notifications"].create_index(["status", "target_key"])


@migrations()
def m010_domains(db: Database) -> None:
    """Domain expiry: what each listed link's domain registry last said by RDAP, and when it was asked
    (store/domains.py), so that a domain is asked at most once a week."""
    db["domains"].create(
        {
            "domain": str, "server": str, "asked_at": str, "answer": str, "expires_at": str, "registrar": str,
            "statuses": str, "error": str,
        },
        pk="domain",
        not_null={"asked_at", "answer"},
    )


@migrations()
def m011_decisions(db: Database) -> None:
    """What a person decided about each link: from the list (`ignore`, `expect`, `snooze`, kept in step with it by
    every run) and from `linkkeeper accept` (a wall looked at, kept with the answer it was: fine until that
    answer changes)."""
    db["resources"].add_column("ignored", int, not_null_default=0)
    for column in ("expect", "snooze_until", "accepted_at", "accepted_note", "accepted_finding"):
        db["resources"].add_column(column, str)
    db["resources"].add_column("accepted_status", int)
    db["resources"].add_column("accepted_final_url", str)


@migrations()
def m012_probes(db: Database) -> None:
    """Each host's answer for a path that cannot exist (the soft-404 probe), kept for `probe_reuse_days` so that a
    host is not asked again every run (store/probes.py)."""
    db["probes"].create(
        {"host": str, "probed_at": str, "status": int, "final_url": str, "server": str, "answer": str},
        pk="host",
        not_null={"probed_at", "answer"},
    )
