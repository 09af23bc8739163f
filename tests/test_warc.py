"""A spooled WARC record's response line: the status and its phrase, or the code alone when it has none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc import spool_record


@pytest.mark.parametrize(("status", "line"), [(200, "200 OK"), (404, "404 Not Found"), (599, "599")])
def test_a_records_response_line_begins_with_its_status(tmp_path, status, line):
    path = tmp_path / "1.warc.gz"
    when = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    spool_record(path, "http://example.org/", status, [("Content-Type", "text/html")], b"<p>hi</p>", when, False)
    with path.open("rb") as stream:
        (record,) = list(ArchiveIterator(stream))
        assert record.http_headers.protocol == "HTTP/1.1"
        assert record.http_headers.statusline == line
