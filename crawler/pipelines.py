"""Stream each report to standard output as one JSON line, for `check-links` to store as it arrives."""

from __future__ import annotations

import dataclasses
import json
import os
import sys

from crawler.items import REPORTS


class JsonLinesPipeline:
    """One line per report. Other items (page copies) are for other pipelines: `check-links` has no use for them."""

    def process_item(self, item):
        if isinstance(item, REPORTS):
            write_line({"type": type(item).__name__, **dataclasses.asdict(item)})
        return item


def write_line(record: dict) -> None:
    """Written and flushed at once, for the reader to act on as it comes; if the reader is gone, the crawl
    has no one to report to."""
    try:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        os._exit(1)
