"""One probe per host and run: the host's answer for a path that cannot exist, shared by all its pages, or the
answer a run before stored (`probes` table), while the host's pages still look as they did.

A page that needs the comparison waits here until its host's probe has answered (or failed), so each
host is asked once however many of its pages are listed, and the probe goes through the same
downloader slot, per-host limit and User-Agent as every other request. A host with a stored answer
(at most `probe_reuse_days` old: check-links hands over only those) is not asked at all, and its pages do
not wait, unless a page shows the host changed since (`changed_since_probed`); then the host is probed
again and the fresh answer serves its pages for the rest of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawler.rules.fetched import Fetch
from crawler.rules.probe_answers import decoded
from linkkeeper.health.drift import CHANGED_BELOW
from linkkeeper.health.similarity import signature, signature_similarity

PROBE = "lk_probe"  # in a probe request's meta: the host (crawler.rules.soft404.probe_key) it speaks for


@dataclass
class ProbeBook:
    answers: dict[str, Fetch] = field(default_factory=dict)  # this run's probes
    stored: dict[str, Fetch] = field(default_factory=dict)  # earlier runs' answers, as check-links handed them
    waiting: dict[str, list[Any]] = field(default_factory=dict)

    def keep_stored(self, answers: dict[str, str]) -> None:
        """The stored answers a target brought (its hosts'); a damaged one is left out, and its host probed."""
        for key, answer in answers.items():
            if key not in self.stored and key not in self.answers:
                try:
                    self.stored[key] = decoded(answer)
                except ValueError:
                    continue

    def answer_for(self, key: str, fetch: Fetch, target: dict) -> Fetch | None:
        """The answer `fetch` is judged against without waiting: this run's, or a stored one the page does not
        contradict; None when the host must be probed (or is being probed)."""
        if key in self.answers:
            return self.answers[key]
        stored = self.stored.get(key)
        if stored is not None and not changed_since_probed(fetch, stored, target):
            return stored
        return None

    def wait(self, key: str, waiter: Any) -> bool:
        """Park `waiter` until the probe of `key` answers; True for the first, who must send the probe."""
        first = key not in self.waiting
        self.waiting.setdefault(key, []).append(waiter)
        return first

    def answered(self, key: str, probe: Fetch) -> list[Any]:
        """Keep the answer for later pages of the host; return the pages that waited for it."""
        self.answers[key] = probe
        return self.waiting.pop(key, [])


def changed_since_probed(fetch: Fetch, probe: Fetch, target: dict) -> bool:
    """Whether the page shows its host changed since the stored probe: another server, the link landing on
    another host than at its last check (`landed`), or a page that resembles nothing of its own baseline text
    (`signature`, as content drift compares it). Any of them may mean a new site behind the name, whose answer
    for a path that cannot exist is not the old one."""
    if fetch.headers.get("server") != probe.headers.get("server"):
        return True
    landed = target.get("landed")
    if landed and (urlsplit(landed).hostname or "") != (urlsplit(fetch.landed).hostname or ""):
        return True
    baseline = target.get("signature")
    if baseline and fetch.page.content_text:
        return signature_similarity(baseline, signature(fetch.page.content_text)) < CHANGED_BELOW
    return False
