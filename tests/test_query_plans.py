"""Every read the dashboard and the commands make stays fast as the history grows: none reads `checks` whole,
and none sorts checks it did not cut to one run (a link's checks come in order from their index).

The SQL is collected from the code, not copied here: the dashboard's canned queries and charts, every view,
the statements the landing page and the link page execute (their plugins run against a recording database),
and the statements `status`, `history URL`, `report` and the repair plan's confirmed moves send to SQLite
(traced). Each is planned with EXPLAIN QUERY PLAN against a real migrated database. Without ANALYZE, SQLite
plans from the schema alone, so the plans are those of a database with years of history.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from contextlib import contextmanager
from datetime import UTC
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from dashboard import local_time, queries
from dashboard.metadata import metadata
from dashboard.plugins import landing, link
from fixed_history import write_history
from linkkeeper.store import opening
from linkkeeper.store import queries as storage
from linkkeeper.store.migrations import migrations
from linkkeeper.store.views import VIEWS

URL = "http://old.example.org/centre"
SORT = re.compile(r"USE TEMP B-TREE FOR (RIGHT PART OF |LAST TERM OF )?ORDER BY")
BY_RUN = "(run_id=?)"  # one run's checks: as many as the list has links, however long the history


def _names(table: str, sql: str) -> set[str]:
    """`table` and every name this statement gives it (checks c, checks as p)."""
    aliases = re.findall(rf"\b{table}\s+(?:as\s+)?(?!where\b|on\b|join\b|order\b|group\b)(\w+)", sql, re.I)
    return {table, *aliases}


def _reads(plan: list[tuple], names: set[str]) -> list[tuple[int, str]]:
    """(scope, step) of each step of the plan that reads one of `names`."""
    steps = [(parent, detail, re.match(r"(SCAN|SEARCH) (\w+)", detail)) for _, parent, _, detail in plan]
    return [(parent, detail) for parent, detail, step in steps if step and step.group(2) in names]


def problems(db: sqlite3.Connection, sql: str, params: dict | None = None) -> list[str]:
    """What in the plan of `sql` reads every check (a scan, or each run's checks in a loop over runs), or
    sorts checks it read (more than one run's: a link's come in order from their index)."""
    plan = db.execute("explain query plan " + sql, params or {}).fetchall()
    checks, runs = _reads(plan, _names("checks", sql)), _reads(plan, _names("runs", sql))
    looped = {parent for parent, detail in runs if "INTEGER PRIMARY KEY" not in detail}
    found = [f"reads every check: {detail}" for _, detail in checks if detail.startswith("SCAN")]
    found += [
        f"reads every run's checks: {detail}" for parent, detail in checks if BY_RUN in detail and parent in looped
    ]
    for _, parent, _, detail in plan:
        if SORT.match(detail):
            found += [
                f"sorts the checks it reads ({read})"
                for read_parent, read in checks if read_parent == parent and BY_RUN not in read
            ]
    return found


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """Two runs of five links, written through the store's functions into a real migrated database."""
    folder = tmp_path_factory.mktemp("plans")
    _, db = write_history(folder)
    db.close()
    return folder


@pytest.fixture
def reader(planned):
    db = sqlite3.connect(f"file:{planned / 'linkkeeper.db'}?mode=ro", uri=True)
    local_time.register(db, UTC)  # as the dashboard's connections have it (dashboard/plugins/clock.py)
    yield db
    db.close()


def dashboard_sql() -> dict[str, str]:
    charts = metadata("linkkeeper", "t")["plugins"]["datasette-dashboards"]["link-health"]["charts"]
    return {
        **{f"canned query {name}": sql for name, (_, _, sql) in queries.CANNED.items()},
        **{f"chart {name}": chart["query"] for name, chart in charts.items() if "query" in chart},
        **{f"view {name}": f"select * from {name}" for name in VIEWS},
    }


@pytest.mark.parametrize("name", list(dashboard_sql()))
def test_dashboard_questions_read_no_history_whole(reader, name):
    assert problems(reader, dashboard_sql()[name], {"url": URL}) == []


class RecordingDatabase:
    """Enough of Datasette's database for linkkeeper's plugins: each statement runs on SQLite and is kept."""

    name = "linkkeeper"

    def __init__(self, db: sqlite3.Connection):
        self.db, self.statements = db, []

    async def execute(self, sql: str, params: dict | None = None):
        self.statements.append((sql, params or {}))
        self.db.row_factory = sqlite3.Row
        rows = self.db.execute(sql, params or {}).fetchall()
        return _Rows(rows)


class _Rows(list):
    """Datasette's results: iterable, and their `rows`."""

    @property
    def rows(self):
        return self


def plugin_statements(reader, page) -> list[tuple[str, dict]]:
    database = RecordingDatabase(reader)

    async def render_template(*args, **kwargs) -> str:
        return ""

    datasette = SimpleNamespace(
        get_database=lambda: database, metadata=lambda key=None: None, plugin_config=lambda name: None,
        render_template=render_template,
    )
    asyncio.run(page(datasette, SimpleNamespace(args={"url": URL})))
    return database.statements


@pytest.mark.parametrize("page", [landing.attention, link.link_page], ids=["landing page", "link page"])
def test_dashboard_pages_read_no_history_whole(reader, page):
    statements = plugin_statements(reader, page)
    assert statements
    for sql, params in statements:
        assert problems(reader, sql, params) == [], sql


@contextmanager
def traced():
    """Every statement the connections opened meanwhile send to SQLite, their parameters written in."""
    statements: list[str] = []
    connect = sqlite3.connect

    def tracing(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    sqlite3.connect = tracing
    try:
        yield statements
    finally:
        sqlite3.connect = connect


def reads(statements: list[str]) -> list[str]:
    """The statements that read linkkeeper's tables (not SQLite's own catalogue, not pragmas)."""
    return [
        sql for sql in statements
        if re.match(r"\s*(select|with)\b", sql, re.I) and not re.search(r"\bsqlite_(master|schema)\b|pragma_", sql)
    ]


@pytest.mark.parametrize(
    "args", [["status"], ["history", URL], ["report"], ["report", "--format", "html"], ["report", "--format", "atom"]]
)
def test_commands_read_no_history_whole(planned, reader, args):
    with traced() as statements:
        result = CliRunner().invoke(
            cli, [*args, "--db", str(planned / "linkkeeper.db"), "--config", str(planned / "resources.yml")]
        )
    assert result.exit_code in (0, 1), result.output
    assert reads(statements)
    for sql in reads(statements):
        assert problems(reader, sql) == [], sql


def test_the_repair_plans_moves_read_no_history_whole(planned, reader):
    with traced() as statements:
        db = sqlite3.connect(f"file:{planned / 'linkkeeper.db'}?mode=ro", uri=True)
        storage.confirmed_moves(Database(db))
        db.close()
    assert reads(statements)
    for sql in reads(statements):
        assert problems(reader, sql) == [], sql


def test_the_check_finds_what_it_must(reader):
    """The rule itself: the old ways of asking are caught (a link's history by URL, a sort of every check)."""
    assert problems(reader, "select * from checks where url = :url", {"url": URL})
    assert problems(reader, "select c.* from checks c order by c.checked_at desc limit 5")
    assert problems(reader, "select * from checks where resource_id = 1 order by elapsed_ms")
    assert problems(reader, "select c.state, count(*) from checks c join runs r on r.id = c.run_id group by 1")
    assert problems(reader, "select * from checks where run_id = 1 order by url") == []


def _served_run(db, times: list[int]) -> int:
    """A completed run whose pages answered in `times` milliseconds (and one failure without a time)."""
    db["resources"].insert_all({"url": f"https://t{n:02}.example/", "active": 1} for n in range(len(times) + 1))
    ids = dict(db.execute("select url, id from resources").fetchall())
    run_id = storage.start_run(db, "2026-01-02T00:00:00", len(ids), "test")
    rows = [
        {"run_id": run_id, "resource_id": rid, "url": url, "checked_at": "2026-01-02T00:00:00", "finding": "ok",
         "outcome": "ok", "state": "ok", "redirect_chain": [], "elapsed_ms": ms}
        for (url, rid), ms in zip(sorted(ids.items()), [*times, None], strict=True)
    ]
    rows[-1] |= {"outcome": "failure", "finding": "timeout", "state": "at_risk"}
    storage.insert_checks(db, rows)
    return run_id


def test_a_run_keeps_its_response_times_for_the_chart(tmp_path):
    """The chart's median and 95th percentile (nearest rank) are kept on the run's row when it ends, and the
    runs made before the columns existed get theirs from the migration."""
    db = opening.open_database(tmp_path / "linkkeeper.db")
    run_id = _served_run(db, list(range(20, 0, -1)))
    storage.finish_run(db, run_id, {"status": "completed", "finished_at": "2026-01-02T00:05:00"}, {})
    local_time.register(db.conn, UTC)
    assert db.execute(queries.RESPONSE_TIMES).fetchall() == [
        (f"run {run_id}, 2 Jan 00:00", run_id, "median", 10),
        (f"run {run_id}, 2 Jan 00:00", run_id, "95th percentile", 19),
    ]
    db.close()
    old = Database(tmp_path / "old.db")
    migrations.apply(old, stop_before="m007_read_paths")
    run_id = _served_run(old, [300, 100, 200])
    old["runs"].update(run_id, {"status": "completed"})
    migrations.apply(old)
    assert old.execute("select median_ms, p95_ms from runs").fetchall() == [(200, 300)]


def test_the_days_rolled_up_are_read_by_their_key_a_link_and_its_days(reader):
    """The dashboard reads `daily_checks` (the older checks, one row a link and day) only by its primary key:
    the one link's days, never the whole table."""
    statements = [*dashboard_sql().values(), *(sql for sql, _ in plugin_statements(reader, link.link_page))]
    read = [sql for sql in statements if "daily_checks" in sql and "sqlite_master" not in sql]
    assert len(read) >= 3  # the link page's days and months, and the URL's history
    for sql in read:
        params = {"url": URL, "limit": 5, "days": 5}
        plan = [row[3] for row in reader.execute("explain query plan " + sql, params).fetchall()]
        steps = [detail for detail in plan if re.match(r"(SCAN|SEARCH) daily_checks\b", detail)]
        assert steps and all(
            detail.startswith("SEARCH") and "sqlite_autoindex_daily_checks_1 (resource_id=?" in detail
            for detail in steps
        ), (sql, plan)
