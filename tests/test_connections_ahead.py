"""A page that waits for a place has its host's connection opened meanwhile (crawler/downloader/http_client.py
`open_ahead`), seen at the server; a connection that fails, or that the server drops unused, changes no verdict.
A crawl's idle connections end with it, none closed and waited for one by one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from checking import check_here, json_here
from local_web import Host, closed_port_url, slow_page

PAGE = {"title": "A working page", "body": "<h1>Digital government toolkit</h1>" + "<p>Toolkit text.</p>" * 40}


@pytest.fixture
def idle_closing():
    """A host that closes a connection on which nothing came for a tenth of a second."""
    host = Host("127.0.0.71", idle_timeout=0.1)
    host.start()
    yield host
    host.stop()


def elsewhere(folder: Path) -> Path:
    """A second list's path, in a folder of its own, for its own database."""
    folder.mkdir()
    return folder / "resources.yml"


def verdicts(output: dict) -> dict[str, tuple]:
    return {row["url"]: (row["finding"], row["state"], row["reason"], row["error_class"])
            for row in output["resources"]}


def test_a_waiting_pages_connection_is_opened_while_the_places_are_busy(web, write_config):
    slow = web.b.route("/slow", slow_page(0.6))
    waiting = web.c.route("/page", **PAGE)
    assert check_here(write_config([slow, waiting], concurrency=1)).returncode == 0
    asked = web.b.hits("/slow")[0].at
    slow_answered = next(end for start, end in web.b.intervals if start == asked)
    first = web.c.connections[0]
    assert first.at < slow_answered  # opened while the one place was busy
    assert web.c.seen[0].port == first.port  # and the host's first request came on it
    assert len(web.c.connections) <= 2


def test_a_host_never_sees_more_connections_than_its_limit(web, write_config):
    hosts = (web.a, web.b, web.c)
    urls = [host.route(f"/slow/{n}", slow_page(0.1)) for n in range(6) for host in hosts]
    assert check_here(write_config(urls, concurrency=3, per_host_concurrency=2)).returncode == 0
    assert [len(host.connections) <= 2 for host in hosts] == [True, True, True]


def test_a_connection_the_server_drops_unused_changes_nothing(web, write_config, tmp_path, idle_closing):
    slow = web.b.route("/slow", slow_page(0.6))
    waiting = idle_closing.route("/page", **PAGE)
    _, held = json_here(write_config([slow, waiting], concurrency=1))
    dropped = idle_closing.connections[0].port
    assert dropped not in {seen.port for seen in idle_closing.seen}  # opened ahead, closed by the server
    _, at_once = json_here(write_config([slow, waiting], elsewhere(tmp_path / "at-once"), concurrency=64))
    assert verdicts(held)[waiting] == verdicts(at_once)[waiting]
    assert verdicts(held)[waiting][1] == "ok"


def test_a_host_that_refuses_the_connection_ahead_is_judged_as_when_checked_at_once(web, write_config, tmp_path):
    slow = web.b.route("/slow", slow_page(0.4))
    refused = closed_port_url("127.0.0.72")
    _, held = json_here(write_config([slow, refused], concurrency=1))
    _, at_once = json_here(write_config([slow, refused], elsewhere(tmp_path / "at-once"), concurrency=64))
    assert verdicts(held)[refused] == verdicts(at_once)[refused]
    assert verdicts(held)[refused][3] is not None


def test_a_crawls_idle_tls_connections_end_with_it_without_a_close_each(web, write_config):
    """Scrapy closed each idle connection and waited for the server's answer: a TLS server that never gives one
    held every crawl's end for a second."""
    pages = [web.tls.route(f"/page/{n}", **PAGE) for n in range(3)]
    assert check_here(write_config(pages)).returncode == 0
    deadline = time.monotonic() + 5
    while not all(connection.ended for connection in web.tls.connections) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert web.tls.connections
    assert {connection.ended for connection in web.tls.connections} == {"dropped"}
