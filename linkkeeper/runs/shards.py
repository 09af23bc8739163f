"""Share a list's targets between crawler processes by host: each host is checked by one crawler only, so its
per-host limit holds exactly as the server counts it, however many crawlers there are.

One crawler is one core's worth of Scrapy; two use a 2-core machine twice over. Each crawler's share is
ordered round-robin over its hosts: Scrapy holds as many requests as its `concurrency` in the downloader,
and a share listed host by host would fill them with one host's pages, of which only the per-host limit
can be in flight.
"""

from __future__ import annotations

import heapq
import itertools
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from linkkeeper.urls import host_key

TARGETS_PER_CRAWLER = 1000
"""Below this many targets each, another crawler does not pay for itself: starting one (Python, Scrapy,
Twisted) costs about a second of CPU, checking 1,000 loopback pages about as much."""


@dataclass
class Share:
    """One crawler's hosts' targets, round-robin over the hosts, and its part of the run's `concurrency`."""

    hosts: list[list[dict]]
    concurrency: int = 1

    def targets(self) -> Iterator[dict]:
        for row in itertools.zip_longest(*self.hosts):
            yield from (target for target in row if target is not None)


def crawler_count(requested: int, targets: int) -> int:
    """`requested` crawlers, or with 0 one per core, as many as the list's length makes worth starting."""
    return requested or max(1, min(os.cpu_count() or 1, targets // TARGETS_PER_CRAWLER))


def split(targets: Iterable[dict], requested: int, concurrency: int) -> list[Share]:
    """The shares, at least one, each with its hosts whole; no more than there are hosts or places in
    `concurrency` (the run's total, divided between them). The largest hosts are dealt first, each to the
    share with the fewest targets yet."""
    by_host: dict[str, list[dict]] = defaultdict(list)
    for target in targets:
        by_host[host_key(target["url"])].append(target)
    total = sum(len(group) for group in by_host.values())
    count = max(1, min(crawler_count(requested, total), len(by_host), concurrency))
    shares = [Share([]) for _ in range(count)]
    loads = [(0, number) for number in range(count)]
    for group in sorted(by_host.values(), key=len, reverse=True):
        load, number = heapq.heappop(loads)
        shares[number].hosts.append(group)
        heapq.heappush(loads, (load + len(group), number))
    for number, share in enumerate(shares):
        share.concurrency = concurrency // count + (number < concurrency % count)
    return shares
