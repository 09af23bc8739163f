"""Politeness measured at the server: per-host and overall concurrency caps, Retry-After."""

from __future__ import annotations

import subprocess
import time

from checking import CHECK_LINKS, check_here, crawler_pids
from local_web import max_overlap, redirect, slow_page


def slow_pages(host, count: int) -> list[str]:
    return [host.route(f"/slow/{n}", slow_page(0.15)) for n in range(count)]


def test_a_host_never_sees_more_than_per_host_concurrency_requests_at_once(web, write_config):
    config = write_config(slow_pages(web.b, 30), per_host_concurrency=3, concurrency=64)
    assert check_here(config).returncode == 0
    probes = [seen for seen in web.b.seen if "linkkeeper-probe-" in seen.path]
    assert (len(web.b.intervals), len(probes)) == (30 + 1, 1)  # every page, and the host's one probe
    assert web.b.max_in_flight == 3


def test_a_host_that_links_redirect_to_is_held_to_its_own_limit(web, write_config):
    """Redirects from one host to another wait for the target's slot, not the first host's."""
    listed = slow_pages(web.b, 16)
    redirecting = [web.a.route(f"/to-b/{n}", redirect(302, url)) for n, url in enumerate(listed[8:])]
    config = write_config([*listed[:8], *redirecting], per_host_concurrency=2, concurrency=64)
    assert check_here(config).returncode == 0
    assert len(web.b.intervals) == 16 + 1  # every page, and the host's one probe
    assert web.b.max_in_flight == 2


def test_the_default_per_host_limit_is_two(web, write_config):
    config = write_config(slow_pages(web.b, 12))
    assert check_here(config).returncode == 0
    assert web.b.max_in_flight == 2


def test_all_hosts_together_never_see_more_than_concurrency_requests_at_once(web, write_config):
    urls = [url for host in (web.a, web.b, web.c) for url in slow_pages(host, 8)]
    config = write_config(urls, per_host_concurrency=4, concurrency=3)
    assert check_here(config).returncode == 0
    intervals = [i for host in (web.a, web.b, web.c) for i in host.intervals if i]
    assert len(intervals) >= 24
    assert max_overlap(intervals) <= 3


def test_all_hosts_together_see_concurrency_requests_at_once_when_their_limits_allow(web, write_config):
    """The crawler fills every place it has (crawler/spiders/start_requests.py feeds them all at once)."""
    urls = [host.route(f"/slower/{n}", slow_page(0.4)) for host in (web.a, web.b, web.c) for n in range(6)]
    config = write_config(urls, per_host_concurrency=3, concurrency=6)
    assert check_here(config).returncode == 0
    assert max_overlap([i for host in (web.a, web.b, web.c) for i in host.intervals if i]) == 6


def test_a_new_hosts_probe_goes_before_its_pages_that_wait_behind_its_limit(web, write_config):
    """Pages beyond the host's limit are held by the crawler, not queued in its downloader before the probe
    that the pages already answered wait for (crawler/spiders/start_requests.py)."""
    config = write_config(slow_pages(web.b, 12), per_host_concurrency=2, concurrency=64)
    assert check_here(config).returncode == 0
    order = [seen.path for seen in web.b.seen]
    probe = next(n for n, path in enumerate(order) if "linkkeeper-probe-" in path)
    assert probe <= 6, order  # after the first pages and the few sent in their places, not after all 12
    assert web.b.max_in_flight == 2


def test_with_several_crawlers_each_host_still_sees_at_most_its_limit(web, write_config):
    """The list is shared between crawler processes by host, each host in one of them, so its limit holds
    at the server however many there are; the run's `concurrency` is divided between them."""
    hosts = (web.a, web.b, web.c, web.tls)
    urls = [url for host in hosts for url in slow_pages(host, 10)]
    config = write_config(urls, per_host_concurrency=2, concurrency=64, crawlers=3)
    running = subprocess.Popen([CHECK_LINKS, "--config", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    crawlers: set[int] = set()
    deadline = time.monotonic() + 120
    while running.poll() is None and time.monotonic() < deadline:
        crawlers |= set(crawler_pids(running.pid))
        time.sleep(0.02)
    assert running.wait(timeout=10) in (0, 1), running.stderr.read()
    assert len(crawlers) == 3
    for host in hosts:
        pages = [seen.path for seen in host.seen if seen.path.startswith("/slow/") and "probe" not in seen.path]
        assert len(pages) == 10
        assert host.max_in_flight <= 2
    assert max(host.max_in_flight for host in hosts) == 2
    assert len(web.a.hits("/canary")) == 1  # checked by one crawler, before the others start
