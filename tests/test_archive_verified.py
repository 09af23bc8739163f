"""A dead link's archived copy is verified to show the cited page before readers are sent to it.

Runs of check-links over the local web, then the local Wayback Machine replaying its captures as the real one
does (each with its own status and bytes): a capture that answered 200 but is a parked page, a sign-in or
cookie wall, a page saying it is not found, or a page unlike the one cited, is passed over for an older one,
and the history keeps why.
"""

from __future__ import annotations

import json

import pytest

from archive.transport import MAX_ANSWER_BYTES
from archive.wayback import Capture, WaybackClient
from checking import DEAD_AT_ONCE, check_here, database, health, linkkeeper_here
from local_wayback import LocalWayback

pytestmark = pytest.mark.usefixtures("replayed_crawls")

TEXT = (
    "The regional water and sanitation toolkit gathers the guidance, checklists and case studies that"
    " district teams use to plan, build and maintain safe water points in rural communities."
)
REAL = (
    "<!doctype html><html><head><title>Water toolkit</title></head>"
    f"<body><h1>Water toolkit</h1><p>{TEXT}</p></body></html>"
)
PARKED = (
    "<!doctype html><html><head><title>toolkit.example - This domain may be for sale</title></head>"
    "<body><h1>toolkit.example is for sale</h1><p>Buy this domain today.</p></body></html>"
)
SIGN_IN = (
    "<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1>"
    "<form><input name='username'><input type='password' name='password'></form></body></html>"
)
COOKIE_WALL = (
    "<!doctype html><html><head><title>Before you continue</title></head><body>"
    "<p>Please accept all cookies to continue to the site. We and our partners value your privacy.</p></body></html>"
)
NOT_FOUND = (
    "<!doctype html><html><head><title>Page not found</title></head><body><h1>Page not found</h1>"
    "<p>Sorry, the page you were looking for has moved or never existed. Try the search box above.</p></body></html>"
)
OTHER_PAGE = (
    "<!doctype html><html><head><title>Summer recipes</title></head><body><h1>Summer recipes</h1><p>Grill the"
    " peppers until their skins blister, then peel them and dress them with olive oil, garlic and a little"
    " lemon juice before serving them with bread and fresh cheese on a warm evening.</p></body></html>"
)


GONE = None  # a capture of the page answering 404


def dead_link(web, wayback, archiving, captures: dict[str, str | None], **archive):
    """A link dead at its first check, with the captures given (timestamp: page, or GONE); its URL and list."""
    url = web.a.route("/toolkit", status=404)
    for timestamp, page in captures.items():
        if page is GONE:
            wayback.add_capture(url, timestamp, status=404, body=b"<title>Not Found</title>")
        else:
            wayback.add_capture(url, timestamp, body=page.encode())
    return url, archiving([url], archive=archive, health=DEAD_AT_ONCE)


def passed_over(config) -> list[tuple[str, str]]:
    return [
        (row["timestamp"], row["finding"])
        for row in database(config).query("select * from passed_captures order by timestamp desc")
    ]


def replays(wayback: LocalWayback) -> list[str]:
    """The timestamps of the captures fetched, in order."""
    return [r.path.split("/")[2].removesuffix("id_") for r in wayback.requests if r.path.startswith("/web/")]


def test_a_parked_capture_that_answered_200_is_passed_over_for_the_real_page_before_it(web, wayback, archiving):
    url, config = dead_link(
        web, wayback, archiving, {"20190605120000": REAL, "20220301000000": PARKED, "20240101000000": GONE}
    )
    check_here(config)
    row = health(config)[url]
    assert row["archive_url"] == f"{wayback.base_url}/web/20190605120000/{url}"
    assert (row["archive_status"], row["archived_at"]) == ("archived", "2019-06-05T12:00:00+00:00")
    assert row["archive_verified_at"]
    assert passed_over(config) == [("20220301000000", "for-sale")]
    [snapshot] = database(config).query("select * from snapshots")
    assert snapshot["note"] == (
        "the capture of 2019-06-05 shows the page; 1 newer passed over (20220301: domain for sale: titled"
        " 'domain may be for sale')"
    )


@pytest.mark.parametrize(
    ("wall", "finding"), [(SIGN_IN, "sign-in"), (COOKIE_WALL, "catch-all")], ids=["sign-in", "cookie-wall"]
)
def test_a_capture_of_a_wall_is_passed_over(web, wayback, archiving, wall, finding):
    url, config = dead_link(web, wayback, archiving, {"20190605120000": REAL, "20230101000000": wall})
    check_here(config)
    assert health(config)[url]["archive_url"] == f"{wayback.base_url}/web/20190605120000/{url}"
    assert passed_over(config) == [("20230101000000", finding)]


def test_a_capture_saying_page_not_found_with_200_is_passed_over(web, wayback, archiving):
    url, config = dead_link(web, wayback, archiving, {"20190605120000": REAL, "20230101000000": NOT_FOUND})
    check_here(config)
    assert health(config)[url]["archived_at"] == "2019-06-05T12:00:00+00:00"
    [(timestamp, finding)] = passed_over(config)
    assert timestamp == "20230101000000" and finding in ("soft-404", "suspect-404")


def test_a_capture_unlike_the_page_as_it_was_cited_is_passed_over(web, wayback, archiving):
    """The link's baseline, from the checks of its healthy days, is the page cited: another page that took the
    address (here a blog of recipes, long and well formed) is no copy of it."""
    url = web.a.route("/toolkit", title="Water toolkit", body=f"<h1>Water toolkit</h1><p>{TEXT}</p>")
    config = archiving([url], health=DEAD_AT_ONCE)
    check_here(config)
    assert database(config)["resources"].get(1)["baseline_signature"]
    web.a.route("/toolkit", status=404)
    wayback.add_capture(url, "20190605120000", body=REAL.encode())
    wayback.add_capture(url, "20250101000000", body=OTHER_PAGE.encode())
    check_here(config)
    assert health(config)[url]["archived_at"] == "2019-06-05T12:00:00+00:00"
    [passed] = database(config).query("select * from passed_captures")
    assert (passed["timestamp"], passed["finding"]) == ("20250101000000", "content-changed")
    assert passed["reason"].startswith("unlike the page as cited: similarity 0.")


def test_with_no_good_capture_the_link_is_lost_and_the_note_says_what_was_passed_over(web, wayback, archiving):
    url, config = dead_link(
        web, wayback, archiving, {"20220301000000": PARKED, "20230101000000": SIGN_IN, "20240101000000": GONE}
    )
    done = check_here(config)
    row = health(config)[url]
    assert (row["archive_status"], row["archive_url"]) == ("lost", None)
    [snapshot] = database(config).query("select * from snapshots")
    failing = row["failing_since"][:10]
    assert snapshot["note"] == (
        f"no good capture before {failing}: 2 passed over (20230101: lands on a sign-in page (a password form"
        " titled 'Sign in'...; 20220301: domain for sale: titled 'domain may be for sale')"
    )
    assert f"lost (no archived copy): {url}" in done.stdout
    assert passed_over(config) == [("20230101000000", "sign-in"), ("20220301000000", "for-sale")]


def test_more_captures_than_a_run_judges_leave_the_look_up_pending_and_the_next_run_goes_on(web, wayback, archiving):
    parked = {f"{year}0101000000": PARKED for year in (2021, 2022, 2023, 2024)}
    url, config = dead_link(web, wayback, archiving, {"20190605120000": REAL, **parked}, captures_per_lookup=2)
    check_here(config)
    [snapshot] = database(config).query("select * from snapshots")
    assert (snapshot["status"], snapshot["note"]) == (
        "pending", "2 captures passed over so far; older ones are judged next run"
    )
    assert health(config)[url]["archive_url"] is None
    assert linkkeeper_here("archive", "--config", str(config)).returncode == 0
    assert database(config)["snapshots"].get(1)["status"] == "pending"
    done = linkkeeper_here("archive", "--config", str(config))
    assert "Archive: 1 archived." in done.stdout
    assert health(config)[url]["archived_at"] == "2019-06-05T12:00:00+00:00"
    assert replays(wayback) == [
        "20240101000000", "20230101000000", "20220101000000", "20210101000000", "20190605120000"
    ]
    assert len(passed_over(config)) == 4


def test_passed_over_captures_are_in_the_history(web, wayback, archiving, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # a terminal wide enough for every note whole
    url, config = dead_link(web, wayback, archiving, {"20190605120000": REAL, "20220301000000": PARKED})
    check_here(config)
    shown = linkkeeper_here("history", "--config", str(config), url).stdout
    passed = shown.split("Captures passed over, newest first:")[1]
    assert "2022-03-01" in passed and "for-sale" in passed and "domain for sale" in passed
    assert "the capture of 2019-06-05 shows the page" in shown.split("Archive snapshots, newest first:")[1]
    document = json.loads(linkkeeper_here("history", "--config", str(config), "--json", url).stdout)
    [passed_row] = document["snapshots"][0]["passed_over"]
    assert (passed_row["timestamp"], passed_row["finding"]) == ("20220301000000", "for-sale")


def test_the_report_links_the_chosen_capture_with_its_date(web, wayback, archiving):
    url, config = dead_link(web, wayback, archiving, {"20190605120000": REAL, "20220301000000": PARKED})
    check_here(config)
    report = linkkeeper_here("report", "--config", str(config)).stdout
    assert f"{wayback.base_url}/web/20190605120000/{url}" in report and "archived 2019-06-05" in report
    assert "20220301000000" not in report


def test_a_copy_looked_up_before_captures_were_verified_is_verified_once_and_replaced_if_parked(
    web, wayback, archiving
):
    """As an earlier linkkeeper left it: the newest 200 capture recorded as the copy, unverified."""
    url, config = dead_link(web, wayback, archiving, {"20190605120000": REAL, "20220301000000": PARKED})
    check_here(config, "--no-archive")
    db = database(config)
    checked = health(config)[url]["last_checked"]
    db["resources"].update(1, {
        "archive_url": f"{wayback.base_url}/web/20220301000000/{url}", "archive_status": "archived",
        "archived_at": "2022-03-01T00:00:00+00:00", "archive_checked_at": checked, "archive_verified_at": None,
    })
    assert linkkeeper_here("archive", "--config", str(config)).returncode == 0
    row = health(config)[url]
    assert row["archive_url"] == f"{wayback.base_url}/web/20190605120000/{url}"
    assert row["archive_verified_at"]
    assert passed_over(config) == [("20220301000000", "for-sale")]
    fetched = len(replays(wayback))
    assert linkkeeper_here("archive", "--config", str(config)).stdout.strip() == "Archive: nothing to do."
    assert len(replays(wayback)) == fetched


def test_the_client_follows_the_archives_redirect_to_the_nearest_capture_and_reads_its_status(wayback):
    page = "http://example.org/report"
    wayback.add_capture(page, "20190605120000", body=REAL.encode())
    wayback.add_capture(page, "20240101000000", status=404, body=b"<title>Not Found</title>")
    client = WaybackClient(wayback.base_url, 5, "linkkeeper-test")
    nearest = client.raw_capture(Capture("20200101000000", ""), page)
    assert (nearest.timestamp, nearest.status, nearest.body) == ("20190605120000", 200, REAL.encode())
    gone = client.raw_capture(Capture("20240101000000", ""), page)
    assert (gone.timestamp, gone.status) == ("20240101000000", 404)


def test_a_capture_longer_than_the_answer_cap_is_judged_by_its_start_not_refused(wayback):
    """An API's answer over the cap makes no sense; a long page is still a page, read as far as the crawler would."""
    page = "http://example.org/report"
    wayback.add_capture(page, "20190605120000", body=REAL.encode() + b" " * (MAX_ANSWER_BYTES + 1))
    client = WaybackClient(wayback.base_url, 5, "linkkeeper-test")
    replayed = client.raw_capture(Capture("20190605120000", ""), page)
    assert (replayed.status, len(replayed.body)) == (200, MAX_ANSWER_BYTES)
    assert replayed.body.startswith(REAL.encode())
