"""The crawler's reports, recorded from real crawls and replayed: tests of what runs make of checks
(health over runs, list edits, content drift, the archive step, what is printed) need the crawler's
verdicts, not a crawler process for every run.

A run whose every link and canary is served by fixed responses (`Host.route(path, **response)`, a
redirect included when its target is fixed too) that have been crawled before with the same settings gets
the reports the real crawler gave then, restamped with the link's URL, id and time, and the copies of
pages it spooled for the archive step; any other run starts the real crawler (`linkkeeper.runs.crawl.crawl`)
and is recorded. What the crawler itself judges, and how it behaves as a process, is tested by modules
that always start it (test_verdicts_end_to_end, test_hostile_web, test_interruptions, ...).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from warcio.archiveiterator import ArchiveIterator

from archive.warc import WARC_DIR_SETTING, spool_path, spool_record
from crawler.items import PageCopy
from linkkeeper.clock import now_iso
from linkkeeper.config.settings import Settings
from linkkeeper.runs.crawl import crawl
from linkkeeper.runs.forking import ForkServer
from local_web import LocalWeb

TARGET = "lk-target:"
"""Stands, in a recorded report, for the URL that was checked (as a whole value, not inside a longer one)."""
NOT_THE_CRAWLERS = {
    "canaries", "timezone", "health.dead_after_failures", "health.dead_after_days", "health.domain_warning_days",
    "notify", "notify_on", "notify_file",
}
"""Settings that `check-links` uses and the crawler does not."""


@dataclass
class Recorded:
    report: str  # the JSON report, its URLs as tokens
    copy: PageCopy | None  # its url as a token too


class Recorder:
    """Reports of past crawls by what served them. One per test process."""

    def __init__(self) -> None:
        self.checks: dict[str, Recorded] = {}
        self.networks: dict[str, str] = {}

    def fetch_for(self, web: LocalWeb, asked: list[list[str]]) -> Callable[..., Iterator[dict]]:
        """A stand-in for `crawl` over `web`; each run's targets' URLs are appended to `asked`."""
        tokens = _Tokens(web)

        def fetch(
            targets: Iterable[dict],
            settings: Settings,
            log_level: str = "ERROR",
            scrapy_settings: dict | None = None,
            server: ForkServer | None = None,
        ) -> Iterator[dict]:
            targets, scrapy_settings = list(targets), scrapy_settings or {}
            asked.append([target["url"] for target in targets])
            context = _context(settings, scrapy_settings)
            keys = {target["url"]: tokens.key(target["url"], context) for target in targets}
            canaries = [tokens.key(canary, context) for canary in settings.canaries]
            network = None if None in canaries else json.dumps([*map(tokens.put, settings.canaries), *canaries])
            replayable = network is not None and None not in keys.values()
            if replayable and network in self.networks and all(key in self.checks for key in keys.values()):
                yield json.loads(tokens.take(self.networks[network]))
                for target in targets:
                    yield self._replayed(self.checks[keys[target["url"]]], target, tokens, scrapy_settings)
                return
            for record in crawl(targets, settings, log_level, scrapy_settings, server):
                if replayable and record["type"] == "NetworkItem":
                    self.networks[network] = tokens.put(json.dumps(record))
                elif replayable and record["type"] == "CheckItem":  # a fresh probe (ProbeItem) is the run's to keep
                    self._record(keys[record["url"]], record, tokens, scrapy_settings)
                yield record

        return fetch

    def _record(self, key: str, record: dict, tokens: _Tokens, scrapy_settings: dict) -> None:
        report = tokens.put(json.dumps(record), record["url"])
        copy = _spooled(scrapy_settings, record["target"])
        if copy:
            copy.url = tokens.put(json.dumps(copy.url), record["url"])
        if tokens.put(record["url"]) not in report:  # the URL checked appears only as whole values
            self.checks[key] = Recorded(report, copy)

    @staticmethod
    def _replayed(recorded: Recorded, target: dict, tokens: _Tokens, scrapy_settings: dict) -> dict:
        if recorded.copy and WARC_DIR_SETTING in scrapy_settings:
            copy = recorded.copy
            spool_record(
                spool_path(Path(scrapy_settings[WARC_DIR_SETTING]), target["id"]),
                json.loads(tokens.take(copy.url, target["url"])), copy.status, copy.headers, copy.body,
                datetime.now(UTC), copy.truncated,
            )
        report = json.loads(tokens.take(recorded.report, target["url"]))
        return {**report, "target": target["id"], "checked_at": now_iso()}


class _Tokens:
    """Each host of a local web as a token (`lk-a:`): its address and port change from test to test."""

    def __init__(self, web: LocalWeb):
        self.hosts = {name: getattr(web, name) for name in ("a", "b", "c", "tls")}

    def put(self, text: str, target: str | None = None) -> str:
        if target:
            text = text.replace(json.dumps(target), json.dumps(TARGET))
        for name, host in self.hosts.items():
            text = text.replace(host.url + "/", f"lk-{name}:/")
        return text

    def take(self, text: str, target: str | None = None) -> str:
        for name, host in self.hosts.items():
            text = text.replace(f"lk-{name}:/", host.url + "/")
        return text.replace(json.dumps(TARGET), json.dumps(target)) if target else text

    def key(self, url: str, context: str, seen: frozenset[str] = frozenset()) -> str | None:
        """What `url` answers, if fixed responses on plain-HTTP hosts that answer unknown paths (the
        crawler's soft-404 probe) with their bare 404; None if it cannot be replayed."""
        for name, host in self.hosts.items():
            if not url.startswith(host.url + "/"):
                continue
            response = host.fixed.get(url[len(host.url):])
            if host.tls_days is not None or host.fallback is not None or response is None or url in seen:
                return None
            follow = ""
            if location := (response.get("headers") or {}).get("Location"):
                follow = self.key(urljoin(url, location), context, seen | {url})
                if follow is None:
                    return None
            return json.dumps([context, name, self.put(json.dumps(response, sort_keys=True, default=repr)), follow])
        return None


def _context(settings: Settings, scrapy_settings: dict) -> str:
    """What else a report may depend on: the settings but those of `check-links` alone and of the archive
    step, and which outcomes' pages the archive step has spooled (not where)."""
    crawlers = {
        name: value
        for name, value in settings.to_dict().items()
        if name not in NOT_THE_CRAWLERS and not name.startswith(("archive.", "rdap."))
    }
    spooling = {name: value for name, value in scrapy_settings.items() if name != WARC_DIR_SETTING}
    return json.dumps([crawlers, spooling], sort_keys=True)


def _spooled(scrapy_settings: dict, target: int) -> PageCopy | None:
    if WARC_DIR_SETTING not in scrapy_settings:
        return None
    path = spool_path(Path(scrapy_settings[WARC_DIR_SETTING]), target)
    if not path.exists():
        return None
    with path.open("rb") as stream:
        record = next(iter(ArchiveIterator(stream)))
        return PageCopy(
            target=target,
            url=record.rec_headers.get_header("WARC-Target-URI"),
            status=int(record.http_headers.get_statuscode()),
            headers=list(record.http_headers.headers),
            body=record.content_stream().read(),
            fetched_at=datetime.fromisoformat(record.rec_headers.get_header("WARC-Date")),
            truncated=record.rec_headers.get_header("WARC-Truncated") is not None,
        )
