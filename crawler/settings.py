"""Scrapy settings for the link checker: what a link checker needs, and nothing it does not.

Per-host concurrency: Scrapy 2.14 to 2.19 under its default asyncio reactor does not enforce
CONCURRENT_REQUESTS_PER_DOMAIN (a loopback server saw 196 requests in flight with the limit at 4),
because downloads become asyncio tasks that claim their slot only when they first run. The plain
Twisted reactor keeps the limit; `tests/test_politeness.py` counts what the server sees.
"""

import sys

from crawler.job import from_list
from linkkeeper.config.settings import Settings

BOT_NAME = "linkkeeper"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

TWISTED_REACTOR = (
    "twisted.internet.epollreactor.EPollReactor"
    if sys.platform.startswith("linux")
    else "twisted.internet.selectreactor.SelectReactor"
)
# Scrapy's default resolver (CachingThreadedResolver) asks `gethostbyname`, IPv4 only: an IPv6 literal
# (`http://[::1]/`) failed as "host name not found: ::1", and so did a host with only AAAA records. This one
# (Scrapy's CachingHostnameResolver, crawler/downloader/resolver.py) asks `getaddrinfo` for both families, and
# an address literal connects as it is, without a look-up; Twisted's HostnameEndpoint then tries each address as
# browsers do. A look-up has no timeout of its own: the download's (`timeout`) bounds it, as it bounds the whole
# request.
TWISTED_DNS_RESOLVER = "crawler.downloader.resolver.AddressAsIsResolver"

# A cited page is fetched once per run, as a reader's browser would: no robots.txt, no crawl depth.
ROBOTSTXT_OBEY = False
HTTPERROR_ALLOW_ALL = True
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"
REDIRECT_ENABLED = True
METAREFRESH_ENABLED = True
# crawler.downloader.body_limit stops each download after LINKKEEPER_MAX_BODY_BYTES, keeping the response;
# Scrapy's own limit would fail it instead. Without compression the limit counts real bytes, and no
# small gzip bomb can expand in memory.
DOWNLOAD_MAXSIZE = 0
DOWNLOAD_WARNSIZE = 0
COMPRESSION_ENABLED = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
}

# Every middleware and extension is named here in full, Scrapy's `*_BASE` included: Scrapy imports each
# class a setting names, even one disabled with None, and its defaults bring a web server (aiohttp, for
# its remote control), a robots.txt parser and more into every crawler, for about 0.2 s of start-up.
# Kept from Scrapy's: the download timeout, default headers, User-Agent and proxies from the environment.
DOWNLOADER_MIDDLEWARES_BASE = {
    "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware": 350,
    "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware": 400,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": 500,
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": 750,
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.downloader.retry.BackoffRetryMiddleware": 550,
    "crawler.downloader.redirects.WebOnlyMetaRefreshMiddleware": 580,
    "crawler.downloader.redirects.WebOnlyRedirectMiddleware": 600,
    "crawler.downloader.cookies.OfflineCookiesMiddleware": 700,
}
# No spider middleware: every answer reaches the spider anyway (HTTPERROR_ALLOW_ALL), a soft-404 probe needs
# no Referer, a cited page has no crawl depth or URL-length limit, our spiders copy no meta by hand, and they
# mark their start requests themselves (crawler/spiders/start_requests.py); each middleware wraps the spider's
# output for every page.
SPIDER_MIDDLEWARES_BASE: dict[str, int] = {}
DOWNLOAD_HANDLERS = {
    "http": "crawler.downloader.http_client.BoundedHeadersDownloadHandler",
    "https": "crawler.downloader.http_client.BoundedHeadersDownloadHandler",
    "mailto": "crawler.downloader.mailto.MailtoDownloadHandler",
    "file": None,
    "data": None,
    "s3": None,
    "ftp": None,
}
EXTENSIONS_BASE: dict[str, int] = {}
EXTENSIONS = {"crawler.downloader.body_limit.BodyLimit": 0}
# Retries wait for their turn in the scheduler, not in the downloader (crawler/downloader/retry.py).
SCHEDULER = "crawler.downloader.retry.RetryScheduler"
# Scrapy reads each callback's source to warn about `return` in a generator: for every response, since the
# bound method it caches by is a new one each time.
WARN_ON_GENERATOR_RETURN_VALUE = False
ITEM_PIPELINES = {"crawler.pipelines.JsonLinesPipeline": 100}
CONCURRENT_ITEMS = 1
LOG_LEVEL = "ERROR"
# The settings that come from resources.yml (User-Agent, timeout, concurrency, redirects, LINKKEEPER_*): the
# list's documented defaults (`Settings()`, linkkeeper/config/settings.py), as crawler/job.py turns them into
# Scrapy's, so that Scrapy's own commands run from the project folder (`scrapy fetch URL`, `scrapy crawl`)
# check as `check-links` does: a body limit of 0 would stop every download at its first chunk. A job's
# spider puts its list's own values over these. tests/test_contract.py holds every LINKKEEPER_* setting read
# in crawler/ to a default here.
globals().update(from_list(Settings()))
# Only the archive step asks for copies of the pages it will submit (archive/step.py).
LINKKEEPER_PAGE_COPIES: list[str] = []
