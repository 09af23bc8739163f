"""The crawler's reports, recorded from real crawls and replayed: tests of what runs make of checks
(health over runs, list edits, content drift, what is printed) need the crawler's verdicts, not a
crawler process for every run.

A run whose every link and canary is served by a fixed response (`Host.route(path, **response)`) that
has been crawled before, with the same settings, gets the reports the real crawler gave then, restamped
with the link's URL, id and time; any other run starts the real crawler (`linkkeeper.crawl.crawl`) and
its reports are recorded. What the crawler itself judges, and how it behaves as a process, is tested by
modules that always start it (test_verdicts_end_to_end, test_hostile_web, test_interruptions, ...).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from linkkeeper.clock import now_iso
from linkkeeper.crawl import crawl
from linkkeeper.settings import Settings
from local_web import LocalWeb

Key = tuple[str, str]


class Recorder:
    """Reports of past crawls by what served them: (settings, fixed response) for a check, (settings,
    fixed responses of the canaries) for the network's report. One per test process."""

    def __init__(self) -> None:
        self.checks: dict[Key, dict] = {}
        self.networks: dict[tuple, dict] = {}
        self.crawls = 0
        self.replays = 0

    def fetch_for(self, web: LocalWeb, asked: list[list[str]]) -> Any:
        """A stand-in for `crawl` over `web`; each run's targets' URLs are appended to `asked`."""

        def fetch(
            targets: Iterable[dict], settings: Settings, log_level: str = "ERROR", scrapy_settings: dict | None = None
        ) -> Iterator[dict]:
            targets = list(targets)
            asked.append([target["url"] for target in targets])
            context = _settings_key(settings)
            keys = {target["url"]: _response_key(web, target["url"], context) for target in targets}
            network = tuple(_response_key(web, canary, context) for canary in settings.canaries)
            replayable = not scrapy_settings and None not in keys.values() and None not in network
            if replayable and network in self.networks and all(key in self.checks for key in keys.values()):
                self.replays += 1
                yield _restamped(self.networks[network], settings.canaries)
                for target in targets:
                    yield {**_restamped(self.checks[keys[target["url"]]], [target["url"]]), "target": target["id"]}
                return
            self.crawls += 1
            for record in crawl(targets, settings, log_level, scrapy_settings):
                if replayable and record["type"] == "NetworkItem":
                    self.networks[network] = {**record, "lk_urls": list(settings.canaries)}
                elif replayable:
                    self.checks[keys[record["url"]]] = {**record, "lk_urls": [record["url"]]}
                yield record

        return fetch


NOT_THE_CRAWLERS = {"canaries", "timezone", "health.dead_after_failures", "health.dead_after_days"}
"""Settings that `check-links` uses and the crawler does not (the canaries' URLs change from test to test)."""


def _settings_key(settings: Settings) -> str:
    """The settings a report may depend on: all but those of `check-links` alone and of the archive step."""
    crawlers = {
        name: value
        for name, value in settings.to_dict().items()
        if name not in NOT_THE_CRAWLERS and not name.startswith("archive.")
    }
    return json.dumps(crawlers, sort_keys=True)


def _response_key(web: LocalWeb, url: str, context: str) -> Key | None:
    """What `url` answers, if a fixed response on a plain-HTTP host of `web` that answers unknown paths
    (the crawler's soft-404 probe) with its bare 404; None if it cannot be replayed."""
    for host in web.hosts:
        if url.startswith(host.url + "/") and host.tls_days is None and host.fallback is None:
            response = host.fixed.get(url[len(host.url):])
            return None if response is None else (context, json.dumps(response, sort_keys=True, default=repr))
    return None


def _restamped(record: dict, urls: Iterable[str]) -> dict:
    """`record` as if just made for `urls`, in the order of the URLs it was recorded for: each value that
    was one of those URLs is the new one."""
    text = json.dumps({name: value for name, value in record.items() if name != "lk_urls"})
    for old, new in zip(record["lk_urls"], urls, strict=True):
        text = text.replace(json.dumps(old), json.dumps(new))
    replayed = json.loads(text)
    if "checked_at" in replayed:
        replayed["checked_at"] = now_iso()
    return replayed
