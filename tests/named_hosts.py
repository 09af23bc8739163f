"""Links listed under real-looking names (`http://lapsing.org/`), served by local hosts: what a test needs to give
a link a registered domain while the crawl stays on loopback.

The names resolve nowhere a test may go, and the crawler resolves through the system, so this stands in for DNS
alone: each target's URL is fetched at the local host named for it, and what the crawl reports is told under the
listed name again. The crawl itself is the one it wraps (a real crawler, or tests/recorded.py's replays).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Fetch = Callable[..., Iterator[dict]]


def by_name(fetch: Fetch, names: dict[str, str]) -> Fetch:
    """`fetch` for links under `names` (a listed origin such as `http://lapsing.org`, to the local host's URL)."""

    def swapped(text: str, pairs: Iterable[tuple[str, str]]) -> str:
        for listed, local in pairs:
            text = text.replace(listed + "/", local + "/")
        return text

    def fetch_named(targets: Iterable[dict], *crawling: Any, **more: Any) -> Iterator[dict]:
        """The crawl's other arguments (settings, log level, ...) go to `fetch` as they came."""
        local = [{**target, "url": swapped(target["url"], names.items())} for target in targets]
        back = [(local_url, listed) for listed, local_url in names.items()]
        for record in fetch(local, *crawling, **more):
            yield json.loads(swapped(json.dumps(record), back))

    return fetch_named
