"""bench/history.py's builder, on a small case: real runs over its farm give a check of every scenario, and a
replayed history of 20 links over 3 years holds what daily runs and their roll-ups leave, readable by every
read path the bench times."""

from __future__ import annotations

import importlib.util
import itertools
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from linkkeeper.health.vocabulary import COMPLETED, STATES
from linkkeeper.store import queries as storage

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("history_bench", ROOT / "bench" / "history.py")
history = sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)  # its dataclasses look it up
_spec.loader.exec_module(history)

LINKS, YEARS = 20, 3
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict:
    return history.real_checks(tmp_path_factory.mktemp("real"), runs=1)


@pytest.fixture(scope="module")
def built(tmp_path_factory, templates):
    return history.build(tmp_path_factory.mktemp("history"), LINKS, YEARS, templates, now=NOW)


@pytest.fixture
def db(built):
    database = Database(built.db)
    yield database
    database.close()


def test_the_real_runs_store_a_check_of_every_scenario(templates):
    assert {name for name, checks in templates.items() if checks} == set(templates)
    assert templates["404"][0].row["finding"] == "http"
    assert templates["moved"][0].formatted["moved_to"] == "{moved}"


def test_each_day_has_one_completed_run_counting_every_link(db):
    runs = list(db.query("select * from runs order by id"))
    assert len(runs) == round(365.25 * YEARS)
    assert {run["status"] for run in runs} == {COMPLETED}
    assert all(sum(run[state] for state in STATES) == LINKS == run["checked"] for run in runs)
    assert len({run["started_at"][:10] for run in runs}) == len(runs)
    assert runs[-1]["started_at"][:10] == history.last_run_day(NOW).isoformat()
    assert all(run["median_ms"] for run in runs)


def test_checks_past_the_window_are_rolled_into_days_save_the_state_changes(db):
    day = storage.roll_up_before(db.execute("select max(finished_at) from runs").fetchone()[0], 400)
    assert db.execute("select count(*) from daily_checks").fetchone()[0] > LINKS * 365
    old = list(db.query("select resource_id, state from checks where checked_at < ? order by resource_id, id", [day]))
    assert old
    assert all(
        previous["resource_id"] != check["resource_id"] or previous["state"] != check["state"]
        for previous, check in itertools.pairwise(old)
    )
    days_kept = db.execute("select count(*) from runs where started_at >= ?", [day]).fetchone()[0]
    assert db.execute("select count(*) from checks where checked_at >= ?", [day]).fetchone()[0] == LINKS * days_kept


def test_the_timelines_hold_links_that_die_flap_hide_behind_walls_move_and_recover():
    plans = [history.timeline(random.Random(n), 365) for n in range(1000)]
    served = {scenario for plan, _ in plans for _, scenario in plan}
    assert set(history.DEATHS) | {"wall", "moved", "live", "slow"} <= served
    assert any(flaps for _, flaps in plans)
    assert any(len(plan) == 3 and plan[1][1] in history.OUTAGES for plan, _ in plans)


def test_each_resource_holds_its_last_checks_health(db):
    last = db.execute(
        "select count(*) from resources r join checks c on c.id = (select max(id) from checks where resource_id = r.id)"
        " where r.state = c.state and r.reason = c.reason and r.last_checked = c.checked_at"
    ).fetchone()[0]
    assert last == LINKS


def test_every_read_path_answers_on_the_history(built):
    times = history.measure(built.db, built.config, built.url)
    assert {"dashboard landing page", "linkkeeper report --format html", "chart response_times"} <= set(times)
    assert all(seconds >= 0 for seconds in times.values())
