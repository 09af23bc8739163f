"""A real `redis-server` (Debian's package) on loopback, on a free port, for the distributed mode's tests:
nothing written to disk, stopped and reaped when the block ends."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis

START_SECONDS = 10.0
STOP_SECONDS = 5.0


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


@contextmanager
def local_redis(password: str | None = None) -> Iterator[str]:
    """The URL (`redis://[:PASSWORD@]127.0.0.1:PORT/0`) of a redis-server that lives as long as the block."""
    port = free_port()
    command = [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1", "--port", str(port),
               "--save", "", "--appendonly", "no", "--loglevel", "warning"]
    if password:
        command += ["--requirepass", password]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://{f':{password}@' if password else ''}127.0.0.1:{port}/0"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on {url.rpartition('@')[2]}") from None
                time.sleep(0.02)
    finally:
        client.close()
