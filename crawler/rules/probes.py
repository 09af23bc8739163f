"""One probe per host and run: the host's answer for a path that cannot exist, shared by all its pages.

A page that needs the comparison waits here until its host's probe has answered (or failed), so each
host is asked once however many of its pages are listed, and the probe goes through the same
downloader slot, per-host limit and User-Agent as every other request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.rules.fetched import Fetch

PROBE = "lk_probe"  # in a probe request's meta: the host (crawler.rules.soft404.probe_key) it speaks for


@dataclass
class ProbeBook:
    answers: dict[str, Fetch] = field(default_factory=dict)
    waiting: dict[str, list[Any]] = field(default_factory=dict)

    def wait(self, key: str, waiter: Any) -> bool:
        """Park `waiter` until the probe of `key` answers; True for the first, who must send the probe."""
        first = key not in self.waiting
        self.waiting.setdefault(key, []).append(waiter)
        return first

    def answered(self, key: str, probe: Fetch) -> list[Any]:
        """Keep the answer for later pages of the host; return the pages that waited for it."""
        self.answers[key] = probe
        return self.waiting.pop(key, [])
