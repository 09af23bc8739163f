"""The `links` spider: check every target of a job once, after the canaries say the network is up."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import CancelledError, Deferred
from twisted.python.failure import Failure

from crawler.downloader.retry import attempts
from crawler.items import PAGE_COPIES_SETTING, CheckItem, NetworkItem, PageCopy, ProbeItem
from crawler.job import Job
from crawler.observations import fetch_from_failure, fetch_from_response, fingerprint
from crawler.rules.fetched import Fetch
from crawler.rules.probe_answers import encoded, keeps
from crawler.rules.probes import PROBE, ProbeBook
from crawler.rules.soft404 import probe_key, probe_url
from crawler.rules.verdict import judge, needs_probe
from crawler.spiders.start_requests import Feeder, start_request
from crawler.stopping import FETCH_ON_STOP
from linkkeeper import clock
from linkkeeper.health.similarity import signature
from linkkeeper.urls import requestable

# Probes go before the pages still queued, so the pages that wait for them are not kept waiting long.
PROBE_PRIORITY = 100


class LinksSpider(scrapy.Spider):
    name = "links"

    def __init__(self, job: Job | str, **kwargs: Any):
        super().__init__(**kwargs)
        self.job = Job.of(job)
        self.canary_results: list[dict] = []
        self.network_up: Deferred[bool] = Deferred()
        self.probes = ProbeBook()
        self.feeder: Feeder | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> LinksSpider:
        """The job's settings go in here, before Scrapy freezes them and builds the downloader from them,
        so that every way of starting this spider is as polite as the list asks."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.job.apply(crawler.settings)
        spider.copied_outcomes = set(crawler.settings.getlist(PAGE_COPIES_SETTING))
        spider.feeder = Feeder(crawler)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The canaries first, then, once one has answered, each target as the downloader has room for it
        (crawler/spiders/start_requests.py): Scrapy would otherwise take every request of the list into its
        scheduler at once (memory in proportion to the list), and the crawler's share of a long list is read
        from the job as it goes.

        A stop (a signal) cancels the wait this is in; the requests end there. Scrapy would log the
        cancellation as an error in reading them, with a traceback, in every stopped crawl's log."""
        try:
            if self.job.canaries:
                for url in self.job.canaries:
                    yield start_request(self._request(url, canary=True))
                if not await maybe_deferred_to_future(self.network_up):
                    return
            await self.feeder.feed(self._target_requests())
        except CancelledError:
            return

    def parse(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        fetch = fetch_from_response(response, meta["lk_url"])
        yield from self._report(meta, fetch, response)

    def failed(self, failure: Failure) -> Iterator[Any]:
        meta = failure.request.meta
        yield from self._report(meta, fetch_from_failure(failure, meta["lk_url"]), None)

    def probe_answered(self, response: Response) -> Iterator[Any]:
        yield from self._probed(response.meta[PROBE], fetch_from_response(response, response.meta["lk_url"]))

    def probe_failed(self, failure: Failure) -> Iterator[Any]:
        meta = failure.request.meta
        yield from self._probed(meta[PROBE], fetch_from_failure(failure, meta["lk_url"]))

    def _probed(self, key: str, probe: Fetch) -> Iterator[Any]:
        if keeps(probe):
            yield ProbeItem(
                host=key,
                probed_at=clock.now().isoformat(),
                status=probe.status,
                final_url=probe.final_url,
                server=probe.headers.get("server"),
                answer=encoded(probe),
            )
        for meta, fetch, response in self.probes.answered(key, probe):
            yield from self._checked(meta, fetch, response, probe)

    def _probe_request(self, key: str, near: str) -> scrapy.Request:
        """The host's answer for a random path beside `near`: sent once, never retried (one request per host)."""
        self.crawler.stats.inc_value("linkkeeper/probes")
        url = probe_url(near)
        return scrapy.Request(
            url,
            callback=self.probe_answered,
            errback=self.probe_failed,
            dont_filter=True,
            priority=PROBE_PRIORITY,
            meta={"lk_url": url, PROBE: key, "dont_retry": True, FETCH_ON_STOP: True},
        )

    def _request(self, url: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(
            requestable(url),
            callback=self.parse,
            errback=self.failed,
            dont_filter=True,
            meta={"lk_url": url, **meta},
        )

    def _target_requests(self) -> Iterator[scrapy.Request]:
        for target in self.job.targets:
            yield self._target_request(target)

    def _target_request(self, target: dict) -> scrapy.Request:
        """A listed link's check; `served_at`, when it last answered with its content, is evidence for the verdict.
        Its hosts' stored probe answers (`probes`) are kept for every page of theirs; where it last landed and
        its baseline text (`landed`, `signature`) tell whether its page still fits them."""
        self.probes.keep_stored(target.get("probes") or {})
        seen = {name: target[name] for name in ("landed", "signature") if target.get(name)}
        return self._request(target["url"], lk_target=target["id"], lk_served=target.get("served_at"), lk_seen=seen)

    def _report(self, meta: dict, fetch: Fetch, response: Response | None) -> Iterator[Any]:
        self.feeder.settled(meta)
        if meta.get("canary"):
            yield from self._canary_answered(fetch)
            return
        if not needs_probe(fetch, meta.get("lk_served")):
            yield from self._checked(meta, fetch, response, None)
            return
        key = probe_key(fetch.landed)
        probe = self.probes.answer_for(key, fetch, meta.get("lk_seen", {}))
        if probe is not None:
            yield from self._checked(meta, fetch, response, probe)
        elif self.probes.wait(key, (meta, fetch, response)):
            yield self._probe_request(key, fetch.landed)

    def _canary_answered(self, fetch: Fetch) -> Iterator[Any]:
        """Any HTTP answer, even an error status, proves the network works."""
        self.canary_results.append(
            {"url": fetch.url, "up": fetch.error_class is None, "error": fetch.error}
        )
        if len(self.canary_results) < len(self.job.canaries):
            return
        up = any(result["up"] for result in self.canary_results)
        yield NetworkItem(up=up, canaries=self.canary_results)
        self.network_up.callback(up)

    def _checked(
        self, meta: dict, fetch: Fetch, response: Response | None, probe: Fetch | None
    ) -> Iterator[CheckItem | PageCopy]:
        now = clock.now()
        verdict = judge(fetch, now, self.job.settings.health.cert_warning_days, probe, meta.get("lk_served"))
        item = CheckItem(
            target=meta["lk_target"],
            url=fetch.url,
            checked_at=now.isoformat(),
            finding=verdict.finding,
            outcome=verdict.outcome,
            detail=verdict.detail,
            status_code=fetch.status,
            final_url=fetch.final_url,
            redirect_chain=[{"url": hop.url, "status": hop.status} for hop in fetch.chain],
            error_class=verdict.error_class,
            error=fetch.error,
            elapsed_ms=fetch.elapsed_ms,
            title=fetch.page.title or None,
            tls_expires_at=fetch.cert_expires.isoformat() if fetch.cert_expires else None,
            moved_to=verdict.moved_to,
            attempts=attempts(meta),
        )
        if response is not None and fetch.status is not None:
            truncated = "download_stopped" in response.flags
            length = response.headers.get(b"Content-Length")
            item.content_type = fetch.headers.get("content-type")
            item.content_length = int(length) if length and length.isdigit() else (
                None if truncated else len(response.body)
            )
            item.truncated = truncated
            item.fingerprint = fingerprint(response.body)
            if fetch.page.markup and verdict.category == "content":
                # A fact, not a judgment: check-links compares it with the baseline it stores, in the one place
                # content drift is decided (linkkeeper/health/drift.py). The text is only here, its past only there.
                item.text_signature = signature(fetch.page.content_text)
            if verdict.outcome in self.copied_outcomes:
                yield _copy(item, response, now)
        yield item


def _copy(item: CheckItem, response: Response, now: datetime) -> PageCopy:
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    ]
    return PageCopy(item.target, response.url, response.status, headers, response.body, now, item.truncated)
