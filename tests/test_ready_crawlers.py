"""Crawlers forked from a server that gets ready while check-links reads its list (crawler/fork_server.py,
linkkeeper/runs/forking.py, launch.py): started first, each crawl forked once its job is
written, and stopped when the run is done."""

from __future__ import annotations

import subprocess

from checking import CHECK_LINKS, check_here, crawler_pids, database, has_ended, one_line, running_descendants, wait_for
from linkkeeper.config.resources import load_config
from linkkeeper.runs.forking import ForkServer
from local_web import slow_page


def test_check_links_starts_its_crawler_before_it_reads_its_list(web, write_config, monkeypatch):
    """As the list is read, the fork server is already getting ready: a child of the command, run here by
    CliRunner (the `check-links` script starts it before it imports the command: launch.py)."""
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


def test_a_fork_server_that_forked_nothing_is_stopped_with_nothing_said():
    """A run that ends before its crawl (a bad list, --help) does not wait for the server to get ready."""
    with ForkServer() as server:
        pid = server.process.pid
    assert has_ended(pid)
    assert server.process.returncode is not None


def test_a_crawler_is_forked_from_the_server_that_check_links_started_first(web, write_config):
    urls = [web.b.route(f"/slow/{n}", slow_page(0.2)) for n in range(10)]
    running = subprocess.Popen(
        [CHECK_LINKS, "--config", str(write_config(urls))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    wait_for(lambda: crawler_pids(running.pid) or running.poll() is not None)
    assert len(crawler_pids(running.pid)) == 1
    assert running.wait(timeout=60) == 0, running.stderr.read()


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
