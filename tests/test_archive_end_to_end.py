"""The archive step end to end: check-links over the local web, then a local Wayback Machine. The runs are in
this process, with the crawler's reports (and the pages it spooled) replayed for fixed pages it has crawled
before (tests/recorded.py); a run killed mid-archive and a run with keys are processes of their own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from warcio.archiveiterator import ArchiveIterator

from checking import (
    CHECK_LINKS,
    DEAD_AT_ONCE,
    check_here,
    database,
    health,
    json_here,
    linkkeeper_here,
    run_check,
)
from local_web import redirect, respond

pytestmark = pytest.mark.usefixtures("replayed_crawls")


@pytest.fixture
def with_keys(monkeypatch, wayback):
    monkeypatch.setenv("IA_ACCESS_KEY", wayback.access)
    monkeypatch.setenv("IA_SECRET_KEY", wayback.secret)


def snapshots(config) -> list[dict]:
    return list(database(config).query("select * from snapshots order by id"))


def moved_page(web) -> str:
    web.b.route("/new-home", title="The toolkit, moved")
    return web.a.route("/toolkit", status=301, headers={"Location": web.b.url + "/new-home"})


def moved_pages(web, count: int) -> list[str]:
    """`count` pages of host a, each moved for good to a page of host b."""
    return [
        web.a.route(f"/moved/{n}", status=301, headers={"Location": web.b.route(f"/new/{n}", title="new")})
        for n in range(count)
    ]


def test_an_at_risk_page_that_still_serves_its_content_is_submitted_and_verified(web, wayback, archiving):
    url = moved_page(web)
    config = archiving([url])
    code, output = json_here(config)
    assert code == 0
    assert wayback.submissions() == [url]
    [snapshot] = snapshots(config)
    timestamp = wayback.captures(url)[-1].timestamp
    assert (snapshot["action"], snapshot["status"]) == ("save", "archived")
    assert snapshot["archive_url"] == f"{wayback.base_url}/web/{timestamp}/{url}"
    row = health(config)[url]
    assert (row["archive_url"], row["archive_status"]) == (snapshot["archive_url"], "archived")
    assert output["archive"] == [
        {"url": url, "action": "save", "status": "archived", "archive_url": snapshot["archive_url"], "note": None}
    ]


def test_a_dead_page_is_never_submitted_and_gets_its_newest_good_capture_before_it_failed(web, wayback, archiving):
    url = web.a.route("/gone", status=404)
    wayback.add_capture(url, "20190605120000")
    wayback.add_capture(url, "20200101000000")
    wayback.add_capture(url, "20230101000000", status=404)
    config = archiving([url], health=DEAD_AT_ONCE)
    assert check_here(config).returncode == 1
    assert wayback.submissions() == []
    row = health(config)[url]
    assert row["archive_url"] == f"{wayback.base_url}/web/20200101000000/{url}"
    assert (row["archive_status"], row["archived_at"]) == ("archived", "2020-01-01T00:00:00+00:00")


def test_a_dead_page_with_no_good_capture_is_recorded_as_lost_and_said_so(web, wayback, archiving):
    url = web.a.route("/never-archived", status=410)
    wayback.add_capture(url, "20200101000000", status=404)
    config = archiving([url], health=DEAD_AT_ONCE)
    done = check_here(config)
    assert (health(config)[url]["archive_status"], health(config)[url]["archive_url"]) == ("lost", None)
    assert [s["status"] for s in snapshots(config)] == ["lost"]
    assert f"lost (no archived copy): {url}" in done.stdout


@pytest.mark.parametrize(
    ("route", "response"),
    [
        ("/soft-404", {"title": "Page not found"}),
        ("/parked", {"title": "example.org", "body": "This domain is for sale"}),
        ("/deep/page", {"handler": redirect(302, "/")}),
    ],
    ids=["soft-404", "parked", "home-redirect"],
)
def test_an_error_page_served_as_200_is_looked_up_not_submitted(web, wayback, archiving, route, response):
    handler = response.pop("handler", None) or (lambda request: respond(request, **response))
    web.c.route("/", title="Home")
    web.c.fallback = handler  # such sites answer every unknown path the same way
    url = web.c.route(route, handler)
    wayback.add_capture(url, "20210101000000")
    config = archiving([url])
    check_here(config)
    assert wayback.submissions() == []
    assert health(config)[url]["archive_url"] == f"{wayback.base_url}/web/20210101000000/{url}"


def test_a_page_is_not_submitted_again_inside_the_resave_window(web, wayback, archiving):
    config = archiving([moved_page(web)])
    for _ in range(3):
        check_here(config)
    assert len(wayback.submissions()) == 1
    assert len(snapshots(config)) == 1


def test_a_page_captured_recently_by_someone_else_is_not_submitted(web, wayback, archiving):
    url = moved_page(web)
    wayback.add_capture(url, wayback_today())
    config = archiving([url])
    check_here(config)
    assert wayback.submissions() == []
    [snapshot] = snapshots(config)
    assert (snapshot["status"], snapshot["note"]) == ("archived", "captured recently; not submitted again")


def wayback_today() -> str:
    return datetime.now(UTC).strftime("%Y%m%d000000")


def test_healthy_pages_are_submitted_only_with_preserve_ok(web, wayback, archiving):
    url = web.a.route("/fine", title="Fine")
    check_here(archiving([url]))
    assert wayback.submissions() == []
    check_here(archiving([url], archive={"preserve_ok": True}))
    assert wayback.submissions() == [url]


@pytest.mark.parametrize("style", ["content-location", "link-memento", "job-html"])
def test_every_form_of_anonymous_save_answer_is_understood_and_verified(web, wayback, archiving, style):
    wayback.anonymous_style = style
    url = moved_page(web)
    config = archiving([url])
    check_here(config)
    assert [s["status"] for s in snapshots(config)] == ["archived"]
    assert [r.method for r in wayback.requests if r.path.startswith("/save/http")] == ["GET"]


def test_with_keys_saves_use_spn2_and_the_keys_reach_neither_database_nor_output(web, wayback, with_keys, archiving):
    url = moved_page(web)
    config = archiving([url])
    done = run_check(config, "--json", "-v")
    [submit] = [r for r in wayback.requests if r.method == "POST"]
    assert submit.headers["Authorization"] == f"LOW {wayback.access}:{wayback.secret}"
    assert submit.form["url"] == url
    assert [s["status"] for s in snapshots(config)] == ["archived"]
    stored = b"".join(path.read_bytes() for path in config.parent.glob("linkkeeper.db*"))
    for secret in (wayback.access, wayback.secret):
        assert secret.encode() not in stored
        assert secret not in done.stdout + done.stderr


def test_keys_refused_by_the_archive_are_not_repeated_in_the_error(web, wayback, monkeypatch, archiving):
    monkeypatch.setenv("IA_ACCESS_KEY", "wrong-access-key")
    monkeypatch.setenv("IA_SECRET_KEY", "wrong-secret-key")
    config = archiving([moved_page(web)])
    check_here(config)
    [snapshot] = snapshots(config)
    assert snapshot["status"] == "failed"
    assert "wrong-" not in json.dumps(snapshot)


def test_keys_are_read_from_the_ia_tools_ia_ini(web, wayback, archiving):
    ini = os.path.expanduser("~/.config/internetarchive/ia.ini")
    os.makedirs(os.path.dirname(ini))
    with open(ini, "w") as file:
        file.write(f"[s3]\naccess = {wayback.access}\nsecret = {wayback.secret}\n")
    config = archiving([moved_page(web)])
    check_here(config)
    assert [r.method for r in wayback.requests if r.path == "/save"] == ["POST"]
    assert [s["status"] for s in snapshots(config)] == ["archived"]


def test_a_429_is_honoured_and_other_work_carries_on_meanwhile(web, wayback, archiving):
    moved = moved_page(web)
    dead = web.a.route("/gone", status=404)
    wayback.rate_limit_next(1, retry_after="2")
    config = archiving([moved, dead], health=DEAD_AT_ONCE)
    check_here(config)
    saves = [r for r in wayback.requests if r.path.startswith("/save/http")]
    assert len(saves) == 2 and saves[1].at - saves[0].at >= 2
    lookup = next(r for r in wayback.requests if r.path.startswith("/cdx") and r.query["url"] == dead)
    assert lookup.at < saves[1].at, "the look-up did not wait for the save's back-off"
    assert {s["status"] for s in snapshots(config)} == {"archived", "lost"}


def test_rate_limited_work_that_runs_out_of_time_stays_pending_for_the_next_run(web, wayback, archiving):
    url = moved_page(web)
    wayback.rate_limit_next(1)
    config = archiving([url], archive={"time_budget": 2})
    check_here(config)
    [snapshot] = snapshots(config)
    assert snapshot["status"] == "pending" and "rate limited" in snapshot["error"]
    done = linkkeeper_here("archive", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert [s["status"] for s in snapshots(config)] == ["archived"]


def test_an_excluded_url_ends_failed_and_is_not_retried(web, wayback, with_keys, archiving):
    url = moved_page(web)
    wayback.set_save_behaviour(url, "blocked")
    config = archiving([url])
    check_here(config)
    [snapshot] = snapshots(config)
    assert snapshot["status"] == "failed" and "error:blocked-url" in snapshot["error"]
    linkkeeper_here("archive", "--config", str(config))
    assert len(wayback.submissions()) == 1


def test_a_save_that_never_finishes_stays_pending_and_its_job_is_followed_up_next_run(
    web, wayback, with_keys, archiving
):
    url = moved_page(web)
    wayback.set_save_behaviour(url, "never")
    config = archiving([url], archive={"job_timeout": 0.5})
    check_here(config)
    [snapshot] = snapshots(config)
    assert snapshot["status"] == "pending" and snapshot["job_id"].startswith("spn2-")
    wayback.set_save_behaviour(url, "success")
    assert linkkeeper_here("archive", "--config", str(config)).returncode == 0
    assert [s["status"] for s in snapshots(config)] == ["archived"]
    assert len(wayback.submissions()) == 1


def test_pending_work_is_carried_over_a_killed_run(web, wayback, with_keys, archiving):
    url = moved_page(web)
    wayback.set_save_behaviour(url, "never")
    config = archiving([url], archive={"job_timeout": 60})
    running = subprocess.Popen([CHECK_LINKS, "--config", str(config)], stdout=subprocess.DEVNULL)
    polls = lambda: [r for r in wayback.requests if r.path.startswith("/save/status/spn2")]  # noqa: E731
    deadline = time.monotonic() + 60
    while not polls():
        assert running.poll() is None, "check-links ended before it polled its save"
        assert time.monotonic() < deadline, "check-links never polled its save"
        time.sleep(0.02)
    os.kill(running.pid, signal.SIGKILL)
    running.wait()
    [snapshot] = snapshots(config)
    assert (snapshot["status"], snapshot["job_id"] is not None) == ("pending", True)
    wayback.set_save_behaviour(url, "success")
    assert linkkeeper_here("archive", "--config", str(config)).returncode == 0
    assert [s["status"] for s in snapshots(config)] == ["archived"]
    assert len(wayback.submissions()) == 1


def test_saves_are_spaced_to_saves_per_minute(web, wayback, archiving):
    urls = moved_pages(web, 3)
    config = archiving(urls, archive={"saves_per_minute": 60})
    check_here(config)
    saves = [r.at for r in wayback.requests if r.path.startswith("/save/http")]
    assert len(saves) == 3
    assert all(later - earlier >= 0.95 for earlier, later in pairwise(saves))


def test_the_submitted_page_is_kept_as_a_local_warc_record_and_can_be_exported(web, wayback, archiving, tmp_path):
    url = moved_page(web)
    config = archiving([url])
    check_here(config)
    kept = list((tmp_path / "archive" / "warc").glob("*.warc.gz"))
    assert len(kept) == 1
    bundle = tmp_path / "copies.warc.gz"
    done = linkkeeper_here("archive", "--config", str(config), "--export-warc", str(bundle))
    assert done.stdout.strip() == f"Wrote 1 WARC records to {bundle}."
    with bundle.open("rb") as stream:
        records = [
            (r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        ]
    [(target, content)] = records
    assert target == web.b.url + "/new-home"
    assert b"The toolkit, moved" in content


def test_linkkeeper_archive_submits_a_listed_url_on_demand(web, wayback, archiving):
    url = web.a.route("/fine", title="Fine")
    config = archiving([url])
    check_here(config)
    done = linkkeeper_here("archive", "--config", str(config), url)
    assert done.returncode == 0, done.stderr
    assert wayback.submissions() == [url]
    assert "Archive: 1 archived." in done.stdout


def test_linkkeeper_archive_refuses_an_unlisted_url(web, wayback, archiving):
    config = archiving([web.a.route("/fine")])
    done = linkkeeper_here("archive", "--config", str(config), "http://127.0.0.1:9/elsewhere")
    assert done.returncode == 2
    assert "not a resource of resources.yml" in done.stderr


def test_no_archive_skips_the_archive_step(web, wayback, archiving):
    check_here(archiving([moved_page(web)]), "--no-archive")
    assert wayback.requests == []


def test_an_excluded_site_is_said_so_on_look_up(web, wayback, archiving):
    url = web.a.route("/gone", status=404)
    wayback.block_site(web.a.url)
    config = archiving([url], health=DEAD_AT_ONCE)
    check_here(config)
    assert health(config)[url]["archive_status"] == "excluded"
    assert snapshots(config)[0]["error"] == "the Wayback Machine excludes this site"


def test_an_announced_capture_is_confirmed_with_the_availability_api(web, wayback, archiving):
    config = archiving([moved_page(web)])
    check_here(config)
    assert [r.path for r in wayback.requests if r.path == "/wayback/available"] == ["/wayback/available"]
    assert [s["status"] for s in snapshots(config)] == ["archived"]


def test_saves_stop_at_the_daily_limit_and_the_rest_stays_pending(web, wayback, archiving):
    urls = moved_pages(web, 2)
    config = archiving(urls, archive={"saves_per_day": 1})
    check_here(config)
    assert len(wayback.submissions()) == 1
    statuses = sorted((s["status"], s["error"] or "") for s in snapshots(config))
    assert statuses == [("archived", ""), ("pending", "daily limit of 1 saves reached")]
