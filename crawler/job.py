"""A crawl job, and the Scrapy settings it implies: the one place the list's settings become Scrapy's.

`check-links` writes the job (linkkeeper/runs/crawl.py) as JSON lines: first the canaries, the list's settings,
and the Scrapy settings that whatever keeps the crawler's output needs (the archive's WARC spool); then
one target per line, read as the crawl goes, so that a crawler holds no more of a long list than it is
checking. A job written by hand may be one JSON document with its `targets` inside. The
spider applies the settings itself (`LinksSpider.from_crawler`), so however the crawler is started, by
`python -m crawler JOB` or by hand as `scrapy crawl links -a job=JOB`, it sends the list's User-Agent
and keeps to its timeout, retries and per-host limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from linkkeeper import json_lines
from linkkeeper.config.settings import Settings


@dataclass(frozen=True)
class Job:
    targets: Iterable[dict]
    canaries: list[str]
    settings: Settings
    scrapy_settings: dict[str, Any]
    log_level: str
    frontier: dict[str, Any] | None = None  # a worker's: the Redis run it serves (linkkeeper/runs/worker.py)

    @classmethod
    def read(cls, path: str | Path) -> Job:
        """A job written by hand may leave out the settings: the list's defaults then apply, as in resources.yml."""
        with open(path, "rb") as file:
            first = file.readline()
            try:
                data = json_lines.loads(first)
            except json_lines.DecodeError:  # one document over several lines
                data = json_lines.loads(first + file.read())
            targets = data["targets"] if "targets" in data else TargetLines(path, file.tell())
        return cls(
            targets=targets,
            canaries=data.get("canaries", []),
            settings=Settings.from_flat(data.get("settings", {})),
            scrapy_settings=data.get("scrapy_settings", {}),
            log_level=data.get("log_level", "ERROR"),
            frontier=data.get("frontier"),
        )

    @classmethod
    def of(cls, job: Job | str | Path) -> Job:
        """A spider's job: the one crawler/process.py read and handed over, so that the child reads its job file
        once, or the path given to `scrapy crawl NAME -a job=JOB`, read here. (The targets of a job of many lines
        are read from the file as the crawl goes: `TargetLines`.)"""
        return job if isinstance(job, Job) else cls.read(job)

    def apply(self, scrapy: BaseSettings) -> None:
        """Put the job's settings in place before Scrapy freezes them, at the spider's priority (a `-s`
        given to `scrapy crawl` still wins). A mapping adds to the project's (ITEM_PIPELINES, say)."""
        extra = {
            name: {**scrapy.getdict(name), **value} if isinstance(value, dict) else value
            for name, value in self.scrapy_settings.items()
        }
        scrapy.setdict({**from_list(self.settings), **extra}, priority="spider")


@dataclass(frozen=True)
class TargetLines:
    """The targets of a job file, one JSON object per line after the first, read anew at each pass."""

    path: str | Path
    offset: int

    def __iter__(self) -> Iterator[dict]:
        with open(self.path, "rb") as file:
            file.seek(self.offset)
            for line in file:
                if line.strip():
                    yield json_lines.loads(line)


OWN_SETTINGS = ("retries", "retry_backoff", "max_retry_after", "retry_budget", "max_body_bytes", "nameservers")
"""The list's settings read by the crawler's own components (crawler/downloader), each as the Scrapy setting
`LINKKEEPER_` and its name in capitals: `retries` is `LINKKEEPER_RETRIES`."""


def from_list(settings: Settings) -> dict[str, Any]:
    """Scrapy's settings for the `settings:` of resources.yml; of `Settings()`, the project's defaults
    (crawler/settings.py), so that no `LINKKEEPER_*` setting is ever read as missing."""
    flat = settings.to_dict()
    return {
        "USER_AGENT": settings.user_agent,
        "DOWNLOAD_TIMEOUT": settings.timeout,
        "CONCURRENT_REQUESTS": settings.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.per_host_concurrency,
        "REDIRECT_MAX_TIMES": settings.max_redirects,
        **{f"LINKKEEPER_{name.upper()}": flat[name] for name in OWN_SETTINGS},
    }
