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


class LocalRedis:
    """A redis-server on 127.0.0.1 at a free port, with `password` if one is given; `url` names it."""

    def __init__(self, password: str | None = None):
        port = free_port()
        command = [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1", "--port", str(port),
                   "--save", "", "--appendonly", "no", "--loglevel", "warning"]
        if password:
            command += ["--requirepass", password]
        self.url = f"redis://{f':{password}@' if password else ''}127.0.0.1:{port}/0"
        self.server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        """Stopped and reaped; a server that will not stop within STOP_SECONDS is killed."""
        self.server.terminate()
        try:
            self.server.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()


@contextmanager
def local_redis(password: str | None = None) -> Iterator[LocalRedis]:
    """A redis-server that answers from the start of the block and is gone at its end."""
    server = LocalRedis(password)
    try:
        _wait_until_up(server)
        yield server
    finally:
        server.stop()


def _wait_until_up(server: LocalRedis) -> None:
    deadline = time.monotonic() + START_SECONDS
    client = redis.Redis.from_url(server.url, socket_connect_timeout=1)
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if server.server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on {server.url.rpartition('@')[2]}") from None
                time.sleep(0.02)
    finally:
        client.close()
