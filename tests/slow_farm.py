"""Thousands of loopback hosts whose every page takes the same time, served by one asyncio loop in a thread.

tests/local_web.py gives each host a threaded server that wakes 20 times a second: 4,000 of them would keep a
core busy doing nothing, on the machine that runs the checkers being measured. Here each host is a listening
socket of its own address (127.0.N.M, a distinct host to a crawler) in one loop, and counts at the server what
a benchmark of concurrency needs: the requests it was sent, and when each was being served.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field


@dataclass
class FarmHost:
    address: str
    port: int = 0
    served: list[tuple[float, float, str]] = field(default_factory=list)  # (began, ended, path) of each request
    in_flight: int = 0
    max_in_flight: int = 0

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"


class SlowFarm:
    """`hosts` hosts (from 127.0.`first_net`.1 on), each answering every GET or HEAD after `latency` seconds with a
    small titled page, over HTTP/1.1 connections kept alive."""

    def __init__(self, hosts: int, latency: float, first_net: int = 40):
        self.latency = latency
        self.hosts = [FarmHost(f"127.0.{first_net + n // 250}.{n % 250 + 1}") for n in range(hosts)]
        self.loop = asyncio.new_event_loop()
        self.servers: list[asyncio.Server] = []
        self.connections: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self.loop).result(timeout=60)

    async def _listen(self) -> None:
        for host in self.hosts:
            server = await asyncio.start_server(
                lambda reader, writer, host=host: self._serve(host, reader, writer), host.address, 0
            )
            host.port = server.sockets[0].getsockname()[1]
            self.servers.append(server)

    async def _serve(self, host: FarmHost, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                began = time.monotonic()
                method, path, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                host.in_flight += 1
                host.max_in_flight = max(host.max_in_flight, host.in_flight)
                try:
                    await asyncio.sleep(self.latency)
                    body = f"<!doctype html><html><head><title>page {path}</title></head><body></body></html>".encode()
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nServer: slow-farm\r\n"
                        + f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + (b"" if method == "HEAD" else body)
                    )
                    await writer.drain()
                finally:
                    host.in_flight -= 1
                    host.served.append((began, time.monotonic(), path))
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            self.connections.discard(writer)
            writer.close()

    def urls(self, count: int) -> list[str]:
        """`count` pages dealt round the hosts."""
        return [f"{self.hosts[n % len(self.hosts)].url}/page/{n}" for n in range(count)]

    def reset(self) -> None:
        def clear() -> None:
            for host in self.hosts:
                host.served.clear()
                host.max_in_flight = host.in_flight

        self.loop.call_soon_threadsafe(clear)

    def requests(self) -> int:
        return sum(len(host.served) for host in self.hosts)

    def in_flight(self) -> int:
        """The most requests one host served at once."""
        return max(host.max_in_flight for host in self.hosts)

    def average_in_flight(self) -> float:
        """Requests being served on average, from the first request's arrival to the last one's answer."""
        served = [interval for host in self.hosts for interval in host.served]
        if not served:
            return 0.0
        span = max(end for _, end, _ in served) - min(began for began, _, _ in served)
        return sum(end - began for began, end, _ in served) / span if span else 0.0

    def stop(self) -> None:
        async def close() -> None:
            """Connections a client kept open end as a client's hanging up would (cancelled, their tasks would each
            be logged with a traceback)."""
            for server in self.servers:
                server.close()
            for writer in list(self.connections):
                writer.close()
            while self.connections:
                await asyncio.sleep(0.01)

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=60)
