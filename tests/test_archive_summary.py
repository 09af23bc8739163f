"""What check-links says of the archive step when many links share one outcome: the outcome once, with its count.

Runs are real: check-links over the local web, against an archive that is not there (the discard port) or a
local Wayback Machine with no capture of anything.
"""

from __future__ import annotations

import pytest

from archive.runner import Outcome
from archive.step import ArchiveReport, archive_text
from checking import DEAD_AT_ONCE, FAST_ARCHIVE, check_here
from local_wayback import LocalWayback
from local_web import redirect


def archive_lines(stdout: str) -> list[str]:
    return stdout[stdout.index("Archive:"):].splitlines()


def test_an_unreachable_archive_is_said_once_with_the_number_of_links_it_held_back(web, write_config):
    urls = [web.a.route(f"/moved/{n}", redirect(301, web.b.route(f"/new/{n}", title="new"))) for n in range(10)]
    urls += [web.a.route(f"/gone/{n}", status=404) for n in range(2)]
    config = write_config(urls, archive=FAST_ARCHIVE, health=DEAD_AT_ONCE)  # the archive: 127.0.0.1:9, closed
    done = check_here(config)
    assert done.returncode == 1, done.stderr  # a dead link is a result
    assert archive_lines(done.stdout) == [
        "Archive: 12 pending for the next run.",
        "  pending for the next run: 12 links: the Wayback Machine did not answer (the CDX index: ConnectionError)",
    ]
    quiet = check_here(config, "--quiet")
    assert "Archive" not in quiet.stdout  # pending work is retried by the next run: nothing to do for a person


@pytest.fixture
def empty_wayback(monkeypatch):
    with LocalWayback() as local:
        monkeypatch.setenv("LINKKEEPER_WAYBACK_URL", local.base_url)
        yield local


def test_lost_links_are_counted_once_and_each_still_named_for_the_person_who_must_replace_it(
    web, write_config, empty_wayback
):
    urls = [web.a.route(f"/gone/{n}", status=404) for n in range(3)]
    config = write_config(urls, archive=FAST_ARCHIVE, health=DEAD_AT_ONCE)
    lines = archive_lines(check_here(config).stdout)
    assert lines[0] == "Archive: 3 lost (no archived copy)."
    assert lines[1].startswith("  lost (no archived copy): 3 links: no good capture")
    assert lines[2:] == [f"      {url}" for url in urls]


def test_distinct_outcomes_keep_their_own_lines_and_a_saves_path_does_not_split_a_group():
    outcomes = [
        Outcome(f"http://example.org/{n}", "save", "pending", note=f"/save/http://example.org/{n}: ReadTimeout")
        for n in range(3)
    ] + [
        Outcome("http://example.org/a", "save", "archived", archive_url="https://web.archive.org/web/1/a"),
        Outcome("http://example.org/b", "save", "archived", archive_url="https://web.archive.org/web/2/b"),
        Outcome("http://example.org/c", "save", "failed", note="/save/http://example.org/c: HTTP 403 (keys or "
                "access refused)"),
        Outcome("http://example.org/d", "lookup", "pending", note="daily limit of 1 saves reached"),
    ]
    assert archive_text(ArchiveReport(outcomes)).splitlines() == [
        "Archive: 2 archived, 1 refused, 4 pending for the next run.",
        "  pending for the next run: 3 links: the Wayback Machine did not answer (Save Page Now: ReadTimeout)",
        "  archived: http://example.org/a",
        "      https://web.archive.org/web/1/a",
        "  archived: http://example.org/b",
        "      https://web.archive.org/web/2/b",
        "  refused: http://example.org/c",
        "      Save Page Now: HTTP 403 (keys or access refused)",
        "  pending for the next run: http://example.org/d",
        "      daily limit of 1 saves reached",
    ]
