"""The views and the search index, created after the migrations: a migration only changes tables, so there
is one copy of each view's SQL, and every database, however old, ends with the same views."""

from __future__ import annotations

from sqlite_utils import Database

# No trailing space: SQLite stores the SQL without it, and a view is rewritten only when the SQL differs.
VIEWS = {
    "link_health": """
        select id, url, title, kind, section, state, reason, since, last_checked, last_status,
               (select finding from checks where resource_id = resources.id order by id desc limit 1)
                 as finding,
               archive_url, archive_status, archived_at, archive_checked_at, archive_verified_at, moved_to,
               failures, failing_since, position, ignored, expect, snooze_until, accepted_at
        from resources where active = 1 order by position""",
}

# Full-text search over what people remember of a link (the dashboard's search box on resources and link_health).
SEARCHED = ("title", "url", "section", "note")
SEARCH_TABLE = "resources_fts"


def _columns(prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{name}"' for name in SEARCHED)


# sqlite-utils' update trigger fires on any column's change: every run, which writes each checked link's health,
# took every link out of the index and put it back (0.13 s of a run's end at 4,000 links, against 0.02 s).
UPDATE_TRIGGER = f"""CREATE TRIGGER "resources_au" AFTER UPDATE OF {_columns()} ON "resources" BEGIN
  INSERT INTO "{SEARCH_TABLE}" ("{SEARCH_TABLE}", rowid, {_columns()}) VALUES('delete', old.rowid, {_columns("old.")});
  INSERT INTO "{SEARCH_TABLE}" (rowid, {_columns()}) VALUES (new.rowid, {_columns("new.")});
END"""


def enable_search(db: Database) -> None:
    """The search index as SEARCHED defines it, kept current by triggers, the update one only for the columns it
    indexes; nothing is written when it already is."""
    if db["resources"].detect_fts() != SEARCH_TABLE or tuple(db[SEARCH_TABLE].columns_dict) != SEARCHED:
        db["resources"].enable_fts(SEARCHED, create_triggers=True, replace=True)
    if db.execute("select sql from sqlite_master where name = 'resources_au'").fetchone() != (UPDATE_TRIGGER,):
        with db.atomic():
            db.execute('drop trigger if exists "resources_au"')
            db.execute(UPDATE_TRIGGER)


def create_views(db: Database) -> None:
    """Each view as VIEWS defines it; nothing is written when it already is (sqlite-utils compares the SQL)."""
    with db.atomic():
        for name, sql in VIEWS.items():
            db.create_view(name, sql, replace=True)
