"""A list of more hosts than a process may hold open files: kept-alive connections are bounded
(crawler/downloader/http_client.py `_BoundedPool`), so no live link fails for want of a socket."""

from __future__ import annotations

import json
import resource
import subprocess
from collections import Counter

import pytest
from slow_farm import SlowFarm

from checking import CHECK_LINKS

HOSTS = 1200
DESCRIPTORS = 512  # a process's limit here, which it may not raise; 1,024 is the usual one


@pytest.fixture
def farm():
    many = SlowFarm(HOSTS, 0.01, first_net=90)
    yield many
    many.stop()


def at_most_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (DESCRIPTORS, DESCRIPTORS))


def test_more_hosts_than_descriptors_are_checked_without_a_connection_failing(farm, tmp_path):
    urls = [host.url + "/page" for host in farm.hosts]
    (tmp_path / "resources.yml").write_text(
        "settings:\n  canaries: []\n  archive:\n    enabled: false\n  retries: 0\nresources:\n"
        + "".join(f"- url: {url}\n" for url in urls)
    )
    done = subprocess.run(
        [CHECK_LINKS, "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        stdin=subprocess.DEVNULL, preexec_fn=at_most_descriptors,
    )
    assert done.stdout, done.stderr
    failed = Counter(row["error_class"] for row in json.loads(done.stdout)["resources"] if row["error_class"])
    assert failed == Counter()
    assert farm.requests() >= HOSTS
