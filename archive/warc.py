"""Local WARC copies: the organisation keeps the page the checker fetched, even if the Wayback Machine refuses.

The crawler sends a copy of each page the archive step may submit (`crawler.items.PageCopy`); the
`SpoolPipeline`, which the step puts in the crawler's settings (`archive.step.crawler_settings`), writes
it to a spool (`spool_record`); when the step submits a page, its spooled record is kept under the WARC
folder (`keep`); `export` bundles them all into one file (concatenated gzip members form a valid .warc.gz).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from datetime import datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.items import PageCopy
from crawler.rules.fetched import status_line

SPOOL = ".spool"
# The Scrapy setting naming the WARC folder for the pipeline.
WARC_DIR_SETTING = "LINKKEEPER_WARC_DIR"


class SpoolPipeline:
    """Runs in the crawler's process: the spider only yields copies, so it knows nothing of WARC."""

    def __init__(self, warc_dir: Path):
        self.warc_dir = warc_dir

    @classmethod
    def from_crawler(cls, crawler) -> SpoolPipeline:
        return cls(Path(crawler.settings[WARC_DIR_SETTING]))

    def process_item(self, item):
        if isinstance(item, PageCopy):
            spool_record(
                spool_path(self.warc_dir, item.target),
                item.url, item.status, item.headers, item.body, item.fetched_at, item.truncated,
            )
        return item


def spool_path(warc_dir: Path, resource_id: int) -> Path:
    return warc_dir / SPOOL / f"{resource_id}.warc.gz"


def spool_record(
    path: Path,
    url: str,
    status: int,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    fetched_at: datetime,
    truncated: bool,
) -> None:
    """Write one response record, atomically (a reader never sees half a record)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("wb") as output:
        writer = WARCWriter(output, gzip=True)
        http_headers = StatusAndHeaders(status_line(status, on_the_wire=True), list(headers), protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if truncated:
            warc_headers["WARC-Truncated"] = "length"
        record = writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=http_headers, warc_headers_dict=warc_headers
        )
        writer.write_record(record)
    os.replace(partial, path)


def keep(warc_dir: Path, resource_id: int, stamp: str) -> Path | None:
    """Move a spooled record into the collection, named by resource and time; None if none was spooled."""
    spooled = spool_path(warc_dir, resource_id)
    if not spooled.exists():
        return None
    kept = warc_dir / f"{stamp}-resource{resource_id}.warc.gz"
    os.replace(spooled, kept)
    return kept


def clear_spool(warc_dir: Path) -> None:
    shutil.rmtree(warc_dir / SPOOL, ignore_errors=True)


def export(warc_dir: Path, output: Path) -> int:
    """Concatenate every kept record into `output`, oldest first; returns how many."""
    records = sorted(warc_dir.glob("*.warc.gz"))
    partial = output.with_name(output.name + ".part")
    with partial.open("wb") as bundle:
        for record in records:
            with record.open("rb") as source:
                shutil.copyfileobj(source, bundle)
    os.replace(partial, output)
    return len(records)
