"""`python -m crawler JOB.json`: run one crawl in its own process, results as JSON lines on stdout.

`check-links` starts the crawl this way because Twisted's reactor cannot be restarted in a process
that has run one, and because a crashed or killed crawl then cannot take the caller down with it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.spiders.links import LinksSpider


def scrapy_settings(options: dict) -> Settings:
    """Scrapy's settings for the `settings:` block of resources.yml (already validated)."""
    settings = get_project_settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(
        {
            "USER_AGENT": options["user_agent"],
            "DOWNLOAD_TIMEOUT": options["timeout"],
            "CONCURRENT_REQUESTS": options["concurrency"],
            "CONCURRENT_REQUESTS_PER_DOMAIN": options["per_host_concurrency"],
            "REDIRECT_MAX_TIMES": options["max_redirects"],
            "LINKKEEPER_RETRIES": options["retries"],
            "LINKKEEPER_RETRY_BACKOFF": options["retry_backoff"],
            "LINKKEEPER_MAX_RETRY_AFTER": options["max_retry_after"],
            "LINKKEEPER_MAX_BODY_BYTES": options["max_body_bytes"],
            "LINKKEEPER_NAMESERVERS": options["nameservers"],
            "LINKKEEPER_CERT_WARNING_DAYS": options["health.cert_warning_days"],
            "LOG_LEVEL": options.get("log_level", "ERROR"),
        },
        priority="cmdline",
    )
    return settings


def main(job_path: str) -> int:
    """0 only when the spider ran to its end: a crawl stopped by a signal, or one that never started,
    must not read as a finished crawl to check-links."""
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    process = CrawlerProcess(scrapy_settings(job["settings"]))
    crawler = process.create_crawler(LinksSpider)
    reasons = []
    crawler.signals.connect(lambda spider, reason: reasons.append(reason), signal=signals.spider_closed, weak=False)
    process.crawl(crawler, job=job_path)
    process.start()
    if reasons != ["finished"]:
        print(f"the crawl stopped before its end ({reasons[0] if reasons else 'it never started'})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
