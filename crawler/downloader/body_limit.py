"""Stop reading a page after `max_body_bytes`: enough for a title and a verdict.

A 200 MB file must not be downloaded whole, yet it is alive: the download is stopped with
`StopDownload(fail=False)`, so the partial response still reaches the spider (flagged
`download_stopped`). See https://docs.scrapy.org/en/latest/topics/request-response.html#topics-stop-response-download
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import StopDownload


class BodyLimit:
    def __init__(self, limit: int):
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BodyLimit:
        extension = cls(crawler.settings.getint("LINKKEEPER_MAX_BODY_BYTES"))
        crawler.signals.connect(extension.bytes_received, signal=signals.bytes_received)
        return extension

    def bytes_received(self, data: bytes, request: Request) -> None:
        received = request.meta.get("lk_bytes", 0) + len(data)
        request.meta["lk_bytes"] = received
        if received >= self.limit:
            raise StopDownload(fail=False)
