"""Distributed runs: a coordinator (`check-links --redis`) and workers (`linkkeeper worker`) sharing a real
redis-server on loopback, fetching from the local web; politeness and exactly-once counted where they
happen, at the server and in the stored checks. The workers, and the coordinators that are killed or outlive
Redis, are processes of their own; a coordinator run to its end runs in the test's process."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis

from checking import CHECK_LINKS, LINKKEEPER, check_here, database, health, one_line
from local_redis import free_port, local_redis
from local_web import closed_port_url, respond, slow_page

pytestmark = pytest.mark.long

SECRET = "s3cret-pass"
LEASE = "1.5"  # seconds: a killed worker's hosts go to another soon after
STARTED = 60.0  # seconds any wait in these tests may take


@pytest.fixture(scope="module")
def redis_url():
    with local_redis(SECRET) as server:
        yield server.url


def start_worker(redis_url: str, once: bool = True, verbose: bool = True) -> subprocess.Popen:
    """A worker, its Redis URL (and password) from the environment, not argv."""
    return subprocess.Popen(
        [LINKKEEPER, "worker", *(["--once"] if once else []), *(["-v"] if verbose else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "LINKKEEPER_REDIS": redis_url},
    )


def start_coordinator(config: Path, redis_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [CHECK_LINKS, "--config", str(config), "--redis", redis_url, "--lease", LEASE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def coordinate_here(config: Path, redis_url: str) -> tuple[int, str, str]:
    """A coordinator run to its end in this process, its workers processes of their own."""
    done = check_here(config, "--redis", redis_url, "--lease", LEASE)
    return done.returncode, done.stdout, done.stderr


def holders(redis_url: str) -> dict[str, int]:
    """host -> pid of the `linkkeeper worker` holding it in the current run (frontier.py's layout)."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        run = client.get("linkkeeper:run")
        keys = list(client.scan_iter(f"linkkeeper:{run}:holder:*")) if run else []
        held = {key.rpartition(":")[2]: client.get(key) for key in keys}
        return {host: int(worker.split("-")[-2]) for host, worker in held.items() if worker}  # "NAME-PID-RANDOM"
    finally:
        client.close()


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=STARTED)
    return process.returncode, out, err


def wait_for(condition, failure: str) -> None:
    deadline = time.monotonic() + STARTED
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.02)


def checks_by_url(config: Path) -> dict[str, list[tuple]]:
    """Every stored check by URL: what was judged, not when or how fast."""
    rows = database(config).query(
        "select r.url, c.finding, c.outcome, c.status_code, c.final_url, c.error_class, c.state, c.attempts"
        " from checks c join resources r on r.id = c.resource_id order by c.id"
    )
    found: dict[str, list[tuple]] = {}
    for row in rows:
        found.setdefault(row.pop("url"), []).append(tuple(row.values()))
    return found


def test_two_workers_store_what_a_local_run_stores_each_link_once_within_the_host_limit(
    web, write_config, tmp_path, redis_url
):
    urls = [web.b.route(f"/slow/{n}", slow_page(0.05)) for n in range(8)]
    urls += [web.c.route(f"/slow/{n}", slow_page(0.05)) for n in range(8)]
    web.c.route("/new", title="Moved here", body="<p>the page</p>")
    urls += [
        web.b.route("/missing", status=404, title="Not Found"),
        web.c.route("/old", status=301, headers={"Location": web.c.url + "/new"}),
        closed_port_url("127.0.0.1"),
    ]
    (tmp_path / "local").mkdir()
    local = write_config(urls, path=tmp_path / "local" / "resources.yml", per_host_concurrency=2)
    assert check_here(local).returncode == 0
    distributed = write_config(urls, per_host_concurrency=2)
    web.b.max_in_flight = web.c.max_in_flight = 0

    workers = [start_worker(redis_url) for _ in range(2)]
    code, out, err = coordinate_here(distributed, redis_url)
    worked = [finish(worker) for worker in workers]

    assert code == 0, err
    assert [status for status, _, _ in worked] == [0, 0], worked
    assert checks_by_url(distributed) == checks_by_url(local)  # one check per link, judged as a local run does
    assert (web.b.max_in_flight, web.c.max_in_flight) == (2, 2)
    assert not any(SECRET in text for text in (out, err, *(o + e for _, o, e in worked)))


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_worker_killed_mid_run_loses_nothing_and_the_run_completes(web, write_config, redis_url, signum):
    """SIGKILL: its crawler dies with it (parent-death signal), nothing more is reported for its host, which
    goes to the other worker once its lease lapses. SIGTERM: it stops without fetching what it had queued,
    and leaves its host to the other worker at once."""
    # one host per worker at a time (concurrency = per-host limit), each page slow enough to be mid-run
    urls = [host.route(f"/slow/{n}", slow_page(0.2)) for host in (web.b, web.c) for n in range(12)]
    config = write_config(urls, per_host_concurrency=1, concurrency=1)
    first, second = start_worker(redis_url), start_worker(redis_url)
    coordinator = start_coordinator(config, redis_url)
    wait_for(lambda: len(web.b.seen) >= 2 and len(web.c.seen) >= 2, "both hosts should be fetched")
    wait_for(lambda: sorted(holders(redis_url).values()) == sorted([first.pid, second.pid]), "one host each")
    first.send_signal(signum)
    first.communicate(timeout=STARTED)

    code, _, err = finish(coordinator)
    assert code == 0, err
    assert finish(second)[0] == 0
    checked = checks_by_url(config)
    assert sorted(checked) == sorted(urls)
    assert all(len(checks) == 1 and checks[0][1] == "ok" for checks in checked.values())
    assert (web.b.max_in_flight, web.c.max_in_flight) == (1, 1)
    assert first.returncode == (-signum if signum == signal.SIGKILL else 128 + signum)


def test_redis_down_is_one_line_naming_it_without_its_password_and_its_own_exit_status(web, write_config):
    config = write_config([web.b.route("/ok", title="ok")])
    down = f"redis://:{SECRET}@127.0.0.1:{free_port()}/3"

    coordinator = check_here(config, "--redis", down)
    worker = subprocess.run(
        [LINKKEEPER, "worker", "--redis", down], capture_output=True, text=True, timeout=STARTED,
        stdin=subprocess.DEVNULL,
    )

    for done in (coordinator, worker):
        assert done.returncode == 6, done.stderr
        line = one_line(done.stderr)
        assert f"redis://127.0.0.1:{down.rpartition(':')[2]}" in line and SECRET not in line
        assert line.endswith("cannot be used: connection refused"), line  # not redis-py's errno and address again
    assert not (config.parent / "linkkeeper.db").exists()  # nothing was written


def test_a_wrong_password_or_a_network_down_leave_every_link_as_it_was(web, write_config, redis_url):
    config = write_config([web.b.route("/ok", title="ok")])
    wrong = redis_url.replace(SECRET, "not-the-password")
    refused = check_here(config, "--redis", wrong)
    assert refused.returncode == 6
    assert "refused the password" in one_line(refused.stderr) and "not-the-password" not in refused.stderr

    offline = write_config([web.b.route("/ok", title="ok")], canaries=[closed_port_url()])
    done = check_here(offline, "--redis", redis_url)
    assert done.returncode == 3, done.stderr
    assert database(offline)["checks"].count == 0
    assert not web.b.seen


def runs_and_checks(config: Path) -> tuple[list[str], dict[str, int]]:
    """Each run's status, and how many checks of each URL the last run stored."""
    db = database(config)
    statuses = [row["status"] for row in db.query("select status from runs order by id")]
    last = db.execute("select max(id) from runs").fetchone()[0]
    counts = db.query(
        "select r.url, count(*) as n from checks c join resources r on r.id = c.resource_id where c.run_id = ?"
        " group by r.url", [last]
    )
    return statuses, {row["url"]: row["n"] for row in counts}


def test_a_killed_coordinator_leaves_a_run_the_next_marks_interrupted_and_a_worker_serves_both(
    web, write_config, redis_url
):
    urls = [web.b.route(f"/slow/{n}", slow_page(0.1)) for n in range(30)]
    config = write_config(urls, per_host_concurrency=1)
    worker = start_worker(redis_url, once=False, verbose=False)  # serves run after run, until stopped
    first = start_coordinator(config, redis_url)
    wait_for(lambda: len(web.b.seen) >= 3, "the worker should be fetching")
    first.kill()
    first.communicate(timeout=STARTED)

    code, _, err = coordinate_here(config, redis_url)
    worker.send_signal(signal.SIGTERM)
    stopped, _, said = finish(worker)

    assert code == 0, err
    assert runs_and_checks(config) == (["interrupted", "completed"], dict.fromkeys(urls, 1))
    assert web.b.max_in_flight == 1  # the first run's share ended before the second's began
    assert stopped == 128 + signal.SIGTERM
    assert one_line(said).startswith("Stopped by SIGTERM")


def test_redis_lost_mid_run_fails_the_run_with_exit_6_and_changes_no_link(web, write_config):
    urls = [web.b.route(f"/slow/{n}", slow_page(0.1)) for n in range(30)]
    config = write_config(urls, per_host_concurrency=1)
    with local_redis() as server:
        worker = start_worker(server.url, verbose=False)
        coordinator = start_coordinator(config, server.url)
        wait_for(lambda: len(web.b.seen) >= 3, "the worker should be fetching")
        server.stop()
        code, _, err = finish(coordinator)
        worked, _, worker_err = finish(worker)

    assert (code, worked) == (6, 6), (err, worker_err)
    address = server.url.removeprefix("redis://")
    assert address in one_line(err) and address in one_line(worker_err)
    assert runs_and_checks(config)[0] == ["failed"]
    assert {row["state"] for row in health(config).values()} == {"unknown"}


def test_a_worker_whose_network_is_down_takes_no_link_and_no_state_changes(web, write_config, redis_url):
    answered = []

    def canary(request) -> None:
        """Answers the coordinator, the first to ask; then hangs up without answering, as a dead network would."""
        if answered:
            request.close_connection = True
            return
        answered.append(request.path)
        respond(request, 204)

    web.a.route("/canary", canary)
    config = write_config([web.b.route("/ok", title="ok")])
    worker = start_worker(redis_url, verbose=False)
    code, _, err = coordinate_here(config, redis_url)
    worked, said, _ = finish(worker)

    assert code == 5 and "no worker took this run's links" in one_line(err)
    assert worked == 0 and "no canary answered here, the network is down" in said
    assert not web.b.seen
    assert runs_and_checks(config)[0] == ["failed"]
    assert {row["state"] for row in health(config).values()} == {"unknown"}
