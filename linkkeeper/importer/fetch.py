"""A report on the web: its pages fetched by the crawler's `report` spider in a child process, then read
here by the same extractors as files.

The crawler runs as checks run it (linkkeeper/runs/crawl.py): its job in a temporary file without a name, so
a killed import leaves nothing behind, and the crawler dies with this process.
"""

from __future__ import annotations

import base64

from linkkeeper.config.settings import SETTINGS, Settings
from linkkeeper.errors import InputError
from linkkeeper.importer.found import Extraction, key
from linkkeeper.importer.source import form_of_media_type, read_document
from linkkeeper.quote import clean, clip
from linkkeeper.runs.crawl import run_crawler

READ_BYTES = int(SETTINGS["max_body_bytes"].maximum)
"""A report is read whole, not cut at `max_body_bytes` as a checked page is: up to the setting's ceiling."""


def fetch_report(url: str, depth: int, settings: Settings, everything: bool) -> Extraction:
    """The links of the page at `url` and, `depth` links away at most, of the same site's pages.

    The page asked for must be read, or nothing is (InputError); a page it links to that fails is
    noted in `unread` and the rest is still read.
    """
    pages = sorted(_pages(url, depth, settings), key=lambda page: page["order"])
    read = Extraction()
    for page in pages:
        problem = _problem(page)
        if problem and page["order"] == 1:
            raise InputError(f"{clip(clean(url), 200)}: the report could not be fetched ({problem})")
        if problem:
            read.unread.append((page["url"], problem))
            continue
        data = base64.b64decode(page["body"])
        form = form_of_media_type(page["content_type"])
        if form is None and page["order"] != 1:
            read.skipped["linked files that are not documents"] += 1
            continue
        read.extend(read_document(data, form, page["final_url"], page["final_url"], everything))
    return _without_own_pages(read, pages)


def _without_own_pages(read: Extraction, pages: list[dict]) -> Extraction:
    """Links from one page of the report to another are its table of contents, not its resources."""
    own = {key(page[field]) for page in pages if not _problem(page) for field in ("url", "final_url")}
    found = Extraction(lost=read.lost, skipped=read.skipped, unread=read.unread)
    for link in read.links:
        if key(link.url) in own:
            found.skipped["links between the report's pages"] += 1
        else:
            found.links.append(link)
    return found


def _problem(page: dict) -> str | None:
    if page["error"]:
        return clip(clean(page["error"]), 200)
    if page["status"] != 200:
        return f"HTTP {page['status']}"
    if page["truncated"]:
        return f"larger than {READ_BYTES // 2**20} MiB"
    return None


def _pages(url: str, depth: int, settings: Settings) -> list[dict]:
    job = {
        "targets": [{"id": 0, "url": url}],
        "settings": settings.shared(),
        "scrapy_settings": {"LINKKEEPER_MAX_BODY_BYTES": READ_BYTES},
    }
    return list(run_crawler(["crawler.import_main", str(depth)], job))
