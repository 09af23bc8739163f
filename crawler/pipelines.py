"""Stream each report to standard output as one JSON line, for `check-links` to store as it arrives."""

from __future__ import annotations

import os
import sys
from typing import Any

from crawler.items import REPORTS
from linkkeeper import json_lines

FLUSH_SECONDS = 0.05
"""How long a line may wait for others to go out with it: one write for many lines (a write per line cost
the crawler more than encoding them), and still soon after each was made."""


class JsonLinesPipeline:
    """One line per report. Other items (page copies) are for other pipelines: `check-links` has no use for them."""

    def process_item(self, item):
        if isinstance(item, REPORTS):
            write_line({"type": type(item).__name__, **vars(item)})
        return item


class _Lines:
    """Standard output's bytes, flushed FLUSH_SECONDS after the first line that is waiting."""

    def __init__(self):
        self.flush_call: Any = None

    def write(self, record: dict) -> None:
        self._guarded(sys.stdout.buffer.write, json_lines.line(record))
        if self.flush_call is None:
            from twisted.internet import reactor  # the crawl's reactor: importing it earlier would install another

            self.flush_call = reactor.callLater(FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        self.flush_call = None
        self._guarded(sys.stdout.buffer.flush)

    @staticmethod
    def _guarded(write, *data: bytes) -> None:
        """If the reader is gone, the crawl has no one to report to."""
        try:
            write(*data)
        except BrokenPipeError:
            os._exit(1)


_lines = _Lines()


def write_line(record: dict) -> None:
    """Written at once, flushed within FLUSH_SECONDS, for the reader to act on as it comes; whatever is
    still waiting when the crawl ends leaves with the process's standard output."""
    _lines.write(record)
