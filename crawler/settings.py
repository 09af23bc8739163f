"""Scrapy settings for the link checker: what a link checker needs, and nothing it does not.

Per-host concurrency: Scrapy 2.14 to 2.19 under its default asyncio reactor does not enforce
CONCURRENT_REQUESTS_PER_DOMAIN (a loopback server saw 196 requests in flight with the limit at 4),
because downloads become asyncio tasks that claim their slot only when they first run. The plain
Twisted reactor keeps the limit; `tests/test_politeness.py` counts what the server sees.
"""

import sys

BOT_NAME = "linkkeeper"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

TWISTED_REACTOR = (
    "twisted.internet.epollreactor.EPollReactor"
    if sys.platform.startswith("linux")
    else "twisted.internet.selectreactor.SelectReactor"
)

# A cited page is fetched once per run, as a reader's browser would: no robots.txt, no crawl depth.
ROBOTSTXT_OBEY = False
HTTPERROR_ALLOW_ALL = True
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"
REDIRECT_ENABLED = True
METAREFRESH_ENABLED = True
# crawler.body_limit stops each download after LINKKEEPER_MAX_BODY_BYTES, keeping the response;
# Scrapy's own limit would fail it instead. Without compression the limit counts real bytes, and no
# small gzip bomb can expand in memory.
DOWNLOAD_MAXSIZE = 0
DOWNLOAD_WARNSIZE = 0
COMPRESSION_ENABLED = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
}

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "crawler.cookies.OfflineCookiesMiddleware": 700,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.redirects.WebOnlyRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.redirects.WebOnlyMetaRefreshMiddleware": 580,
    "crawler.retry.BackoffRetryMiddleware": 550,
}
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    # A warning for spiders that copy meta between requests by hand, at a cost on every response; ours do not.
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
    # Every answer reaches the spider anyway (HTTPERROR_ALLOW_ALL), and a soft-404 probe needs no Referer:
    # each of these wraps the spider's output for every page.
    "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": None,
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
}
DOWNLOAD_HANDLERS = {
    "http": "crawler.http_client.BoundedHeadersDownloadHandler",
    "https": "crawler.http_client.BoundedHeadersDownloadHandler",
    "mailto": "crawler.mailto.MailtoDownloadHandler",
    "file": None,
    "data": None,
    "s3": None,
    "ftp": None,
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.memusage.MemoryUsage": None,
    "scrapy.extensions.logstats.LogStats": None,
    "scrapy.extensions.corestats.CoreStats": None,
    "scrapy.extensions.logcount.LogCount": None,
    "crawler.body_limit.BodyLimit": 0,
}
# Scrapy's remote control needs the asyncio reactor, and without this it says so in every crawler's log.
REMOTE_CONTROL_ENABLED = False
# Retries wait for their turn in the scheduler, not in the downloader (crawler/retry.py).
SCHEDULER = "crawler.retry.RetryScheduler"
# Scrapy reads each callback's source to warn about `return` in a generator: for every response, since the
# bound method it caches by is a new one each time.
WARN_ON_GENERATOR_RETURN_VALUE = False
ITEM_PIPELINES = {"crawler.pipelines.JsonLinesPipeline": 100}
CONCURRENT_ITEMS = 1
LOG_LEVEL = "ERROR"
# The settings that come from resources.yml (User-Agent, timeout, limits, LINKKEEPER_*) are not set
# here: the spider applies its job's (crawler/job.py), with the list's defaults for any left out.
