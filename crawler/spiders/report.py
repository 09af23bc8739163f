"""The `report` spider: fetch a report published as a web page for `linkkeeper import`, and with a depth,
the pages of the same site it links to (a report split over several pages), never another site's.

It runs with the check's own settings (User-Agent, timeout, per-host limit, retries with backoff:
`Job.apply`), so an import is as polite to a site as a check. Each page is handed on whole, to be read
by the core's extractors; the spider reads links only to know which pages to follow.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.failures import classify, describe
from crawler.job import Job
from crawler.spiders.start_requests import start_request
from linkkeeper.importer.found import key
from linkkeeper.importer.html import extract_html
from linkkeeper.urls import same_site

MAX_PAGES = 100
"""Pages one import reads at most, whatever the depth: a site is not crawled for a report."""


@dataclass
class FetchedPage:
    order: int  # when it was found: pages are read in this order, so sections follow the report
    url: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    body: str | None = None  # base64
    truncated: bool = False
    error: str | None = None


class ReportSpider(scrapy.Spider):
    name = "report"

    def __init__(self, job: Job | str, depth: str | int = 0, **kwargs: Any):
        super().__init__(**kwargs)
        self.job = Job.of(job)
        self.depth = int(depth)
        self.queued: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ReportSpider:
        """The job's settings go in before Scrapy freezes them, as for the `links` spider."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.job.apply(crawler.settings)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for target in self.job.targets:
            request = self._request(target["url"], 0, target["url"])
            if request is not None:
                yield start_request(request)

    def _request(self, url: str, depth: int, site: str) -> scrapy.Request | None:
        if key(url) in self.queued or len(self.queued) >= MAX_PAGES:
            return None
        self.queued.add(key(url))
        meta = {"lk_url": url, "lk_depth": depth, "lk_site": site, "lk_order": len(self.queued)}
        return scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True, meta=meta)

    def parse(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        yield FetchedPage(
            order=meta["lk_order"],
            url=meta["lk_url"],
            final_url=response.url,
            status=response.status,
            content_type=content_type,
            body=base64.b64encode(response.body).decode("ascii"),
            truncated="download_stopped" in response.flags,
        )
        if meta["lk_depth"] < self.depth and response.status == 200 and "html" in (content_type or "").lower():
            for link in extract_html(response.body, response.url).links:
                if link.url.startswith(("http://", "https://")) and same_site(link.url, meta["lk_site"]):
                    request = self._request(link.url.partition("#")[0], meta["lk_depth"] + 1, meta["lk_site"])
                    if request is not None:
                        yield request

    def failed(self, failure: Failure) -> Iterator[FetchedPage]:
        meta = failure.request.meta
        error = f"{classify(failure.value)}: {describe(failure.value)}"
        yield FetchedPage(order=meta["lk_order"], url=meta["lk_url"], error=error)
