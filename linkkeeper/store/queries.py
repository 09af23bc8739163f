"""Every read a command makes of the database and every write of a run or of the archive step.

Safety: each write is one transaction. A run's checks are written in batches as they
arrive; the resources' health and the run's totals are written together at the end, so a run killed
at any moment leaves the earlier history exactly as it was (the run stays `running` until the next
run marks it `interrupted`).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any

from sqlite_utils import Database

from linkkeeper.config.resources import Resource
from linkkeeper.errors import InputError
from linkkeeper.health.decisions import WALL, AcceptedWall
from linkkeeper.health.drift import Baseline, Content
from linkkeeper.health.state import Health
from linkkeeper.health.vocabulary import AT_RISK, COMPLETED, DEAD, INTERRUPTED, OK, PENDING, RUNNING, WORST_FIRST

RESOURCE_FIELDS = ("title", "kind", "section", "cited_as", "note", "position", "ignored", "expect", "snooze_until")
HEALTH_FIELDS = tuple(Health.__dataclass_fields__)


def sync_resources(db: Database, resources: Iterable[Resource], now: str) -> dict[str, int]:
    """Make `resources` match the list: new URLs added, removed ones kept but inactive. Returns url -> id.

    A listed URL that is new, where a link no longer listed had moved to (its `moved_to`), is that link under its
    new address (`linkkeeper apply-moves`, or a person following the move by hand): it keeps its id, so its history
    goes on; its checks keep the address they checked.

    A row the list does not change is not written: each write of a resource also rewrites its entry in the
    search index (a trigger), and a long list is mostly unchanged from one run to the next."""
    known = {url: (rid, active) for rid, url, active in db.execute("select id, url, active from resources")}
    resources = list(resources)
    listed = {resource.url for resource in resources}
    moved_from = {
        moved_to: rid
        for rid, url, moved_to in db.execute("select id, url, moved_to from resources where active = 1")
        if moved_to and url not in listed
    }
    kept, added, renamed = [], [], []
    for resource in resources:
        fields = tuple(getattr(resource, name) for name in RESOURCE_FIELDS)
        if resource.url in known:
            kept.append((*fields, known[resource.url][0], *fields))
        elif resource.url in moved_from:
            renamed.append((resource.url, *fields, moved_from.pop(resource.url)))
        else:
            added.append((resource.url, *fields, now))
    followed = {row[-1] for row in renamed}
    gone = [(now, rid) for url, (rid, active) in known.items() if active and url not in listed and rid not in followed]
    assignments = ", ".join(f"[{name}] = ?" for name in RESOURCE_FIELDS)
    unchanged = " and ".join(f"[{name}] is ?" for name in RESOURCE_FIELDS)
    with db.atomic():
        db.conn.executemany(
            f"update resources set {assignments}, active = 1, removed_at = null"
            f" where id = ? and not ({unchanged} and active = 1 and removed_at is null)",
            kept,
        )
        db.conn.executemany(f"update resources set url = ?, {assignments}, moved_to = null where id = ?", renamed)
        db.conn.executemany(
            f"insert into resources (url, {', '.join(RESOURCE_FIELDS)}, active, added_at)"
            f" values (?, {', '.join('?' for _ in RESOURCE_FIELDS)}, 1, ?)",
            added,
        )
        db.conn.executemany("update resources set active = 0, removed_at = ? where id = ?", gone)
    return dict(db.execute("select url, id from resources where active = 1").fetchall())


def interrupt_stale_runs(db: Database, now: str) -> int:
    """Runs left `running` by a killed process; only called while holding the run lock."""
    with db.atomic():
        cursor = db.execute(
            "update runs set status = ?, finished_at = ? where status = ?", [INTERRUPTED, now, RUNNING]
        )
    return cursor.rowcount


def start_run(db: Database, now: str, resource_count: int, version: str) -> int:
    with db.atomic():
        table = db["runs"].insert(
            {"started_at": now, "status": RUNNING, "resources": resource_count, "version": version}
        )
    return table.last_pk


def health_of(db: Database, resource_ids: Iterable[int]) -> dict[int, Health]:
    ids = list(resource_ids)
    rows = db.query(
        f"select id, {', '.join(HEALTH_FIELDS)} from resources where id in (select value from json_each(?))",
        [json.dumps(ids)],
    )
    return {row.pop("id"): Health(**row) for row in rows}


def served_of(db: Database, resource_ids: Iterable[int]) -> dict[int, str]:
    """When each resource last answered with its content; one that never did is left out."""
    rows = db.query(
        "select id, served_at from resources where id in (select value from json_each(?)) and served_at is not null",
        [json.dumps(list(resource_ids))],
    )
    return {row["id"]: row["served_at"] for row in rows}


def baselines_of(db: Database, resource_ids: Iterable[int]) -> dict[int, Baseline]:
    """The resources' baselines; one without any (no good text checked yet) is left out, for `Baseline()`."""
    rows = db.query(
        "select id, baseline_title, baseline_signature, baseline_at, changed_since from resources"
        " where id in (select value from json_each(?))"
        " and (baseline_signature is not null or changed_since is not null)",
        [json.dumps(list(resource_ids))],
    )
    return {
        row["id"]: Baseline(
            Content(row["baseline_title"], row["baseline_signature"], row["baseline_at"])
            if row["baseline_signature"]
            else None,
            row["changed_since"],
        )
        for row in rows
    }


def content_columns(baseline: Baseline, seen: Content) -> dict[str, Any]:
    """The resource's drift columns after a good check: its baseline, its latest text, since when they differ."""
    first = baseline.content or seen
    return {
        "baseline_title": first.title, "baseline_signature": first.signature, "baseline_at": first.at,
        "content_title": seen.title, "content_signature": seen.signature, "content_at": seen.at,
        "changed_since": baseline.changed_since,
    }


WALL_COLUMNS = ("accepted_at", "accepted_note", "accepted_finding", "accepted_status", "accepted_final_url")
WALL_FORGOTTEN = dict.fromkeys(WALL_COLUMNS, None)
"""A wall accepted by a person, forgotten once a check answers otherwise (from then on, judged as any other)."""


def accepted_walls(db: Database, resource_ids: Iterable[int]) -> dict[int, AcceptedWall]:
    """The walls a person accepted (`accept`), by resource; a resource without one is left out."""
    rows = db.query(
        f"select id, {', '.join(WALL_COLUMNS)} from resources where id in (select value from json_each(?))"
        " and accepted_at is not null",
        [json.dumps(list(resource_ids))],
    )
    return {
        row["id"]: AcceptedWall(
            row["accepted_at"], row["accepted_note"], row["accepted_finding"], row["accepted_status"],
            row["accepted_final_url"],
        )
        for row in rows
    }


def accept(db: Database, urls: Iterable[str], now: str, where: tzinfo, note: str | None = None) -> list[dict[str, Any]]:
    """What a person looked at, taken as fine. A link whose last check met a wall: that wall, until a check answers
    otherwise (kept with its finding, status and final address; the link stays `unknown`, its reason calm).
    Otherwise the page's latest text as its baseline for content drift: a link at risk only for its drift is ok.

    All or nothing: a URL that is not listed, or has neither a wall nor text checked yet, changes nothing at all.
    Each accepted row comes back with `wall`: the wall accepted, or None for a text. `where`: the list's zone, the
    reason's date's."""
    found = []
    for url in urls:
        row = next(db["resources"].rows_where("url = ? and active = 1", [url]), None)
        if row is None:
            raise InputError(f"{url}: not in the list (or check-links has not run since it was added)")
        last = next(
            db.query(
                "select outcome, finding, status_code, final_url, checked_at from checks where resource_id = ?"
                " order by id desc limit 1",
                [row["id"]],
            ),
            {},
        )
        if last.get("outcome") == WALL:
            found.append((row, AcceptedWall(now, note, last["finding"], last["status_code"], last["final_url"]), last))
        elif row["content_signature"]:
            found.append((row, None, last))
        else:
            raise InputError(f"{url}: neither a wall nor page text checked yet, nothing to accept")
    accepted = []
    with db.atomic():
        for row, wall, last in found:
            fields = _accepted_wall(wall, where) if wall else _accepted_text(row, last, now)
            db["resources"].update(row["id"], fields)
            accepted.append({**row, **fields, "wall": wall})
    return accepted


def _accepted_wall(wall: AcceptedWall, where: tzinfo) -> dict[str, Any]:
    return {
        "accepted_at": wall.at, "accepted_note": wall.note, "accepted_finding": wall.finding,
        "accepted_status": wall.status, "accepted_final_url": wall.final_url, "reason": wall.reason(where),
    }


def _accepted_text(row: dict[str, Any], last: dict[str, Any], now: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "baseline_title": row["content_title"], "baseline_signature": row["content_signature"],
        "baseline_at": row["content_at"], "changed_since": None,
    }
    if row["state"] == AT_RISK and last.get("finding") == "content-changed":
        fields |= {"state": OK, "reason": f"new content accepted as the baseline on {now[:10]}", "since": now}
    return fields


def insert_checks(db: Database, rows: list[dict[str, Any]]) -> None:
    """Rows of one shape (a run's checks), in one transaction and one statement."""
    if not rows:
        return
    columns = [*rows[0], "redirects"]
    with db.atomic():
        db.conn.executemany(
            f"insert into checks ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' for _ in columns)})",
            [
                (*(json.dumps(v) if k == "redirect_chain" else v for k, v in row.items()), len(row["redirect_chain"]))
                for row in rows
            ],
        )


def finish_run(
    db: Database,
    run_id: int,
    run: dict[str, Any],
    health: dict[int, tuple[Health, dict[str, Any]]],
) -> None:
    """Record the run's result and each checked resource's new health, all or nothing: one statement for
    each set of columns (a check with page text also sets the content columns)."""
    shapes: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
    for resource_id, (new, last) in health.items():
        shapes[tuple(last)].append((*(getattr(new, name) for name in HEALTH_FIELDS), *last.values(), resource_id))
    with db.atomic():
        for extra, rows in shapes.items():
            columns = ", ".join(f"[{name}] = ?" for name in (*HEALTH_FIELDS, *extra))
            db.conn.executemany(f"update resources set {columns} where id = ?", rows)
        db["runs"].update(run_id, run | response_times(db, run_id))


def response_times(db: Database, run_id: int) -> dict[str, int | None]:
    """The median and the 95th percentile (nearest rank) of the response times of the pages a run was served,
    kept on its row for the dashboard's chart (None when no page was served). Also fills the runs made before
    the columns existed (migration m007)."""
    times = [
        ms for (ms,) in db.execute(
            "select elapsed_ms from checks where run_id = ? and elapsed_ms is not null"
            " and outcome in ('ok', 'warning') order by elapsed_ms",
            [run_id],
        )
    ]
    return {
        column: times[max(math.ceil(share * len(times)), 1) - 1] if times else None
        for column, share in (("median_ms", 0.5), ("p95_ms", 0.95))
    }


def queue_snapshots(db: Database, planned: Iterable[tuple[int, str, str]], now: str) -> list[dict[str, Any]]:
    """Write each intended action as `pending` before anything is sent; return all pending work, oldest first."""
    with db.atomic():
        pending = {(row["resource_id"], row["action"]) for row in db["snapshots"].rows_where("status = ?", [PENDING])}
        for resource_id, url, action in planned:
            if (resource_id, action) not in pending:
                db["snapshots"].insert(
                    {
                        "resource_id": resource_id, "url": url, "action": action, "status": "pending",
                        "requested_at": now, "attempts": 0,
                    }
                )
                pending.add((resource_id, action))
    return list(db["snapshots"].rows_where("status = ?", [PENDING], order_by="id"))


def update_snapshot(
    db: Database, snapshot: dict[str, Any], fields: dict[str, Any], resource: dict[str, Any] | None = None
) -> None:
    """One snapshot's progress, and with its outcome the resource's archive columns, in one transaction."""
    with db.atomic():
        db["snapshots"].update(snapshot["id"], fields)
        if resource:
            db["resources"].update(snapshot["resource_id"], resource)


def pass_over(db: Database, snapshot: dict[str, Any], passed: dict[str, Any]) -> None:
    """A capture judged not to show the page, kept at once: the next run's look-up goes on below it."""
    with db.atomic():
        db["passed_captures"].insert(
            {"resource_id": snapshot["resource_id"], "snapshot_id": snapshot["id"], **passed}
        )


def passed_over(db: Database, snapshot_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The captures the look-ups `snapshot_ids` passed over, newest capture first (none in a database that a
    read-only command finds not yet migrated to keep them)."""
    if not db["passed_captures"].exists():
        return []
    return list(
        db.query(
            "select * from passed_captures where snapshot_id in (select value from json_each(?))"
            " order by timestamp desc, id desc",
            [json.dumps(list(snapshot_ids))],
        )
    )


def saves_since(db: Database, since: str) -> int:
    return db["snapshots"].count_where("action = 'save' and submitted_at >= ?", [since])


def resource_ids(db: Database, urls: Iterable[str]) -> dict[str, int]:
    return {
        row["url"]: row["id"]
        for row in db.query(
            "select id, url from resources where url in (select value from json_each(?))", [json.dumps(list(urls))]
        )
    }


def link_health(
    db: Database, states: Iterable[str] = (), kinds: Iterable[str] = (), urls: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """The `link_health` view, optionally only some states, kinds and URLs, in list order."""
    where, params = [], []
    for column, values in (("state", list(states)), ("kind", list(kinds)), ("url", list(urls))):
        if values:
            where.append(f"{column} in (select value from json_each(?))")
            params.append(json.dumps(values))
    sql = "select * from link_health" + (" where " + " and ".join(where) if where else "")
    return list(db.query(sql + " order by position", params))


# A table's rows of one URL, found through its resource's id (indexed) rather than by reading the whole table: all
# of its history, the checks made at the address it had before a move the list followed included (sync_resources).
OF_URL = "resource_id = (select id from resources where url = ?)"


def history(db: Database, url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One resource's checks and snapshots, newest first; each look-up with the captures it passed over
    (`passed_over`), so what a reader was not sent to, and why, is part of the history."""
    checks = list(db.query(f"select * from checks where {OF_URL} order by id desc", [url]))
    snapshots = list(db.query(f"select * from snapshots where {OF_URL} order by id desc", [url]))
    passed: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in passed_over(db, (snapshot["id"] for snapshot in snapshots)):
        passed[row["snapshot_id"]].append(row)
    return checks, [{**snapshot, "passed_over": passed[snapshot["id"]]} for snapshot in snapshots]


def state_counts_by_run(db: Database) -> list[dict[str, Any]]:
    """How many links were in each state after each completed run, oldest run first."""
    return list(
        db.query(
            "select id as run, started_at, ok, at_risk, dead, unknown from runs"
            " where status = ? order by id",
            [COMPLETED],
        )
    )


def daily_history(db: Database, url: str) -> list[dict[str, Any]]:
    """One resource's days rolled up (`roll_up`), newest first; none in a database not yet migrated to keep them."""
    if not db["daily_checks"].exists():
        return []
    return list(
        db.query(
            "select * from daily_checks where resource_id = (select id from resources where url = ?) order by day desc",
            [url],
        )
    )


ROLL_UP_STEP = 50_000
"""Checks read in one step of the roll-up, at most: one transaction. Measured (a year of daily checks at 10,000
links, 2 shared cores): 0.6 to 1.5 s a full step, a day of 10,000 checks 0.3 to 0.6 s."""
OUTCOMES = ("ok", "warning", "failure", "blocked")


@dataclass
class RolledUp:
    """What a roll-up did: checks summed into daily rows and deleted, daily rows written, state changes kept
    (read again by the next roll-up's first step only), and whether checks are still due (`steps` ran out)."""

    checks: int = 0
    days: int = 0
    kept: int = 0
    due: bool = False

    def add(self, other: RolledUp) -> None:
        self.checks, self.days, self.kept = self.checks + other.checks, self.days + other.days, self.kept + other.kept


def roll_up_before(now: str, keep_days: int) -> str:
    """The first day kept whole (YYYY-MM-DD): checks of the days before it are rolled up."""
    return (date.fromisoformat(now[:10]) - timedelta(days=keep_days)).isoformat()


def roll_up(
    db: Database,
    before: str,
    steps: int | None = None,
    limit: int = ROLL_UP_STEP,
    guard: Callable[[], AbstractContextManager] = nullcontext,
) -> RolledUp:
    """Roll the checks made before the day `before` into `daily_checks`, oldest first, in steps of at most
    `limit` checks, each one transaction inside `guard()` (a run's `guarded`): a kill leaves each step done
    or not. `steps=None` goes on until nothing is due.

    Kept, forever: each link's first check, and every check whose state differs from the link's check before
    it (a state change: the check that caused it). The others are counted into their link's row of their day,
    then deleted. A deleted check has its predecessor's state, so "the check before" is the nearest one still
    stored. Where to start: every day before the last one summarised is done (a step ends on a day's end,
    unless one day holds more than `limit` checks), so each roll-up reads from that day on and goes through
    the kept checks of that day only. A step that found nothing to roll up (only kept checks: say more than
    `limit` links first checked on the oldest day due) is not counted in `steps`: the next one starts past
    what it read, so every roll-up that has checks due rolls some up.

    In a database whose `auto_vacuum` is incremental (the ones linkkeeper creates, and any `compact` has
    rewritten), each step that deleted checks then gives the pages it freed back to the file system, inside
    the same `guard()`: the file shrinks as the history is rolled up, without a `VACUUM`."""
    done = RolledUp()
    start = db.execute("select max(day) from daily_checks").fetchone()[0] or ""
    cursor = (start, 0)
    incremental = gives_pages_back(db)
    while steps is None or steps > 0:
        with guard():
            step, cursor = _roll_up_step(db, before, cursor, limit)
            if step.checks and incremental:
                _give_pages_back(db)
        done.add(step)
        if cursor is None:
            return done
        if step.checks:  # a step that found only kept checks moved past them: it does not count as one
            steps = None if steps is None else steps - 1
    done.due = True
    return done


DUE = """
select c.id, c.resource_id, c.checked_at, c.state, c.outcome, c.elapsed_ms,
  (select p.state from checks p where p.resource_id = c.resource_id and p.id < c.id order by p.id desc limit 1)
    as before
from checks c
where c.checked_at < :before and c.checked_at >= :at and (c.checked_at > :at or c.id > :id)
order by c.checked_at, c.id limit :limit
"""

RANK = "instr(',dead,at_risk,unknown,ok,', ',' || {} || ',')"
MERGE = f"""
insert into daily_checks (resource_id, day, checks, ok, warning, failure, blocked, worst_state, median_ms)
values (?, ?, ?, ?, ?, ?, ?, ?, ?)
on conflict (resource_id, day) do update set
  checks = checks + excluded.checks, ok = ok + excluded.ok, warning = warning + excluded.warning,
  failure = failure + excluded.failure, blocked = blocked + excluded.blocked,
  worst_state = case when {RANK.format("excluded.worst_state")} < {RANK.format("worst_state")}
    then excluded.worst_state else worst_state end,
  median_ms = case when median_ms is null then excluded.median_ms when excluded.median_ms is null then median_ms
    else (median_ms * checks + excluded.median_ms * excluded.checks) / (checks + excluded.checks) end
"""
"""A day's row, or what more of its day a later step found (a day of over ROLL_UP_STEP checks): the counts
added, the worse state, the medians' mean weighted by their checks (the one approximation)."""


def _roll_up_step(
    db: Database, before: str, cursor: tuple[str, int], limit: int
) -> tuple[RolledUp, tuple[str, int] | None]:
    """One step: (what it did, where the next starts, None when nothing more is due)."""
    with db.atomic():
        rows = db.execute(DUE, {"before": before, "at": cursor[0], "id": cursor[1], "limit": limit}).fetchall()
        if not rows:
            return RolledUp(), None
        more = len(rows) == limit
        last_day = rows[-1][2][:10]
        if more and rows[0][2][:10] != last_day:
            rows = [row for row in rows if row[2][:10] != last_day]  # the next step takes that day whole
        rank = {state: index for index, state in enumerate(WORST_FIRST)}
        days: dict[tuple[int, str], dict[str, Any]] = {}
        gone, kept = [], 0
        for check_id, resource_id, checked_at, state, outcome, elapsed_ms, previous in rows:
            if previous is None or previous != state:
                kept += 1
                continue
            gone.append(check_id)
            day = days.setdefault(
                (resource_id, checked_at[:10]), {"outcomes": dict.fromkeys(OUTCOMES, 0), "states": set(), "ms": []}
            )
            day["outcomes"][outcome] = day["outcomes"].get(outcome, 0) + 1
            day["states"].add(state)
            if elapsed_ms is not None and outcome in ("ok", "warning"):
                day["ms"].append(elapsed_ms)
        written = []
        for (resource_id, day), seen in days.items():
            times = sorted(seen["ms"])
            written.append(
                (
                    resource_id, day, sum(seen["outcomes"].values()), *(seen["outcomes"][o] for o in OUTCOMES),
                    min(seen["states"], key=lambda s: rank.get(s, len(rank))),
                    times[max(math.ceil(0.5 * len(times)), 1) - 1] if times else None,
                )
            )
        db.conn.executemany(MERGE, written)
        db.execute("delete from checks where id in (select value from json_each(?))", [json.dumps(gone)])
    return RolledUp(len(gone), len(written), kept), (rows[-1][2], rows[-1][0]) if more else None


def checks_before(db: Database, day: str) -> int:
    """How many checks are stored from before `day` (after a roll-up: the state changes it keeps)."""
    return db.execute("select count(*) from checks where checked_at < ?", [day]).fetchone()[0]


def size(db: Database) -> int:
    """The database's size in bytes, as SQLite counts its pages (what its file holds once checkpointed)."""
    return db.execute("pragma page_count").fetchone()[0] * db.execute("pragma page_size").fetchone()[0]


def gives_pages_back(db: Database) -> bool:
    """Whether the database's `auto_vacuum` is incremental: its free pages can be cut off the file's end
    at any time, a moment's work, instead of a `VACUUM` that rewrites the file."""
    return db.execute("pragma auto_vacuum").fetchone()[0] == 2


def _give_pages_back(db: Database) -> None:
    """`PRAGMA incremental_vacuum` run to its end: through `execute` each call frees one page (it is stepped
    once), through `executescript` all of them. Outside any transaction (executescript commits one first)."""
    db.conn.executescript("pragma incremental_vacuum")


def reclaim(db: Database) -> str:
    """Give every free page back to the file system; returns which way it did.

    With `auto_vacuum` incremental, `PRAGMA incremental_vacuum`. Otherwise (a database created before
    linkkeeper made them incremental) `VACUUM`, with `auto_vacuum` set to incremental first, so that this
    rewrite of the whole file (as long as copying it, as much free disk again) is its last: from then on,
    each roll-up gives back what it frees. Neither is a transaction of the run's kind: called last,
    unguarded (store/opening.py)."""
    if gives_pages_back(db):
        _give_pages_back(db)
        return "incremental_vacuum"
    db.execute("pragma auto_vacuum = incremental")
    db.execute("vacuum")
    return "VACUUM"


MOVE_CHECKS = 2
"""Checks in a row that must see the same permanent redirect before it counts as a move: repair follows it,
and import reads the new address as the listed link."""


def confirmed_moves(db: Database, checks: int = MOVE_CHECKS) -> dict[int, str]:
    """The new address of each link whose last `checks` checks all saw the same permanent redirect (only those
    checks are read, newest first from checks(resource_id, id), however long the link's history)."""
    rows = db.query(
        """
        select resource_id, min(moved_to) as moved_to from (
          select r.id as resource_id, c.moved_to
          from resources r join checks c on c.id in (
            select id from checks where resource_id = r.id order by id desc limit :checks
          )
          where r.state = :state and r.moved_to is not null
        ) group by resource_id
        having count(*) = :checks and count(moved_to) = :checks and min(moved_to) = max(moved_to)
        """,
        {"state": AT_RISK, "checks": checks},
    )
    return {row["resource_id"]: row["moved_to"] for row in rows}


FOLLOWED_MOVES = """
select r.id, r.cited_as from resources r
where r.active = 1 and r.cited_as != r.url and exists (
  select 1 from checks c where c.resource_id = r.id and c.url = r.cited_as and c.moved_to = r.url
)
"""


def followed_moves(db: Database) -> dict[int, str]:
    """The address each listed link had before the list followed its move (`apply-moves`: kept as its `cited_as`,
    and its own checks saw that address move to the one listed now), by resource: what the report still prints."""
    return {row["id"]: row["cited_as"] for row in db.query(FOLLOWED_MOVES)}


def moves_to_follow(db: Database) -> dict[str, str]:
    """Each URL whose page moved for good (`confirmed_moves`), with its new address: what `apply-moves` follows."""
    urls = {row["id"]: row["url"] for row in db.query("select id, url from resources")}
    return {urls[rid]: new for rid, new in confirmed_moves(db).items() if rid in urls}


def moved_addresses(db: Database) -> dict[str, str]:
    """Each confirmed new address, with the listed URL whose page moved there; and each address the list moved on
    from (`followed_moves`), with the URL it lists now: either address, in a report, cites the listed link."""
    urls = {row["id"]: row["url"] for row in db.query("select id, url from resources")}
    moved = {new: old for old, new in moves_to_follow(db).items()}
    return moved | {old: urls[rid] for rid, old in followed_moves(db).items()}


def first_run_since(db: Database, run_id: int, since: str) -> bool:
    """Whether no completed run before `run_id` started at or after `since` (a UTC ISO time): this run is the
    first of its period, the one that reminds people of the links still dead."""
    earlier = "select exists(select 1 from runs where id < ? and status = ? and started_at >= ?)"
    return not db.execute(earlier, [run_id, COMPLETED, since]).fetchone()[0]


def still_dead(db: Database, before: str) -> list[dict[str, Any]]:
    """The `link_health` rows of the links dead since before `before` (not newly dead by the run that started
    then), in list order."""
    return list(db.query("select * from link_health where state = ? and since < ? order by position", [DEAD, before]))
