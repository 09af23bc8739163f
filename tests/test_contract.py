"""The contracts across boundaries: the check row between the crawler's process and the `checks` table,
the views of every database whatever its age, and the job's settings however the crawler is started."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from dashboard.metadata import COLUMNS
from linkkeeper import storage
from linkkeeper.check_record import STORED_FIELDS

# What check-links adds to each check it stores: the row's identity, the resource and run it belongs to,
# what it derives (the number of redirects) and the link's health after the check.
ADDED_BY_CHECK_LINKS = {"id", "run_id", "resource_id", "redirects", "state", "reason"}


def columns(db: Database, table: str) -> list[str]:
    return [column.name for column in db[table].columns]


def view_sql(db: Database) -> dict[str, str]:
    return {row["name"]: row["sql"] for row in db.query("select name, sql from sqlite_master where type = 'view'")}


@pytest.fixture
def fresh(tmp_path) -> Database:
    db = storage.open_database(tmp_path / "fresh.db")
    yield db
    db.close()


def test_the_crawler_reports_every_column_of_checks_that_check_links_does_not_add(fresh):
    assert sorted([*STORED_FIELDS, *ADDED_BY_CHECK_LINKS]) == sorted(columns(fresh, "checks"))


@pytest.mark.xfail(
    strict=True,
    reason="dashboard/metadata.py describes 12 of the 25 columns of checks (owned by the dashboard's maintainer)",
)
def test_the_dashboard_describes_every_column_of_checks(fresh):
    assert set(columns(fresh, "checks")) - {"id"} <= set(COLUMNS["checks"])


def test_a_database_migrated_from_its_first_version_has_the_views_of_a_fresh_one(tmp_path, fresh):
    old = Database(tmp_path / "old.db")
    first, second = (migration.name for migration in storage.migrations.pending(old)[:2])
    storage.migrations.apply(old, stop_before=second)
    assert [m.name for m in storage.migrations.applied(old)] == [first]
    old.execute("create view link_health as select id, url, state from resources")  # as the first version had it
    old.close()

    migrated = storage.open_database(tmp_path / "old.db")
    assert view_sql(migrated) == view_sql(fresh) != {}
    migrated.close()


def test_opening_a_current_database_rewrites_no_view(tmp_path, fresh):
    path = tmp_path / "fresh.db"
    before = Database(path).execute("pragma schema_version").fetchone()
    storage.open_database(path).close()
    assert Database(path).execute("pragma schema_version").fetchone() == before
