"""Run the Scrapy crawler (`python -m crawler`) in a child process and read its results as they come."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from linkkeeper.children import die_with_parent
from linkkeeper.errors import CrawlerFailed
from linkkeeper.settings import Settings


def crawl(
    targets: list[dict], settings: Settings, log_level: str = "ERROR", warc: dict | None = None
) -> Iterator[dict]:
    """Yield each JSON record the crawler prints (`NetworkItem`, then `CheckItem`s)."""
    job = {
        "targets": targets,
        "canaries": list(settings.canaries),
        "settings": {**settings.to_dict(), "log_level": log_level},
        "warc": warc or {},
    }
    with tempfile.TemporaryDirectory(prefix="linkkeeper-") as workdir:
        job_path = Path(workdir, "job.json")
        job_path.write_text(json.dumps(job), encoding="utf-8")
        stderr_path = Path(workdir, "crawler.log")
        with stderr_path.open("w+", encoding="utf-8") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "crawler", str(job_path)],
                stdout=subprocess.PIPE,
                stderr=stderr if log_level == "ERROR" else None,
                preexec_fn=die_with_parent,
                text=True,
            )
            try:
                for line in process.stdout:
                    yield json.loads(line)
            finally:
                process.stdout.close()
                code = process.wait()
            if code != 0:
                stderr.seek(0)
                tail = [line for line in stderr.read().splitlines() if line.strip()][-1:]
                raise CrawlerFailed(
                    f"the crawler failed (exit {code}): {tail[0] if tail else 'no message'}"
                )

