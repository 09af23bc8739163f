"""Politeness measured at the server: per-host and overall concurrency caps, Retry-After."""

from __future__ import annotations

from checking import run_check
from local_web import max_overlap, slow_page


def slow_pages(host, count: int) -> list[str]:
    return [host.route(f"/slow/{n}", slow_page(0.15)) for n in range(count)]


def test_a_host_never_sees_more_than_per_host_concurrency_requests_at_once(web, write_config):
    config = write_config(slow_pages(web.b, 30), per_host_concurrency=3, concurrency=64)
    assert run_check(config).returncode == 0
    probes = [seen for seen in web.b.seen if "linkkeeper-probe-" in seen.path]
    assert (len(web.b.intervals), len(probes)) == (30 + 1, 1)  # every page, and the host's one probe
    assert web.b.max_in_flight == 3


def test_the_default_per_host_limit_is_two(web, write_config):
    config = write_config(slow_pages(web.b, 12))
    assert run_check(config).returncode == 0
    assert web.b.max_in_flight == 2


def test_all_hosts_together_never_see_more_than_concurrency_requests_at_once(web, write_config):
    urls = [url for host in (web.a, web.b, web.c) for url in slow_pages(host, 8)]
    config = write_config(urls, per_host_concurrency=4, concurrency=3)
    assert run_check(config).returncode == 0
    intervals = [i for host in (web.a, web.b, web.c) for i in host.intervals if i]
    assert len(intervals) >= 24
    assert max_overlap(intervals) <= 3
