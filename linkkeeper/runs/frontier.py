"""The frontier of a distributed run as Redis keeps it: one layout and its scripts, for the coordinator
(linkkeeper.runs.distributed) and the workers (crawler.redis_frontier) alike.

Targets are sharded by host (`linkkeeper.urls.host_key`, the key a local run shares its list by), and each
host is fetched by one worker at a time: the worker that claimed it holds it until its queue is empty and
its checks in flight are reported. Only that worker's downloader, with its own per-host limit, talks to the
host, so the limit holds as the server sees it however many workers there are. A worker proves it is alive
by renewing a key that lives `lease` seconds; a host whose holder has stopped renewing goes back, with its
checks in flight, to the next worker that looks for work. A killed worker loses nothing; a check may then
be fetched twice, and the coordinator keeps the first result per target.

Each scripted step is atomic in Redis, which is what keeps two workers from claiming one host. One
coordinator per Redis database: the URL's `/N` picks it, so several lists can share one server.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import redis

from linkkeeper import json_lines
from linkkeeper.errors import InputError, RedisUnavailable
from linkkeeper.urls import host_key

PREFIX = "linkkeeper:"
FEED_BATCH = 500
RESULTS_BATCH = 500
SOCKET_SECONDS = 5.0
"""The longest one Redis call may take: a server that stops answering is an error, not a hang."""

_CONNECTING = re.compile(r"^Error -?\d+ connecting to \S+?\. (.+)$")

LOST = -1
"""What `take` answers when the host is no longer this worker's: its lease lapsed and another took it."""

_FEED = """
local p = ARGV[1]
for i = 2, #ARGV, 2 do
  local host = ARGV[i]
  redis.call('LPUSH', p .. 'queue:' .. host, ARGV[i + 1])
  if redis.call('EXISTS', p .. 'holder:' .. host) == 0 then redis.call('SADD', p .. 'free', host) end
end
"""

_CLAIM = """
local p, me = ARGV[1], ARGV[2]
for _, host in ipairs(redis.call('SMEMBERS', p .. 'held')) do
  local holder = redis.call('GET', p .. 'holder:' .. host)
  if not holder or redis.call('EXISTS', p .. 'alive:' .. holder) == 0 then
    for _, entry in ipairs(redis.call('HVALS', p .. 'taken:' .. host)) do
      redis.call('RPUSH', p .. 'queue:' .. host, entry)
    end
    redis.call('DEL', p .. 'taken:' .. host, p .. 'holder:' .. host)
    redis.call('SREM', p .. 'held', host)
    if redis.call('LLEN', p .. 'queue:' .. host) > 0 then redis.call('SADD', p .. 'free', host) end
  end
end
local host = redis.call('SPOP', p .. 'free')
if not host then return false end
redis.call('SET', p .. 'holder:' .. host, me)
redis.call('SADD', p .. 'held', host)
return host
"""

_TAKE = """
local p, me, host = ARGV[1], ARGV[2], ARGV[3]
if redis.call('GET', p .. 'holder:' .. host) ~= me then return -1 end
local entry = redis.call('RPOP', p .. 'queue:' .. host)
if not entry then return false end
redis.call('HSET', p .. 'taken:' .. host, string.match(entry, '^(%d+) '), entry)
return entry
"""

_REPORT = """
local p, current, run, host, id, record = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if redis.call('GET', current) ~= run then return 0 end
redis.call('HDEL', p .. 'taken:' .. host, id)
redis.call('LPUSH', p .. 'results', record)
return 1
"""

_RELEASE = """
local p, me, host = ARGV[1], ARGV[2], ARGV[3]
if redis.call('GET', p .. 'holder:' .. host) ~= me then return 0 end
if redis.call('LLEN', p .. 'queue:' .. host) > 0 or redis.call('HLEN', p .. 'taken:' .. host) > 0 then return 0 end
redis.call('DEL', p .. 'holder:' .. host)
redis.call('SREM', p .. 'held', host)
return 1
"""


def address(url: str) -> str:
    """The server a Redis URL names, without its user name or password, fit to print."""
    parts = urlsplit(url)
    try:
        port = parts.port or 6379
    except ValueError:
        port = "?"
    return f"{parts.scheme}://{parts.hostname or 'localhost'}:{port}{parts.path or '/0'}"


class Frontier:
    """One Redis database shared by a coordinator and its workers; every call fails as `RedisUnavailable`."""

    def __init__(self, url: str):
        if urlsplit(url).scheme not in ("redis", "rediss"):
            raise InputError(f"--redis {address(url)}: not a redis:// (or rediss://) URL: redis://HOST:PORT/N")
        self.address = address(url)
        try:
            self.client = redis.Redis.from_url(
                url, decode_responses=True, socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS
            )
        except ValueError as error:
            raise InputError(f"--redis {self.address}: {error}") from None
        self.scripts = {
            name: self.client.register_script(source)
            for name, source in (
                ("feed", _FEED), ("claim", _CLAIM), ("take", _TAKE), ("report", _REPORT), ("release", _RELEASE)
            )
        }
        with self.talking():
            self.client.ping()

    @contextmanager
    def talking(self) -> Iterator[None]:
        """Any failure to use Redis as one error naming the server, never its password."""
        try:
            yield
        except redis.AuthenticationError:
            raise RedisUnavailable(f"Redis at {self.address} refused the password") from None
        except redis.RedisError as error:
            password = self.client.connection_pool.connection_kwargs.get("password")
            reason = _plain(str(error))
            reason = reason.replace(password, "***") if password else reason
            raise RedisUnavailable(f"Redis at {self.address} cannot be used: {reason}") from None

    def close(self) -> None:
        self.client.close()

    # The coordinator's side

    def open_run(self, settings: dict[str, Any], lease: float) -> str:
        """A new run, announced to the workers; whatever an earlier run left (a coordinator killed) is cleared."""
        run = uuid.uuid4().hex
        with self.talking():
            earlier = self.client.get(PREFIX + "run")
            if earlier:
                self._clear(earlier)
            job = json_lines.dumps({"run": run, "settings": settings, "lease": lease})
            self.client.mset({PREFIX + "job": job, PREFIX + "run": run})  # at once: a worker never sees one alone
        return run

    def feed(self, run: str, targets: Iterable[dict]) -> int:
        """Queue each target by its host, in batches; the number queued."""
        count = 0
        batch: list[str] = []
        with self.talking():
            for target in targets:
                batch += [host_key(target["url"]), f"{target['id']} {target.get('served_at') or '-'} {target['url']}"]
                count += 1
                if len(batch) >= 2 * FEED_BATCH:
                    self.scripts["feed"](args=[_run_prefix(run), *batch])
                    batch = []
            if batch:
                self.scripts["feed"](args=[_run_prefix(run), *batch])
        return count

    def results(self, run: str, wait: float) -> list[dict]:
        """The records workers have reported, oldest first; waits up to `wait` seconds when there are none."""
        key = _run_prefix(run) + "results"
        with self.talking():
            records = self.client.rpop(key, RESULTS_BATCH)
            if not records:
                popped = self.client.brpop([key], timeout=wait)
                records = [popped[1]] if popped else []
        return [json_lines.loads(record) for record in records]

    def current_run(self) -> str | None:
        with self.talking():
            return self.client.get(PREFIX + "run")

    def workers(self, run: str) -> int:
        """How many workers are alive in this run (renewed their lease in time)."""
        with self.talking():
            return sum(1 for _ in self.client.scan_iter(_run_prefix(run) + "alive:*", count=1000))

    def close_run(self, run: str) -> None:
        """Tell the workers the run is over (if it is still the current one), and forget it."""
        with self.talking():
            if self.client.get(PREFIX + "run") == run:
                self.client.delete(PREFIX + "run", PREFIX + "job")
            self._clear(run)

    def _clear(self, run: str) -> None:
        keys = list(self.client.scan_iter(_run_prefix(run) + "*", count=1000))
        for start in range(0, len(keys), 1000):
            self.client.unlink(*keys[start : start + 1000])

    # The workers' side

    def job(self) -> dict[str, Any] | None:
        """The run in progress (its id, the list's settings, the lease), or None between runs."""
        with self.talking():
            text = self.client.get(PREFIX + "job")
        return json_lines.loads(text) if text else None

    def alive(self, run: str, worker: str, lease: float) -> None:
        with self.talking():
            self.client.set(_run_prefix(run) + "alive:" + worker, "1", px=max(1, int(lease * 1000)))

    def leave(self, run: str, worker: str) -> None:
        """A worker that stops: the hosts it held go to the next worker that looks for work, with no lease to wait."""
        with self.talking():
            self.client.delete(_run_prefix(run) + "alive:" + worker)

    def claim(self, run: str, worker: str) -> str | None:
        """A host with queued targets, now this worker's; hosts of workers no longer alive are freed first."""
        with self.talking():
            return self.scripts["claim"](args=[_run_prefix(run), worker])

    def take(self, run: str, worker: str, host: str) -> dict | int | None:
        """The next target of a host this worker holds, marked as taken; None when its queue is empty, LOST when
        the host is no longer this worker's."""
        with self.talking():
            entry = self.scripts["take"](args=[_run_prefix(run), worker, host])
        if entry is None or entry == LOST:
            return entry
        target_id, served_at, url = entry.split(" ", 2)
        return {"id": int(target_id), "url": url} | ({} if served_at == "-" else {"served_at": served_at})

    def report(self, run: str, record: dict) -> None:
        """A check (a crawler record) for the coordinator; its target is no longer taken."""
        with self.talking():
            self.scripts["report"](
                args=[
                    _run_prefix(run), PREFIX + "run", run, host_key(record["url"]), str(record["target"]),
                    json_lines.dumps(record),
                ]
            )

    def release(self, run: str, worker: str, host: str) -> bool:
        """Give the host back once its queue is empty and nothing of it is in flight; whether it was."""
        with self.talking():
            return bool(self.scripts["release"](args=[_run_prefix(run), worker, host]))


def _plain(reason: str) -> str:
    """redis-py's "Error 111 connecting to HOST:PORT. Connection refused." says the address the line already
    gives, and an errno: only its last words are for people ("connection refused")."""
    said = _CONNECTING.match(reason)
    return said.group(1).rstrip(".").lower() if said else reason


def _run_prefix(run: str) -> str:
    return f"{PREFIX}{run}:"
