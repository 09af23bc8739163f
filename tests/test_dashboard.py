"""The dashboard in a real browser, over a database made by real check-links runs against local hosts."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from browser import marks_filled, open_page
from checking import needs_mounts, on_a_read_only_disk, run_check
from linkkeeper.health import STATE_COLOURS
from local_wayback import LocalWayback
from local_web import LocalWeb, redirect, respond


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Two runs over: a healthy page, a dead page with an archived copy, a lost one, a moved one."""
    folder = tmp_path_factory.mktemp("dashboard")
    with LocalWeb(first=40) as web, LocalWayback() as wayback:
        web.a.route("/canary", lambda request: respond(request, 204))
        urls = {
            "healthy": web.a.route("/toolkit", title="Toolkit"),
            "dead": web.a.route("/programme", status=404),
            "lost": web.a.route("/knowledge-base", status=410),
            "moved": web.a.route("/centre", redirect(301, web.b.route("/new-centre", title="Centre"))),
        }
        wayback.add_capture(urls["dead"], "20200101000000")
        config = folder / "resources.yml"
        config.write_text(
            yaml.safe_dump(
                {
                    "title": "Test resources",
                    "settings": {
                        "timeout": 3,
                        "retries": 0,
                        "canaries": [web.a.url + "/canary"],
                        "health": {"dead_after_failures": 2, "dead_after_days": 0},
                        "archive": {"saves_per_minute": 600, "cdx_per_minute": 600, "poll_interval": 0.05},
                    },
                    "resources": [
                        {"url": url, "title": name.title(), "kind": "toolkit", "section": "Tools"}
                        for name, url in urls.items()
                    ],
                }
            )
        )
        environment = {"LINKKEEPER_WAYBACK_URL": wayback.base_url}
        for _ in range(2):
            run_check(config, env=environment)
        with dashboard(config, folder) as served:
            yield {"url": served.url, "urls": urls, "wayback": wayback.base_url}


DEADLINE = 30  # seconds for a dashboard to start or to stop


@dataclass
class Dashboard:
    process: subprocess.Popen
    url: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))


@contextmanager
def dashboard(config: Path, temp: Path, port: int = 0, read_only: bool = False) -> Iterator[Dashboard]:
    """`linkkeeper dashboard` serving `config`, its temp files in `temp`; once answering over HTTP, yielded.

    Whatever the test did to it, its whole process group is killed at the end: a Datasette left behind
    by a regression must not outlive the suite (it did, when only the parent was terminated).
    """
    command = [sys.executable, "-m", "linkkeeper", "dashboard", "--config", str(config), "--port", str(port)]
    process = subprocess.Popen(
        on_a_read_only_disk(config.parent, command) if read_only else command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
        start_new_session=True,
    )
    try:
        url = announced_url(process)
        wait_for(lambda: answers(url), "the dashboard did not start")
        yield Dashboard(process, url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=DEADLINE)
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.stdout.close()


def announced_url(process: subprocess.Popen) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout=DEADLINE), "the dashboard said nothing"
    line = process.stdout.readline()
    assert " at " in line, f"the dashboard did not start (exit {process.poll()}): {line!r}"
    return line.split(" at ")[1].split(" ")[0]


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except (urllib.error.URLError, ConnectionError):
        return False
    return True


def wait_for(condition: Callable[[], bool], failure: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.1)


def datasette_processes(db: Path) -> list[int]:
    """The live Datasette processes serving `db`, read from /proc as `pgrep -f` would (zombies have no cmdline)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0") if entry.name.isdigit() else []
        except OSError:  # it ended while we looked
            continue
        if b"datasette" in arguments and os.fsencode(db) in arguments:
            found.append(int(entry.name))
    return found


def ended(pid: int) -> bool:
    """Whether every thread of `pid` has exited, so its sockets are closed.

    A zombie its new parent has not reaped yet counts as ended; a zombie thread-group leader whose
    other threads are still exiting does not (they may still hold the listening socket).
    """
    states = []
    for task in Path(f"/proc/{pid}/task").glob("*/stat"):
        with suppress(FileNotFoundError):
            states.append(task.read_text().rsplit(")", 1)[1].split()[0])
    return all(state in ("Z", "X") for state in states)


def port_is_free(port: int) -> bool:
    """Whether a server could listen on `port` now (with SO_REUSEADDR, as servers do: TIME_WAIT is no owner)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture
def served_files(history, tmp_path) -> tuple[Path, Path, Path]:
    """The fixed history's list and database, and an empty folder to be the dashboard's temp folder."""
    config, _ = history
    temp = tmp_path / "temp"
    temp.mkdir()
    return config.path, config.path.with_name("linkkeeper.db"), temp


@pytest.mark.parametrize(
    ("stop", "status"),
    [(signal.SIGTERM, 0), (signal.SIGINT, 0), (signal.SIGHUP, 128 + signal.SIGHUP)],
    ids=["SIGTERM", "SIGINT", "SIGHUP"],
)
def test_a_stop_signal_ends_datasette_frees_the_port_and_removes_the_temp_folder(served_files, stop, status):
    config, db, temp = served_files
    with dashboard(config, temp) as served:
        assert len(datasette_processes(db)) == 1
        assert [path.name[:21] for path in temp.iterdir()] == ["linkkeeper-dashboard-"]
        served.process.send_signal(stop)
        assert served.process.wait(timeout=DEADLINE) == status
        assert datasette_processes(db) == []
        assert port_is_free(served.port)
        assert list(temp.iterdir()) == []


def test_after_sigterm_the_next_dashboard_starts_on_the_same_port(served_files):
    config, db, temp = served_files
    with dashboard(config, temp) as first:
        [old] = datasette_processes(db)
        first.process.terminate()
        first.process.wait(timeout=DEADLINE)
    with dashboard(config, temp, port=first.port) as second:
        [new] = datasette_processes(db)
        assert second.url == first.url and new != old


def test_datasette_dies_with_a_dashboard_killed_by_sigkill(served_files):
    config, db, temp = served_files
    with dashboard(config, temp) as served:
        [child] = datasette_processes(db)
        served.process.kill()
        served.process.wait(timeout=DEADLINE)
        wait_for(lambda: ended(child), "Datasette outlived its killed parent")
        assert datasette_processes(db) == []
        assert port_is_free(served.port)


@needs_mounts
def test_it_serves_a_wal_database_from_a_read_only_disk(history, served_files, tmp_path_factory):
    """Closed by its last writer, the database has no WAL index, and none can be created on that disk."""
    history[1].close()
    config, db, _ = served_files
    assert not db.with_name(db.name + "-shm").exists()
    writable_temp = tmp_path_factory.mktemp("temp")
    with dashboard(config, writable_temp, read_only=True) as served, urllib.request.urlopen(
        f"{served.url}{db.stem}/link_health.json?_shape=objects"
    ) as answer:
        assert json.load(answer)["rows"]


def rows(site, query: str, **params) -> list[dict]:
    arguments = "&".join(f"{name}={urllib.request.quote(value)}" for name, value in params.items())
    with urllib.request.urlopen(f"{site['url']}linkkeeper/{query}.json?_shape=objects&{arguments}") as answer:
        return json.load(answer)["rows"]


def test_it_listens_on_loopback_only_and_says_where(site):
    assert site["url"].startswith("http://127.0.0.1:")


def test_the_landing_page_lists_the_dead_link_with_its_archived_copy_and_the_lost_one(site, browser):
    visit = open_page(browser, site["url"])
    visit.screenshot("dashboard-landing")
    dead = visit.page.locator("#dead_links")
    archived = f"{site['wayback']}/web/20200101000000/{site['urls']['dead']}"
    assert dead.locator(f'a[href="{archived}"]').count() == 1
    assert "lost: no archived copy" in dead.inner_text()
    assert site["urls"]["lost"] in dead.inner_text()
    assert visit.console_errors == []


def test_the_landing_page_lists_links_at_risk_with_their_reason(site, browser):
    visit = open_page(browser, site["url"])
    text = visit.page.locator("#at_risk_links").inner_text()
    assert site["urls"]["moved"] in text and "moved permanently to" in text


def test_the_landing_page_says_what_changed_in_the_last_run(site, browser):
    visit = open_page(browser, site["url"])
    text = visit.page.locator("#last_run_changes").inner_text()
    assert site["urls"]["dead"] in text and "dead" in text
    assert site["urls"]["healthy"] not in text


def test_dead_links_query(site):
    found = {row["url"]: row["archived_copy"] for row in rows(site, "dead_links")}
    assert found == {
        site["urls"]["dead"]: f"{site['wayback']}/web/20200101000000/{site['urls']['dead']}",
        site["urls"]["lost"]: "lost: no archived copy",
    }


def test_at_risk_links_query(site):
    assert [row["url"] for row in rows(site, "at_risk_links")] == [site["urls"]["moved"]]


def test_last_run_changes_query(site):
    changed = {row["url"]: (row["was"], row["now"]) for row in rows(site, "last_run_changes")}
    assert changed == {site["urls"]["dead"]: ("at_risk", "dead"), site["urls"]["lost"]: ("at_risk", "dead")}


def test_never_archived_query(site):
    assert {row["url"] for row in rows(site, "never_archived")} == {site["urls"]["healthy"], site["urls"]["lost"]}


def test_uptime_query(site):
    uptime = {row["url"]: (row["uptime_30_days"], row["uptime_90_days"]) for row in rows(site, "uptime")}
    assert uptime[site["urls"]["healthy"]] == (100.0, 100.0)
    assert uptime[site["urls"]["dead"]] == (0.0, 0.0)


def test_slowest_query(site):
    assert {row["url"] for row in rows(site, "slowest")} == {site["urls"]["healthy"], site["urls"]["moved"]}


def test_url_history_query(site):
    history = rows(site, "url_history", url=site["urls"]["dead"])
    assert sorted(row["event"] for row in history) == ["archive lookup", "check", "check"]
    assert [row["at"] for row in history] == sorted((row["at"] for row in history), reverse=True)


def test_the_charts_draw_link_states_in_the_expected_colours(site, browser):
    page = site["url"] + "-/dashboards/link-health"
    visit = open_page(browser, page, wait_for="#chart-archive-coverage svg .mark-arc path")
    visit.screenshot("dashboard-charts")
    for state in ("ok", "at_risk", "dead"):
        assert marks_filled(visit.page, "#chart-states-over-time", STATE_COLOURS[state]) >= 1, state
    assert visit.page.locator("#chart-response-times svg .mark-line path").count() >= 2
    assert visit.page.locator("#chart-archive-coverage svg .mark-arc path").count() == 3
    assert visit.console_errors == []


def test_urls_are_clickable_and_states_are_facets_in_the_table_view(site, browser):
    visit = open_page(browser, site["url"] + "linkkeeper/link_health")
    assert visit.page.locator(f'table a[href="{site["urls"]["healthy"]}"]').count() == 1
    assert visit.page.locator(".facet-info[data-column=state]").count() == 1
    assert "The current health of every listed link" in visit.page.inner_text("body")
    assert visit.console_errors == []


def test_columns_are_described_for_newcomers(site):
    with urllib.request.urlopen(site["url"] + "linkkeeper/resources") as answer:
        page = answer.read().decode()
    assert "Where a permanently moved page now lives" in page


def test_the_database_cannot_be_written_through_the_dashboard(site):
    request = urllib.request.Request(
        site["url"] + "linkkeeper/resources/-/insert",
        data=json.dumps({"row": {"url": "http://evil.example/"}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code in (403, 404, 405)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(site["url"] + "linkkeeper.json?sql=" + urllib.request.quote("delete from resources"))
    assert refused.value.code == 400
    assert len(rows(site, "never_archived")) == 2
