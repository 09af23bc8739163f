"""Retention (`history.keep_checks_days`): checks older than the window are rolled into one row per link and
day of `daily_checks`, save the state changes, kept forever; by a completed run (one step) and by
`linkkeeper compact` (everything due, then the space given back). On real SQLite files, the old history
written through the store's own functions."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlite_utils import Database
from test_query_plans import problems

from checking import check_here, linkkeeper_here
from linkkeeper.config.resources import load_config
from linkkeeper.health.state import Health
from linkkeeper.store import opening
from linkkeeper.store import queries as storage

STEADY = "http://steady.example.org/"
FLAPPING = "http://flapping.example.org/"
DAYS = 60  # days of history, the last one yesterday
KEEP = 30
TODAY = datetime.now(UTC).date()
BEFORE = (TODAY - timedelta(days=KEEP)).isoformat()
ROLLED, ROWS = 2 * (DAYS - KEEP) + 2 - 4, 2 * (DAYS - KEEP) - 3  # the two runs' day adds 2 checks and a row
WORDS = "x" * 1000  # a long detail, so that what is rolled up frees pages


def day_of(index: int) -> date:
    return TODAY - timedelta(days=DAYS - index)


def flapping_state(index: int) -> str:
    """ok for ten days, dead for ten, ok again: two state changes, both before the window."""
    return "dead" if 10 <= index < 20 else "ok"


def write_list(path: Path, urls: list[str], **settings) -> Path:
    merged = {"history": {"keep_checks_days": KEEP}, **settings}
    path.write_text(yaml.safe_dump({"settings": merged, "resources": [{"url": u, "title": u} for u in urls]}))
    return path


def check(run_id: int, resource_id: int, url: str, at: str, state: str, outcome: str, ms: int | None) -> dict:
    return {
        "run_id": run_id, "resource_id": resource_id, "url": url, "checked_at": at, "outcome": outcome,
        "finding": {"ok": "ok", "warning": "moved", "failure": "http"}[outcome],
        "status_code": {"ok": 200, "warning": 301, "failure": 404}[outcome], "state": state,
        "reason": f"{outcome} ({state})", "redirect_chain": [], "elapsed_ms": ms, "detail": WORDS,
    }


def write_old_history(config_path: Path, db_path: Path, steady: str = STEADY, flapping: str = FLAPPING) -> None:
    """A run every day at 06:00 for DAYS days; 50 days ago a second run at 18:00 found the steady link moved
    (a warning; it stays ok)."""
    config = load_config(config_path)
    db = opening.open_database(db_path)
    ids = storage.sync_resources(db, config.resources, f"{day_of(0)}T05:00:00+00:00")
    for index in range(DAYS):
        runs = [("06:00", "ok")] + ([("18:00", "warning")] if index == 10 else [])
        for hour, steady_outcome in runs:
            at = f"{day_of(index)}T{hour}:00+00:00"
            run_id = storage.start_run(db, at, len(ids), "test")
            state = flapping_state(index)
            rows = [
                check(run_id, ids[steady], steady, at, "ok", steady_outcome, 500 if hour == "18:00" else 100 + index),
                check(
                    run_id, ids[flapping], flapping, at, state, "failure" if state == "dead" else "ok",
                    None if state == "dead" else 200,
                ),
            ]
            storage.insert_checks(db, rows)
            health = {ids[url]: (Health("ok", "ok", at), {"last_checked": at}) for url in ids}
            storage.finish_run(db, run_id, {"status": "completed", "finished_at": at, "checked": 2}, health)
    db.close()


@pytest.fixture
def old(tmp_path) -> tuple[Path, Path]:
    config = write_list(tmp_path / "resources.yml", [STEADY, FLAPPING])
    db_path = tmp_path / "linkkeeper.db"
    write_old_history(config, db_path)
    return config, db_path


@pytest.fixture
def older(old) -> tuple[Path, Path]:
    """The old history in a database made before linkkeeper created them with `auto_vacuum` incremental."""
    db = Database(old[1])
    db.execute("pragma auto_vacuum = none")
    db.vacuum()
    assert db.execute("pragma auto_vacuum").fetchone() == (0,)
    db.close()
    return old


def pages(db_path: Path) -> tuple[int, int]:
    """The database's pages and how many of them are free."""
    db = Database(db_path)
    counted = db.execute("pragma page_count").fetchone()[0], db.execute("pragma freelist_count").fetchone()[0]
    db.close()
    return counted


def table(db: Database, name: str, order: str) -> list[dict]:
    return list(db.query(f"select * from {name} order by {order}"))


def assert_rolled_up(
    db: Database, medians: bool = True, steady: str = STEADY, flapping: str = FLAPPING, today: int = 0
) -> None:
    """What rolling up the old history must leave; `today`: checks made since (by a run)."""
    ids = {row["url"]: row["id"] for row in db.query("select id, url from resources")}
    ids = {STEADY: ids[steady], FLAPPING: ids[flapping]}
    daily = {(row["resource_id"], row["day"]): row for row in table(db, "daily_checks", "resource_id, day")}
    rolled_days = [day_of(index).isoformat() for index in range(DAYS) if day_of(index).isoformat() < BEFORE]
    assert len(rolled_days) == DAYS - KEEP
    # the steady link: its first check kept, every other day one row
    steady = [daily[(ids[STEADY], day)] for day in rolled_days[1:]]
    assert [row["day"] for row in steady] == rolled_days[1:]
    assert (ids[STEADY], rolled_days[0]) not in daily
    two_runs = daily[(ids[STEADY], day_of(10).isoformat())]
    assert (two_runs["checks"], two_runs["ok"], two_runs["warning"], two_runs["failure"]) == (2, 1, 1, 0)
    assert two_runs["worst_state"] == "ok"
    if medians:
        assert two_runs["median_ms"] == 110  # nearest rank of 110 and 500
        assert daily[(ids[STEADY], day_of(3).isoformat())]["median_ms"] == 103
    # the flapping link: its first check and both state changes kept, the rest one row a day
    flapping = {day: row for (rid, day), row in daily.items() if rid == ids[FLAPPING]}
    kept_days = {day_of(index).isoformat() for index in (0, 20)}  # day 10's second check is rolled up
    assert sorted(flapping) == [day for day in rolled_days if day not in kept_days]
    dead_day = flapping[day_of(15).isoformat()]
    assert (dead_day["checks"], dead_day["failure"], dead_day["worst_state"], dead_day["median_ms"]) == (
        1, 1, "dead", None
    )
    assert flapping[day_of(25).isoformat()]["worst_state"] == "ok"
    assert (flapping[day_of(10).isoformat()]["checks"], flapping[day_of(10).isoformat()]["worst_state"]) == (1, "dead")
    old_checks = list(
        db.query("select resource_id, checked_at, state from checks where checked_at < ? order by id", [BEFORE])
    )
    assert old_checks == [
        {"resource_id": ids[STEADY], "checked_at": f"{day_of(0)}T06:00:00+00:00", "state": "ok"},
        {"resource_id": ids[FLAPPING], "checked_at": f"{day_of(0)}T06:00:00+00:00", "state": "ok"},
        {"resource_id": ids[FLAPPING], "checked_at": f"{day_of(10)}T06:00:00+00:00", "state": "dead"},
        {"resource_id": ids[FLAPPING], "checked_at": f"{day_of(20)}T06:00:00+00:00", "state": "ok"},
    ]
    # within the window, every check is still there
    assert db.execute("select count(*) from checks where checked_at >= ?", [BEFORE]).fetchone()[0] == 2 * KEEP + today
    assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
    assert db.execute("pragma foreign_key_check").fetchall() == []


def test_old_checks_become_daily_rows_with_their_counts_and_worst_state_and_state_changes_are_kept(old):
    _, db_path = old
    db = opening.open_database(db_path)
    done = storage.roll_up(db, BEFORE)
    assert (done.checks, done.days, done.due) == (ROLLED, ROWS, False)
    assert_rolled_up(db)
    db.close()


def test_a_roll_up_in_bounded_steps_ends_where_one_at_once_does(old):
    """Steps of 7 checks (3 whole days of 2 checks each): one step at a time, then the rest."""
    _, db_path = old
    db = opening.open_database(db_path)
    guarded = []

    class Guard:
        def __enter__(self):
            guarded.append(1)

        def __exit__(self, *exc):
            return False

    first = storage.roll_up(db, BEFORE, steps=1, limit=7, guard=Guard)
    assert first.due and guarded == [1]
    assert [row["day"] for row in db.query("select distinct day from daily_checks order by day")] == [
        day_of(1).isoformat(), day_of(2).isoformat()
    ]
    while storage.roll_up(db, BEFORE, steps=1, limit=7).due:
        pass
    assert_rolled_up(db)
    db.close()


def test_a_day_split_over_steps_adds_up(old):
    """One check a step: every day of the steady link is split over steps and merged into its row."""
    _, db_path = old
    db = opening.open_database(db_path)
    storage.roll_up(db, BEFORE, limit=1)
    assert_rolled_up(db, medians=False)
    db.close()


def test_a_second_roll_up_changes_nothing(old):
    _, db_path = old
    db = opening.open_database(db_path)
    storage.roll_up(db, BEFORE)
    daily, checks = table(db, "daily_checks", "resource_id, day"), table(db, "checks", "id")
    again = storage.roll_up(db, BEFORE)
    assert (again.checks, again.days) == (0, 0)
    assert table(db, "daily_checks", "resource_id, day") == daily
    assert table(db, "checks", "id") == checks
    db.close()


def test_the_roll_up_reads_checks_by_time_and_by_link_never_all_of_them(old):
    _, db_path = old
    db = opening.open_database(db_path)
    assert problems(db.conn, storage.DUE, {"before": BEFORE, "at": "", "id": 0, "limit": 10}) == []
    assert "idx_checks_checked_at" in " ".join(
        row[3] for row in db.execute("explain query plan " + storage.DUE, {"before": "", "at": "", "id": 0, "limit": 1})
    )
    assert problems(db.conn, "delete from checks where id in (select value from json_each(?))", ["[1]"]) == []
    db.close()


def test_compact_rolls_up_everything_due_says_what_it_freed_and_a_second_changes_nothing(old):
    config, db_path = old
    result = linkkeeper_here("compact", "--config", str(config))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"Rolled up {ROLLED} checks made before {BEFORE} ({KEEP} days kept whole) into"
        f" {ROWS} daily summaries; 4 checks from before then are kept, each a change of its"
        " link's state (or its first)."
    )
    assert_shrank(lines[1], "incremental_vacuum", db_path)
    db = Database(db_path)
    assert_rolled_up(db)
    daily, checks = table(db, "daily_checks", "resource_id, day"), table(db, "checks", "id")
    db.close()
    again = linkkeeper_here("compact", "--config", str(config))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Rolled up 0 checks made before {BEFORE} ({KEEP} days kept whole) into 0 daily")
    db = Database(db_path)
    assert table(db, "daily_checks", "resource_id, day") == daily
    assert table(db, "checks", "id") == checks
    assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
    db.close()


def assert_shrank(line: str, how: str, db_path: Path) -> None:
    """`line`: compact's line of sizes, said the way `how`; the file itself is as small as it says."""
    sizes = re.fullmatch(rf"{how}: ([\d,]+) bytes before, ([\d,]+) after \(([\d,-]+) freed\)\.", line)
    assert sizes, line
    before, after = (int(sizes.group(n).replace(",", "")) for n in (1, 2))
    assert after < before
    assert after == db_path.stat().st_size  # the file itself shrank (checkpointed on close)
    assert pages(db_path)[1] == 0


def test_a_new_database_gives_the_pages_it_frees_back_as_it_goes(tmp_path):
    db = opening.open_database(tmp_path / "linkkeeper.db")
    assert db.execute("pragma auto_vacuum").fetchone() == (2,)  # incremental
    db.close()


def test_each_roll_up_step_gives_its_freed_pages_back_to_the_disk(old):
    _, db_path = old
    before = pages(db_path)
    db = opening.open_database(db_path)
    storage.roll_up(db, BEFORE, steps=1, limit=7)
    db.close()
    after = pages(db_path)
    assert after[1] == 0 and after[0] < before[0], (before, after)


def test_compact_rewrites_an_older_database_once_then_gives_pages_back_without_a_rewrite(older):
    config, db_path = older
    result = linkkeeper_here("compact", "--config", str(config))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert_shrank(lines[1], "VACUUM", db_path)
    assert lines[2] == "From now on each roll-up gives back the space it frees: this was the last rewrite needed."
    db = Database(db_path)
    assert_rolled_up(db)
    assert db.execute("pragma auto_vacuum").fetchone() == (2,)
    db.close()
    again = linkkeeper_here("compact", "--config", str(config))
    assert again.stdout.splitlines()[1].startswith("incremental_vacuum: "), again.stdout


def test_history_shows_the_kept_checks_then_one_line_a_day(old):
    config, _ = old
    linkkeeper_here("compact", "--config", str(config))
    result = linkkeeper_here("history", "--config", str(config), FLAPPING)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    daily_part = text.partition("Older checks, one line a day (UTC), newest first: 28 days rolled up")[2]
    assert daily_part, text
    assert f"{day_of(20)}" not in daily_part  # a kept state change is a check, above
    dead_line = next(line for line in daily_part.splitlines() if line.startswith(day_of(15).isoformat()))
    assert dead_line.split()[1:4] == ["dead", "1", "0"]
    assert daily_part.index(day_of(29).isoformat()) < daily_part.index(day_of(1).isoformat())  # newest first
    document = json.loads(linkkeeper_here("history", "--config", str(config), FLAPPING, "--json").stdout)
    assert len(document["daily_checks"]) == 28
    assert len(document["checks"]) == 3 + KEEP


def test_a_completed_run_rolls_up_the_old_checks_at_its_end(tmp_path, web, replayed_crawls):
    steady, flapping = web.a.route("/steady", status=200), web.a.route("/flapping", status=200)
    config = write_list(
        tmp_path / "resources.yml", [steady, flapping],
        timeout=5, canaries=[web.a.url + "/canary"], archive={"enabled": False},
    )
    write_old_history(config, tmp_path / "linkkeeper.db", steady, flapping)
    result = check_here(config)
    assert result.returncode == 0, result.stdout + result.stderr
    db = Database(tmp_path / "linkkeeper.db")
    assert_rolled_up(db, steady=steady, flapping=flapping, today=2)
    assert db.execute("select status from runs order by id desc limit 1").fetchone() == ("completed",)
    db.close()
    assert pages(tmp_path / "linkkeeper.db")[1] == 0  # what it freed is given back


def test_a_step_over_more_first_checks_than_its_limit_still_rolls_up(tmp_path):
    """Five links first checked on the oldest day due, steps of 3: the first step finds only first checks
    (kept), yet each roll-up of one step rolls some checks up, and the steps end where one roll-up does."""
    urls = [f"http://link{n}.example.org/" for n in range(5)]
    config = load_config(write_list(tmp_path / "resources.yml", urls))
    db = opening.open_database(tmp_path / "linkkeeper.db")
    ids = storage.sync_resources(db, config.resources, f"{day_of(0)}T05:00:00+00:00")
    for index in range(4):
        at = f"{day_of(index)}T06:00:00+00:00"
        run_id = storage.start_run(db, at, len(ids), "test")
        storage.insert_checks(db, [check(run_id, ids[url], url, at, "ok", "ok", 100) for url in urls])
        health = {ids[url]: (Health("ok", "ok", at), {"last_checked": at}) for url in urls}
        storage.finish_run(db, run_id, {"status": "completed", "finished_at": at, "checked": 5}, health)
    rolled = []
    for _ in range(10):
        done = storage.roll_up(db, BEFORE, steps=1, limit=3)
        assert done.checks > 0, rolled
        rolled.append(done.checks)
        if not done.due:
            break
    assert sum(rolled) == 15 and not done.due
    assert db.execute("select count(*) from checks").fetchone()[0] == 5  # the first checks
    assert db.execute("select sum(checks), count(*) from daily_checks").fetchone() == (15, 15)
    db.close()
