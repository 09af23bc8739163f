"""A Scrapy download handler for `mailto:` links: the address is alive if its domain takes mail
(crawler/downloader/mail_servers.py). No mail is ever sent.

The DNS client (dnspython, 0.04 s to import) is imported with a crawl's first mail address: the fork server
imports every handler before any crawl can start, and most lists have no address, or a handful.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.http import Response
from twisted.internet.threads import deferToThread

from crawler.downloader import timing

MAIL_SERVERS_HEADER = "X-Linkkeeper-Mail-Servers"


class MailtoDownloadHandler(BaseDownloadHandler):
    async def download_request(self, request: Request) -> Response:
        from crawler.downloader.mail_servers import mail_servers

        domain = (urlsplit(request.url).hostname or "").lower()
        settings = self.crawler.settings
        started = timing.download_started(request)
        servers = await deferToThread(
            mail_servers,
            domain,
            settings.getlist("LINKKEEPER_NAMESERVERS"),
            settings.getfloat("DOWNLOAD_TIMEOUT"),
        )
        # As Scrapy's HTTP handler does: the time the answer took, the DNS look-ups here.
        request.meta["download_latency"] = time.monotonic() - started
        return Response(request.url, status=200, headers={MAIL_SERVERS_HEADER: ", ".join(servers)})
