"""Crawlers that get ready while check-links reads its list (linkkeeper/runs/crawl.py `Ready`, crawler/process.py
`ON_CUE`): started first, given their jobs once the run has them, and let go when not needed."""

from __future__ import annotations

import subprocess

import pytest

from checking import CHECK_LINKS, check_here, database, has_ended, one_line, running_descendants
from linkkeeper.config.resources import load_config
from linkkeeper.runs.crawl import Ready
from linkkeeper.runs.shards import share_count, split


def test_check_links_starts_its_crawler_before_it_reads_its_list(web, write_config, monkeypatch):
    """As the list is read, a crawler is already getting ready: a child of the command, run here by CliRunner."""
    config = write_config([web.a.route("/ok", title="ok")])
    before = running_descendants()
    started_first = []

    def reading(path):
        started_first.append(len(running_descendants() - before))
        return load_config(path)

    monkeypatch.setattr("cli.load_config", reading)
    done = check_here(config)
    assert done.returncode == 0, done.stderr
    assert started_first == [1]
    assert len(web.a.hits("/ok")) == 1


def test_a_list_that_cannot_be_read_lets_its_ready_crawler_go(write_config, tmp_path):
    listed = tmp_path / "resources.yml"
    listed.write_text("resources:\n- url: [unclosed\n")
    done = subprocess.run(
        [CHECK_LINKS, "--config", str(listed)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 2
    assert one_line(done.stderr).startswith(f"Error: {listed}:")
    assert not (tmp_path / "linkkeeper.db").exists()


def test_crawlers_not_needed_are_stopped_without_reading_their_jobs():
    with Ready() as ready:
        ready.start(2)
        pids = [crawler.process.pid for crawler in ready.waiting]
        ready.keep(1)
        assert has_ended(pids[1]) and not has_ended(pids[0])
    assert has_ended(pids[0])


def test_a_crawler_whose_cue_never_comes_leaves_at_once_with_nothing_said():
    """Its input ends without a cue (what a parent that goes away leaves it with): exit 0, no output, no error."""
    with Ready() as ready:
        ready.start(1)
        crawler = ready.waiting[0]
        crawler.process.stdin.close()
        assert crawler.process.wait(timeout=60) == 0
        assert crawler.process.stdout.read() == b""
        crawler.stderr.seek(0)
        assert crawler.stderr.read() == b""


def test_the_ready_crawlers_check_the_list_as_crawlers_started_for_it_would(web, write_config, tmp_path):
    """Two crawlers ready, a list of two hosts: each gets its share, and every link is checked once."""
    urls = [host.route(f"/page/{n}", title=f"page {n}") for host in (web.a, web.b) for n in range(6)]
    config = write_config(urls, crawlers=2)
    done = subprocess.run(
        [CHECK_LINKS, "--config", str(config)], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr
    assert database(config)["checks"].count == len(urls)
    assert all(len(host.hits(f"/page/{n}")) == 1 for host in (web.a, web.b) for n in range(6))


@pytest.mark.parametrize(
    ("links", "hosts", "crawlers", "concurrency"),
    [
        (0, 1, 0, 64),
        (20, 3, 0, 64),
        (2500, 1, 0, 64),
        (2500, 2, 0, 64),
        (5000, 900, 0, 64),
        (5000, 900, 4, 3),
        (30, 30, 8, 64),
        (30, 2, 8, 64),
    ],
)
def test_the_crawlers_made_ready_are_as_many_as_the_shares_of_the_list(links, hosts, crawlers, concurrency):
    urls = [f"http://host{n % hosts}.example/page/{n}" for n in range(links)]
    shares = split(({"id": n, "url": url} for n, url in enumerate(urls)), crawlers, concurrency)
    assert share_count(urls, crawlers, concurrency) == len(shares)
