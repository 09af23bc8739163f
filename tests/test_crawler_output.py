"""A crawl's lines leave its process in few writes, even where PYTHONUNBUFFERED is set, and every one of them is
out when it leaves (crawler/process.py): a crawler process of its own, its writes counted by Linux."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

LINES = 200

CRAWLER = textwrap.dedent(
    f"""
    import sys
    from crawler.process import _buffer_output, leave

    def writes():
        return int(dict(line.split(": ") for line in open("/proc/self/io").read().splitlines())["syscw"])

    _buffer_output()
    before = writes()
    for n in range({LINES}):
        sys.stdout.buffer.write(b'{{"type": "CheckItem", "target": %d}}\\n' % n)
    print(writes() - before, file=sys.stderr)
    leave(0)
    """
)


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="counts writes with Linux's /proc/PID/io")
def test_a_crawls_lines_leave_together_and_all_of_them_before_it_ends():
    done = subprocess.run(
        [sys.executable, "-c", CRAWLER],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(b"\n") == LINES
    assert int(done.stderr.decode().split()[-1]) < LINES / 10
