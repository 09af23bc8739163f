"""What `check-links` prints for cron's mail (and a person at a terminal): each link named by its title and
section, a newly dead link with the copy a reader can be sent to, the copies the archive found even with
--quiet, and once a week the links still dead, which would otherwise never be mentioned again. Real runs
against a local web, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from archive.runner import Outcome
from archive.step import ArchiveReport, archive_text
from checking import check_here
from linkkeeper.runs.summary import period_start

DIES_AT_ONCE = {"health": {"dead_after_failures": 1, "dead_after_days": 0}}


def listed(url: str, title: str, section: str) -> dict:
    return {"url": url, "title": title, "section": section}


def backdate(config, days: int = 8) -> datetime:
    """Move the runs made so far, and when the links took their state, `days` days back; returns that moment."""
    moment = datetime.now(UTC) - timedelta(days=days)
    db = Database(config.parent / "linkkeeper.db")
    db.execute("update runs set started_at = ?", [moment.isoformat()])
    db.execute("update resources set since = ?, failing_since = ?", [moment.isoformat(), moment.isoformat()])
    db.conn.commit()
    db.close()
    return moment


def test_a_newly_dead_link_is_named_by_its_title_and_section_with_no_copy_yet(web, write_config):
    gone = web.a.route("/gone", status=404)
    config = write_config([listed(gone, "The e-government toolkit", "Toolkits")], **DIES_AT_ONCE)
    lines = check_here(config, "--quiet").stdout.splitlines()
    assert lines[:3] == ["Newly dead (1):", "  The e-government toolkit (Toolkits)", f"      {gone}"]
    assert lines[4] == "      no archived copy yet"


def test_a_run_in_the_same_week_does_not_repeat_the_links_still_dead(web, write_config):
    gone = web.a.route("/gone", status=404)
    config = write_config([listed(gone, "The e-government toolkit", "Toolkits")], **DIES_AT_ONCE)
    check_here(config)
    assert check_here(config, "--quiet").stdout == ""


def test_the_first_run_of_a_new_week_lists_the_links_still_dead_since_when_and_their_copy(web, write_config):
    gone = web.a.route("/gone", status=404)
    config = write_config([listed(gone, "The e-government toolkit", "Toolkits")], **DIES_AT_ONCE)
    check_here(config)
    day = backdate(config)
    lines = check_here(config, "--quiet").stdout.splitlines()
    assert lines == [
        "Still dead (1; a reminder, once every week):",
        "  The e-government toolkit (Toolkits)",
        f"      {gone}",
        f"      gone since {day.day} {day:%B %Y}; no archived copy yet",
    ]


def test_reminders_can_be_turned_off(web, write_config):
    gone = web.a.route("/gone", status=404)
    config = write_config([gone], remind_dead_days=0, **DIES_AT_ONCE)
    check_here(config)
    backdate(config, days=400)
    assert "Still dead" not in check_here(config).stdout


def test_a_period_of_reminders_starts_on_a_monday_in_the_lists_zone():
    fiji = ZoneInfo("Pacific/Fiji")  # UTC+12: Monday 7 December 2026 starts at 12:00 UTC on Sunday the 6th
    assert period_start("2026-12-09T03:00:00+00:00", 7, fiji) == "2026-12-06T12:00:00+00:00"
    assert period_start("2026-12-06T11:59:00+00:00", 7, fiji) == "2026-11-29T12:00:00+00:00"
    assert period_start("2026-12-09T03:00:00+00:00", 1, fiji) == "2026-12-08T12:00:00+00:00"


def test_a_quiet_run_names_the_copies_the_archive_found_as_well_as_those_lost():
    copy = "https://web.archive.org/web/20190801000000/http://we-gov.org/"
    report = ArchiveReport(
        [
            Outcome("http://we-gov.org/", "lookup", "archived", copy),
            Outcome("http://gone.example.org/", "lookup", "lost", None, "no good capture"),
            Outcome("http://later.example.org/", "save", "pending", None, "the archive was busy"),
        ]
    )
    said = archive_text(report, quiet=True)
    assert copy in said and "http://gone.example.org/" in said
    assert "later.example.org" not in said  # retried by the next run: not news yet


def test_a_target_that_asks_for_it_is_reminded_of_the_links_still_dead_once_a_week(web, write_config):
    from local_notify import Webhook

    gone = web.a.route("/gone", status=404)
    with Webhook() as hook:
        config = write_config(
            [listed(gone, "The e-government toolkit", "Toolkits")],
            notify=[hook.url()], notify_on=["newly_dead", "still_dead"], **DIES_AT_ONCE,
        )
        check_here(config)
        check_here(config)  # the same week: nothing changed, nothing to remind of
        assert [m["title"].split(" — ")[0] for m in hook.messages] == ["First check: 1 link died"]
        backdate(config)
        check_here(config)
        reminder = hook.messages[-1]
        assert reminder["title"].startswith("1 link still dead — ")
        assert "The e-government toolkit (Toolkits)" in reminder["message"] and gone in reminder["message"]
