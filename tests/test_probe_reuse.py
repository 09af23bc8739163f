"""A host's soft-404 probe is kept between runs (the `probes` table) and not sent again while it is fresh and the
host's pages look as they did, with no verdict changed by where the probe's answer came from."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checking import database, json_here
from linkkeeper import clock
from local_web import Host, respond

PROBE_PATH = "linkkeeper-probe-"


def every_path(address: str, **page) -> Host:
    return Host(address, fallback=lambda request: respond(request, **page))


@pytest.fixture
def scenarios(web):
    """The soft-404, parked and catch-all hosts of tests/test_verdicts_end_to_end.py, and a host with honest 404s."""
    hosts = {
        "soft_404": every_path("127.0.0.51", title="Page not found - UNPOG", body="<h1>Sorry!</h1>"),
        "parked": every_path("127.0.0.52", title="unpog.org", body="<p>This domain is for sale!</p>"),
        "catch_all": every_path("127.0.0.53", title="Welcome", body="<div id='app'>Loading</div>"),
    }
    for host in hosts.values():
        host.start()
    web.a.route("/ok", title="A working page", body="<h1>Digital government toolkit</h1>" + "<p>Toolkit text.</p>" * 40)
    urls = {
        **{name: host.url + "/egov/toolkit-2019.html" for name, host in hosts.items()},
        "ok": web.a.url + "/ok",
        "short_error": web.a.route("/short-error", title="Not found", body="<h1>Not found</h1>"),
    }
    yield urls, [*hosts.values(), web.a]
    for host in hosts.values():
        host.stop()


def probes_sent(hosts: list[Host]) -> int:
    return sum(PROBE_PATH in seen.path for host in hosts for seen in host.seen)


def requests_for_links(hosts: list[Host]) -> int:
    """What the hosts served, the canary aside (tests/conftest.py's `web` serves it)."""
    return sum(seen.path != "/canary" for host in hosts for seen in host.seen)


def findings(output: dict) -> dict[str, str]:
    return {row["url"]: row["finding"] for row in output["resources"]}


def checked_twice(config, hosts: list[Host], between=lambda: None) -> tuple[dict, dict, int]:
    """Both runs' findings, and the probes the second sent."""
    _, first = json_here(config)
    between()
    before = probes_sent(hosts)
    _, second = json_here(config)
    return findings(first), findings(second), probes_sent(hosts) - before


def test_a_stored_probe_gives_the_findings_of_a_fresh_one(scenarios, write_config):
    urls, hosts = scenarios
    first, second, probed = checked_twice(write_config(list(urls.values())), hosts)
    assert probed == 0
    assert second == first
    assert {name: first[url] for name, url in urls.items()} == {
        "soft_404": "soft-404",
        "parked": "for-sale",
        "catch_all": "catch-all",
        "ok": "ok",
        "short_error": "soft-404",
    }


def test_a_second_run_sends_one_request_per_link(scenarios, write_config):
    urls, hosts = scenarios
    config = write_config(list(urls.values()))
    json_here(config)
    before = requests_for_links(hosts)
    json_here(config)
    assert requests_for_links(hosts) - before == len(urls)


def test_a_host_served_by_another_server_since_is_probed_again(scenarios, write_config):
    urls, hosts = scenarios
    parked = hosts[1]

    def new_server() -> None:
        parked.server.RequestHandlerClass.server_version = "ParkingService/2.0"

    _, _, probed = checked_twice(write_config(list(urls.values())), hosts, new_server)
    assert probed == 1
    assert any(PROBE_PATH in seen.path for seen in parked.seen[-2:])


def test_a_probe_older_than_probe_reuse_days_is_sent_again(scenarios, write_config):
    urls, hosts = scenarios
    config = write_config(list(urls.values()), probe_reuse_days=2)
    stored_probes = len(hosts)

    def two_days_pass() -> None:
        database(config).execute(
            "update probes set probed_at = ?", [(clock.now() - timedelta(days=2, seconds=1)).isoformat()]
        ).connection.commit()

    _, _, probed = checked_twice(config, hosts, two_days_pass)
    assert probed == stored_probes
