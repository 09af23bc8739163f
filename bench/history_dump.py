"""Refactoring check: what two runs over the detection corpus store, with what differs between any two runs
taken out (times, durations, ids, ports), so that two checkouts' behaviour can be compared byte for byte:

    PYTHONPATH=OLD python3 bench/history_dump.py OLD > old.txt
    PYTHONPATH=NEW python3 bench/history_dump.py NEW > new.txt
    cmp old.txt new.txt

PYTHONPATH makes `check-links` and its crawler run that checkout's code, not the installed one.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

VOLATILE = {
    "id", "run_id", "checked_at", "elapsed_ms", "started_at", "finished_at", "seconds", "since", "last_checked",
    "failing_since", "added_at", "content_at", "baseline_at", "served_at", "changed_since", "tls_expires_at",
    "removed_at", "archive_checked_at", "version",
}
"""Columns that differ between any two runs of the same code."""
_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d[^\s)\"',]*")
_PORT = re.compile(r"(127\.\d+\.\d+\.\d+):\d+")


def steady(value: object) -> object:
    """A stored value with the times and ports of this run written as placeholders."""
    return _TIME.sub("TIME", _PORT.sub(r"\1:PORT", value)) if isinstance(value, str) else value


def main(root: Path) -> None:
    sys.path[:0] = [str(root), str(root / "tests")]
    from checking import database, run_check
    from detection_corpus import CorpusWeb
    from detection_score import write_corpus_list

    with tempfile.TemporaryDirectory() as folder, CorpusWeb() as web:
        config = write_corpus_list(web, Path(folder))
        for _ in range(2):
            done = run_check(config, timeout=600)
            assert done.returncode in (0, 1), done.stderr
        db = database(config)
        for table, order in (("checks", "run_id, url"), ("resources", "url"), ("runs", "id")):
            for row in db.query(f"select * from {table} order by {order}"):
                kept = {name: steady(value) for name, value in sorted(row.items()) if name not in VOLATILE}
                print(table, json.dumps(kept, sort_keys=True))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
