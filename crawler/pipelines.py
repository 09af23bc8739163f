"""Stream each report to standard output as one JSON line, for `check-links` to store as it arrives."""

from __future__ import annotations

import dataclasses
import json
import os
import sys

from crawler.items import REPORTS


class JsonLinesPipeline:
    """Writes and flushes one line per report; if the reader is gone, the crawl has no one to report to.
    Other items (page copies) are for other pipelines: `check-links` has no use for them."""

    def process_item(self, item):
        if not isinstance(item, REPORTS):
            return item
        record = {"type": type(item).__name__, **dataclasses.asdict(item)}
        try:
            sys.stdout.write(json.dumps(record) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            os._exit(1)
        return item
