"""Benchmark: what distributed runs cost and give, on this machine's loopback web. A benchmark, not a test.

    python bench/distributed.py [--urls 1200] [--hosts 40] [--latency 0.1] [--concurrency 16] [--workers 1,2,4]

Starts HOSTS local hosts serving URLS pages that each take LATENCY seconds, and a redis-server on loopback,
then times `check-links` alone, and `check-links --redis` with 1, 2 and 4 `linkkeeper worker`s on this
machine, each with CONCURRENCY requests in flight at most (per-host limit 2). It prints URLs/s end to end into
SQLite (worker start-up included: a worker starts its crawler when the run begins), the CPU all their
processes spent per URL, the bound that concurrency and politeness set, and the most requests any host
saw at once (never above the limit). Every worker
shares this machine's cores, so past the point where the crawlers are CPU-bound more workers add nothing
here; on separate machines each brings its own.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from local_redis import local_redis
from local_web import Host, slow_page

PER_HOST = 2
BIN = Path(sys.executable).parent


def write_list(folder: Path, urls: list[str], concurrency: int) -> Path:
    settings = {
        "canaries": [], "archive": {"enabled": False}, "per_host_concurrency": PER_HOST,
        "concurrency": concurrency, "crawlers": 1,
    }
    folder.mkdir()
    config = folder / "resources.yml"
    config.write_text(yaml.safe_dump({"settings": settings, "resources": [{"url": url} for url in urls]}))
    return config


def timed_run(config: Path, redis_url: str | None, workers: int) -> tuple[float, float, int]:
    """Wall seconds of one check-links run (with `workers` workers when `redis_url`), CPU seconds of all its
    processes (coordinator, workers, their crawlers), and its exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started_workers = [
        subprocess.Popen(
            [str(BIN / "linkkeeper"), "worker", "--once"], env={**os.environ, "LINKKEEPER_REDIS": redis_url},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(workers if redis_url else 0)
    ]
    command = [str(BIN / "check-links"), "--config", str(config), "--quiet"]
    started = time.monotonic()
    done = subprocess.run(command + (["--redis", redis_url] if redis_url else []), capture_output=True, text=True)
    wall = time.monotonic() - started
    for worker in started_workers:
        worker.wait(timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        print(done.stderr.strip(), file=sys.stderr)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", type=int, default=1200)
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", default="1,2,4")
    options = parser.parse_args()
    hosts = [Host(f"127.0.3.{n + 1}") for n in range(options.hosts)]
    for host in hosts:
        host.start()
    per_host = options.urls // options.hosts
    urls = [host.route(f"/page/{n}", slow_page(options.latency)) for host in hosts for n in range(per_host)]
    rows = []
    with tempfile.TemporaryDirectory() as folder, local_redis() as redis:
        setups = [("check-links, no Redis", None, 1)] + [
            (f"{count} worker{'s' if count > 1 else ''}", redis.url, count)
            for count in map(int, options.workers.split(","))
        ]
        for number, (name, url, workers) in enumerate(setups):
            for host in hosts:
                host.max_in_flight = 0
            config = write_list(Path(folder) / str(number), urls, options.concurrency)
            wall, cpu, code = timed_run(config, url, workers)
            bound = len(urls) * options.latency / min(workers * options.concurrency, options.hosts * PER_HOST)
            most = max(host.max_in_flight for host in hosts)
            rows.append((name, wall, len(urls) / wall, cpu * 1000 / len(urls), bound, most, code))
    for host in hosts:
        host.stop()
    print(
        f"{len(urls)} URLs over {options.hosts} loopback hosts, {options.latency * 1000:.0f} ms a page,"
        f" per-host limit {PER_HOST}, {options.concurrency} in flight per worker; {os.cpu_count()} cores shared"
    )
    print(f"{'setup':<22} {'wall s':>7} {'URLs/s':>7} {'ms cpu/URL':>11} {'bound s':>8} {'most at one host':>17}  exit")
    for name, wall, rate, cpu, bound, most, code in rows:
        print(f"{name:<22} {wall:7.2f} {rate:7.0f} {cpu:11.2f} {bound:8.2f} {most:17d}  {code}")


if __name__ == "__main__":
    main()
