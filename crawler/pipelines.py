"""Stream each item to standard output as one JSON line, for `check-links` to store as it arrives."""

from __future__ import annotations

import dataclasses
import json
import os
import sys


class JsonLinesPipeline:
    """Writes and flushes one line per item; if the reader is gone, the crawl has no one to report to."""

    def process_item(self, item):
        record = {"type": type(item).__name__, **dataclasses.asdict(item)}
        try:
            sys.stdout.write(json.dumps(record) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            os._exit(1)
        return item
