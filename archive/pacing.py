"""Spacing calls to the Wayback Machine: at most N a minute, pushed back after a 429, within a deadline; and the
threads the calls run in, as many at once as the paces can use, none started after the deadline.

Waiting happens here and only here, on an injectable clock and sleep, so one rate-limited endpoint
holds back only the tasks that need it while the others carry on. Every wait counts against the deadline:
for a turn, for a free thread, for a call to end.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
from collections.abc import Awaitable, Callable
from typing import Any

FIRST_BACKOFF = 60.0
MAX_BACKOFF = 900.0
MAX_THREADS = 32
CALL_GRACE = 1.0
"""Seconds past the deadline a call's thread is waited for. A call is cut at its own deadline (transport.py), so
it has ended long before; past this, the work is left pending and the thread (a daemon) is no longer waited for."""


class OutOfTime(Exception):
    """The next turn would come after the step's deadline: leave the work for the next run."""


class Pace:
    def __init__(
        self,
        per_minute: float,
        deadline: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.interval = 60.0 / per_minute
        self.deadline = deadline
        self.clock = clock
        self.sleep = sleep
        self.next_at = clock()
        self.backoff = FIRST_BACKOFF

    async def turn(self) -> None:
        """Wait for the next free turn and take it."""
        while True:
            now = self.clock()
            if max(now, self.next_at) > self.deadline:
                raise OutOfTime(f"next turn in {max(0, self.next_at - now):.0f} s, after this run's time budget")
            if now >= self.next_at:
                self.next_at = now + self.interval
                return
            await self.sleep(self.next_at - now)

    def rate_limited(self, retry_after: float | None) -> float:
        """A 429: honour its Retry-After, else back off exponentially (the archive often sends none)."""
        wait = retry_after if retry_after is not None else self.backoff
        self.backoff = min(self.backoff * 2, MAX_BACKOFF)
        self.next_at = max(self.next_at, self.clock() + wait)
        return wait

    def succeeded(self) -> None:
        self.backoff = FIRST_BACKOFF


def threads_for(per_minute: float, call_seconds: float, also: int) -> int:
    """Threads enough that a call whose turn has come finds one free: the calls the paces (`per_minute`, all
    endpoints together) let start within the time one call may last, and `also` unpaced ones (job polls)."""
    return max(2, min(MAX_THREADS, math.ceil(per_minute * call_seconds / 60) + 1 + also))


class Threads:
    """At most `size` blocking calls at once, each in a daemon thread of its own, within a deadline.

    A call waits for a free thread no later than the deadline; it is given as its time the time left when its
    thread starts, not when it asked (a call that would start after the deadline does not start, and raises
    `OutOfTime`); and it is waited for until that time, plus CALL_GRACE, is up. So the calls end with the
    deadline whatever the other end does. (In `asyncio.to_thread`'s shared pool, min(32, CPUs + 4) threads, 6 on
    two cores, calls queued behind stalled ones started long after they asked, each with the time left when it
    asked, and the step ran on for several budgets.)
    """

    def __init__(self, size: int, deadline: float, clock: Callable[[], float]):
        self.size = size
        self.deadline = deadline
        self.clock = clock
        self.free: asyncio.Semaphore | None = None  # made in the event loop that uses it

    async def call(self, function: Callable[..., Any], on_start: Callable[[], None] = lambda: None) -> Any:
        """`function(time_left=...)` in a thread as soon as one is free; `on_start` runs just before it starts."""
        if self.free is None:
            self.free = asyncio.Semaphore(self.size)
        await self._take()
        loop = asyncio.get_running_loop()
        done: asyncio.Future = loop.create_future()
        started = False
        try:
            time_left = self.deadline - self.clock()
            if time_left <= 0:
                raise OutOfTime("a thread came free only at the end of this run's time budget")
            on_start()
            thread = threading.Thread(target=self._work, args=(function, loop, done), daemon=True)
            thread.start()
            started = True
        finally:
            if not started:
                self._give_back()
        try:
            return await asyncio.wait_for(done, max(0.0, self.deadline - self.clock()) + CALL_GRACE)
        except TimeoutError:
            ended = "a call to the Wayback Machine had not ended by the end of this run's time budget"
            raise OutOfTime(ended) from None

    async def _take(self) -> None:
        assert self.free is not None
        time_left = self.deadline - self.clock()
        if time_left <= 0:
            raise OutOfTime("no time left of this run's time budget for the call")
        try:
            await asyncio.wait_for(self.free.acquire(), time_left)
        except TimeoutError:
            raise OutOfTime(
                f"all {self.size} threads were busy with calls to the Wayback Machine until the end of this run's"
                " time budget"
            ) from None

    def _give_back(self) -> None:
        assert self.free is not None
        self.free.release()

    def _work(self, function: Callable[..., Any], loop: asyncio.AbstractEventLoop, done: asyncio.Future) -> None:
        """In the thread: the call, given the time left now; its outcome handed back to the event loop."""
        result: Any = None
        failure: BaseException | None = None
        try:
            time_left = self.deadline - self.clock()
            if time_left <= 0:
                raise OutOfTime("the call's thread started only at the end of this run's time budget")
            result = function(time_left=time_left)
        except Exception as error:
            failure = error

        def settle() -> None:
            self._give_back()
            if done.done():  # given up on at the deadline
                return
            if failure is not None:
                done.set_exception(failure)
            else:
                done.set_result(result)

        with contextlib.suppress(RuntimeError):  # the loop has closed: the step ended without this call
            loop.call_soon_threadsafe(settle)
